//! `tls_private_key` through the provider interface: every algorithm and curve, each encoding
//! parsed back with the RustCrypto crates (and `ssh-key` for OpenSSH), the private encodings
//! sensitive, a no-op re-plan of the redacted state, replacement on any argument, validation.

mod common;

use common::*;
use plinth_sdk::Value;
use ssh_key::{HashAlg, PublicKey};

fn p() -> std::sync::Arc<dyn plinth_sdk::Provider> {
    plinth_utility::tls_provider()
}

async fn key(cfg: Vec<(&str, Value)>) -> (Value, Value) {
    let p = p();
    let cfg = config(&*p, "tls_private_key", cfg);
    let s = create(&*p, "tls_private_key", &cfg).await;
    for secret in ["private_key_pem", "private_key_pem_pkcs8", "private_key_openssh"] {
        assert!(s.get(secret).is_sensitive(), "{secret} must be sensitive");
    }
    assert!(!s.get("public_key_pem").is_sensitive());
    assert_stable(&*p, "tls_private_key", &s, &cfg).await;
    (s, cfg)
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
    let (s, cfg) = key(vec![("algorithm", Value::string("RSA"))]).await;
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

    let p = p();
    let bigger = config(
        &*p,
        "tls_private_key",
        vec![("algorithm", Value::string("RSA")), ("rsa_bits", Value::int(3072))],
    );
    assert_eq!(replaced_by(&*p, "tls_private_key", &s, &bigger).await, ["rsa_bits"]);
    let _ = cfg;
}

#[tokio::test]
async fn ecdsa_keys_on_each_curve() {
    use p256::pkcs8::{DecodePrivateKey, DecodePublicKey};
    for (curve, ssh_prefix) in [
        ("P256", "ecdsa-sha2-nistp256 "),
        ("P384", "ecdsa-sha2-nistp384 "),
        ("P521", "ecdsa-sha2-nistp521 "),
    ] {
        let (s, _) = key(vec![
            ("algorithm", Value::string("ECDSA")),
            ("ecdsa_curve", Value::string(curve)),
        ])
        .await;
        let pem = text(&s, "private_key_pem");
        assert!(pem.starts_with("-----BEGIN EC PRIVATE KEY-----"), "{curve}");
        assert!(text(&s, "private_key_pem_pkcs8").starts_with("-----BEGIN PRIVATE KEY-----"));
        assert!(text(&s, "public_key_openssh").starts_with(ssh_prefix), "{curve}");
        check_openssh(&s);
        if curve == "P256" {
            let k = p256::SecretKey::from_sec1_pem(&pem).expect("SEC 1");
            let k8 = p256::SecretKey::from_pkcs8_pem(&text(&s, "private_key_pem_pkcs8")).expect("PKCS#8");
            assert_eq!(k.to_bytes(), k8.to_bytes());
            let public = p256::PublicKey::from_public_key_pem(&text(&s, "public_key_pem")).expect("SPKI");
            assert_eq!(public, k.public_key());
        }
    }
    // P-224, Terraform's default curve: PEM only, OpenSSH has no such keys.
    let (s, _) = key(vec![("algorithm", Value::string("ECDSA"))]).await;
    assert_eq!(text(&s, "ecdsa_curve"), "P224");
    assert!(text(&s, "private_key_pem").starts_with("-----BEGIN EC PRIVATE KEY-----"));
    assert_eq!(text(&s, "public_key_openssh"), "");
    assert_eq!(text(&s, "private_key_openssh"), "");
}

#[tokio::test]
async fn ed25519_keys() {
    use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey};
    let (s, _) = key(vec![("algorithm", Value::string("ED25519"))]).await;
    let k = ed25519_dalek::SigningKey::from_pkcs8_pem(&text(&s, "private_key_pem")).expect("PKCS#8");
    let public = ed25519_dalek::VerifyingKey::from_public_key_pem(&text(&s, "public_key_pem")).expect("SPKI");
    assert_eq!(k.verifying_key(), public);
    assert!(text(&s, "public_key_openssh").starts_with("ssh-ed25519 "));
    check_openssh(&s);
    // The id is a hash of the public key, stable and not secret.
    assert_eq!(text(&s, "id").len(), 40);
}

#[tokio::test]
async fn validation() {
    let p = p();
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
