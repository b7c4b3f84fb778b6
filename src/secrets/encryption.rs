//! Client-side encryption of state and plan files (AES-256-GCM).
//!
//! `plinth { encryption { key = secret("keyring:plinth/state-key") } }` turns it on. The key string
//! becomes a 256-bit key in one of two ways: exactly 64 hexadecimal digits are taken as the key
//! itself (`openssl rand -hex 32` makes one, the recommended kind); anything else is a passphrase
//! whose SHA-256 is the key (no stretching, so a passphrase must be long and random to be safe).
//!
//! An encrypted file, or journal line, is one JSON object that opens with its marker:
//!
//! ```text
//! {"plinth_encrypted":"aes-256-gcm","key_id":"3f1c0a9e5b7d2468","nonce":"<base64>","ciphertext":"<base64>"}
//! ```
//!
//! Each seal draws a fresh random 96-bit nonce. The ciphertext is bound to what it is (state,
//! journal line or plan: the AEAD associated data), so one cannot be passed off as another.
//! `key_id` is a fingerprint of the key (the first 8 bytes of a SHA-256 under a fixed label), so a
//! wrong key is told apart from a damaged file; it reveals nothing a ciphertext does not already
//! let an attacker check. This module knows nothing of files or the state format: backends and the
//! plan file reader decide what to seal.

use aes_gcm::Aes256Gcm;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The marker every encrypted file and journal line starts with.
pub const MARKER: &str = "plinth_encrypted";
/// The only algorithm written and read.
pub const ALGORITHM: &str = "aes-256-gcm";
const PREFIX: &[u8] = b"{\"plinth_encrypted\":";

/// What a sealed payload is; used as the AEAD associated data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// A state snapshot (`state.json` and its backup).
    State,
    /// One line of the state journal.
    Journal,
    /// A saved plan file.
    Plan,
    /// A key a shared backend keeps for its users (`hash.key`, `utility.key`).
    Key,
}

impl Purpose {
    fn aad(self) -> &'static [u8] {
        match self {
            Purpose::State => b"plinth-state",
            Purpose::Journal => b"plinth-journal",
            Purpose::Plan => b"plinth-plan",
            Purpose::Key => b"plinth-key",
        }
    }
}

/// A key for sealing and opening files. Its `Debug` shows only the key id.
#[derive(Clone)]
pub struct Cipher {
    key: [u8; 32],
    key_id: String,
}

impl std::fmt::Debug for Cipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Cipher(key_id {})", self.key_id)
    }
}

/// Why a sealed payload could not be opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    /// It was sealed with another key.
    #[error("it was encrypted with key id {found}, but the configured key has id {configured}")]
    WrongKey { found: String, configured: String },
    /// The marker is there but the rest is damaged or was tampered with.
    #[error("{0}")]
    Corrupt(String),
    /// Sealed by an algorithm this Plinth does not know.
    #[error("it was encrypted with {0:?}, which this Plinth does not support (only {ALGORITHM:?}); upgrade Plinth")]
    Unsupported(String),
}

#[derive(Serialize, Deserialize)]
struct Envelope {
    plinth_encrypted: String,
    key_id: String,
    nonce: String,
    ciphertext: String,
}

/// Whether `bytes` (a file or one journal line) is an encrypted envelope, judged by its marker.
pub fn is_sealed(bytes: &[u8]) -> bool {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    bytes[start..].starts_with(PREFIX)
}

impl Cipher {
    /// The key from a secret string: 64 hex digits are the key itself, anything else is hashed
    /// with SHA-256. An empty string is refused.
    pub fn from_secret(secret: &str) -> Result<Cipher, String> {
        if secret.is_empty() {
            return Err("the encryption key is empty".to_string());
        }
        let mut key = [0u8; 32];
        if secret.len() == 64
            && secret.bytes().all(|b| b.is_ascii_hexdigit())
            && hex::decode_to_slice(secret, &mut key).is_ok()
        {
            return Ok(Cipher::from_key(key));
        }
        key.copy_from_slice(&Sha256::digest(secret.as_bytes()));
        Ok(Cipher::from_key(key))
    }

    /// A cipher over raw key bytes.
    pub fn from_key(key: [u8; 32]) -> Cipher {
        let mut h = Sha256::new();
        h.update(b"plinth key id\0");
        h.update(key);
        let key_id = hex::encode(&h.finalize()[..8]);
        Cipher { key, key_id }
    }

