//! Executing a plan: deletes in reverse dependency order, then creates, updates and replaces in
//! dependency order, in parallel up to `--parallelism`.
//!
//! Apply makes no choice the plan did not show: each instance's configuration is evaluated again
//! (now that what it depends on is known), planned again by its provider, and refused when the
//! result is not what the plan said. Every finished change is written to the state journal before
//! anything that depends on it starts (group commit: one fsync covers every change that finished
//! meanwhile), so a crash or kill loses no finished change. At the end the state is persisted as
//! one snapshot.

pub mod fault;
pub mod journal;
pub mod provisioner;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use petgraph::graph::{DiGraph, NodeIndex};
use plinth_sdk::plan::same;
use plinth_sdk::{ApplyRequest, Provider, ProviderError, Schema, Value};

use crate::addrs::StateKey;
use crate::config::Mode;
use crate::diag::{Diagnostic, Diagnostics};
use crate::graph::sched::{self, Jobs, Order, Visit, Visitor};
use crate::graph::walk::{InstanceJob, JobFuture, Runner, WalkContext, walk};
use crate::interrupt::Interrupt;
use crate::plan::walk::{
    ProviderPlan, Session, plan_with_provider, provider_error, read_data, sensitive_paths, target_nodes,
};
use crate::plan::{Action, Plan, ResourceChange};
use crate::secrets::HashKey;
use crate::state::values::to_stored;
use crate::state::{Backend, JournalEntry, OutputState, ResourceState, State};
use journal::JournalWriter;

/// What an apply did.
#[derive(Debug, Default)]
pub struct ApplyReport {
    /// Objects `import` blocks adopted into state.
    pub imported: usize,
    pub added: usize,
    pub changed: usize,
    pub destroyed: usize,
    pub diags: Diagnostics,
    /// Root outputs after apply: value (marked) and sensitive flag.
    pub outputs: BTreeMap<String, (Value, bool)>,
    /// Planned changes (not no-ops) this apply set out to make.
    pub planned: usize,
    /// Whether an interrupt (Ctrl-C) stopped the apply before every change was made.
    pub interrupted: bool,
    /// Addresses whose operation a second interrupt abandoned while it ran: the object may be
    /// half-made (or half-deleted), and state may not know of it.
    pub abandoned: Vec<String>,
}

/// Progress callbacks (a terminal progress bar, or nothing).
pub trait Progress: Send + Sync {
    fn start(&self, total: usize);
    fn done(&self, address: &str, action: Action, ok: bool);
    fn finish(&self);
}

/// Reports nothing.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _total: usize) {}
    fn done(&self, _address: &str, _action: Action, _ok: bool) {}
    fn finish(&self) {}
}

#[derive(Default)]
struct Tally {
    imported: usize,
    added: usize,
    changed: usize,
    destroyed: usize,
}

impl Tally {
    fn count(&mut self, action: Action) {
        let (add, change, destroy) = action.counts();
        self.added += add;
        self.changed += change;
        self.destroyed += destroy;
    }
}

/// Shared by every task of one apply.
struct Shared {
    journal: JournalWriter,
    hash_key: HashKey,
    /// Journaled (`true`) and remembered entries, applied to the in-memory state at the end.
    entries: Mutex<Vec<(bool, JournalEntry)>>,
    tally: Mutex<Tally>,
    progress: Arc<dyn Progress>,
    /// Warnings found along the way (a provisioner that failed with `on_failure = continue`).
    warnings: Mutex<Vec<Diagnostic>>,
    /// Destroy-time provisioners by static resource address.
    destroy_provisioners: BTreeMap<String, Vec<Arc<crate::config::provisioner::Prepared>>>,
    /// The configuration directory, where provisioner commands run.
    root_dir: std::path::PathBuf,
    /// The state's lineage, passed to providers (see [`ApplyRequest::lineage`]).
    lineage: String,
}

impl Shared {
    async fn record(&self, entry: JournalEntry) -> Result<(), String> {
        self.journal.record(entry.clone()).await?;
        if let Ok(mut e) = self.entries.lock() {
            e.push((true, entry));
        }
        Ok(())
    }

    /// Keeps `entry` for the in-memory state without journaling it (a no-op's value).
    fn remember(&self, entry: JournalEntry) {
        if let Ok(mut e) = self.entries.lock() {
            e.push((false, entry));
        }
    }

    /// Runs the destroy-time provisioners of the instance at `address`, whose object is `prior`,
    /// before it is deleted. A fatal failure stops the delete.
    async fn before_destroy(&self, address: &str, prior: &Value) -> Result<(), Diagnostic> {
        let Ok(key) = StateKey::parse(address) else {
            return Ok(());
        };
        let Some(list) = self.destroy_provisioners.get(&key.instance.static_string()) else {
            return Ok(());
        };
        for p in list {
            self.provision(p, address, &key.instance.key, prior).await?;
        }
        Ok(())
    }

    /// Runs one provisioner; a failure that does not fail the resource becomes a warning.
    async fn provision(
        &self,
        p: &crate::config::provisioner::Prepared,
        address: &str,
        key: &crate::addrs::Key,
        value: &Value,
    ) -> Result<(), Diagnostic> {
        match provisioner::run(p, address, key, value, &self.root_dir).await {
            Ok(()) => Ok(()),
            Err(f) if f.fatal => Err(f.diagnostic),
            Err(f) => {
                if let Ok(mut w) = self.warnings.lock() {
                    let mut d = f.diagnostic;
                    d.severity = crate::diag::Severity::Warning;
                    w.push(d);
                }
                Ok(())
            }
        }
    }

