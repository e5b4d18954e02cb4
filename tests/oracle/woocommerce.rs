//! WooCommerce's OAuth 1.0a code, transcribed from `includes/class-wc-rest-authentication.php`
//! (`WC_REST_Authentication::parse_header()`, `check_oauth_signature()`,
//! `normalize_parameters()`, `join_with_equals_sign()`) and `includes/wc-rest-functions.php`
//! (`wc_rest_urlencode_rfc3986()`), step by step, building the intermediate arrays PHP
//! builds.

use std::sync::OnceLock;

use regex::bytes::Regex;

use super::php_array::{PhpArray, PhpKey, PhpValue};
use super::php_url::{rawurldecode, rawurlencode, urldecode};

/// `str_replace($search, $replace, $subject)` for one pair.
fn str_replace(search: &[u8], replace: &[u8], subject: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(subject.len());
    let mut i = 0;
    while i < subject.len() {
        if subject[i..].starts_with(search) {
            out.extend_from_slice(replace);
            i += search.len();
        } else {
            out.push(subject[i]);
            i += 1;
        }
    }
    out
}

/// `wc_rest_urlencode_rfc3986()` of a string:
/// `str_replace( array( '+', '%7E' ), array( ' ', '~' ), rawurlencode( $value ) )`.
fn urlencode_rfc3986(value: &[u8]) -> Vec<u8> {
    let encoded = rawurlencode(value);
    str_replace(b"%7E", b"~", &str_replace(b"+", b" ", &encoded))
}

/// `wc_rest_urlencode_rfc3986()` of a value: arrays through `array_map()` (keys kept).
fn urlencode_rfc3986_value(value: &PhpValue) -> PhpValue {
    match value {
        PhpValue::Array(items) => PhpValue::Array(PhpArray(
            items
                .0
                .iter()
                .map(|(k, v)| (k.clone(), urlencode_rfc3986_value(v)))
                .collect(),
        )),
        scalar => PhpValue::Str(urlencode_rfc3986(
            &scalar.scalar_string().unwrap_or_default(),
        )),
    }
}

/// `normalize_parameters()`: `array_combine()` of the encoded keys and encoded values
/// (an encoded key that reads as an int becomes an int key again).
fn normalize_parameters(parameters: &PhpArray) -> PhpArray {
    let mut combined = PhpArray::default();
    for (key, value) in &parameters.0 {
        let key = PhpKey::from_bytes(&urlencode_rfc3986(&key.to_php_string()));
        combined.set(key, urlencode_rfc3986_value(value));
    }
    combined
}

/// `join_with_equals_sign( $params, $query_params, $key )`. `key` is the variable `$key`
/// (an array key, or a string built by concatenation), `''` at the top.
fn join_with_equals_sign(
    params: &PhpArray,
    mut query_params: Vec<Vec<u8>>,
    key: &PhpKey,
) -> Vec<Vec<u8>> {
    for (param_key, param_value) in &params.0 {
        let param_key = if key.is_truthy() {
            // $param_key = $key . '%5B' . $param_key . '%5D';
            PhpKey::Str(
                [
                    key.to_php_string(),
                    b"%5B".to_vec(),
                    param_key.to_php_string(),
                    b"%5D".to_vec(),
                ]
                .concat(),
            )
        } else {
            param_key.clone()
        };
        match param_value {
            PhpValue::Array(inner) => {
                query_params = join_with_equals_sign(inner, query_params, &param_key);
            }
            scalar => {
                let string = [
                    param_key.to_php_string(),
                    b"=".to_vec(),
                    scalar.scalar_string().unwrap_or_default(),
                ]
                .concat();
                query_params.push(urlencode_rfc3986(&string));
            }
        }
    }
    query_params
}

/// `check_oauth_signature()`'s `$string_to_sign` for the request method, the URL it signs
/// (`get_home_url(...)`, before `rawurlencode()`) and the parameters.
pub fn string_to_sign(http_method: &[u8], url: &[u8], params: &PhpArray) -> Vec<u8> {
    // strtoupper( $_SERVER['REQUEST_METHOD'] ): ASCII only since PHP 8.2.
    let http_method: Vec<u8> = http_method
        .iter()
        .map(|&c| if c.is_ascii_lowercase() { c - 32 } else { c })
        .collect();
    let base_request_uri = rawurlencode(url);

    // unset( $params['oauth_signature'] );
    let mut params = params.clone();
    params
        .0
        .retain(|(k, _)| *k != PhpKey::Str(b"oauth_signature".to_vec()));
    // uksort( $params, 'strcmp' ): byte order of the keys as strings.
    params.0.sort_by_key(|(key, _)| key.to_php_string());

    let params = normalize_parameters(&params);
    let query_string =
        join_with_equals_sign(&params, Vec::new(), &PhpKey::Str(Vec::new())).join(&b"%26"[..]);
    [
        http_method,
        b"&".to_vec(),
        base_request_uri,
        b"&".to_vec(),
        query_string,
    ]
    .concat()
}

