//! Executing a plan: deletes in reverse dependency order, then creates, updates and replaces in
//! dependency order, in parallel up to `--parallelism`.
//!
//! Apply makes no choice the plan did not show: each instance's configuration is evaluated again
//! (now that what it depends on is known), planned again by its provider, and refused when the
//! result is not what the plan said. Every finished change is written to the state journal (group
//! commit: one fsync covers every change that finished meanwhile), and a change with effects
//! outside the state starts only once everything it may depend on is durable there, so a crash or
//! kill loses no object. Only a change of a state-only type (`Schema::state_only`, `local_value`)
//! lets what depends on it start before it is durable, when that is state-only too: a crash can
//! lose such changes, and the next apply makes them again (the argument is in `docs/state.md`,
//! "State-only types"). At the end, once everything sent is durable, the state is persisted as one
//! snapshot.

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

    /// Journals the entry of a state-only change without waiting for it to be durable (what
    /// depends on the change may start at once; see [`Shared::before_effects`]).
    fn record_unwaited(&self, entry: JournalEntry) -> Result<(), String> {
        self.journal.send(entry.clone())?;
        if let Ok(mut e) = self.entries.lock() {
            e.push((true, entry));
        }
        Ok(())
    }

    /// What a change with effects outside the state does before it has any: waits until every
    /// state-only change journaled so far is durable, which covers all it depends on (they were
    /// sent before it started, and the journal records in order). At once when none is pending.
    async fn before_effects(&self, address: &str) -> Result<(), Diagnostic> {
        self.journal.sent_durable().await.map_err(|e| {
            Diagnostic::error(format!(
                "{address}: not started: the changes before it could not be recorded in state: {e}"
            ))
            .with_address(address.to_string())
        })
    }

    /// Whether the instance at `address`, of a type whose schema says `state_only`, has no
    /// effect outside the state in this configuration: no provisioner runs for it.
    fn state_only(&self, schema_state_only: bool, address: &str, creation_provisioners: bool) -> bool {
        schema_state_only
            && !creation_provisioners
            && (self.destroy_provisioners.is_empty()
                || StateKey::parse(address)
                    .map(|k| !self.destroy_provisioners.contains_key(&k.instance.static_string()))
                    .unwrap_or(false))
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
    /// The plan's changes by address, each taken by the one job that applies it, so that what a
    /// change holds (the planned value of a create, above all) is freed as the walk goes rather
    /// than kept to its end; boxed, so that the table itself is small.
    changes: Mutex<HashMap<String, Box<ResourceChange>>>,
    /// The sensitive hashes of the stored instances that have any.
    hashes: HashMap<String, BTreeMap<String, String>>,
    /// The instances state marks tainted: apply plans them again as the plan did, as replacements.
    tainted: HashSet<String>,
    shared: Arc<Shared>,
}

impl ApplyRunner {
    /// The change planned for `address`, for the one job that applies it.
    fn take_change(&self, address: &str) -> Option<Box<ResourceChange>> {
        self.changes.lock().ok()?.remove(address)
    }