    fn finished(&self, address: &str, action: Action, ok: bool) {
        if ok && let Ok(mut t) = self.tally.lock() {
            t.count(action);
        }
        self.progress.done(address, action, ok);
    }
}

fn stored(value: &Value, schema: &Schema, key: &HashKey, change: &ResourceChange) -> ResourceState {
    let (attributes, sensitive) = to_stored(value, schema, key);
    ResourceState {
        mode: "managed".to_string(),
        type_name: change.type_name.clone(),
        provider: change.provider.clone(),
        attributes,
        sensitive,
        dependencies: change.dependencies.clone(),
        create_before_destroy: change.create_before_destroy,
        tainted: false,
    }
}

/// Whether a value planned now agrees with what the saved plan showed: every known,
/// non-sensitive part of `saved` must be the same now.
pub fn agrees(saved: &Value, now: &Value) -> bool {
    match (saved, now.strip_sensitive()) {
        (Value::Unknown, _) | (Value::Sensitive(_), _) => true,
        (Value::Map(a), Value::Map(b)) => a.iter().all(|(k, v)| agrees(v, b.get(k).unwrap_or(&Value::Null))),
        (Value::List(a), Value::List(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| agrees(x, y)),
        (a, b) => same(a, b),
    }
}

struct ApplyRunner {
    changes: HashMap<String, ResourceChange>,
    hashes: HashMap<String, BTreeMap<String, String>>,
    /// The instances state marks tainted: apply plans them again as the plan did, as replacements.
    tainted: HashSet<String>,
    shared: Arc<Shared>,
}

impl ApplyRunner {
    async fn apply_instance(&self, mut job: InstanceJob) -> Result<Value, Diagnostic> {
        // The parallelism slot is for provider work; waiting for the journal's fsync does not
        // need it, and giving it back lets more changes share one fsync.
        let permit = std::sync::Mutex::new(job.permit.take());
        let address = job.address.clone();
        let provisioners = std::mem::take(&mut job.provisioners);
        let instance_key = job.key.clone();
        let meta = job.meta.clone();
        let schema = &meta.schema;
        let sensitive_paths = sensitive_paths(&job);
        if meta.mode == Mode::Data {
            // Read now, in graph order: what it depends on is applied, and what depends on it
            // waits for it. A read the plan deferred (`Action::Read`) counts as done progress.
            let result = read_data(&job).await.map(|v| v.mark_paths(&sensitive_paths));
            if self.changes.get(&address).is_some_and(|c| c.action == Action::Read) {
                self.shared.finished(&address, Action::Read, result.is_ok());
            }
            return result;
        }
        let Some(change) = self.changes.get(&address) else {
            return Err(Diagnostic::error(format!("{address} is not in the plan"))
                .with_detail("the configuration changed since the plan was made: run plan again")
                .with_address(address));
        };
        if change.reason.as_deref() == Some(crate::plan::walk::EXCLUDED) {
            return Ok(change.before.clone().unwrap_or(Value::Null));
        }
        let no_hashes = BTreeMap::new();
        let hashes = self.hashes.get(&address).unwrap_or(&no_hashes);
        let ProviderPlan {
            prior,
            config,
            planned,
            action,
            ..
        } = plan_with_provider(
            &job,
            change.before.clone(),
            // A replacement `replace_triggered_by` asked for is made as the plan says: what it
            // watched has changed by now.
            self.tainted.contains(&address) || change.reason.as_deref() == Some(crate::plan::triggers::TRIGGERED),
            hashes,
            &self.shared.hash_key,
            &sensitive_paths,
        )
        .await?;
        let saved_after = change.planned().unwrap_or(&Value::Null);
        // An update planned on values unknown then (a data source read during apply, say) may
        // turn out to change nothing once they are known, as Terraform allows.
        let became_noop = change.action == Action::Update && action == Action::NoOp;
        if (action != change.action && !became_noop) || !agrees(saved_after, &planned) {
            return Err(Diagnostic::error(format!("{address}: the plan no longer holds"))
                .with_detail(format!(
                    "the plan said {:?} but applying would now {:?} with different values; something changed since the plan was made: run plan again",
                    change.action, action
                ))
                .with_address(address));
        }
        let provider = job.provider.clone();
        // `replacing`: for a create that replaces an object, that object (see
        // [`ApplyRequest::replacing`]).
        let apply = |prior: Option<Value>, planned: Option<Value>, replacing: Option<Value>| {
            let provider = provider.clone();
            let creating = prior.is_none() && planned.is_some();
            let req = ApplyRequest {
                type_name: meta.type_name.clone(),
                address: address.clone(),
                prior,
                planned,
                config: config.clone(),
                lineage: self.shared.lineage.clone(),
                replacing,
            };
            let address = &address;
            async move {
                let resp = provider.apply(req).await;
                if creating && resp.is_ok() {
                    // Test-only: a crash between the platform's create and the state's record.
                    fault::after_create(address);
                }
                resp
            }
        };
        let record = |entry: JournalEntry| async {
            if let Ok(mut p) = permit.lock() {
                p.take();
            }
            self.shared.record(entry).await.map_err(|e| {
                Diagnostic::error(format!(
                    "{address}: the change was made but could not be recorded in state: {e}"
                ))
                .with_detail("the object exists; fix the state storage and run `plinth import` or apply again")
                .with_address(address.clone())
            })
        };
        let set = |v: &Value| JournalEntry::Set {
            address: address.clone(),
            resource: Box::new(stored(v, schema, &self.shared.hash_key, change)),
        };
        // A failed create or update. When the provider wrote the object before failing (its
        // error carries the object's state), state keeps the object, so that nothing applied is
        // lost: after a create it is tainted and the next plan replaces it, as in Terraform; after
        // an update it is the object's state now, as a refresh would read it. The error is
        // reported either way.
        let (at, paths, record) = (&address, &sensitive_paths, &record);
        let failed = move |e: ProviderError, doing: &'static str, taint: bool| async move {
            let d = provider_error(at, doing, &e);
            let Some(partial) = e.partial else {
                return d;
            };
            let new = partial.mark_paths(paths);
            let mut resource = stored(&new, schema, &self.shared.hash_key, change);
            resource.tainted = taint;
            let entry = JournalEntry::Set {
                address: at.clone(),
                resource: Box::new(resource),
            };
            if let Err(not_recorded) = record(entry).await {
                return not_recorded;
            }
            let kept = if taint {
                "the object was created and is kept in state as tainted: the next apply replaces it (`plinth untaint` keeps it instead)"
            } else {
                "the object was updated and state records it as it is now"
            };
            let detail = if d.detail.is_empty() {
                kept.to_string()
            } else {
                format!("{}\n{kept}", d.detail)
            };
            d.with_detail(detail)
        };
        // After a create: the creation-time provisioners. A fatal failure keeps the object in
        // state as tainted (the next apply replaces it), as in Terraform.
        let provision = |new: Value| {
            let (provisioners, record, instance_key, address) = (&provisioners, &record, &instance_key, &address);
            async move {
                for p in provisioners {
                    if let Err(d) = self.shared.provision(p, address, instance_key, &new).await {
                        let mut resource = stored(&new, schema, &self.shared.hash_key, change);
                        resource.tainted = true;
                        record(JournalEntry::Set {
                            address: address.clone(),
                            resource: Box::new(resource),
                        })
                        .await?;
                        let detail = if d.detail.is_empty() {
                            String::new()
                        } else {
                            format!("{}\n", d.detail)
                        };
                        return Err(d.with_detail(format!(
                            "{detail}the object was created and is kept in state as tainted: the next apply replaces it (`plinth untaint` keeps it instead)"
                        )));
                    }
                }
                Ok(new)
            }
        };
        let result: Result<Value, Diagnostic> = async {
            if change.importing.is_some()
                && let Some(p) = &prior
            {
                // Adopt the imported object first, so that state has it even if the update on top
                // of it fails.
                record(set(p)).await?;
                if let Ok(mut t) = self.shared.tally.lock() {
                    t.imported += 1;
                }
            }
            match action {
                Action::NoOp | Action::Read => {
                    self.shared.remember(set(&planned));
                    Ok(planned.clone())
                }
                Action::Create | Action::Update => {
                    let prior_for_apply = if action == Action::Create { None } else { prior.clone() };
                    let resp = match apply(prior_for_apply, Some(planned.clone()), None).await {
                        Ok(resp) => resp,
                        Err(e) if action == Action::Create => return Err(failed(e, "creating", true).await),
                        Err(e) => return Err(failed(e, "updating", false).await),
                    };
                    let new = resp.new_state.unwrap_or(Value::Null).mark_paths(&sensitive_paths);
                    record(set(&new)).await?;
                    if action == Action::Create {
                        return provision(new).await;
                    }
                    Ok(new)
                }
                Action::DeleteThenCreate => {
                    if let Some(p) = &prior {
                        self.shared.before_destroy(&address, p).await?;
                    }
                    apply(prior.clone(), None, None)
                        .await
                        .map_err(|e| provider_error(&address, "deleting (for replacement)", &e))?;
                    record(JournalEntry::Remove {
                        address: address.clone(),
                    })
                    .await?;
                    let resp = match apply(None, Some(planned.clone()), prior.clone()).await {
                        Ok(resp) => resp,
                        Err(e) => return Err(failed(e, "creating (replacement)", true).await),
                    };
                    let new = resp.new_state.unwrap_or(Value::Null).mark_paths(&sensitive_paths);
                    record(set(&new)).await?;
                    provision(new).await
                }
                Action::CreateThenDelete => {
                    // Keep the old object in state under a deposed address until it is gone, so a
                    // crash in between leaves it for the next plan to delete.
                    let deposed = StateKey::deposed(change.instance().to_instance()).to_string();
                    if let Some(p) = &prior {
                        let mut rs = stored(p, schema, &self.shared.hash_key, change);
                        rs.dependencies = change.dependencies.clone();
                        record(JournalEntry::Set {
                            address: deposed.clone(),
                            resource: Box::new(rs),
                        })
                        .await?;
                    }
                    let resp = match apply(None, Some(planned.clone()), prior.clone()).await {
                        Ok(resp) => resp,
                        Err(e) => {
                            let wrote = e.partial.is_some();
                            let d = failed(e, "creating (replacement)", true).await;
                            if !wrote && prior.is_some() {
                                // Nothing new was made, so the address still records the old
                                // object: it must not stay deposed as well, or the next apply
                                // would delete the object the instance still uses. Terraform
                                // restores a deposed object the same way.
                                record(JournalEntry::Remove {
                                    address: deposed.clone(),
                                })
                                .await?;
                            }
                            return Err(d);
                        }
                    };
                    let new = resp.new_state.unwrap_or(Value::Null).mark_paths(&sensitive_paths);
                    record(set(&new)).await?;
                    let new = provision(new).await?;
                    if let Some(p) = &prior {
                        self.shared.before_destroy(&address, p).await?;
                    }
                    apply(prior.clone(), None, None)
                        .await
                        .map_err(|e| provider_error(&deposed, "deleting the replaced object", &e))?;
                    record(JournalEntry::Remove { address: deposed }).await?;
                    Ok(new)
                }
                Action::Delete | Action::Forget => Err(Diagnostic::error(format!(
                    "{address}: unexpected {action:?} in the forward walk"
                ))),
            }
        }
        .await;
        self.shared.finished(&address, action, result.is_ok());
        result
    }
}

