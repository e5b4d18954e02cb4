//! The shared vectors in tests/vectors/*.json, run against the Rust core.
//!
//! The same files drive the PHP tests (extension and pure-PHP twin), so a case added there
//! is checked here too. Files are recognised by name; every case must pass and every file
//! must have at least one case. Parameters are modelled as the test's own PHP arrays
//! (`tests/oracle/php_array.rs`) and handed to the crate in its input form.

mod oracle;

use std::path::{Path, PathBuf};

use keysmith::hashing::{api_hash_hex, SignatureMethod};
use keysmith::keys::{self, GeneratedKey};
use keysmith::oauth::base_string::base_string;
use keysmith::oauth::header::parse_header;
use keysmith::oauth::signature::{signature, verify};
use oracle::php_array::{PhpArray, PhpKey, PhpValue};
use serde_json::{Map, Value as Json};

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

/// Loads `name` and returns its cases.
fn cases(name: &str) -> Vec<Map<String, Json>> {
    let path = vectors_dir().join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let doc: Json = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
    let cases: Vec<Map<String, Json>> = doc
        .get("cases")
        .and_then(Json::as_array)
        .unwrap_or_else(|| panic!("{} has no \"cases\" list", path.display()))
        .iter()
        .map(|c| {
            c.as_object()
                .cloned()
                .unwrap_or_else(|| panic!("{}: a case is not an object", path.display()))
        })
        .collect();
    assert!(!cases.is_empty(), "{} has no cases", path.display());
    cases
}

fn text<'c>(case: &'c Map<String, Json>, field: &str) -> &'c str {
    case.get(field)
        .and_then(Json::as_str)
        .unwrap_or_else(|| panic!("case {:?}: missing string {field:?}", case.get("name")))
}

fn name(case: &Map<String, Json>) -> String {
    case.get("name")
        .and_then(Json::as_str)
        .unwrap_or("<unnamed>")
        .to_string()
}

fn unhex(hex: &str) -> Vec<u8> {
    assert!(hex.len().is_multiple_of(2), "odd hex length");
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or_else(|e| panic!("bad hex: {e}")))
        .collect()
}

/// A JSON value as `json_decode($json, true)` gives it to PHP.
fn php_value(json: &Json) -> PhpValue {
    match json {
        Json::String(s) => PhpValue::Str(s.as_bytes().to_vec()),
        Json::Number(n) => PhpValue::Int(
            n.as_i64()
                .unwrap_or_else(|| panic!("only integer numbers are PHP params: {n}")),
        ),
        Json::Object(map) => PhpValue::Array(php_object(map)),
        Json::Array(list) => PhpValue::Array(PhpArray(
            list.iter()
                .enumerate()
                .map(|(i, v)| {
                    (
                        PhpKey::Int(i64::try_from(i).unwrap_or(i64::MAX)),
                        php_value(v),
                    )
                })
                .collect(),
        )),
        other => panic!("{other} is not a value WooCommerce can sign"),
    }
}

/// A JSON object as a PHP array: numeric-string keys become int keys.
fn php_object(map: &Map<String, Json>) -> PhpArray {
    let mut array = PhpArray::default();
    for (k, v) in map {
        array.set(PhpKey::from_bytes(k.as_bytes()), php_value(v));
    }
    array
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `hash_hmac('sha256', $data, 'wc-api')` computed with ring, not with the crate's HMAC.
fn reference_api_hash(data: &[u8]) -> String {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, b"wc-api");
    hex(ring::hmac::sign(&key, data).as_ref())
}

#[test]
fn api_hash_vectors() {
    for case in cases("api_hash.json") {
        let input = match case.get("input_hex").and_then(Json::as_str) {
            Some(hex) => unhex(hex),
            None => text(&case, "input").as_bytes().to_vec(),
        };
        assert_eq!(
            &api_hash_hex(&input)[..],
            text(&case, "expected").as_bytes(),
            "{}",
            name(&case)
        );
    }
}

/// The record the crate builds for a vector's key (its 20 random bytes are the key's hex
/// digits) stores the vector's key hash and truncated key.
#[test]
fn key_vectors() {
    for case in cases("keys.json") {
        let label = name(&case);
        let ck = text(&case, "consumer_key");
        let key_bytes = unhex(
            ck.strip_prefix("ck_")
                .unwrap_or_else(|| panic!("{label}: no ck_")),
        );
        let mut random = [0x5a_u8; 40];
        random[..20].copy_from_slice(&key_bytes);
        let record = GeneratedKey::from_random(&random);
        assert_eq!(&record.consumer_key[..], ck.as_bytes(), "{label}");
        assert_eq!(
            &record.key_hash[..],
            text(&case, "key_hash").as_bytes(),
            "{label}"
        );
        assert_eq!(
            record.truncated_key(),
            text(&case, "truncated_key").as_bytes(),
            "{label}"
        );
    }
}

