//! Tuple and object constructors: `[a, b]` and `{ k = v }` (keys evaluated, unknown or
//! sensitive keys handled, duplicates refused).

use super::*;

impl<'a> Evaluator<'a> {
    pub(super) fn object(&self, o: &Object) -> EvalResult {
        let mut map = Map::new();
        let mut errs = Vec::new();
        let mut unknown = false;
        let mut sensitive = false;
        let mut size = 0;
        for (key, value) in o.iter() {
            let key = match key {
                ObjectKey::Ident(id) => Some(id.value().as_str().to_string()),
                ObjectKey::Expression(ke) => match self.expr(ke) {
                    Err(d) => {
                        errs.extend(d);
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
                            Value::Null => {
                                errs.push(self.err(
                                    "Invalid object key",
                                    "Can't use a null value as an object key.",
                                    ke.span(),
                                ));
                                None
                            }
                            k => {
                                let s = to_key_string(&k);
                                if s.is_none() {
                                    errs.push(self.err(
                                        "Invalid object key",
                                        format!("Can't use this value as an object key: a string is required, but this is a {}.", k.type_name()),
                                        ke.span(),
                                    ));
                                }
                                s
                            }
                        }
                    }
                },
            };
            match (key, self.expr(value.expr())) {
                (_, Err(d)) => errs.extend(d),
                (Some(k), Ok(v)) => {
                    size += k.len();
                    self.grow(&mut size, &v, "this object", o.span()).map_err(|d| vec![d])?;
                    map.insert(k, v);
                }
                (None, Ok(_)) => {}
            }
        }
        let v = if unknown { Value::Unknown } else { Value::Map(map) };
        finish(v.mark_if(sensitive), errs)
    }
}
