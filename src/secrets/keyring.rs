//! The OS keyring: reading, storing and removing `keyring:SERVICE/USER` entries.
//!
//! Access goes through `keyring-core`. On Linux the store is the kernel keyring
//! (`linux-keyutils-keyring-store`), which needs no desktop and no D-Bus: a value is added to the
//! process's session keyring and linked into the user's persistent keyring, from which a later
//! process of the same user finds it (the kernel keeps the persistent keyring for
//! `/proc/sys/kernel/keys/persistent_keyring_expiry` seconds after its last use, three days by
//! default, and loses it on reboot). The kernel refuses writes to a session keyring the process
//! does not own (a non-login shell, CI, a container), so before every operation the calling thread
//! makes sure it has a session keyring of its own: asking for the session keyring with `create`
//! set (`KEYCTL_GET_KEYRING_ID`, wrapped safely by `linux-keyutils` as
//! `KeyRing::from_special_id(KeyRingIdentifier::Session, true)`) makes the kernel join a new
//! anonymous session keyring when the thread only has the shared user-session one, and is a no-op
//! otherwise. `linux-keyutils` has no wrapper for `KEYCTL_JOIN_SESSION_KEYRING` itself; this is the
//! same kernel path (`join_session_keyring(NULL)`) without `unsafe`. Credentials are per thread in
//! Linux, which is why it is done per operation rather than once at start-up.
//!
//! Other platforms have no store built in yet: every operation says so.
//!
//! No value read or written here is ever logged or put into an error message.

use std::sync::Arc;

use keyring_core::{CredentialStore, Entry};

/// A parsed `SERVICE/USER` keyring reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyringRef {
    pub service: String,
    pub user: String,
}

impl KeyringRef {
    /// Parses `SERVICE/USER` (the part after `keyring:`); the first `/` separates the two.
    pub fn parse(spec: &str) -> Result<KeyringRef, String> {
        match spec.split_once('/') {
            Some((service, user)) if !service.is_empty() && !user.is_empty() => Ok(KeyringRef {
                service: service.to_string(),
                user: user.to_string(),
            }),
            _ => Err(format!(
                "\"keyring:{spec}\" is not a keyring reference: write keyring:SERVICE/USER, e.g. keyring:plinth/state-key"
            )),
        }
    }
}

impl std::fmt::Display for KeyringRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "keyring:{}/{}", self.service, self.user)
    }
}

/// Why a keyring operation failed. Messages never contain a secret value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyringError {
    /// No keyring backend works on this machine.
    #[error("{0}")]
    NoBackend(String),
    /// The entry does not exist.
    #[error(
        "{0} is not in the OS keyring: store it with `plinth secret set {0}` (the value is read from standard input)"
    )]
    NotFound(KeyringRef),
    /// Anything else the store reported.
    #[error("{0}")]
    Other(String),
}

/// Which store this build uses, for messages.
pub fn backend_name() -> &'static str {
    if cfg!(target_os = "linux") {
        "the Linux kernel keyring (keyutils)"
    } else {
        "no OS keyring"
    }
}

fn no_backend(why: &str) -> KeyringError {
    KeyringError::NoBackend(format!(
        "no OS keyring backend works here: {why}. On Linux Plinth uses the kernel keyring (keyutils), which needs a \
         kernel with key support (/proc/keys exists) and, in a container, a seccomp profile that allows the keyctl \
         and add_key system calls (Docker's default profile blocks them: run with --security-opt seccomp=unconfined \
         or a profile that allows them). Until then, give the secret through an `env:` or `file:` source instead"
    ))
}

/// The store for this platform, ready for use on the calling thread.
#[cfg(target_os = "linux")]
fn store() -> Result<Arc<CredentialStore>, KeyringError> {
    use linux_keyutils::{KeyRing, KeyRingIdentifier};
    KeyRing::from_special_id(KeyRingIdentifier::Session, true)
        .map_err(|e| no_backend(&format!("the kernel refused a session keyring ({e:?})")))?;
    let store: Arc<CredentialStore> =
        linux_keyutils_keyring_store::Store::new().map_err(|e| no_backend(&e.to_string()))?;
    Ok(store)
}

