//! Secrets: keeping sensitive values out of state, plan files, the terminal and logs.
//!
//! This module owns the keyed hash that state keeps instead of a sensitive value (enough to see
//! that it changed, useless for guessing it without the key) and the key's storage; the secret
//! sources `secret("SOURCE")` reads ([`sources`], with the OS keyring in [`keyring`]); the
//! AES-256-GCM [`encryption::Cipher`] that state backends and plan files seal with; and the
//! least-privilege [`lint`] over a loaded configuration. It knows nothing of providers.

pub mod encryption;
pub mod keyring;
pub mod lint;
pub mod sources;

use std::io::Write as _;
use std::path::Path;

use hmac::{Hmac, Mac};
use plinth_sdk::Value;
use sha2::Sha256;

/// The key for hashing sensitive values of one configuration directory.
#[derive(Clone)]
pub struct HashKey(Vec<u8>);

impl std::fmt::Debug for HashKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HashKey(..)")
    }
}

impl HashKey {
    /// Reads `.plinth/hash.key` under `root`, creating it (random, mode 0600) on first use.
    pub fn load_or_create(root: &Path) -> std::io::Result<HashKey> {
        key_file(&root.join(".plinth").join("hash.key"), None).map(HashKey)
    }

    /// A fixed key, for tests.
    pub fn from_bytes(bytes: &[u8]) -> HashKey {
        HashKey(bytes.to_vec())
    }

    /// `hmac-sha256:HEX` of the value's canonical JSON (marks removed).
    pub fn hash(&self, value: &Value) -> String {
        let (plain, _) = value.clone().unmark();
        let mut mac = match Hmac::<Sha256>::new_from_slice(&self.0) {
            Ok(m) => m,
            Err(_) => return String::from("hmac-sha256:invalid-key"),
        };
        mac.update(plain.to_json().to_string().as_bytes());
        format!("hmac-sha256:{}", hex::encode(mac.finalize().into_bytes()))
    }
}

/// The bytes a key (`hash.key`, `utility.key`) starts as: `initial` when given (a key moved from
/// elsewhere), else 32 fresh random bytes. One way for the key file and every shared backend.
pub fn new_key(initial: Option<&[u8]>) -> Vec<u8> {
    match initial {
        Some(k) => k.to_vec(),
        None => {
            let mut key = Vec::with_capacity(32);
            key.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
            key.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
            key
        }
    }
}

/// The key in the file `path` (at least 32 bytes), creating it on first use (mode 0600) from
/// `initial` when given, else 32 random bytes. A file another process created first wins.
pub fn key_file(path: &Path, initial: Option<&[u8]>) -> std::io::Result<Vec<u8>> {
    if let Ok(bytes) = std::fs::read(path)
        && bytes.len() >= 32
    {
        return Ok(bytes);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let key = new_key(initial);
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    match opts.open(path) {
        Ok(mut f) => {
            f.write_all(&key)?;
            f.sync_all()?;
            Ok(key)
        }
        // Another process created it first: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => std::fs::read(path),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_keyed_and_hides_the_value() {
        let a = HashKey::from_bytes(b"key-a-key-a-key-a-key-a-key-a-00");
        let b = HashKey::from_bytes(b"key-b-key-b-key-b-key-b-key-b-00");
        let v = Value::string("hunter2").mark();
        assert_eq!(a.hash(&v), a.hash(&Value::string("hunter2")));
        assert_ne!(a.hash(&v), b.hash(&v));
        assert!(!a.hash(&v).contains("hunter2"));
    }
}
