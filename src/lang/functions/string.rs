//! String functions: case, trimming, splitting and joining, substrings, regular expressions
//! (`regex`, `regexall`, `replace` with `/.../`) and `urlencode`. `format` and `formatlist` are
//! in `format.rs`.

use super::*;

pub(super) fn f_upper(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::String(str_arg(a, 0)?.to_uppercase()))
}

pub(super) fn f_lower(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::String(str_arg(a, 0)?.to_lowercase()))
}

/// Go's `strings.Title`: the first letter of each word upper-cased.
pub(super) fn f_title(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let s = str_arg(a, 0)?;
    let mut out = String::with_capacity(s.len());
    let mut at_word_start = true;
    for c in s.chars() {
        if at_word_start && c.is_alphabetic() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        at_word_start = !(c.is_alphanumeric() || c == '_' || c == '\'');
    }
    Ok(Value::String(out))
}

pub(super) fn f_trimspace(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::string(str_arg(a, 0)?.trim()))
}

pub(super) fn f_trim(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let s = str_arg(a, 0)?;
    let cutset: Vec<char> = str_arg(a, 1)?.chars().collect();
    Ok(Value::string(s.trim_matches(|c| cutset.contains(&c))))
}

pub(super) fn f_trimprefix(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let s = str_arg(a, 0)?;
    let p = str_arg(a, 1)?;
    Ok(Value::string(s.strip_prefix(p.as_str()).unwrap_or(&s)))
}

pub(super) fn f_trimsuffix(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let s = str_arg(a, 0)?;
    let p = str_arg(a, 1)?;
    Ok(Value::string(s.strip_suffix(p.as_str()).unwrap_or(&s)))
}

pub(super) fn f_chomp(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::string(str_arg(a, 0)?.trim_end_matches(['\r', '\n'])))
}

pub(super) fn f_strrev(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::String(str_arg(a, 0)?.chars().rev().collect()))
}

pub(super) fn f_indent(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let n = int_arg(a, 0)?;
    let s = str_arg(a, 1)?;
    let n = usize::try_from(n).unwrap_or(0);
    check_output(s.len().saturating_add(n.saturating_mul(s.matches('\n').count())))?;
    let pad = " ".repeat(n);
    Ok(Value::String(s.replace('\n', &format!("\n{pad}"))))
}

pub(super) fn f_startswith(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::Bool(str_arg(a, 0)?.starts_with(&str_arg(a, 1)?)))
}

pub(super) fn f_endswith(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::Bool(str_arg(a, 0)?.ends_with(&str_arg(a, 1)?)))
}

pub(super) fn f_strcontains(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::Bool(str_arg(a, 0)?.contains(&str_arg(a, 1)?)))
}

pub(super) fn f_split(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let sep = str_arg(a, 0)?;
    let s = str_arg(a, 1)?;
    if sep.is_empty() {
        return Ok(strings(s.chars().map(String::from)));
    }
    Ok(strings(s.split(sep.as_str()).map(String::from)))
}

pub(super) fn f_join(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let sep = str_arg(a, 0)?;
    let mut parts = Vec::new();
    for i in 1..a.len() {
        for (j, item) in str_list_arg(a, i)?.into_iter().enumerate() {
            match item {
                Some(s) => parts.push(s),
                None if a.len() > 2 => {
                    return Err(Fail::Param(
                        i,
                        format!("element {j} of list {i} is null; cannot concatenate null values"),
                    ));
                }
                None => {
                    return Err(Fail::Param(
                        i,
                        format!("element {j} is null; cannot concatenate null values"),
                    ));
                }
            }
        }
    }
    let total = parts.iter().map(String::len).sum::<usize>();
    check_output(total.saturating_add(sep.len().saturating_mul(parts.len().saturating_sub(1))))?;
    Ok(Value::String(parts.join(&sep)))
}

