//! The walker: visits the graph in dependency order, evaluating expressions and handing each
//! resource instance to a [`Runner`] (the planner or the applier).
//!
//! One coordinator owns all [`Values`]: it evaluates variables, locals, outputs, module
//! expansions and resource configurations itself (cheap and synchronous), and runs provider work
//! for resource instances as jobs. When a node is ready, what a failure skips and how many jobs
//! run at once is [`super::sched`]'s business (the same core runs the deletes of an apply in
//! reverse order); the coordinator is its [`Visitor`] for the forward direction. A resource's
//! instances are expanded when its node is visited, but each instance's configuration is evaluated
//! only when the scheduler lets its job begin ([`Jobs::defer`]): the instances waiting hold their
//! keys, not evaluated configurations and tasks.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;

use petgraph::Direction;
use petgraph::graph::NodeIndex;
use plinth_sdk::Map;
use plinth_sdk::{ConfigureRequest, Provider, ProviderSchema, Schema, Value};

use super::sched::{self, Jobs, Order, Visit, Visitor};
use super::scope::{InstanceScope, ModuleValues, Values, set_keyed};
use super::{Graph, NodeKind};
use crate::addrs::{Key, ModInst, instance_address, path_prefix};
use crate::config::vars::{check_variable, failed_check_detail};
use crate::config::{Check, Config, Expr, IgnoreChanges, Mode, Module, Resource};
use crate::diag::{Diagnostic, Diagnostics};
use crate::interrupt::Interrupt;
use crate::lang::body::eval_body;
use crate::lang::eval::eval;
use crate::lang::refs::condition_values;
use crate::lang::{EvalContext, Scope, SecretResolver};

/// The configured providers of a run, by provider configuration key (`local`, `aws.west`).
pub struct Providers {
    pub instances: HashMap<String, Arc<dyn Provider>>,
    /// Resource and data-source schemas by provider name, shared with jobs.
    pub resource_schemas: HashMap<(String, Mode, String), Arc<Schema>>,
    pub provider_schemas: HashMap<String, Schema>,
    /// Provider configuration keys already configured in this run.
    pub configured: std::sync::Mutex<HashSet<String>>,
}

impl Providers {
    /// The given provider instances, with no schema yet ([`Providers::add_schema`]).
    pub fn new(instances: HashMap<String, Arc<dyn Provider>>) -> Providers {
        Providers {
            instances,
            resource_schemas: HashMap::new(),
            provider_schemas: HashMap::new(),
            configured: Default::default(),
        }
    }

    /// Adds provider `name`'s resource, data source and provider schemas.
    pub fn add_schema(&mut self, name: String, schema: ProviderSchema) {
        let ProviderSchema {
            provider,
            resources,
            data_sources,
        } = schema;
        for (t, s) in resources {
            self.resource_schemas
                .insert((name.clone(), Mode::Managed, t), Arc::new(s));
        }
        for (t, s) in data_sources {
            self.resource_schemas.insert((name.clone(), Mode::Data, t), Arc::new(s));
        }
        self.provider_schemas.insert(name, provider);
    }

    /// The same providers (the same instances) with the schemas of `names` added, asked of their
    /// instances.
    pub fn widened(&self, names: &[&str]) -> Providers {
        let mut wider = Providers {
            instances: self.instances.clone(),
            resource_schemas: self.resource_schemas.clone(),
            provider_schemas: self.provider_schemas.clone(),
            configured: std::sync::Mutex::new(self.configured.lock().map(|c| c.clone()).unwrap_or_default()),
        };
        for name in names {
            if let Some(p) = self.instances.get(*name) {
                wider.add_schema(name.to_string(), p.schema());
            }
        }
        wider
    }

    /// Configures `key` with an empty configuration unless it was configured already (for
    /// providers only the state still refers to, whose blocks are gone).
    pub async fn ensure_configured(&self, key: &str, working_dir: &Path) -> Result<(), Diagnostic> {
        if self.configured.lock().map(|c| c.contains(key)).unwrap_or(false) {
            return Ok(());
        }
        let Some(p) = self.instances.get(key) else {
            return Err(Diagnostic::error(format!(
                "No provider {key:?} in this build of Plinth"
            )));
        };
        p.configure(ConfigureRequest {
            config: Value::Null,
            working_dir: working_dir.to_path_buf(),
        })
        .await
        .map_err(|e| Diagnostic::error(format!("Cannot configure provider {key}: {}", e.message)))?;
        if let Ok(mut c) = self.configured.lock() {
            c.insert(key.to_string());
        }
        Ok(())
    }
}

/// What a job knows about its resource (shared by all instances of one resource).
#[derive(Debug)]
pub struct ResourceMeta {
    pub mode: Mode,
    pub type_name: String,
    pub name: String,
    pub local_addr: String,
    pub provider_key: String,
    pub schema: Arc<Schema>,
    pub prevent_destroy: bool,
    pub create_before_destroy: bool,
    pub ignore_changes: IgnoreChanges,
    /// `lifecycle.replace_triggered_by`.
    pub replace_triggered_by: Vec<crate::config::triggers::ReplaceTrigger>,
    /// Static addresses of the resources it depends on (`module.m.local_file.a`).
    pub dependencies: Vec<String>,
    /// A data source only: the static addresses of the resources (and data sources) whose
    /// pending change defers its read to apply (see [`read_after`]); empty for a resource.
    pub read_after: Vec<String>,
    /// The resource block's header, for diagnostics.
    pub span: Option<crate::diag::Span>,
}

/// One resource instance to plan or apply.
pub struct InstanceJob {
    pub address: String,
    pub module: ModInst,
    pub key: Key,
    pub meta: Arc<ResourceMeta>,
    pub provider: Arc<dyn Provider>,
    /// The evaluated configuration (may hold unknowns during planning).
    pub config: Value,
    /// The parallelism slot this job holds; a runner may release it early (before waiting for
    /// the state journal) so that the next job can start. It is held as long as the runner's
    /// future owns it: a future that captures only some fields of the job (an `async move`
    /// block using `job.config`, say) drops it, and with it the parallelism limit.
    pub permit: Option<tokio::sync::OwnedSemaphorePermit>,
    /// Creation-time `local-exec` provisioners, with what they refer to (apply only).
    pub provisioners: Vec<Arc<crate::config::provisioner::Prepared>>,
}

pub type JobFuture = Pin<Box<dyn Future<Output = Result<Value, Diagnostic>> + Send>>;

/// Does the provider work for one instance and returns the value references to it see.
pub trait Runner: Send + Sync + 'static {
    fn run(self: Arc<Self>, job: InstanceJob) -> JobFuture;
}

