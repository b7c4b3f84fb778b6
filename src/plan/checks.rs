//! `check` blocks: evaluating their asserts once a walk (plan, apply or drift) has every value.
//!
//! Checks run after the walk rather than as graph nodes: a check only reads, nothing depends on
//! it, and after the walk everything it can refer to is known (or, in a plan, known to be
//! unknown). Every module instance evaluates its module's checks against its own values, so a
//! check in a child module called with `count` gives one result per instance
//! (`module.x[0].check.y`), as in Terraform; the pass visits each (instance, check) pair once. A
//! check's scoped data source is read here, visible to its own asserts alone. A failed assert is a
//! warning (`Check block assertion failed`), never an error: checks do not stop a plan or an
//! apply. `plinth drift` counts a failed check as drift.

use std::collections::HashSet;

use plinth_sdk::{ReadDataRequest, Value};
use serde::{Deserialize, Serialize};

use crate::config::check::CheckBlock;
use crate::diag::{Diagnostic, Diagnostics};
use crate::graph::scope::{InstanceScope, ModuleValues, Values};
use crate::graph::walk::WalkContext;
use crate::lang::body::eval_body;
use crate::lang::eval::eval;
use crate::lang::refs::references;
use crate::lang::{EvalContext, Scope, ScopeError, Step};

/// The outcome of one check, as Terraform's JSON reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    Pass,
    Fail,
    /// Some condition depends on values known only after apply.
    Unknown,
}

impl CheckStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckStatus::Pass => "pass",
            CheckStatus::Fail => "fail",
            CheckStatus::Unknown => "unknown",
        }
    }
}

/// One check instance's result: its status and the error message of every failed assert.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckResult {
    /// The module instance the check is in (`module.x[0]`; empty in the root module).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub module: String,
    /// The module's static path (`module.x`; empty in the root module): what the check's
    /// configuration address (Terraform's `ConfigCheck`) is made of.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub config_module: String,
    pub name: String,
    pub status: CheckStatus,
    #[serde(default)]
    pub problems: Vec<String>,
}

impl CheckResult {
    /// The instance's address: `check.y`, `module.x[0].check.y`.
    pub fn address(&self) -> String {
        join_address(&self.module, &self.name)
    }

    /// The check block's address in the configuration: `check.y`, `module.x.check.y`.
    pub fn config_address(&self) -> String {
        join_address(&self.config_module, &self.name)
    }
}

fn join_address(module: &str, name: &str) -> String {
    if module.is_empty() {
        format!("check.{name}")
    } else {
        format!("{module}.check.{name}")
    }
}

/// Evaluates every check of every module instance against the walk's final `values`. Returns the
/// results (module by module, depth first, the root first; each module's instances in the order
/// the walk made them; checks in declaration order) and a warning per failed assert.
///
/// `pending` holds the resources (`local_file.a`, `module.x[0].data.x.y`) the plan changes: a
/// scoped data source that refers to one of them cannot be read before apply, so its check is
/// unknown in the plan, as in Terraform.
pub async fn evaluate(
    ctx: &WalkContext<'_>,
    values: &Values,
    pending: &HashSet<String>,
) -> (Vec<CheckResult>, Diagnostics) {
    let mut results = Vec::new();
    let mut diags = Diagnostics::default();
    let empty = ModuleValues::default();
    // An explicit stack instead of recursion: the async pass stays one future, however deep.
    let mut stack = vec![&ctx.config.root];
    while let Some(m) = stack.pop() {
        stack.extend(m.children.values().rev());
        if m.checks.is_empty() {
            continue;
        }
        let config_module = crate::addrs::path_prefix(&m.path);
        let config_module = config_module.trim_end_matches('.');
        let no_instances = Vec::new();
        for mi in values.instances.get(&m.path).unwrap_or(&no_instances) {
            let module = crate::addrs::module_prefix(mi);
            let inst = Instance {
                module: m,
                values: values.module(mi).unwrap_or(&empty),
                prefix: &module,
                config_module,
            };
            for check in m.checks.values() {
                if check
                    .data
                    .as_ref()
                    .is_some_and(|r| refers_to_pending(r, &module, pending))
                {
                    results.push(inst.result(check, CheckStatus::Unknown, Vec::new()));
                    continue;
                }
                results.push(evaluate_one(ctx, &inst, check, &mut diags).await);
            }
        }
    }
    (results, diags)
}

/// One module instance a check is evaluated in.
struct Instance<'a> {
    module: &'a crate::config::Module,
    values: &'a ModuleValues,
    /// `module.x[0].` (empty for the root).
    prefix: &'a str,
    /// `module.x` (empty for the root).
    config_module: &'a str,
}

