//! `tls_private_key` through the provider interface: every algorithm and curve, each encoding
//! parsed back with the RustCrypto crates (and `ssh-key` for OpenSSH), the private encodings
//! sensitive, a no-op re-plan of the redacted state, replacement on any argument, validation.

mod common;

use common::*;
use plinth_sdk::Value;
use ssh_key::{HashAlg, PublicKey};

/// The provider, working in a fresh directory (where `.plinth/utility.key` is created).
async fn p() -> (std::sync::Arc<dyn plinth_sdk::Provider>, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tmp");
    (configured(plinth_utility::tls_provider(), dir.path()).await, dir)
}

struct Key {
    state: Value,
    p: std::sync::Arc<dyn plinth_sdk::Provider>,
    dir: tempfile::TempDir,
}

async fn key(cfg: Vec<(&str, Value)>) -> Key {
    let (p, dir) = p().await;
    let cfg = config(&*p, "tls_private_key", cfg);
    let s = create(&*p, "tls_private_key", &cfg).await;
    for secret in ["private_key_pem", "private_key_pem_pkcs8", "private_key_openssh"] {
        assert!(s.get(secret).is_sensitive(), "{secret} must be sensitive");
    }
    assert!(!s.get("public_key_pem").is_sensitive());
    assert_stable(&*p, "tls_private_key", &s, &cfg).await;
    Key { state: s, p, dir }
}

/// The OpenSSH public key parses, is the one of the OpenSSH private key, and the fingerprints
/// are its own.
fn check_openssh(s: &Value) {
    let line = text(s, "public_key_openssh");
    assert!(line.ends_with('\n'), "{line:?}");
    let public = PublicKey::from_openssh(line.trim_end()).expect("authorized_keys line");
    let private = ssh_key::PrivateKey::from_openssh(text(s, "private_key_openssh")).expect("OpenSSH private key");
    assert_eq!(private.public_key().key_data(), public.key_data());
    assert_eq!(
        text(s, "public_key_fingerprint_sha256"),
        public.fingerprint(HashAlg::Sha256).to_string()
    );
    let md5 = text(s, "public_key_fingerprint_md5");
    assert_eq!(md5.split(':').count(), 16, "{md5}");
}

#[tokio::test]
async fn rsa_keys_in_every_encoding() {
    use rsa::pkcs1::DecodeRsaPrivateKey;
    use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
    let Key { state: s, p, dir } = key(vec![("algorithm", Value::string("RSA"))]).await;
    assert_eq!(s.get("rsa_bits").as_i64(), Some(2048));
    let pem = text(&s, "private_key_pem");
    assert!(pem.starts_with("-----BEGIN RSA PRIVATE KEY-----"), "{}", &pem[..40]);
    let k = rsa::RsaPrivateKey::from_pkcs1_pem(&pem).expect("PKCS#1");
    let k8 = rsa::RsaPrivateKey::from_pkcs8_pem(&text(&s, "private_key_pem_pkcs8")).expect("PKCS#8");
    assert_eq!(k, k8);
    let public = rsa::RsaPublicKey::from_public_key_pem(&text(&s, "public_key_pem")).expect("SPKI");
    assert_eq!(public, k.to_public_key());
    assert_eq!(rsa::traits::PublicKeyParts::size(&public), 256);
    assert!(text(&s, "public_key_openssh").starts_with("ssh-rsa "));
    check_openssh(&s);

    let bigger = config(
        &*p,
        "tls_private_key",
        vec![("algorithm", Value::string("RSA")), ("rsa_bits", Value::int(3072))],
    );
    assert_eq!(replaced_by(&*p, "tls_private_key", &s, &bigger).await, ["rsa_bits"]);
    assert_rederived(&*p, dir.path(), &s).await;
}

/// A refresh of the redacted state generates the same private key again; with another key file
/// it is an error, not another key.
async fn assert_rederived(p: &dyn plinth_sdk::Provider, dir: &std::path::Path, s: &Value) {
    let again = refresh(p, "tls_private_key", &redacted(p, "tls_private_key", s))
        .await
        .expect("state");
    for name in ["private_key_pem", "private_key_pem_pkcs8", "private_key_openssh"] {
        assert_eq!(again.get(name), s.get(name), "{name}");
    }
    std::fs::write(dir.join(".plinth/utility.key"), [9u8; 32]).expect("overwrite the key");
    let err = p
        .read(plinth_sdk::ReadRequest {
            type_name: "tls_private_key".into(),
            instances: vec![plinth_sdk::ReadInstance {
                address: "tls_private_key.test".into(),
                state: redacted(p, "tls_private_key", s),
            }],
        })
        .await
        .expect_err("another key file");
    assert!(
        err.message.contains("utility.key: is not the key it was created with"),
        "{}",
        err.message
    );
}

