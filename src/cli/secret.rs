//! `plinth secret set|rm keyring:SERVICE/USER`: manage OS keyring entries that
//! `secret("keyring:SERVICE/USER")` reads. Also the commands' shared access to the state
//! encryption key: [`cipher`] evaluates `plinth { encryption { key = ... } }`, and [`backend`]
//! is the workspace's state backend sealed with it.
//!
//! `set` reads the value from standard input (hidden when typed at a terminal; one trailing
//! newline removed when piped) and never prints it.

use std::io::{IsTerminal, Read as _};
use std::process::ExitCode;

use anyhow::{Result, anyhow, bail};

use super::Workspace;
use crate::config::Config;
use crate::secrets::encryption::{Cipher, OpenError, Purpose, is_sealed};
use crate::secrets::keyring::{self, KeyringError, KeyringRef};
use crate::state::{Backend, Store};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub cmd: Cmd,
}

#[derive(clap::Subcommand, Debug)]
pub enum Cmd {
    /// Store a value in the OS keyring; the value is read from standard input.
    Set {
        /// keyring:SERVICE/USER
        #[arg(value_name = "keyring:SERVICE/USER")]
        source: String,
    },
    /// Remove a value from the OS keyring.
    Rm {
        /// keyring:SERVICE/USER
        #[arg(value_name = "keyring:SERVICE/USER")]
        source: String,
    },
}

pub fn run(args: &Args) -> Result<ExitCode> {
    match &args.cmd {
        Cmd::Set { source } => {
            let r = keyring_ref(source)?;
            let value = read_value(&r)?;
            keyring::set(&r, &value).map_err(|e| anyhow!("cannot store {r}: {e}"))?;
            println!("Stored {r} in {}.", keyring::backend_name());
            println!("Use it as secret(\"{r}\").");
            if let Some(note) = persistence_note() {
                eprintln!("{note}");
            }
        }
        Cmd::Rm { source } => {
            let r = keyring_ref(source)?;
            match keyring::remove(&r) {
                Ok(()) => println!("Removed {r} from {}.", keyring::backend_name()),
                Err(KeyringError::NotFound(_)) => bail!("{r} is not in the OS keyring: there is nothing to remove"),
                Err(e) => bail!("cannot remove {r}: {e}"),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn keyring_ref(source: &str) -> Result<KeyringRef> {
    let Some(spec) = source.strip_prefix("keyring:") else {
        bail!(
            "plinth secret manages OS keyring entries: write keyring:SERVICE/USER, e.g. keyring:plinth/state-key (env: and file: sources are set outside Plinth)"
        );
    };
    KeyringRef::parse(spec).map_err(|e| anyhow!(e))
}

/// The value from standard input: typed without echo at a terminal, or piped (one trailing newline
/// removed). Never printed.
fn read_value(r: &KeyringRef) -> Result<String> {
    let stdin = std::io::stdin();
    let mut value = String::new();
    if stdin.is_terminal() {
        value = rpassword::prompt_password(format!("Value for {r} (input is hidden): "))
            .map_err(|e| anyhow!("cannot read the value from the terminal: {e}"))?;
    } else {
        stdin
            .lock()
            .read_to_string(&mut value)
            .map_err(|e| anyhow!("cannot read the value from standard input: {e}"))?;
        if value.ends_with('\n') {
            value.pop();
            if value.ends_with('\r') {
                value.pop();
            }
        }
    }
    if value.is_empty() {
        bail!(
            "refusing to store an empty value: give it on standard input, e.g. `printf %s \"$TOKEN\" | plinth secret set {r}`"
        );
    }
    Ok(value)
}

/// How long the Linux kernel keeps the value, when that is worth saying.
fn persistence_note() -> Option<String> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let secs: u64 = std::fs::read_to_string("/proc/sys/kernel/keys/persistent_keyring_expiry")
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(format!(
        "Note: the kernel keyring keeps it for {} day(s) after its last use and forgets it on reboot; keep a copy \
         of anything you cannot lose (such as a state encryption key) in a password manager.",
        secs / 86_400
    ))
}

/// The state encryption key of the configuration (`crate::workspace::cipher`). With `config`
/// absent the configuration is loaded for its `plinth` block alone (for commands such as `show`
/// and `output` that do not otherwise read it). Errors are printed as diagnostics.
pub fn cipher(ws: &Workspace, config: Option<&Config>) -> Result<Option<Cipher>> {
    with_config(ws, config, |config| crate::workspace::cipher(ws, config))
}

/// The state backend of the workspace's environment, sealed with the configuration's encryption
/// key when it has one.
pub fn backend(ws: &Workspace, config: Option<&Config>) -> Result<Box<dyn Backend>> {
    backend_of(ws, &ws.env, config)
}

/// The state backend of environment `env`, of the kind the configuration's `plinth { backend }`
/// block names (through `state::open_backend`), sealed with its encryption key when it has one.
/// With `config` absent the configuration is loaded for its `plinth` block alone.
pub fn backend_of(ws: &Workspace, env: &str, config: Option<&Config>) -> Result<Box<dyn Backend>> {
    with_config(ws, config, |config| ws.open_backend(env, config))
}

/// The configuration's backend: every environment it keeps (`Workspace::store`). With `config`
/// absent the configuration is loaded for its `plinth` block alone.
pub fn store(ws: &Workspace, config: Option<&Config>) -> Result<std::sync::Arc<dyn Store>> {
    with_config(ws, config, |config| ws.store(config))
}

/// Runs `f` on `config`, or, when it is absent, on the workspace's configuration loaded for its
/// `plinth` block alone.
fn with_config<T>(ws: &Workspace, config: Option<&Config>, f: impl FnOnce(&Config) -> T) -> T {
    match config {
        Some(c) => f(c),
        None => f(&crate::config::load::load(&ws.root).0),
    }
}

/// A state file given to `plinth state push`: plain JSON as it is, an encrypted one (such as a
/// `state.json.backup` of an encrypted state) opened with the backend's key.
pub fn open_state_text(backend: &dyn Backend, text: String, name: &str) -> Result<String> {
    if !is_sealed(text.as_bytes()) {
        return Ok(text);
    }
    let Some(c) = backend.cipher() else {
        bail!(
            "{name} is encrypted: configure plinth {{ encryption {{ key = ... }} }} with the key it was written with"
        );
    };
    let plain = c.open(Purpose::State, text.as_bytes()).map_err(|e| match e {
        OpenError::WrongKey { .. } => anyhow!("the encryption key does not decrypt {name}: wrong key? ({e})"),
        e => anyhow!("cannot decrypt {name}: {e}"),
    })?;
    String::from_utf8(plain).map_err(|_| anyhow!("{name} does not hold a JSON state"))
}