impl Instance<'_> {
    fn result(&self, check: &CheckBlock, status: CheckStatus, problems: Vec<String>) -> CheckResult {
        CheckResult {
            module: self.prefix.trim_end_matches('.').to_string(),
            config_module: self.config_module.to_string(),
            name: check.name.clone(),
            status,
            problems,
        }
    }

    /// How a warning names the check: `check "y"`, `check "y" in module.x[0]`.
    fn describe(&self, check: &CheckBlock) -> String {
        match self.prefix.trim_end_matches('.') {
            "" => format!("check {:?}", check.name),
            module => format!("check {:?} in {module}", check.name),
        }
    }
}

async fn evaluate_one(
    ctx: &WalkContext<'_>,
    inst: &Instance<'_>,
    check: &CheckBlock,
    diags: &mut Diagnostics,
) -> CheckResult {
    let base = InstanceScope {
        values: inst.values,
        count_index: None,
        each: None,
        self_value: None,
        path_module: crate::graph::walk::relative_to(&inst.module.dir, ctx.root_dir),
        path_root: ".".into(),
        path_cwd: ctx.root_dir.to_path_buf(),
        env_name: ctx.env_name,
        planning: ctx.planning,
    };
    let mut problems = Vec::new();
    let mut unknown = false;
    let what = inst.describe(check);
    let fail = |diags: &mut Diagnostics, problems: &mut Vec<String>, message: String, span| {
        diags.push(
            Diagnostic::warning("Check block assertion failed")
                .with_detail(format!("{what}: {message}"))
                .with_span(span),
        );
        problems.push(message);
    };
    let data = match &check.data {
        None => None,
        Some(r) => match read_scoped(ctx, inst, &base, r).await {
            Ok(v) => {
                unknown |= v.contains_unknown();
                Some((r.local_address(), v))
            }
            Err(message) => {
                // Terraform reports a scoped data source that cannot be read as a failed check.
                fail(diags, &mut problems, message, r.span.clone());
                return inst.result(check, CheckStatus::Fail, problems);
            }
        },
    };
    let scope = CheckScope { base: &base, data };
    for a in &check.asserts {
        let ectx = EvalContext {
            file: a.condition.file,
            scope: &scope,
            secrets: ctx.secrets,
            base_dir: ctx.root_dir,
        };
        match eval(&a.condition.expr, &ectx) {
            Ok(v) if v.contains_unknown() => unknown = true,
            Ok(Value::Bool(true)) => {}
            Ok(Value::Bool(false)) => {
                let message = match eval(&a.error_message.expr, &ectx) {
                    Ok(Value::String(s)) => s,
                    Ok(v) if v.is_sensitive() => "(sensitive error message)".to_string(),
                    Ok(v) => v.to_string(),
                    Err(_) => "(the error message could not be evaluated)".to_string(),
                };
                fail(diags, &mut problems, message, a.condition.span());
            }
            Ok(v) => fail(
                diags,
                &mut problems,
                format!("the condition must be true or false, got {}", v.type_name()),
                a.condition.span(),
            ),
            Err(ds) => {
                let message = ds
                    .first()
                    .map(|d| format!("{} {}", d.summary, d.detail).trim().to_string())
                    .unwrap_or_default();
                fail(diags, &mut problems, message, a.condition.span());
            }
        }
    }
    let status = if !problems.is_empty() {
        CheckStatus::Fail
    } else if unknown {
        CheckStatus::Unknown
    } else {
        CheckStatus::Pass
    };
    inst.result(check, status, problems)
}

/// Whether the data source's arguments refer to a resource in `pending`; `prefix` is the module
/// instance's (`module.x[0].`, empty for the root).
fn refers_to_pending(r: &crate::config::Resource, prefix: &str, pending: &HashSet<String>) -> bool {
    r.body.iter().any(|s| match s {
        hcl::edit::structure::Structure::Attribute(a) => references(&a.value).iter().any(|rf| {
            let addr = match (rf.root.as_str(), rf.attrs.as_slice()) {
                ("data", [t, n, ..]) => format!("{prefix}data.{t}.{n}"),
                (t, [n, ..]) => format!("{prefix}{t}.{n}"),
                _ => return false,
            };
            pending.contains(&addr)
        }),
        hcl::edit::structure::Structure::Block(_) => false,
    })
}

