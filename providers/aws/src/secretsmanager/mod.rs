//! Secrets Manager: the secret itself (`secret.rs`, with a write-only payload), its versions
//! (`version.rs`, the payload as a sensitive attribute), its resource policy (`policy.rs`) and
//! its rotation (`rotation.rs`). One file per resource type; shared here: the type list.
//!
//! Refresh cost. Secrets Manager has no batched Describe that is safe to use: ListSecrets could
//! list many secrets at once, but AWS documents it as eventually consistent by up to minutes,
//! which would report Plinth's own fresh changes as drift. Every type therefore reads each
//! object with its own call (DescribeSecret, GetSecretValue, GetResourcePolicy), a few at a time.

pub mod policy;
pub mod rotation;
pub mod secret;
pub mod version;

pub(crate) use secret::secret_tags;

use crate::AwsResource;

pub fn resources() -> Vec<Box<dyn AwsResource>> {
    vec![
        Box::new(secret::Secret),
        Box::new(version::SecretVersion),
        Box::new(policy::SecretPolicy),
        Box::new(rotation::SecretRotation),
    ]
}
