//! `TestProvider`: an in-process provider named `test` whose "platform" is a process-global map.
//!
//! Each configuration directory gets its own [`Store`], keyed by the working directory the engine
//! passes to `configure` (every test has its own temporary directory), so tests running in
//! parallel never see each other's objects. Tests read the store to check what was really
//! created, and change it between runs to simulate out-of-band edits and deletes.
//!
//! Behaviour a test can rely on:
//! - every create, update and delete also goes to [`Store::via`] as `"<op> <name> via <label>"`,
//!   where `label` is the `label` argument of the provider configuration that acted (`-` when
//!   it has none), so tests can tell which configuration managed an object.
//! - `test_thing`'s `id` is `"id-" + name`; a second object with the same name is refused
//!   (`AlreadyExists`), as a cloud API refuses a duplicate name.
//! - a create whose name starts with `fail` is refused (`InvalidName`); a delete of an object
//!   tagged `fail_delete = "true"` is refused (`DeleteProtected`).
//! - a create or update of an object tagged `never_ready = "true"` writes the object, then fails
//!   (`NeverReady`) with the object's state as partial state, as a Kubernetes Deployment whose
//!   rollout times out does.
//! - every apply call waits a little and logs `"<op> <name>"` when it starts and
//!   `"<op> <name>: done"` when it finishes (`op` is `create`, `update` or `delete`), so tests can
//!   check ordering.
//! - `validate` rejects a negative `size`.
//! - `test_lookup { name }` reads the object with that name: `{ name, id, size }`.
//! - `test_firewall` is a thing with nested blocks, for `dynamic` blocks: a list of `rule` blocks
//!   (each with a set of `source` blocks) and at most one `logging` block.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard, RwLock};
use std::time::Duration;

use async_trait::async_trait;
use plinth_sdk::Map;
use plinth_sdk::plan::default_plan;
use plinth_sdk::{
    ApplyRequest, ApplyResponse, AttrPath, Attribute, BlockSchema, ConfigureRequest, ImportRequest, Nesting,
    PlanRequest, PlanResponse, Provider, ProviderDiagnostic, ProviderError, ProviderSchema, ReadDataRequest,
    ReadRequest, ReadResponse, Schema, Severity, Type, ValidateRequest, Value,
};

/// What the fake platform holds for one configuration directory.
#[derive(Clone, Debug, Default)]
pub struct Store {
    /// Objects by id.
    pub objects: Map,
    /// Apply calls in the order they started and finished.
    pub log: Vec<String>,
    /// Apply calls with the `label` of the provider configuration that made them.
    pub via: Vec<String>,
}

impl Store {
    /// The object named `name`, if it exists.
    pub fn by_name(&self, name: &str) -> Option<&Value> {
        self.objects.values().find(|o| o.get("name").as_str() == Some(name))
    }

    /// The names of all objects, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .objects
            .values()
            .filter_map(|o| o.get("name").as_str().map(str::to_string))
            .collect();
        v.sort();
        v
    }
}

static STORES: LazyLock<Mutex<HashMap<PathBuf, Store>>> = LazyLock::new(|| Mutex::new(HashMap::new()));

fn stores() -> MutexGuard<'static, HashMap<PathBuf, Store>> {
    // A test that panicked while holding the lock must not fail every other test.
    STORES.lock().unwrap_or_else(|p| p.into_inner())
}

/// Runs `f` on the store of the configuration directory `root`.
pub fn with_store<T>(root: &Path, f: impl FnOnce(&mut Store) -> T) -> T {
    f(stores().entry(root.to_path_buf()).or_default())
}

/// A copy of the store of `root`.
pub fn store(root: &Path) -> Store {
    with_store(root, |s| s.clone())
}

