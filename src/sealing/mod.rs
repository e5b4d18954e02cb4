//! Sealed secrets: consumer secrets encrypted at rest, with a key that is not in the database.
//!
//! * [`key`]: the 32-byte sealing key, read from a file, its public fingerprint, and the
//!   keyring of the current key and, during a rotation, the previous one;
//! * [`format`]: the sealed form of a secret, `ksv1:` + base64(nonce ‖ ciphertext ‖ tag), made
//!   and opened with ChaCha20-Poly1305 (IETF, 96-bit random nonce), the key row's stored
//!   `consumer_key` hash as associated data.
//!
//! The pure-PHP twin implements the same format with libsodium
//! (`sodium_crypto_aead_chacha20poly1305_ietf_*`); tests/vectors/sealing.json holds the bytes
//! both must produce and accept. Nothing here knows PHP: the binding (`php/sealing.rs`) decides
//! which PHP function may do what with it.

pub mod format;
pub mod key;