#[tokio::test]
async fn ecdsa_keys_on_each_curve() {
    use p256::pkcs8::{DecodePrivateKey, DecodePublicKey};
    for (curve, ssh_prefix) in [
        ("P256", "ecdsa-sha2-nistp256 "),
        ("P384", "ecdsa-sha2-nistp384 "),
        ("P521", "ecdsa-sha2-nistp521 "),
    ] {
        let Key { state: s, p, dir } = key(vec![
            ("algorithm", Value::string("ECDSA")),
            ("ecdsa_curve", Value::string(curve)),
        ])
        .await;
        let pem = text(&s, "private_key_pem");
        assert!(pem.starts_with("-----BEGIN EC PRIVATE KEY-----"), "{curve}");
        assert!(text(&s, "private_key_pem_pkcs8").starts_with("-----BEGIN PRIVATE KEY-----"));
        assert!(text(&s, "public_key_openssh").starts_with(ssh_prefix), "{curve}");
        check_openssh(&s);
        assert_rederived(&*p, dir.path(), &s).await;
        if curve == "P256" {
            let k = p256::SecretKey::from_sec1_pem(&pem).expect("SEC 1");
            let k8 = p256::SecretKey::from_pkcs8_pem(&text(&s, "private_key_pem_pkcs8")).expect("PKCS#8");
            assert_eq!(k.to_bytes(), k8.to_bytes());
            let public = p256::PublicKey::from_public_key_pem(&text(&s, "public_key_pem")).expect("SPKI");
            assert_eq!(public, k.public_key());
        }
    }
    // P-224, Terraform's default curve: PEM only, OpenSSH has no such keys.
    let Key { state: s, .. } = key(vec![("algorithm", Value::string("ECDSA"))]).await;
    assert_eq!(text(&s, "ecdsa_curve"), "P224");
    assert!(text(&s, "private_key_pem").starts_with("-----BEGIN EC PRIVATE KEY-----"));
    assert_eq!(text(&s, "public_key_openssh"), "");
    assert_eq!(text(&s, "private_key_openssh"), "");
}

#[tokio::test]
async fn ed25519_keys() {
    use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey};
    let Key { state: s, p, dir } = key(vec![("algorithm", Value::string("ED25519"))]).await;
    let k = ed25519_dalek::SigningKey::from_pkcs8_pem(&text(&s, "private_key_pem")).expect("PKCS#8");
    let public = ed25519_dalek::VerifyingKey::from_public_key_pem(&text(&s, "public_key_pem")).expect("SPKI");
    assert_eq!(k.verifying_key(), public);
    assert!(text(&s, "public_key_openssh").starts_with("ssh-ed25519 "));
    check_openssh(&s);
    // The id is a hash of the public key, stable and not secret.
    assert_eq!(text(&s, "id").len(), 40);
    assert!(text(&s, "secret_nonce").starts_with("v1:"));
    // Without the key file the key cannot be generated again: an error that says what to do.
    let mut config_only = redacted(&*p, "tls_private_key", &s);
    std::fs::remove_file(dir.path().join(".plinth/utility.key")).expect("rm key");
    let err = p
        .plan(plinth_sdk::PlanRequest {
            type_name: "tls_private_key".into(),
            address: "tls_private_key.test".into(),
            prior: Some(config_only.clone()),
            config: std::mem::take(&mut config_only),
        })
        .await
        .expect_err("no key file");
    assert!(err.message.contains("cannot be derived again"), "{}", err.message);
    assert!(err.hint.as_deref().is_some_and(|h| h.contains("plinth taint")));
}

#[tokio::test]
async fn validation() {
    let (p, _dir) = p().await;
    let bad = config(
        &*p,
        "tls_private_key",
        vec![
            ("algorithm", Value::string("DSA")),
            ("ecdsa_curve", Value::string("P999")),
            ("rsa_bits", Value::int(512)),
        ],
    );
    assert_eq!(
        errors(&*p, "tls_private_key", &bad),
        [
            "algorithm: Unsupported algorithm",
            "ecdsa_curve: Unsupported curve",
            "rsa_bits: Invalid rsa_bits"
        ]
    );
    let ok = config(&*p, "tls_private_key", vec![("algorithm", Value::Unknown)]);
    assert!(errors(&*p, "tls_private_key", &ok).is_empty());
}
