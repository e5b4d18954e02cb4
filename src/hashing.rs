//! HMAC primitives: WooCommerce's `wc_api_hash()` and the two OAuth signature MACs.
//!
//! HMAC is the RustCrypto `hmac` crate over the `sha1` / `sha2` crates, whose block
//! functions use the CPU's SHA extensions (SHA-NI) when present. Two things keep the hot
//! paths fast:
//! * `wc_api_hash($data)` is `hash_hmac('sha256', $data, 'wc-api')`: the key never changes,
//!   so the keyed HMAC state (both key pads already absorbed) is built once per process and
//!   cloned per call; hashing a 43-byte consumer key is then exactly two block compressions
//!   (PHP does four, plus setup);
//! * OAuth signatures hash a few hundred bytes with a per-request key; SHA-1 from `ring` is
//!   portable Rust and slower than PHP's C, while SHA-NI SHA-1 is several times faster.
//!
//! `ring` is used for randomness only (see `keys`).

use std::sync::OnceLock;

use hmac::block_api::HmacCore;
use hmac::digest::block_api::{Buffer, FixedOutputCore, UpdateCore};
use hmac::digest::Output;
use hmac::{EagerHash, KeyInit};
use sha1::Sha1;
use sha2::Sha256;

use crate::encoding::hex_lower_into;

/// The literal HMAC key of `wc_api_hash()`; there is no per-site salt.
const API_HASH_KEY: &[u8] = b"wc-api";

/// Length of `wc_api_hash()` output: 32 bytes as lowercase hex.
pub const API_HASH_HEX_LEN: usize = 64;

/// An HMAC state keyed with `key`, ready to absorb a message.
fn keyed<M: KeyInit>(key: &[u8]) -> M {
    // `new_from_slice` is the constructor shared with fixed-key MACs; HMAC takes keys of
    // every length (a key longer than a block is hashed first), so it never fails.
    M::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"))
}

/// The HMAC-SHA256 state keyed `wc-api` (both key pads absorbed), built once per process.
///
/// The block-level state (`HmacCore`, without `Hmac`'s input buffer) is what gets cloned:
/// cloning the high-level `Hmac` also copies its 64-byte buffer, which made a 43-byte hash
/// a fifth slower.
fn api_hash_key() -> &'static HmacCore<Sha256> {
    static KEY: OnceLock<HmacCore<Sha256>> = OnceLock::new();
    KEY.get_or_init(|| keyed(API_HASH_KEY))
}

/// Raw 32-byte HMAC-SHA256 of `data` under the key `wc-api`.
fn api_hash_raw(data: &[u8]) -> [u8; 32] {
    finish(api_hash_key().clone(), data).into()
}

/// Absorbs `message` into a keyed HMAC state and returns the MAC.
fn finish<D: EagerHash>(mut core: HmacCore<D>, message: &[u8]) -> Output<HmacCore<D>> {
    let mut buffer = Buffer::<HmacCore<D>>::default();
    buffer.digest_blocks(message, |blocks| core.update_blocks(blocks));
    let mut out = Output::<HmacCore<D>>::default();
    core.finalize_fixed_core(&mut buffer, &mut out);
    out
}

/// Writes `wc_api_hash(data)` (64 lowercase hex characters) into `out`.
#[inline]
pub fn api_hash_into(data: &[u8], out: &mut [u8; API_HASH_HEX_LEN]) {
    hex_lower_into(&api_hash_raw(data), out);
}

/// `wc_api_hash($data)` as 64 lowercase hex bytes, without allocating.
#[must_use]
pub fn api_hash_hex(data: &[u8]) -> [u8; API_HASH_HEX_LEN] {
    let mut out = [0u8; API_HASH_HEX_LEN];
    api_hash_into(data, &mut out);
    out
}

/// The two OAuth 1.0a signature methods WooCommerce accepts (case-sensitive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureMethod {
    /// `HMAC-SHA1`
    HmacSha1,
    /// `HMAC-SHA256`
    HmacSha256,
}

impl SignatureMethod {
    /// Parses the method name exactly as WooCommerce compares it (`===`, no trimming,
    /// no case folding); anything else is `None`.
    #[must_use]
    pub fn parse(name: &[u8]) -> Option<Self> {
        match name {
            b"HMAC-SHA1" => Some(Self::HmacSha1),
            b"HMAC-SHA256" => Some(Self::HmacSha256),
            _ => None,
        }
    }
}

