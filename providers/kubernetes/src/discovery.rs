//! API discovery for objects the provider has no table entry for (`kubernetes_manifest`, the
//! `kubernetes_resources` data source): which resource (plural, scope) serves an
//! `apiVersion`/`kind`, asked of the API server through kube's `discovery::pinned_kind`.
//!
//! Answers are cached per group/version/kind for the life of the provider, and only answers that
//! found the kind: a miss always asks the server again, so a CustomResourceDefinition applied
//! earlier in the same run is found. Applying a CRD also calls [`Discovery::forget`], since it may
//! change the versions or the scope of a kind already cached.

use std::collections::HashMap;
use std::sync::Mutex;

use kube::Client;
use kube::api::{ApiResource, GroupVersionKind};
use kube::discovery::{Scope, pinned_kind};
use plinth_sdk::ProviderError;

/// A kind the server serves: how to address it.
#[derive(Clone, Debug)]
pub struct Resolved {
    pub resource: ApiResource,
    pub namespaced: bool,
}

/// The discovery cache (see the module documentation).
#[derive(Default)]
pub struct Discovery {
    found: Mutex<HashMap<(String, String, String), Resolved>>,
}

/// `apiVersion` split into group and version (`v1` is the core group).
pub fn split_api_version(api_version: &str) -> (&str, &str) {
    match api_version.split_once('/') {
        Some((group, version)) => (group, version),
        None => ("", api_version),
    }
}

/// The error for a kind the server does not serve.
pub fn missing_kind(api_version: &str, kind: &str) -> ProviderError {
    ProviderError::with_code(
        "NotFound",
        format!(
            "the API server has no kind {kind:?} in apiVersion {api_version:?}: the CustomResourceDefinition that \
             defines it is missing (or does not serve that version). Apply the CRD first, in the same \
             configuration with depends_on, or check apiVersion and kind"
        ),
    )
}

impl Discovery {
    /// The resource serving `api_version`/`kind`, or `None` when the server has no such kind.
    /// `on_error` turns a failed request (unreachable, forbidden) into the provider's error.
    pub async fn resolve(
        &self,
        client: &Client,
        api_version: &str,
        kind: &str,
        on_error: impl Fn(kube::Error) -> ProviderError,
    ) -> Result<Option<Resolved>, ProviderError> {
        let (group, version) = split_api_version(api_version);
        let key = (group.to_string(), version.to_string(), kind.to_string());
        if let Some(hit) = self.lock().get(&key) {
            return Ok(Some(hit.clone()));
        }
        let gvk = GroupVersionKind::gvk(group, version, kind);
        match pinned_kind(client, &gvk).await {
            Ok((resource, caps)) => {
                let resolved = Resolved {
                    resource,
                    namespaced: matches!(caps.scope, Scope::Namespaced),
                };
                self.lock().insert(key, resolved.clone());
                Ok(Some(resolved))
            }
            // A group or version the server does not serve answers 404; a served group/version
            // without the kind is kube's MissingKind.
            Err(kube::Error::Api(s)) if s.code == 404 => Ok(None),
            Err(kube::Error::Discovery(_)) => Ok(None),
            Err(e) => Err(on_error(e)),
        }
    }

    /// Like [`Discovery::resolve`], with a missing kind as an error naming it.
    pub async fn require(
        &self,
        client: &Client,
        api_version: &str,
        kind: &str,
        on_error: impl Fn(kube::Error) -> ProviderError,
    ) -> Result<Resolved, ProviderError> {
        self.resolve(client, api_version, kind, on_error)
            .await?
            .ok_or_else(|| missing_kind(api_version, kind))
    }

    /// Drops every cached answer (after a CRD changed).
    pub fn forget(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(String, String, String), Resolved>> {
        // A panic elsewhere while holding the lock leaves a usable map: take it anyway.
        self.found.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_versions_split_into_group_and_version() {
        assert_eq!(split_api_version("v1"), ("", "v1"));
        assert_eq!(
            split_api_version("serving.kserve.io/v1beta1"),
            ("serving.kserve.io", "v1beta1")
        );
    }

    #[test]
    fn a_missing_kind_names_it_and_the_crd() {
        let e = missing_kind("serving.kserve.io/v1beta1", "InferenceService");
        assert!(e.message.contains("\"InferenceService\""), "{}", e.message);
        assert!(e.message.contains("\"serving.kserve.io/v1beta1\""), "{}", e.message);
        assert!(e.message.contains("CustomResourceDefinition"), "{}", e.message);
    }
}
