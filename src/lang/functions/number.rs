//! Number functions: `abs`, `ceil`, `floor`, `signum`, `pow`, `log`, `max`, `min`, `sum` and
//! `parseint`.

use super::*;

pub(super) fn f_abs(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::Number(num_arg(a, 0)?.abs()))
}

pub(super) fn f_ceil(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::Number(num_arg(a, 0)?.ceil()))
}

pub(super) fn f_floor(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::Number(num_arg(a, 0)?.floor()))
}

pub(super) fn f_signum(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let n = num_arg(a, 0)?;
    Ok(Value::Number(if n == 0.0 { 0.0 } else { n.signum() }))
}

pub(super) fn f_pow(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::Number(num_arg(a, 0)?.powf(num_arg(a, 1)?)))
}

pub(super) fn f_log(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let n = num_arg(a, 0)?;
    let base = num_arg(a, 1)?;
    let r = n.ln() / base.ln();
    if !r.is_finite() {
        return Err(call_err("the result is not a finite number"));
    }
    Ok(Value::Number(r))
}

pub(super) fn f_max(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let nums = (0..a.len())
        .map(|i| num_arg(a, i))
        .collect::<Result<Vec<f64>, Fail>>()?;
    Ok(Value::Number(nums.into_iter().fold(f64::NEG_INFINITY, f64::max)))
}

pub(super) fn f_min(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let nums = (0..a.len())
        .map(|i| num_arg(a, i))
        .collect::<Result<Vec<f64>, Fail>>()?;
    Ok(Value::Number(nums.into_iter().fold(f64::INFINITY, f64::min)))
}

pub(super) fn f_sum(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let nums = num_list_arg(a, 0)?;
    if nums.is_empty() {
        return Err(call_err("cannot find the sum of an empty list"));
    }
    Ok(Value::Number(nums.into_iter().sum()))
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
    let mut n: f64 = 0.0;
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
        n = n * base as f64 + d as f64;
    }
    Ok(Value::Number(if neg { -n } else { n }))
}