/// Reads the check's own data source now (unknown while its configuration is).
async fn read_scoped(
    ctx: &WalkContext<'_>,
    inst: &Instance<'_>,
    scope: &dyn Scope,
    r: &crate::config::Resource,
) -> Result<Value, String> {
    let address = format!("{}check.{}", inst.prefix, r.local_address());
    let key = crate::config::providers::resolve(&ctx.config.root, &inst.module.path, r)
        .map_err(|u| format!("no provider configuration {} to read {address} with", u.addr))?;
    ctx.providers
        .ensure_configured(&key, ctx.root_dir)
        .await
        .map_err(|d| d.summary)?;
    let provider = ctx
        .providers
        .instances
        .get(&key)
        .ok_or_else(|| format!("no provider configuration {key} to read {address} with"))?;
    let schema = ctx
        .providers
        .resource_schemas
        .get(&(
            r.provider_name().to_string(),
            crate::config::Mode::Data,
            r.type_name.clone(),
        ))
        .ok_or_else(|| format!("unknown data source type {}", r.type_name))?;
    let ectx = EvalContext {
        file: r.file,
        scope,
        secrets: ctx.secrets,
        base_dir: ctx.root_dir,
    };
    let config = eval_body(&r.body, schema, &ectx).map_err(|ds| {
        ds.first()
            .map(|d| format!("{address}: {} {}", d.summary, d.detail).trim().to_string())
            .unwrap_or_default()
    })?;
    if config.contains_unknown() {
        return Ok(Value::Unknown);
    }
    provider
        .read_data(ReadDataRequest {
            type_name: r.type_name.clone(),
            address: address.clone(),
            config: config.unmark().0,
        })
        .await
        .map_err(|e| crate::plan::walk::provider_error(&address, "reading", &e).summary)
}

/// The module's names plus the check's scoped data source.
struct CheckScope<'a> {
    base: &'a InstanceScope<'a>,
    /// The scoped data source's local address (`data.local_file.x`) and value.
    data: Option<(String, Value)>,
}

impl Scope for CheckScope<'_> {
    fn lookup(&self, root: &str, steps: &[Step]) -> Result<(Value, usize), ScopeError> {
        if let (Some((addr, v)), "data", [Step::Attr(t), Step::Attr(n), ..]) = (&self.data, root, steps)
            && *addr == format!("data.{t}.{n}")
        {
            return Ok((v.clone(), 2));
        }
        self.base.lookup(root, steps)
    }

    fn planning(&self) -> bool {
        self.base.planning()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(module: &str, config_module: &str, name: &str, status: CheckStatus, problems: &[&str]) -> CheckResult {
        CheckResult {
            module: module.into(),
            config_module: config_module.into(),
            name: name.into(),
            status,
            problems: problems.iter().map(|p| p.to_string()).collect(),
        }
    }

    /// Terraform's `checks` in the JSON plan (internal/command/jsonchecks): a static result per
    /// check block (its configuration address), with one result per instance of its module (the
    /// instance address) and the instance's problems; all sorted by address.
    #[test]
    fn check_results_in_the_json_plan_have_terraforms_shape() {
        let json = crate::plan::json::checks_json(&[
            result("", "", "ok", CheckStatus::Pass, &[]),
            result("", "", "health", CheckStatus::Fail, &["unhealthy"]),
            result("module.m[0]", "module.m", "t", CheckStatus::Pass, &[]),
            result("module.m[1]", "module.m", "t", CheckStatus::Fail, &["b", "a"]),
        ]);
        expect_test::expect![[r#"
            [
              {
                "address": {
                  "kind": "check",
                  "name": "health",
                  "to_display": "check.health"
                },
                "status": "fail",
                "instances": [
                  {
                    "address": {
                      "to_display": "check.health"
                    },
                    "status": "fail",
                    "problems": [
                      {
                        "message": "unhealthy"
                      }
                    ]
                  }
                ]
              },
              {
                "address": {
                  "kind": "check",
                  "name": "ok",
                  "to_display": "check.ok"
                },
                "status": "pass",
                "instances": [
                  {
                    "address": {
                      "to_display": "check.ok"
                    },
                    "status": "pass"
                  }
                ]
              },
              {
                "address": {
                  "kind": "check",
                  "module": "module.m",
                  "name": "t",
                  "to_display": "module.m.check.t"
                },
                "status": "fail",
                "instances": [
                  {
                    "address": {
                      "module": "module.m[0]",
                      "to_display": "module.m[0].check.t"
                    },
                    "status": "pass"
                  },
                  {
                    "address": {
                      "module": "module.m[1]",
                      "to_display": "module.m[1].check.t"
                    },
                    "status": "fail",
                    "problems": [
                      {
                        "message": "a"
                      },
                      {
                        "message": "b"
                      }
                    ]
                  }
                ]
              }
            ]"#]]
        .assert_eq(&serde_json::to_string_pretty(&json).unwrap_or_default());
    }
}