/// Inputs of a walk.
pub struct WalkContext<'a> {
    pub config: &'a Config,
    pub graph: &'a Graph,
    pub providers: &'a Providers,
    pub root_vars: &'a Map,
    pub env_name: &'a str,
    pub root_dir: &'a Path,
    /// What `secret(...)` reads through.
    pub secrets: &'a dyn SecretResolver,
    pub parallelism: usize,
    /// When set, only these nodes are visited (`--target`).
    pub include: Option<HashSet<NodeIndex>>,
    /// When false, resources are not planned or applied; their values are unknown (destroy).
    pub resources: bool,
    /// Planning (`timestamp()` and `uuid()` are unknown) rather than applying.
    pub planning: bool,
    /// Ctrl-C during an apply (`None` elsewhere): see [`crate::interrupt`].
    pub interrupt: Option<&'a Interrupt>,
}

/// What a walk produced besides the runner's own records.
#[derive(Debug, Default)]
pub struct WalkOutcome {
    pub diags: Diagnostics,
    /// Root outputs: value and whether declared sensitive.
    pub outputs: BTreeMap<String, (Value, bool)>,
    /// Addresses of every resource instance the configuration has (for orphan detection).
    pub instances: HashSet<String>,
    /// Addresses of skipped nodes' resources (not visited because of a failure upstream).
    pub failed: bool,
    /// Instances whose job a second interrupt abandoned while it ran.
    pub abandoned: Vec<String>,
}

/// `each.key` and `each.value` of a `for_each` instance.
type Each = Option<(String, Value)>;

struct Coordinator<'a, R: Runner> {
    ctx: &'a WalkContext<'a>,
    runner: Arc<R>,
    values: Values,
    /// count/each of each module instance made by a call.
    call_keys: HashMap<ModInst, (Option<usize>, Each)>,
    out: WalkOutcome,
    metas: HashMap<NodeIndex, Arc<ResourceMeta>>,
    dependencies: HashMap<NodeIndex, Vec<String>>,
    /// The instances of each visited resource whose jobs have not started yet.
    waiting: HashMap<NodeIndex, Waiting>,
}

/// The instances of one resource node waiting for their jobs to start, in the order of their
/// expansion, and how its earlier instances fared.
#[derive(Default)]
struct Waiting {
    /// Per module instance, its instance keys not started yet.
    instances: std::collections::VecDeque<(ModInst, Keys)>,
    /// Jobs started so far.
    started: usize,
    /// An instance (or the expansion of a module instance) failed before its job could start.
    failed: bool,
}

/// The keys of a resource's instances in one module instance: `count` ones as a range.
enum Keys {
    Count(std::ops::Range<usize>),
    Each(std::vec::IntoIter<(Key, Each)>),
}

impl Iterator for Keys {
    type Item = (Key, Each);

    fn next(&mut self) -> Option<(Key, Each)> {
        match self {
            Keys::Count(r) => r.next().map(|i| (Key::Int(i), None)),
            Keys::Each(e) => e.next(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Keys::Count(r) => r.size_hint(),
            Keys::Each(e) => e.size_hint(),
        }
    }
}

impl ExactSizeIterator for Keys {}

/// Walks the graph in dependency order; returns the outcome and the final values.
pub async fn walk<R: Runner>(ctx: &WalkContext<'_>, runner: Arc<R>) -> (WalkOutcome, Values) {
    let mut c = Coordinator {
        ctx,
        runner,
        values: Values::new(),
        call_keys: HashMap::new(),
        out: WalkOutcome::default(),
        metas: HashMap::new(),
        dependencies: resource_dependencies(ctx.graph),
        waiting: HashMap::new(),
    };
    let summary = sched::run(
        &ctx.graph.dag,
        Order::Dependencies,
        ctx.include.as_ref(),
        ctx.parallelism,
        ctx.interrupt,
        &mut c,
    )
    .await;
    if !summary.succeeded() {
        c.out.failed = true;
    }
    c.out.abandoned = summary.abandoned;
    (c.out, c.values)
}

/// The provider's own checks of one instance's configuration (`Provider::validate`): errors fail
/// the instance, warnings are reported.
fn provider_checks(
    provider: &dyn Provider,
    meta: &ResourceMeta,
    address: &str,
    r: &Resource,
    config: Value,
    diags: &mut Diagnostics,
) -> Result<Value, Vec<Diagnostic>> {
    // The request holds the configuration without marks: an unmarked one (most are) is lent to
    // it and taken back, not copied.
    let (unmarked, marked) = if config.contains_sensitive() {
        (config.clone().unmark().0, Some(config))
    } else {
        (config, None)
    };
    let request = plinth_sdk::ValidateRequest {
        mode: match meta.mode {
            Mode::Managed => plinth_sdk::ResourceMode::Managed,
            Mode::Data => plinth_sdk::ResourceMode::Data,
        },
        type_name: meta.type_name.clone(),
        config: unmarked,
    };
    let found = provider.validate(&request);
    let config = marked.unwrap_or(request.config);
    let mut errors = Vec::new();
    for d in found {
        let at = d.attribute.as_ref().map(|a| format!(" ({a})")).unwrap_or_default();
        let diag = match d.severity {
            plinth_sdk::Severity::Error => Diagnostic::error(format!("{address}{at}: {}", d.summary)),
            plinth_sdk::Severity::Warning => Diagnostic::warning(format!("{address}{at}: {}", d.summary)),
        }
        .with_detail(d.detail)
        .with_span(r.span.clone())
        .with_address(address.to_string());
        if diag.is_error() {
            errors.push(diag);
        } else {
            diags.push(diag);
        }
    }
    if errors.is_empty() { Ok(config) } else { Err(errors) }
}

/// `path.module` as Terraform shows it: relative to the root module (`.` for the root itself).
pub(crate) fn relative_to(dir: &Path, root: &Path) -> std::path::PathBuf {
    match dir.strip_prefix(root) {
        Ok(p) if p.as_os_str().is_empty() => std::path::PathBuf::from("."),
        Ok(p) => p.to_path_buf(),
        Err(_) => dir.to_path_buf(),
    }
}

/// For each resource node, the static addresses of the resources it depends on, directly or
/// through locals, variables, outputs and module calls (stopping at the first resource).
fn resource_dependencies(graph: &Graph) -> HashMap<NodeIndex, Vec<String>> {
    let g = &graph.dag;
    let mut out = HashMap::new();
    for i in g.node_indices() {
        if !matches!(g[i].kind, NodeKind::Resource(_)) {
            continue;
        }
        let mut seen = HashSet::new();
        let mut stack: Vec<NodeIndex> = g.neighbors_directed(i, Direction::Incoming).collect();
        let mut deps = Vec::new();
        while let Some(d) = stack.pop() {
            if !seen.insert(d) {
                continue;
            }
            match &g[d].kind {
                NodeKind::Resource(addr) => {
                    let prefix = path_prefix(&g[d].module);
                    deps.push(format!("{prefix}{addr}"));
                }
                NodeKind::Provider(_) => {}
                _ => stack.extend(g.neighbors_directed(d, Direction::Incoming)),
            }
        }
        deps.sort();
        deps.dedup();
        out.insert(i, deps);
    }
    out
}

/// For the data source `r` (node `i` of module `m`): the static addresses of the resources whose
/// pending change makes the planner read it during apply rather than now, Terraform's rule:
/// - the resources and data sources its arguments, `count`, `for_each` and conditions refer to
///   directly (a reference through a local or a module output is not direct);
/// - those its `depends_on` names, and for an entry naming a module, a local, a variable or an
///   output, the resources that one depends on (through locals, variables, outputs and module
///   calls, stopping at the first resource);
/// - the same for the `depends_on` of every module call the data source is inside.
///
/// Every one is a graph ancestor of the data source, so its changes are planned before it.
pub fn read_after(graph: &Graph, root: &Module, i: NodeIndex, m: &Module, r: &Resource) -> Vec<String> {
    let g = &graph.dag;
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut through: Vec<NodeIndex> = Vec::new();
    for d in g.neighbors_directed(i, Direction::Incoming) {
        if matches!(g[d].kind, NodeKind::Resource(_)) {
            seen.insert(d);
        }
    }
    // `depends_on` of the block itself, then of each module call around it, innermost first.
    let mut entries: Vec<(&Module, &Expr)> = r.depends_on.iter().map(|e| (m, e)).collect();
    for depth in (0..m.path.len()).rev() {
        let Some(parent) = root.descendant(&m.path[..depth]) else {
            continue;
        };
        if let Some(call) = parent.calls.get(&m.path[depth]) {
            entries.extend(call.depends_on.iter().map(|e| (parent, e)));
        }
    }
    for (module, e) in entries {
        for rf in crate::lang::refs::references(&e.expr) {
            for node in super::build::resolve(module, &rf).unwrap_or_default() {
                match graph.get(&node) {
                    Some(d) if matches!(node.kind, NodeKind::Resource(_)) => {
                        seen.insert(d);
                    }
                    Some(d) => through.push(d),
                    None => {}
                }
            }
        }
    }
    // What the non-resource entries depend on, stopping at resources.
    let mut visited = HashSet::new();
    while let Some(d) = through.pop() {
        if !visited.insert(d) {
            continue;
        }
        for up in g.neighbors_directed(d, Direction::Incoming) {
            match g[up].kind {
                NodeKind::Resource(_) => {
                    seen.insert(up);
                }
                NodeKind::Provider(_) => {}
                _ => through.push(up),
            }
        }
    }
    for d in seen {
        if d == i {
            continue;
        }
        if let NodeKind::Resource(addr) = &g[d].kind {
            out.push(format!("{}{addr}", path_prefix(&g[d].module)));
        }
    }
    out.sort();
    out
}

/// What an instance job hands back to the coordinator.
type JobOutput = (ModInst, Key, Result<Value, Diagnostic>);

impl<R: Runner> Visitor for Coordinator<'_, R> {
    type Output = JobOutput;

