//! OAuth 1.0a signatures as WooCommerce computes and checks them.
//!
//! The signing key is `consumer_secret . '&'` (no token secret, nothing percent-encoded),
//! the signature is `base64_encode(hash_hmac(algo, base, key, true))`, and the provided
//! signature is read as `rawurldecode(str_replace(' ', '+', $sig))` (PHP has already turned
//! a `+` of the query string into a space) and compared with `hash_equals()`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use crate::compare::equals;
use crate::encoding::rawurldecode;
use crate::error::Error;
use crate::hashing::{hmac, SignatureMethod};
use crate::oauth::base_string::base_string;
use crate::oauth::params::{Lookup, Params};

/// Parses a signature method name, refusing anything WooCommerce refuses.
///
/// # Errors
/// [`Error::InvalidSignatureMethod`] unless exactly `HMAC-SHA1` or `HMAC-SHA256`.
pub fn parse_method(name: &[u8]) -> Result<SignatureMethod, Error> {
    SignatureMethod::parse(name).ok_or_else(|| Error::InvalidSignatureMethod {
        given: name.to_vec(),
    })
}

/// Longest base64 signature: 32 bytes of HMAC-SHA256.
const SIGNATURE_MAX: usize = 44;

/// Writes the signature into `out`, returning its length; no heap allocation for the
/// usual (shorter than one block) secrets.
fn signature_into(
    base_string: &[u8],
    consumer_secret: &[u8],
    method: SignatureMethod,
    out: &mut [u8; SIGNATURE_MAX],
) -> usize {
    let mut stack = [0u8; 64];
    let heap: Vec<u8>;
    let key: &[u8] = if consumer_secret.len() < stack.len() {
        stack[..consumer_secret.len()].copy_from_slice(consumer_secret);
        stack[consumer_secret.len()] = b'&';
        &stack[..=consumer_secret.len()]
    } else {
        heap = [consumer_secret, b"&"].concat();
        &heap
    };
    let mac = hmac(method, key, base_string);
    // 32 bytes encode to 44 characters, so the buffer always suffices.
    STANDARD.encode_slice(mac, out).unwrap_or(0)
}

/// `base64_encode(hash_hmac(algo, $base_string, $consumer_secret . '&', true))`.
#[must_use]
pub fn signature(base_string: &[u8], consumer_secret: &[u8], method: SignatureMethod) -> String {
    let mut out = [0u8; SIGNATURE_MAX];
    let len = signature_into(base_string, consumer_secret, method, &mut out);
    // base64 is ASCII.
    String::from_utf8_lossy(&out[..len]).into_owned()
}

/// Checks `params['oauth_signature']` the way `check_oauth_signature()` does.
///
/// The method comes from `params['oauth_signature_method']`; both must be strings.
///
/// # Errors
/// [`Error::MissingOAuthParam`] when either parameter is missing or not a string,
/// [`Error::InvalidSignatureMethod`] for a method WooCommerce rejects,
/// [`Error::TooDeep`] for over-nested parameters.
pub fn verify(
    http_method: &[u8],
    url: &[u8],
    params: &Params<'_>,
    consumer_secret: &[u8],
) -> Result<bool, Error> {
    let (provided, method) = signed_with(params)?;
    let base = base_string(http_method, url, params)?;
    let mut expected = [0u8; SIGNATURE_MAX];
    let len = signature_into(&base, consumer_secret, method, &mut expected);

    // str_replace(' ', '+', ...) first: PHP decoded a '+' of the query string to ' '.
    let provided = if provided.contains(&b' ') {
        let spaces_as_plus: Vec<u8> = provided
            .iter()
            .map(|&b| if b == b' ' { b'+' } else { b })
            .collect();
        rawurldecode(&spaces_as_plus)
    } else {
        rawurldecode(provided)
    };
    Ok(equals(&expected[..len], &provided))
}

