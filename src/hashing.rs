//! HMAC primitives: WooCommerce's `wc_api_hash()` and the two OAuth signature MACs.
//!
//! `wc_api_hash($data)` is `hash_hmac('sha256', $data, 'wc-api')`: the key never changes,
//! so its HMAC state (the SHA-256 of the padded key, inner and outer) is computed once per
//! process and reused. That halves the SHA-256 work per call compared with PHP, which
//! rebuilds the key pads on every `hash_hmac()` call.
//!
//! SHA-256 comes from `ring` (assembly with SHA-NI where the CPU has it). SHA-1 comes from
//! the RustCrypto `sha1` crate, which also uses SHA-NI when present; ring's SHA-1 is
//! portable Rust and measurably slower than PHP's C implementation.

use std::sync::OnceLock;

use ring::hmac;
use sha1::{Digest, Sha1};

use crate::encoding::hex_lower_into;

/// The literal HMAC key of `wc_api_hash()`; there is no per-site salt.
pub const API_HASH_KEY: &[u8] = b"wc-api";

/// Length of `wc_api_hash()` output: 32 bytes as lowercase hex.
pub const API_HASH_HEX_LEN: usize = 64;

/// The HMAC-SHA256 key for `wc-api`, with its pads hashed once per process.
fn api_hash_key() -> &'static hmac::Key {
    static KEY: OnceLock<hmac::Key> = OnceLock::new();
    KEY.get_or_init(|| hmac::Key::new(hmac::HMAC_SHA256, API_HASH_KEY))
}

/// Raw 32-byte HMAC-SHA256 of `data` under the key `wc-api`.
#[must_use]
pub fn api_hash_raw(data: &[u8]) -> [u8; 32] {
    let tag = hmac::sign(api_hash_key(), data);
    let mut out = [0u8; 32];
    out.copy_from_slice(tag.as_ref());
    out
}

/// Writes `wc_api_hash(data)` (64 lowercase hex characters) into `out`.
#[inline]
pub fn api_hash_into(data: &[u8], out: &mut [u8; API_HASH_HEX_LEN]) {
    hex_lower_into(&api_hash_raw(data), out);
}

/// `wc_api_hash($data)`: 64 lowercase hex characters.
#[must_use]
pub fn api_hash(data: &[u8]) -> String {
    let mut out = [0u8; API_HASH_HEX_LEN];
    api_hash_into(data, &mut out);
    // Hex digits are ASCII.
    out.iter().copied().map(char::from).collect()
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

    /// The method's OAuth name.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::HmacSha1 => "HMAC-SHA1",
            Self::HmacSha256 => "HMAC-SHA256",
        }
    }
}

/// A MAC output of either method; SHA-1 gives 20 bytes, SHA-256 32.
#[derive(Debug, Clone, Copy)]
pub struct Mac {
    bytes: [u8; 32],
    len: usize,
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
        SignatureMethod::HmacSha256 => {
            let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), message);
            let mut bytes = [0u8; 32];
            bytes.copy_from_slice(tag.as_ref());
            Mac { bytes, len: 32 }
        }
        SignatureMethod::HmacSha1 => {
            let mut bytes = [0u8; 32];
            bytes[..20].copy_from_slice(&hmac_sha1(key, message));
            Mac { bytes, len: 20 }
        }
    }
}

/// HMAC-SHA1 (RFC 2104) over the `sha1` crate, which has no HMAC of its own here.
fn hmac_sha1(key: &[u8], message: &[u8]) -> [u8; 20] {
    const BLOCK: usize = 64;
    let mut block_key = [0u8; BLOCK];
    if key.len() > BLOCK {
        block_key[..20].copy_from_slice(&Sha1::digest(key));
    } else {
        block_key[..key.len()].copy_from_slice(key);
    }
    let mut ipad = [0x36u8; BLOCK];
    let mut opad = [0x5cu8; BLOCK];
    for ((i, o), k) in ipad.iter_mut().zip(opad.iter_mut()).zip(block_key) {
        *i ^= k;
        *o ^= k;
    }
    let mut inner = Sha1::new();
    inner.update(ipad);
    inner.update(message);
    let inner_hash = inner.finalize();
    let mut outer = Sha1::new();
    outer.update(opad);
    outer.update(inner_hash);
    let mut out = [0u8; 20];
    out.copy_from_slice(&outer.finalize());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::hex_lower;

    #[test]
    fn api_hash_contract_vector() {
        // wc-contract.md §2.4
        assert_eq!(
            api_hash(b"ck_0123456789abcdef0123456789abcdef01234567"),
            "4ffbd479cad9f24fb43a1516cb436a9dad0e2e23ef491464e29c2d81dae32edd"
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
