//! Planning: refresh prior state (batched per resource type), walk the graph asking each provider
//! to plan each instance, then plan deletes for instances the configuration no longer has.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use petgraph::graph::NodeIndex;
use plinth_sdk::plan::{default_plan, same};
use plinth_sdk::{
    AttrPath, ErrorKind, ImportRequest, PlanRequest, Provider, ReadDataRequest, ReadInstance, ReadRequest, Schema,
    Value,
};
use tokio::sync::OnceCell;

use super::import::ImportTarget;
use super::{Action, OutputChange, Plan, ResourceChange};
use crate::addrs::{Address, InstanceRef, Key, ModInst, ResourceInstance, StateKey, path_prefix};
use crate::config::{IgnoreChanges, Mode};
use crate::diag::{Diagnostic, Diagnostics};
use crate::graph::scope::Values;
use crate::graph::walk::{InstanceJob, JobFuture, Runner, WalkContext, walk};
use crate::graph::{Graph, NodeKind};
use crate::secrets::HashKey;
use crate::state::values::{eq_redacted, from_stored, restore_sensitive, schema_sensitive_paths, without_write_only};
use crate::state::{ResourceState, State};

/// How to plan.
#[derive(Clone, Debug, Default)]
pub struct PlanOptions {
    /// Read live values of existing instances first (`--refresh=false` turns it off).
    pub refresh: bool,
    /// Plan to delete everything (`plinth destroy`).
    pub destroy: bool,
    /// `--target` addresses.
    pub targets: Vec<Address>,
    /// The plan is not saved to a file: its changes keep no `config`, which only a plan file
    /// holds (apply evaluates the configuration again). A no-op plan of 100,000 instances holds
    /// 100,000 configurations less.
    pub unsaved: bool,
}

/// A resource whose live value differs from what state recorded.
#[derive(Clone, Debug, PartialEq)]
pub struct Drift {
    pub address: String,
    pub type_name: String,
    /// What state recorded.
    pub recorded: Value,
    /// What the platform has now; `None` when the object is gone.
    pub live: Option<Value>,
    /// Sensitive attributes whose live value no longer has the recorded hash (their values are
    /// never compared or shown in clear).
    pub sensitive_changed: Vec<AttrPath>,
}

/// Everything planning produced.
#[derive(Debug)]
pub struct PlanResult {
    pub plan: Plan,
    pub drift: Vec<Drift>,
    pub diags: Diagnostics,
}

/// The fixed inputs of a plan or apply: configuration, graph, providers, variables, state.
pub struct Session<'a> {
    pub walk: WalkContext<'a>,
    pub state: &'a State,
    pub hash_key: HashKey,
}

/// Live values by address (`None`: the object is gone). Each is taken by the one [`PlanRunner::prior`]
/// call for its address, so that the refreshed values are not kept twice while planning.
type RefreshMap = Mutex<HashMap<String, Option<Value>>>;

/// The most instances one refresh read asks for. The stored instances of one (provider key, type)
/// are read in batches of this many, in the order the walk plans them, each when the first of its
/// instances is planned: a read's request copies the recorded values and its answer holds the live
/// ones until each instance is planned, so reading all 100,000 instances of a type at once held
/// 100,000 of both. Batched APIs take far fewer per call (EC2 describes 200 ids at a time).
const REFRESH_BATCH: usize = 1_000;

/// One batch of a refresh group: stored addresses of one (provider key, type) and, once read,
/// their live values (or the error each of them reports).
struct RefreshBatch {
    /// Taken by the read (the refresh map keeps the addresses until each instance is planned).
    addrs: Mutex<Vec<String>>,
    read: OnceCell<Result<RefreshMap, String>>,
}

/// What the planner keeps of one recorded instance: its value as planning sees it (the stored
/// attributes converted once, by [`from_stored`]) and the bookkeeping beside it. Built from the
/// prior state without copying its JSON.
struct Record {
    /// The provider configuration key (`local`, `aws.west`) and the type: one copy per refresh
    /// group, shared by its instances.
    group: Arc<(String, String)>,
    /// The refresh batch it is read in (a managed instance's), by index.
    batch: Option<u32>,
    /// Copied into the refresh request, taken by the one [`PlanRunner::prior`] call for the
    /// instance (so that it is not kept once planned).
    value: Mutex<Option<Value>>,
    sensitive: BTreeMap<String, String>,
    tainted: bool,
}

impl Record {
    fn of(rs: &ResourceState, group: Arc<(String, String)>) -> Record {
        Record {
            group,
            batch: None,
            value: Mutex::new(Some(from_stored(rs))),
            sensitive: rs.sensitive.clone(),
            tainted: rs.tainted,
        }
    }

    /// The recorded value, for the one caller that plans the instance; `None` if it was taken.
    fn take(&self) -> Option<Value> {
        self.value.lock().ok()?.take()
    }
}

struct PlanRunner {
    /// The prior state's instances, by state key.
    records: HashMap<String, Record>,
    providers: HashMap<String, Arc<dyn Provider>>,
    schemas: HashMap<(String, String), Arc<Schema>>,
    /// The refresh reads: every stored managed instance of a (provider key, type) in batches of
    /// at most [`REFRESH_BATCH`].
    batches: Vec<RefreshBatch>,
    refresh: bool,
    /// `--target` addresses.
    targets: Vec<Address>,
    /// [`PlanOptions::unsaved`]: record no `config` in the changes.
    unsaved: bool,
    hash_key: HashKey,
    changes: Mutex<Vec<ResourceChange>>,
    /// The positions in `changes` of the no-ops planned as they were, whose `before` is the walk's
    /// value of the instance: it is kept once, by the walk (other instances may refer to it),
    /// and moved into the change when the walk is over ([`fill_from_walk`]).
    before_from_walk: Mutex<Vec<usize>>,
    /// The module instances of the changes planned so far that do something (not no-ops), by
    /// static resource address (`module.m.local_file.a`): what defers a data source's read.
    pending: Mutex<HashMap<String, Vec<ModInst>>>,
    drift: Mutex<Vec<Drift>>,
    /// What `import` blocks adopt, by instance address (none already in state).
    imports: HashMap<String, ImportTarget>,
}

/// The reason recorded for instances left alone because another instance was targeted.
pub const EXCLUDED: &str = "excluded by --target";

/// The reason recorded for the replacement of a tainted instance (one whose create did not
/// finish, or that `plinth taint` marked).
pub const TAINTED: &str = "tainted";

/// The reason recorded for a data source read during apply because its configuration holds
/// values known only then (Terraform's `read_because_config_unknown`).
pub const CONFIG_UNKNOWN: &str = "configuration known only after apply";

/// The reason recorded for a data source read during apply because something it depends on
/// has a change in this plan (Terraform's `read_because_dependency_pending`).
pub const DEPENDENCY_PENDING: &str = "a dependency has changes pending";

