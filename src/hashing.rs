//! HMAC primitives: WooCommerce's `wc_api_hash()` and the two OAuth signature MACs.
//!
//! HMAC is written here over the raw SHA-1 / SHA-256 block functions of the RustCrypto
//! `sha1` / `sha2` crates, which use the CPU's SHA extensions (SHA-NI) when present. Working
//! at block level is what makes the hot paths fast:
//! * `wc_api_hash($data)` is `hash_hmac('sha256', $data, 'wc-api')`: the key never changes,
//!   so the hashed key pads are computed once per process; hashing a 43-byte consumer key
//!   is then exactly two block compressions and nothing else (PHP does four, plus setup);
//! * OAuth signatures hash a few hundred bytes with a per-request key; SHA-1 from `ring` is
//!   portable Rust and slower than PHP's C, while SHA-NI SHA-1 is several times faster.
//!
//! `ring` is used for randomness only (see `keys`).

use std::sync::OnceLock;

use sha1::block_api::compress as sha1_compress;
use sha2::block_api::compress256;

use crate::encoding::hex_lower_into;

/// The literal HMAC key of `wc_api_hash()`; there is no per-site salt.
pub const API_HASH_KEY: &[u8] = b"wc-api";

/// Length of `wc_api_hash()` output: 32 bytes as lowercase hex.
pub const API_HASH_HEX_LEN: usize = 64;

/// Block size of SHA-1 and SHA-256.
const BLOCK: usize = 64;

/// A Merkle–Damgård hash seen through its block function: enough to build HMAC.
trait BlockHash {
    /// Chaining state.
    type State: Copy;
    /// Digest length in bytes.
    const OUT: usize;
    /// Initial state (FIPS 180-4).
    const IV: Self::State;
    /// Processes whole blocks.
    fn compress(state: &mut Self::State, blocks: &[[u8; BLOCK]]);
    /// Writes the big-endian digest of a final state into `out[..OUT]`.
    fn write_digest(state: &Self::State, out: &mut [u8; 32]);
}

/// SHA-256 block function.
enum Sha256 {}

impl BlockHash for Sha256 {
    type State = [u32; 8];
    const OUT: usize = 32;
    const IV: [u32; 8] = [
        0x6a09_e667,
        0xbb67_ae85,
        0x3c6e_f372,
        0xa54f_f53a,
        0x510e_527f,
        0x9b05_688c,
        0x1f83_d9ab,
        0x5be0_cd19,
    ];
    fn compress(state: &mut [u32; 8], blocks: &[[u8; BLOCK]]) {
        compress256(state, blocks);
    }
    fn write_digest(state: &[u32; 8], out: &mut [u8; 32]) {
        for (chunk, word) in out.chunks_exact_mut(4).zip(state) {
            chunk.copy_from_slice(&word.to_be_bytes());
        }
    }
}

/// SHA-1 block function.
enum Sha1 {}

impl BlockHash for Sha1 {
    type State = [u32; 5];
    const OUT: usize = 20;
    const IV: [u32; 5] = [
        0x6745_2301,
        0xefcd_ab89,
        0x98ba_dcfe,
        0x1032_5476,
        0xc3d2_e1f0,
    ];
    fn compress(state: &mut [u32; 5], blocks: &[[u8; BLOCK]]) {
        sha1_compress(state, blocks);
    }
    fn write_digest(state: &[u32; 5], out: &mut [u8; 32]) {
        for (chunk, word) in out.chunks_exact_mut(4).zip(state) {
            chunk.copy_from_slice(&word.to_be_bytes());
        }
    }
}

/// Hashes `data` from `state`, `prefix_len` bytes (whole blocks) having already been
/// absorbed into it, and applies the final padding.
fn finish<H: BlockHash>(mut state: H::State, prefix_len: usize, data: &[u8]) -> H::State {
    let (blocks, rest) = data.as_chunks::<BLOCK>();
    H::compress(&mut state, blocks);
    let mut tail = [0u8; 2 * BLOCK];
    tail[..rest.len()].copy_from_slice(rest);
    tail[rest.len()] = 0x80;
    let tail_len = if rest.len() + 9 <= BLOCK {
        BLOCK
    } else {
        2 * BLOCK
    };
    // Message length in bits; lengths of in-memory data fit in u64.
    let bits = ((prefix_len + data.len()) as u64).wrapping_mul(8);
    tail[tail_len - 8..tail_len].copy_from_slice(&bits.to_be_bytes());
    let (tail_blocks, _) = tail[..tail_len].as_chunks::<BLOCK>();
    H::compress(&mut state, tail_blocks);
    state
}

/// HMAC key schedule: the states after absorbing `key ^ ipad` and `key ^ opad`.
#[derive(Clone, Copy)]
struct HmacKey<H: BlockHash> {
    inner: H::State,
    outer: H::State,
}

impl<H: BlockHash> HmacKey<H> {
    fn new(key: &[u8]) -> Self {
        let mut block_key = [0u8; BLOCK];
        if key.len() > BLOCK {
            let mut digest = [0u8; 32];
            H::write_digest(&finish::<H>(H::IV, 0, key), &mut digest);
            block_key[..H::OUT].copy_from_slice(&digest[..H::OUT]);
        } else {
            block_key[..key.len()].copy_from_slice(key);
        }
        let mut ipad = [[0x36u8; BLOCK]];
        let mut opad = [[0x5cu8; BLOCK]];
        for ((i, o), k) in ipad[0].iter_mut().zip(opad[0].iter_mut()).zip(block_key) {
            *i ^= k;
            *o ^= k;
        }
        let mut inner = H::IV;
        H::compress(&mut inner, &ipad);
        let mut outer = H::IV;
        H::compress(&mut outer, &opad);
        Self { inner, outer }
    }

    /// The MAC of `message`, in `out[..H::OUT]`.
    fn sign(&self, message: &[u8], out: &mut [u8; 32]) {
        let mut inner_digest = [0u8; 32];
        H::write_digest(&finish::<H>(self.inner, BLOCK, message), &mut inner_digest);
        H::write_digest(
            &finish::<H>(self.outer, BLOCK, &inner_digest[..H::OUT]),
            out,
        );
    }
}

/// The HMAC-SHA256 key `wc-api`, with its pads hashed once per process.
fn api_hash_key() -> &'static HmacKey<Sha256> {
    static KEY: OnceLock<HmacKey<Sha256>> = OnceLock::new();
    KEY.get_or_init(|| HmacKey::new(API_HASH_KEY))
}

/// Raw 32-byte HMAC-SHA256 of `data` under the key `wc-api`.
#[must_use]
pub fn api_hash_raw(data: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    api_hash_key().sign(data, &mut out);
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

/// `wc_api_hash($data)`: 64 lowercase hex characters.
#[must_use]
pub fn api_hash(data: &[u8]) -> String {
    // Hex digits are ASCII, so the conversion cannot fail.
    String::from_utf8(api_hash_hex(data).to_vec()).unwrap_or_default()
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
    let mut bytes = [0u8; 32];
    let len = match method {
        SignatureMethod::HmacSha256 => {
            HmacKey::<Sha256>::new(key).sign(message, &mut bytes);
            Sha256::OUT
        }
        SignatureMethod::HmacSha1 => {
            HmacKey::<Sha1>::new(key).sign(message, &mut bytes);
            Sha1::OUT
        }
    };
    Mac { bytes, len }
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