    async fn visit(&mut self, i: NodeIndex, jobs: &mut Jobs<JobOutput>) -> Visit {
        let node = self.ctx.graph.dag[i].clone();
        let Some(m) = self.module(&node.module) else {
            return Visit::Done(false);
        };
        match &node.kind {
            NodeKind::Provider(key) => Visit::Done(self.visit_provider(m, key).await),
            NodeKind::Expand(name) => Visit::Done(self.visit_expand(m, name)),
            NodeKind::Variable(name) => Visit::Done(self.visit_variable(m, name)),
            NodeKind::Local(name) => Visit::Done(self.visit_local(m, name)),
            NodeKind::Output(name) => Visit::Done(self.visit_output(m, name)),
            NodeKind::Resource(addr) => match m.resources.get(addr) {
                Some(r) => self.visit_resource(i, m, r, jobs),
                None => Visit::Done(false),
            },
        }
    }

    fn start(&mut self, i: NodeIndex, jobs: &mut Jobs<JobOutput>) -> Visit {
        self.start_instance(i, jobs)
    }

    fn finished(&mut self, i: NodeIndex, (mi, key, result): JobOutput) -> bool {
        self.finish_instance(i, &mi, &key, result)
    }

    fn lost(&mut self, e: tokio::task::JoinError) {
        self.out
            .diags
            .push(Diagnostic::error(format!("internal error: a task failed: {e}")));
        self.out.failed = true;
    }
}

