//! Executing a plan: deletes in reverse dependency order, then creates, updates and replaces in
//! dependency order, in parallel up to `--parallelism`.
//!
//! Apply makes no choice the plan did not show: each instance's configuration is evaluated again
//! (now that what it depends on is known), planned again by its provider, and refused when the
//! result is not what the plan said. Every finished change is written to the state journal before
//! anything that depends on it starts (group commit: one fsync covers every change that finished
//! meanwhile), so a crash or kill loses no finished change. At the end the state is persisted as
//! one snapshot.

pub mod journal;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use plinth_sdk::plan::same;
use plinth_sdk::{ApplyRequest, PlanRequest, Provider, Schema, Value};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::addrs::StateKey;
use crate::config::Mode;
use crate::diag::{Diagnostic, Diagnostics};
use crate::graph::walk::{InstanceJob, JobFuture, Runner, WalkContext, walk};
use crate::plan::walk::{Session, apply_ignore_changes, decide_action, provider_error, read_data, target_nodes};
use crate::plan::{Action, Plan, ResourceChange};
use crate::secrets::HashKey;
use crate::state::values::{restore_sensitive, schema_sensitive_paths, to_stored};
use crate::state::{Backend, JournalEntry, OutputState, ResourceState, State};
use journal::JournalWriter;

/// What an apply did.
#[derive(Debug, Default)]
pub struct ApplyReport {
    pub added: usize,
    pub changed: usize,
    pub destroyed: usize,
    pub diags: Diagnostics,
    /// Root outputs after apply: value (marked) and sensitive flag.
    pub outputs: BTreeMap<String, (Value, bool)>,
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
    added: usize,
    changed: usize,
    destroyed: usize,
}

impl Tally {
    fn count(&mut self, action: Action) {
        match action {
            Action::Create => self.added += 1,
            Action::Update => self.changed += 1,
            Action::DeleteThenCreate | Action::CreateThenDelete => {
                self.added += 1;
                self.destroyed += 1;
            }
            Action::Delete => self.destroyed += 1,
            Action::NoOp | Action::Read => {}
        }
    }
}

/// Shared by every task of one apply.
struct Shared {
    journal: JournalWriter,
    hash_key: HashKey,
    /// Journaled and refreshed entries, applied to the in-memory state at the end.
    entries: Mutex<Vec<JournalEntry>>,
    tally: Mutex<Tally>,
    progress: Arc<dyn Progress>,
}

impl Shared {
    async fn record(&self, entry: JournalEntry) -> Result<(), String> {
        self.journal.record(entry.clone()).await?;
        if let Ok(mut e) = self.entries.lock() {
            e.push(entry);
        }
        Ok(())
    }

