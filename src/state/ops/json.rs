//! The state as JSON text: the canonical snapshot format (`canonicalize`, `to_json`) that the
//! local backend writes and `plinth state pull` prints, and `plinth state push`, which replaces
//! the state with such a text after checking its lineage and serial. Files are the backend's.

use crate::state::{Backend, STATE_VERSION, State, StateError};

/// Sorts the keys of every JSON object in attribute and output values, so that a snapshot's text
/// depends only on its content.
pub fn canonicalize(state: &mut State) {
    for r in state.resources.values_mut() {
        r.attributes.sort_all_objects();
    }
    for o in state.outputs.values_mut() {
        o.value.sort_all_objects();
    }
}

/// The state as pretty JSON ending in a newline: the format of `state.json` and `state pull`.
/// Call [`canonicalize`] first for a deterministic order of attribute keys.
pub fn to_json(state: &State) -> Result<String, StateError> {
    let mut s =
        serde_json::to_string_pretty(state).map_err(|e| StateError::Other(format!("serializing the state: {e}")))?;
    s.push('\n');
    Ok(s)
}

/// `plinth state pull`: the current state (journal included) as JSON.
pub fn pull(backend: &dyn Backend) -> Result<String, StateError> {
    let mut state = backend.load()?;
    canonicalize(&mut state);
    to_json(&state)
}

/// `plinth state push FILE`: replaces the state with `json`. Refuses, unless `force`, a state of
/// another lineage, a lower serial, or different content under the same serial. The new serial is
/// above both the old and the pushed one; it is returned.
pub fn push(backend: &dyn Backend, json: &str, force: bool) -> Result<u64, StateError> {
    #[derive(serde::Deserialize)]
    struct VersionProbe {
        version: u32,
    }
    let mut new: State = match serde_json::from_str::<State>(json) {
        Ok(s) => s,
        Err(e) => {
            if let Ok(p) = serde_json::from_str::<VersionProbe>(json)
                && p.version > STATE_VERSION
            {
                return Err(too_new_push(p.version));
            }
            return Err(StateError::Other(format!(
                "the pushed state is not a valid Plinth state: {e}"
            )));
        }
    };
    if new.version > STATE_VERSION {
        return Err(too_new_push(new.version));
    }
    let _lock = backend.lock("state push")?;
    let old = match backend.load() {
        Ok(s) => Some(s),
        // Replacing a broken state is what push is for.
        Err(StateError::Corrupt { .. } | StateError::TooNew { .. }) if force => None,
        Err(e) => return Err(e),
    };
    // Serial 0 means no state was ever written (every persist bumps the serial).
    let old = old.filter(|o| o.serial > 0);
    if let Some(old) = &old
        && !force
    {
        let refuse = |why: String| {
            Err(StateError::Other(format!(
                "refusing to push: {why}; use --force to overwrite the state anyway"
            )))
        };
        if old.lineage != new.lineage {
            return refuse(format!(
                "the pushed state has lineage {} but the state has lineage {}, so it belongs to another configuration or environment",
                new.lineage, old.lineage
            ));
        }
        if new.serial < old.serial {
            return refuse(format!(
                "the pushed state has serial {} but the state is already at serial {}, so it is older",
                new.serial, old.serial
            ));
        }
        if new.serial == old.serial && (new.resources != old.resources || new.outputs != old.outputs) {
            return refuse(format!(
                "the pushed state has the same serial {} but different contents",
                new.serial
            ));
        }
    }
    new.serial = new.serial.max(old.map_or(0, |o| o.serial));
    backend.persist(&mut new)
}