    async fn apply_instance(&self, mut job: InstanceJob) -> Result<Value, Diagnostic> {
        // The parallelism slot is for provider work; waiting for the journal's fsync does not
        // need it, and giving it back lets more changes share one fsync.
        let permit = std::sync::Mutex::new(job.permit.take());
        let address = job.address.clone();
        let provisioners = std::mem::take(&mut job.provisioners);
        let instance_key = job.key.clone();
        let meta = job.meta.clone();
        let schema = &meta.schema;
        // A state-only change is journaled without waiting; any other waits before its effects
        // for the state-only changes before it (see `Shared::before_effects`).
        let state_only = meta.mode == Mode::Managed
            && self
                .shared
                .state_only(schema.state_only, &address, !provisioners.is_empty());
        let sensitive_paths = sensitive_paths(&job);
        if meta.mode == Mode::Data {
            // Read now, in graph order: what it depends on is applied, and what depends on it
            // waits for it. A read the plan deferred (`Action::Read`) counts as done progress.
            let result = read_data(&job).await.map(|v| v.mark_paths(&sensitive_paths));
            if self.take_change(&address).is_some_and(|c| c.action == Action::Read) {
                self.shared.finished(&address, Action::Read, result.is_ok());
            }
            return result;
        }
        let Some(change) = self.take_change(&address) else {
            return Err(Diagnostic::error(format!("{address} is not in the plan"))
                .with_detail("the configuration changed since the plan was made: run plan again")
                .with_address(address));
        };
        let change = &*change;
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
            let recorded = if state_only {
                self.shared.record_unwaited(entry)
            } else {
                self.shared.record(entry).await
            };
            recorded.map_err(|e| {
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
            if !state_only && (change.importing.is_some() || !matches!(action, Action::NoOp | Action::Read)) {
                self.shared.before_effects(&address).await?;
            }
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
                state_only_types(ctx),
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
                        .map(|c| (c.address.clone(), Box::new(ResourceChange { config: None, ..c }))),
                );
                Mutex::new(changes)
            },
            hashes: state
                .resources
                .iter()
                .filter(|(_, r)| !r.sensitive.is_empty())
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
    // Everything sent is durable before the snapshot, so that the journal never holds less than
    // what the snapshot replaced it with, and a failed write of an unwaited change is reported.
    if let Err(e) = shared.journal.flush().await {
        let unrecorded = shared.journal.unrecorded();
        if !unrecorded.is_empty() {
            report.diags.push(
                Diagnostic::error(format!(
                    "Cannot record {} change(s) in the state journal: {e}",
                    unrecorded.len()
                ))
                .with_detail(format!(
                    "{}: these changes have no effect outside the state; the snapshot written now \
                     holds them, and if it cannot be written the next apply makes them again",
                    unrecorded.join(", ")
                )),
            );
        }
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

/// The state-only resource types (`Schema::state_only`), by provider name and type name.
fn state_only_types(ctx: &WalkContext<'_>) -> HashSet<(String, String)> {
    ctx.providers
        .resource_schemas
        .iter()
        .filter(|((_, mode, _), schema)| *mode == Mode::Managed && schema.state_only)
        .map(|((provider, _, type_name), _)| (provider.clone(), type_name.clone()))
        .collect()
}

/// Deletes instances in reverse dependency order: an instance goes only after every instance that
/// depends on it. A failed delete keeps what it depends on; independent deletes go on. The
/// deletes of `state_only` types (provider name, type name) are journaled without waiting, as in
/// the forward walk.
async fn run_deletes(
    deletes: &[&ResourceChange],
    providers: HashMap<String, Arc<dyn Provider>>,
    state_only: HashSet<(String, String)>,
    shared: Arc<Shared>,
    parallelism: usize,
    interrupt: Option<&Interrupt>,
) -> (Vec<Diagnostic>, sched::Summary) {
    let graph = delete_graph(deletes);
    let mut deleter = Deleter {
        graph: &graph,
        deletes,
        providers,
        state_only,
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
    state_only: HashSet<(String, String)>,
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
        let provider_name = crate::config::providers::name_of(&c.provider);
        let state_only = shared.state_only(
            self.state_only
                .contains(&(provider_name.to_string(), c.type_name.clone())),
            &c.address,
            false,
        );
        jobs.spawn(c.address.clone(), async move {
            let r = delete_one(&c, provider, state_only, &shared).await;
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
    state_only: bool,
    shared: &Shared,
) -> Result<(), Diagnostic> {
    if let Some(prior) = &c.before {
        if !state_only {
            shared.before_effects(&c.address).await?;
        }
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
    let entry = JournalEntry::Remove {
        address: c.address.clone(),
    };
    let recorded = if state_only {
        shared.record_unwaited(entry)
    } else {
        shared.record(entry).await
    };
    recorded.map_err(|e| {
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

    /// Keeps journaled entries in memory, and notes each one in the provider's log
    /// (`journaled: set ADDRESS`, `journaled: remove ADDRESS`) so that tests see when a change
    /// became durable relative to the provider calls.
    struct MemJournal {
        entries: Arc<Mutex<Vec<JournalEntry>>>,
        echo: Arc<Echo>,
        /// When set, every write waits until it opens: nothing is durable meanwhile.
        gate: Option<Arc<Gate>>,
        /// Each write takes this long, so that a change that should wait for it and does not
        /// runs before it is durable.
        delay: std::time::Duration,
        /// A write that holds a change of this address fails (and every later write too).
        fail: Option<String>,
        failed: bool,
    }

    impl MemJournal {
        fn new(entries: Arc<Mutex<Vec<JournalEntry>>>, echo: Arc<Echo>) -> Self {
            MemJournal {
                entries,
                echo,
                gate: None,
                delay: std::time::Duration::ZERO,
                fail: None,
                failed: false,
            }
        }
    }

    impl Journal for MemJournal {
        fn record(&mut self, entries: &[JournalEntry]) -> Result<(), StateError> {
            if let Some(g) = &self.gate {
                g.wait();
            }
            std::thread::sleep(self.delay);
            let address = |e: &JournalEntry| match e {
                JournalEntry::Set { address, .. } => format!("set {address}"),
                JournalEntry::Remove { address } => format!("remove {address}"),
                _ => String::new(),
            };
            self.failed |= entries.iter().any(|e| {
                self.fail
                    .as_ref()
                    .is_some_and(|f| address(e).ends_with(&format!(" {f}")))
            });
            if self.failed {
                return Err(StateError::Other("the disk is full".to_string()));
            }
            for e in entries {
                if matches!(e, JournalEntry::Set { .. } | JournalEntry::Remove { .. }) {
                    self.echo.push(format!("journaled: {}", address(e)));
                }
            }
            if let Ok(mut e) = self.entries.lock() {
                e.extend_from_slice(entries);
            }
            Ok(())
        }
    }

    /// Holds journal writes until opened.
    #[derive(Default)]
    struct Gate {
        open: Mutex<bool>,
        opened: std::sync::Condvar,
    }

    impl Gate {
        fn wait(&self) {
            let Ok(mut open) = self.open.lock() else { return };
            while !*open {
                match self.opened.wait(open) {
                    Ok(o) => open = o,
                    Err(_) => return,
                }
            }
        }

        fn open(&self) {
            if let Ok(mut open) = self.open.lock() {
                *open = true;
            }
            self.opened.notify_all();
        }
    }

    fn shared(journal: MemJournal, dir: &std::path::Path) -> Arc<Shared> {
        Arc::new(Shared {
            journal: JournalWriter::start(Box::new(journal)),
            hash_key: HashKey::load_or_create(dir).expect("hash key"),
            entries: Mutex::new(Vec::new()),
            tally: Mutex::new(Tally::default()),
            progress: Arc::new(NoProgress),
            warnings: Mutex::new(Vec::new()),
            destroy_provisioners: BTreeMap::new(),
            root_dir: dir.to_path_buf(),
            lineage: "test-lineage".to_string(),
        })
    }

    /// The state-only types of the `echo` provider: `echo_value`.
    fn echo_state_only() -> HashSet<(String, String)> {
        crate::graph::walk::tests::echo_schema()
            .resources
            .into_iter()
            .filter(|(_, s)| s.state_only)
            .map(|(t, _)| ("echo".to_string(), t))
            .collect()
    }

    /// A planned delete of `address` (`echo_thing.NAME[KEY]` or `echo_value...`) depending on
    /// `dependencies`; `gone` means the object was found missing when refreshing.
    fn delete(address: &str, dependencies: &[&str], gone: bool) -> ResourceChange {
        let name = address.split('.').nth(1).unwrap_or_default();
        let name = name.split(['[', ' ']).next().unwrap_or_default();
        ResourceChange {
            address: address.to_string(),
            module: Vec::new(),
            mode: Mode::Managed,
            type_name: address.split('.').next().unwrap_or_default().to_string(),
            name: name.to_string(),
            key: crate::addrs::Key::None,
            provider: "echo".to_string(),
            action: Action::Delete,
            before: (!gone).then(|| Value::Map(plinth_sdk::Map::new())),
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
        run_with(changes, echo, parallelism, threads, |j| j)
    }

    /// [`run`] with the journal as `journal` makes it; the journal is flushed before the
    /// removals are read (so a gated journal must be opened by then).
    fn run_with(
        changes: &[ResourceChange],
        echo: Echo,
        parallelism: usize,
        threads: usize,
        journal: impl FnOnce(MemJournal) -> MemJournal,
    ) -> Deleted {
        let dir = tempfile::tempdir().expect("temporary directory");
        let entries = Arc::new(Mutex::new(Vec::new()));
        let echo = Arc::new(echo);
        let shared = shared(journal(MemJournal::new(entries.clone(), echo.clone())), dir.path());
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
        let (diags, _) = rt.block_on(run_deletes(
            &deletes,
            providers,
            echo_state_only(),
            shared.clone(),
            parallelism,
            None,
        ));
        rt.block_on(shared.journal.flush()).expect("everything journaled");
        let calls = echo.log();
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
            calls,
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
    fn state_only_deletes_do_not_wait_for_the_journal() {
        // c depends on b, b on a: deleted c, b, a, each without waiting for the journal, which
        // holds every write until the walk is over.
        let changes = [
            delete("echo_value.a", &[], false),
            delete("echo_value.b", &["echo_value.a"], false),
            delete("echo_value.c", &["echo_value.b"], false),
        ];
        let dir = tempfile::tempdir().expect("temporary directory");
        let echo = Arc::new(Echo::default());
        let gate = Arc::new(Gate::default());
        let mut journal = MemJournal::new(Arc::default(), echo.clone());
        journal.gate = Some(gate.clone());
        let shared = shared(journal, dir.path());
        let providers: HashMap<String, Arc<dyn Provider>> =
            [("echo".to_string(), echo.clone() as Arc<dyn Provider>)].into();
        let deletes: Vec<&ResourceChange> = changes.iter().collect();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("runtime");
        let walked = rt.block_on(async {
            tokio::time::timeout(
                std::time::Duration::from_secs(10),
                run_deletes(&deletes, providers, echo_state_only(), shared.clone(), 4, None),
            )
            .await
        });
        let before_durable = echo.log();
        gate.open();
        let (diags, _) = walked.expect("the deletes did not wait for the journal");
        assert!(diags.is_empty(), "{diags:?}");
        rt.block_on(shared.journal.flush()).expect("everything journaled");
        expect![[r#"
            delete echo_value.c
            delete echo_value.c: done
            delete echo_value.b
            delete echo_value.b: done
            delete echo_value.a
            delete echo_value.a: done
            --- the journal opens
            journaled: remove echo_value.c
            journaled: remove echo_value.b
            journaled: remove echo_value.a
        "#]]
        .assert_eq(&format!(
            "{}\n--- the journal opens\n{}\n",
            before_durable.join("\n"),
            echo.log()[before_durable.len()..].join("\n")
        ));
    }

    #[test]
    fn a_delete_with_effects_waits_for_the_state_only_removals_before_it() {
        // The value depends on the thing: it goes first, without waiting; the thing's delete
        // starts only once the value's removal is durable, though each write takes 20 ms.
        let changes = [
            delete("echo_thing.x", &[], false),
            delete("echo_value.v", &["echo_thing.x"], false),
        ];
        let d = run_with(&changes, Echo::default(), 4, 1, |mut j| {
            j.delay = std::time::Duration::from_millis(20);
            j
        });
        assert!(d.diags.is_empty(), "{:?}", d.diags);
        expect![[r#"
            delete echo_value.v
            delete echo_value.v: done
            journaled: remove echo_value.v
            delete echo_thing.x
            delete echo_thing.x: done
            journaled: remove echo_thing.x"#]]
        .assert_eq(&d.calls.join("\n"));
    }

    /// Creates the resources at `addresses`, which `hcl` declares, through the apply runner on
    /// one thread, with a journal as `journal` makes it, and gives up after 10 s (a walk waiting
    /// for a gated journal would never end). Returns the provider's and the journal's log when
    /// the walk ended, its diagnostics, and the shared state (to flush the journal after).
    fn create_all(
        hcl: &str,
        addresses: &[&str],
        journal: impl FnOnce(MemJournal) -> MemJournal,
    ) -> (Vec<String>, Vec<Diagnostic>, Arc<Shared>, Arc<Echo>) {
        let echo = Arc::new(Echo::default());
        let f = crate::graph::walk::tests::Fixture::new(&[("main.hcl", hcl)], echo.clone());
        let shared = shared(journal(MemJournal::new(Arc::default(), echo.clone())), f.dir.path());
        let create = |address: &&str| ResourceChange {
            action: Action::Create,
            after: Some(Value::Unknown),
            ..delete(address, &[], true)
        };
        let runner = Arc::new(ApplyRunner {
            changes: Mutex::new(addresses.iter().map(|a| (a.to_string(), Box::new(create(a)))).collect()),
            hashes: HashMap::new(),
            tainted: HashSet::new(),
            shared: shared.clone(),
        });
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let ctx = f.context(4);
        let walked =
            rt.block_on(async { tokio::time::timeout(std::time::Duration::from_secs(10), walk(&ctx, runner)).await });
        let log = echo.log();
        let diags = match walked {
            Ok((outcome, _)) => outcome.diags.0,
            Err(_) => vec![Diagnostic::error("the walk did not end in 10 s")],
        };
        (log, diags, shared, echo)
    }

    const CHAIN: &str = r#"
resource "TYPE" "a" {
  value = "a"
}
resource "TYPE" "b" {
  value = "${TYPE.a.value}b"
}
resource "TYPE" "c" {
  value = "${TYPE.b.value}c"
}
"#;

    #[test]
    fn each_link_of_a_chain_with_effects_is_durable_before_the_next_starts() {
        let hcl = CHAIN.replace("TYPE", "echo_thing");
        let (log, diags, _, _) = create_all(&hcl, &["echo_thing.a", "echo_thing.b", "echo_thing.c"], |mut j| {
            j.delay = std::time::Duration::from_millis(20);
            j
        });
        assert!(diags.is_empty(), "{diags:?}");
        expect![[r#"
            apply echo_thing.a
            apply echo_thing.a: done
            journaled: set echo_thing.a
            apply echo_thing.b
            apply echo_thing.b: done
            journaled: set echo_thing.b
            apply echo_thing.c
            apply echo_thing.c: done
            journaled: set echo_thing.c"#]]
        .assert_eq(&log.join("\n"));
    }

    #[test]
    fn a_state_only_chain_does_not_wait_for_the_journal() {
        // The journal holds every write until the walk is over: the chain is made all the same,
        // and its changes are journaled after, in order.
        let hcl = CHAIN.replace("TYPE", "echo_value");
        let gate = Arc::new(Gate::default());
        let g = gate.clone();
        let (log, diags, shared, echo) =
            create_all(&hcl, &["echo_value.a", "echo_value.b", "echo_value.c"], |mut j| {
                j.gate = Some(g);
                j
            });
        gate.open();
        assert!(diags.is_empty(), "{diags:?}");
        let rt = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
        rt.block_on(shared.journal.flush()).expect("everything journaled");
        expect![[r#"
            apply echo_value.a
            apply echo_value.a: done
            apply echo_value.b
            apply echo_value.b: done
            apply echo_value.c
            apply echo_value.c: done
            --- the journal opens
            journaled: set echo_value.a
            journaled: set echo_value.b
            journaled: set echo_value.c
        "#]]
        .assert_eq(&format!(
            "{}\n--- the journal opens\n{}\n",
            log.join("\n"),
            echo.log()[log.len()..].join("\n")
        ));
        let values: Vec<String> = shared
            .entries
            .lock()
            .map(|e| {
                e.iter()
                    .filter_map(|(journaled, e)| match e {
                        JournalEntry::Set { address, resource } if *journaled => {
                            Some(format!("{address} = {}", resource.attributes["value"]))
                        }
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(
            values,
            [
                r#"echo_value.a = "a""#,
                r#"echo_value.b = "ab""#,
                r#"echo_value.c = "abc""#
            ]
        );
    }

    #[test]
    fn a_change_with_effects_waits_for_the_state_only_changes_before_it() {
        // a (state-only) <- f (effects) <- c (state-only): f starts only once a is durable, though
        // each write takes 20 ms; c, after f, is journaled after the walk.
        let hcl = r#"
resource "echo_value" "a" {
  value = "a"
}
resource "echo_thing" "f" {
  value = "${echo_value.a.value}f"
}
resource "echo_value" "c" {
  value = "${echo_thing.f.value}c"
}
"#;
        let (_, diags, shared, echo) = create_all(hcl, &["echo_value.a", "echo_thing.f", "echo_value.c"], |mut j| {
            j.delay = std::time::Duration::from_millis(20);
            j
        });
        assert!(diags.is_empty(), "{diags:?}");
        let rt = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
        rt.block_on(shared.journal.flush()).expect("everything journaled");
        expect![[r#"
            apply echo_value.a
            apply echo_value.a: done
            journaled: set echo_value.a
            apply echo_thing.f
            apply echo_thing.f: done
            journaled: set echo_thing.f
            apply echo_value.c
            apply echo_value.c: done
            journaled: set echo_value.c"#]]
        .assert_eq(&echo.log().join("\n"));
    }

    #[test]
    fn a_state_only_type_with_a_provisioner_waits_like_any_other() {
        // The provisioner is an effect outside the state: a is durable before b starts.
        let hcl = r#"
resource "echo_value" "a" {
  value = "a"
  provisioner "local-exec" {
    command = "true"
  }
}
resource "echo_value" "b" {
  value = "${echo_value.a.value}b"
}
"#;
        let (log, diags, _, _) = create_all(hcl, &["echo_value.a", "echo_value.b"], |mut j| {
            j.delay = std::time::Duration::from_millis(20);
            j
        });
        assert!(diags.is_empty(), "{diags:?}");
        expect![[r#"
            apply echo_value.a
            apply echo_value.a: done
            journaled: set echo_value.a
            apply echo_value.b
            apply echo_value.b: done"#]]
        .assert_eq(&log.join("\n"));
    }

    #[test]
    fn a_failed_write_of_a_state_only_change_stops_the_changes_with_effects_after_it() {
        // a's write fails after the chain went on: f, which has effects, does not start, and a
        // is named as not recorded.
        let hcl = r#"
resource "echo_value" "a" {
  value = "a"
}
resource "echo_thing" "f" {
  value = "${echo_value.a.value}f"
}
"#;
        let (log, diags, shared, _) = create_all(hcl, &["echo_value.a", "echo_thing.f"], |mut j| {
            j.fail = Some("echo_value.a".to_string());
            j
        });
        assert_eq!(log, ["apply echo_value.a", "apply echo_value.a: done"]);
        let shown: Vec<&str> = diags.iter().map(|d| d.summary.as_str()).collect();
        assert_eq!(
            shown,
            ["echo_thing.f: not started: the changes before it could not be recorded in state: the disk is full"]
        );
        let rt = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
        assert!(rt.block_on(shared.journal.flush()).is_err());
        assert_eq!(shared.journal.unrecorded(), ["echo_value.a"]);
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
