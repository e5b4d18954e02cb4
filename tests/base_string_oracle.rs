//! Randomized check of the streaming base-string builder against a transcription of
//! WooCommerce's PHP (`tests/oracle/woocommerce.rs`: uksort, `normalize_parameters()`,
//! `join_with_equals_sign()`, implode), which has its own `rawurlencode()` and its own
//! model of PHP arrays.
//!
//! The production builder writes each pair in one pass ("encode twice" as `%25XX`, parent
//! prefixes reused from one buffer, a prefix-accelerated sort). The oracle does none of
//! that: it builds the intermediate arrays PHP builds, step by step, so a shortcut that is
//! wrong for some key or value shape shows up as a difference.

mod oracle;

use keysmith::oauth::base_string::base_string;
use oracle::random::{self, Rng};
use oracle::woocommerce::string_to_sign;

#[test]
fn streaming_builder_matches_woocommerce_transcription() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..20_000 {
        let params = random::params(&mut rng, 0);
        let method = *rng.pick(&[b"get".as_slice(), b"POST", b"Put", b"d\xffl"]);
        let url = rng.bytes(11);
        let built = base_string(method, &url, &oracle::input::params(&params))
            .unwrap_or_else(|e| panic!("round {round}: {e}"));
        let expected = string_to_sign(method, &url, &params);
        assert_eq!(
            String::from_utf8_lossy(&built),
            String::from_utf8_lossy(&expected),
            "round {round}: params {params:?}"
        );
    }
}

#[test]
fn every_byte_in_keys_values_and_url() {
    // Each byte alone as a top-level key, a nested key, a value and the URL: the encoders
    // at every position of the string, including the 8-byte chunk boundaries.
    use oracle::php_array::{PhpArray, PhpKey, PhpValue};
    for b in 0..=255u8 {
        let text = [b'k', b, b'k', b, b'k', b'k', b'k', b'k', b, b'v'];
        let mut inner = PhpArray::default();
        inner.set(PhpKey::from_bytes(&text), PhpValue::Str(text.to_vec()));
        let mut params = PhpArray::default();
        params.set(PhpKey::from_bytes(&text), PhpValue::Str(text.to_vec()));
        params.set(PhpKey::from_bytes(b"n"), PhpValue::Array(inner));
        let built = base_string(b"GET", &text, &oracle::input::params(&params))
            .unwrap_or_else(|e| panic!("byte {b:#04x}: {e}"));
        assert_eq!(
            built,
            string_to_sign(b"GET", &text, &params),
            "byte {b:#04x}"
        );
    }
}

/// Signed requests, their signature sent as is, with PHP's `+` to space mangling, percent
/// encoded or wrong, checked by `verify()` and by WooCommerce's `check_oauth_signature()`.
#[test]
fn verify_matches_woocommerce_signature_check() {
    use keysmith::error::Error;
    use keysmith::oauth::signature::verify;
    use oracle::php_array::{PhpKey, PhpValue};
    use oracle::php_url::rawurlencode;
    use oracle::woocommerce::{check_oauth_signature, signature, Refusal};

    let mut rng = Rng(0x0a17_5eed_c0de_0001);
    let mut accepted = 0;
    for round in 0..5_000 {
        let mut params = random::params(&mut rng, 0);
        let method = *rng.pick(&[
            b"HMAC-SHA1".as_slice(),
            b"HMAC-SHA256",
            b"hmac-sha1",
            b"PLAINTEXT",
        ]);
        if rng.below(20) > 0 {
            params.set(
                PhpKey::from_bytes(b"oauth_signature_method"),
                PhpValue::Str(method.to_vec()),
            );
        }
        let http_method = *rng.pick(&[b"GET".as_slice(), b"post"]);
        let url = rng.bytes(11);
        let secret = rng.bytes(11);
        let good = signature(&string_to_sign(http_method, &url, &params), &secret, method)
            .unwrap_or_default();
        let sent = match rng.below(5) {
            0 => good.clone(),
            1 => good
                .iter()
                .map(|&b| if b == b'+' { b' ' } else { b })
                .collect(),
            2 => rawurlencode(&good),
            3 => rng.bytes(11),
            _ => [&good[..], b"x"].concat(),
        };
        if rng.below(20) > 0 {
            params.set(PhpKey::from_bytes(b"oauth_signature"), PhpValue::Str(sent));
        }
        let expected = check_oauth_signature(http_method, &url, &params, &secret);
        let got = verify(http_method, &url, &oracle::input::params(&params), &secret).map_err(
            |e| match e {
                Error::MissingOAuthParam { .. } => Refusal::NotAString,
                Error::InvalidSignatureMethod { .. } => Refusal::BadMethod,
                other => panic!("round {round}: unexpected {other}"),
            },
        );
        assert_eq!(got, expected, "round {round}: params {params:?}");
        accepted += usize::from(got == Ok(true));
    }
    assert!(accepted > 1_000, "only {accepted} signatures verified");
}
