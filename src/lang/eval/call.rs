//! Function calls: arguments (with `...` expansion) handed to the built-in table in
//! `functions`, and the special forms the evaluator handles itself because they need the syntax
//! tree or the context: `try`, `can`, `templatefile` and `secret` (through the caller's
//! `SecretResolver`).

use super::*;

impl<'a> Evaluator<'a> {
    pub(super) fn func_call(&self, f: &FuncCall) -> EvalResult {
        let name = f.name.name.value().as_str();
        if f.name.is_namespaced() {
            let full: Vec<&str> = f
                .name
                .namespace
                .iter()
                .map(|n| n.value().as_str())
                .chain([name])
                .collect();
            let span = match (f.name.namespace.first().and_then(|n| n.span()), f.name.name.span()) {
                (Some(a), Some(b)) => Some(a.start..b.end),
                _ => f.span(),
            };
            return Err(vec![self.err(
                "Call to unknown function",
                format!(
                    "There is no function named \"{}\": provider-defined functions are not supported.",
                    full.join("::")
                ),
                span,
            )]);
        }
        match name {
            "try" => self.call_try(f),
            "can" => self.call_can(f),
            "templatefile" => self.call_templatefile(f),
            "secret" => self.call_secret(f),
            // Terraform's rule: values that differ on every call are unknown while planning, so
            // a plan never promises a value that apply would contradict.
            "timestamp" | "uuid" if self.planning() => {
                self.eval_args(f)?;
                Ok(Value::Unknown)
            }
            _ => {
                let Some((args, spans)) = self.eval_args(f)? else {
                    return Ok(Value::Unknown);
                };
                let mut size = 0;
                for a in &args {
                    self.grow(&mut size, a, "the arguments of this call", f.span())
                        .map_err(|d| vec![d])?;
                }
                let fctx = FuncContext {
                    base_dir: self.base_dir,
                };
                let v = functions::call(name, args, &fctx).map_err(|e| {
                    let span = e.arg.and_then(|i| spans.get(i).cloned().flatten()).or_else(|| f.span());
                    vec![self.call_error(name, &e.message, span)]
                })?;
                self.grow(&mut 0, &v, "the result of this call", f.span())
                    .map_err(|d| vec![d])?;
                Ok(v)
            }
        }
    }

    pub(super) fn planning(&self) -> bool {
        self.scope.planning()
    }

    pub(super) fn call_error(&self, name: &str, message: &str, span: Option<Range<usize>>) -> Diagnostic {
        self.err(
            "Error in function call",
            format!("Call to function \"{name}\" failed: {message}"),
            span,
        )
    }

    /// Evaluates the arguments, expanding a final `...` argument; returns each value with the
    /// span to blame for it. `None` when the expanded argument is unknown (so is the result).
    #[allow(clippy::type_complexity)]
    pub(super) fn eval_args(&self, f: &FuncCall) -> Result<Option<(Vec<Value>, Vec<Option<Range<usize>>>)>, Diags> {
        let exprs: Vec<&Expression> = f.args.iter().collect();
        let mut vals = Vec::with_capacity(exprs.len());
        let mut spans = Vec::with_capacity(exprs.len());
        let mut errs = Vec::new();
        let mut unknown = false;
        for (i, e) in exprs.iter().enumerate() {
            let v = match self.expr(e) {
                Ok(v) => v,
                Err(d) => {
                    errs.extend(d);
                    continue;
                }
            };
            if f.args.expand_final() && i + 1 == exprs.len() {
                let (v, s) = unmark_top(v);
                match v {
                    Value::Unknown => unknown = true,
                    Value::List(items) => {
                        for item in items {
                            vals.push(item.mark_if(s));
                            spans.push(e.span());
                        }
                    }
                    other => errs.push(self.err(
                        "Invalid expanding argument value",
                        format!(
                            "The expanding argument (indicated by ...) must be a list, tuple or set, but this is a {}.",
                            other.type_name()
                        ),
                        e.span(),
                    )),
                }
            } else {
                vals.push(v);
                spans.push(e.span());
            }
        }
        if !errs.is_empty() {
            return Err(errs);
        }
        Ok((!unknown).then_some((vals, spans)))
    }

    pub(super) fn arg_count_error(&self, f: &FuncCall, name: &str, want: &str) -> Option<Diags> {
        let n = f.args.len();
        let ok = match want {
            "1" => n == 1,
            "2" => n == 2,
            _ => n >= 1,
        };
        if ok && !f.args.expand_final() {
            return None;
        }
        let message = if f.args.expand_final() {
            "this function does not accept an expanded (...) argument.".to_string()
        } else if want == "1+" {
            "at least one argument is required.".to_string()
        } else {
            format!("it takes exactly {want} argument(s), but {n} were given.")
        };
        Some(vec![self.call_error(name, &message, f.span())])
    }

