//! Randomized check of the streaming base-string builder against a literal transcription
//! of WooCommerce's PHP (`check_oauth_signature()`: uksort, `normalize_parameters()`,
//! `join_with_equals_sign()`, implode).
//!
//! The production builder writes each pair in one pass ("encode twice" as `%25XX`, parent
//! prefixes reused from one buffer, a prefix-accelerated sort). The oracle below does none
//! of that: it builds the intermediate arrays PHP builds, step by step, so a shortcut that
//! is wrong for some key or value shape shows up as a difference.

use std::borrow::Cow;

use keysmith::encoding::rawurlencode;
use keysmith::oauth::base_string::base_string;
use keysmith::oauth::params::{Key, Params, Value};

/// A PHP value after `normalize_parameters()`: scalars are encoded strings, arrays keep
/// their raw inner keys.
enum Normalized {
    Scalar(Vec<u8>),
    Array(Vec<(Vec<u8>, Normalized)>),
}

/// `(string) $key`.
fn key_string(key: &Key<'_>) -> Vec<u8> {
    key.to_bytes().into_owned()
}

/// `wc_rest_urlencode_rfc3986()` over a value, recursively (array_map keeps inner keys).
fn normalize_value(value: &Value<'_>) -> Normalized {
    match value {
        Value::Str(s) => Normalized::Scalar(rawurlencode(s)),
        Value::Int(n) => Normalized::Scalar(rawurlencode(n.to_string().as_bytes())),
        Value::Array(items) => Normalized::Array(
            items
                .iter()
                .map(|(k, v)| (key_string(k), normalize_value(v)))
                .collect(),
        ),
    }
}

/// PHP's `if ( $key )` for a key that is a string or (after array_combine) an int.
fn truthy(key: &[u8]) -> bool {
    !(key.is_empty() || key == b"0")
}

/// `join_with_equals_sign( $params, $query_params, $key )`.
fn join_with_equals_sign(params: &[(Vec<u8>, Normalized)], out: &mut Vec<Vec<u8>>, key: &[u8]) {
    for (param_key, param_value) in params {
        let param_key = if truthy(key) {
            [key, b"%5B", param_key, b"%5D"].concat()
        } else {
            param_key.clone()
        };
        match param_value {
            Normalized::Array(inner) => join_with_equals_sign(inner, out, &param_key),
            Normalized::Scalar(value) => {
                let string = [&param_key[..], b"=", value].concat();
                out.push(rawurlencode(&string));
            }
        }
    }
}

/// The string to sign, the way WooCommerce computes it.
fn oracle(method: &[u8], url: &[u8], params: &Params<'_>) -> Vec<u8> {
    let mut sorted: Vec<(Vec<u8>, &Value<'_>)> = params
        .iter()
        .filter(|(k, _)| !k.is_str(b"oauth_signature"))
        .map(|(k, v)| (key_string(k), v))
        .collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0)); // uksort( $params, 'strcmp' )
    let normalized: Vec<(Vec<u8>, Normalized)> = sorted
        .into_iter()
        .map(|(k, v)| (rawurlencode(&k), normalize_value(v)))
        .collect();
    let mut pairs = Vec::new();
    join_with_equals_sign(&normalized, &mut pairs, b"");
    let upper: Vec<u8> = method.iter().map(u8::to_ascii_uppercase).collect();
    [
        &upper[..],
        b"&",
        &rawurlencode(url),
        b"&",
        &pairs.join(&b"%26"[..]),
    ]
    .concat()
}

/// xorshift64*: deterministic, dependency-free randomness for test inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap_or(0)
    }
    fn bytes(&mut self) -> Vec<u8> {
        let len = self.below(12);
        (0..len)
            .map(|_| match self.below(4) {
                0 => b"aZ9-._~"[self.below(7)],
                1 => b" %+&=[]/:?#\0"[self.below(12)],
                2 => u8::try_from(self.below(256)).unwrap_or(0),
                _ => b'a' + u8::try_from(self.below(26)).unwrap_or(0),
            })
            .collect()
    }
}

const KEY_POOL: &[&str] = &[
    "",
    "0",
    "00",
    "1",
    "10",
    "9",
    "-1",
    "a",
    "A",
    "aZ",
    "a[b]",
    "a b",
    "é",
    "%",
    "~",
    "x.y",
    "oauth_signature",
    "oauth_nonce",
    "filter",
    "c@",
    "c2",
];

fn random_key(rng: &mut Rng) -> Key<'static> {
    match rng.below(5) {
        0 => Key::Int(i64::try_from(rng.below(20)).unwrap_or(0) - 3),
        1 => Key::from_php_string(rng.bytes()),
        _ => Key::from_php_string(KEY_POOL[rng.below(KEY_POOL.len())].as_bytes().to_vec()),
    }
}

fn random_params(rng: &mut Rng, depth: usize) -> Params<'static> {
    let len = rng.below(if depth == 0 { 10 } else { 4 });
    let mut params: Params<'static> = Vec::new();
    for _ in 0..len {
        let key = random_key(rng);
        // PHP array keys are unique: a repeated key overwrites in place.
        let value = match rng.below(if depth < 4 { 6 } else { 4 }) {
            0 => Value::Int(i64::try_from(rng.below(1000)).unwrap_or(0) - 500),
            1..=3 => Value::Str(Cow::Owned(rng.bytes())),
            _ => Value::Array(random_params(rng, depth + 1)),
        };
        match params.iter_mut().find(|(k, _)| *k == key) {
            Some(existing) => existing.1 = value,
            None => params.push((key, value)),
        }
    }
    params
}

#[test]
fn streaming_builder_matches_woocommerce_transcription() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..20_000 {
        let params = random_params(&mut rng, 0);
        let method = [b"get".as_slice(), b"POST", b"Put", b"d\xffl"][rng.below(4)];
        let url = rng.bytes();
        let built =
            base_string(method, &url, &params).unwrap_or_else(|e| panic!("round {round}: {e}"));
        let expected = oracle(method, &url, &params);
        assert_eq!(
            String::from_utf8_lossy(&built),
            String::from_utf8_lossy(&expected),
            "round {round}: params {params:?}"
        );
    }
}
