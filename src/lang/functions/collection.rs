//! Collection functions over lists, sets, tuples, maps and objects: `length`, `keys`, `values`,
//! `lookup`, `merge`, `concat` and `coalesce` (which look at marks themselves), and the plain ones
//! (`element`, `flatten`, `distinct`, `sort`, `range`, the set operations, ...).

use super::*;

pub(super) fn m_length(args: Vec<Value>, _: &FuncContext) -> Result<Value, Fail> {
    let (v, sensitive) = peel(args.into_iter().next().unwrap_or_default());
    let n = match v {
        Value::Unknown => return Ok(Value::Unknown.mark_if(sensitive)),
        Value::Null => return Err(Fail::Param(0, "argument must not be null".into())),
        Value::String(s) => s.chars().count(),
        Value::List(l) => l.len(),
        Value::Map(m) => m.len(),
        _ => {
            return Err(Fail::Param(
                0,
                "argument must be a string, a collection type, or a structural type".into(),
            ));
        }
    };
    Ok(Value::int(n as i64).mark_if(sensitive))
}

pub(super) fn m_keys(args: Vec<Value>, _: &FuncContext) -> Result<Value, Fail> {
    let (v, sensitive) = peel(args.into_iter().next().unwrap_or_default());
    match v {
        Value::Unknown => Ok(Value::Unknown.mark_if(sensitive)),
        Value::Map(m) => Ok(strings(m.into_keys()).mark_if(sensitive)),
        Value::Null => Err(Fail::Param(0, "argument must not be null".into())),
        _ => Err(Fail::Param(0, "must have map or object type".into())),
    }
}

pub(super) fn m_values(args: Vec<Value>, _: &FuncContext) -> Result<Value, Fail> {
    let (v, sensitive) = peel(args.into_iter().next().unwrap_or_default());
    match v {
        Value::Unknown => Ok(Value::Unknown.mark_if(sensitive)),
        Value::Map(m) => Ok(Value::List(m.into_values().collect()).mark_if(sensitive)),
        Value::Null => Err(Fail::Param(0, "argument must not be null".into())),
        _ => Err(Fail::Param(0, "must have map or object type".into())),
    }
}

pub(super) fn m_lookup(args: Vec<Value>, _: &FuncContext) -> Result<Value, Fail> {
    let mut args = args.into_iter();
    let (map, map_sensitive) = peel(args.next().unwrap_or_default());
    let (key, key_sensitive) = peel(args.next().unwrap_or_default());
    let default = args.next();
    let sensitive = map_sensitive || key_sensitive;
    if map.is_unknown() || key.contains_unknown() {
        return Ok(Value::Unknown.mark_if(sensitive));
    }
    let key = match convert(key, &Type::String) {
        Ok(Value::String(k)) => k,
        Ok(_) => return Err(Fail::Param(1, "argument must not be null".into())),
        Err(e) => return Err(Fail::Param(1, e.message)),
    };
    let Value::Map(mut m) = map else {
        return Err(Fail::Param(0, "lookup() requires a map as the first argument".into()));
    };
    match (m.remove(&key), default) {
        (Some(v), _) => Ok(v.mark_if(sensitive)),
        (None, Some(d)) => Ok(d.mark_if(sensitive)),
        (None, None) => {
            let shown = if key_sensitive {
                "(sensitive value)".to_string()
            } else {
                format!("{key:?}")
            };
            Err(Fail::Call(Some(1), format!("lookup failed to find key {shown}")))
        }
    }
}

pub(super) fn m_merge(args: Vec<Value>, _: &FuncContext) -> Result<Value, Fail> {
    let mut out = Map::new();
    let (sensitive, unknown) = each_known_arg(args, |i, v| match v {
        Value::Null => Ok(()),
        Value::Map(m) => {
            out.extend(m);
            Ok(())
        }
        other => Err(Fail::Param(
            i,
            format!("arguments must be maps or objects, got {}", other.type_name()),
        )),
    })?;
    Ok(if unknown { Value::Unknown } else { Value::Map(out) }.mark_if(sensitive))
}

pub(super) fn m_concat(args: Vec<Value>, _: &FuncContext) -> Result<Value, Fail> {
    let mut out = Vec::new();
    let (sensitive, unknown) = each_known_arg(args, |i, v| match v {
        Value::List(items) => {
            out.extend(items);
            Ok(())
        }
        Value::Null => Err(Fail::Param(i, "argument must not be null".into())),
        other => Err(Fail::Param(
            i,
            format!("all arguments must be lists or tuples; got {}", other.type_name()),
        )),
    })?;
    Ok(if unknown { Value::Unknown } else { Value::List(out) }.mark_if(sensitive))
}

