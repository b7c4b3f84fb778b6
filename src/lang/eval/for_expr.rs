//! `for` expressions: `[for ...]` and `{for ...}` with `if` filters and `...` grouping, the
//! iteration variables layered over the enclosing scope.

use super::*;

/// A `for` expression stops after this many distinct errors: the rest would be the same mistake
/// again for other elements, and a million of them would take long to collect and print.
const MAX_FOR_ERRORS: usize = 10;

impl<'a> Evaluator<'a> {
    /// The (key, value) pairs a `for` iterates: index and element of a list or set, key and
    /// element of a map in key order. `Ok(None)` when the collection is unknown.
    #[allow(clippy::type_complexity)]
    pub(super) fn iteration(
        &self,
        coll: Value,
        span: Option<Range<usize>>,
        what: &str,
    ) -> Result<Option<Vec<(Value, Value)>>, Diagnostic> {
        match coll {
            Value::Unknown => Ok(None),
            Value::Null => Err(self.err(
                "Iteration over null value",
                format!("A null value cannot be used as the collection in a 'for' {what}."),
                span,
            )),
            Value::List(items) => Ok(Some(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| (Value::int(i as i64), v))
                    .collect(),
            )),
            Value::Map(m) => Ok(Some(m.into_iter().map(|(k, v)| (Value::String(k), v)).collect())),
            other => Err(self.err(
                "Iteration over non-iterable value",
                format!(
                    "A value of type {} cannot be used as the collection in a 'for' {what}.",
                    other.type_name()
                ),
                span,
            )),
        }
    }

    pub(super) fn for_expr(&self, f: &ForExpr) -> EvalResult {
        let coll_expr = &f.intro.collection_expr;
        let (coll, mut sensitive) = unmark_top(self.expr(coll_expr)?);
        let pairs = match self.iteration(coll, coll_expr.span(), "expression") {
            Ok(Some(p)) => p,
            Ok(None) => return Ok(Value::Unknown.mark_if(sensitive)),
            Err(d) => return Err(vec![d]),
        };
        let mut errs = Vec::new();
        let mut unknown = false;
        let mut list = Vec::new();
        let mut map = Map::new();
        let mut groups: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        let mut size = 0;
        for (k, v) in pairs {
            if errs.len() >= MAX_FOR_ERRORS {
                // One mistake in the body repeats for every element (deduplicated only when
                // the message is the same); a few are enough to fix it.
                break;
            }
            let layer = Layer {
                names: for_names(f.intro.key_var.as_ref(), &f.intro.value_var, k, v),
                parent: self.scope,
            };
            let inner = self.with_scope(&layer);
            if let Some(cond) = &f.cond {
                let c = match inner.expr(&cond.expr) {
                    Ok(c) => c,
                    Err(d) => {
                        push_unique(&mut errs, d);
                        continue;
                    }
                };
                let (c, s) = c.unmark();
                sensitive |= s;
                match c {
                    Value::Unknown => {
                        unknown = true;
                        continue;
                    }
                    c => match (c.is_null(), to_bool(&c)) {
                        (_, Some(true)) => {}
                        (_, Some(false)) => continue,
                        (null, None) => {
                            let detail = if null {
                                "The value of the 'if' clause must not be null.".to_string()
                            } else {
                                format!(
                                    "The value of the 'if' clause must be a bool, but this is a {}.",
                                    c.type_name()
                                )
                            };
                            push_unique(
                                &mut errs,
                                vec![self.err("Invalid 'for' condition", detail, cond.expr.span())],
                            );
                            continue;
                        }
                    },
                }
            }
            let Some(key_expr) = &f.key_expr else {
                match inner.expr(&f.value_expr) {
                    Ok(v) => {
                        self.grow(&mut size, &v, "the result of this 'for' expression", f.span())
                            .map_err(|d| vec![d])?;
                        list.push(v)
                    }
                    Err(d) => push_unique(&mut errs, d),
                }
                continue;
            };
            let key = match inner.expr(key_expr) {
                Err(d) => {
                    push_unique(&mut errs, d);
                    None
                }
                Ok(k) => {
                    let (k, s) = k.unmark();
                    sensitive |= s;
                    match k {
                        Value::Unknown => {
                            unknown = true;
                            None
                        }
                        k => {
                            let ks = to_key_string(&k);
                            if ks.is_none() {
                                let detail = if k.is_null() {
                                    "Key expression in 'for' expression must not produce a null value.".to_string()
                                } else {
                                    format!(
                                        "The key expression produced an invalid result: a string is required, but this is a {}.",
                                        k.type_name()
                                    )
                                };
                                push_unique(&mut errs, vec![self.err("Invalid object key", detail, key_expr.span())]);
                            }
                            ks
                        }
                    }
                }
            };
            let value = match inner.expr(&f.value_expr) {
                Ok(v) => v,
                Err(d) => {
                    push_unique(&mut errs, d);
                    continue;
                }
            };
            let Some(key) = key else { continue };
            self.grow(&mut size, &value, "the result of this 'for' expression", f.span())
                .map_err(|d| vec![d])?;
            size += key.len();
            if f.grouping {
                groups.entry(key).or_default().push(value);
            } else {
                match map.entry(key) {
                    Entry::Vacant(slot) => {
                        slot.insert(value);
                    }
                    Entry::Occupied(slot) => errs.push(self.err(
                        "Duplicate object key",
                        format!("Two different items produced the key \"{}\" in this 'for' expression. If duplicates are expected, use the ellipsis (...) after the value expression to enable grouping by key.", slot.key()),
                        key_expr.span(),
                    )),
                }
            }
        }
        let out = if unknown {
            Value::Unknown
        } else if f.key_expr.is_none() {
            Value::List(list)
        } else if f.grouping {
            Value::Map(groups.into_iter().map(|(k, v)| (k, Value::List(v))).collect())
        } else {
            Value::Map(map)
        };
        finish(out.mark_if(sensitive), errs)
    }
}