    fn remember(&self, entry: JournalEntry) {
        if let Ok(mut e) = self.entries.lock() {
            e.push(entry);
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
    shared: Arc<Shared>,
}

impl ApplyRunner {
    async fn apply_instance(&self, mut job: InstanceJob) -> Result<Value, Diagnostic> {
        // The parallelism slot is for provider work; waiting for the journal's fsync does not
        // need it, and giving it back lets more changes share one fsync.
        let permit = std::sync::Mutex::new(job.permit.take());
        let address = job.address.clone();
        let meta = job.meta.clone();
        let schema = &meta.schema;
        let sensitive_paths = {
            let mut p = job.config.sensitive_paths();
            p.extend(schema_sensitive_paths(schema));
            p
        };
        if meta.mode == Mode::Data {
            return read_data(&job).await.map(|v| v.mark_paths(&sensitive_paths));
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
        let prior = change
            .before
            .clone()
            .map(|p| restore_sensitive(p, hashes, &job.config, &self.shared.hash_key));
        let mut config = job.config.clone();
        if let Some(p) = &prior {
            config = apply_ignore_changes(config, p, &meta.ignore_changes, schema);
        }
        let resp = job
            .provider
            .plan(PlanRequest {
                type_name: meta.type_name.clone(),
                address: address.clone(),
                prior: prior.clone(),
                config: config.clone(),
            })
            .await
            .map_err(|e| provider_error(&address, "planning", &e))?;
        let planned = resp.planned.mark_paths(&sensitive_paths);
        let action = decide_action(
            prior.as_ref(),
            &planned,
            &resp.requires_replace,
            &meta,
            hashes,
            &self.shared.hash_key,
        );
        let saved_after = change.after.clone().unwrap_or(Value::Null);
        if action != change.action || !agrees(&saved_after, &planned) {
            return Err(Diagnostic::error(format!("{address}: the plan no longer holds"))
                .with_detail(format!(
                    "the plan said {:?} but applying would now {:?} with different values; something changed since the plan was made: run plan again",
                    change.action, action
                ))
                .with_address(address));
        }
        let provider = job.provider.clone();
        let apply = |prior: Option<Value>, planned: Option<Value>| {
            let provider = provider.clone();
            let req = ApplyRequest {
                type_name: meta.type_name.clone(),
                address: address.clone(),
                prior,
                planned,
                config: config.clone(),
            };
            async move { provider.apply(req).await }
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
        let result: Result<Value, Diagnostic> = async {
            match action {
                Action::NoOp | Action::Read => {
                    self.shared.remember(set(&planned));
                    Ok(planned.clone())
                }
                Action::Create | Action::Update => {
                    let prior_for_apply = if action == Action::Create { None } else { prior.clone() };
                    let resp = apply(prior_for_apply, Some(planned.clone())).await.map_err(|e| {
                        provider_error(
                            &address,
                            if action == Action::Create {
                                "creating"
                            } else {
                                "updating"
                            },
                            &e,
                        )
                    })?;
                    let new = resp.new_state.unwrap_or(Value::Null).mark_paths(&sensitive_paths);
                    record(set(&new)).await?;
                    Ok(new)
                }
                Action::DeleteThenCreate => {
                    apply(prior.clone(), None)
                        .await
                        .map_err(|e| provider_error(&address, "deleting (for replacement)", &e))?;
                    record(JournalEntry::Remove {
                        address: address.clone(),
                    })
                    .await?;
                    let resp = apply(None, Some(planned.clone()))
                        .await
                        .map_err(|e| provider_error(&address, "creating (replacement)", &e))?;
                    let new = resp.new_state.unwrap_or(Value::Null).mark_paths(&sensitive_paths);
                    record(set(&new)).await?;
                    Ok(new)
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
                    let resp = apply(None, Some(planned.clone()))
                        .await
                        .map_err(|e| provider_error(&address, "creating (replacement)", &e))?;
                    let new = resp.new_state.unwrap_or(Value::Null).mark_paths(&sensitive_paths);
                    record(set(&new)).await?;
                    apply(prior.clone(), None)
                        .await
                        .map_err(|e| provider_error(&deposed, "deleting the replaced object", &e))?;
                    record(JournalEntry::Remove { address: deposed }).await?;
                    Ok(new)
                }
                Action::Delete => Err(Diagnostic::error(format!(
                    "{address}: unexpected delete in the forward walk"
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

/// Applies `plan` against `state`, recording into `backend`. The state lock must be held.
pub async fn apply(
    session: &Session<'_>,
    plan: &Plan,
    backend: &dyn Backend,
    state: &mut State,
    progress: Arc<dyn Progress>,
) -> ApplyReport {
    let mut report = ApplyReport::default();
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
    });
    let to_do = plan
        .changes
        .iter()
        .filter(|c| !matches!(c.action, Action::NoOp))
        .count();
    progress.start(to_do);

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
            let diags = run_deletes(
                &deletes,
                ctx.providers.instances.clone(),
                shared.clone(),
                ctx.parallelism,
            )
            .await;
            report.diags.extend(diags);
        }
    }

    if !plan.destroy && !report.diags.has_errors() {
        let runner = Arc::new(ApplyRunner {
            changes: plan
                .changes
                .iter()
                .filter(|c| c.action != Action::Delete)
                .map(|c| (c.address.clone(), c.clone()))
                .collect(),
            hashes: state
                .resources
                .iter()
                .map(|(a, r)| (a.clone(), r.sensitive.clone()))
                .collect(),
            shared: shared.clone(),
        });
        let walk_ctx = WalkContext {
            config: ctx.config,
            graph: ctx.graph,
            providers: ctx.providers,
            root_vars: ctx.root_vars,
            env_name: ctx.env_name,
            root_dir: ctx.root_dir,
            parallelism: ctx.parallelism,
            include: target_nodes(ctx.graph, &plan.targets),
            resources: true,
            planning: false,
        };
        let (outcome, _) = walk(&walk_ctx, runner).await;
        report.diags.extend(outcome.diags.0);
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

    let entries = shared
        .entries
        .lock()
        .map(|mut e| std::mem::take(&mut *e))
        .unwrap_or_default();
    for e in entries {
        state.apply_entry(e);
    }
    if let Err(e) = backend.persist(state) {
        report.diags.push(
            Diagnostic::error(format!("Cannot write the state snapshot: {e}"))
                .with_detail("every finished change is in the state journal, which the next command replays"),
        );
    }
    if let Ok(t) = shared.tally.lock() {
        report.added = t.added;
        report.changed = t.changed;
        report.destroyed = t.destroyed;
    }
    report
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
        config: ctx.config,
        graph: ctx.graph,
        providers: ctx.providers,
        root_vars: ctx.root_vars,
        env_name: ctx.env_name,
        root_dir: ctx.root_dir,
        parallelism: ctx.parallelism,
        include: provider_nodes(ctx),
        resources: false,
        planning: false,
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
    let mut stack: Vec<NodeIndex> = g
        .node_indices()
        .filter(|i| matches!(g[*i].kind, crate::graph::NodeKind::Provider(_)))
        .collect();
    let mut seen = HashSet::new();
    while let Some(i) = stack.pop() {
        if seen.insert(i) {
            stack.extend(g.neighbors_directed(i, Direction::Incoming));
        }
    }
    Some(seen)
}

struct NeverRunner;

impl Runner for NeverRunner {
    fn run(self: Arc<Self>, job: InstanceJob) -> JobFuture {
        Box::pin(async move { Err(Diagnostic::error(format!("{}: not expected here", job.address))) })
    }
}

/// Deletes instances in reverse dependency order: an instance goes only after every instance that
/// depends on it. A resource-level barrier node per dependency keeps the graph linear.
async fn run_deletes(
    deletes: &[&ResourceChange],
    providers: HashMap<String, Arc<dyn Provider>>,
    shared: Arc<Shared>,
    parallelism: usize,
) -> Vec<Diagnostic> {
    enum Item {
        Delete(usize),
        Barrier,
    }
    let mut g: DiGraph<Item, ()> = DiGraph::new();
    let mut barriers: HashMap<String, NodeIndex> = HashMap::new();
    let nodes: Vec<NodeIndex> = (0..deletes.len()).map(|i| g.add_node(Item::Delete(i))).collect();
    for (i, c) in deletes.iter().enumerate() {
        // The barrier of a resource waits for the deletes of its dependents, then releases its
        // own instances.
        let own = match StateKey::parse(&c.address) {
            Ok(k) => k.instance.static_string(),
            Err(_) => c.address.clone(),
        };
        let b = *barriers.entry(own).or_insert_with(|| g.add_node(Item::Barrier));
        g.add_edge(b, nodes[i], ());
        for d in &c.dependencies {
            let b = *barriers.entry(d.clone()).or_insert_with(|| g.add_node(Item::Barrier));
            g.add_edge(nodes[i], b, ());
        }
    }
    let mut indeg: Vec<usize> = g
        .node_indices()
        .map(|i| g.neighbors_directed(i, Direction::Incoming).count())
        .collect();
    let mut failed_up = vec![false; g.node_count()];
    let mut ready: Vec<NodeIndex> = g.node_indices().filter(|i| indeg[i.index()] == 0).collect();
    let sem = Arc::new(Semaphore::new(parallelism.max(1)));
    let mut set: JoinSet<(NodeIndex, Result<(), Diagnostic>)> = JoinSet::new();
    let mut diags = Vec::new();
    loop {
        while let Some(n) = ready.pop() {
            let ok = !failed_up[n.index()];
            match (&g[n], ok) {
                (Item::Delete(i), true) => {
                    let c = deletes[*i].clone();
                    let provider = providers.get(&c.provider).cloned();
                    let shared = shared.clone();
                    let sem = sem.clone();
                    set.spawn(async move {
                        let _permit = sem.acquire_owned().await;
                        let r = delete_one(&c, provider, &shared).await;
                        shared.finished(&c.address, Action::Delete, r.is_ok());
                        (n, r)
                    });
                    continue;
                }
                _ => release(&g, n, ok, &mut indeg, &mut failed_up, &mut ready),
            }
        }
        let Some(res) = set.join_next().await else { break };
        match res {
            Ok((n, r)) => {
                let ok = r.is_ok();
                if let Err(d) = r {
                    diags.push(d);
                }
                release(&g, n, ok, &mut indeg, &mut failed_up, &mut ready);
            }
            Err(e) => diags.push(Diagnostic::error(format!("internal error: a delete task failed: {e}"))),
        }
    }
    diags
}

fn release<N>(
    g: &DiGraph<N, ()>,
    n: NodeIndex,
    ok: bool,
    indeg: &mut [usize],
    failed_up: &mut [bool],
    ready: &mut Vec<NodeIndex>,
) {
    for d in g.neighbors_directed(n, Direction::Outgoing) {
        if !ok {
            failed_up[d.index()] = true;
        }
        indeg[d.index()] -= 1;
        if indeg[d.index()] == 0 {
            ready.push(d);
        }
    }
}

async fn delete_one(
    c: &ResourceChange,
    provider: Option<Arc<dyn Provider>>,
    shared: &Shared,
) -> Result<(), Diagnostic> {
    if let Some(prior) = &c.before {
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