/// Why [`check_oauth_signature`] cannot compare signatures. WooCommerce reads both
/// parameters unchecked (its caller saw them non-empty); an array or an int there is a PHP
/// warning or `TypeError`, which Keysmith's `verify()` refuses up front.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// `oauth_signature` or `oauth_signature_method` is missing or not a string.
    NotAString,
    /// The method is neither `HMAC-SHA1` nor `HMAC-SHA256`.
    BadMethod,
}

/// `base64_encode( hash_hmac( $algo, $string_to_sign, $consumer_secret . '&', true ) )`,
/// `$algo` being `strtolower( str_replace( 'HMAC-', '', $method ) )`; the HMAC is ring's.
pub fn signature(string_to_sign: &[u8], consumer_secret: &[u8], method: &[u8]) -> Option<Vec<u8>> {
    let algorithm = match method {
        b"HMAC-SHA1" => ring::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY,
        b"HMAC-SHA256" => ring::hmac::HMAC_SHA256,
        _ => return None,
    };
    let secret = [consumer_secret, b"&"].concat();
    let mac = ring::hmac::sign(&ring::hmac::Key::new(algorithm, &secret), string_to_sign);
    Some(base64_encode(mac.as_ref()))
}

/// PHP's `base64_encode()`: the standard alphabet, `=` padding.
fn base64_encode(bytes: &[u8]) -> Vec<u8> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]);
            } else {
                out.push(b'=');
            }
        }
    }
    out
}

/// `check_oauth_signature()`: whether `$params['oauth_signature']` is the signature of
/// the request, compared as WooCommerce compares it
/// (`hash_equals( $signature, rawurldecode( str_replace( ' ', '+', $sig ) ) )`).
pub fn check_oauth_signature(
    http_method: &[u8],
    url: &[u8],
    params: &PhpArray,
    consumer_secret: &[u8],
) -> Result<bool, Refusal> {
    let string = |name: &[u8]| match params.get(name) {
        Some(PhpValue::Str(s)) => Ok(s.clone()),
        _ => Err(Refusal::NotAString),
    };
    let consumer_signature = rawurldecode(&str_replace(b" ", b"+", &string(b"oauth_signature")?));
    let method = string(b"oauth_signature_method")?;
    let expected = signature(
        &string_to_sign(http_method, url, params),
        consumer_secret,
        &method,
    )
    .ok_or(Refusal::BadMethod)?;
    Ok(expected == consumer_signature)
}

/// `parse_header( $header )`: the `oauth_*` parameters of an `Authorization` header, in
/// PHP's array order, urldecoded.
///
/// ```php
/// if ( 'OAuth ' !== substr( $header, 0, 6 ) ) { return array(); }
/// $params = array();
/// if ( preg_match_all( '/(oauth_[a-z_-]*)=(:?"([^"]*)"|([^,]*))/', $header, $matches ) ) {
///     foreach ( $matches[1] as $i => $h ) {
///         $params[ $h ] = urldecode( empty( $matches[3][ $i ] ) ? $matches[4][ $i ] : $matches[3][ $i ] );
///     }
///     if ( isset( $params['realm'] ) ) { unset( $params['realm'] ); }
/// }
/// return $params;
/// ```
///
/// The pattern runs on bytes (`(?-u)`: PCRE without `/u`), with the leftmost-first
/// alternation PCRE uses. PCRE gives a group that did not take part the value `""`.
pub fn parse_header(header: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    if header.get(..6) != Some(&b"OAuth "[..]) {
        return Vec::new();
    }
    let pattern = PATTERN.get_or_init(|| {
        Regex::new(r#"(?-u)(oauth_[a-z_-]*)=(:?"([^"]*)"|([^,]*))"#)
            .unwrap_or_else(|e| panic!("WooCommerce's pattern: {e}"))
    });
    let mut params = PhpArray::default();
    for captures in pattern.captures_iter(header) {
        let group = |n: usize| captures.get(n).map_or(&b""[..], |m| m.as_bytes());
        let quoted = group(3);
        let empty = quoted.is_empty() || quoted == b"0";
        let value = urldecode(if empty { group(4) } else { quoted });
        params.set(PhpKey::from_bytes(group(1)), PhpValue::Str(value));
    }
    params
        .0
        .retain(|(k, _)| *k != PhpKey::Str(b"realm".to_vec()));
    params
        .0
        .into_iter()
        .map(|(k, v)| {
            let value = match v {
                PhpValue::Str(s) => s,
                _ => Vec::new(),
            };
            (k.to_php_string(), value)
        })
        .collect()
}
