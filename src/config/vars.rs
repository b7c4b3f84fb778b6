//! Values of the root module's input variables.
//!
//! Later sources win: the declared `default`, `PLINTH_VAR_<name>` environment variables,
//! `*.auto.vars.hcl` files (in name order), then `--var-file F` and `--var name=value` in
//! command-line order. A value given as text (environment, `--var`) is taken as a string for a
//! `string` variable and parsed as an HCL expression otherwise, as Terraform does.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hcl::edit::Span as _;
use hcl::edit::structure::Structure;
use plinth_sdk::Map;
use plinth_sdk::convert::convert;
use plinth_sdk::{Type, Value};

use super::{Module, Variable};
use crate::diag::{Diagnostic, Diagnostics, Sources, Span};
use crate::lang::refs::condition_values;
use crate::lang::{EmptyScope, EvalContext, Scope, ScopeError, SecretResolver, Step, eval::eval};

/// One command-line variable source, in the order given.
#[derive(Clone, Debug, PartialEq)]
pub enum VarArg {
    /// `--var name=value`
    Pair(String),
    /// `--var-file PATH`
    File(PathBuf),
}

/// Where a value came from, for messages.
#[derive(Clone, Debug)]
enum Origin {
    Default,
    Env(String),
    File(Span),
    Cli,
    Persisted,
}

/// A scope holding only `var.NAME` (for validation conditions).
struct VarScope<'a> {
    name: &'a str,
    value: &'a Value,
}

impl Scope for VarScope<'_> {
    fn lookup(&self, root: &str, steps: &[Step]) -> Result<(Value, usize), ScopeError> {
        match (root, steps.first()) {
            ("var", Some(Step::Attr(n))) if n == self.name => Ok((self.value.clone(), 1)),
            _ => Err(ScopeError::new(
                "Invalid reference in variable validation",
                format!("a validation condition may only refer to var.{}", self.name),
                None,
            )),
        }
    }
}

/// Resolves every root variable. `persisted` holds an environment's remembered values (applied
/// after the auto files, before the command line). Returns the values (marked sensitive where
/// declared) and the diagnostics. `secret(...)` in a value reads through `secrets`.
pub fn resolve_root(
    module: &Module,
    sources: &mut Sources,
    args: &[VarArg],
    persisted: &Map,
    env: &dyn Fn(&str) -> Option<String>,
    secrets: &dyn SecretResolver,
) -> (Map, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut raw: BTreeMap<String, (Value, Origin)> = BTreeMap::new();
    // Variables whose given value was unreadable (already reported).
    let mut failed = std::collections::BTreeSet::new();

    for (name, var) in &module.variables {
        if let Some(d) = &var.default {
            match eval(
                &d.expr,
                &EvalContext {
                    file: d.file,
                    scope: &EmptyScope,
                    secrets,
                    base_dir: &module.dir,
                },
            ) {
                Ok(v) => {
                    raw.insert(name.clone(), (v, Origin::Default));
                }
                Err(ds) => diags.extend(ds),
            }
        }
        let env_name = format!("PLINTH_VAR_{name}");
        if let Some(text) = env(&env_name) {
            match text_value(&text, var, secrets) {
                Ok(v) => {
                    raw.insert(name.clone(), (v, Origin::Env(env_name)));
                }
                Err(e) => {
                    diags.push(Diagnostic::error(format!("Invalid value in {env_name}: {e}")));
                    failed.insert(name.clone());
                }
            }
        }
    }

    let mut auto_files: Vec<PathBuf> = std::fs::read_dir(&module.dir)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    auto_files.retain(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.ends_with(".auto.vars.hcl"))
    });
    auto_files.sort();
    for f in auto_files {
        read_var_file(&f, module, sources, &mut raw, &mut diags, secrets);
    }
    for (name, value) in persisted {
        if module.variables.contains_key(name) {
            raw.insert(name.clone(), (value.clone(), Origin::Persisted));
        }
    }
    for arg in args {
        match arg {
            VarArg::File(path) => read_var_file(path, module, sources, &mut raw, &mut diags, secrets),
            VarArg::Pair(pair) => {
                let Some((name, text)) = pair.split_once('=') else {
                    diags.push(
                        Diagnostic::error(format!("Invalid --var {pair:?}"))
                            .with_detail("write it as --var name=value"),
                    );
                    continue;
                };
                let name = name.trim();
                let Some(var) = module.variables.get(name) else {
                    diags.push(
                        Diagnostic::error(format!("Value for undeclared variable {name:?}")).with_detail(format!(
                            "declare it with a `variable \"{name}\" {{}}` block, or drop --var {name}=..."
                        )),
                    );
                    continue;
                };
                match text_value(text, var, secrets) {
                    Ok(v) => {
                        raw.insert(name.to_string(), (v, Origin::Cli));
                    }
                    Err(e) => {
                        diags.push(
                            Diagnostic::error(format!("Invalid value for --var {name}: {e}"))
                                .with_detail(format!("variable {name} has type {}: write the value in HCL syntax, such as [\"a\", \"b\"] or {{ key = \"value\" }}", var.ty.clone().unwrap_or(Type::Any))),
                        );
                        failed.insert(name.to_string());
                    }
                }
            }
        }
    }

    let mut out = Map::new();
    for (name, var) in &module.variables {
        let Some((value, origin)) = raw.remove(name) else {
            if failed.contains(name) {
                continue;
            }
            diags.push(
                Diagnostic::error(format!("No value for required variable {name:?}"))
                    .with_detail(format!(
                        "set it with --var {name}=..., a --var-file, a *.auto.vars.hcl file or PLINTH_VAR_{name}, or give the variable a default"
                    ))
                    .with_span(var.span.clone()),
            );
            continue;
        };
        match check_variable(var, value, &module.dir, secrets) {
            Ok(v) => {
                out.insert(name.clone(), v);
            }
            Err(ds) => {
                for d in ds {
                    diags.push(annotate(d, &origin, var));
                }
            }
        }
    }
    (out, diags)
}

