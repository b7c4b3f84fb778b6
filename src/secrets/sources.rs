//! Secret sources: what `secret("SOURCE")` reads.
//!
//! | source | value |
//! |---|---|
//! | `env:NAME` | the environment variable `NAME` (an error when it is not set) |
//! | `file:PATH` | the file's text, `PATH` relative to the module's directory, one trailing newline removed |
//! | `keyring:SERVICE/USER` | the OS keyring entry (see [`super::keyring`]; `plinth secret set` stores one) |
//! | `arn:aws:secretsmanager:...` | AWS Secrets Manager, once the aws provider exists (an error until then) |
//!
//! Reading a source is local I/O only: no network. The evaluator marks the result sensitive; this
//! module never logs a value and never puts one in an error message.

use std::path::Path;

use super::keyring::{self, KeyringRef};

/// The source kinds, for messages.
pub const KINDS: &str = "env:NAME, file:PATH, keyring:SERVICE/USER or arn:aws:secretsmanager:...";

/// Why a source could not be read. The message is worded to follow `Call to function "secret"
/// failed: ` and ends with a period.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SourceError(pub String);

/// Reads the secret named by `source`; relative `file:` paths resolve against `base_dir`.
pub fn resolve(source: &str, base_dir: &Path) -> Result<String, SourceError> {
    let err = |m: String| Err(SourceError(m));
    if let Some(name) = source.strip_prefix("env:") {
        if name.is_empty() || name.contains('=') || name.contains('\0') {
            return err(format!(
                "\"{source}\" does not name an environment variable: write env:NAME."
            ));
        }
        return match std::env::var(name) {
            Ok(v) => Ok(v),
            Err(std::env::VarError::NotPresent) => err(format!(
                "the environment variable {name} is not set; set it (export {name}=...) or use another source."
            )),
            Err(std::env::VarError::NotUnicode(_)) => {
                err(format!("the environment variable {name} is not valid UTF-8 text."))
            }
        };
    }
    if let Some(path) = source.strip_prefix("file:") {
        if path.is_empty() {
            return err(format!("\"{source}\" does not name a file: write file:PATH."));
        }
        let full = base_dir.join(path);
        return match std::fs::read(&full) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(mut text) => {
                    if text.ends_with('\n') {
                        text.pop();
                        if text.ends_with('\r') {
                            text.pop();
                        }
                    }
                    Ok(text)
                }
                Err(_) => err(format!("the file {} is not UTF-8 text.", full.display())),
            },
            Err(e) => err(format!("cannot read the secret file {}: {e}.", full.display())),
        };
    }
    if let Some(spec) = source.strip_prefix("keyring:") {
        let r = KeyringRef::parse(spec).map_err(|m| SourceError(format!("{m}.")))?;
        return keyring::get(&r).map_err(|e| SourceError(format!("{e}.")));
    }
    if source.starts_with("arn:aws:secretsmanager:") {
        return err(
            "an AWS Secrets Manager source needs the aws provider, which this build cannot read secrets through yet; \
             use env:, file: or keyring: for now."
                .to_string(),
        );
    }
    err(format!("unknown secret source \"{source}\": use {KINDS}."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_source() {
        // A name no other test sets: the environment is shared by the test threads.
        let name = "PLINTH_SOURCES_TEST_ENV_7D1F";
        let dir = Path::new(".");
        let e = resolve(&format!("env:{name}"), dir).expect_err("unset");
        assert!(e.0.contains(name) && e.0.contains("is not set"), "{e}");
        // `set_var` needs `unsafe` in edition 2024 (forbidden here): read a variable that is set.
        let path = std::env::var("PATH").expect("PATH is set");
        assert_eq!(resolve("env:PATH", dir).expect("PATH"), path);
        assert!(resolve("env:", dir).is_err());
    }

    #[test]
    fn file_source_is_relative_and_trimmed() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("pw.txt"), "hunter2\n").expect("write");
        std::fs::write(dir.path().join("crlf.txt"), "a b\r\n").expect("write");
        std::fs::write(dir.path().join("two.txt"), "x\n\n").expect("write");
        assert_eq!(resolve("file:pw.txt", dir.path()).expect("read"), "hunter2");
        assert_eq!(resolve("file:crlf.txt", dir.path()).expect("read"), "a b");
        assert_eq!(
            resolve("file:two.txt", dir.path()).expect("read"),
            "x\n",
            "only one newline goes"
        );
        let e = resolve("file:missing.txt", dir.path()).expect_err("missing");
        assert!(e.0.contains("missing.txt"), "{e}");
    }

    #[test]
    fn unknown_and_unsupported_sources() {
        let dir = Path::new(".");
        let e = resolve("vault:kv/x", dir).expect_err("unknown");
        assert!(e.0.contains("env:NAME") && e.0.contains("keyring:SERVICE/USER"), "{e}");
        let e = resolve("arn:aws:secretsmanager:us-east-1:123:secret:x", dir).expect_err("aws");
        assert!(e.0.contains("needs the aws provider"), "{e}");
        let e = resolve("keyring:nouser", dir).expect_err("bad ref");
        assert!(e.0.contains("keyring:SERVICE/USER"), "{e}");
    }
}
