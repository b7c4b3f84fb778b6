//! The `tls` provider: `tls_private_key`, a key pair generated at create (RSA, ECDSA on P-224,
//! P-256, P-384 or P-521, or Ed25519) and shown in the encodings Terraform's has: PEM (PKCS#1 for
//! RSA, SEC 1 for ECDSA, PKCS#8 for Ed25519), PKCS#8 PEM, OpenSSH, and the public key's PEM,
//! `authorized_keys` line and MD5/SHA-256 fingerprints. Keys come from the RustCrypto crates
//! (`rsa`, `p224`..`p521`, `ed25519-dalek`) and the OpenSSH encodings from `ssh-key`; OpenSSH
//! has no P-224 keys, so those encodings are empty for it, as in Terraform.
//!
//! The three private encodings are sensitive: the engine stores only their keyed hashes. The key
//! is therefore generated from a stream derived from `.plinth/utility.key` and the non-secret
//! `secret_nonce` in state (see `support`), and refresh and plan generate it again (for RSA that
//! is a prime search each time: a 4096-bit key makes every plan slower by a second or more). A
//! check in `secret_nonce` and the public key in state make a different key file, or a key
//! generator that changed between versions, an error rather than another key. Every argument
//! forces replacement.

use std::path::Path;
use std::sync::LazyLock;

use async_trait::async_trait;
use base64::Engine as _;
use md5::Digest as _;
use plinth_sdk::plan::default_plan;
use plinth_sdk::{Attribute, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};
use ssh_key::LineEnding;
use ssh_key::private::{EcdsaKeypair, Ed25519Keypair, KeypairData, PrivateKey, RsaKeypair};

use crate::Family;
use crate::support::{
    Rng06, SECRET_NONCE, Source, UtilityKey, default_to, diag, int, invalid, mismatch, parse_nonce, redacted, set,
    string,
};

pub const PRIVATE_KEY: &str = "tls_private_key";

/// The `tls` provider.
pub struct Tls;

const ALGORITHMS: [&str; 3] = ["RSA", "ECDSA", "ED25519"];
const CURVES: [&str; 4] = ["P224", "P256", "P384", "P521"];

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let secret = |what: &str| Attribute::computed(Type::String).sensitive().describe(what);
    let public = |what: &str| Attribute::computed(Type::String).describe(what);
    Schema::new(
        "A private key generated at create, for TLS or SSH (an `aws_key_pair`'s `public_key`). The private \
         encodings are sensitive: never shown, kept in state only as keyed hashes.",
    )
    .attr(
        "algorithm",
        Attribute::required(Type::String)
            .force_new()
            .describe("\"RSA\", \"ECDSA\" or \"ED25519\"."),
    )
    .attr(
        "rsa_bits",
        Attribute::optional_computed(Type::Number)
            .force_new()
            .describe("The size of an RSA key in bits; default 2048."),
    )
    .attr(
        "ecdsa_curve",
        Attribute::optional_computed(Type::String)
            .force_new()
            .describe("The curve of an ECDSA key: \"P224\" (the default, as in Terraform), \"P256\", \"P384\" or \"P521\"."),
    )
    .attr(
        "private_key_pem",
        secret("The private key in PEM: PKCS#1 (`RSA PRIVATE KEY`) for RSA, SEC 1 (`EC PRIVATE KEY`) for ECDSA, PKCS#8 for Ed25519."),
    )
    .attr("private_key_pem_pkcs8", secret("The private key in PKCS#8 PEM (`PRIVATE KEY`)."))
    .attr(
        "private_key_openssh",
        secret("The private key in OpenSSH's format; empty for P-224, which OpenSSH does not support."),
    )
    .attr("public_key_pem", public("The public key in PEM (`PUBLIC KEY`, SubjectPublicKeyInfo)."))
    .attr(
        "public_key_openssh",
        public("The public key as an `authorized_keys` line (with a final newline); empty for P-224."),
    )
    .attr(
        "public_key_fingerprint_md5",
        public("The MD5 fingerprint of the OpenSSH public key, as colon-separated hex; empty for P-224."),
    )
    .attr(
        "public_key_fingerprint_sha256",
        public("The SHA-256 fingerprint of the OpenSSH public key, `SHA256:` and unpadded base64; empty for P-224."),
    )
    .attr("id", public("Hex SHA-1 of the public key (DER)."))
    .attr(
        SECRET_NONCE,
        public(
            "Plinth only, not secret: the nonce the key is generated from with `.plinth/utility.key` (and a keyed \
             check of it), so that refresh and plan know the private key again although state keeps only its hashes.",
        ),
    )
});

