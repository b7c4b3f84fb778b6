//! `plinth taint ADDR` and `plinth untaint ADDR`: set or clear the *tainted* mark of one recorded
//! instance, under the state lock. A tainted instance is replaced by the next apply; apply taints
//! an instance itself when its create wrote the object but did not finish. Finding the instance
//! and the errors for a wrong address are shared with `show`.

use super::show::not_one_instance;
use crate::state::{Backend, StateError};

/// What a taint or untaint did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marked {
    /// The mark changed.
    Changed,
    /// `taint` of an instance already tainted: nothing to do.
    Already,
}

/// Sets (`tainted`) or clears the mark of the instance `addr` and persists. `untaint` of an
/// instance that is not tainted is an error, as in Terraform; `taint` of a tainted one is not.
/// Only managed instances can be tainted: nothing replaces a data source.
pub fn set_tainted(backend: &dyn Backend, addr: &str, tainted: bool) -> Result<Marked, StateError> {
    let _lock = backend.lock(if tainted { "taint" } else { "untaint" })?;
    let mut state = backend.load()?;
    let verb = if tainted { "taint" } else { "untaint" };
    let Some(r) = state.resources.get_mut(addr) else {
        return Err(not_one_instance(&state, addr, verb));
    };
    if r.mode != "managed" {
        return Err(StateError::Other(format!(
            "{addr} is a data source; only managed resource instances can be tainted"
        )));
    }
    match (r.tainted, tainted) {
        (true, true) => return Ok(Marked::Already),
        (false, false) => {
            return Err(StateError::Other(format!("resource instance {addr} is not tainted")));
        }
        _ => r.tainted = tainted,
    }
    backend.persist(&mut state)?;
    Ok(Marked::Changed)
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;

    #[test]
    fn taint_and_untaint_one_instance() {
        let (_dir, b) = backend_with(&sample());
        assert_eq!(
            set_tainted(&b, "local_file.x[1]", true).expect("taint"),
            Marked::Changed
        );
        let s = b.load().expect("load");
        assert!(s.resources["local_file.x[1]"].tainted);
        assert!(!s.resources["local_file.x[0]"].tainted);
        let serial = s.serial;
        assert_eq!(
            set_tainted(&b, "local_file.x[1]", true).expect("again"),
            Marked::Already
        );
        assert_eq!(b.load().expect("load").serial, serial, "nothing to write");
        let text = super::super::show(&b.load().expect("load"), "local_file.x[1]").expect("show");
        assert!(text.starts_with("# local_file.x[1]: (tainted)\n"), "{text}");
        assert_eq!(
            set_tainted(&b, "local_file.x[1]", false).expect("untaint"),
            Marked::Changed
        );
        assert!(!b.load().expect("load").resources["local_file.x[1]"].tainted);
        let e = err_text(set_tainted(&b, "local_file.x[1]", false));
        assert_eq!(e, "resource instance local_file.x[1] is not tainted");
    }

    #[test]
    fn taint_errors_change_nothing() {
        let (_dir, b) = backend_with(&sample());
        let before = b.load().expect("load");
        let e = err_text(set_tainted(&b, "local_file.x", true));
        assert!(e.contains("taint one of them") && e.contains("local_file.x[0]"), "{e}");
        assert!(err_text(set_tainted(&b, "local_file.nope", true)).contains("plinth state list"));
        assert!(err_text(set_tainted(&b, "local_file.x[1", true)).contains("invalid address"));
        assert!(err_text(set_tainted(&b, "data.local_file.x", true)).contains("data source"));
        assert_eq!(b.load().expect("load"), before);
        let _held = b.lock("test").expect("lock");
        assert!(matches!(
            set_tainted(&b, "local_file.a", true),
            Err(StateError::Locked { .. })
        ));
    }
}