impl PlanRunner {
    fn record(&self, change: ResourceChange) {
        if change.action != Action::NoOp
            && let Ok(mut p) = self.pending.lock()
        {
            let names: Vec<String> = change.module.iter().map(|(n, _)| n.clone()).collect();
            let local = crate::addrs::local_address(change.mode, &change.type_name, &change.name);
            p.entry(format!("{}{local}", path_prefix(&names)))
                .or_default()
                .push(change.module.clone());
        }
        if let Ok(mut c) = self.changes.lock() {
            c.push(change);
        }
    }

    /// Records a no-op whose `before` is its planned value, kept by the walk until it is over.
    fn record_before_from_walk(&self, change: ResourceChange) {
        if let Ok(mut c) = self.changes.lock()
            && let Ok(mut from_walk) = self.before_from_walk.lock()
        {
            from_walk.push(c.len());
            c.push(change);
        }
    }

    /// Whether a resource the data source of `job` reads after (`ResourceMeta::read_after`) has
    /// a change planned in the same module instance (or, for one inside a module the data source
    /// depends on, in any instance of that module).
    fn dependency_pending(&self, job: &InstanceJob) -> bool {
        let Ok(pending) = self.pending.lock() else {
            return false;
        };
        job.meta.read_after.iter().any(|dep| {
            pending
                .get(dep)
                .is_some_and(|instances| instances.iter().any(|mi| same_instances(mi, &job.module)))
        })
    }

    /// True when a target names another instance of this instance's resource (but not this one).
    fn excluded(&self, inst: InstanceRef<'_>) -> bool {
        if self.targets.is_empty() || targeted(inst, &self.targets) {
            return false;
        }
        self.targets.iter().any(|t| t.picks_instances_of(inst))
    }

    /// The refreshed prior value of `address` (`None`: no such object), with sensitive marks.
    async fn prior(&self, address: &str) -> Result<Option<Value>, Diagnostic> {
        let Some(rs) = self.records.get(address) else {
            return Ok(None);
        };
        // Each instance is planned once (a walk instance, or a delete of one the configuration
        // no longer has), so its recorded and live values are taken, not copied.
        let recorded = || {
            rs.take().ok_or_else(|| {
                Diagnostic::error(format!(
                    "internal error: the prior state of {address} was asked for twice"
                ))
                .with_address(address.to_string())
            })
        };
        if !self.refresh {
            return recorded().map(Some);
        }
        let key = &*rs.group;
        let Some(batch) = rs.batch.and_then(|b| self.batches.get(b as usize)) else {
            return recorded().map(Some);
        };
        let map = batch
            .read
            .get_or_init(|| {
                let addrs = batch
                    .addrs
                    .lock()
                    .map(|mut a| std::mem::take(&mut *a))
                    .unwrap_or_default();
                self.read_group(&key.0, &key.1, addrs)
            })
            .await;
        let map = map
            .as_ref()
            .map_err(|e| Diagnostic::error(e.clone()).with_address(address.to_string()))?;
        let recorded = recorded()?;
        let live = map
            .lock()
            .ok()
            .and_then(|mut m| {
                let live = m.remove(address);
                if m.is_empty() {
                    // Every instance of the batch is planned: free the table too.
                    *m = HashMap::new();
                }
                live
            })
            .flatten();
        let schema = self
            .schemas
            .get(&(crate::config::providers::name_of(&key.0).to_string(), key.1.clone()));
        let live = live.map(|v| {
            let mut paths: Vec<AttrPath> = rs.sensitive.keys().filter_map(|p| AttrPath::parse(p)).collect();
            if let Some(s) = schema {
                paths.extend(schema_sensitive_paths(s));
            }
            v.mark_paths(&paths)
        });
        if self.drifted(rs, &recorded, live.as_ref(), schema.map(|s| s.as_ref()))
            && let Ok(mut d) = self.drift.lock()
        {
            let sensitive_changed = live.as_ref().map(|l| self.sensitive_changed(rs, l)).unwrap_or_default();
            d.push(Drift {
                address: address.to_string(),
                type_name: key.1.clone(),
                recorded,
                live: live.clone(),
                sensitive_changed,
            });
        }
        Ok(live)
    }

    fn sensitive_changed(&self, rs: &Record, live: &Value) -> Vec<AttrPath> {
        rs.sensitive
            .iter()
            .filter_map(|(p, h)| {
                let path = AttrPath::parse(p)?;
                let v = live.at(&path)?;
                (!v.is_null() && &self.hash_key.hash(v) != h).then_some(path)
            })
            .collect()
    }

    fn drifted(&self, rs: &Record, recorded: &Value, live: Option<&Value>, schema: Option<&Schema>) -> bool {
        let Some(live) = live else { return true };
        let live = match schema {
            Some(s) => without_write_only(live, s),
            None => Cow::Borrowed(live),
        };
        if !eq_redacted(recorded, &live) {
            return true;
        }
        rs.sensitive.iter().any(|(p, h)| {
            AttrPath::parse(p)
                .and_then(|p| live.at(&p).cloned())
                .is_some_and(|v| !v.is_null() && &self.hash_key.hash(&v) != h)
        })
    }

    async fn read_group(&self, provider_key: &str, type_name: &str, addrs: Vec<String>) -> Result<RefreshMap, String> {
        let Some(provider) = self.providers.get(provider_key) else {
            return Err(format!(
                "no provider configuration {provider_key} to refresh {type_name} with"
            ));
        };
        let mut addresses = Vec::with_capacity(addrs.len());
        let instances: Vec<ReadInstance> = addrs
            .into_iter()
            .filter_map(|a| {
                let state = self.records.get(&a)?.value.lock().ok()?.clone()?;
                addresses.push(a.clone());
                // Marks stay: a provider can tell a redacted secret from an unset attribute.
                Some(ReadInstance { address: a, state })
            })
            .collect();
        let n = instances.len();
        let resp = provider
            .read(ReadRequest {
                type_name: type_name.to_string(),
                instances,
            })
            .await
            .map_err(|e| format!("refreshing {type_name}: {}", provider_message(&e)))?;
        if resp.states.len() != n {
            return Err(format!(
                "provider {provider_key} returned {} states for {n} {type_name} instances",
                resp.states.len()
            ));
        }
        Ok(Mutex::new(addresses.into_iter().zip(resp.states).collect()))
    }

