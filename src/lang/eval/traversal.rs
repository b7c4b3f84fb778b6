//! References and traversals: the root and static steps go to the caller's `Scope`, the
//! evaluator applies the rest (attributes, indexes, legacy `.0` indexes) and splats (`[*]`, `.*`),
//! each error pointing at the step at fault.

use super::*;

/// The most splats one traversal may hold: each applies the rest of the traversal to every
/// element, nesting one level deeper, so ten thousand of them would exhaust the stack. 64 is the
/// parser's own nesting limit.
const MAX_SPLATS: usize = 64;

impl<'a> Evaluator<'a> {
    pub(super) fn traversal(&self, t: &Traversal) -> EvalResult {
        self.traverse(&t.expr, &t.operators)
    }

    /// Evaluates `base` followed by `ops`. A variable root and its steps up to the first splat go
    /// to the scope; whatever it leaves is applied here.
    pub(super) fn traverse(&self, base: &Expression, ops: &[Op]) -> EvalResult {
        let splats = ops.iter().filter(|op| is_splat(op.value())).count();
        if splats > MAX_SPLATS {
            let span = ops
                .iter()
                .filter(|op| is_splat(op.value()))
                .nth(MAX_SPLATS)
                .and_then(|op| op.span());
            return Err(vec![self.err(
                "Too many splat operators",
                format!("a traversal may hold at most {MAX_SPLATS} splats ([*] or .*): each one nests the rest"),
                span,
            )]);
        }
        let mut errs = Vec::new();
        let split = ops.iter().position(|op| is_splat(op.value())).unwrap_or(ops.len());
        let mut steps = Vec::with_capacity(split);
        let mut key_sensitive = false;
        let mut bad_key = None;
        for (i, op) in ops[..split].iter().enumerate() {
            let step = match op.value() {
                TraversalOperator::GetAttr(id) => Step::Attr(id.value().as_str().to_string()),
                TraversalOperator::LegacyIndex(n) => Step::Index(Value::from(Number::from(*n.value()))),
                TraversalOperator::Index(e) => match self.expr(e) {
                    Ok(k) => {
                        let (k, s) = k.unmark();
                        key_sensitive |= s;
                        Step::Index(k)
                    }
                    Err(d) => {
                        errs.extend(d);
                        bad_key.get_or_insert(i);
                        Step::Index(Value::Null)
                    }
                },
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => unreachable!("split at splats"),
            };
            steps.push(step);
        }
        let end = bad_key.unwrap_or(split);
        // The scope sees the steps up to the first unknown key: an unknown key is resolved here,
        // where it makes the result unknown, so no scope needs to handle one.
        let scope_limit = steps[..end]
            .iter()
            .position(|s| matches!(s, Step::Index(Value::Unknown)))
            .unwrap_or(end);

        let (mut val, consumed) = match base {
            Expression::Variable(var) => match self.scope.lookup(var.value().as_str(), &steps[..scope_limit]) {
                Ok((v, n)) => (v, n.min(scope_limit)),
                Err(e) => {
                    let span = match e.step {
                        None => var.span(),
                        Some(i) => ops.get(i).and_then(|op| op.span()).or_else(|| var.span()),
                    };
                    errs.push(self.err(e.summary, e.detail, span));
                    return Err(errs);
                }
            },
            other => match self.expr(other) {
                Ok(v) => (v, 0),
                Err(d) => {
                    errs.extend(d);
                    return Err(errs);
                }
            },
        };
        for i in consumed..end {
            match self.apply_step(val, &steps[i], ops[i].span()) {
                Ok(v) => val = v,
                Err(d) => {
                    errs.push(d);
                    return Err(errs);
                }
            }
        }
        if !errs.is_empty() {
            return Err(errs);
        }
        if split < ops.len() {
            val = self.splat(val, &ops[split..])?;
        }
        Ok(val.mark_if(key_sensitive))
    }

    /// Applies traversal operators to a value (no scope involved), splats included.
    pub(super) fn apply_ops(&self, mut val: Value, ops: &[Op]) -> EvalResult {
        let mut sensitive = false;
        for (i, op) in ops.iter().enumerate() {
            let step = match op.value() {
                TraversalOperator::GetAttr(id) => Step::Attr(id.value().as_str().to_string()),
                TraversalOperator::LegacyIndex(n) => Step::Index(Value::from(Number::from(*n.value()))),
                TraversalOperator::Index(e) => {
                    let (k, s) = self.expr(e)?.unmark();
                    sensitive |= s;
                    Step::Index(k)
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    return self.splat(val, &ops[i..]).map(|v| v.mark_if(sensitive));
                }
            };
            val = self.apply_step(val, &step, op.span()).map_err(|d| vec![d])?;
        }
        Ok(val.mark_if(sensitive))
    }

