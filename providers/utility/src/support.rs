//! Plumbing the utility providers share: reading typed arguments, setting attributes, errors and
//! diagnostics with an attribute path, [`Source`], the random source (the OS's, or a
//! deterministic stream for a `seed` or a derived secret), and [`UtilityKey`], the key secrets are
//! derived with.
//!
//! Why derived secrets: the engine keeps a sensitive attribute only as a keyed hash, so a secret
//! this crate generates (`random_password.result`, a TLS private key) would be known only in the
//! apply that creates it, and every later plan would hand its dependents a null. Instead the secret
//! is a function of `.plinth/utility.key` (32 random bytes, mode 0600, beside the engine's
//! `hash.key`) and a random, non-secret nonce kept in state (`secret_nonce`), so refresh and plan
//! compute it again. `secret_nonce` also carries a keyed check of the secret, so a different key
//! file is an error, never a silently different secret.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use hmac::{Hmac, Mac};
use plinth_sdk::{AttrPath, ProviderDiagnostic, ProviderError, Severity, Type, Value};
use sha2::{Digest, Sha256};

/// Sets a top-level attribute of an object value (a no-op on anything else).
pub(crate) fn set(v: &mut Value, name: &str, new: Value) {
    if let Value::Map(m) = v {
        m.insert(name.to_string(), new);
    }
}

/// Sets `name` to `default` where the configuration leaves it unset (an optional argument with a
/// default, shown in the plan as Terraform shows it, instead of unknown).
pub(crate) fn default_to(planned: &mut Value, config: &Value, name: &str, default: Value) {
    if config.get(name).is_null() {
        set(planned, name, default);
    }
}

/// The map-of-strings type of `keepers` and `triggers`.
pub(crate) fn string_map() -> Type {
    Type::Map(Box::new(Type::String))
}

/// An error diagnostic at an attribute.
pub(crate) fn diag(attr: &str, summary: &str, detail: impl Into<String>) -> ProviderDiagnostic {
    ProviderDiagnostic {
        severity: Severity::Error,
        summary: summary.to_string(),
        detail: detail.into(),
        attribute: Some(AttrPath::attr(attr)),
    }
}

/// An invalid-argument error at an attribute.
pub(crate) fn invalid(attr: &str, message: impl Into<String>) -> ProviderError {
    ProviderError::with_code("EINVAL", message)
        .at(AttrPath::attr(attr))
        .with_kind(plinth_sdk::ErrorKind::Invalid)
}

/// A known integer argument (`None` when null or unknown).
pub(crate) fn int(v: &Value, name: &str) -> Option<i64> {
    v.get(name).strip_sensitive().as_i64()
}

/// A known boolean argument, or `default` when null.
pub(crate) fn flag(v: &Value, name: &str, default: bool) -> bool {
    v.get(name).strip_sensitive().as_bool().unwrap_or(default)
}

/// A known string argument (`None` when null or unknown).
pub(crate) fn string(v: &Value, name: &str) -> Option<String> {
    v.get(name).strip_sensitive().as_str().map(str::to_string)
}

/// An integer argument the planned value must hold at apply.
pub(crate) fn required_int(v: &Value, name: &str) -> Result<i64, ProviderError> {
    int(v, name).ok_or_else(|| invalid(name, format!("{name} must be a known whole number at apply")))
}

/// Where random numbers come from: the operating system's generator, or — for a `seed` — a
/// deterministic stream (SHA-256 of the seed and a counter), so the same seed gives the same
/// result on every machine and every Plinth version. (Terraform seeds Go's `math/rand`; the same
/// seed gives other numbers there.)
pub(crate) enum Source {
    Os,
    Seeded { key: [u8; 32], counter: u64 },
}

impl Source {
    /// The seeded source for `seed`, or the OS's when there is none.
    /// The deterministic stream of a derived secret's seed.
    pub(crate) fn derived(seed: [u8; 32]) -> Source {
        Source::Seeded { key: seed, counter: 0 }
    }

    pub(crate) fn from_seed(seed: Option<&str>) -> Source {
        match seed {
            Some(s) => Source::Seeded {
                key: Sha256::digest(s.as_bytes()).into(),
                counter: 0,
            },
            None => Source::Os,
        }
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        match self {
            Source::Os => rand::random::<u64>(),
            Source::Seeded { key, counter } => {
                let mut h = Sha256::new();
                h.update(*key);
                h.update(counter.to_be_bytes());
                *counter += 1;
                let out = h.finalize();
                let mut word = [0u8; 8];
                word.copy_from_slice(&out[..8]);
                u64::from_be_bytes(word)
            }
        }
    }

