//! Operators and conditionals: unary and binary operators with Terraform's conversions (numbers
//! from strings, `==` across types) and `cond ? a : b`, with unknown and sensitive operands.

use super::*;

impl<'a> Evaluator<'a> {
    pub(super) fn conditional(&self, c: &Conditional) -> EvalResult {
        let (cond, sensitive) = self.expr(&c.cond_expr)?.unmark();
        let branch = match cond {
            Value::Unknown => return Ok(Value::Unknown.mark_if(sensitive)),
            Value::Null => {
                return Err(vec![self.err(
                    "Null condition",
                    "The condition value is null. Conditions must either be true or false.",
                    c.cond_expr.span(),
                )]);
            }
            v => match to_bool(&v) {
                Some(true) => &c.true_expr,
                Some(false) => &c.false_expr,
                None => {
                    return Err(vec![self.err(
                        "Incorrect condition type",
                        format!(
                            "The condition expression must be of type bool, but this is a {}.",
                            v.type_name()
                        ),
                        c.cond_expr.span(),
                    )]);
                }
            },
        };
        Ok(self.expr(branch)?.mark_if(sensitive))
    }

    pub(super) fn unary(&self, u: &UnaryOp) -> EvalResult {
        let (v, sensitive) = self.expr(&u.expr)?.unmark();
        let span = u.expr.span();
        let out = match u.operator.value() {
            UnaryOperator::Neg => self
                .operand(&v, "unary", span, "a number", to_number)?
                .map(|n| Value::from(-n)),
            UnaryOperator::Not => self
                .operand(&v, "unary", span, "a bool", to_bool)?
                .map(|b| Value::Bool(!b)),
        };
        Ok(out.unwrap_or(Value::Unknown).mark_if(sensitive))
    }

    /// An operand converted by `convert` (`to_number` lets numeric strings through, `to_bool`
    /// `"true"` and `"false"`); `None` when unknown, an error naming `wanted` when null or not
    /// convertible.
    fn operand<T>(
        &self,
        v: &Value,
        which: &str,
        span: Option<Range<usize>>,
        wanted: &str,
        convert: impl Fn(&Value) -> Option<T>,
    ) -> Result<Option<T>, Diags> {
        match v {
            Value::Unknown => Ok(None),
            Value::Null => Err(vec![self.err(
                "Invalid operand",
                format!("Unsuitable value for {which} operand: argument must not be null."),
                span,
            )]),
            v => convert(v).map(Some).ok_or_else(|| {
                vec![self.err(
                    "Invalid operand",
                    format!("Unsuitable value for {which} operand: {wanted} is required."),
                    span,
                )]
            }),
        }
    }

    pub(super) fn binary(&self, b: &BinaryOp) -> EvalResult {
        let (l, r) = match (self.expr(&b.lhs_expr), self.expr(&b.rhs_expr)) {
            (Ok(l), Ok(r)) => (l, r),
            (l, r) => {
                let mut errs = l.err().unwrap_or_default();
                errs.extend(r.err().unwrap_or_default());
                return Err(errs);
            }
        };
        let (l, ls) = l.unmark();
        let (r, rs) = r.unmark();
        let (lspan, rspan) = (b.lhs_expr.span(), b.rhs_expr.span());
        let op = *b.operator.value();
        use BinaryOperator as B;
        let out = match op {
            B::Eq | B::NotEq => values_equal(&l, &r).map(|eq| Value::Bool(eq == (op == B::Eq))),
            B::And | B::Or => {
                let (lb, rb) = both(
                    self.operand(&l, "left", lspan, "a bool", to_bool),
                    self.operand(&r, "right", rspan, "a bool", to_bool),
                )?;
                match (lb, rb) {
                    (Some(x), Some(y)) => Some(Value::Bool(if op == B::And { x && y } else { x || y })),
                    _ => None,
                }
            }
            _ => {
                let (ln, rn) = both(
                    self.operand(&l, "left", lspan, "a number", to_number),
                    self.operand(&r, "right", rspan.clone(), "a number", to_number),
                )?;
                match (ln, rn) {
                    (Some(x), Some(y)) => Some(match op {
                        B::Plus => Value::from(x + y),
                        B::Minus => Value::from(x - y),
                        B::Mul => Value::from(x * y),
                        B::Div | B::Mod if y.is_zero() => {
                            return Err(vec![self.err(
                                "Division by zero",
                                "The right operand of this operation is zero; it must not be.",
                                rspan,
                            )]);
                        }
                        B::Div => Value::from(x / y),
                        B::Mod => Value::from(x % y),
                        B::Less => Value::Bool(x < y),
                        B::LessEq => Value::Bool(x <= y),
                        B::Greater => Value::Bool(x > y),
                        B::GreaterEq => Value::Bool(x >= y),
                        B::Eq | B::NotEq | B::And | B::Or => unreachable!("handled above"),
                    }),
                    _ => None,
                }
            }
        };
        Ok(out.unwrap_or(Value::Unknown).mark_if(ls || rs))
    }
}
