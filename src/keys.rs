//! WooCommerce API key generation (docs/woocommerce-compatibility.md §2).
//!
//! A key pair is `ck_` + 40 lowercase hex and `cs_` + 40 lowercase hex, each hex part
//! being 20 bytes from the operating system's CSPRNG (what `wc_rand_hash()` does with
//! `openssl_random_pseudo_bytes(20)`). WooCommerce stores `wc_api_hash(ck)` and the last 7
//! characters of `ck`.
//!
//! Speed matters for bulk creation, so randomness is drawn in one `getrandom` call per
//! batch of keys rather than twice per key, and each record is produced in fixed-size
//! stack buffers handed to a sink (the PHP binding turns them straight into PHP strings,
//! without an intermediate `Vec` of records).

use ring::rand::{SecureRandom, SystemRandom};

use crate::encoding::hex_lower_into;
use crate::error::Error;
use crate::hashing::{api_hash_into, API_HASH_HEX_LEN};

/// Smallest `generate_keys()` count.
pub const MIN_KEYS: i64 = 1;
/// Largest `generate_keys()` count: bounds memory use of one call (about 400 MB of PHP
/// arrays at the limit).
pub const MAX_KEYS: i64 = 1_000_000;

/// Random bytes behind each of `ck_` and `cs_` (as `wc_rand_hash()`).
pub const RANDOM_BYTES: usize = 20;
/// Length of a consumer key or secret: prefix plus 40 hex characters.
pub const KEY_LEN: usize = 3 + 2 * RANDOM_BYTES;
/// Length of the stored truncated key (`substr($ck, -7)`).
pub const TRUNCATED_LEN: usize = 7;

/// Keys generated per CSPRNG draw: 1024 keys need 40 KiB of randomness, one syscall.
const BATCH: usize = 1024;

/// One generated key, as WooCommerce would create it.
#[derive(Clone, PartialEq, Eq)]
pub struct GeneratedKey {
    /// Plaintext consumer key, `ck_` + 40 hex.
    pub consumer_key: [u8; KEY_LEN],
    /// Plaintext consumer secret, `cs_` + 40 hex.
    pub consumer_secret: [u8; KEY_LEN],
    /// `wc_api_hash(consumer_key)`, the value WooCommerce stores as `consumer_key`.
    pub key_hash: [u8; API_HASH_HEX_LEN],
}

impl GeneratedKey {
    /// The last 7 characters of the consumer key.
    #[must_use]
    pub fn truncated_key(&self) -> &[u8] {
        &self.consumer_key[KEY_LEN - TRUNCATED_LEN..]
    }

    /// Builds the record from 40 random bytes (20 for the key, 20 for the secret).
    #[must_use]
    pub fn from_random(random: &[u8; 2 * RANDOM_BYTES]) -> Self {
        let mut consumer_key = [0u8; KEY_LEN];
        consumer_key[..3].copy_from_slice(b"ck_");
        hex_lower_into(&random[..RANDOM_BYTES], &mut consumer_key[3..]);
        let mut consumer_secret = [0u8; KEY_LEN];
        consumer_secret[..3].copy_from_slice(b"cs_");
        hex_lower_into(&random[RANDOM_BYTES..], &mut consumer_secret[3..]);
        let mut key_hash = [0u8; API_HASH_HEX_LEN];
        api_hash_into(&consumer_key, &mut key_hash);
        Self {
            consumer_key,
            consumer_secret,
            key_hash,
        }
    }
}