    /// A uniform number in `0..n` (`n` > 0), without modulo bias.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        if n <= 1 {
            return 0;
        }
        // The largest multiple of n that fits: draws at or above it are rejected.
        let zone = u64::MAX - (u64::MAX % n);
        loop {
            let x = self.next_u64();
            if x < zone {
                return x % n;
            }
        }
    }

    /// Fisher–Yates.
    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }

    /// `n` random bytes.
    pub(crate) fn bytes(&mut self, n: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(n + 8);
        while out.len() < n {
            out.extend_from_slice(&self.next_u64().to_le_bytes());
        }
        out.truncate(n);
        out
    }
}

/// The key of derived secrets, `.plinth/utility.key` under the working directory.
pub(crate) struct UtilityKey(Vec<u8>);

/// The version tag of the derivation, first in every `secret_nonce`: another derivation gets
/// another tag, and old state keeps deriving with the old one.
const DERIVATION: &str = "v1";

/// The attribute that holds the nonce and check of a derived secret.
pub(crate) const SECRET_NONCE: &str = "secret_nonce";

impl UtilityKey {
    pub(crate) fn path(working_dir: &Path) -> PathBuf {
        working_dir.join(".plinth").join("utility.key")
    }

    /// Reads the key, creating it (random, mode 0600) when there is none yet: only a create,
    /// which makes a new secret, may do that.
    pub(crate) fn load_or_create(working_dir: &Path) -> Result<UtilityKey, ProviderError> {
        let path = Self::path(working_dir);
        if let Ok(bytes) = std::fs::read(&path)
            && bytes.len() >= 32
        {
            return Ok(UtilityKey(bytes));
        }
        let io = |e: std::io::Error| {
            ProviderError::with_code(format!("{:?}", e.kind()), format!("creating {}: {e}", path.display()))
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let mut key = vec![0u8; 32];
        rand::fill(&mut key[..]);
        // Written whole under a temporary name, then linked into place: another provider of this
        // run (random and tls create at once) or another process never reads a half-written key,
        // and the first link wins.
        let mut suffix = [0u8; 8];
        rand::fill(&mut suffix[..]);
        let tmp = path.with_extension(format!("key.tmp-{}", hex::encode(suffix)));
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let written = opts.open(&tmp).and_then(|mut f| {
            f.write_all(&key)?;
            f.sync_all()
        });
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(io(e));
        }
        let linked = std::fs::hard_link(&tmp, &path);
        let _ = std::fs::remove_file(&tmp);
        match linked {
            Ok(()) => Ok(UtilityKey(key)),
            // Another provider or process created it first: use theirs, complete by construction.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => match std::fs::read(&path) {
                Ok(bytes) if bytes.len() >= 32 => Ok(UtilityKey(bytes)),
                Ok(_) => Err(key_error(&path, "a new secret", "is too short")),
                Err(e) => Err(io(e)),
            },
            Err(e) => Err(io(e)),
        }
    }

    /// Reads the key that derived existing secrets; its absence is an error saying what to do.
    pub(crate) fn load(working_dir: &Path, what: &str) -> Result<UtilityKey, ProviderError> {
        let path = Self::path(working_dir);
        match std::fs::read(&path) {
            Ok(bytes) if bytes.len() >= 32 => Ok(UtilityKey(bytes)),
            Ok(_) => Err(key_error(&path, what, "is too short")),
            Err(e) => Err(key_error(&path, what, &e.to_string())),
        }
    }

    fn mac(&self, parts: &[&[u8]]) -> [u8; 32] {
        // HMAC takes a key of any length: `new_from_slice` cannot fail for it.
        let mut m = match <Hmac<Sha256> as Mac>::new_from_slice(&self.0) {
            Ok(m) => m,
            Err(_) => return Sha256::digest(parts.concat()).into(),
        };
        for p in parts {
            m.update(&(p.len() as u64).to_be_bytes());
            m.update(p);
        }
        m.finalize().into_bytes().into()
    }

    /// A fresh nonce for a new secret (random, not secret). The secret is derived from
    /// [`UtilityKey::seed`] of it, then [`UtilityKey::seal`] makes the `secret_nonce` value.
    pub(crate) fn new_nonce() -> String {
        let mut n = [0u8; 16];
        rand::fill(&mut n[..]);
        hex::encode(n)
    }

    /// The seed of the secret `label` (`random_password`, `random_password/bcrypt`...) for `nonce`.
    pub(crate) fn seed(&self, label: &str, nonce: &str) -> [u8; 32] {
        self.mac(&[
            b"plinth-utility",
            DERIVATION.as_bytes(),
            label.as_bytes(),
            nonce.as_bytes(),
        ])
    }

    /// The `secret_nonce` value: tag, nonce and a keyed check of the derived secret.
    pub(crate) fn seal(&self, nonce: &str, secret: &str) -> String {
        let check = self.mac(&[b"plinth-utility-check", nonce.as_bytes(), secret.as_bytes()]);
        format!("{DERIVATION}:{nonce}:{}", hex::encode(&check[..12]))
    }

    /// Whether `secret` is the one `sealed` (a `secret_nonce` value) was made for.
    pub(crate) fn verify(&self, sealed: &str, secret: &str) -> bool {
        parse_nonce(sealed).is_some_and(|nonce| self.seal(nonce, secret) == sealed)
    }
}