fn annotate(d: Diagnostic, origin: &Origin, var: &Variable) -> Diagnostic {
    match origin {
        Origin::File(span) => d.with_span(Some(span.clone())),
        Origin::Env(name) => Diagnostic {
            detail: format!("{} (value from {name})", d.detail),
            ..d
        }
        .with_span(var.span.clone()),
        Origin::Cli => Diagnostic {
            detail: format!("{} (value from --var)", d.detail),
            ..d
        }
        .with_span(var.span.clone()),
        Origin::Persisted => Diagnostic {
            detail: format!("{} (value remembered for this environment)", d.detail),
            ..d
        }
        .with_span(var.span.clone()),
        Origin::Default => d.with_span(var.span.clone()),
    }
}

/// Fills in the defaults of optional attributes, converts a variable's value to its type, checks
/// `nullable` and runs its validations.
pub fn check_variable(
    var: &Variable,
    value: Value,
    base_dir: &Path,
    secrets: &dyn SecretResolver,
) -> Result<Value, Vec<Diagnostic>> {
    let ty = var.ty.clone().unwrap_or(Type::Any);
    let value = if value.is_null() && !var.nullable {
        return Err(vec![
            Diagnostic::error(format!("Variable {:?} may not be null", var.name))
                .with_detail("the variable sets nullable = false"),
        ]);
    } else {
        // As Terraform: the defaults of optional attributes are filled in first, so that the
        // conversion sees them (a null the caller gave explicitly takes the default too).
        let value = match &var.type_defaults {
            Some(d) => d.apply(value),
            None => value,
        };
        convert(value, &ty).map_err(|e| {
            let at = if e.path.is_empty() {
                String::new()
            } else {
                format!(" at {}", e.path)
            };
            vec![
                Diagnostic::error(format!("Invalid value for variable {:?}", var.name))
                    .with_detail(format!("the value does not match type {ty}{at}: {}", e.message)),
            ]
        })?
    };
    let mut errors = Vec::new();
    for check in &var.validations {
        let scope = VarScope {
            name: &var.name,
            value: &value,
        };
        let ctx = EvalContext {
            file: check.condition.file,
            scope: &scope,
            secrets,
            base_dir,
        };
        match eval(&check.condition.expr, &ctx) {
            Ok(v) if v.as_bool() == Some(false) => {
                let msg = eval(
                    &check.error_message.expr,
                    &EvalContext {
                        file: check.error_message.file,
                        scope: &scope,
                        secrets,
                        base_dir,
                    },
                )
                .ok();
                // The values shown are marked as the variable will be, so a sensitive one stays
                // hidden here too.
                let marked = value.clone().mark_if(var.sensitive);
                let shown = VarScope {
                    name: &var.name,
                    value: &marked,
                };
                let shown = EvalContext {
                    file: check.condition.file,
                    scope: &shown,
                    secrets,
                    base_dir,
                };
                let values = condition_values(&check.condition.expr, |term| eval(term, &shown).ok());
                let msg = failed_check_detail(msg, "the validation condition is false", &values);
                errors.push(
                    Diagnostic::error(format!("Invalid value for variable {:?}", var.name))
                        .with_detail(msg)
                        .with_span(check.condition.span()),
                );
            }
            Ok(v) if v.as_bool().is_some() || v.is_unknown() => {}
            Ok(other) => errors.push(
                Diagnostic::error("Invalid validation condition")
                    .with_detail(format!(
                        "the condition must be true or false, got {}",
                        other.type_name()
                    ))
                    .with_span(check.condition.span()),
            ),
            Err(ds) => errors.extend(ds),
        }
    }
    if errors.is_empty() {
        Ok(value.mark_if(var.sensitive))
    } else {
        Err(errors)
    }
}