/// Hands each argument that is not unknown, unmarked, to `take` with its position, and says
/// whether any argument was sensitive and whether any was unknown (the result then is too).
fn each_known_arg(
    args: Vec<Value>,
    mut take: impl FnMut(usize, Value) -> Result<(), Fail>,
) -> Result<(bool, bool), Fail> {
    let mut sensitive = false;
    let mut unknown = false;
    for (i, arg) in args.into_iter().enumerate() {
        let (v, s) = peel(arg);
        sensitive |= s;
        match v {
            Value::Unknown => unknown = true,
            v => take(i, v)?,
        }
    }
    Ok((sensitive, unknown))
}

pub(super) fn m_coalesce(args: Vec<Value>, _: &FuncContext) -> Result<Value, Fail> {
    let sensitive = args.iter().any(Value::contains_sensitive);
    let plain: Vec<Value> = args.into_iter().map(|a| a.unmark().0).collect();
    let types: Vec<Type> = plain
        .iter()
        .filter(|v| !v.is_null() && !v.contains_unknown())
        .map(infer_type)
        .collect();
    let Some(common) = unify_types(&types) else {
        return Err(call_err("all arguments must have the same type"));
    };
    for v in plain {
        match &v {
            Value::Unknown => return Ok(Value::Unknown.mark_if(sensitive)),
            Value::Null => continue,
            Value::String(s) if s.is_empty() => continue,
            _ => {}
        }
        let v = convert(v, &common).map_err(|e| call_err(e.message))?;
        return Ok(v.mark_if(sensitive));
    }
    Err(call_err("no non-null, non-empty-string arguments"))
}

pub(super) fn f_coalescelist(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    for (i, v) in a.iter().enumerate() {
        match v {
            Value::Null => {}
            Value::List(items) if items.is_empty() => {}
            Value::List(_) => return Ok(v.clone()),
            other => {
                return Err(Fail::Param(
                    i,
                    format!(
                        "coalescelist arguments must be lists or tuples, got {}",
                        other.type_name()
                    ),
                ));
            }
        }
    }
    Err(call_err("no non-null arguments"))
}

pub(super) fn f_contains(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let list = list_arg(a, 0)?;
    Ok(Value::Bool(list.contains(&a[1])))
}

pub(super) fn f_index(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let list = list_arg(a, 0)?;
    match list.iter().position(|v| *v == a[1]) {
        Some(i) => Ok(Value::int(i as i64)),
        None => Err(call_err("item not found")),
    }
}

pub(super) fn f_element(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let list = list_arg(a, 0)?;
    let index = int_arg(a, 1)?;
    if index < 0 {
        return Err(Fail::Param(
            1,
            "cannot use element function with a negative index".into(),
        ));
    }
    if list.is_empty() {
        return Err(Fail::Param(0, "cannot use element function with an empty list".into()));
    }
    Ok(list[index as usize % list.len()].clone())
}

pub(super) fn f_flatten(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    fn walk(items: Vec<Value>, out: &mut Vec<Value>) {
        for v in items {
            match v {
                Value::List(inner) => walk(inner, out),
                v => out.push(v),
            }
        }
    }
    let list = list_arg(a, 0).map_err(|_| Fail::Param(0, "can only flatten lists, sets and tuples".into()))?;
    let mut out = Vec::new();
    walk(list, &mut out);
    Ok(Value::List(out))
}

