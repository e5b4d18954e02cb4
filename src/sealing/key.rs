//! The sealing key: 32 random bytes kept in a file outside the database.
//!
//! A key is identified in public (Site Health, `wp keysmith doctor`, Keysmith's metadata table,
//! which records which key sealed each value) by its fingerprint: the first 8 bytes of
//! HMAC-SHA256(key, [`FINGERPRINT_LABEL`]) as 16 lowercase hex. It tells two keys apart and
//! reveals nothing usable about the key (a 256-bit key cannot be searched for from 64 bits of a
//! MAC of it).

use std::fmt;
use std::fs::File;
use std::io::{ErrorKind, Read};
use std::path::Path;

use ring::aead::{LessSafeKey, UnboundKey, CHACHA20_POLY1305};
use ring::hmac;

use crate::encoding::hex_lower_into;

/// Length of a sealing key in bytes (ChaCha20's key size).
pub const KEY_LEN: usize = 32;

/// Length of a fingerprint: 8 bytes as hex.
pub const FINGERPRINT_LEN: usize = 16;

/// The message whose MAC under the key is its fingerprint. Versioned, so a later scheme can
/// tell its fingerprints from these.
pub const FINGERPRINT_LABEL: &[u8] = b"keysmith sealing key fingerprint v1";

/// A sealing key, ready to seal and open, with its fingerprint.
pub struct SealingKey {
    aead: LessSafeKey,
    fingerprint: [u8; FINGERPRINT_LEN],
}

impl SealingKey {
    /// A key from its 32 bytes.
    ///
    /// # Errors
    /// [`KeyError::WrongSize`] unless `bytes` is exactly [`KEY_LEN`] long.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, KeyError> {
        if bytes.len() != KEY_LEN {
            return Err(KeyError::WrongSize {
                len: u64::try_from(bytes.len()).unwrap_or(u64::MAX),
            });
        }
        let unbound =
            UnboundKey::new(&CHACHA20_POLY1305, bytes).map_err(|_| KeyError::WrongSize {
                len: u64::try_from(bytes.len()).unwrap_or(u64::MAX),
            })?;
        Ok(Self {
            aead: LessSafeKey::new(unbound),
            fingerprint: fingerprint(bytes),
        })
    }

    /// Reads a key file: exactly [`KEY_LEN`] bytes, nothing else (no newline, no encoding).
    ///
    /// At most one byte more than a key is read, so pointing the setting at a large file by
    /// mistake costs nothing; its size is then taken from the file system.
    ///
    /// # Errors
    /// [`KeyError::Missing`], [`KeyError::Unreadable`] or [`KeyError::WrongSize`].
    pub fn from_file(path: &Path) -> Result<Self, KeyError> {
        let mut file = File::open(path).map_err(|e| KeyError::from_io(&e))?;
        let mut bytes = Vec::with_capacity(KEY_LEN + 1);
        let read = file
            .by_ref()
            .take(u64::try_from(KEY_LEN + 1).unwrap_or(u64::MAX))
            .read_to_end(&mut bytes);
        let result = match read {
            Err(e) => Err(KeyError::from_io(&e)),
            Ok(_) if bytes.len() > KEY_LEN => Err(KeyError::WrongSize {
                len: file.metadata().map_or(u64::MAX, |m| m.len()),
            }),
            Ok(_) => Self::from_bytes(&bytes),
        };
        bytes.fill(0);
        std::hint::black_box(&bytes);
        result
    }

    /// The key's public fingerprint (16 lowercase hex characters).
    #[must_use]
    pub fn fingerprint(&self) -> &[u8; FINGERPRINT_LEN] {
        &self.fingerprint
    }

    /// The AEAD key, for [`super::format`].
    pub(super) fn aead(&self) -> &LessSafeKey {
        &self.aead
    }
}

impl fmt::Debug for SealingKey {
    /// Never prints the key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SealingKey")
            .field("fingerprint", &String::from_utf8_lossy(&self.fingerprint))
            .finish_non_exhaustive()
    }
}

/// The fingerprint of key bytes: hex of the first 8 bytes of HMAC-SHA256(key, label).
#[must_use]
pub fn fingerprint(key: &[u8]) -> [u8; FINGERPRINT_LEN] {
    let mac = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), FINGERPRINT_LABEL);
    let mut out = [0u8; FINGERPRINT_LEN];
    hex_lower_into(&mac.as_ref()[..FINGERPRINT_LEN / 2], &mut out);
    out
}