/// The signature a request carries and the method it names, both required strings.
///
/// # Errors
/// [`Error::MissingOAuthParam`] when either is missing or not a string,
/// [`Error::InvalidSignatureMethod`] for a method WooCommerce rejects.
pub fn signed_with<'a>(params: &Params<'a>) -> Result<(&'a [u8], SignatureMethod), Error> {
    let provided = required(params, "oauth_signature")?;
    let method = parse_method(required(params, "oauth_signature_method")?)?;
    Ok((provided, method))
}

/// The string value of a required top-level parameter.
fn required<'a>(params: &Params<'a>, name: &'static str) -> Result<&'a [u8], Error> {
    match params.find_str(name.as_bytes()) {
        Lookup::Found(value) => Ok(value),
        Lookup::Missing | Lookup::NotString => Err(Error::MissingOAuthParam { name }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth::params::tree::{flat, k, T};
    use crate::oauth::params::Key;

    fn params<'a>(signature: &'a str, method: &'a str) -> Vec<(Key<'a>, T<'a>)> {
        vec![
            (k("per_page"), T::S("5")),
            (
                k("oauth_consumer_key"),
                T::S("ck_0123456789abcdef0123456789abcdef01234567"),
            ),
            (k("oauth_nonce"), T::S("abc123")),
            (k("oauth_signature_method"), T::S(method)),
            (k("oauth_timestamp"), T::S("1700000000")),
            (k("oauth_signature"), T::S(signature)),
        ]
    }

    fn check(method: &[u8], tree: &[(Key<'_>, T<'_>)]) -> Result<bool, Error> {
        verify(method, URL, &flat(tree), SECRET)
    }

    fn base(tree: &[(Key<'_>, T<'_>)]) -> Vec<u8> {
        base_string(b"GET", URL, &flat(tree)).unwrap_or_default()
    }

    const URL: &[u8] = b"http://example.com/wp-json/wc/v3/products";
    const SECRET: &[u8] = b"cs_fedcba9876543210fedcba9876543210fedcba98";
    const SIG: &str = "OHRPgb189UsJayMZRf1jY/Uk8C0V87cxe2fq74F/7GU=";

    #[test]
    fn contract_signature() {
        let base = base(&params("", "HMAC-SHA256"));
        assert_eq!(signature(&base, SECRET, SignatureMethod::HmacSha256), SIG);
    }

    #[test]
    fn verify_accepts_encoded_and_space_mangled_signatures() {
        for sig in [
            SIG,
            "OHRPgb189UsJayMZRf1jY%2FUk8C0V87cxe2fq74F%2F7GU%3D",
            "OHRPgb189UsJayMZRf1jY/Uk8C0V87cxe2fq74F/7GU=",
        ] {
            assert_eq!(check(b"GET", &params(sig, "HMAC-SHA256")), Ok(true));
        }
        assert_eq!(check(b"GET", &params("AAAA", "HMAC-SHA256")), Ok(false));
        assert_eq!(check(b"POST", &params(SIG, "HMAC-SHA256")), Ok(false));
        // A '+' decoded to ' ' by PHP is put back.
        let sha1 = signature(
            &base(&params("", "HMAC-SHA1")),
            SECRET,
            SignatureMethod::HmacSha1,
        );
        let mangled = sha1.replace('+', " ");
        assert_eq!(check(b"GET", &params(&mangled, "HMAC-SHA1")), Ok(true));
    }

    #[test]
    fn verify_refuses_bad_methods_and_missing_params() {
        assert_eq!(
            check(b"GET", &params(SIG, "PLAINTEXT")),
            Err(Error::InvalidSignatureMethod {
                given: b"PLAINTEXT".to_vec()
            })
        );
        let mut without = params(SIG, "HMAC-SHA1");
        without.retain(|(k, _)| !k.is_str(b"oauth_signature"));
        assert_eq!(
            check(b"GET", &without),
            Err(Error::MissingOAuthParam {
                name: "oauth_signature"
            })
        );
        let mut int_method = params(SIG, "HMAC-SHA1");
        int_method[3] = (k("oauth_signature_method"), T::I(1));
        assert_eq!(
            check(b"GET", &int_method),
            Err(Error::MissingOAuthParam {
                name: "oauth_signature_method"
            })
        );
    }
}