pub(super) fn f_distinct(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let mut out: Vec<Value> = Vec::new();
    for v in list_arg(a, 0)? {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    Ok(Value::List(out))
}

pub(super) fn f_reverse(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let mut list = list_arg(a, 0)?;
    list.reverse();
    Ok(Value::List(list))
}

pub(super) fn f_sort(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let mut out = Vec::new();
    for (i, s) in str_list_arg(a, 0)?.into_iter().enumerate() {
        match s {
            Some(s) => out.push(s),
            None => {
                return Err(call_err(format!(
                    "given list element {i} is null; a null string cannot be sorted"
                )));
            }
        }
    }
    out.sort();
    Ok(strings(out))
}

pub(super) fn f_compact(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(strings(
        str_list_arg(a, 0)?.into_iter().flatten().filter(|s| !s.is_empty()),
    ))
}

pub(super) fn f_one(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let list = list_arg(a, 0)?;
    match list.len() {
        0 => Ok(Value::Null),
        1 => Ok(list.into_iter().next().unwrap_or_default()),
        _ => Err(Fail::Param(
            0,
            "must be a list, set, or tuple value with either zero or one elements".into(),
        )),
    }
}

pub(super) fn f_slice(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let list = list_arg(a, 0)?;
    let start = int_arg(a, 1)?;
    let end = int_arg(a, 2)?;
    if start < 0 {
        return Err(Fail::Param(1, "start index must not be less than zero".into()));
    }
    if end > list.len() as i64 {
        return Err(Fail::Param(
            2,
            "end index must not be greater than the length of the list".into(),
        ));
    }
    if start > end {
        return Err(Fail::Param(1, "start index must not be greater than end index".into()));
    }
    Ok(Value::List(list[start as usize..end as usize].to_vec()))
}

pub(super) fn f_zipmap(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let keys = str_list_arg(a, 0)?;
    let values = list_arg(a, 1)?;
    if keys.len() != values.len() {
        return Err(call_err(format!(
            "number of keys ({}) does not match number of values ({})",
            keys.len(),
            values.len()
        )));
    }
    let mut out = Map::new();
    for (i, (k, v)) in keys.into_iter().zip(values).enumerate() {
        let k = k.ok_or_else(|| Fail::Param(0, format!("element {i} is null; keys must not be null")))?;
        out.insert(k, v);
    }
    Ok(Value::Map(out))
}

pub(super) fn f_range(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let nums = (0..a.len())
        .map(|i| num_arg(a, i))
        .collect::<Result<Vec<Number>, Fail>>()?;
    let one = |down: bool| Number::from(if down { -1 } else { 1 });
    let (start, end, step) = match nums.as_slice() {
        [end] => (Number::from(0), *end, one(end.is_negative())),
        [start, end] => (*start, *end, one(end < start)),
        [start, end, step] => (*start, *end, *step),
        _ => return Err(call_err("must have one, two, or three arguments")),
    };
    if step.is_zero() {
        return Err(Fail::Param(2, "step must not be zero".into()));
    }
    let down = step.is_negative();
    if down && end > start {
        return Err(Fail::Param(
            1,
            "end must be less than start when step is negative".into(),
        ));
    }
    if !down && end < start {
        return Err(Fail::Param(
            1,
            "end must be greater than start when step is positive".into(),
        ));
    }
    let mut out = Vec::new();
    let mut n = start;
    while (down && n > end) || (!down && n < end) {
        if out.len() >= 1024 {
            return Err(call_err(
                "more than 1024 values were generated; either decrease the difference between start and end \
                 or use a smaller step",
            ));
        }
        out.push(Value::from(n));
        // Number arithmetic, as Terraform's: `range(0, 1, 0.1)` counts 0.1, 0.2, 0.3, ...
        n = n + step;
    }
    Ok(Value::List(out))
}

pub(super) fn f_chunklist(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let list = list_arg(a, 0)?;
    let size = int_arg(a, 1)?;
    if size < 0 {
        return Err(Fail::Param(1, "the size argument must be positive".into()));
    }
    if size == 0 {
        return Ok(Value::List(vec![Value::List(list)]));
    }
    Ok(Value::List(
        list.chunks(size as usize).map(|c| Value::List(c.to_vec())).collect(),
    ))
}

pub(super) fn bool_list(a: &[Value]) -> Result<Vec<bool>, Fail> {
    list_arg(a, 0)?
        .into_iter()
        .enumerate()
        .map(|(j, v)| match convert(v, &Type::Bool) {
            Ok(Value::Bool(b)) => Ok(b),
            Ok(_) => Ok(false),
            Err(e) => Err(Fail::Param(0, format!("element {j}: {}", e.message))),
        })
        .collect()
}

pub(super) fn f_alltrue(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::Bool(bool_list(a)?.into_iter().all(|b| b)))
}

pub(super) fn f_anytrue(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    Ok(Value::Bool(bool_list(a)?.into_iter().any(|b| b)))
}

pub(super) fn set_arg(a: &[Value], i: usize) -> Result<Vec<Value>, Fail> {
    Ok(set_normalize(list_arg(a, i)?))
}

pub(super) fn set_has(set: &[Value], v: &Value) -> bool {
    set.iter().any(|x| compare_values(x, v) == std::cmp::Ordering::Equal)
}

pub(super) fn f_setunion(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let mut all = Vec::new();
    for i in 0..a.len() {
        all.extend(list_arg(a, i)?);
    }
    Ok(Value::List(set_normalize(all)))
}

pub(super) fn f_setintersection(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let mut acc = set_arg(a, 0)?;
    for i in 1..a.len() {
        let other = set_arg(a, i)?;
        acc.retain(|v| set_has(&other, v));
    }
    Ok(Value::List(acc))
}

pub(super) fn f_setsubtract(a: &[Value], _: &Cx) -> Result<Value, Fail> {
    let mut acc = set_arg(a, 0)?;
    let other = set_arg(a, 1)?;
    acc.retain(|v| !set_has(&other, v));
    Ok(Value::List(acc))
}