impl Runner for ApplyRunner {
    fn run(self: Arc<Self>, job: InstanceJob) -> JobFuture {
        Box::pin(async move { self.apply_instance(job).await })
    }
}

/// Applies `plan` against `state`, recording into `backend`. The state lock must be held. The
/// plan is consumed (its changes move into the walk), and `state` is the only state read:
/// `session.state`, what planning read, is not.
pub async fn apply(
    session: &Session<'_>,
    mut plan: Plan,
    backend: &dyn Backend,
    state: &mut State,
    progress: Arc<dyn Progress>,
) -> ApplyReport {
    let mut report = ApplyReport::default();
    // A state never written holds its lineage only in memory: a crash before the first snapshot
    // would give the next run another lineage, so that creates could not find what this run made
    // (their client tokens and bookkeeping tags name the lineage). Write it before any change.
    if state.serial == 0
        && plan.changes.iter().any(|c| c.action != Action::NoOp)
        && let Err(e) = backend.persist(state)
    {
        report
            .diags
            .push(Diagnostic::error(format!("Cannot write the new state: {e}")));
        return report;
    }
    let journal = match backend.journal() {
        Ok(j) => JournalWriter::start(j),
        Err(e) => {
            report
                .diags
                .push(Diagnostic::error(format!("Cannot open the state journal: {e}")));
            return report;
        }
    };
    let shared = Arc::new(Shared {
        journal,
        hash_key: session.hash_key.clone(),
        entries: Mutex::new(Vec::new()),
        tally: Mutex::new(Tally::default()),
        progress: progress.clone(),
        warnings: Mutex::new(Vec::new()),
        destroy_provisioners: crate::config::provisioner::destroy_time(&session.walk.config.root),
        root_dir: session.walk.root_dir.to_path_buf(),
        lineage: state.lineage.clone(),
    });
    let to_do = plan
        .changes
        .iter()
        .filter(|c| !matches!(c.action, Action::NoOp))
        .count();
    progress.start(to_do);
    report.planned = to_do;

    // Moves first, each one journal entry, so that everything after works at the new addresses
    // and a crash leaves every object at exactly one of them.
    let mut moved = false;
    for c in &plan.changes {
        let Some(from) = &c.previous_address else {
            continue;
        };
        let entry = JournalEntry::Move {
            from: from.clone(),
            to: c.address.clone(),
        };
        if let Err(e) = shared.journal.record(entry.clone()).await {
            report.diags.push(
                Diagnostic::error(format!(
                    "{}: cannot record the move from {from} in state: {e}",
                    c.address
                ))
                .with_address(c.address.clone()),
            );
            progress.finish();
            return report;
        }
        state.apply_entry(entry);
        moved = true;
    }
    // `removed` blocks with `destroy = false`: the object stays, state forgets it.
    for c in plan.changes.iter().filter(|c| c.action == Action::Forget) {
        let r = shared
            .record(JournalEntry::Remove {
                address: c.address.clone(),
            })
            .await;
        shared.finished(&c.address, Action::Forget, r.is_ok());
        if let Err(e) = r {
            report.diags.push(
                Diagnostic::error(format!("{}: cannot remove it from state: {e}", c.address))
                    .with_address(c.address.clone()),
            );
        }
    }

    let ctx = &session.walk;
    let deletes: Vec<&ResourceChange> = plan.changes.iter().filter(|c| c.action == Action::Delete).collect();
    if !deletes.is_empty() {
        // Providers must be configured before anything is deleted.
        let configured = configure_providers(ctx).await;
        let failed = configured.has_errors();
        report.diags.extend(configured.0);
        for c in &deletes {
            if let Err(d) = ctx.providers.ensure_configured(&c.provider, ctx.root_dir).await {
                report.diags.push(d.with_address(c.address.clone()));
            }
        }
        if !failed && !report.diags.has_errors() {
            let (diags, summary) = run_deletes(
                &deletes,
                ctx.providers.instances.clone(),
                shared.clone(),
                ctx.parallelism,
                ctx.interrupt,
            )
            .await;
            report.diags.extend(diags);
            report.abandoned.extend(summary.abandoned);
        }
    }

    if !plan.destroy && !report.diags.has_errors() {
        // The plan is the runner's now: its changes move into it rather than being copied.
        let runner = Arc::new(ApplyRunner {
            changes: {
                // Sized at once (growing a map of 100,000 changes holds two tables at a time), and
                // without the planned configuration: applying evaluates it again, per instance.
                let mut changes = HashMap::with_capacity(plan.changes.len());
                changes.extend(
                    std::mem::take(&mut plan.changes)
                        .into_iter()
                        .filter(|c| c.action != Action::Delete)
                        .map(|c| (c.address.clone(), ResourceChange { config: None, ..c })),
                );
                changes
            },
            hashes: state
                .resources
                .iter()
                .map(|(a, r)| (a.clone(), r.sensitive.clone()))
                .collect(),
            tainted: state
                .resources
                .iter()
                .filter(|(_, r)| r.tainted)
                .map(|(a, _)| a.clone())
                .collect(),
            shared: shared.clone(),
        });
        let walk_ctx = WalkContext {
            include: target_nodes(ctx.graph, &plan.targets),
            resources: true,
            planning: false,
            ..*ctx
        };
        let (outcome, values) = walk(&walk_ctx, runner).await;
        report.diags.extend(outcome.diags.0);
        report.abandoned.extend(outcome.abandoned);
        if !outcome.failed && plan.targets.is_empty() {
            // Checks warn about the infrastructure as applied; they never fail the apply.
            let (_, warnings) = crate::plan::checks::evaluate(&walk_ctx, &values, &HashSet::new()).await;
            report.diags.extend(warnings.0);
        }
        if !outcome.failed && plan.targets.is_empty() {
            let outputs: BTreeMap<String, OutputState> = outcome
                .outputs
                .iter()
                .map(|(name, (v, sensitive))| (name.clone(), output_state(v, *sensitive, &session.hash_key)))
                .collect();
            if let Err(e) = shared.record(JournalEntry::Outputs { outputs }).await {
                report
                    .diags
                    .push(Diagnostic::error(format!("Cannot record outputs in state: {e}")));
            }
            report.outputs = outcome.outputs;
        }
    } else if plan.destroy && plan.targets.is_empty() && !report.diags.has_errors() {
        let _ = shared
            .record(JournalEntry::Outputs {
                outputs: BTreeMap::new(),
            })
            .await;
    }
    progress.finish();
    if let Ok(mut w) = shared.warnings.lock() {
        report.diags.extend(std::mem::take(&mut *w));
    }

    let entries = shared
        .entries
        .lock()
        .map(|mut e| std::mem::take(&mut *e))
        .unwrap_or_default();
    let journal_wins = !moved && journaled_last(&entries);
    for (_, e) in entries {
        state.apply_entry(e);
    }
    let persisted = if journal_wins {
        backend.persist_journaled(state)
    } else {
        backend.persist(state)
    };
    if let Err(e) = persisted {
        report.diags.push(
            Diagnostic::error(format!("Cannot write the state snapshot: {e}"))
                .with_detail("every finished change is in the state journal, which the next command replays"),
        );
    }
    report.interrupted = session.walk.interrupt.is_some_and(Interrupt::requested);
    if let Ok(t) = shared.tally.lock() {
        report.imported = t.imported;
        report.added = t.added;
        report.changed = t.changed;
        report.destroyed = t.destroyed;
    }
    report
}