/// Generated records store what WooCommerce stores: `substr($ck, -7)` and
/// `wc_api_hash($ck)`, computed here without the crate.
#[test]
fn generated_records_store_the_truncated_key_and_hash() {
    let mut seen = 0;
    keys::generate::<keysmith::error::Error>(2048, |record| {
        let ck = &record.consumer_key;
        assert_eq!(record.truncated_key(), &ck[ck.len() - 7..]);
        assert_eq!(&record.key_hash[..], reference_api_hash(ck).as_bytes());
        seen += 1;
        Ok(())
    })
    .unwrap_or_else(|e| panic!("generation failed: {e}"));
    assert_eq!(seen, 2048);
    let one = keys::generate_one().unwrap_or_else(|e| panic!("generation failed: {e}"));
    assert_eq!(one.truncated_key(), &one.consumer_key[36..]);
}

#[test]
fn oauth_vectors() {
    for case in cases("oauth.json") {
        let label = name(&case);
        let params = php_object(
            case.get("params")
                .and_then(Json::as_object)
                .unwrap_or_else(|| panic!("{label}: params is not an object")),
        );
        let method = text(&case, "method").as_bytes();
        let url = text(&case, "url").as_bytes();
        let base = base_string(method, url, &oracle::input::params(&params))
            .unwrap_or_else(|e| panic!("{label}: base string failed: {e}"));
        assert_eq!(
            String::from_utf8_lossy(&base),
            text(&case, "base_string"),
            "{label}: base string"
        );

        let signature_method = SignatureMethod::parse(text(&case, "signature_method").as_bytes())
            .unwrap_or_else(|| panic!("{label}: unknown signature method"));
        let secret = text(&case, "secret").as_bytes();
        let expected = text(&case, "signature");
        assert_eq!(
            signature(&base, secret, signature_method),
            expected,
            "{label}: signature"
        );

        // oauth_verify: the request as sent, signature and method included.
        let mut signed = PhpArray(
            params
                .0
                .into_iter()
                .filter(|(k, _)| {
                    let k = k.to_php_string();
                    k != b"oauth_signature" && k != b"oauth_signature_method"
                })
                .collect(),
        );
        signed.set(
            PhpKey::from_bytes(b"oauth_signature_method"),
            PhpValue::Str(text(&case, "signature_method").as_bytes().to_vec()),
        );
        signed.set(
            PhpKey::from_bytes(b"oauth_signature"),
            PhpValue::Str(expected.as_bytes().to_vec()),
        );
        let verified = verify(method, url, &oracle::input::params(&signed), secret);
        // Re-adding the method can change the string when a case signs without it; only
        // cases whose params already carried the same method must verify.
        let carried = case
            .get("params")
            .and_then(|p| p.get("oauth_signature_method"))
            .and_then(Json::as_str)
            == Some(text(&case, "signature_method"));
        if carried {
            assert_eq!(verified, Ok(true), "{label}: verify");
            let mut tampered = signed.clone();
            tampered.set(PhpKey::from_bytes(b"extra"), PhpValue::Str(b"1".to_vec()));
            assert_eq!(
                verify(method, url, &oracle::input::params(&tampered), secret),
                Ok(false),
                "{label}: tampered"
            );
        }
    }
}

#[test]
fn oauth_header_vectors() {
    for case in cases("oauth_header.json") {
        let label = name(&case);
        let parsed = parse_header(text(&case, "header").as_bytes());
        let expected: Vec<(Vec<u8>, Vec<u8>)> = case
            .get("expected")
            .and_then(Json::as_object)
            .unwrap_or_else(|| panic!("{label}: expected is not an object"))
            .iter()
            .map(|(k, v)| {
                let v = v
                    .as_str()
                    .unwrap_or_else(|| panic!("{label}: value of {k} is not a string"));
                (k.as_bytes().to_vec(), v.as_bytes().to_vec())
            })
            .collect();
        assert_eq!(parsed, expected, "{label}");
    }
}

/// The sealing vectors: the keys (hex and file), the fingerprints, the sealed bytes for a fixed
/// nonce, and what opening each "open" case with the keyring current + previous gives.
mod sealing_vectors {
    use super::*;
    use keysmith::error::Error;
    use keysmith::sealing::format::{open, seal_with_nonce};
    use keysmith::sealing::key::{Keyring, SealingKey};