    async fn plan_instance(&self, mut job: InstanceJob) -> Result<Value, Diagnostic> {
        let meta = &job.meta;
        let address = job.address.clone();
        let sensitive_paths = sensitive_paths(&job);
        if meta.mode == Mode::Data {
            return self.plan_data(job, sensitive_paths).await;
        }
        let prior = self.prior(&address).await?;
        let importing = self
            .imports
            .get(&address)
            .filter(|_| !self.records.contains_key(&address));
        let prior = match importing {
            Some(target) => Some(import_object(&job, target, &sensitive_paths).await?),
            None => prior,
        };
        if self.excluded(instance_of(&job)) {
            // Another instance of this resource was targeted: leave this one as it is.
            let value = prior.clone().unwrap_or(Value::Unknown);
            self.record(ResourceChange {
                reason: Some(EXCLUDED.to_string()),
                ..instance_change(&job, Action::NoOp, prior.clone(), prior)
            });
            return Ok(value);
        }
        let hashes = self
            .records
            .get(&address)
            .map(|rs| rs.sensitive.clone())
            .unwrap_or_default();
        let tainted = self.records.get(&address).is_some_and(|rs| rs.tainted);
        let triggered =
            prior.is_some() && !tainted && self.changes.lock().is_ok_and(|c| super::triggers::fired(&job, &c));
        // A triggered replacement is planned as a tainted one is: a create in place of the prior.
        let ProviderPlan {
            prior,
            planned,
            requires_replace,
            action,
            ..
        } = plan_with_provider(
            &job,
            prior,
            tainted || triggered,
            &hashes,
            &self.hash_key,
            &sensitive_paths,
        )
        .await?;
        let tainted = tainted && prior.is_some();
        if action.is_replace() && meta.prevent_destroy {
            let why = if triggered {
                "lifecycle.replace_triggered_by asks to replace it, because what it watches changes; \
                 remove prevent_destroy if replacing is intended"
                    .to_string()
            } else if tainted {
                "it is tainted (its create did not finish, or `plinth taint` marked it), so it must be replaced; \
                 fix the object and run `plinth untaint ADDRESS`, or remove prevent_destroy if replacing is intended"
                    .to_string()
            } else {
                let paths: Vec<String> = requires_replace.iter().map(|p| p.to_string()).collect();
                format!(
                    "a change to {} requires replacing it; revert that change, or remove prevent_destroy if replacing is intended",
                    paths.join(", ")
                )
            };
            return Err(Diagnostic::error(format!("Instance cannot be destroyed: {address}"))
                .with_detail(format!("{address} has lifecycle.prevent_destroy set, but {why}"))
                .with_span(meta.span.clone())
                .with_address(address.clone()));
        }
        let had_record = self.records.contains_key(&address);
        let reason = match (&prior, had_record) {
            (None, true) => Some("deleted outside Plinth".to_string()),
            _ if tainted => Some(TAINTED.to_string()),
            _ if triggered => Some(super::triggers::TRIGGERED.to_string()),
            _ if action.is_replace() => Some("cannot update in place".to_string()),
            _ => None,
        };
        // A no-op planned as it was keeps its value once (see `ResourceChange::planned`), and
        // that once is the walk's until it is over (see `before_from_walk`).
        let unchanged = action == Action::NoOp && prior.as_ref() == Some(&planned);
        let (before, after) = if unchanged {
            (None, None)
        } else {
            (prior, Some(planned.clone()))
        };
        // The job ends here: its configuration moves into the plan rather than being copied.
        let config = (!self.unsaved).then(|| std::mem::take(&mut job.config));
        let change = ResourceChange {
            config,
            requires_replace,
            reason,
            importing: importing.map(|t| t.id.clone()),
            ..instance_change(&job, action, before, after)
        };
        if unchanged {
            self.record_before_from_walk(change);
        } else {
            self.record(change);
        }
        Ok(planned)
    }

    async fn plan_data(&self, job: InstanceJob, sensitive_paths: Vec<AttrPath>) -> Result<Value, Diagnostic> {
        let meta = &job.meta;
        // Read during apply, once the configuration is known, or once what it depends on has
        // changed: Terraform's rule. An unknown configuration is the reason named when both hold.
        let reason = if job.config.contains_unknown() {
            CONFIG_UNKNOWN
        } else if self.dependency_pending(&job) {
            DEPENDENCY_PENDING
        } else {
            return Ok(read_data(&job).await?.mark_paths(&sensitive_paths));
        };
        // What is configured is shown; what the read returns is known after apply.
        let planned = default_plan(&meta.schema, None, &job.config.clone().unmark().0)
            .planned
            .mark_paths(&sensitive_paths);
        self.record(ResourceChange {
            mode: Mode::Data,
            config: (!self.unsaved).then(|| job.config.clone()),
            reason: Some(reason.to_string()),
            create_before_destroy: false,
            ..instance_change(&job, Action::Read, None, Some(planned.clone()))
        });
        Ok(planned)
    }
}

/// Runs `build` on a thread of its own and returns what it built, for a large structure that a
/// walk's tasks free piece by piece (the planner's records). Under
/// mimalloc, blocks a thread allocated and other threads free are reused by the thread that
/// allocated them; built on the thread that runs the walk's coordinator, which allocates little
/// meanwhile, a 100,000-instance re-plan kept about 25 MB more resident at its peak. The pages of
/// a thread that has ended go back to the allocator as they empty.
fn built_apart<T: Send>(build: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| s.spawn(build).join()).unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// Moves the walk's value of each change at `positions` (no-ops planned as they were, recorded
/// without a `before`) into the change's `before`: the walk is over, and the value is kept once.
fn fill_from_walk(changes: &mut [ResourceChange], positions: &[usize], values: &mut Values) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for &i in positions {
        let Some(c) = changes.get_mut(i) else { continue };
        let local = crate::addrs::local_address(c.mode, &c.type_name, &c.name);
        match values.take_instance(&c.module, &local, &c.key) {
            Some(v) => c.before = Some(v),
            None => diags.push(
                Diagnostic::error(format!(
                    "internal error: the planned value of {} was not kept",
                    c.address
                ))
                .with_address(c.address.clone()),
            ),
        }
    }
    diags
}

/// The refresh batches of `state`'s managed instances: per (provider key, type), its addresses in
/// the order the walk plans them ([`walk_order`]) cut into batches of [`REFRESH_BATCH`]; each
/// record learns its batch.
fn refresh_batches(state: &State, records: &mut HashMap<String, Record>) -> Vec<RefreshBatch> {
    let mut groups: HashMap<(&str, &str), Vec<&str>> = HashMap::new();
    for (addr, rs) in &state.resources {
        if rs.mode == "managed" {
            groups.entry((&rs.provider, &rs.type_name)).or_default().push(addr);
        }
    }
    let mut batches = Vec::new();
    for mut addrs in groups.into_values() {
        addrs.sort_by(|a, b| walk_order(a).cmp(&walk_order(b)));
        for chunk in addrs.chunks(REFRESH_BATCH) {
            for a in chunk {
                if let Some(r) = records.get_mut(*a) {
                    r.batch = u32::try_from(batches.len()).ok();
                }
            }
            batches.push(RefreshBatch {
                addrs: Mutex::new(chunk.iter().map(|a| a.to_string()).collect()),
                read: OnceCell::new(),
            });
        }
    }
    batches
}

