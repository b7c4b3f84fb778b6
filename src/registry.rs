//! The providers compiled into this build (each is a Cargo feature, on by default).

use std::sync::Arc;

use plinth_sdk::Provider;

/// Makes a fresh, unconfigured provider instance.
pub type Factory = fn() -> Arc<dyn Provider>;

/// Every provider of this build, by name.
pub fn all() -> Vec<(&'static str, Factory)> {
    #[allow(unused_mut)]
    let mut v: Vec<(&'static str, Factory)> = Vec::new();
    #[cfg(feature = "local")]
    v.push(("local", || Arc::new(plinth_local::LocalProvider::new())));
    #[cfg(feature = "aws")]
    v.push(("aws", plinth_aws::new_provider));
    #[cfg(feature = "kubernetes")]
    v.push(("kubernetes", plinth_kubernetes::new_provider));
    v
}