    fn doc() -> Map<String, Json> {
        let path = vectors_dir().join("sealing.json");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
        serde_json::from_str::<Json>(&text)
            .ok()
            .and_then(|d| d.as_object().cloned())
            .unwrap_or_else(|| panic!("sealing.json is not an object"))
    }

    fn key(doc: &Map<String, Json>, name: &str) -> SealingKey {
        let hex = doc
            .get("keys")
            .and_then(|k| k.get(name))
            .and_then(|k| k.get("hex"))
            .and_then(Json::as_str)
            .unwrap_or_else(|| panic!("no key {name}"));
        SealingKey::from_bytes(&unhex(hex)).unwrap_or_else(|e| panic!("{name}: {e:?}"))
    }

    /// A field given as text ("secret") or as raw bytes ("secret_hex").
    fn bytes(case: &Map<String, Json>, field: &str) -> Vec<u8> {
        match case.get(&format!("{field}_hex")).and_then(Json::as_str) {
            Some(hex) => unhex(hex),
            None => text(case, field).as_bytes().to_vec(),
        }
    }

    #[test]
    fn key_files_and_fingerprints() {
        let doc = doc();
        let keys = doc
            .get("keys")
            .and_then(Json::as_object)
            .cloned()
            .unwrap_or_default();
        assert_eq!(keys.len(), 3);
        for (name, info) in &keys {
            let info = info.as_object().cloned().unwrap_or_default();
            let from_file = SealingKey::from_file(
                &Path::new(env!("CARGO_MANIFEST_DIR")).join(text(&info, "file")),
            )
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert_eq!(
                &from_file.fingerprint()[..],
                text(&info, "fingerprint").as_bytes(),
                "{name}"
            );
            assert_eq!(
                key(&doc, name).fingerprint(),
                from_file.fingerprint(),
                "{name}"
            );
        }
    }

    #[test]
    fn seal_with_a_fixed_nonce_gives_the_vector_bytes() {
        let doc = doc();
        for case in cases("sealing.json") {
            let label = name(&case);
            let nonce: [u8; 12] = unhex(text(&case, "nonce_hex"))
                .try_into()
                .unwrap_or_else(|_| panic!("{label}: nonce is not 12 bytes"));
            let sealed = seal_with_nonce(
                &key(&doc, text(&case, "key")),
                &nonce,
                &bytes(&case, "secret"),
                &bytes(&case, "ad"),
            )
            .unwrap_or_else(|e| panic!("{label}: {e:?}"));
            assert_eq!(
                String::from_utf8_lossy(&sealed),
                text(&case, "sealed"),
                "{label}"
            );
        }
    }

    #[test]
    fn open_cases() {
        let doc = doc();
        let keyring = Keyring {
            current: Some(key(&doc, "current")),
            previous: Some(key(&doc, "previous")),
        };
        let open_cases: Vec<Map<String, Json>> = doc
            .get("open")
            .and_then(Json::as_array)
            .map(|list| list.iter().filter_map(|c| c.as_object().cloned()).collect())
            .unwrap_or_default();
        assert!(open_cases.len() > 20, "open cases are missing");
        for case in open_cases {
            let label = name(&case);
            let got = open(
                keyring.openers(),
                text(&case, "sealed").as_bytes(),
                &bytes(&case, "ad"),
            )
            .map(|p| p.as_bytes().to_vec());
            match case.get("expected") {
                Some(Json::String(s)) if s == "does_not_open" => {
                    assert_eq!(got, Err(Error::DoesNotOpen), "{label}");
                }
                Some(Json::String(s)) if s == "not_sealed" => {
                    assert_eq!(got, Err(Error::NotSealed), "{label}");
                }
                Some(Json::Object(secret)) => {
                    assert_eq!(got, Ok(bytes(secret, "secret")), "{label}");
                }
                other => panic!("{label}: unknown expectation {other:?}"),
            }
        }
        // Without the previous key, what it sealed no longer opens.
        let current_only = [key(&doc, "current")];
        let under_previous = cases("sealing.json")
            .into_iter()
            .find(|c| text(c, "key") == "previous")
            .unwrap_or_default();
        assert_eq!(
            open(
                current_only.iter(),
                text(&under_previous, "sealed").as_bytes(),
                text(&under_previous, "ad").as_bytes()
            )
            .err(),
            Some(Error::DoesNotOpen)
        );
    }
}