/// Whether the state the entries end in records, for every address this run journaled, the
/// journaled value: no entry kept without journaling (a no-op's) comes after a journaled one for
/// the same address. Then replaying the journal over that state changes nothing, and persisting
/// need not read the journal back to check it ([`Backend::persist_journaled`]).
fn journaled_last(entries: &[(bool, JournalEntry)]) -> bool {
    let mut journaled: HashSet<&str> = HashSet::new();
    for (was_journaled, entry) in entries {
        let address = match entry {
            JournalEntry::Set { address, .. } | JournalEntry::Remove { address } => address.as_str(),
            JournalEntry::Outputs { .. } if *was_journaled => continue,
            JournalEntry::Outputs { .. } | JournalEntry::Move { .. } => return false,
        };
        if *was_journaled {
            journaled.insert(address);
        } else if journaled.contains(address) {
            return false;
        }
    }
    true
}

/// What state keeps of an output: the value, or only a keyed hash when sensitive.
pub fn output_state(v: &Value, sensitive: bool, key: &HashKey) -> OutputState {
    let plain = v.strip_sensitive();
    let type_name = match plain {
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        Value::List(_) => "list",
        Value::Map(_) => "object",
        _ => "dynamic",
    };
    let value = if sensitive || v.contains_sensitive() {
        serde_json::Value::String(key.hash(v))
    } else {
        v.to_json()
    };
    OutputState {
        value,
        type_name: type_name.to_string(),
        sensitive: sensitive || v.contains_sensitive(),
    }
}