/// Why a key file gives no key. The wording is shared with the pure-PHP twin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    /// No file at the path.
    Missing,
    /// The file exists but this process may not read it.
    PermissionDenied,
    /// Any other read failure (a directory, an I/O error).
    Unreadable,
    /// The file does not hold exactly [`KEY_LEN`] bytes.
    WrongSize {
        /// Its size in bytes.
        len: u64,
    },
}

impl KeyError {
    fn from_io(error: &std::io::Error) -> Self {
        match error.kind() {
            ErrorKind::NotFound => Self::Missing,
            ErrorKind::PermissionDenied => Self::PermissionDenied,
            _ => Self::Unreadable,
        }
    }

    /// A sentence about the key file at `path`, for people (Site Health, doctor).
    #[must_use]
    pub fn describe(&self, path: &str) -> String {
        match self {
            Self::Missing => format!("The sealing key file {path} does not exist."),
            Self::PermissionDenied => {
                format!("The sealing key file {path} is not readable by this process (permission denied).")
            }
            Self::Unreadable => format!("The sealing key file {path} cannot be read."),
            Self::WrongSize { len } => format!(
                "The sealing key file {path} holds {len} bytes; a sealing key is exactly {KEY_LEN} bytes."
            ),
        }
    }
}

/// The keys a process holds: the current one (seals and opens) and, during a rotation, the
/// previous one (opens only).
#[derive(Debug, Default)]
pub struct Keyring {
    /// Seals new values; opens first.
    pub current: Option<SealingKey>,
    /// Opens values the current key cannot.
    pub previous: Option<SealingKey>,
}

impl Keyring {
    /// The keys that may open a value, current first.
    pub fn openers(&self) -> impl Iterator<Item = &SealingKey> {
        self.current.iter().chain(self.previous.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_sizes_are_refused() {
        for len in [0, 1, 31, 33, 64] {
            assert_eq!(
                SealingKey::from_bytes(&vec![7; len]).err(),
                Some(KeyError::WrongSize { len: len as u64 })
            );
        }
        assert!(SealingKey::from_bytes(&[7; 32]).is_ok());
    }

    #[test]
    fn fingerprint_is_hmac_of_the_label() {
        // Written out independently: HMAC-SHA256 keyed 32 zero bytes, computed with ring here
        // only as the reference for the crate's truncation and hex.
        let key = [0u8; 32];
        let mac = ring::hmac::sign(
            &ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &key),
            b"keysmith sealing key fingerprint v1",
        );
        let expected: String = mac.as_ref()[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(&fingerprint(&key)[..], expected.as_bytes());
        assert_ne!(fingerprint(&[0u8; 32]), fingerprint(&[1u8; 32]));
    }

    #[test]
    fn key_files() {
        let dir = std::env::temp_dir().join(format!("keysmith-key-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_default();
        let good = dir.join("good.key");
        let long = dir.join("long.key");
        let short = dir.join("short.key");
        std::fs::write(&good, [9u8; 32]).unwrap_or_default();
        std::fs::write(&long, [9u8; 100]).unwrap_or_default();
        std::fs::write(&short, [9u8; 31]).unwrap_or_default();
        let key = SealingKey::from_file(&good);
        assert_eq!(
            key.map(|k| *k.fingerprint()).ok(),
            Some(fingerprint(&[9u8; 32]))
        );
        assert_eq!(
            SealingKey::from_file(&long).err(),
            Some(KeyError::WrongSize { len: 100 })
        );
        assert_eq!(
            SealingKey::from_file(&short).err(),
            Some(KeyError::WrongSize { len: 31 })
        );
        assert_eq!(
            SealingKey::from_file(&dir.join("absent.key")).err(),
            Some(KeyError::Missing)
        );
        assert_eq!(
            SealingKey::from_file(&dir).err(),
            Some(KeyError::Unreadable)
        );
        std::fs::remove_dir_all(&dir).unwrap_or_default();
    }

    #[test]
    fn debug_never_shows_the_key() {
        let key = SealingKey::from_bytes(&[0x41; 32]);
        let shown = format!("{key:?}");
        assert!(!shown.contains("AAAA"), "{shown}");
        assert!(shown.contains("fingerprint"), "{shown}");
    }
}