pub fn schema() -> &'static Schema {
    &SCHEMA
}

/// A generated key in every encoding the resource shows.
struct Encoded {
    private_pem: String,
    private_pkcs8: String,
    public_pem: String,
    public_der: Vec<u8>,
    /// `None` for P-224, which OpenSSH lacks.
    ssh: Option<KeypairData>,
}

fn crypto_error(what: &str, e: impl std::fmt::Display) -> ProviderError {
    ProviderError::with_code("KEYGEN", format!("{what}: {e}"))
}

/// SEC 1 PEM with the curve's OID in `parameters`, as Go's `x509.MarshalECPrivateKey` (and so
/// Terraform) writes it: the RustCrypto encoding leaves the parameters out, and OpenSSL cannot
/// read a key without them.
fn sec1_pem<C>(key: &p256::elliptic_curve::SecretKey<C>) -> Result<String, ProviderError>
where
    C: p256::elliptic_curve::pkcs8::AssociatedOid + p256::elliptic_curve::CurveArithmetic,
    C::AffinePoint: p256::elliptic_curve::sec1::FromEncodedPoint<C> + p256::elliptic_curve::sec1::ToEncodedPoint<C>,
    C::FieldBytesSize: p256::elliptic_curve::sec1::ModulusSize,
{
    use sec1::der::{Decode as _, EncodePem as _};
    let der = key.to_sec1_der().map_err(|e| crypto_error("encoding the key", e))?;
    let mut ec = sec1::EcPrivateKey::from_der(&der).map_err(|e| crypto_error("encoding the key", e))?;
    ec.parameters = Some(sec1::EcParameters::NamedCurve(C::OID));
    ec.to_pem(sec1::LineEnding::LF)
        .map_err(|e| crypto_error("encoding the key", e))
}

/// A private key in PKCS#8 PEM.
fn pkcs8_pem(key: &impl p256::pkcs8::EncodePrivateKey) -> Result<String, ProviderError> {
    key.to_pkcs8_pem(p256::pkcs8::LineEnding::LF)
        .map(|pem| pem.to_string())
        .map_err(|e| crypto_error("encoding the key", e))
}

/// A public key as PEM and as DER (SubjectPublicKeyInfo), for `public_key_pem` and the
/// fingerprints.
fn public_encodings(public: &impl p256::pkcs8::EncodePublicKey) -> Result<(String, Vec<u8>), ProviderError> {
    let encoding = |e| crypto_error("encoding the public key", e);
    let pem = public
        .to_public_key_pem(p256::pkcs8::LineEnding::LF)
        .map_err(encoding)?;
    let der = public.to_public_key_der().map_err(encoding)?.into_vec();
    Ok((pem, der))
}

fn generate(algorithm: &str, rsa_bits: usize, curve: &str, rng: &mut Rng06) -> Result<Encoded, ProviderError> {
    use p256::elliptic_curve::sec1::ToEncodedPoint;
    use rsa::pkcs1::EncodeRsaPrivateKey;
    let lf = p256::pkcs8::LineEnding::LF;
    match algorithm {
        "RSA" => {
            let key = rsa::RsaPrivateKey::new(rng, rsa_bits).map_err(|e| crypto_error("generating an RSA key", e))?;
            let public = key.to_public_key();
            let ssh = RsaKeypair::try_from(&key).map_err(|e| crypto_error("encoding the key for OpenSSH", e))?;
            let (public_pem, public_der) = public_encodings(&public)?;
            Ok(Encoded {
                private_pem: key
                    .to_pkcs1_pem(lf)
                    .map_err(|e| crypto_error("encoding the key", e))?
                    .to_string(),
                private_pkcs8: pkcs8_pem(&key)?,
                public_pem,
                public_der,
                ssh: Some(KeypairData::from(ssh)),
            })
        }
        "ED25519" => {
            let key = ed25519_dalek::SigningKey::generate(rng);
            // Terraform's private_key_pem of an ED25519 key is its PKCS#8 form: encoded once.
            let pkcs8 = pkcs8_pem(&key)?;
            let (public_pem, public_der) = public_encodings(&key.verifying_key())?;
            Ok(Encoded {
                private_pem: pkcs8.clone(),
                private_pkcs8: pkcs8,
                public_pem,
                public_der,
                ssh: Some(KeypairData::from(Ed25519Keypair::from(&key))),
            })
        }
        _ => {
            macro_rules! ec {
                ($curve:ident, $name:ident, $variant:ident) => {{
                    let key = $curve::SecretKey::random(rng);
                    let ssh = $variant(&key);
                    let (public_pem, public_der) = public_encodings(&key.public_key())?;
                    Encoded {
                        private_pem: sec1_pem::<$curve::$name>(&key)?,
                        private_pkcs8: pkcs8_pem(&key)?,
                        public_pem,
                        public_der,
                        ssh,
                    }
                }};
            }
            let none = |_: &p224::SecretKey| None;
            let p256 = |k: &p256::SecretKey| {
                Some(KeypairData::from(EcdsaKeypair::NistP256 {
                    public: k.public_key().to_encoded_point(false),
                    private: k.clone().into(),
                }))
            };
            let p384 = |k: &p384::SecretKey| {
                Some(KeypairData::from(EcdsaKeypair::NistP384 {
                    public: k.public_key().to_encoded_point(false),
                    private: k.clone().into(),
                }))
            };
            let p521 = |k: &p521::SecretKey| {
                Some(KeypairData::from(EcdsaKeypair::NistP521 {
                    public: k.public_key().to_encoded_point(false),
                    private: k.clone().into(),
                }))
            };
            Ok(match curve {
                "P224" => ec!(p224, NistP224, none),
                "P256" => ec!(p256, NistP256, p256),
                "P384" => ec!(p384, NistP384, p384),
                "P521" => ec!(p521, NistP521, p521),
                other => return Err(invalid("ecdsa_curve", format!("unsupported curve {other:?}"))),
            })
        }
    }
}

