//! The providers compiled into the `plinth` binary, by name: the one list of them. Each is a Cargo
//! feature, on by default; the five utility providers `random`, `null`, `time`, `tls` and
//! `archive` share one feature, `utility`.
//!
//! The engine (`plinth-engine`, the `plinth` library) names no provider crate: the binary passes
//! this list to `plinth::cli::main`, and the tests to `plinth::workspace::prepare_with`. So the
//! engine compiles beside the provider crates, not after them (docs/performance.md, "Build time").

use plinth::registry::Factory;

/// Every provider of this build, by name.
pub fn all() -> Vec<(&'static str, Factory)> {
    vec![
        #[cfg(feature = "local")]
        (
            "local",
            (|| std::sync::Arc::new(plinth_local::LocalProvider::new())) as Factory,
        ),
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