/// A sort key putting stored addresses in the order the walk plans them, near enough for refresh
/// batches: by address, with a trailing `count` index compared as a number (`a[2]` before
/// `a[10]`, where the state's order has `a[10]` first).
fn walk_order(addr: &str) -> (&str, Option<usize>) {
    if let Some(body) = addr.strip_suffix(']')
        && let Some(open) = body.rfind('[')
        && let Ok(n) = body[open + 1..].parse::<usize>()
    {
        return (&addr[..open], Some(n));
    }
    (addr, None)
}

/// Sorts changes by address, stably, without the scratch copy of half the changes that a stable
/// sort of the vector itself allocates (18 MB for 100,000 changes, at the re-plan's peak): the
/// positions are sorted, then the changes moved into place along the permutation's cycles.
fn sort_by_address(changes: &mut [ResourceChange]) {
    sort_stably_in_place(changes, |a, b| a.address.cmp(&b.address));
}

/// A stable sort of large items that allocates only a vector of positions (see
/// [`sort_by_address`]).
fn sort_stably_in_place<T>(changes: &mut [T], cmp: impl Fn(&T, &T) -> std::cmp::Ordering) {
    let mut order: Vec<usize> = (0..changes.len()).collect();
    order.sort_by(|&a, &b| cmp(&changes[a], &changes[b]));
    // Position j takes the change at order[j]; a placed position is marked by order[j] == j.
    for i in 0..order.len() {
        let mut j = i;
        while order[j] != j {
            let k = order[j];
            order[j] = j;
            if k == i {
                break;
            }
            changes.swap(j, k);
            j = k;
        }
    }
}

/// Whether module instances `a` and `b` are the same instance along the module calls their paths
/// share: a dependency in a sibling instance (`module.m["x"]` for a data source in
/// `module.m["y"]`) does not defer a read, one in the caller or in a module called below does.
fn same_instances(a: &ModInst, b: &ModInst) -> bool {
    a.iter().zip(b).take_while(|(x, y)| x.0 == y.0).all(|(x, y)| x.1 == y.1)
}

/// A change to one instance the walk planned: who it is comes from the job, what happens to it
/// from the caller.
fn instance_change(job: &InstanceJob, action: Action, before: Option<Value>, after: Option<Value>) -> ResourceChange {
    let meta = &job.meta;
    ResourceChange {
        address: job.address.clone(),
        module: job.module.clone(),
        mode: meta.mode,
        type_name: meta.type_name.clone(),
        name: meta.name.clone(),
        key: job.key.clone(),
        provider: meta.provider_key.clone(),
        action,
        before,
        after,
        config: None,
        requires_replace: Vec::new(),
        reason: None,
        dependencies: meta.dependencies.clone(),
        create_before_destroy: meta.create_before_destroy,
        drifted: false,
        importing: None,
        previous_address: None,
    }
}

/// What a re-planned instance needs: create without prior, replace (in the lifecycle's order)
/// when a force-new path changed, no-op when the planned value equals the prior — a redacted
/// secret the provider computed (a hash of secret content, say) counts as equal when the planned
/// value has the stored hash — and otherwise an update. Shared by plan and apply, so both decide
/// alike.
pub fn decide_action(
    prior: Option<&Value>,
    planned: &Value,
    requires_replace: &[AttrPath],
    meta: &crate::graph::walk::ResourceMeta,
    hashes: &std::collections::BTreeMap<String, String>,
    key: &HashKey,
) -> Action {
    let schema = &meta.schema;
    match prior {
        None => Action::Create,
        Some(_) if !requires_replace.is_empty() => {
            if meta.create_before_destroy {
                Action::CreateThenDelete
            } else {
                Action::DeleteThenCreate
            }
        }
        Some(p) if unchanged(p, planned, schema, hashes, key) => Action::NoOp,
        Some(_) => Action::Update,
    }
}

/// Whether `planned` is `prior` (its secrets restored from their hashes, write-only attributes left
/// out on both sides). Only a prior with secrets is copied to restore them.
fn unchanged(
    prior: &Value,
    planned: &Value,
    schema: &Schema,
    hashes: &std::collections::BTreeMap<String, String>,
    key: &HashKey,
) -> bool {
    let restored = if hashes.is_empty() {
        Cow::Borrowed(prior)
    } else {
        Cow::Owned(restore_sensitive(prior.clone(), hashes, planned, key))
    };
    same(
        &without_write_only(&restored, schema),
        &without_write_only(planned, schema),
    )
}

/// The paths of an instance that hold sensitive values: those the configuration marks and those
/// the provider's schema declares.
pub fn sensitive_paths(job: &InstanceJob) -> Vec<AttrPath> {
    let mut p = job.config.sensitive_paths();
    p.extend(schema_sensitive_paths(&job.meta.schema));
    p
}

/// One managed instance as its provider plans it now. Plan and apply both ask (apply to check
/// that the saved plan still holds), so the steps from the prior state to the action are here once.
pub struct ProviderPlan {
    /// The prior state with its sensitive values restored from their hashes.
    pub prior: Option<Value>,
    /// The configuration after `lifecycle.ignore_changes`.
    pub config: Value,
    /// The provider's planned value, with its sensitive paths marked.
    pub planned: Value,
    pub requires_replace: Vec<AttrPath>,
    pub action: Action,
}

/// Restores the prior's sensitive values, applies `ignore_changes`, asks the provider to plan and
/// decides the action. A `tainted` prior is planned as Terraform plans it: the provider plans a
/// create (no prior, so nothing of the broken object is carried over and `ignore_changes` has
/// nothing to keep), and the action is a replacement of the prior in the lifecycle's order.
pub async fn plan_with_provider(
    job: &InstanceJob,
    prior: Option<Value>,
    tainted: bool,
    hashes: &std::collections::BTreeMap<String, String>,
    hash_key: &HashKey,
    sensitive_paths: &[AttrPath],
) -> Result<ProviderPlan, Diagnostic> {
    let meta = &job.meta;
    let address = &job.address;
    let prior = prior.map(|p| restore_sensitive(p, hashes, &job.config, hash_key));
    let tainted = tainted && prior.is_some();
    let mut config = job.config.clone();
    if let Some(p) = &prior
        && !tainted
    {
        config = apply_ignore_changes(config, p, &meta.ignore_changes, &meta.schema);
    }
    let planned_from = if tainted { None } else { prior.clone() };
    let resp = job
        .provider
        .plan(PlanRequest {
            type_name: meta.type_name.clone(),
            address: address.clone(),
            prior: planned_from.clone(),
            config: config.clone(),
        })
        .await
        .map_err(|e| provider_error(address, "planning", &e))?;
    let planned = resp.planned.mark_paths(sensitive_paths);
    let action = match decide_action(
        planned_from.as_ref(),
        &planned,
        &resp.requires_replace,
        meta,
        hashes,
        hash_key,
    ) {
        Action::Create if tainted && meta.create_before_destroy => Action::CreateThenDelete,
        Action::Create if tainted => Action::DeleteThenCreate,
        action => action,
    };
    Ok(ProviderPlan {
        prior,
        config,
        planned,
        requires_replace: resp.requires_replace,
        action,
    })
}