impl<'a, R: Runner> Coordinator<'a, R> {
    fn module(&self, path: &[String]) -> Option<&'a Module> {
        self.ctx.config.root.descendant(path)
    }

    fn instances(&self, path: &[String]) -> Vec<ModInst> {
        self.values.instances.get(path).cloned().unwrap_or_default()
    }

    fn scope<'s>(
        &'s self,
        m: &Module,
        mi: &ModInst,
        count_index: Option<usize>,
        each: Option<(String, Value)>,
    ) -> InstanceScope<'s> {
        static EMPTY: std::sync::OnceLock<ModuleValues> = std::sync::OnceLock::new();
        InstanceScope {
            values: self
                .values
                .module(mi)
                .unwrap_or_else(|| EMPTY.get_or_init(ModuleValues::default)),
            count_index,
            each,
            self_value: None,
            path_module: relative_to(&m.dir, self.ctx.root_dir),
            path_root: std::path::PathBuf::from("."),
            path_cwd: self.ctx.root_dir.to_path_buf(),
            env_name: self.ctx.env_name,
            planning: self.ctx.planning,
        }
    }

    fn eval_in(&self, expr: &Expr, _m: &Module, scope: &dyn Scope) -> Result<Value, Vec<Diagnostic>> {
        eval(
            &expr.expr,
            &EvalContext {
                file: expr.file,
                scope,
                secrets: self.ctx.secrets,
                base_dir: self.ctx.root_dir,
            },
        )
    }

    async fn visit_provider(&mut self, root: &Module, key: &str) -> bool {
        let Some(provider) = self.ctx.providers.instances.get(key).cloned() else {
            return false;
        };
        let block = root.providers.iter().find(|p| p.key() == key);
        let config = match block {
            Some(b) => {
                let schema = self
                    .ctx
                    .providers
                    .provider_schemas
                    .get(&b.name)
                    .cloned()
                    .unwrap_or_default();
                let scope = self.scope(root, &Vec::new(), None, None);
                let ctx = EvalContext {
                    file: b.file,
                    scope: &scope,
                    secrets: self.ctx.secrets,
                    base_dir: self.ctx.root_dir,
                };
                match eval_body(&b.body, &schema, &ctx) {
                    Ok(v) => v,
                    Err(ds) => {
                        self.out.diags.extend(ds);
                        return false;
                    }
                }
            }
            None => Value::Null,
        };
        let req = ConfigureRequest {
            config: config.unmark().0,
            working_dir: self.ctx.root_dir.to_path_buf(),
        };
        match provider.configure(req).await {
            Ok(()) => {
                if let Ok(mut c) = self.ctx.providers.configured.lock() {
                    c.insert(key.to_string());
                }
                true
            }
            Err(e) => {
                let mut d = Diagnostic::error(format!("Cannot configure provider {key}: {}", e.message))
                    .with_detail("check the provider block and the credentials it uses");
                if let Some(b) = block {
                    d = d.with_span(b.span.clone());
                }
                self.out.diags.push(d);
                false
            }
        }
    }

    fn visit_expand(&mut self, m: &Module, name: &str) -> bool {
        let Some(call) = m.calls.get(name) else { return false };
        let Some(child) = m.children.get(name) else {
            return false;
        };
        let mut ok = true;
        let mut made = Vec::new();
        for mi in self.instances(&m.path) {
            let (keys, each_values) = {
                let scope = self.scope(m, &mi, None, None);
                match self.expand_keys(
                    m,
                    &scope,
                    call.count.as_ref(),
                    call.for_each.as_ref(),
                    &format!("module.{name}"),
                ) {
                    Ok(k) => k,
                    Err(ds) => {
                        self.out.diags.extend(ds);
                        ok = false;
                        continue;
                    }
                }
            };
            let mut aggregate = match keys.first() {
                Some(Key::Int(_)) => Value::List(Vec::new()),
                Some(Key::Str(_)) => Value::Map(Map::new()),
                _ if call.count.is_some() => Value::List(Vec::new()),
                _ if call.for_each.is_some() => Value::Map(Map::new()),
                _ => Value::Map(Map::new()),
            };
            for (key, each) in keys.iter().zip(each_values) {
                let mut child_mi = mi.clone();
                child_mi.push((name.to_string(), key.clone()));
                if key != &Key::None {
                    set_keyed(&mut aggregate, key, Value::Map(Map::new()));
                }
                let count_index = match key {
                    Key::Int(i) => Some(*i),
                    _ => None,
                };
                self.call_keys.insert(child_mi.clone(), (count_index, each));
                self.values.modules.insert(child_mi.clone(), ModuleValues::default());
                made.push(child_mi);
            }
            self.values.module_mut(&mi).calls.insert(name.to_string(), aggregate);
        }
        self.values
            .instances
            .entry(child.path.clone())
            .or_default()
            .extend(made);
        ok
    }

    /// The instance keys of a `count`/`for_each`, with each.value per key (at most
    /// [`MAX_INSTANCES`]).
    #[allow(clippy::type_complexity)]
    fn expand_keys(
        &self,
        m: &Module,
        scope: &dyn Scope,
        count: Option<&Expr>,
        for_each: Option<&Expr>,
        what: &str,
    ) -> Result<(Vec<Key>, Vec<Option<(String, Value)>>), Vec<Diagnostic>> {
        if let Some(e) = count {
            let v = self.eval_in(e, m, scope)?;
            if v.contains_unknown() {
                return Err(vec![Diagnostic::error("Invalid count argument")
                    .with_detail(format!(
                        "the count of {what} depends on values known only after apply; use a value known at plan time, or apply the resources it depends on first with --target"
                    ))
                    .with_span(e.span())]);
            }
            let n = v.as_f64().filter(|n| *n >= 0.0 && n.fract() == 0.0).ok_or_else(|| {
                vec![
                    Diagnostic::error("Invalid count argument")
                        .with_detail(format!("count must be a whole number of zero or more, got {v}"))
                        .with_span(e.span()),
                ]
            })?;
            if n > MAX_INSTANCES as f64 {
                return Err(vec![too_many_instances("count", what, e)]);
            }
            let n = n as usize;
            return Ok(((0..n).map(Key::Int).collect(), vec![None; n]));
        }
        if let Some(e) = for_each {
            let v = self.eval_in(e, m, scope)?;
            // As in Terraform, a map's values may be unknown: only its keys name instances.
            let keys_unknown = match v.strip_sensitive() {
                Value::Map(_) => false,
                other => other.contains_unknown(),
            };
            if keys_unknown {
                return Err(vec![Diagnostic::error("Invalid for_each argument")
                    .with_detail(format!(
                        "the for_each of {what} depends on values known only after apply; its keys must be known at plan time"
                    ))
                    .with_span(e.span())]);
            }
            if v.is_sensitive() {
                return Err(vec![
                    Diagnostic::error("Invalid for_each argument")
                        .with_detail(
                            "sensitive values cannot be used as for_each keys: they would show in resource addresses",
                        )
                        .with_span(e.span()),
                ]);
            }
            let n = match v.strip_sensitive() {
                Value::Map(m) => m.len(),
                Value::List(l) => l.len(),
                _ => 0,
            };
            if n > MAX_INSTANCES {
                return Err(vec![too_many_instances("for_each", what, e)]);
            }
            let mut keys = Vec::new();
            let mut eachs = Vec::new();
            match v {
                Value::Map(items) => {
                    for (k, v) in items {
                        keys.push(Key::Str(k.clone()));
                        eachs.push(Some((k, v)));
                    }
                }
                Value::List(items) => {
                    let mut seen = HashSet::new();
                    for item in items {
                        let Some(s) = item.as_str().map(str::to_string) else {
                            return Err(vec![
                                Diagnostic::error("Invalid for_each argument")
                                    .with_detail(
                                        "for_each takes a map, or a set of strings; this list holds a non-string",
                                    )
                                    .with_span(e.span()),
                            ]);
                        };
                        if seen.insert(s.clone()) {
                            keys.push(Key::Str(s.clone()));
                            eachs.push(Some((s.clone(), Value::string(s))));
                        }
                    }
                }
                Value::Null => {
                    return Err(vec![
                        Diagnostic::error("Invalid for_each argument")
                            .with_detail("for_each is null; use an empty map or set for no instances")
                            .with_span(e.span()),
                    ]);
                }
                other => {
                    return Err(vec![
                        Diagnostic::error("Invalid for_each argument")
                            .with_detail(format!(
                                "for_each takes a map or a set of strings, got {}",
                                other.type_name()
                            ))
                            .with_span(e.span()),
                    ]);
                }
            }
            return Ok((keys, eachs));
        }
        Ok((vec![Key::None], vec![None]))
    }

    fn visit_variable(&mut self, m: &Module, name: &str) -> bool {
        let Some(var) = m.variables.get(name) else { return false };
        if m.path.is_empty() {
            let v = self.ctx.root_vars.get(name).cloned().unwrap_or(Value::Null);
            self.values.module_mut(&Vec::new()).vars.insert(name.to_string(), v);
            return true;
        }
        let parent_path = &m.path[..m.path.len() - 1];
        let Some(parent) = self.module(parent_path) else {
            return false;
        };
        let call_name = &m.path[m.path.len() - 1];
        let Some(call) = parent.calls.get(call_name) else {
            return false;
        };
        let mut ok = true;
        for mi in self.instances(&m.path) {
            let parent_mi: ModInst = mi[..mi.len() - 1].to_vec();
            let (count_index, each) = self.call_keys.get(&mi).cloned().unwrap_or((None, None));
            let raw = match call.inputs.get(name) {
                Some((expr, _)) => {
                    let scope = self.scope(parent, &parent_mi, count_index, each);
                    self.eval_in(expr, parent, &scope)
                }
                None => match &var.default {
                    Some(d) => {
                        let scope = crate::lang::EmptyScope;
                        self.eval_in(d, m, &scope)
                    }
                    None => Ok(Value::Null),
                },
            };
            let checked = raw.and_then(|v| {
                if v.contains_unknown() && !v.is_unknown() {
                    // Conversion of partly unknown values keeps the unknown parts.
                    plinth_sdk::convert::convert(v, &var.ty.clone().unwrap_or(plinth_sdk::Type::Any))
                        .map(|v| v.mark_if(var.sensitive))
                        .map_err(|e| {
                            vec![
                                Diagnostic::error(format!("Invalid value for variable {name:?}"))
                                    .with_detail(e.message),
                            ]
                        })
                } else if v.is_unknown() {
                    Ok(Value::Unknown.mark_if(var.sensitive))
                } else {
                    check_variable(var, v, self.ctx.root_dir, self.ctx.secrets).map_err(|ds| {
                        ds.into_iter()
                            .map(|d| d.with_span(call.inputs.get(name).and_then(|(e, _)| e.span())))
                            .collect()
                    })
                }
            });
            match checked {
                Ok(v) => {
                    self.values.module_mut(&mi).vars.insert(name.to_string(), v);
                }
                Err(ds) => {
                    self.out.diags.extend(ds);
                    ok = false;
                }
            }
        }
        ok
    }

    fn visit_local(&mut self, m: &Module, name: &str) -> bool {
        let Some(l) = m.locals.get(name) else { return false };
        let mut ok = true;
        for mi in self.instances(&m.path) {
            let r = {
                let scope = self.scope(m, &mi, None, None);
                self.eval_in(&l.expr, m, &scope)
            };
            match r {
                Ok(v) => {
                    self.values.module_mut(&mi).locals.insert(name.to_string(), v);
                }
                Err(ds) => {
                    self.out.diags.extend(ds);
                    ok = false;
                }
            }
        }
        ok
    }

    fn visit_output(&mut self, m: &Module, name: &str) -> bool {
        let Some(o) = m.outputs.get(name) else { return false };
        let mut ok = true;
        for mi in self.instances(&m.path) {
            let r = {
                let scope = self.scope(m, &mi, None, None);
                let checks = self.run_checks(&o.preconditions, m, &scope, &format!("output {name:?}"));
                checks.and_then(|_| self.eval_in(&o.value, m, &scope))
            };
            let v = match r {
                Ok(v) => v,
                Err(ds) => {
                    self.out.diags.extend(ds);
                    ok = false;
                    continue;
                }
            };
            if v.contains_sensitive() && !o.sensitive {
                self.out.diags.push(
                    Diagnostic::error(format!("Output {name:?} refers to sensitive values"))
                        .with_detail("add `sensitive = true` to the output to show that this is intended; its value is then hidden")
                        .with_span(o.span.clone()),
                );
                ok = false;
                continue;
            }
            let v = v.mark_if(o.sensitive);
            if mi.is_empty() {
                self.out.outputs.insert(name.to_string(), (v, o.sensitive));
            } else {
                let (call, key) = mi[mi.len() - 1].clone();
                let parent: ModInst = mi[..mi.len() - 1].to_vec();
                let pv = self.values.module_mut(&parent);
                let slot = pv.calls.entry(call).or_insert(Value::Map(Map::new()));
                let mut obj = match (&key, &*slot) {
                    (Key::None, Value::Map(m)) => Value::Map(m.clone()),
                    (Key::Int(i), Value::List(l)) => l.get(*i).cloned().unwrap_or(Value::Map(Map::new())),
                    (Key::Str(k), Value::Map(m)) => m.get(k).cloned().unwrap_or(Value::Map(Map::new())),
                    _ => Value::Map(Map::new()),
                };
                if let Value::Map(fields) = &mut obj {
                    fields.insert(name.to_string(), v);
                }
                set_keyed(slot, &key, obj);
            }
        }
        ok
    }

    /// Runs validation-like checks; a false condition is an error with the check's message.
    fn run_checks(&self, checks: &[Check], m: &Module, scope: &dyn Scope, what: &str) -> Result<(), Vec<Diagnostic>> {
        let mut errors = Vec::new();
        for c in checks {
            match self.eval_in(&c.condition, m, scope) {
                Ok(v) if v.as_bool() == Some(false) => {
                    let values = condition_values(&c.condition.expr, |term| {
                        let term = Expr {
                            file: c.condition.file,
                            expr: term.clone(),
                        };
                        self.eval_in(&term, m, scope).ok()
                    });
                    let msg = failed_check_detail(
                        self.eval_in(&c.error_message, m, scope).ok(),
                        "the condition is false",
                        &values,
                    );
                    errors.push(
                        Diagnostic::error(format!("Condition failed for {what}"))
                            .with_detail(msg)
                            .with_span(c.condition.span()),
                    );
                }
                Ok(_) => {}
                Err(ds) => errors.extend(ds),
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    fn meta(&mut self, i: NodeIndex, m: &Module, r: &Resource) -> Option<Arc<ResourceMeta>> {
        if let Some(meta) = self.metas.get(&i) {
            return Some(meta.clone());
        }
        let schema = self
            .ctx
            .providers
            .resource_schemas
            .get(&(r.provider_name().to_string(), r.mode, r.type_name.clone()))?
            .clone();
        let meta = Arc::new(ResourceMeta {
            mode: r.mode,
            type_name: r.type_name.clone(),
            name: r.name.clone(),
            local_addr: r.local_address(),
            // The graph builder reported a configuration that does not resolve.
            provider_key: crate::config::providers::resolve(&self.ctx.config.root, &m.path, r).ok()?,
            schema,
            prevent_destroy: r.lifecycle.prevent_destroy,
            create_before_destroy: r.lifecycle.create_before_destroy,
            ignore_changes: match &r.lifecycle.ignore_changes {
                IgnoreChanges::None => IgnoreChanges::None,
                IgnoreChanges::All => IgnoreChanges::All,
                IgnoreChanges::Paths(p) => IgnoreChanges::Paths(p.clone()),
            },
            replace_triggered_by: r
                .lifecycle
                .replace_triggered_by
                .iter()
                .map(|(_, t)| t.clone())
                .collect(),
            dependencies: self.dependencies.get(&i).cloned().unwrap_or_default(),
            read_after: match r.mode {
                Mode::Data => read_after(self.ctx.graph, &self.ctx.config.root, i, m, r),
                Mode::Managed => Vec::new(),
            },
            span: r.span.clone(),
        });
        self.metas.insert(i, meta.clone());
        Some(meta)
    }

    fn visit_resource(&mut self, i: NodeIndex, m: &Module, r: &Resource, jobs: &mut Jobs<JobOutput>) -> Visit {
        let local = r.local_address();
        if !self.ctx.resources {
            for mi in self.instances(&m.path) {
                self.values
                    .module_mut(&mi)
                    .resources
                    .insert(local.clone(), Value::Unknown);
            }
            return Visit::Done(true);
        }
        let Some(meta) = self.meta(i, m, r) else {
            return Visit::Done(false);
        };
        if !self.ctx.providers.instances.contains_key(&meta.provider_key) {
            return Visit::Done(false);
        }
        let mut waiting = Waiting::default();
        let mut deferred = 0;
        for mi in self.instances(&m.path) {
            let expanded = {
                let scope = self.scope(m, &mi, None, None);
                self.expand_keys(m, &scope, r.count.as_ref(), r.for_each.as_ref(), &local)
            };
            let (keys, eachs) = match expanded {
                Ok(k) => k,
                Err(ds) => {
                    self.out.diags.extend(ds);
                    waiting.failed = true;
                    continue;
                }
            };
            // Pre-size the aggregate so references by index see every instance.
            let mut aggregate = if r.count.is_some() {
                Value::List(vec![Value::Unknown; keys.len()])
            } else if r.for_each.is_some() {
                Value::Map(Map::new())
            } else {
                Value::Unknown
            };
            for k in &keys {
                if let Key::Str(_) = k {
                    set_keyed(&mut aggregate, k, Value::Unknown);
                }
            }
            self.values.module_mut(&mi).resources.insert(local.clone(), aggregate);
            for key in &keys {
                self.out.instances.insert(instance_address(&mi, &local, key));
            }
            deferred += keys.len();
            let keys = if r.count.is_some() {
                Keys::Count(0..keys.len())
            } else {
                Keys::Each(keys.into_iter().zip(eachs).collect::<Vec<_>>().into_iter())
            };
            if keys.len() > 0 {
                waiting.instances.push_back((mi, keys));
            }
        }
        if waiting.failed {
            self.out.failed = true;
            if deferred == 0 {
                return Visit::Done(false);
            }
        }
        if deferred > 0 {
            self.waiting.insert(i, waiting);
            jobs.defer(deferred);
        }
        Visit::Jobs
    }

    /// Evaluates the configuration of the next waiting instance of resource node `i` and spawns
    /// its job ([`Visit::Jobs`]); an instance whose preconditions or configuration fail
    /// finishes at once, failing the node only when no instance of it started (as a visit that
    /// starts no job fails when one of its instances did).
    fn start_instance(&mut self, i: NodeIndex, jobs: &mut Jobs<JobOutput>) -> Visit {
        let Some(waiting) = self.waiting.get_mut(&i) else {
            return Visit::Done(false);
        };
        let Some((mi, keys)) = waiting.instances.front_mut() else {
            return Visit::Done(false);
        };
        let Some((key, each)) = keys.next() else {
            return Visit::Done(false);
        };
        let mi = if keys.len() == 0 {
            waiting.instances.pop_front().map(|(mi, _)| mi).unwrap_or_default()
        } else {
            mi.clone()
        };
        let last = waiting.instances.is_empty();
        let node = &self.ctx.graph.dag[i];
        let (Some(m), NodeKind::Resource(local), Some(meta)) =
            (self.module(&node.module), &node.kind, self.metas.get(&i).cloned())
        else {
            return Visit::Done(false);
        };
        let (Some(r), Some(provider)) = (
            m.resources.get(local),
            self.ctx.providers.instances.get(&meta.provider_key).cloned(),
        ) else {
            return Visit::Done(false);
        };
        let address = instance_address(&mi, local, &key);
        let count_index = match key {
            Key::Int(i) => Some(i),
            _ => None,
        };
        let evaluated = {
            let scope = self.scope(m, &mi, count_index, each);
            let checked = self.run_checks(&r.preconditions, m, &scope, &address);
            let provisioners = if self.ctx.planning {
                Vec::new()
            } else {
                r.provisioners
                    .iter()
                    .filter(|p| p.when == crate::config::provisioner::When::Create)
                    .map(|p| Arc::new(crate::config::provisioner::prepare(p, &scope)))
                    .collect()
            };
            let ctx = EvalContext {
                file: r.file,
                scope: &scope,
                secrets: self.ctx.secrets,
                base_dir: self.ctx.root_dir,
            };
            checked
                .and_then(|_| eval_body(&r.body, &meta.schema, &ctx))
                .and_then(|config| provider_checks(&*provider, &meta, &address, r, config, &mut self.out.diags))
                .map(|config| (config, provisioners))
        };
        let waiting = self.waiting.get_mut(&i);
        match evaluated {
            Ok((config, provisioners)) => {
                if let Some(w) = waiting {
                    w.started += 1;
                }
                let mut job = InstanceJob {
                    address,
                    module: mi,
                    key,
                    meta,
                    provider,
                    config,
                    permit: None,
                    provisioners,
                };
                let runner = self.runner.clone();
                let (mi, key) = (job.module.clone(), job.key.clone());
                let label = job.address.clone();
                jobs.spawn_with_permit(label, move |permit| async move {
                    job.permit = permit;
                    (mi, key, runner.run(job).await)
                });
                if last {
                    self.waiting.remove(&i);
                }
                Visit::Jobs
            }
            Err(ds) => {
                for d in ds {
                    self.out.diags.push(d.with_address(address.clone()));
                }
                self.out.failed = true;
                let started = waiting.map_or(0, |w| {
                    w.failed = true;
                    w.started
                });
                if last {
                    self.waiting.remove(&i);
                }
                Visit::Done(!last || started > 0)
            }
        }
    }

    /// Records a finished job; returns whether it succeeded (postconditions included).
    fn finish_instance(&mut self, i: NodeIndex, mi: &ModInst, key: &Key, result: Result<Value, Diagnostic>) -> bool {
        let node = &self.ctx.graph.dag[i];
        let NodeKind::Resource(local) = &node.kind else {
            return false;
        };
        match result {
            Ok(v) => {
                let mut ok = true;
                if let Some(m) = self.module(&node.module)
                    && let Some(r) = m.resources.get(local)
                    && !r.postconditions.is_empty()
                    && !v.contains_unknown()
                {
                    let (count_index, each) = match key {
                        Key::Int(i) => (Some(*i), None),
                        Key::Str(k) => (None, r.for_each.as_ref().map(|_| (k.clone(), Value::string(k.clone())))),
                        Key::None => (None, None),
                    };
                    let mut scope = self.scope(m, mi, count_index, each);
                    scope.self_value = Some(&v);
                    let address = instance_address(mi, local, key);
                    if let Err(ds) = self.run_checks(&r.postconditions, m, &scope, &address) {
                        self.out.diags.extend(ds);
                        ok = false;
                    }
                }
                self.values.set_instance(mi, local, key, v);
                ok
            }
            Err(d) => {
                self.out.diags.push(d);
                false
            }
        }
    }
}

/// The most instances one resource, data source or module call may have by `count` or
/// `for_each`: each instance is a graph node with its own values, so a million of them would take
/// gigabytes. Far above any real configuration (see docs/reliability.md).
pub const MAX_INSTANCES: usize = 100_000;

fn too_many_instances(arg: &str, what: &str, e: &Expr) -> Diagnostic {
    Diagnostic::error(format!("Invalid {arg} argument"))
        .with_detail(format!(
            "the {arg} of {what} asks for more than {MAX_INSTANCES} instances, the most one block may have; split it, or use fewer"
        ))
        .with_span(e.span())
}

#[cfg(test)]
pub(crate) mod tests {
    //! The walker on inline configurations, with an in-process provider (`echo`) whose
    //! `echo_thing` has a `value` and a computed `id`, and a runner that records what it ran.

    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use async_trait::async_trait;
    use expect_test::{Expect, expect};
    use plinth_sdk::{
        ApplyRequest, ApplyResponse, Attribute, ImportRequest, PlanRequest, PlanResponse, ProviderError,
        ProviderSchema, ReadDataRequest, ReadRequest, ReadResponse, Type,
    };

    use super::*;

    /// The `echo` provider, with `echo_thing` and the state-only `echo_value` (the same schema).
    /// It plans (the configuration as it is), applies, deletes and configures; an apply logs
    /// `"apply ADDRESS"` and `"apply ADDRESS: done"` and returns the planned value, a delete
    /// `"delete ADDRESS"` and `"delete ADDRESS: done"`; both fail for the addresses in `fail`.
    #[derive(Default)]
    pub(crate) struct Echo {
        pub(crate) log: Mutex<Vec<String>>,
        pub(crate) fail: Vec<String>,
        pub(crate) running: AtomicUsize,
        pub(crate) most: AtomicUsize,
    }

    impl Echo {
        pub(crate) fn log(&self) -> Vec<String> {
            self.log.lock().map(|l| l.clone()).unwrap_or_default()
        }

        pub(crate) fn push(&self, line: String) {
            if let Ok(mut l) = self.log.lock() {
                l.push(line);
            }
        }
    }

    pub(crate) fn echo_schema() -> ProviderSchema {
        let mut s = ProviderSchema::default();
        let thing = Schema::new("echoes its value")
            .attr("value", Attribute::optional(Type::String))
            .attr("id", Attribute::computed(Type::String));
        s.resources.insert("echo_value".to_string(), thing.clone().state_only());
        s.resources.insert("echo_thing".to_string(), thing);
        s
    }

    #[async_trait]
    impl Provider for Echo {
        fn name(&self) -> &str {
            "echo"
        }
        fn schema(&self) -> ProviderSchema {
            echo_schema()
        }
        async fn configure(&self, _req: ConfigureRequest) -> Result<(), ProviderError> {
            Ok(())
        }
        fn validate(&self, req: &plinth_sdk::ValidateRequest) -> Vec<plinth_sdk::ProviderDiagnostic> {
            if req.config.get("value").as_str() == Some("invalid") {
                return vec![plinth_sdk::ProviderDiagnostic {
                    severity: plinth_sdk::Severity::Error,
                    summary: "value may not be \"invalid\"".to_string(),
                    detail: String::new(),
                    attribute: None,
                }];
            }
            Vec::new()
        }
        async fn plan(&self, req: PlanRequest) -> Result<PlanResponse, ProviderError> {
            Ok(PlanResponse {
                planned: req.config,
                requires_replace: Vec::new(),
            })
        }
        async fn apply(&self, req: ApplyRequest) -> Result<ApplyResponse, ProviderError> {
            let now = self.running.fetch_add(1, Ordering::SeqCst) + 1;
            self.most.fetch_max(now, Ordering::SeqCst);
            let verb = if req.planned.is_some() { "apply" } else { "delete" };
            self.push(format!("{verb} {}", req.address));
            tokio::task::yield_now().await;
            self.running.fetch_sub(1, Ordering::SeqCst);
            if self.fail.contains(&req.address) {
                return Err(ProviderError::with_code("DeleteProtected", "refused"));
            }
            self.push(format!("{verb} {}: done", req.address));
            Ok(ApplyResponse { new_state: req.planned })
        }
        async fn read(&self, _req: ReadRequest) -> Result<ReadResponse, ProviderError> {
            Err(ProviderError::new("not in these tests"))
        }
        async fn read_data(&self, _req: ReadDataRequest) -> Result<Value, ProviderError> {
            Err(ProviderError::new("not in these tests"))
        }
        async fn import(&self, _req: ImportRequest) -> Result<Value, ProviderError> {
            Err(ProviderError::new("not in these tests"))
        }
    }

    /// Runs instances without a provider: logs them, fails those whose value starts with
    /// `fail`, and returns the configuration with `id` set, as an apply would.
    #[derive(Default)]
    struct Recorder {
        log: Mutex<Vec<String>>,
        running: AtomicUsize,
        most: AtomicUsize,
    }

    impl Runner for Recorder {
        fn run(self: Arc<Self>, job: InstanceJob) -> JobFuture {
            Box::pin(async move {
                // Take the whole job (an async block would otherwise capture only the fields it
                // uses, and the parallelism permit would be dropped when `run` returns).
                let job = job;
                let now = self.running.fetch_add(1, Ordering::SeqCst) + 1;
                self.most.fetch_max(now, Ordering::SeqCst);
                if let Ok(mut l) = self.log.lock() {
                    l.push(format!("run {}", job.address));
                }
                tokio::task::yield_now().await;
                self.running.fetch_sub(1, Ordering::SeqCst);
                let value = job.config.get("value").as_str().unwrap_or_default().to_string();
                if value.starts_with("fail") {
                    return Err(Diagnostic::error("failed").with_address(job.address));
                }
                let mut v = job.config.clone();
                if let Value::Map(m) = &mut v {
                    m.insert("id".to_string(), Value::string(format!("id-{value}")));
                }
                Ok(v)
            })
        }
    }

    /// A loaded and built configuration in a temporary directory.
    pub(crate) struct Fixture {
        pub(crate) dir: tempfile::TempDir,
        pub(crate) config: Config,
        pub(crate) graph: Graph,
        pub(crate) providers: Providers,
    }

    impl Fixture {
        pub(crate) fn new(files: &[(&str, &str)], echo: Arc<Echo>) -> Fixture {
            let dir = tempfile::tempdir().expect("temporary directory");
            for (name, text) in files {
                let path = dir.path().join(name);
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).expect("module directory");
                }
                std::fs::write(path, text).expect("configuration file");
            }
            let (config, diags) = crate::config::load::load(dir.path());
            assert!(!diags.has_errors(), "{diags:?}");
            let schemas: super::super::build::Schemas = [("echo".to_string(), echo_schema())].into_iter().collect();
            let (graph, diags) = super::super::build::build(&config, &schemas);
            assert!(!diags.has_errors(), "{diags:?}");
            let mut providers = Providers::new([("echo".to_string(), echo as Arc<dyn Provider>)].into());
            providers.add_schema("echo".to_string(), echo_schema());
            Fixture {
                dir,
                config,
                graph,
                providers,
            }
        }

        pub(crate) fn context(&self, parallelism: usize) -> WalkContext<'_> {
            static NO_VARS: Map = Map::new();
            WalkContext {
                config: &self.config,
                graph: &self.graph,
                providers: &self.providers,
                root_vars: &NO_VARS,
                env_name: "default",
                root_dir: self.dir.path(),
                parallelism,
                include: None,
                resources: true,
                planning: false,
                interrupt: None,
                secrets: &crate::lang::NoSecrets,
            }
        }

        /// Diagnostics as `LOCATION: SUMMARY (DETAIL)`, one a line.
        pub(crate) fn show(&self, diags: &[Diagnostic]) -> String {
            diags
                .iter()
                .map(|d| {
                    let at = d
                        .span
                        .as_ref()
                        .and_then(|s| self.config.sources.location(s, self.dir.path()))
                        .or_else(|| d.address.clone())
                        .unwrap_or_default();
                    format!("{at}: {} ({})\n", d.summary, d.detail)
                })
                .collect()
        }
    }

    /// Walks `hcl` with `parallelism` on one thread (so the log is deterministic) and shows what
    /// ran, the root outputs, the diagnostics and whether the walk failed.
    fn check(hcl: &str, expect: Expect) {
        let f = Fixture::new(&[("main.hcl", hcl)], Arc::new(Echo::default()));
        let runner = Arc::new(Recorder::default());
        let rt = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
        let (outcome, _) = rt.block_on(walk(&f.context(1), runner.clone()));
        let mut out = runner.log.lock().map(|l| l.join("\n")).unwrap_or_default();
        for (name, (v, _)) in &outcome.outputs {
            out.push_str(&format!("\noutput {name} = {v}"));
        }
        out.push('\n');
        out.push_str(&f.show(&outcome.diags.0));
        out.push_str(&format!("failed: {}", outcome.failed));
        expect.assert_eq(&out);
    }

    #[test]
    fn instances_run_after_what_they_refer_to_and_see_its_values() {
        check(
            r#"
resource "echo_thing" "b" {
  value = join("+", echo_thing.a[*].id)
}
resource "echo_thing" "a" {
  count = 2
  value = "a${count.index}"
}
locals {
  keys = toset(["x", "y"])
}
resource "echo_thing" "c" {
  for_each = local.keys
  value    = "${each.key}-${echo_thing.b.id}"
}
output "c" {
  value = { for k, v in echo_thing.c : k => v.id }
}
"#,
            expect![[r#"
                run echo_thing.a[0]
                run echo_thing.a[1]
                run echo_thing.b
                run echo_thing.c["x"]
                run echo_thing.c["y"]
                output c = {x = "id-x-id-id-a0+id-a1", y = "id-y-id-id-a0+id-a1"}
                failed: false"#]],
        );
    }

    #[test]
    fn a_failed_instance_skips_its_dependents_and_the_rest_goes_on() {
        check(
            r#"
resource "echo_thing" "a" {
  count = 2
  value = count.index == 1 ? "fail" : "ok"
}
resource "echo_thing" "b" {
  value = echo_thing.a[0].id
}
resource "echo_thing" "other" {
  value = "other"
}
output "b" {
  value = echo_thing.b.id
}
output "other" {
  value = echo_thing.other.id
}
"#,
            expect![[r#"
                run echo_thing.other
                run echo_thing.a[0]
                run echo_thing.a[1]
                output other = "id-other"
                echo_thing.a[1]: failed ()
                failed: true"#]],
        );
    }

    #[test]
    fn evaluation_and_provider_errors_name_the_place() {
        check(
            r#"
resource "echo_thing" "a" {
  count = -1
}
resource "echo_thing" "b" {
  value = "invalid"
}
resource "echo_thing" "c" {
  value = "fine"
}
"#,
            expect![[r#"
                run echo_thing.c
                main.hcl:5:1: echo_thing.b: value may not be "invalid" ()
                main.hcl:3:11: Invalid count argument (count must be a whole number of zero or more, got -1)
                failed: true"#]],
        );
    }

    #[test]
    fn a_resource_fails_when_none_of_its_instances_could_start() {
        // Each instance's configuration is evaluated when its job may start: a[1]'s fails, the
        // others run and b after them; none of c's can, so c fails and d is skipped.
        check(
            r#"
resource "echo_thing" "a" {
  count = 3
  value = count.index == 1 ? "invalid" : "ok${count.index}"
}
resource "echo_thing" "b" {
  value = "after-${length(echo_thing.a)}"
}
resource "echo_thing" "c" {
  count = 2
  value = "invalid"
}
resource "echo_thing" "d" {
  value = length(echo_thing.c)
}
"#,
            expect![[r#"
                run echo_thing.a[0]
                run echo_thing.a[2]
                run echo_thing.b
                main.hcl:9:1: echo_thing.c[0]: value may not be "invalid" ()
                main.hcl:9:1: echo_thing.c[1]: value may not be "invalid" ()
                main.hcl:2:1: echo_thing.a[1]: value may not be "invalid" ()
                failed: true"#]],
        );
    }

    #[test]
    fn a_walk_can_move_between_threads() {
        fn send<T: Send>(_: T) {}
        let f = Fixture::new(&[("main.hcl", "locals {\n  a = 1\n}\n")], Arc::new(Echo::default()));
        send(walk(&f.context(1), Arc::new(Recorder::default())));
    }

    #[test]
    fn modules_expand_per_instance() {
        let f = Fixture::new(
            &[
                (
                    "main.hcl",
                    r#"
module "m" {
  source   = "./m"
  for_each = toset(["p", "q"])
  name     = each.key
}
output "ids" {
  value = [for k, m in module.m : m.id]
}
"#,
                ),
                (
                    "m/main.hcl",
                    r#"
variable "name" {}
resource "echo_thing" "t" {
  value = var.name
}
output "id" {
  value = echo_thing.t.id
}
"#,
                ),
            ],
            Arc::new(Echo::default()),
        );
        let runner = Arc::new(Recorder::default());
        let rt = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
        let (outcome, _) = rt.block_on(walk(&f.context(4), runner.clone()));
        assert!(!outcome.failed, "{}", f.show(&outcome.diags.0));
        let mut instances: Vec<_> = outcome.instances.into_iter().collect();
        instances.sort();
        expect![[r#"["module.m[\"p\"].echo_thing.t", "module.m[\"q\"].echo_thing.t"]"#]]
            .assert_eq(&format!("{instances:?}"));
        expect![[r#"["id-p", "id-q"]"#]].assert_eq(&outcome.outputs["ids"].0.to_string());
    }

    #[test]
    fn at_most_parallelism_instances_run_at_once_and_many_instances_walk_in_one_pass() {
        let f = Fixture::new(
            &[(
                "main.hcl",
                r#"
resource "echo_thing" "many" {
  count = 10000
  value = "v${count.index}"
}
resource "echo_thing" "all" {
  value = length(echo_thing.many)
}
"#,
            )],
            Arc::new(Echo::default()),
        );
        let runner = Arc::new(Recorder::default());
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .build()
            .expect("runtime");
        let (outcome, _) = rt.block_on(walk(&f.context(3), runner.clone()));
        assert!(!outcome.failed, "{}", f.show(&outcome.diags.0));
        assert_eq!(outcome.instances.len(), 10001);
        let most = runner.most.load(Ordering::SeqCst);
        assert!(
            (1..=3).contains(&most),
            "{most} instances ran at once with parallelism 3"
        );
        let log = runner.log.lock().map(|l| l.clone()).unwrap_or_default();
        assert_eq!(log.last().map(String::as_str), Some("run echo_thing.all"));
    }
}