fn schema() -> ProviderSchema {
    let mut s = ProviderSchema {
        provider: Schema::new("the test provider").attr("label", Attribute::optional(Type::String)),
        ..Default::default()
    };
    s.resources.insert(
        "test_thing".to_string(),
        Schema::new("a thing")
            .attr("name", Attribute::required(Type::String).force_new())
            .attr("size", Attribute::optional(Type::Number))
            .attr("tags", Attribute::optional(Type::Map(Box::new(Type::String))))
            .attr("secret", Attribute::optional(Type::String).sensitive())
            .attr("id", Attribute::computed(Type::String)),
    );
    let block = |nesting, schema, max_items| BlockSchema {
        nesting,
        schema,
        min_items: 0,
        max_items,
        force_new: false,
    };
    s.resources.insert(
        "test_firewall".to_string(),
        Schema::new("a thing with nested blocks")
            .attr("name", Attribute::required(Type::String).force_new())
            .attr("id", Attribute::computed(Type::String))
            .block(
                "rule",
                block(
                    Nesting::List,
                    Schema::new("a rule")
                        .attr("port", Attribute::required(Type::Number))
                        .attr("protocol", Attribute::optional(Type::String))
                        .block(
                            "source",
                            block(
                                Nesting::Set,
                                Schema::new("where traffic may come from")
                                    .attr("cidr", Attribute::required(Type::String)),
                                None,
                            ),
                        ),
                    None,
                ),
            )
            .block(
                "logging",
                block(
                    Nesting::Single,
                    Schema::new("logging").attr("level", Attribute::optional(Type::String)),
                    Some(1),
                ),
            ),
    );
    s.data_sources.insert(
        "test_lookup".to_string(),
        Schema::new("looks a thing up by name")
            .attr("name", Attribute::required(Type::String))
            .attr("id", Attribute::computed(Type::String))
            .attr("size", Attribute::computed(Type::Number)),
    );
    s
}

/// The test provider; `configure` tells it which store to use.
#[derive(Default)]
pub struct TestProvider {
    root: RwLock<Option<PathBuf>>,
    /// The configuration's `label` argument.
    label: RwLock<Option<String>>,
}

/// A `registry::Factory` for the test provider.
pub fn factory() -> Arc<dyn Provider> {
    Arc::new(TestProvider::default())
}

fn err(code: &str, message: impl Into<String>) -> ProviderError {
    ProviderError::with_code(code, message)
}

impl TestProvider {
    fn root(&self) -> Result<PathBuf, ProviderError> {
        self.root
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .ok_or_else(|| err("NotConfigured", "the test provider was used before configure"))
    }

    fn log(&self, line: String) -> Result<(), ProviderError> {
        let root = self.root()?;
        with_store(&root, |s| s.log.push(line));
        Ok(())
    }
}

/// The answer to a create or update that wrote `state`: the state, or, for an object tagged
/// `never_ready = "true"`, an error carrying it.
fn never_ready(name: &str, state: Value) -> Result<Option<Value>, ProviderError> {
    if state.get("tags").get("never_ready").as_str() == Some("true") {
        return Err(
            err("NeverReady", format!("{name:?} was written but never became ready")).with_partial_state(state),
        );
    }
    Ok(Some(state))
}

fn name_of(v: &Value) -> String {
    v.get("name").as_str().unwrap_or("?").to_string()
}

#[async_trait]
impl Provider for TestProvider {
    fn name(&self) -> &str {
        "test"
    }

    fn schema(&self) -> ProviderSchema {
        schema()
    }

    async fn configure(&self, req: ConfigureRequest) -> Result<(), ProviderError> {
        *self.root.write().unwrap_or_else(|p| p.into_inner()) = Some(req.working_dir);
        *self.label.write().unwrap_or_else(|p| p.into_inner()) = req.config.get("label").as_str().map(str::to_string);
        Ok(())
    }

    fn validate(&self, req: &ValidateRequest) -> Vec<ProviderDiagnostic> {
        match req.config.get("size").as_f64() {
            Some(n) if n < 0.0 => vec![ProviderDiagnostic {
                severity: Severity::Error,
                summary: "Invalid size".to_string(),
                detail: format!("size must not be negative, got {n}"),
                attribute: Some(AttrPath::attr("size")),
            }],
            _ => Vec::new(),
        }
    }