fn validate(config: &Value) -> Vec<ProviderDiagnostic> {
    let mut d = Vec::new();
    if let Some(a) = string(config, "algorithm")
        && !ALGORITHMS.contains(&a.as_str())
    {
        d.push(diag(
            "algorithm",
            "Unsupported algorithm",
            format!("{a:?} is not one of \"RSA\", \"ECDSA\", \"ED25519\"."),
        ));
    }
    if let Some(c) = string(config, "ecdsa_curve")
        && !CURVES.contains(&c.as_str())
    {
        d.push(diag(
            "ecdsa_curve",
            "Unsupported curve",
            format!("{c:?} is not one of \"P224\", \"P256\", \"P384\", \"P521\"."),
        ));
    }
    if let Some(bits) = int(config, "rsa_bits")
        && !(1024..=16384).contains(&bits)
    {
        d.push(diag(
            "rsa_bits",
            "Invalid rsa_bits",
            format!("rsa_bits must be between 1024 and 16384, not {bits} (2048 or more is recommended)."),
        ));
    }
    d
}

/// The key of `state`'s arguments for `nonce`.
fn derive(key: &UtilityKey, nonce: &str, state: &Value) -> Result<Encoded, ProviderError> {
    let algorithm = string(state, "algorithm").unwrap_or_default();
    if !ALGORITHMS.contains(&algorithm.as_str()) {
        return Err(invalid(
            "algorithm",
            format!("{algorithm:?} is not one of RSA, ECDSA, ED25519"),
        ));
    }
    let bits = int(state, "rsa_bits").unwrap_or(2048);
    if !(1024..=16384).contains(&bits) {
        return Err(invalid(
            "rsa_bits",
            format!("rsa_bits must be between 1024 and 16384, not {bits}"),
        ));
    }
    let curve = string(state, "ecdsa_curve").unwrap_or_else(|| "P224".to_string());
    let mut rng = Rng06(Source::derived(key.seed(PRIVATE_KEY, nonce)));
    generate(&algorithm, bits as usize, &curve, &mut rng)
}

/// `state` with redacted private encodings generated again from its `secret_nonce`.
fn rederive(working_dir: &Path, mut state: Value) -> Result<Value, ProviderError> {
    if !redacted(state.get("private_key_pem")) {
        return Ok(state);
    }
    let Some(sealed) = string(&state, SECRET_NONCE) else {
        return Ok(state);
    };
    let Some(nonce) = parse_nonce(&sealed) else {
        return Err(invalid(
            SECRET_NONCE,
            format!("{sealed:?} is not a secret_nonce this Plinth can derive from"),
        ));
    };
    let key = UtilityKey::load(working_dir, PRIVATE_KEY)?;
    let encoded = derive(&key, nonce, &state)?;
    if !key.verify(&sealed, &encoded.private_pkcs8)
        || string(&state, "public_key_pem").as_deref() != Some(&encoded.public_pem)
    {
        return Err(mismatch(PRIVATE_KEY, working_dir));
    }
    let fresh = build_state(state.clone(), encoded)?;
    for name in ["private_key_pem", "private_key_pem_pkcs8", "private_key_openssh"] {
        set(&mut state, name, fresh.get(name).clone());
    }
    Ok(state)
}