    /// `try(a, b, ...)`: the first argument that evaluates without error. An unknown first
    /// success makes the result unknown: it may yet fail at apply, so later ones can't be chosen.
    pub(super) fn call_try(&self, f: &FuncCall) -> EvalResult {
        if let Some(e) = self.arg_count_error(f, "try", "1+") {
            return Err(e);
        }
        let mut failures = Vec::new();
        for arg in f.args.iter() {
            match self.expr(arg) {
                Ok(v) => return Ok(v),
                Err(d) => failures.extend(d),
            }
        }
        let mut message = String::from("no expression succeeded:");
        for d in &failures {
            message.push_str(&format!("\n- {}", d.summary));
            if !d.detail.is_empty() {
                message.push_str(&format!(": {}", d.detail));
            }
        }
        message.push_str("\nAt least one expression must produce a successful result.");
        Err(vec![self.call_error("try", &message, f.span())])
    }

    /// `can(x)`: whether x evaluates without error; unknown while x is unknown.
    pub(super) fn call_can(&self, f: &FuncCall) -> EvalResult {
        if let Some(e) = self.arg_count_error(f, "can", "1") {
            return Err(e);
        }
        let arg = f.args.iter().next().expect("one argument");
        Ok(match self.expr(arg) {
            Ok(v) if v.is_unknown() => Value::Unknown,
            Ok(_) => Value::Bool(true),
            Err(_) => Value::Bool(false),
        })
    }

    /// `templatefile(path, vars)`: renders the file at `base_dir/path` with `vars` as its names.
    pub(super) fn call_templatefile(&self, f: &FuncCall) -> EvalResult {
        const NAME: &str = "templatefile";
        let Some((args, spans)) = self.eval_args(f)? else {
            return Ok(Value::Unknown);
        };
        let span = |i: usize| spans.get(i).cloned().flatten().or_else(|| f.span());
        if args.len() != 2 {
            let message = format!(
                "it takes exactly 2 arguments (path, vars), but {} were given.",
                args.len()
            );
            return Err(vec![self.call_error(NAME, &message, f.span())]);
        }
        if self.in_templatefile {
            return Err(vec![self.call_error(
                NAME,
                "cannot recursively call templatefile from inside a template.",
                f.span(),
            )]);
        }
        let mut args = args.into_iter();
        let (path, path_sensitive) = args.next().unwrap_or_default().unmark();
        let (vars, vars_sensitive) = unmark_top(args.next().unwrap_or_default());
        let sensitive = path_sensitive || vars_sensitive;
        let path = match path {
            Value::Unknown => return Ok(Value::Unknown.mark_if(sensitive)),
            Value::String(p) => p,
            other => {
                let message = format!("the path must be a string, but this is a {}.", other.type_name());
                return Err(vec![self.call_error(NAME, &message, span(0))]);
            }
        };
        let vars = match vars {
            Value::Unknown => return Ok(Value::Unknown.mark_if(sensitive)),
            Value::Map(m) => m,
            other => {
                let message = format!("vars must be an object or map, but this is a {}.", other.type_name());
                return Err(vec![self.call_error(NAME, &message, span(1))]);
            }
        };
        if let Some(bad) = vars.keys().find(|k| Ident::try_new(k.as_str()).is_err()) {
            let message = format!("invalid template variable name \"{bad}\": it must be an identifier.");
            return Err(vec![self.call_error(NAME, &message, span(1))]);
        }
        let full = self.base_dir.join(&path);
        let text = functions::read_capped(&full)
            .and_then(|b| String::from_utf8(b).map_err(std::io::Error::other))
            .map_err(|e| {
                let message = format!("cannot read {}: {e}.", full.display());
                vec![self.call_error(NAME, &message, span(0))]
            })?;
        eval_template_str(&text, &vars, self.base_dir, self.secrets)
            .map(|v| v.mark_if(sensitive))
            .map_err(|e| vec![self.call_error(NAME, &format!("{path}:{e}"), f.span())])
    }

    /// `secret("SOURCE")`: the value read from a secret source (`env:NAME`, `file:PATH` relative
    /// to the module, `keyring:SERVICE/USER`, or an AWS Secrets Manager ARN or `aws-sm:NAME`),
    /// always marked sensitive, read through the caller's [`SecretResolver`] (the engine's may
    /// call AWS Secrets Manager, blocking this evaluation).
    pub(super) fn call_secret(&self, f: &FuncCall) -> EvalResult {
        const NAME: &str = "secret";
        if let Some(e) = self.arg_count_error(f, NAME, "1") {
            return Err(e);
        }
        let Some((args, spans)) = self.eval_args(f)? else {
            return Ok(Value::Unknown.mark());
        };
        let span = spans.first().cloned().flatten().or_else(|| f.span());
        let (source, source_sensitive) = args.into_iter().next().unwrap_or_default().unmark();
        match source {
            Value::Unknown => Ok(Value::Unknown.mark()),
            Value::String(source) => self
                .secrets
                .resolve(&source, self.base_dir)
                .map(|v| Value::String(v).mark())
                .map_err(|e| {
                    // A source name computed from a secret is not shown either.
                    let message = if source_sensitive {
                        "the secret source (a sensitive value, not shown) could not be read.".to_string()
                    } else {
                        e.to_string()
                    };
                    vec![self.call_error(NAME, &message, span)]
                }),
            other => {
                let message = format!(
                    "the source must be a string such as \"env:NAME\", but this is a {}.",
                    other.type_name()
                );
                Err(vec![self.call_error(NAME, &message, span)])
            }
        }
    }
}