    async fn plan(&self, req: PlanRequest) -> Result<PlanResponse, ProviderError> {
        if req.config.is_null() {
            return Ok(PlanResponse {
                planned: Value::Null,
                requires_replace: Vec::new(),
            });
        }
        let s = schema();
        let schema = s
            .resources
            .get(&req.type_name)
            .ok_or_else(|| err("UnknownType", req.type_name.clone()))?;
        Ok(default_plan(schema, req.prior.as_ref(), &req.config))
    }

    async fn apply(&self, req: ApplyRequest) -> Result<ApplyResponse, ProviderError> {
        let root = self.root()?;
        let (op, name) = match (&req.prior, &req.planned) {
            (_, None) => ("delete", req.prior.as_ref().map(name_of).unwrap_or_default()),
            (None, Some(p)) => ("create", name_of(p)),
            (Some(_), Some(p)) => ("update", name_of(p)),
        };
        self.log(format!("{op} {name}"))?;
        let label = self
            .label
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .unwrap_or_else(|| "-".to_string());
        with_store(&root, |s| s.via.push(format!("{op} {name} via {label}")));
        tokio::time::sleep(Duration::from_millis(20)).await;
        let result = with_store(&root, |s| match (req.prior, req.planned) {
            (prior, None) => {
                let tags = prior.as_ref().map(|p| p.get("tags").clone()).unwrap_or_default();
                if tags.get("fail_delete").as_str() == Some("true") {
                    return Err(err("DeleteProtected", format!("{name:?} refuses to be deleted")));
                }
                if let Some(id) = prior.as_ref().and_then(|p| p.get("id").as_str()) {
                    s.objects.remove(id);
                }
                Ok(None)
            }
            (None, Some(mut planned)) => {
                if name.starts_with("fail") {
                    return Err(err("InvalidName", format!("the name {name:?} is refused")));
                }
                if s.by_name(&name).is_some() {
                    return Err(err("AlreadyExists", format!("a thing named {name:?} already exists")));
                }
                let id = format!("id-{name}");
                if let Value::Map(m) = &mut planned {
                    m.insert("id".to_string(), Value::string(id.clone()));
                }
                s.objects.insert(id, planned.clone());
                never_ready(&name, planned)
            }
            (Some(prior), Some(planned)) => {
                let id = prior.get("id").as_str().unwrap_or_default().to_string();
                if !s.objects.contains_key(&id) {
                    return Err(err("NotFound", format!("no thing with id {id:?}")));
                }
                s.objects.insert(id, planned.clone());
                never_ready(&name, planned)
            }
        });
        self.log(format!("{op} {name}: done"))?;
        result.map(|new_state| ApplyResponse { new_state })
    }

    async fn read(&self, req: ReadRequest) -> Result<ReadResponse, ProviderError> {
        let root = self.root()?;
        let states = with_store(&root, |s| {
            req.instances
                .iter()
                .map(|i| {
                    let id = i.state.get("id").as_str().unwrap_or_default();
                    s.objects.get(id).cloned()
                })
                .collect()
        });
        Ok(ReadResponse { states })
    }

    async fn read_data(&self, req: ReadDataRequest) -> Result<Value, ProviderError> {
        let root = self.root()?;
        let name = name_of(&req.config);
        with_store(&root, |s| {
            let o = s
                .by_name(&name)
                .ok_or_else(|| err("NotFound", format!("no thing named {name:?}")))?;
            Ok(Value::object([
                ("name", Value::string(name.clone())),
                ("id", o.get("id").clone()),
                ("size", o.get("size").clone()),
            ]))
        })
    }

    async fn import(&self, req: ImportRequest) -> Result<Value, ProviderError> {
        let root = self.root()?;
        with_store(&root, |s| {
            s.objects
                .get(&req.id)
                .cloned()
                .ok_or_else(|| err("NotFound", format!("no thing with id {:?}", req.id)))
        })
    }
}
