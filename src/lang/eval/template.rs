//! Templates and heredocs: string templates, interpolations, `%{if}` and `%{for}` directives
//! with whitespace stripping (`~`) and heredoc indentation; the result is unknown when an
//! interpolated value is and sensitive when a secret went in.

use super::*;

impl<'a> Evaluator<'a> {
    pub(super) fn string_template(&self, t: &StringTemplate) -> EvalResult {
        // `"${x}"` alone is x itself, not x converted to a string (HCL's template wrap rule).
        if let Some(Element::Interpolation(i)) = t.as_single_element() {
            return self.expr(&i.expr);
        }
        self.template_value(t)
    }

    pub(super) fn template_value(&self, t: &Template) -> EvalResult {
        self.render(t, None)
    }

    /// Renders a template. `dedent` is the indentation the parser stripped from the top-level
    /// lines of a `<<-` heredoc; lines inside directives still carry it.
    pub(super) fn render(&self, t: &Template, dedent: Option<usize>) -> EvalResult {
        let mut out = Rendered {
            dedent,
            ..Rendered::default()
        };
        let mut errs = Vec::new();
        self.template(t, false, false, false, &mut out, &mut errs);
        let v = if out.unknown {
            Value::Unknown
        } else {
            Value::String(out.text)
        };
        finish(v.mark_if(out.sensitive), errs)
    }

    /// Renders `t` into `out`. `trim_first`/`trim_last` say whether the directive around `t`
    /// asked (with `~`) to strip whitespace at the start of its first literal or the end of its
    /// last one; `nested` whether `t` is the body of a directive.
    pub(super) fn template(
        &self,
        t: &Template,
        trim_first: bool,
        trim_last: bool,
        nested: bool,
        out: &mut Rendered,
        errs: &mut Diags,
    ) {
        let elems: Vec<&Element> = t.iter().collect();
        for (i, el) in elems.iter().enumerate() {
            match el {
                Element::Literal(lit) => {
                    let trim_start = if i == 0 {
                        trim_first
                    } else {
                        strips_following(elems[i - 1])
                    };
                    let trim_end = if i + 1 == elems.len() {
                        trim_last
                    } else {
                        strips_preceding(elems[i + 1])
                    };
                    // Like HCL's Go implementation, a strip marker removes all adjacent whitespace.
                    let dedented;
                    let mut s: &str = lit.value();
                    if let (true, Some(n)) = (nested, out.dedent) {
                        dedented = dedent_lines(s, n);
                        s = &dedented;
                    }
                    if trim_start {
                        s = s.trim_start();
                    }
                    if trim_end {
                        s = s.trim_end();
                    }
                    if let Err(d) = self.append(out, s, lit.span()) {
                        return errs.push(d);
                    }
                }
                Element::Interpolation(interp) => self.interpolation(interp, out, errs),
                Element::Directive(d) => match &**d {
                    Directive::If(d) => self.if_directive(d, out, errs),
                    Directive::For(d) => self.for_directive(d, out, errs),
                },
            }
        }
    }

    /// Appends `s` to the template's text, refusing to grow it past
    /// [`functions::MAX_VALUE_BYTES`] (an error at `span`, or at the last interpolation).
    fn append(&self, out: &mut Rendered, s: &str, span: Option<Range<usize>>) -> Result<(), Diagnostic> {
        if out.text.len() + s.len() > functions::MAX_VALUE_BYTES {
            return Err(self.err(
                "Value too large",
                functions::too_large_message("this template's result"),
                span,
            ));
        }
        out.text.push_str(s);
        Ok(())
    }

    pub(super) fn interpolation(&self, interp: &Interpolation, out: &mut Rendered, errs: &mut Diags) {
        let v = match self.expr(&interp.expr) {
            Ok(v) => v,
            Err(d) => return errs.extend(d),
        };
        let (v, s) = v.unmark();
        out.sensitive |= s;
        match v {
            Value::Unknown => out.unknown = true,
            Value::Null => errs.push(self.err(
                "Invalid template interpolation value",
                "The expression result is null. Cannot include a null value in a string template.",
                interp.expr.span(),
            )),
            Value::List(_) | Value::Map(_) => errs.push(self.err(
                "Invalid template interpolation value",
                format!(
                    "Cannot include the given value in a string template: string required, but this is a {}.",
                    v.type_name()
                ),
                interp.expr.span(),
            )),
            v => {
                if let Some(s) = to_key_string(&v)
                    && let Err(d) = self.append(out, &s, interp.expr.span())
                {
                    errs.push(d);
                }
            }
        }
    }

    /// A directive's condition: `Some(b)` to go on, `None` when it is unknown or failed.
    pub(super) fn directive_cond(&self, e: &Expression, out: &mut Rendered, errs: &mut Diags) -> Option<bool> {
        let v = match self.expr(e) {
            Ok(v) => v,
            Err(d) => {
                errs.extend(d);
                return None;
            }
        };
        let (v, s) = v.unmark();
        out.sensitive |= s;
        match v {
            Value::Unknown => {
                out.unknown = true;
                None
            }
            Value::Null => {
                errs.push(self.err(
                    "Null condition",
                    "The condition value is null. Conditions must either be true or false.",
                    e.span(),
                ));
                None
            }
            v => {
                let b = to_bool(&v);
                if b.is_none() {
                    errs.push(self.err(
                        "Incorrect condition type",
                        format!("The condition must be of type bool, but this is a {}.", v.type_name()),
                        e.span(),
                    ));
                }
                b
            }
        }
    }

    pub(super) fn if_directive(&self, d: &IfDirective, out: &mut Rendered, errs: &mut Diags) {
        let Some(cond) = self.directive_cond(&d.if_expr.cond_expr, out, errs) else {
            return;
        };
        let endif_trim = d.endif_expr.strip.strip_start();
        if cond {
            let trim_last = d.else_expr.as_ref().map_or(endif_trim, |e| e.strip.strip_start());
            self.template(
                &d.if_expr.template,
                d.if_expr.strip.strip_end(),
                trim_last,
                true,
                out,
                errs,
            );
        } else if let Some(e) = &d.else_expr {
            self.template(&e.template, e.strip.strip_end(), endif_trim, true, out, errs);
        }
    }

    pub(super) fn for_directive(&self, d: &ForDirective, out: &mut Rendered, errs: &mut Diags) {
        let f = &d.for_expr;
        let coll = match self.expr(&f.collection_expr) {
            Ok(v) => v,
            Err(e) => return errs.extend(e),
        };
        let (coll, s) = unmark_top(coll);
        out.sensitive |= s;
        let pairs = match self.iteration(coll, f.collection_expr.span(), "directive") {
            Ok(Some(p)) => p,
            Ok(None) => {
                out.unknown = true;
                return;
            }
            Err(e) => return errs.push(e),
        };
        let mut seen = Vec::new();
        for (k, v) in pairs {
            let layer = Layer {
                names: for_names(f.key_var.as_ref(), &f.value_var, k, v),
                parent: self.scope,
            };
            let mut body_errs = Vec::new();
            self.with_scope(&layer).template(
                &f.template,
                f.strip.strip_end(),
                d.endfor_expr.strip.strip_start(),
                true,
                out,
                &mut body_errs,
            );
            push_unique(&mut seen, body_errs);
        }
        errs.extend(seen);
    }
}