    /// `ops[0]` is a splat: applies what it governs to each element. A full splat `[*]` governs
    /// every operator after it; an attribute splat `.*` only the attribute accesses right after
    /// it, and the rest apply to the resulting list.
    pub(super) fn splat(&self, val: Value, ops: &[Op]) -> EvalResult {
        let (first, rest) = ops.split_first().expect("splat operator");
        let (inner, after) = match first.value() {
            TraversalOperator::AttrSplat(_) => {
                let n = rest
                    .iter()
                    .take_while(|op| matches!(op.value(), TraversalOperator::GetAttr(_)))
                    .count();
                rest.split_at(n)
            }
            _ => (rest, &[][..]),
        };
        let (val, sensitive) = unmark_top(val);
        let items = match val {
            Value::Unknown => return Ok(Value::Unknown.mark_if(sensitive)),
            Value::Null => Vec::new(),
            Value::List(items) => items,
            // A single value splats as a list of itself, Terraform's rule for optional blocks.
            other => vec![other],
        };
        let mut out = Vec::with_capacity(items.len());
        let mut errs = Vec::new();
        for item in items {
            match self.apply_ops(item, inner) {
                Ok(v) => out.push(v),
                Err(d) => push_unique(&mut errs, d),
            }
        }
        if !errs.is_empty() {
            return Err(errs);
        }
        let result = Value::List(out).mark_if(sensitive);
        if after.is_empty() {
            Ok(result)
        } else {
            self.apply_ops(result, after)
        }
    }

    pub(super) fn apply_step(&self, val: Value, step: &Step, span: Option<Range<usize>>) -> Result<Value, Diagnostic> {
        let (val, sensitive) = unmark_top(val);
        let out = match (val, step) {
            (Value::Unknown, _) => Value::Unknown,
            (Value::Map(mut m), Step::Attr(name)) => match m.remove(name) {
                Some(v) => v,
                None => {
                    return Err(self.err(
                        "Unsupported attribute",
                        format!("This object does not have an attribute named \"{name}\"."),
                        span,
                    ));
                }
            },
            (Value::Null, Step::Attr(_)) => {
                return Err(self.err(
                    "Attempt to get attribute from null value",
                    "This value is null, so it does not have any attributes.",
                    span,
                ));
            }
            (Value::List(_), Step::Attr(name)) => {
                return Err(self.err(
                    "Unsupported attribute",
                    format!(
                        "Can't access attributes on a list. Did you mean to access attribute \"{name}\" for a specific element of the list, or across all elements of the list ([*].{name})?"
                    ),
                    span,
                ));
            }
            (v, Step::Attr(_)) => {
                return Err(self.err(
                    "Unsupported attribute",
                    format!(
                        "Can't access attributes on a primitive-typed value ({}).",
                        v.type_name()
                    ),
                    span,
                ));
            }
            (Value::Null, Step::Index(_)) => {
                return Err(self.err(
                    "Attempt to index null value",
                    "This value is null, so it does not have any indices.",
                    span,
                ));
            }
            (_, Step::Index(Value::Null)) => {
                return Err(self.err("Invalid index", "Can't use a null value as an indexing key.", span));
            }
            (Value::List(_) | Value::Map(_), Step::Index(Value::Unknown)) => Value::Unknown,
            (Value::List(mut items), Step::Index(key)) => {
                let Some(n) = to_number(key) else {
                    return Err(self.err(
                        "Invalid index",
                        format!("The given key does not identify an element in this collection value: a number is required, but this is a {}.", key.type_name()),
                        span,
                    ));
                };
                if !n.is_whole() {
                    return Err(self.err(
                        "Invalid index",
                        "The given key does not identify an element in this collection value: the index must be a whole number.",
                        span,
                    ));
                }
                let Some(index) = n
                    .as_u64()
                    .and_then(|i| usize::try_from(i).ok())
                    .filter(|i| *i < items.len())
                else {
                    return Err(self.err(
                        "Invalid index",
                        format!(
                            "The given key does not identify an element in this collection value: Index out of range (index {}, length {}).",
                            n,
                            items.len()
                        ),
                        span,
                    ));
                };
                items.swap_remove(index)
            }
            (Value::Map(mut m), Step::Index(key)) => {
                let Some(k) = to_key_string(key) else {
                    return Err(self.err(
                        "Invalid index",
                        format!("The given key does not identify an element in this collection value: a string is required, but this is a {}.", key.type_name()),
                        span,
                    ));
                };
                match m.remove(&k) {
                    Some(v) => v,
                    None => {
                        return Err(self.err(
                            "Invalid index",
                            format!("The given key does not identify an element in this collection value: there is no element with key \"{k}\"."),
                            span,
                        ));
                    }
                }
            }
            (v, Step::Index(_)) => {
                return Err(self.err(
                    "Invalid index",
                    format!("This value does not have any indices: it is a {}.", v.type_name()),
                    span,
                ));
            }
        };
        Ok(out.mark_if(sensitive))
    }
}