/// Reads the object an `import` block names through the provider's import; an id the provider
/// cannot find is an error at the block.
async fn import_object(
    job: &InstanceJob,
    target: &ImportTarget,
    sensitive_paths: &[AttrPath],
) -> Result<Value, Diagnostic> {
    let value = job
        .provider
        .import(ImportRequest {
            type_name: job.meta.type_name.clone(),
            address: job.address.clone(),
            id: target.id.clone(),
        })
        .await
        .map_err(|e| {
            let mut d = provider_error(&job.address, &format!("importing id {:?}", target.id), &e);
            d.summary = format!("Cannot import non-existent remote object: {}", d.summary);
            d.with_span(target.span.clone())
        })?;
    Ok(value.mark_paths(sensitive_paths))
}

/// Reads a data source now.
pub async fn read_data(job: &InstanceJob) -> Result<Value, Diagnostic> {
    job.provider
        .read_data(ReadDataRequest {
            type_name: job.meta.type_name.clone(),
            address: job.address.clone(),
            config: job.config.clone().unmark().0,
        })
        .await
        .map_err(|e| provider_error(&job.address, "reading", &e))
}

/// `lifecycle.ignore_changes`: the configuration takes the prior value at the ignored paths.
pub fn apply_ignore_changes(config: Value, prior: &Value, ignore: &IgnoreChanges, schema: &Schema) -> Value {
    match ignore {
        IgnoreChanges::None => config,
        IgnoreChanges::All => {
            let mut config = config;
            for (name, attr) in &schema.attributes {
                if attr.optional || attr.required {
                    config = config.with_at(&AttrPath::attr(name), prior.get(name).clone());
                }
            }
            for name in schema.blocks.keys() {
                config = config.with_at(&AttrPath::attr(name), prior.get(name).clone());
            }
            config
        }
        IgnoreChanges::Paths(paths) => paths.iter().fold(config, |c, p| match prior.at(p) {
            Some(v) => c.with_at(p, v.clone()),
            None => c,
        }),
    }
}

/// The text of a provider error: its code and message.
pub fn provider_message(e: &plinth_sdk::ProviderError) -> String {
    match &e.code {
        Some(code) => format!("{code}: {}", e.message),
        None => e.message.clone(),
    }
}

/// A provider error as a diagnostic naming the resource address, with a hint of what to do where
/// the kind of error says it (the platform's own message stays the summary).
pub fn provider_error(address: &str, doing: &str, e: &plinth_sdk::ProviderError) -> Diagnostic {
    let at = e
        .attribute
        .as_ref()
        .map(|p| format!(" (attribute {p})"))
        .unwrap_or_default();
    let d = Diagnostic::error(format!("{address}: error {doing}{at}: {}", provider_message(e)))
        .with_address(address.to_string());
    match e.hint.as_deref().or(kind_hint(e.kind)) {
        Some(hint) => d.with_detail(hint),
        None => d,
    }
}

/// What a user can do about an error of this kind, where the kind alone says it. Errors that are
/// about the configuration or the object carry their own message and get no generic hint.
fn kind_hint(kind: ErrorKind) -> Option<&'static str> {
    match kind {
        ErrorKind::Forbidden => Some(
            "the platform refused the caller: check the provider's credentials, and that its identity \
             is allowed this call on this object",
        ),
        ErrorKind::Throttled => Some(
            "the platform kept throttling requests after the provider's retries: run the command again \
             later, or with a lower --parallelism",
        ),
        ErrorKind::Transient => Some(
            "the platform or the network did not answer after the provider's retries: run the command \
             again",
        ),
        ErrorKind::NotFound | ErrorKind::Conflict | ErrorKind::Invalid | ErrorKind::Other => None,
    }
}

impl Runner for PlanRunner {
    fn run(self: Arc<Self>, job: InstanceJob) -> JobFuture {
        Box::pin(async move { self.plan_instance(job).await })
    }
}

/// The instance a job is for, borrowed from its parts.
pub fn instance_of(job: &InstanceJob) -> InstanceRef<'_> {
    InstanceRef {
        module: &job.module,
        mode: job.meta.mode,
        type_name: &job.meta.type_name,
        name: &job.meta.name,
        key: &job.key,
    }
}

/// Whether the instance is selected by one of `targets` (all are when there is none).
pub fn targeted(inst: InstanceRef<'_>, targets: &[Address]) -> bool {
    targets.is_empty() || targets.iter().any(|t| t.targets(inst))
}

/// Whether the object under state key `key` is selected by one of `targets`: a deposed object is
/// when its instance is. A key that does not parse is selected only when there is no target.
pub fn targeted_key(key: &str, targets: &[Address]) -> bool {
    targets.is_empty() || StateKey::parse(key).is_ok_and(|k| targets.iter().any(|t| t.targets(k.instance.as_ref())))
}

/// What a targeted destroy deletes: the targeted objects and, as Terraform's does, every object
/// that depends on one of them, directly or not, by the dependencies the state recorded when each
/// was applied (a dependent left behind would point at nothing). One pass over the state builds the
/// index of dependents by resource; the closure visits each object once.
pub fn destroy_selection<'s>(state: &'s State, targets: &[Address]) -> HashSet<&'s str> {
    let mut dependents: HashMap<&str, Vec<&str>> = HashMap::new();
    for (key, rs) in &state.resources {
        for d in &rs.dependencies {
            dependents.entry(d.as_str()).or_default().push(key.as_str());
        }
    }
    let mut stack: Vec<&str> = state
        .resources
        .keys()
        .map(String::as_str)
        .filter(|k| targeted_key(k, targets))
        .collect();
    let mut selected = HashSet::new();
    let mut resources_seen = HashSet::new();
    while let Some(key) = stack.pop() {
        if !selected.insert(key) {
            continue;
        }
        let Ok(parsed) = StateKey::parse(key) else {
            continue;
        };
        let resource = parsed.instance.static_string();
        if let Some(ds) = dependents.get(resource.as_str())
            && resources_seen.insert(resource)
        {
            stack.extend(ds.iter().copied());
        }
    }
    selected
}

