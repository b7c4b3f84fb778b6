//! [`LocalStore`]: the environments of the local backend, one directory each under
//! `.plinth/env/`, with their settings files beside the state, and the shared keys as files in
//! `.plinth/` (`hash.key`, `utility.key`).

use std::fs;
use std::io;
use std::path::PathBuf;

use super::{LocalBackend, env_dir, environments, io_err, valid_env_name};
use crate::state::store::{BackendKind, BackendSettings, Store};
use crate::state::{Backend, StateError};

/// The environments kept under `<root>/.plinth/env/`.
pub struct LocalStore {
    settings: BackendSettings,
}

impl LocalStore {
    pub fn new(settings: BackendSettings) -> LocalStore {
        LocalStore { settings }
    }

    fn backend(&self, env: &str) -> LocalBackend {
        LocalBackend::new(&self.settings.root, env)
            .with_cipher(self.settings.cipher.clone())
            .with_lock_timeout(self.settings.lock_timeout)
    }

    fn file_path(&self, env: &str, name: &str) -> Result<PathBuf, StateError> {
        if !valid_env_name(env) || !valid_env_name(name) {
            return Err(StateError::Other(format!("invalid environment file {env:?}/{name:?}")));
        }
        Ok(env_dir(&self.settings.root, env).join(name))
    }
}

impl Store for LocalStore {
    fn kind(&self) -> BackendKind {
        BackendKind::Local
    }

    fn describe(&self) -> String {
        "the local backend (.plinth/env/ beside the configuration)".to_string()
    }

    fn init(&self) -> Result<(), StateError> {
        let dir = self.settings.root.join(".plinth");
        fs::create_dir_all(&dir).map_err(io_err(format!("creating {}", dir.display())))
    }

    fn environments(&self) -> Result<Vec<String>, StateError> {
        Ok(environments(&self.settings.root))
    }

    fn exists(&self, env: &str) -> Result<bool, StateError> {
        Ok(env == "default" || (valid_env_name(env) && env_dir(&self.settings.root, env).is_dir()))
    }

    fn create(&self, env: &str) -> Result<(), StateError> {
        self.backend(env).ensure_dir()
    }

    fn delete(&self, env: &str) -> Result<(), StateError> {
        let backend = self.backend(env);
        backend.check_env()?;
        match fs::remove_dir_all(backend.dir()) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io_err(format!("deleting {}", backend.dir().display()))(e)),
        }
    }

    fn open(&self, env: &str) -> Result<Box<dyn Backend>, StateError> {
        Ok(Box::new(self.backend(env)))
    }

    fn read_file(&self, env: &str, name: &str) -> Result<Option<Vec<u8>>, StateError> {
        let path = self.file_path(env, name)?;
        match fs::read(&path) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_err(format!("reading {}", path.display()))(e)),
        }
    }

    /// Written to a temporary file and renamed into place, so a reader never sees half of it.
    fn write_file(&self, env: &str, name: &str, data: &[u8]) -> Result<(), StateError> {
        let path = self.file_path(env, name)?;
        self.backend(env).ensure_dir()?;
        super::write_atomic(&path, data).map_err(io_err(format!("writing {}", path.display())))
    }

    fn shared_key(&self, name: &str, initial: Option<&[u8]>) -> Result<Vec<u8>, StateError> {
        let path = self.settings.root.join(".plinth").join(name);
        crate::secrets::key_file(&path, initial).map_err(io_err(format!("creating {}", path.display())))
    }
}