pub(super) fn f_substr(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let chars: Vec<char> = str_arg(a, 0)?.chars().collect();
    let offset = int_arg(a, 1)?;
    let length = int_arg(a, 2)?;
    let total = chars.len() as i64;
    let start = if offset < 0 { (offset + total).max(0) } else { offset };
    if start >= total || length == 0 {
        return Ok(Value::string(""));
    }
    let end = if length < 0 { total } else { (start + length).min(total) };
    Ok(Value::String(chars[start as usize..end as usize].iter().collect()))
}

pub(super) fn regex_arg(a: &[Value], i: usize, cx: &Cx) -> Result<regex::Regex, Fail> {
    let pattern = str_arg(a, i)?;
    regex::Regex::new(&pattern).map_err(|e| {
        let detail = if cx.sensitive.get(i).copied().unwrap_or(false) {
            String::new()
        } else {
            format!(": {}", e.to_string().lines().last().unwrap_or_default().trim())
        };
        Fail::Param(
            i,
            format!("invalid regular expression pattern {}{detail}", cx.show(i, &pattern)),
        )
    })
}

pub(super) fn f_replace(a: &[Value], cx: &Cx) -> Result<Value, Fail> {
    let s = str_arg(a, 0)?;
    let sub = str_arg(a, 1)?;
    let rep = str_arg(a, 2)?;
    if sub.len() > 1 && sub.starts_with('/') && sub.ends_with('/') {
        let pattern = Value::string(&sub[1..sub.len() - 1]);
        let re = regex_arg(&[Value::Null, pattern], 1, cx)?;
        return Ok(Value::String(re.replace_all(&s, rep.as_str()).into_owned()));
    }
    if rep.len() > sub.len() {
        // An empty `sub` matches between every two characters: the result can be the length of
        // the string times the replacement's.
        let growth = (rep.len() - sub.len()).saturating_mul(s.matches(sub.as_str()).count());
        check_output(s.len().saturating_add(growth))?;
    }
    Ok(Value::String(s.replace(&sub, &rep)))
}

/// The value `regex` returns for one match: the matched text without capture groups, a list for
/// unnamed groups, an object for named ones.
pub(super) fn regex_match(re: &regex::Regex, caps: &regex::Captures) -> Value {
    let names: Vec<Option<&str>> = re.capture_names().skip(1).collect();
    if names.is_empty() {
        return Value::string(caps.get(0).map_or("", |m| m.as_str()));
    }
    let group = |i: usize| caps.get(i).map_or(Value::Null, |m| Value::string(m.as_str()));
    if names.iter().all(Option::is_some) {
        Value::Map(
            names
                .iter()
                .enumerate()
                .filter_map(|(i, n)| n.map(|n| (n.to_string(), group(i + 1))))
                .collect(),
        )
    } else {
        Value::List((1..=names.len()).map(group).collect())
    }
}

pub(super) fn check_groups(re: &regex::Regex) -> Result<(), Fail> {
    let names: Vec<Option<&str>> = re.capture_names().skip(1).collect();
    if names.iter().any(Option::is_some) && names.iter().any(Option::is_none) {
        return Err(Fail::Param(
            0,
            "invalid regular expression pattern: named and unnamed capture groups cannot be mixed".into(),
        ));
    }
    Ok(())
}

pub(super) fn f_regex(a: &[Value], cx: &Cx) -> Result<Value, Fail> {
    let re = regex_arg(a, 0, cx)?;
    check_groups(&re)?;
    let s = str_arg(a, 1)?;
    let caps = re
        .captures(&s)
        .ok_or_else(|| call_err("pattern did not match any part of the given string"))?;
    Ok(regex_match(&re, &caps))
}

pub(super) fn f_regexall(a: &[Value], cx: &Cx) -> Result<Value, Fail> {
    let re = regex_arg(a, 0, cx)?;
    check_groups(&re)?;
    let s = str_arg(a, 1)?;
    Ok(Value::List(
        re.captures_iter(&s).map(|c| regex_match(&re, &c)).collect(),
    ))
}

/// Go's `url.QueryEscape`.
pub(super) fn f_urlencode(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let s = str_arg(a, 0)?;
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    Ok(Value::String(out))
}