/// The nodes to visit for `--target`: the targeted resources and modules and all they depend on.
pub fn target_nodes(graph: &Graph, targets: &[Address]) -> Option<HashSet<NodeIndex>> {
    if targets.is_empty() {
        return None;
    }
    let g = &graph.dag;
    let targeted = g.node_indices().filter(|i| {
        let n = &g[*i];
        let resource = match &n.kind {
            NodeKind::Resource(a) => match ResourceInstance::parse(a) {
                Ok(r) => Some(r.resource),
                Err(_) => return false,
            },
            _ => None,
        };
        targets.iter().any(|t| t.targets_static(&n.module, resource.as_ref()))
    });
    Some(graph.with_dependencies(targeted))
}

/// A warning for each `--target` that selects nothing in the configuration nor in the state (a
/// typo, most often, which would otherwise read as "No changes"), naming the closest address
/// there is.
pub fn unmatched_targets<'a>(
    graph: &Graph,
    state_keys: impl Iterator<Item = &'a str>,
    targets: &[Address],
) -> Diagnostics {
    let mut diags = Diagnostics::default();
    if targets.is_empty() {
        return diags;
    }
    let g = &graph.dag;
    let mut candidates: Vec<String> = state_keys.map(str::to_string).collect();
    let mut config: Vec<(Vec<String>, Option<ResourceInstance>)> = Vec::new();
    for i in g.node_indices() {
        let n = &g[i];
        match &n.kind {
            NodeKind::Resource(a) => {
                let prefix: String = n.module.iter().map(|m| format!("module.{m}.")).collect();
                candidates.push(format!("{prefix}{a}"));
                config.push((n.module.clone(), ResourceInstance::parse(a).ok()));
            }
            _ => config.push((n.module.clone(), None)),
        }
    }
    for t in targets {
        let in_config = config
            .iter()
            .any(|(path, r)| t.targets_static(path, r.as_ref().map(|r| &r.resource)));
        let in_state = candidates.iter().any(|k| targeted_key(k, std::slice::from_ref(t)));
        if in_config || in_state {
            continue;
        }
        let wanted = t.to_string();
        let hint = match crate::diag::closest(&wanted, candidates.iter().map(String::as_str)) {
            Some(c) => format!("did you mean {c}? Nothing is planned for this target."),
            None => "no resource or module in the configuration or the state has this address; `plinth state list` lists those in the state".to_string(),
        };
        diags.push(Diagnostic::warning(format!("--target {wanted} matches nothing")).with_detail(hint));
    }
    diags
}