    /// The key's fingerprint, as written into every envelope.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    fn aead(&self) -> Aes256Gcm {
        Aes256Gcm::new(&self.key.into())
    }

    /// Encrypts `plain` into a one-line JSON envelope (no trailing newline).
    pub fn seal(&self, purpose: Purpose, plain: &[u8]) -> String {
        // uuid v4 draws from the OS random source; 12 of its bytes make the nonce.
        let random = uuid::Uuid::new_v4();
        let mut nonce = [0u8; 12];
        nonce.copy_from_slice(&random.as_bytes()[..12]);
        let ciphertext = self
            .aead()
            .encrypt(
                &nonce.into(),
                Payload {
                    msg: plain,
                    aad: purpose.aad(),
                },
            )
            // AES-GCM encryption fails only for inputs beyond 64 GiB.
            .unwrap_or_default();
        let b64 = base64::engine::general_purpose::STANDARD;
        let envelope = Envelope {
            plinth_encrypted: ALGORITHM.to_string(),
            key_id: self.key_id.clone(),
            nonce: b64.encode(nonce),
            ciphertext: b64.encode(ciphertext),
        };
        serde_json::to_string(&envelope).unwrap_or_default()
    }

    /// Decrypts an envelope written by [`Cipher::seal`] for the same purpose.
    pub fn open(&self, purpose: Purpose, sealed: &[u8]) -> Result<Vec<u8>, OpenError> {
        let envelope: Envelope = serde_json::from_slice(sealed)
            .map_err(|e| OpenError::Corrupt(format!("the encryption envelope is damaged ({e})")))?;
        if envelope.plinth_encrypted != ALGORITHM {
            return Err(OpenError::Unsupported(envelope.plinth_encrypted));
        }
        if envelope.key_id != self.key_id {
            return Err(OpenError::WrongKey {
                found: envelope.key_id,
                configured: self.key_id.clone(),
            });
        }
        let b64 = base64::engine::general_purpose::STANDARD;
        let nonce = b64
            .decode(&envelope.nonce)
            .ok()
            .and_then(|n| <[u8; 12]>::try_from(n.as_slice()).ok())
            .ok_or_else(|| OpenError::Corrupt("the nonce is not 12 bytes of base64".to_string()))?;
        let ciphertext = b64
            .decode(&envelope.ciphertext)
            .map_err(|e| OpenError::Corrupt(format!("the ciphertext is not base64 ({e})")))?;
        self.aead()
            .decrypt(
                &nonce.into(),
                Payload {
                    msg: &ciphertext,
                    aad: purpose.aad(),
                },
            )
            .map_err(|_| {
                OpenError::Corrupt("the ciphertext does not authenticate: it was damaged or altered".to_string())
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_with_fresh_nonces() {
        let c = Cipher::from_secret("correct horse battery staple").expect("key");
        let a = c.seal(Purpose::State, b"{\"hello\": 1}");
        let b = c.seal(Purpose::State, b"{\"hello\": 1}");
        assert_ne!(a, b, "every seal uses a new nonce");
        assert!(is_sealed(a.as_bytes()));
        assert!(a.starts_with("{\"plinth_encrypted\":\"aes-256-gcm\""), "{a}");
        assert!(!a.contains("hello"));
        assert_eq!(c.open(Purpose::State, a.as_bytes()).expect("open"), b"{\"hello\": 1}");
    }

    #[test]
    fn wrong_key_purpose_and_tampering_are_told_apart() {
        let c = Cipher::from_secret("key one").expect("key");
        let d = Cipher::from_secret("key two").expect("key");
        let sealed = c.seal(Purpose::Journal, b"line");
        assert!(matches!(
            d.open(Purpose::Journal, sealed.as_bytes()),
            Err(OpenError::WrongKey { .. })
        ));
        assert!(matches!(
            c.open(Purpose::State, sealed.as_bytes()),
            Err(OpenError::Corrupt(_))
        ));
        let mut json: serde_json::Value = serde_json::from_str(&sealed).expect("json");
        json["ciphertext"] = serde_json::Value::String("AAAAAAAAAAAAAAAAAAAAAAAA".into());
        let tampered = json.to_string();
        assert!(matches!(
            c.open(Purpose::Journal, tampered.as_bytes()),
            Err(OpenError::Corrupt(_))
        ));
        assert!(matches!(
            c.open(Purpose::Journal, b"{\"plinth_encrypted\":\"aes-256"),
            Err(OpenError::Corrupt(_))
        ));
    }

    #[test]
    fn hex_keys_are_taken_as_is_and_passphrases_hashed() {
        let hex_key = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
        let raw = Cipher::from_secret(hex_key).expect("hex");
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(hex_key, &mut bytes).expect("hex");
        assert_eq!(raw.key_id(), Cipher::from_key(bytes).key_id());
        let hashed = Cipher::from_secret("passphrase").expect("pass");
        let digest: [u8; 32] = Sha256::digest(b"passphrase").into();
        assert_eq!(hashed.key_id(), Cipher::from_key(digest).key_id());
        assert!(Cipher::from_secret("").is_err());
        assert!(!format!("{raw:?}").contains("0011"), "Debug shows only the key id");
    }

    #[test]
    fn plaintext_is_not_taken_for_sealed() {
        assert!(!is_sealed(b"{\n  \"version\": 1\n}"));
        assert!(is_sealed(b"  {\"plinth_encrypted\":\"x\"}"));
        assert!(!is_sealed(b""));
    }
}
