//! `format` and `formatlist`: cty's printf verbs (`%v %#v %t %b %d %o %x %X %e %E %f %g %G %s
//! %q %%`), with widths, precision and flags, worded and padded as Terraform prints them.

use super::*;

pub(super) fn f_format(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let spec = str_arg(a, 0)?;
    match format_values(&spec, &a[1..]) {
        Ok(s) => Ok(Value::String(s)),
        Err((arg, msg)) => Err(Fail::Call(arg, msg)),
    }
}

pub(super) fn f_formatlist(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let spec = str_arg(a, 0)?;
    let args = &a[1..];
    let mut len: Option<(usize, usize)> = None; // (length, argument number)
    for (i, v) in args.iter().enumerate() {
        if let Value::List(items) = v {
            match len {
                None => len = Some((items.len(), i + 1)),
                Some((n, first)) if n != items.len() => {
                    return Err(Fail::Param(
                        i + 1,
                        format!(
                            "argument {} has length {}, which is inconsistent with argument {first} of length {n}",
                            i + 1,
                            items.len()
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
    }
    let rounds = len.map_or(1, |(n, _)| n);
    let mut out = Vec::with_capacity(rounds);
    let mut total = 0usize;
    for round in 0..rounds {
        let vals: Vec<Value> = args
            .iter()
            .map(|v| match v {
                Value::List(items) => items[round].clone(),
                v => v.clone(),
            })
            .collect();
        let s = format_values(&spec, &vals)
            .map_err(|(arg, msg)| Fail::Call(arg, format!("error on format iteration {round}: {msg}")))?;
        total += s.len() + ELEMENT_BYTES;
        check_output(total)?;
        out.push(Value::String(s));
    }
    Ok(Value::List(out))
}

/// The largest width or precision a verb may ask for: padding is allocated up front, so
/// `%999999999d` would otherwise take a gigabyte.
const MAX_WIDTH: usize = 1_000_000;

#[derive(Default)]
pub(super) struct Verb {
    raw: String,
    offset: usize,
    argnum: usize,
    mode: char,
    zero: bool,
    sharp: bool,
    plus: bool,
    minus: bool,
    space: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

/// Formats `vals` by `spec`; an error names the argument of the call at fault (the spec is 0).
pub(super) fn format_values(spec: &str, vals: &[Value]) -> Result<String, (Option<usize>, String)> {
    let chars: Vec<(usize, char)> = spec.char_indices().collect();
    let mut out = String::new();
    let mut next_arg = 1usize;
    let mut max_used = 0usize;
    let mut i = 0;
    let digits = |i: &mut usize| -> Option<usize> {
        let start = *i;
        while *i < chars.len() && chars[*i].1.is_ascii_digit() {
            *i += 1;
        }
        let s: String = chars[start..*i].iter().map(|(_, c)| c).collect();
        s.parse().ok()
    };
    while i < chars.len() {
        let (offset, c) = chars[i];
        i += 1;
        if c != '%' {
            out.push(c);
            continue;
        }
        if i < chars.len() && chars[i].1 == '%' {
            out.push('%');
            i += 1;
            continue;
        }
        let invalid = || (Some(0), format!("invalid format string starting at offset {offset}"));
        let mut v = Verb {
            offset,
            ..Verb::default()
        };
        while i < chars.len() {
            match chars[i].1 {
                ' ' => v.space = true,
                '+' => v.plus = true,
                '-' => v.minus = true,
                '0' => v.zero = true,
                '#' => v.sharp = true,
                _ => break,
            }
            i += 1;
        }
        if i < chars.len() && chars[i].1 == '[' {
            i += 1;
            let n = digits(&mut i).filter(|n| *n > 0).ok_or_else(invalid)?;
            if i >= chars.len() || chars[i].1 != ']' {
                return Err(invalid());
            }
            i += 1;
            next_arg = n;
        }
        v.width = digits(&mut i);
        if i < chars.len() && chars[i].1 == '.' {
            i += 1;
            v.prec = Some(digits(&mut i).ok_or_else(invalid)?);
        }
        if let Some(n) = v.width.into_iter().chain(v.prec).find(|n| *n > MAX_WIDTH) {
            return Err((
                Some(0),
                format!("the width or precision {n} at offset {offset} is too large; at most {MAX_WIDTH} is allowed"),
            ));
        }
        let Some(&(_, mode)) = chars.get(i) else {
            return Err(invalid());
        };
        i += 1;
        v.mode = mode;
        let end = chars.get(i).map_or(spec.len(), |(o, _)| *o);
        v.raw = spec[offset..end].to_string();
        v.argnum = next_arg;
        next_arg = next_arg.saturating_add(1);
        max_used = max_used.max(v.argnum);
        if out.len() > MAX_VALUE_BYTES {
            return Err((Some(0), format!("{}.", too_large_message("the result"))));
        }
        format_one(&v, vals, &mut out).map_err(|msg| {
            let arg = (v.argnum <= vals.len()).then_some(v.argnum);
            (arg.or(Some(0)), msg)
        })?;
    }
    if vals.len() > max_used {
        let msg = if max_used == 0 {
            "too many arguments; no verbs in format string".to_string()
        } else {
            format!("too many arguments; only {max_used} used by format string")
        };
        return Err((Some(max_used + 1), msg));
    }
    Ok(out)
}

pub(super) fn format_one(v: &Verb, vals: &[Value], out: &mut String) -> Result<(), String> {
    let Some(arg) = vals.get(v.argnum - 1) else {
        return Err(format!(
            "not enough arguments for {:?} at {}: need index {} but have {} total",
            v.raw,
            v.offset,
            v.argnum,
            vals.len()
        ));
    };
    let unsupported = |why: String| format!("unsupported value for {:?} at {}: {why}", v.raw, v.offset);
    if v.mode != 'v' && arg.is_null() {
        return Err(unsupported("null value cannot be formatted".into()));
    }
    match v.mode {
        'v' => {
            let text = match arg {
                Value::String(s) if !v.sharp => s.clone(),
                Value::Number(n) if !v.sharp => fmt_v(*n),
                other => json_text(other),
            };
            out.push_str(&pad_width(v, text));
        }
        't' => match convert(arg.clone(), &Type::Bool) {
            Ok(Value::Bool(b)) => out.push_str(if b { "true" } else { "false" }),
            Ok(_) => return Err(unsupported("bool required".into())),
            Err(e) => return Err(unsupported(e.message)),
        },
        'b' | 'd' | 'o' | 'x' | 'X' | 'e' | 'E' | 'f' | 'g' | 'G' => {
            let n = match convert(arg.clone(), &Type::Number).map(|n| n.as_number()) {
                Ok(Some(n)) => n,
                Ok(None) => return Err(unsupported("number required".into())),
                Err(e) => return Err(unsupported(e.message)),
            };
            let text = if matches!(v.mode, 'b' | 'd' | 'o' | 'x' | 'X') {
                if !n.is_whole() {
                    return Err(unsupported("an integer is required".into()));
                }
                fmt_integer(v, n)
            } else {
                fmt_float(v, n.as_f64())
            };
            out.push_str(&text);
        }
        's' | 'q' => {
            let s = match convert(arg.clone(), &Type::String) {
                Ok(Value::String(s)) => s,
                Ok(_) => return Err(unsupported("string required".into())),
                Err(e) => return Err(unsupported(e.message)),
            };
            let s: String = match v.prec {
                Some(p) if p > 0 => s.chars().take(p).collect(),
                _ => s,
            };
            let text = if v.mode == 'q' { json_quote(&s) } else { s };
            out.push_str(&pad_width(v, text));
        }
        other => {
            return Err(format!(
                "unsupported format verb '{other}' in {:?} at offset {}",
                v.raw, v.offset
            ));
        }
    }
    Ok(())
}

pub(super) fn pad_width(v: &Verb, text: String) -> String {
    let len = text.chars().count();
    match v.width {
        Some(w) if w > len => {
            let pad = (if v.zero { "0" } else { " " }).repeat(w - len);
            if v.minus { text + &pad } else { pad + &text }
        }
        _ => text,
    }
}

/// Applies sign flags and width to a formatted magnitude, as Go's fmt does for numbers.
pub(super) fn pad_number(v: &Verb, negative: bool, prefix: &str, body: String, zero_ok: bool) -> String {
    let sign = if negative {
        "-"
    } else if v.plus {
        "+"
    } else if v.space {
        " "
    } else {
        ""
    };
    let len = sign.len() + prefix.len() + body.chars().count();
    match v.width {
        Some(w) if w > len => {
            if v.minus {
                format!("{sign}{prefix}{body}{}", " ".repeat(w - len))
            } else if v.zero && zero_ok {
                format!("{sign}{prefix}{}{body}", "0".repeat(w - len))
            } else {
                format!("{}{sign}{prefix}{body}", " ".repeat(w - len))
            }
        }
        _ => format!("{sign}{prefix}{body}"),
    }
}

pub(super) fn fmt_integer(v: &Verb, n: Number) -> String {
    let negative = n.is_negative();
    // Integers kept exactly are formatted from their exact value, not a float.
    let exact = n.as_i128().map(i128::unsigned_abs);
    let mag = n.as_f64().abs();
    let body = if exact.is_some() || mag < 1.7e38 {
        let m = exact.unwrap_or(mag as u128);
        match v.mode {
            'b' => format!("{m:b}"),
            'o' => format!("{m:o}"),
            'x' => format!("{m:x}"),
            'X' => format!("{m:X}"),
            _ => m.to_string(),
        }
    } else {
        format!("{mag:.0}")
    };
    let body = match v.prec {
        Some(p) if p > body.len() => "0".repeat(p - body.len()) + &body,
        _ => body,
    };
    let prefix = match (v.sharp, v.mode) {
        (true, 'b') => "0b",
        (true, 'o') => "0",
        (true, 'x') => "0x",
        (true, 'X') => "0X",
        _ => "",
    };
    pad_number(v, negative, prefix, body, v.prec.is_none())
}

/// The decimal digits of |x| and the position of the decimal point: x = 0.DIGITS × 10^dp.
/// `sig` rounds to that many significant digits; `None` gives the shortest exact form.
pub(super) fn decimal_digits(x: f64, sig: Option<usize>) -> (Vec<u8>, i32) {
    let x = x.abs();
    if x == 0.0 {
        return (vec![b'0'; sig.unwrap_or(1).max(1)], 1);
    }
    let s = match sig {
        None => format!("{x:e}"),
        Some(p) => format!("{:.*e}", p.saturating_sub(1), x),
    };
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    (mant.bytes().filter(u8::is_ascii_digit).collect(), exp + 1)
}

pub(super) fn fmt_e_digits(digits: &[u8], dp: i32, frac: usize, upper: bool) -> String {
    let mut s = String::new();
    s.push(char::from(*digits.first().unwrap_or(&b'0')));
    if frac > 0 {
        s.push('.');
        for i in 1..=frac {
            s.push(char::from(*digits.get(i).unwrap_or(&b'0')));
        }
    }
    let exp = if digits.iter().all(|d| *d == b'0') { 0 } else { dp - 1 };
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{s}{}{sign}{:02}", if upper { 'E' } else { 'e' }, exp.abs())
}

pub(super) fn fmt_f_digits(digits: &[u8], dp: i32, frac: usize) -> String {
    let digit = |i: i32| -> char {
        if i < 0 {
            '0'
        } else {
            char::from(*digits.get(i as usize).unwrap_or(&b'0'))
        }
    };
    let mut s = String::new();
    if dp > 0 {
        for i in 0..dp {
            s.push(digit(i));
        }
    } else {
        s.push('0');
    }
    if frac > 0 {
        s.push('.');
        for i in 0..frac as i32 {
            s.push(digit(dp + i));
        }
    }
    s
}

/// `%v` of a number: Go's `big.Float.Text('g', -1)`, with an exact integer's own digits (so
/// `9223372036854775807` is `9.223372036854775807e+18`, not a float's rounding of it).
pub(super) fn fmt_v(n: Number) -> String {
    let Some(i) = n.as_i128() else {
        return fmt_g(n.as_f64(), None, false);
    };
    let text = i.unsigned_abs().to_string();
    let dp = text.len() as i32;
    let trimmed = text.trim_end_matches('0');
    let digits = if trimmed.is_empty() {
        b"0".to_vec()
    } else {
        trimmed.as_bytes().to_vec()
    };
    let neg = if i < 0 { "-" } else { "" };
    // Go switches to %e when the exponent (dp - 1) reaches 6 for the shortest form.
    if i != 0 && dp > 6 {
        return format!("{neg}{}", fmt_e_digits(&digits, dp, digits.len() - 1, false));
    }
    format!("{neg}{}", fmt_f_digits(&digits, dp, 0))
}

/// Go's `%g` of |x|: shortest digits when `prec` is `None`.
pub(super) fn fmt_g(x: f64, prec: Option<usize>, upper: bool) -> String {
    let neg = if x < 0.0 { "-" } else { "" };
    let (digits, dp, prec, eprec) = match prec {
        None => {
            let (d, dp) = decimal_digits(x, None);
            let n = d.len();
            (d, dp, n, 6)
        }
        Some(p) => {
            let p = p.max(1);
            let (mut d, dp) = decimal_digits(x, Some(p));
            while d.len() > 1 && d.last() == Some(&b'0') {
                d.pop();
            }
            let mut eprec = p;
            if eprec > d.len() && d.len() as i32 >= dp {
                eprec = d.len();
            }
            (d, dp, p, eprec)
        }
    };
    let exp = dp - 1;
    if x != 0.0 && (exp < -4 || exp >= eprec as i32) {
        let p = prec.min(digits.len());
        return format!("{neg}{}", fmt_e_digits(&digits, dp, p.saturating_sub(1), upper));
    }
    let p = if prec as i32 > dp { digits.len() } else { prec };
    let frac = (p as i32 - dp).max(0) as usize;
    format!("{neg}{}", fmt_f_digits(&digits, dp, frac))
}

pub(super) fn fmt_float(v: &Verb, n: f64) -> String {
    let body = match v.mode {
        'e' | 'E' => {
            let p = v.prec.unwrap_or(6);
            let (d, dp) = decimal_digits(n, Some(p + 1));
            fmt_e_digits(&d, dp, p, v.mode == 'E')
        }
        'f' => format!("{:.*}", v.prec.unwrap_or(6), n.abs()),
        _ => fmt_g(n.abs(), v.prec, v.mode == 'G'),
    };
    pad_number(v, n.is_sign_negative() && n != 0.0, "", body, true)
}
