//! Number functions: `abs`, `ceil`, `floor`, `signum`, `pow`, `log`, `max`, `min`, `sum` and
//! `parseint`. Integer arguments give exact integer results wherever the result is whole (see
//! `plinth_sdk::Number`); `log` (and `pow` with a fractional or negative exponent) are `f64`, as
//! Terraform's are (Go's `math` package).

use super::*;

pub(super) fn f_abs(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::from(num_arg(a, 0)?.abs()))
}

pub(super) fn f_ceil(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::from(num_arg(a, 0)?.ceil()))
}

pub(super) fn f_floor(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::from(num_arg(a, 0)?.floor()))
}

pub(super) fn f_signum(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let n = num_arg(a, 0)?;
    Ok(Value::int(if n.is_zero() {
        0
    } else if n.is_negative() {
        -1
    } else {
        1
    }))
}

pub(super) fn f_pow(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::from(num_arg(a, 0)?.pow(num_arg(a, 1)?)))
}

pub(super) fn f_log(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let n = num_arg(a, 0)?.as_f64();
    let base = num_arg(a, 1)?.as_f64();
    let r = n.ln() / base.ln();
    if !r.is_finite() {
        return Err(call_err("the result is not a finite number"));
    }
    Ok(Value::number(r))
}

/// The argument numbers of `max` / `min`, at least one.
fn num_args(a: &[Value]) -> Result<Vec<Number>, Fail> {
    if a.is_empty() {
        return Err(call_err("must pass at least one number"));
    }
    (0..a.len()).map(|i| num_arg(a, i)).collect()
}

pub(super) fn f_max(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let nums = num_args(a)?;
    let max = nums.into_iter().reduce(|m, n| if n > m { n } else { m });
    Ok(max.map(Value::from).unwrap_or(Value::Null))
}

pub(super) fn f_min(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let nums = num_args(a)?;
    let min = nums.into_iter().reduce(|m, n| if n < m { n } else { m });
    Ok(min.map(Value::from).unwrap_or(Value::Null))
}

pub(super) fn f_sum(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let nums = num_list_arg(a, 0)?;
    // Terraform's `sum` adds with the `+` operator's arithmetic; so does this.
    match nums.into_iter().reduce(|a, b| a + b) {
        Some(total) => Ok(Value::from(total)),
        None => Err(call_err("cannot find the sum of an empty list")),
    }
}

pub(super) fn f_parseint(a: &[Value], cx: &Cx) -> Result<Value, Fail> {
    let s = str_arg(a, 0)?;
    let base = int_arg(a, 1)?;
    if !(2..=62).contains(&base) {
        return Err(Fail::Param(
            1,
            "base must be a whole number between 2 and 62 inclusive".into(),
        ));
    }
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(&s)),
    };
    // Exact in i128 (so `parseint("ffffffffffffffff", 16)` is 18446744073709551615); a number too
    // large even for that continues as a float.
    let mut exact: Option<i128> = Some(0);
    let mut approx: f64 = 0.0;
    let bad = || Fail::Param(0, format!("cannot parse {} as a base {base} integer", cx.show(0, &s)));
    if digits.is_empty() {
        return Err(bad());
    }
    for c in digits.chars() {
        let d = match c {
            '0'..='9' => c as i64 - '0' as i64,
            'a'..='z' if base <= 36 => c as i64 - 'a' as i64 + 10,
            'A'..='Z' if base <= 36 => c as i64 - 'A' as i64 + 10,
            'a'..='z' => c as i64 - 'a' as i64 + 10,
            'A'..='Z' => c as i64 - 'A' as i64 + 36,
            _ => return Err(bad()),
        };
        if d >= base {
            return Err(bad());
        }
        exact = exact
            .and_then(|n| n.checked_mul(i128::from(base)))
            .and_then(|n| n.checked_add(i128::from(d)));
        approx = approx * base as f64 + d as f64;
    }
    let n = match exact {
        Some(n) => Number::from_i128(n),
        None => Number::from_f64(approx),
    };
    Ok(Value::from(if neg { -n } else { n }))
}