/// Configures every provider (evaluating only what provider blocks depend on).
pub async fn configure_providers(ctx: &WalkContext<'_>) -> Diagnostics {
    let providers_only = WalkContext {
        include: provider_nodes(ctx),
        resources: false,
        planning: false,
        ..*ctx
    };
    let (outcome, _) = walk(&providers_only, Arc::new(NeverRunner)).await;
    let mut diags = outcome.diags;
    if outcome.failed && !diags.has_errors() {
        diags.push(Diagnostic::error("Cannot configure the providers"));
    }
    diags
}

/// Provider nodes and everything they depend on.
fn provider_nodes(ctx: &WalkContext<'_>) -> Option<HashSet<NodeIndex>> {
    let g = &ctx.graph.dag;
    let providers = g
        .node_indices()
        .filter(|i| matches!(g[*i].kind, crate::graph::NodeKind::Provider(_)));
    Some(ctx.graph.with_dependencies(providers))
}

struct NeverRunner;

impl Runner for NeverRunner {
    fn run(self: Arc<Self>, job: InstanceJob) -> JobFuture {
        Box::pin(async move { Err(Diagnostic::error(format!("{}: not expected here", job.address))) })
    }
}

/// Deletes instances in reverse dependency order: an instance goes only after every instance that
/// depends on it. A failed delete keeps what it depends on; independent deletes go on.
async fn run_deletes(
    deletes: &[&ResourceChange],
    providers: HashMap<String, Arc<dyn Provider>>,
    shared: Arc<Shared>,
    parallelism: usize,
    interrupt: Option<&Interrupt>,
) -> (Vec<Diagnostic>, sched::Summary) {
    let graph = delete_graph(deletes);
    let mut deleter = Deleter {
        graph: &graph,
        deletes,
        providers,
        shared,
        diags: Vec::new(),
    };
    let summary = sched::run(&graph, Order::Reverse, None, parallelism, interrupt, &mut deleter).await;
    (deleter.diags, summary)
}