/// Makes a plan.
pub async fn plan(session: &Session<'_>, opts: &PlanOptions) -> PlanResult {
    let ctx = &session.walk;
    // `moved` and `removed` blocks: plan against the state as they leave it.
    let refactor = match super::moves::resolve(&ctx.config.root, &ctx.config.sources, ctx.root_dir, session.state) {
        Ok(r) => r,
        Err(diags) => {
            return PlanResult {
                plan: empty_plan(session, opts),
                drift: Vec::new(),
                diags,
            };
        }
    };
    let state = &refactor.state;
    let (imports, import_diags) = if opts.destroy {
        Default::default()
    } else {
        super::import::resolve(
            ctx.config,
            ctx.root_vars,
            ctx.env_name,
            ctx.secrets,
            ctx.root_dir,
            &|a| state.resources.contains_key(a),
        )
    };
    // One (provider, type) per refresh group, shared by its records.
    let mut shared: HashMap<(&str, &str), Arc<(String, String)>> = HashMap::new();
    // Built apart: the walk's tasks free each record's value as they plan its instance.
    let mut records: HashMap<String, Record> = built_apart(|| {
        state
            .resources
            .iter()
            .map(|(k, rs)| {
                let group = shared
                    .entry((&rs.provider, &rs.type_name))
                    .or_insert_with(|| Arc::new((rs.provider.clone(), rs.type_name.clone())))
                    .clone();
                (k.clone(), Record::of(rs, group))
            })
            .collect()
    });
    let batches = refresh_batches(state, &mut records);
    let runner = Arc::new(PlanRunner {
        records,
        providers: ctx.providers.instances.clone(),
        schemas: ctx
            .providers
            .resource_schemas
            .iter()
            .filter(|((_, mode, _), _)| *mode == Mode::Managed)
            .map(|((p, _, t), s)| ((p.clone(), t.clone()), s.clone()))
            .collect(),
        batches,
        refresh: opts.refresh,
        targets: opts.targets.clone(),
        unsaved: opts.unsaved,
        hash_key: session.hash_key.clone(),
        // Sized for the instances the state has (a re-plan plans each of them): growing a vector of
        // 100,000 changes by doubling holds the old and the new buffer at once, at the peak.
        changes: Mutex::new(Vec::with_capacity(state.resources.len())),
        before_from_walk: Mutex::new(Vec::new()),
        pending: Mutex::new(HashMap::new()),
        drift: Mutex::new(Vec::new()),
        imports,
    });
    let walk_ctx = WalkContext {
        include: target_nodes(ctx.graph, &opts.targets),
        resources: !opts.destroy,
        planning: true,
        ..*ctx
    };
    let (outcome, mut values) = walk(&walk_ctx, runner.clone()).await;
    let mut diags = outcome.diags;
    diags.extend(import_diags.0);
    diags.extend(unmatched_targets(ctx.graph, state.resources.keys().map(String::as_str), &opts.targets).0);
    let mut check_results = Vec::new();
    if !opts.destroy && !outcome.failed && opts.targets.is_empty() {
        // A check's data source that refers to a resource this plan changes is read after apply.
        let pending: HashSet<String> = runner
            .changes
            .lock()
            .map(|c| {
                c.iter()
                    .filter(|c| c.action != Action::NoOp)
                    .map(|c| c.resource_address())
                    .collect()
            })
            .unwrap_or_default();
        let (results, warnings) = super::checks::evaluate(&walk_ctx, &values, &pending).await;
        check_results = results;
        diags.extend(warnings.0);
    }
    if !outcome.failed {
        // An import whose address the configuration does not have (no such block, or an
        // instance key its count or for_each does not make) has nowhere to go.
        let mut missing: Vec<(&String, &ImportTarget)> = runner
            .imports
            .iter()
            .filter(|(a, _)| !outcome.instances.contains(*a) && targeted_key(a, &opts.targets))
            .collect();
        missing.sort_by(|a, b| a.0.cmp(b.0));
        for (addr, t) in missing {
            diags.push(
                Diagnostic::error("Configuration for import target does not exist")
                    .with_detail(format!(
                        "the configuration has no {addr}: add its resource block (or the count or for_each key it needs) before importing into it"
                    ))
                    .with_span(t.span.clone())
                    .with_address(addr.clone()),
            );
        }
    }
    let mut changes = runner
        .changes
        .lock()
        .map(|mut c| std::mem::take(&mut *c))
        .unwrap_or_default();
    let from_walk = runner
        .before_from_walk
        .lock()
        .map(|mut c| std::mem::take(&mut *c))
        .unwrap_or_default();
    diags.extend(fill_from_walk(&mut changes, &from_walk, &mut values).0);
    drop(values);

    // Deletes: instances in state that the configuration no longer has (all of them for destroy).
    if !outcome.failed || opts.destroy {
        let destroying = (opts.destroy && !opts.targets.is_empty()).then(|| destroy_selection(state, &opts.targets));
        for (addr, rs) in &state.resources {
            let selected = match &destroying {
                Some(keys) => keys.contains(addr.as_str()),
                None => targeted_key(addr, &opts.targets),
            };
            if rs.mode != "managed" || (!opts.destroy && outcome.instances.contains(addr)) || !selected {
                continue;
            }
            if refactor.forget.contains(addr) {
                changes.push(ResourceChange {
                    action: Action::Forget,
                    reason: None,
                    ..delete_change(addr, rs, Some(from_stored(rs)), opts.destroy)
                });
                continue;
            }
            if let Err(d) = ctx.providers.ensure_configured(&rs.provider, ctx.root_dir).await {
                diags.push(d.with_address(addr.clone()));
                continue;
            }
            if !ctx.providers.instances.contains_key(&rs.provider) {
                diags.push(
                    Diagnostic::error(format!("{addr}: no provider {:?} to delete it with", rs.provider))
                        .with_detail("keep a provider block for it until its resources are destroyed")
                        .with_address(addr.clone()),
                );
                continue;
            }
            let prior = match runner.prior(addr).await {
                Ok(p) => p,
                Err(d) => {
                    diags.push(d);
                    continue;
                }
            };
            if let Some(d) = prevent_destroy_violation(ctx, addr, rs) {
                diags.push(d);
                continue;
            }
            changes.push(delete_change(addr, rs, prior, opts.destroy));
        }
    }
    sort_by_address(&mut changes);
    for c in &mut changes {
        c.previous_address = refactor.previous.get(&c.address).cloned();
    }
    let forgotten: Vec<&str> = changes
        .iter()
        .filter(|c| c.action == Action::Forget)
        .map(|c| c.address.as_str())
        .collect();
    if !forgotten.is_empty() {
        diags.push(
            Diagnostic::warning("Some objects will no longer be managed by Plinth").with_detail(format!(
                "applying this plan removes {} from the state without deleting the objects; to manage them again, import them (`plinth import`)",
                forgotten.join(", ")
            )),
        );
    }

    let mut drift = runner
        .drift
        .lock()
        .map(|mut d| std::mem::take(&mut *d))
        .unwrap_or_default();
    drift.sort_by(|a, b| a.address.cmp(&b.address));
    let drifted: HashSet<&str> = drift.iter().map(|d| d.address.as_str()).collect();
    for c in &mut changes {
        c.drifted = drifted.contains(c.address.as_str());
    }

    let mut outputs = Vec::new();
    if opts.destroy {
        // A targeted destroy keeps the outputs (as Terraform's does): only a whole one drops them.
        if opts.targets.is_empty() {
            for (name, o) in &state.outputs {
                outputs.push(deleted_output(name, o));
            }
        }
    } else if opts.targets.is_empty() {
        let mut seen = HashSet::new();
        for (name, (value, sensitive)) in &outcome.outputs {
            seen.insert(name.clone());
            let before = state.outputs.get(name);
            let action = match before {
                None => Action::Create,
                Some(b)
                    if !value.contains_unknown()
                        && !*sensitive
                        && b.value == value.to_json()
                        && b.sensitive == *sensitive =>
                {
                    Action::NoOp
                }
                Some(b) if *sensitive && b.sensitive && !value.contains_unknown() => {
                    // Stored sensitive outputs keep only a hash in `value`.
                    if b.value == serde_json::Value::String(session.hash_key.hash(value)) {
                        Action::NoOp
                    } else {
                        Action::Update
                    }
                }
                Some(_) => Action::Update,
            };
            outputs.push(OutputChange {
                name: name.clone(),
                action,
                before: before.map(|b| Value::from_json(&b.value).mark_if(b.sensitive)),
                after: Some(value.clone()),
                sensitive: *sensitive,
            });
        }
        for (name, o) in &state.outputs {
            if !seen.contains(name) {
                outputs.push(deleted_output(name, o));
            }
        }
    }

    let plan = Plan {
        env: ctx.env_name.to_string(),
        lineage: state.lineage.clone(),
        serial: state.serial,
        config_hash: ctx.config.hash.clone(),
        variables: ctx.root_vars.clone(),
        changes,
        outputs,
        destroy: opts.destroy,
        targets: opts.targets.clone(),
        timestamp: crate::time::now_rfc3339(),
        checks: check_results,
    };
    PlanResult { plan, drift, diags }
}

/// The plan of a planning that stopped before it began (a mistake in `moved` or `removed`
/// blocks): nothing to do.
fn empty_plan(session: &Session<'_>, opts: &PlanOptions) -> Plan {
    let ctx = &session.walk;
    Plan {
        env: ctx.env_name.to_string(),
        lineage: session.state.lineage.clone(),
        serial: session.state.serial,
        config_hash: ctx.config.hash.clone(),
        variables: ctx.root_vars.clone(),
        changes: Vec::new(),
        outputs: Vec::new(),
        destroy: opts.destroy,
        targets: opts.targets.clone(),
        timestamp: crate::time::now_rfc3339(),
        checks: Vec::new(),
    }
}

/// The deletion of a recorded output (destroyed, or gone from the configuration).
fn deleted_output(name: &str, o: &crate::state::OutputState) -> OutputChange {
    OutputChange {
        name: name.to_string(),
        action: Action::Delete,
        before: Some(Value::from_json(&o.value).mark_if(o.sensitive)),
        after: None,
        sensitive: o.sensitive,
    }
}

fn prevent_destroy_violation(ctx: &WalkContext<'_>, addr: &str, rs: &ResourceState) -> Option<Diagnostic> {
    // The resource block may still exist (count lowered, key removed) with prevent_destroy.
    // A deposed object is the old half of a replacement the configuration asked for.
    let inst = ResourceInstance::parse(addr).ok()?;
    let mut found = None;
    ctx.config.root.walk(&mut |m| {
        if !inst.as_ref().in_static_module(&m.path) {
            return;
        }
        for r in m.resources.values() {
            if r.lifecycle.prevent_destroy
                && r.type_name == rs.type_name
                && inst.resource.is(r.mode, &r.type_name, &r.name)
            {
                found = Some(r.span.clone());
            }
        }
    });
    found.map(|span| {
        Diagnostic::error(format!("Instance cannot be destroyed: {addr}"))
            .with_detail(format!(
                "{addr} has lifecycle.prevent_destroy set, but the plan calls for it to be destroyed; remove prevent_destroy first if this is intended"
            ))
            .with_span(span)
            .with_address(addr.to_string())
    })
}