impl std::fmt::Debug for GeneratedKey {
    /// Never prints the secret: debug output can end up in logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GeneratedKey")
            .field("consumer_key", &String::from_utf8_lossy(&self.consumer_key))
            .field("consumer_secret", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// Validates a requested key count.
///
/// # Errors
/// [`Error::CountOutOfRange`] unless `MIN_KEYS <= count <= MAX_KEYS`.
pub fn check_count(count: i64) -> Result<usize, Error> {
    if (MIN_KEYS..=MAX_KEYS).contains(&count) {
        usize::try_from(count).map_err(|_| Error::CountOutOfRange)
    } else {
        Err(Error::CountOutOfRange)
    }
}

/// Generates `count` keys and hands each to `sink`, in order.
///
/// The sink may fail (for example when PHP cannot allocate); its error stops generation.
///
/// # Errors
/// [`Error::RandomUnavailable`] if the CSPRNG fails, or the sink's error.
pub fn generate<E: From<Error>>(
    count: usize,
    mut sink: impl FnMut(&GeneratedKey) -> Result<(), E>,
) -> Result<(), E> {
    let rng = SystemRandom::new();
    let mut random = vec![0u8; BATCH.min(count) * 2 * RANDOM_BYTES];
    let mut remaining = count;
    while remaining > 0 {
        let batch = remaining.min(BATCH);
        let bytes = &mut random[..batch * 2 * RANDOM_BYTES];
        rng.fill(bytes).map_err(|_| Error::RandomUnavailable)?;
        for chunk in bytes.chunks_exact(2 * RANDOM_BYTES) {
            let mut seed = [0u8; 2 * RANDOM_BYTES];
            seed.copy_from_slice(chunk);
            sink(&GeneratedKey::from_random(&seed))?;
        }
        // Random bytes are secrets until used; do not leave them in the buffer.
        bytes.fill(0);
        remaining -= batch;
    }
    Ok(())
}

/// Generates one key.
///
/// # Errors
/// [`Error::RandomUnavailable`] if the CSPRNG fails.
pub fn generate_one() -> Result<GeneratedKey, Error> {
    let mut seed = [0u8; 2 * RANDOM_BYTES];
    SystemRandom::new()
        .fill(&mut seed)
        .map_err(|_| Error::RandomUnavailable)?;
    Ok(GeneratedKey::from_random(&seed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_key(bytes: &[u8], prefix: &[u8]) -> bool {
        bytes.len() == KEY_LEN
            && bytes.starts_with(prefix)
            && bytes[3..]
                .iter()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    }

    #[test]
    fn record_from_known_random_matches_contract() {
        let mut seed = [0u8; 40];
        let key_part: [u8; 20] = [
            0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab,
            0xcd, 0xef, 0x01, 0x23, 0x45, 0x67,
        ];
        seed[..20].copy_from_slice(&key_part);
        let key = GeneratedKey::from_random(&seed);
        assert_eq!(
            &key.consumer_key[..],
            b"ck_0123456789abcdef0123456789abcdef01234567"
        );
        assert_eq!(
            &key.key_hash[..],
            b"4ffbd479cad9f24fb43a1516cb436a9dad0e2e23ef491464e29c2d81dae32edd"
        );
        assert_eq!(key.truncated_key(), b"1234567");
        assert_eq!(
            &key.consumer_secret[..],
            b"cs_0000000000000000000000000000000000000000"
        );
    }

    #[test]
    fn generated_keys_have_the_formats_and_are_distinct() {
        let mut seen = std::collections::HashSet::new();
        generate::<Error>(3000, |key| {
            assert!(is_key(&key.consumer_key, b"ck_"));
            assert!(is_key(&key.consumer_secret, b"cs_"));
            let hmac = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, b"wc-api");
            let expected: String = ring::hmac::sign(&hmac, &key.consumer_key)
                .as_ref()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(&key.key_hash[..], expected.as_bytes());
            assert!(seen.insert(key.consumer_key));
            Ok(())
        })
        .unwrap_or_else(|e| panic!("generation failed: {e}"));
        assert_eq!(seen.len(), 3000);
        assert!(generate_one().is_ok());
    }

    #[test]
    fn count_bounds() {
        assert_eq!(check_count(1), Ok(1));
        assert_eq!(check_count(1_000_000), Ok(1_000_000));
        for bad in [0, -1, 1_000_001, 2_000_000, i64::MIN, i64::MAX] {
            assert_eq!(check_count(bad), Err(Error::CountOutOfRange));
        }
    }
}
