//! The providers compiled into this build (each is a Cargo feature, on by default; the five utility
//! providers `random`, `null`, `time`, `tls` and `archive` share one feature, `utility`).

use std::sync::Arc;

use plinth_sdk::Provider;

/// Makes a fresh, unconfigured provider instance.
pub type Factory = fn() -> Arc<dyn Provider>;

/// Every provider of this build, by name.
pub fn all() -> Vec<(&'static str, Factory)> {
    vec![
        #[cfg(feature = "local")]
        ("local", (|| Arc::new(plinth_local::LocalProvider::new())) as Factory),
        #[cfg(feature = "aws")]
        ("aws", plinth_aws::new_provider as Factory),
        #[cfg(feature = "kubernetes")]
        ("kubernetes", plinth_kubernetes::new_provider as Factory),
        #[cfg(feature = "mlflow")]
        ("mlflow", plinth_mlflow::new_provider as Factory),
        #[cfg(feature = "utility")]
        ("random", plinth_utility::random_provider as Factory),
        #[cfg(feature = "utility")]
        ("null", plinth_utility::null_provider as Factory),
        #[cfg(feature = "utility")]
        ("time", plinth_utility::time_provider as Factory),
        #[cfg(feature = "utility")]
        ("tls", plinth_utility::tls_provider as Factory),
        #[cfg(feature = "utility")]
        ("archive", plinth_utility::archive_provider as Factory),
    ]
}