fn delete_change(addr: &str, rs: &ResourceState, prior: Option<Value>, destroy: bool) -> ResourceChange {
    let (module, type_name, name, key) = state_key_parts(addr, rs);
    ResourceChange {
        address: addr.to_string(),
        module,
        mode: Mode::Managed,
        type_name,
        name,
        key,
        provider: rs.provider.clone(),
        action: Action::Delete,
        reason: Some(match (&prior, destroy) {
            (None, _) => "already gone".to_string(),
            (_, true) => "destroy".to_string(),
            _ => "no longer in the configuration".to_string(),
        }),
        before: prior,
        after: None,
        config: None,
        requires_replace: Vec::new(),
        dependencies: rs.dependencies.clone(),
        create_before_destroy: rs.create_before_destroy,
        drifted: false,
        importing: None,
        previous_address: None,
    }
}

/// The module instance, type, name and key of the object under state key `addr` (a deposed
/// object's are those of its instance). A key that does not parse, which only a hand-edited state
/// has, keeps the whole key as its name.
pub fn state_key_parts(addr: &str, rs: &ResourceState) -> (crate::addrs::ModInst, String, String, Key) {
    match StateKey::parse(addr) {
        Ok(k) => {
            let ResourceInstance { module, resource, key } = k.instance;
            (module, resource.type_name, resource.name, key)
        }
        Err(_) => (Vec::new(), rs.type_name.clone(), addr.to_string(), Key::None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_in_place_sort_is_a_stable_sort() {
        // Pseudo-random keys with many repeats; the second field tells equal keys apart.
        let mut items: Vec<(u32, usize)> = (0..2_000).map(|i| ((i * 7_919 % 1_013) as u32 % 50, i)).collect();
        let mut expected = items.clone();
        expected.sort_by_key(|x| x.0);
        sort_stably_in_place(&mut items, |a, b| a.0.cmp(&b.0));
        assert_eq!(items, expected);
        let mut empty: Vec<(u32, usize)> = Vec::new();
        sort_stably_in_place(&mut empty, |a, b| a.0.cmp(&b.0));
        assert!(empty.is_empty());
    }

    #[test]
    fn refresh_batches_follow_the_count_order() {
        let mut addrs = vec!["a.b[10]", "a.b[2]", "a.b[1]", "a.b", "a.b[\"x\"]"];
        addrs.sort_by(|a, b| walk_order(a).cmp(&walk_order(b)));
        assert_eq!(addrs, ["a.b", "a.b[1]", "a.b[2]", "a.b[10]", "a.b[\"x\"]"]);
    }

    #[test]
    fn provider_errors_say_what_to_do_where_the_kind_tells() {
        let err = |kind| plinth_sdk::ProviderError {
            kind,
            code: Some("AccessDenied".into()),
            ..plinth_sdk::ProviderError::new("not allowed")
        };
        let d = provider_error("aws_s3_bucket.b", "creating", &err(ErrorKind::Forbidden));
        expect_test::expect![[r#"
            aws_s3_bucket.b: error creating: AccessDenied: not allowed
            the platform refused the caller: check the provider's credentials, and that its identity is allowed this call on this object"#]]
        .assert_eq(&format!("{}\n{}", d.summary, d.detail));
        let d = provider_error("aws_s3_bucket.b", "creating", &err(ErrorKind::Invalid));
        assert_eq!(d.detail, "", "a configuration error carries its own message");
        // The provider's own hint, where it has one, instead of the kind's.
        let d = provider_error(
            "kubernetes_role.r",
            "creating",
            &err(ErrorKind::Forbidden).with_hint("grant the identity a Role"),
        );
        assert_eq!(d.detail, "grant the identity a Role");
    }

    fn t(s: &str) -> Vec<Address> {
        vec![Address::parse(s).expect(s)]
    }

    #[test]
    fn addresses_parse() {
        let i = ResourceInstance::parse("module.a[0].local_file.b[\"k.x\"]").expect("parses");
        assert_eq!(i.module, vec![("a".to_string(), Key::Int(0))]);
        assert_eq!(
            (i.resource.type_name.as_str(), i.resource.name.as_str(), i.key),
            ("local_file", "b", Key::Str("k.x".into()))
        );
        assert!(targeted_key("local_file.b[0]", &t("local_file.b")));
        assert!(!targeted_key("local_file.bb", &t("local_file.b")));
        assert!(targeted_key("module.a[0].local_file.b", &t("module.a[0]")));
        assert!(targeted_key("local_file.b[0] (deposed)", &t("local_file.b")));
        assert!(targeted_key("local_file.b (deposed)", &t("local_file.b")));
        assert!(!targeted_key("local_file.b (deposed)", &t("local_file.c")));
    }

    #[test]
    fn a_targeted_destroy_takes_the_dependents_along() {
        let object = |deps: &[&str]| ResourceState {
            mode: "managed".into(),
            type_name: "local_file".into(),
            provider: "local".into(),
            attributes: serde_json::json!({}),
            sensitive: BTreeMap::new(),
            dependencies: deps.iter().map(|d| d.to_string()).collect(),
            create_before_destroy: false,
            tainted: false,
        };
        let mut state = State::new();
        for (key, deps) in [
            ("local_file.base", &[][..]),
            ("local_file.mid[0]", &["local_file.base"][..]),
            ("local_file.mid[1]", &["local_file.base"][..]),
            ("module.m[\"x\"].local_file.top", &["local_file.mid"][..]),
            ("local_file.mid[0] (deposed)", &["local_file.base"][..]),
            ("local_file.other", &[][..]),
            ("local_file.uses_other", &["local_file.other"][..]),
        ] {
            state.resources.insert(key.to_string(), object(deps));
        }
        fn sorted(set: HashSet<&str>) -> Vec<&str> {
            let mut v: Vec<&str> = set.into_iter().collect();
            v.sort_unstable();
            v
        }
        assert_eq!(
            sorted(destroy_selection(&state, &t("local_file.base"))),
            [
                "local_file.base",
                "local_file.mid[0]",
                "local_file.mid[0] (deposed)",
                "local_file.mid[1]",
                "module.m[\"x\"].local_file.top"
            ]
        );
        // One instance takes the whole dependent resource along (dependencies are per resource).
        assert_eq!(
            sorted(destroy_selection(&state, &t("local_file.mid[1]"))),
            ["local_file.mid[1]", "module.m[\"x\"].local_file.top"]
        );
        assert_eq!(
            sorted(destroy_selection(&state, &t("local_file.uses_other"))),
            ["local_file.uses_other"]
        );
    }
}