#[cfg(not(target_os = "linux"))]
fn store() -> Result<Arc<CredentialStore>, KeyringError> {
    Err(KeyringError::NoBackend(
        "no OS keyring backend is built into Plinth for this platform yet (only the Linux kernel keyring is); \
         give the secret through an `env:` or `file:` source instead"
            .to_string(),
    ))
}

fn map_err(r: &KeyringRef, e: keyring_core::Error) -> KeyringError {
    use keyring_core::Error as E;
    match e {
        E::NoEntry => KeyringError::NotFound(r.clone()),
        E::NoStorageAccess(p) | E::PlatformFailure(p) => no_backend(&format!("{r}: {p}")),
        E::NoDefaultStore => no_backend("no credential store is available"),
        // These carry the stored bytes: never show them.
        E::BadEncoding(_) => KeyringError::Other(format!("the value of {r} in the OS keyring is not UTF-8 text")),
        E::BadDataFormat(_, _) => KeyringError::Other(format!("the value of {r} in the OS keyring is malformed")),
        E::Ambiguous(items) => KeyringError::Other(format!("{r} matches {} entries in the OS keyring", items.len())),
        other => KeyringError::Other(format!("{r}: {other}")),
    }
}

fn entry(store: &Arc<CredentialStore>, r: &KeyringRef) -> Result<Entry, KeyringError> {
    Entry::new_in_store(store, &r.service, &r.user).map_err(|e| map_err(r, e))
}

/// Reads the value of `r`.
pub fn get(r: &KeyringRef) -> Result<String, KeyringError> {
    get_in(&store()?, r)
}

/// Stores `value` as `r`, replacing any earlier value.
pub fn set(r: &KeyringRef, value: &str) -> Result<(), KeyringError> {
    set_in(&store()?, r, value)
}

/// Removes `r`; [`KeyringError::NotFound`] when it is not there.
pub fn remove(r: &KeyringRef) -> Result<(), KeyringError> {
    remove_in(&store()?, r)
}

fn get_in(store: &Arc<CredentialStore>, r: &KeyringRef) -> Result<String, KeyringError> {
    entry(store, r)?.get_password().map_err(|e| map_err(r, e))
}

fn set_in(store: &Arc<CredentialStore>, r: &KeyringRef, value: &str) -> Result<(), KeyringError> {
    entry(store, r)?.set_password(value).map_err(|e| map_err(r, e))
}

fn remove_in(store: &Arc<CredentialStore>, r: &KeyringRef) -> Result<(), KeyringError> {
    entry(store, r)?.delete_credential().map_err(|e| map_err(r, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mock() -> Arc<CredentialStore> {
        let store: Arc<CredentialStore> = keyring_core::mock::Store::new().expect("mock store");
        store
    }

    #[test]
    fn parse_references() {
        let r = KeyringRef::parse("plinth/state-key").expect("ok");
        assert_eq!((r.service.as_str(), r.user.as_str()), ("plinth", "state-key"));
        assert_eq!(r.to_string(), "keyring:plinth/state-key");
        assert_eq!(KeyringRef::parse("svc/a/b").expect("ok").user, "a/b");
        for bad in ["", "plinth", "/user", "plinth/"] {
            let e = KeyringRef::parse(bad).expect_err(bad);
            assert!(e.contains("keyring:SERVICE/USER"), "{e}");
        }
    }

    #[test]
    fn set_get_remove_in_a_store() {
        let store = mock();
        let r = KeyringRef::parse("svc/user").expect("ok");
        assert_eq!(get_in(&store, &r), Err(KeyringError::NotFound(r.clone())));
        set_in(&store, &r, "hunter2").expect("set");
        assert_eq!(get_in(&store, &r).expect("get"), "hunter2");
        remove_in(&store, &r).expect("rm");
        let e = get_in(&store, &r).expect_err("gone");
        assert!(e.to_string().contains("plinth secret set keyring:svc/user"), "{e}");
    }

    #[test]
    fn errors_never_show_stored_bytes() {
        let r = KeyringRef::parse("svc/user").expect("ok");
        let e = map_err(&r, keyring_core::Error::BadEncoding(b"hunter2\xff".to_vec()));
        assert!(!e.to_string().contains("hunter2"), "{e}");
    }
}