/// The dependencies between deletes, oriented like the configuration graph (an edge `a -> b`
/// means b depends on a), to be walked in reverse. A node is `Some(i)` for `deletes[i]`, or
/// `None` for the barrier of a resource: it depends on all the resource's instances, and the
/// instances that depend on the resource depend on it. One barrier per resource instead of an
/// edge per pair of instances keeps the graph linear in instances and dependencies.
fn delete_graph(deletes: &[&ResourceChange]) -> DiGraph<Option<usize>, ()> {
    let mut g: DiGraph<Option<usize>, ()> = DiGraph::new();
    let mut barriers: HashMap<String, NodeIndex> = HashMap::new();
    let nodes: Vec<NodeIndex> = (0..deletes.len()).map(|i| g.add_node(Some(i))).collect();
    for (i, c) in deletes.iter().enumerate() {
        // The barrier of a resource waits for the deletes of its dependents, then releases its
        // own instances.
        let own = match StateKey::parse(&c.address) {
            Ok(k) => k.instance.static_string(),
            Err(_) => c.address.clone(),
        };
        let b = *barriers.entry(own).or_insert_with(|| g.add_node(None));
        g.add_edge(nodes[i], b, ());
        for d in &c.dependencies {
            let b = *barriers.entry(d.clone()).or_insert_with(|| g.add_node(None));
            g.add_edge(b, nodes[i], ());
        }
    }
    g
}

/// The reverse walk's visitor: a delete is one job, a barrier finishes at once.
struct Deleter<'a> {
    graph: &'a DiGraph<Option<usize>, ()>,
    deletes: &'a [&'a ResourceChange],
    providers: HashMap<String, Arc<dyn Provider>>,
    shared: Arc<Shared>,
    diags: Vec<Diagnostic>,
}

impl Visitor for Deleter<'_> {
    type Output = Result<(), Diagnostic>;

    async fn visit(&mut self, node: NodeIndex, jobs: &mut Jobs<Self::Output>) -> Visit {
        let Some(i) = self.graph[node] else {
            return Visit::Done(true);
        };
        let c = self.deletes[i].clone();
        let provider = self.providers.get(&c.provider).cloned();
        let shared = self.shared.clone();
        jobs.spawn(c.address.clone(), async move {
            let r = delete_one(&c, provider, &shared).await;
            shared.finished(&c.address, Action::Delete, r.is_ok());
            r
        });
        Visit::Jobs
    }

    fn finished(&mut self, _node: NodeIndex, output: Self::Output) -> bool {
        match output {
            Ok(()) => true,
            Err(d) => {
                self.diags.push(d);
                false
            }
        }
    }

    fn lost(&mut self, e: tokio::task::JoinError) {
        self.diags
            .push(Diagnostic::error(format!("internal error: a delete task failed: {e}")));
    }
}

