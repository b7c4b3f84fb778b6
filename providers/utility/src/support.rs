//! Plumbing the utility providers share: reading typed arguments, setting attributes, errors and
//! diagnostics with an attribute path, and [`Source`], the random source (the OS's, or a
//! deterministic stream for a `seed`).

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

#[cfg(test)]
mod tests {
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