/// The nonce of a `secret_nonce` value of this derivation.
pub(crate) fn parse_nonce(sealed: &str) -> Option<&str> {
    let mut parts = sealed.split(':');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(DERIVATION), Some(nonce), Some(_), None) => Some(nonce),
        _ => None,
    }
}

fn key_error(path: &Path, what: &str, why: &str) -> ProviderError {
    // What to do is in the message itself: a refresh error reaches the user without its hint.
    let todo = "restore that file from where this state was made (it is created with the first secret), or \
                replace the resource (`plinth taint ADDRESS`, then apply) to generate a new secret";
    ProviderError::with_code(
        "UTILITY_KEY",
        format!(
            "{what}: its secret cannot be derived again: {}: {why}; {todo}",
            path.display()
        ),
    )
    .with_kind(plinth_sdk::ErrorKind::Invalid)
    .with_hint(todo)
}

/// The error for a derived secret that does not match its check: the key file is not the one
/// that created it.
pub(crate) fn mismatch(what: &str, working_dir: &Path) -> ProviderError {
    key_error(
        &UtilityKey::path(working_dir),
        what,
        "is not the key it was created with (its check does not match)",
    )
}

/// Whether `v` is a secret the engine redacted (sensitive null), to be derived again.
pub(crate) fn redacted(v: &Value) -> bool {
    v.is_sensitive() && v.strip_sensitive().is_null()
}

/// A `rand_core` 0.6 generator over a [`Source`], for the RustCrypto key generators (`rsa`).
pub(crate) struct Rng06(pub(crate) Source);

impl ssh_key::rand_core::RngCore for Rng06 {
    fn next_u32(&mut self) -> u32 {
        self.0.next_u64() as u32
    }
    fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        let bytes = self.0.bytes(dest.len());
        dest.copy_from_slice(&bytes);
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), ssh_key::rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

/// The stream is SHA-256 in counter mode over a secret seed, or the OS's generator.
impl ssh_key::rand_core::CryptoRng for Rng06 {}

#[cfg(test)]
mod tests {

    #[test]
    fn racing_creators_all_get_the_one_key_on_disk() {
        for _ in 0..20 {
            let dir = tempfile::tempdir().expect("tempdir");
            let keys: Vec<Vec<u8>> = std::thread::scope(|s| {
                let handles: Vec<_> = (0..8)
                    .map(|_| s.spawn(|| UtilityKey::load_or_create(dir.path()).map(|k| k.0)))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("thread").expect("key"))
                    .collect()
            });
            let on_disk = std::fs::read(UtilityKey::path(dir.path())).expect("key file");
            assert!(
                keys.iter().all(|k| *k == on_disk),
                "a creator used another key than the file's"
            );
            let leftovers = std::fs::read_dir(dir.path().join(".plinth")).expect("dir").count();
            assert_eq!(leftovers, 1, "temporary files left behind");
        }
    }

    use super::*;

    #[test]
    fn a_seed_gives_the_same_stream_and_below_stays_in_range() {
        let mut a = Source::from_seed(Some("s"));
        let mut b = Source::from_seed(Some("s"));
        let xs: Vec<u64> = (0..20).map(|_| a.below(7)).collect();
        let ys: Vec<u64> = (0..20).map(|_| b.below(7)).collect();
        assert_eq!(xs, ys);
        assert!(xs.iter().all(|x| *x < 7));
        let mut os = Source::Os;
        assert!((0..100).all(|_| os.below(3) < 3));
        assert_eq!(os.bytes(5).len(), 5);
    }
}