fn build_state(mut state: Value, key: Encoded) -> Result<Value, ProviderError> {
    let s = &mut state;
    use sha1::Digest as _;
    set(s, "id", Value::String(hex::encode(sha1::Sha1::digest(&key.public_der))));
    set(s, "private_key_pem", Value::String(key.private_pem).mark());
    set(s, "private_key_pem_pkcs8", Value::String(key.private_pkcs8).mark());
    set(s, "public_key_pem", Value::String(key.public_pem));
    match key.ssh {
        Some(data) => {
            let private = PrivateKey::new(data, "").map_err(|e| crypto_error("encoding the key for OpenSSH", e))?;
            let public = private.public_key();
            let wire = public
                .to_bytes()
                .map_err(|e| crypto_error("encoding the public key for OpenSSH", e))?;
            let md5: Vec<String> = md5::Md5::digest(&wire).iter().map(|b| format!("{b:02x}")).collect();
            let sha256 =
                base64::engine::general_purpose::STANDARD_NO_PAD.encode(<sha2::Sha256 as sha2::Digest>::digest(&wire));
            let line = public
                .to_openssh()
                .map_err(|e| crypto_error("encoding the public key for OpenSSH", e))?;
            let openssh = private
                .to_openssh(LineEnding::LF)
                .map_err(|e| crypto_error("encoding the key for OpenSSH", e))?;
            set(s, "private_key_openssh", Value::String(openssh.to_string()).mark());
            set(s, "public_key_openssh", Value::String(format!("{}\n", line.trim_end())));
            set(s, "public_key_fingerprint_md5", Value::String(md5.join(":")));
            set(
                s,
                "public_key_fingerprint_sha256",
                Value::String(format!("SHA256:{sha256}")),
            );
        }
        None => {
            set(s, "private_key_openssh", Value::string("").mark());
            for name in [
                "public_key_openssh",
                "public_key_fingerprint_md5",
                "public_key_fingerprint_sha256",
            ] {
                set(s, name, Value::string(""));
            }
        }
    }
    Ok(state)
}

#[async_trait]
impl Family for Tls {
    fn name(&self) -> &'static str {
        "tls"
    }

    fn about(&self) -> &'static str {
        "Private keys generated at create (`tls_private_key`). No settings."
    }

    fn resources(&self) -> Vec<(&'static str, &'static Schema)> {
        vec![(PRIVATE_KEY, schema())]
    }

    fn validate(&self, _type_name: &str, config: &Value) -> Vec<ProviderDiagnostic> {
        validate(config)
    }

    fn plan(
        &self,
        working_dir: &Path,
        _type_name: &str,
        prior: Option<&Value>,
        config: &Value,
    ) -> Result<PlanResponse, ProviderError> {
        // Without a refresh the prior comes straight from state: generate its key again here.
        let prior = prior.map(|p| rederive(working_dir, p.clone())).transpose()?;
        let mut resp = default_plan(schema(), prior.as_ref(), config);
        default_to(&mut resp.planned, config, "rsa_bits", Value::int(2048));
        default_to(&mut resp.planned, config, "ecdsa_curve", Value::string("P224"));
        Ok(resp)
    }

    fn read(&self, working_dir: &Path, _type_name: &str, state: Value) -> Result<Option<Value>, ProviderError> {
        rederive(working_dir, state).map(Some)
    }

    async fn apply(
        &self,
        working_dir: &Path,
        _type_name: &str,
        prior: Option<Value>,
        planned: Option<Value>,
    ) -> Result<Option<Value>, ProviderError> {
        let Some(mut state) = planned else {
            return Ok(None);
        };
        if let Some(prior) = prior {
            // Every argument forces replacement: an update only spells out defaults.
            let prior = rederive(working_dir, prior)?;
            for (name, attr) in &schema().attributes {
                if attr.computed && !attr.optional {
                    set(&mut state, name, prior.get(name).clone());
                }
            }
            return Ok(Some(state));
        }
        let dir = working_dir.to_path_buf();
        let args = state.clone();
        // RSA key generation takes a while: off the async threads.
        let (sealed, key) = tokio::task::spawn_blocking(move || {
            let key = UtilityKey::load_or_create(&dir)?;
            let nonce = UtilityKey::new_nonce();
            let encoded = derive(&key, &nonce, &args)?;
            Ok::<_, ProviderError>((key.seal(&nonce, &encoded.private_pkcs8), encoded))
        })
        .await
        .map_err(|e| ProviderError::new(format!("generating the key: {e}")))??;
        set(&mut state, SECRET_NONCE, Value::String(sealed));
        build_state(state, key).map(Some)
    }
}
