//! What every backend's lock shares: [`LockInfo`] (who holds a lock, for what, since when, under
//! which ID) and [`wait_for_lock`], the one wait loop behind `--lock-timeout`. How a lock is taken
//! is each backend's business ([`super::Backend::try_lock`]).

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::{Backend, LockGuard, StateError};

/// Who holds a lock: what a blocked process is told, and what `plinth force-unlock ID` names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockInfo {
    /// A random ID, unique to this taking of the lock.
    pub id: String,
    /// `user@host` of the holder.
    pub who: String,
    /// The holder's process ID on its host (0 when unknown).
    #[serde(default)]
    pub pid: u32,
    /// The command that took it (`apply`, `state rm`, ...).
    pub operation: String,
    /// When it was taken (RFC 3339, UTC).
    pub created: String,
}

impl LockInfo {
    /// The lock information of this process taking a lock for `operation` now.
    pub fn new(operation: &str) -> LockInfo {
        LockInfo {
            id: uuid::Uuid::new_v4().to_string(),
            who: who(),
            pid: std::process::id(),
            operation: operation.to_string(),
            created: crate::time::now_rfc3339(),
        }
    }

    /// A holder known only by a line of text (a lock file of an older Plinth).
    pub fn unknown(text: &str) -> LockInfo {
        LockInfo {
            id: String::new(),
            who: if text.is_empty() {
                "holder unknown".to_string()
            } else {
                text.to_string()
            },
            pid: 0,
            operation: "unknown operation".to_string(),
            created: "an unknown time".to_string(),
        }
    }
}

/// `alice@build-7 (pid 4242), apply, since 2026-05-01T10:00:00Z, lock ID 1b4e…`.
impl std::fmt::Display for LockInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.who)?;
        if self.pid != 0 {
            write!(f, " (pid {})", self.pid)?;
        }
        write!(f, ", {}, since {}", self.operation, self.created)?;
        if !self.id.is_empty() {
            write!(f, ", lock ID {}", self.id)?;
        }
        Ok(())
    }
}

/// `user@host` of this process (`USER`/`USERNAME`, the kernel's host name).
fn who() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "unknown".to_string());
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "unknown-host".to_string());
    format!("{user}@{host}")
}

/// How often a held lock is tried again.
const POLL: Duration = Duration::from_millis(250);

/// Takes `backend`'s lock for `operation`, trying again until `timeout` has passed (zero: one
/// try, as Terraform's `-lock-timeout=0s`). `waiting` is told the holder once, when the first try
/// finds the lock held and there is time to wait. Giving up returns the last
/// [`StateError::Locked`], which names the holder, its operation and since when.
pub fn wait_for_lock(
    backend: &(impl Backend + ?Sized),
    operation: &str,
    timeout: Duration,
    waiting: &mut dyn FnMut(&LockInfo, Duration),
) -> Result<Box<dyn LockGuard>, StateError> {
    let deadline = Instant::now() + timeout;
    let mut told = false;
    loop {
        match backend.try_lock(operation) {
            Err(StateError::Locked { env, holder }) => {
                let now = Instant::now();
                if now >= deadline {
                    return Err(StateError::Locked { env, holder });
                }
                if !told {
                    waiting(&holder, timeout);
                    told = true;
                }
                std::thread::sleep(POLL.min(deadline - now));
            }
            other => return other,
        }
    }
}

/// The waiting message of the commands: one line on stderr.
pub fn tell_once_on_stderr() -> impl FnMut(&LockInfo, Duration) {
    |holder, timeout| {
        eprintln!(
            "The state is locked by {holder}; waiting up to {} for it to be released...",
            format_duration(timeout)
        );
    }
}

/// `30s`, `5m`, `1h30m`: a duration as `--lock-timeout` takes it.
pub fn format_duration(d: Duration) -> String {
    let secs = d.as_secs();
    if secs == 0 {
        return format!("{}ms", d.as_millis());
    }
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let mut out = String::new();
    if h > 0 {
        out += &format!("{h}h");
    }
    if m > 0 {
        out += &format!("{m}m");
    }
    if s > 0 || out.is_empty() {
        out += &format!("{s}s");
    }
    out
}

/// Parses `--lock-timeout`: a number with a unit (`ms`, `s`, `m`, `h`), several in a row
/// (`1m30s`), or `0`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let bad = || format!("invalid duration {text:?}: write a number with a unit, such as 0s, 30s, 5m or 1h30m");
    let t = text.trim();
    if t == "0" {
        return Ok(Duration::ZERO);
    }
    let mut total = Duration::ZERO;
    let mut rest = t;
    if rest.is_empty() {
        return Err(bad());
    }
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
        if digits == 0 {
            return Err(bad());
        }
        let n: u64 = rest[..digits].parse().map_err(|_| bad())?;
        rest = &rest[digits..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len());
        let unit = match &rest[..unit_len] {
            "ms" => Duration::from_millis(n),
            "s" => Duration::from_secs(n),
            "m" => Duration::from_secs(n.saturating_mul(60)),
            "h" => Duration::from_secs(n.saturating_mul(3600)),
            _ => return Err(bad()),
        };
        total = total.saturating_add(unit);
        rest = &rest[unit_len..];
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
        assert_eq!(parse_duration("0s"), Ok(Duration::ZERO));
        assert_eq!(parse_duration("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7200)));
        for bad in ["", "s", "10", "5x", "1.5s", "-1s"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
        assert_eq!(format_duration(Duration::from_secs(90)), "1m30s");
        assert_eq!(format_duration(Duration::from_millis(500)), "500ms");
    }

    #[test]
    fn holder_text() {
        let info = LockInfo {
            id: "abc".into(),
            who: "alice@build-7".into(),
            pid: 42,
            operation: "apply".into(),
            created: "2026-05-01T10:00:00Z".into(),
        };
        assert_eq!(
            info.to_string(),
            "alice@build-7 (pid 42), apply, since 2026-05-01T10:00:00Z, lock ID abc"
        );
    }
}