/// A value given as text: a plain string for string-typed (or untyped) variables, else HCL.
fn text_value(text: &str, var: &Variable, secrets: &dyn SecretResolver) -> Result<Value, String> {
    match &var.ty {
        // Primitive types convert from the text itself, with conversion's own messages.
        None | Some(Type::String | Type::Number | Type::Bool | Type::Any) => Ok(Value::string(text)),
        Some(_) => {
            let expr = hcl::edit::parser::parse_expr(text.trim()).map_err(|e| e.message().to_string())?;
            eval(
                &expr,
                &EvalContext {
                    file: usize::MAX,
                    scope: &EmptyScope,
                    secrets,
                    base_dir: Path::new("."),
                },
            )
            .map_err(|ds| ds.into_iter().map(|d| d.summary).collect::<Vec<_>>().join("; "))
        }
    }
}

fn read_var_file(
    path: &Path,
    module: &Module,
    sources: &mut Sources,
    raw: &mut BTreeMap<String, (Value, Origin)>,
    diags: &mut Diagnostics,
    secrets: &dyn SecretResolver,
) {
    let text = match super::load::read_source(sources, path, "variable file") {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            return;
        }
    };
    let (file, body) = super::load::parse_file(sources, path.to_path_buf(), text);
    let body = match body {
        Ok(b) => b,
        Err(d) => {
            diags.push(d);
            return;
        }
    };
    for s in body.into_iter() {
        match s {
            Structure::Attribute(a) => {
                let name = a.key.as_str().to_string();
                let key_span = a.key.span().map(|r| Span::new(file, r));
                if !module.variables.contains_key(&name) {
                    diags.push(
                        Diagnostic::warning(format!("Value for undeclared variable {name:?}"))
                            .with_detail("the value is ignored; declare the variable or remove the line")
                            .with_span(key_span),
                    );
                    continue;
                }
                match eval(
                    &a.value,
                    &EvalContext {
                        file,
                        scope: &EmptyScope,
                        secrets,
                        base_dir: &module.dir,
                    },
                ) {
                    Ok(v) => {
                        let span = a.value.span().map(|r| Span::new(file, r)).or(key_span);
                        raw.insert(name, (v, Origin::File(span.unwrap_or(Span::new(file, 0..0)))));
                    }
                    Err(ds) => diags.extend(ds),
                }
            }
            Structure::Block(b) => diags.push(
                Diagnostic::error("Blocks are not allowed in variable files")
                    .with_detail("a variable file holds only `name = value` lines")
                    .at(file, b.ident.span()),
            ),
        }
    }
}

/// The text a failed check shows: its evaluated `error_message`, or `default` when that is not a
/// string or is sensitive (a secret must not reach the terminal), then what each reference in
/// the condition held (`values`, from [`crate::lang::refs::condition_values`]), one per line.
/// Variable validations and preconditions/postconditions all show it so.
pub fn failed_check_detail(message: Option<Value>, default: &str, values: &[String]) -> String {
    let mut text = message
        .and_then(|m| {
            if m.is_sensitive() {
                None
            } else {
                m.as_str().map(str::to_string)
            }
        })
        .unwrap_or_else(|| default.to_string());
    for line in values {
        text.push_str("\n  ");
        text.push_str(line);
    }
    text
}