/// A MAC output of either method; SHA-1 gives 20 bytes, SHA-256 32.
#[derive(Debug, Clone, Copy)]
pub struct Mac {
    bytes: [u8; 32],
    len: usize,
}

impl Mac {
    /// Copies a digest of at most 32 bytes.
    fn new(digest: &[u8]) -> Self {
        let mut bytes = [0u8; 32];
        let len = digest.len().min(bytes.len());
        bytes[..len].copy_from_slice(&digest[..len]);
        Self { bytes, len }
    }
}

impl AsRef<[u8]> for Mac {
    fn as_ref(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

/// HMAC of `message` under `key` with the given method (`hash_hmac(..., true)`).
#[must_use]
pub fn hmac(method: SignatureMethod, key: &[u8], message: &[u8]) -> Mac {
    match method {
        SignatureMethod::HmacSha256 => Mac::new(&sign::<Sha256>(key, message)),
        SignatureMethod::HmacSha1 => Mac::new(&sign::<Sha1>(key, message)),
    }
}

/// The MAC of `message` under `key`.
fn sign<D: EagerHash>(key: &[u8], message: &[u8]) -> Output<HmacCore<D>> {
    finish(keyed::<HmacCore<D>>(key), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex_lower(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn api_hash_contract_vector() {
        // docs/woocommerce-compatibility.md §2.4
        assert_eq!(
            api_hash_hex(b"ck_0123456789abcdef0123456789abcdef01234567"),
            *b"4ffbd479cad9f24fb43a1516cb436a9dad0e2e23ef491464e29c2d81dae32edd"
        );
    }

    #[test]
    fn hmac_rfc2202_and_rfc4231() {
        // RFC 2202 test case 2 (SHA-1) and RFC 4231 test case 2 (SHA-256).
        let sha1 = hmac(
            SignatureMethod::HmacSha1,
            b"Jefe",
            b"what do ya want for nothing?",
        );
        assert_eq!(
            hex_lower(sha1.as_ref()),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
        );
        let sha256 = hmac(
            SignatureMethod::HmacSha256,
            b"Jefe",
            b"what do ya want for nothing?",
        );
        assert_eq!(
            hex_lower(sha256.as_ref()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // RFC 2202 test case 6: a key longer than the block is hashed first.
        let long = hmac(
            SignatureMethod::HmacSha1,
            &[0xaa; 80],
            b"Test Using Larger Than Block-Size Key - Hash Key First",
        );
        assert_eq!(
            hex_lower(long.as_ref()),
            "aa4ae5e15272d00e95705637ce8a3b55ed402112"
        );
    }

    #[test]
    fn padding_boundaries_match_ring() {
        // Lengths around the one/two padding block boundary, checked against ring.
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, b"wc-api");
        for len in [0, 1, 54, 55, 56, 57, 63, 64, 65, 119, 120, 128, 200, 1000] {
            let data: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
            let expected = ring::hmac::sign(&key, &data);
            assert_eq!(&api_hash_raw(&data)[..], expected.as_ref(), "len {len}");
            let long_key = vec![0x5a; 100];
            let ring_key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &long_key);
            assert_eq!(
                hmac(SignatureMethod::HmacSha256, &long_key, &data).as_ref(),
                ring::hmac::sign(&ring_key, &data).as_ref()
            );
            let sha1_key = ring::hmac::Key::new(ring::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, b"k&");
            assert_eq!(
                hmac(SignatureMethod::HmacSha1, b"k&", &data).as_ref(),
                ring::hmac::sign(&sha1_key, &data).as_ref()
            );
        }
    }

    #[test]
    fn method_names_are_exact() {
        assert_eq!(
            SignatureMethod::parse(b"HMAC-SHA1"),
            Some(SignatureMethod::HmacSha1)
        );
        assert_eq!(SignatureMethod::parse(b"hmac-sha1"), None);
        assert_eq!(SignatureMethod::parse(b"HMAC-SHA256 "), None);
        assert_eq!(SignatureMethod::parse(b"PLAINTEXT"), None);
    }
}