async fn delete_one(
    c: &ResourceChange,
    provider: Option<Arc<dyn Provider>>,
    shared: &Shared,
) -> Result<(), Diagnostic> {
    if let Some(prior) = &c.before {
        shared.before_destroy(&c.address, prior).await?;
        let Some(provider) = provider else {
            return Err(Diagnostic::error(format!(
                "{}: no provider {:?} configured",
                c.address, c.provider
            )));
        };
        provider
            .apply(ApplyRequest {
                type_name: c.type_name.clone(),
                address: c.address.clone(),
                prior: Some(prior.clone()),
                planned: None,
                config: Value::Null,
                ..Default::default()
            })
            .await
            .map_err(|e| provider_error(&c.address, "deleting", &e))?;
    }
    shared
        .record(JournalEntry::Remove {
            address: c.address.clone(),
        })
        .await
        .map_err(|e| {
            Diagnostic::error(format!(
                "{}: deleted, but the state could not record it: {e}",
                c.address
            ))
            .with_address(c.address.clone())
        })
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::Ordering;

    use expect_test::{Expect, expect};

    use super::*;
    use crate::graph::walk::tests::Echo;
    use crate::state::{Journal, StateError};

    /// Keeps journaled entries in memory, and notes each removal in the provider's log so that
    /// tests see when a change became durable relative to the provider calls.
    struct MemJournal(Arc<Mutex<Vec<JournalEntry>>>, Arc<Echo>);

    impl Journal for MemJournal {
        fn record(&mut self, entries: &[JournalEntry]) -> Result<(), StateError> {
            for e in entries {
                if let JournalEntry::Remove { address } = e {
                    self.1.push(format!("journaled: remove {address}"));
                }
            }
            if let Ok(mut e) = self.0.lock() {
                e.extend_from_slice(entries);
            }
            Ok(())
        }
    }

    /// A planned delete of `address` (`echo_thing.NAME[KEY]`) depending on `dependencies`; `gone`
    /// means the object was found missing when refreshing.
    fn delete(address: &str, dependencies: &[&str], gone: bool) -> ResourceChange {
        let name = address.split('.').nth(1).unwrap_or_default();
        let name = name.split(['[', ' ']).next().unwrap_or_default();
        ResourceChange {
            address: address.to_string(),
            module: Vec::new(),
            mode: Mode::Managed,
            type_name: "echo_thing".to_string(),
            name: name.to_string(),
            key: crate::addrs::Key::None,
            provider: "echo".to_string(),
            action: Action::Delete,
            before: (!gone).then(|| Value::Map(BTreeMap::new())),
            after: None,
            config: None,
            requires_replace: Vec::new(),
            reason: None,
            dependencies: dependencies.iter().map(|d| d.to_string()).collect(),
            create_before_destroy: false,
            drifted: false,
            importing: None,
            previous_address: None,
        }
    }

    struct Deleted {
        diags: Vec<Diagnostic>,
        /// What the provider was asked and what the journal recorded, in order.
        calls: Vec<String>,
        /// The addresses removed from state, in order.
        removed: Vec<String>,
        tally: (usize, usize, usize),
        most_at_once: usize,
    }

    fn run(changes: &[ResourceChange], echo: Echo, parallelism: usize, threads: usize) -> Deleted {
        let dir = tempfile::tempdir().expect("temporary directory");
        let entries = Arc::new(Mutex::new(Vec::new()));
        let echo = Arc::new(echo);
        let shared = Arc::new(Shared {
            journal: JournalWriter::start(Box::new(MemJournal(entries.clone(), echo.clone()))),
            hash_key: HashKey::load_or_create(dir.path()).expect("hash key"),
            entries: Mutex::new(Vec::new()),
            tally: Mutex::new(Tally::default()),
            progress: Arc::new(NoProgress),
            warnings: Mutex::new(Vec::new()),
            destroy_provisioners: BTreeMap::new(),
            root_dir: dir.path().to_path_buf(),
            lineage: "test-lineage".to_string(),
        });
        let providers: HashMap<String, Arc<dyn Provider>> =
            [("echo".to_string(), echo.clone() as Arc<dyn Provider>)].into();
        let deletes: Vec<&ResourceChange> = changes.iter().collect();
        let rt = if threads == 1 {
            tokio::runtime::Builder::new_current_thread().build()
        } else {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(threads)
                .build()
        }
        .expect("runtime");
        let (diags, _) = rt.block_on(run_deletes(&deletes, providers, shared.clone(), parallelism, None));
        let removed = entries
            .lock()
            .map(|e| {
                e.iter()
                    .filter_map(|e| match e {
                        JournalEntry::Remove { address } => Some(address.clone()),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let tally = shared
            .tally
            .lock()
            .map(|t| (t.added, t.changed, t.destroyed))
            .unwrap_or_default();
        Deleted {
            diags,
            calls: echo.log(),
            removed,
            tally,
            most_at_once: echo.most.load(Ordering::SeqCst),
        }
    }

    fn check(changes: &[ResourceChange], fail: &[&str], expect: Expect) {
        let echo = Echo {
            fail: fail.iter().map(|f| f.to_string()).collect(),
            ..Default::default()
        };
        let d = run(changes, echo, 1, 1);
        let mut out = String::new();
        for c in &d.calls {
            out.push_str(&format!("{c}\n"));
        }
        out.push_str(&format!("removed from state: {:?}\n", d.removed));
        out.push_str(&format!("added, changed, destroyed: {:?}\n", d.tally));
        for diag in &d.diags {
            out.push_str(&format!(
                "{}: {}\n",
                diag.address.as_deref().unwrap_or(""),
                diag.summary
            ));
        }
        expect.assert_eq(&out);
    }

    /// db <- app[0], app[1] <- lb, and an unrelated `other`; app[0] was replaced under
    /// create_before_destroy and its deposed object is still there.
    fn layered() -> Vec<ResourceChange> {
        vec![
            delete("echo_thing.db", &[], false),
            delete("echo_thing.app[0]", &["echo_thing.db"], false),
            delete("echo_thing.app[0] (deposed)", &["echo_thing.db"], false),
            delete("echo_thing.app[1]", &["echo_thing.db"], true),
            delete("echo_thing.lb", &["echo_thing.app"], false),
            delete("echo_thing.other", &[], false),
        ]
    }

    #[test]
    fn deletes_go_dependents_first_and_are_journaled() {
        // app[1] is already gone: it is only forgotten, without asking the provider. Each
        // removal is durable before what the deleted object depended on is deleted.
        check(
            &layered(),
            &[],
            expect![[r#"
                delete echo_thing.lb
                delete echo_thing.lb: done
                journaled: remove echo_thing.lb
                delete echo_thing.other
                delete echo_thing.other: done
                journaled: remove echo_thing.other
                journaled: remove echo_thing.app[1]
                delete echo_thing.app[0] (deposed)
                delete echo_thing.app[0] (deposed): done
                journaled: remove echo_thing.app[0] (deposed)
                delete echo_thing.app[0]
                delete echo_thing.app[0]: done
                journaled: remove echo_thing.app[0]
                delete echo_thing.db
                delete echo_thing.db: done
                journaled: remove echo_thing.db
                removed from state: ["echo_thing.lb", "echo_thing.other", "echo_thing.app[1]", "echo_thing.app[0] (deposed)", "echo_thing.app[0]", "echo_thing.db"]
                added, changed, destroyed: (0, 0, 6)
            "#]],
        );
    }

    #[test]
    fn a_failed_delete_keeps_what_it_depends_on_and_the_rest_goes_on() {
        check(
            &layered(),
            &["echo_thing.app[0]"],
            expect![[r#"
                delete echo_thing.lb
                delete echo_thing.lb: done
                journaled: remove echo_thing.lb
                delete echo_thing.other
                delete echo_thing.other: done
                journaled: remove echo_thing.other
                journaled: remove echo_thing.app[1]
                delete echo_thing.app[0] (deposed)
                delete echo_thing.app[0] (deposed): done
                journaled: remove echo_thing.app[0] (deposed)
                delete echo_thing.app[0]
                removed from state: ["echo_thing.lb", "echo_thing.other", "echo_thing.app[1]", "echo_thing.app[0] (deposed)"]
                added, changed, destroyed: (0, 0, 4)
                echo_thing.app[0]: echo_thing.app[0]: error deleting: DeleteProtected: refused
            "#]],
        );
    }

    #[test]
    fn deletes_respect_the_parallelism_limit() {
        let changes: Vec<ResourceChange> = (0..200)
            .map(|i| delete(&format!("echo_thing.t[{i}]"), &[], false))
            .collect();
        for parallelism in [1, 4] {
            let d = run(&changes, Echo::default(), parallelism, 2);
            assert!(d.diags.is_empty(), "{:?}", d.diags);
            assert_eq!(d.removed.len(), 200);
            assert!(
                (1..=parallelism).contains(&d.most_at_once),
                "{} deletes at once with parallelism {parallelism}",
                d.most_at_once
            );
        }
    }

    #[test]
    fn the_delete_graph_has_one_barrier_per_resource() {
        // Two resources of 10,000 instances each, every instance of `b` depending on `a`: one
        // edge per instance and dependency, not one per pair of instances.
        const N: usize = 10_000;
        let mut changes: Vec<ResourceChange> = (0..N)
            .map(|i| delete(&format!("echo_thing.a[{i}]"), &[], false))
            .collect();
        changes.extend((0..N).map(|i| delete(&format!("echo_thing.b[{i}]"), &["echo_thing.a"], false)));
        let deletes: Vec<&ResourceChange> = changes.iter().collect();
        let g = delete_graph(&deletes);
        assert_eq!((g.node_count(), g.edge_count()), (2 * N + 2, 3 * N));
        let d = run(&changes, Echo::default(), 8, 1);
        assert!(d.diags.is_empty(), "{:?}", d.diags);
        assert_eq!(d.removed.len(), 2 * N);
        let first_a = d.removed.iter().position(|a| a.starts_with("echo_thing.a"));
        let last_b = d.removed.iter().rposition(|a| a.starts_with("echo_thing.b"));
        assert!(last_b < first_a, "every b goes before any a");
    }

    #[test]
    fn agreement_ignores_what_the_plan_did_not_know_or_show() {
        let map = |pairs: &[(&str, Value)]| Value::Map(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect());
        let saved = map(&[
            ("id", Value::Unknown),
            ("name", Value::string("a")),
            ("secret", Value::string("s").mark()),
        ]);
        let now = map(&[
            ("id", Value::string("id-1")),
            ("name", Value::string("a")),
            ("secret", Value::string("t")),
        ]);
        assert!(agrees(&saved, &now));
        let renamed = map(&[("id", Value::string("id-1")), ("name", Value::string("b"))]);
        assert!(!agrees(&saved, &renamed));
        let list = Value::List(vec![Value::string("x")]);
        assert!(!agrees(&list, &Value::List(Vec::new())));
        assert!(agrees(&list, &Value::List(vec![Value::string("x").mark()])));
    }

    #[test]
    fn output_state_hides_sensitive_values_behind_their_hash() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let key = HashKey::load_or_create(dir.path()).expect("hash key");
        let plain = output_state(&Value::List(vec![Value::string("a")]), false, &key);
        expect![[r#"{"value":["a"],"type":"list","sensitive":false}"#]]
            .assert_eq(&serde_json::to_string(&plain).unwrap_or_default());
        for (v, declared) in [(Value::string("s"), true), (Value::string("s").mark(), false)] {
            let hidden = output_state(&v, declared, &key);
            assert!(hidden.sensitive);
            assert_eq!(hidden.type_name, "string");
            assert!(
                hidden.value.as_str().is_some_and(|h| h.starts_with("hmac-sha256:")),
                "{hidden:?}"
            );
        }
    }

    #[test]
    fn the_tally_counts_a_replacement_as_an_add_and_a_destroy() {
        let mut t = Tally::default();
        for a in [
            Action::Create,
            Action::Update,
            Action::DeleteThenCreate,
            Action::CreateThenDelete,
            Action::Delete,
            Action::NoOp,
            Action::Read,
        ] {
            t.count(a);
        }
        assert_eq!((t.added, t.changed, t.destroyed), (3, 1, 3));
    }
}