fn too_new_push(found: u32) -> StateError {
    StateError::Other(format!(
        "the pushed state has version {found}, newer than this Plinth understands ({STATE_VERSION}); upgrade Plinth"
    ))
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::super::fixtures::*;
    use super::*;
    use crate::state::local::LocalBackend;
    use crate::state::{JournalEntry, OutputState};

    #[test]
    fn pull_is_the_json() {
        let (_dir, b) = backend_with(&sample());
        let json = pull(&b).expect("pull");
        let parsed: State = serde_json::from_str(&json).expect("parse");
        assert_eq!(parsed, b.load().expect("load"));
        assert_eq!(json, std::fs::read_to_string(b.dir().join("state.json")).expect("read"));
        // The journal is included.
        b.journal()
            .expect("journal")
            .record(&[JournalEntry::Remove {
                address: "local_file.a".into(),
            }])
            .expect("record");
        let parsed: State = serde_json::from_str(&pull(&b).expect("pull")).expect("parse");
        assert!(!parsed.resources.contains_key("local_file.a"));
    }

    #[test]
    fn push_accepts_a_newer_state_of_the_same_lineage() {
        let (_dir, b) = backend_with(&sample());
        let mut s: State = serde_json::from_str(&pull(&b).expect("pull")).expect("parse");
        assert_eq!(s.serial, 1);
        s.resources.remove("local_file.a");
        s.serial = 7;
        s.outputs.insert(
            "o".into(),
            OutputState {
                value: Value::String("v".into()),
                type_name: "string".into(),
                sensitive: false,
            },
        );
        assert_eq!(
            push(&b, &serde_json::to_string(&s).expect("json"), false).expect("push"),
            8
        );
        let now = b.load().expect("load");
        assert!(!now.resources.contains_key("local_file.a"));
        assert_eq!(now.outputs, s.outputs);
        assert_eq!(now.serial, 8);
    }

    #[test]
    fn push_refusals_and_force() {
        let (_dir, b) = backend_with(&sample());
        b.persist(&mut b.load().expect("load")).expect("persist"); // serial 2
        let current: State = serde_json::from_str(&pull(&b).expect("pull")).expect("parse");

        let mut other = current.clone();
        other.lineage = "another".into();
        other.serial = 10;
        let e = err_text(push(&b, &serde_json::to_string(&other).expect("json"), false));
        assert!(e.contains("lineage") && e.contains("--force"), "{e}");

        let mut older = current.clone();
        older.serial = 1;
        let e = err_text(push(&b, &serde_json::to_string(&older).expect("json"), false));
        assert!(e.contains("older") && e.contains("--force"), "{e}");

        let mut same_serial = current.clone();
        same_serial.resources.clear();
        let e = err_text(push(&b, &serde_json::to_string(&same_serial).expect("json"), false));
        assert!(e.contains("same serial") && e.contains("--force"), "{e}");

        let e = err_text(push(&b, "{\"version\": 1,", false));
        assert!(e.contains("not a valid Plinth state") && e.contains("line 1"), "{e}");
        let e = err_text(push(&b, r#"{"version": 5, "lineage": "x", "serial": 1}"#, false));
        assert!(e.contains("upgrade Plinth"), "{e}");
        assert_eq!(b.load().expect("load"), current);

        // Unchanged content at the same serial is fine.
        assert_eq!(
            push(&b, &serde_json::to_string(&current).expect("json"), false).expect("push"),
            3
        );

        // --force: serial becomes max(old, new) + 1.
        assert_eq!(
            push(&b, &serde_json::to_string(&older).expect("json"), true).expect("push"),
            4
        );
        assert_eq!(
            push(&b, &serde_json::to_string(&other).expect("json"), true).expect("push"),
            11
        );
        assert_eq!(b.load().expect("load").lineage, "another");
    }

    #[test]
    fn push_into_empty_or_corrupt_state() {
        let dir = tempfile::tempdir().expect("tempdir");
        let b = LocalBackend::new(dir.path(), "fresh");
        let mut s = sample();
        s.serial = 3;
        assert_eq!(
            push(&b, &serde_json::to_string(&s).expect("json"), false).expect("push"),
            4
        );
        assert_eq!(b.load().expect("load").lineage, s.lineage);

        std::fs::write(b.dir().join("state.json"), "{ broken").expect("write");
        assert!(matches!(
            push(&b, &serde_json::to_string(&s).expect("json"), false),
            Err(StateError::Corrupt { .. })
        ));
        assert_eq!(
            push(&b, &serde_json::to_string(&s).expect("json"), true).expect("push"),
            4
        );
        assert_eq!(b.load().expect("load").resources, s.resources);
    }
}
