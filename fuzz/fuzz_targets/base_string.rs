//! The streaming base-string builder and `verify()` against the transcription of
//! WooCommerce's `check_oauth_signature()` in tests/oracle/woocommerce.rs (its own
//! `rawurlencode()`, its own PHP arrays, ring's HMAC).
//!
//! The input bytes are read as a request: method, URL, consumer secret, then a parameter
//! array of any shape (int and string keys, numeric-looking strings, nesting past the
//! 64-level limit), and what to send as `oauth_signature`.

#![no_main]

use keysmith::error::Error;
use keysmith::oauth::base_string::base_string;
use keysmith::oauth::params::MAX_DEPTH;
use keysmith::oauth::signature::verify;
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/oracle/mod.rs"]
mod oracle;

use oracle::php_array::{PhpArray, PhpKey, PhpValue};
use oracle::woocommerce::{check_oauth_signature, signature, string_to_sign, Refusal};

/// Reads the fuzzer's bytes front to back; past the end everything is zero or empty.
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn byte(&mut self) -> u8 {
        let (&first, rest) = self.0.split_first().unwrap_or((&0, &[]));
        self.0 = rest;
        first
    }

    /// A length byte, then that many bytes (at most `max`).
    fn bytes(&mut self, max: usize) -> Vec<u8> {
        let len = usize::from(self.byte()) % (max + 1);
        let len = len.min(self.0.len());
        let (taken, rest) = self.0.split_at(len);
        self.0 = rest;
        taken.to_vec()
    }

    fn int(&mut self) -> i64 {
        match self.byte() % 4 {
            0 => i64::from(self.byte() as i8),
            1 => i64::MIN,
            2 => i64::MAX,
            _ => i64::from_le_bytes(std::array::from_fn(|_| self.byte())),
        }
    }

    fn key(&mut self) -> PhpKey {
        const NAMES: &[&[u8]] = &[
            b"",
            b"0",
            b"oauth_signature",
            b"oauth_signature_method",
            b"oauth_nonce",
            b"filter",
            b"a[b]",
        ];
        match self.byte() % 4 {
            0 => PhpKey::Int(self.int()),
            1 => PhpKey::from_bytes(NAMES[usize::from(self.byte()) % NAMES.len()]),
            _ => PhpKey::from_bytes(&self.bytes(12)),
        }
    }

    fn array(&mut self, level: usize) -> PhpArray {
        let mut array = PhpArray::default();
        for _ in 0..self.byte() % 8 {
            let key = self.key();
            let value = match self.byte() % 8 {
                0 => PhpValue::Int(self.int()),
                1 if level < 6 => PhpValue::Array(self.array(level + 1)),
                // A chain of single-element arrays, up to past the depth limit.
                2 => PhpValue::Array(chain(usize::from(self.byte()) % 80, self.key())),
                _ => PhpValue::Str(self.bytes(16)),
            };
            array.set(key, value);
        }
        array
    }
}

/// `levels` nested arrays around a string.
fn chain(levels: usize, key: PhpKey) -> PhpArray {
    let mut array = PhpArray(vec![(key.clone(), PhpValue::Str(b"v".to_vec()))]);
    for _ in 1..levels {
        array = PhpArray(vec![(key.clone(), PhpValue::Array(array))]);
    }
    array
}

fuzz_target!(|data: &[u8]| {
    let mut input = Reader(data);
    let http_method = input.bytes(8);
    let url = input.bytes(24);
    let secret = input.bytes(8);
    let mut params = input.array(0);
    let signature_choice = input.byte();

    // WooCommerce never signs the top-level oauth_signature, so only deeper arrays count.
    let depth = params.array_depth(Some(&PhpKey::Str(b"oauth_signature".to_vec())));
    let too_deep = depth > MAX_DEPTH;

    let built = base_string(&http_method, &url, &oracle::input::params(&params));
    let expected = string_to_sign(&http_method, &url, &params);
    if too_deep {
        assert_eq!(built, Err(Error::TooDeep), "depth {depth}");
    } else {
        assert_eq!(built.as_deref(), Ok(&expected[..]), "params {params:?}");
    }

    // Now as a signed request: the right signature (possibly as PHP or a client mangles
    // it) or whatever the fuzzer chose.
    if let Some(PhpValue::Str(method)) = params.get(b"oauth_signature_method").cloned() {
        if let Some(good) = signature(&expected, &secret, &method) {
            let sent = match signature_choice % 4 {
                0 => good,
                1 => good
                    .iter()
                    .map(|&b| if b == b'+' { b' ' } else { b })
                    .collect(),
                2 => oracle::php_url::rawurlencode(&good),
                _ => [&good[..], &[signature_choice]].concat(),
            };
            params.set(PhpKey::from_bytes(b"oauth_signature"), PhpValue::Str(sent));
        }
    }
    let verified = verify(&http_method, &url, &oracle::input::params(&params), &secret);
    match check_oauth_signature(&http_method, &url, &params, &secret) {
        Ok(_) if too_deep => assert_eq!(verified, Err(Error::TooDeep)),
        Ok(same) => assert_eq!(verified, Ok(same), "params {params:?}"),
        Err(Refusal::NotAString) => assert!(
            matches!(verified, Err(Error::MissingOAuthParam { .. })),
            "{verified:?}"
        ),
        Err(Refusal::BadMethod) => assert!(
            matches!(verified, Err(Error::InvalidSignatureMethod { .. })),
            "{verified:?}"
        ),
    }
});
