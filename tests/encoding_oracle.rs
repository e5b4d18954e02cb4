//! The encoders and decoders against PHP's `ext/standard/url.c` rules, transcribed on
//! their own in `tests/oracle/php_url.rs`: every byte, then random strings.

mod oracle;

use keysmith::encoding::{double_rawurlencode_into, rawurldecode, rawurlencode_into, urldecode};
use oracle::php_url;
use oracle::random::Rng;

fn encoded(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    rawurlencode_into(input, &mut out);
    out
}

fn encoded_twice(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    double_rawurlencode_into(input, &mut out);
    out
}

fn check(input: &[u8], label: &str) {
    let once = php_url::rawurlencode(input);
    assert_eq!(encoded(input), once, "rawurlencode {label}");
    assert_eq!(
        encoded_twice(input),
        php_url::rawurlencode(&once),
        "rawurlencode twice {label}"
    );
    assert_eq!(
        rawurldecode(input),
        php_url::rawurldecode(input),
        "rawurldecode {label}"
    );
    assert_eq!(
        urldecode(input),
        php_url::urldecode(input),
        "urldecode {label}"
    );
}

#[test]
fn every_byte_at_every_position_of_a_chunk() {
    for b in 0..=255u8 {
        for at in 0..17 {
            let mut input = vec![b'a'; 17];
            input[at] = b;
            check(&input, &format!("byte {b:#04x} at {at}"));
        }
    }
}

#[test]
fn percent_sequences() {
    let hex = b"09afAFgG%+ ";
    for &a in hex {
        for &b in hex {
            for prefix in [&b""[..], b"x", b"%"] {
                let input = [prefix, b"%", &[a], &[b]].concat();
                check(&input, &String::from_utf8_lossy(&input));
                check(&input[..input.len() - 1], "truncated");
            }
        }
    }
}

#[test]
fn random_strings() {
    let mut rng = Rng(0x0123_4567_89ab_cdef);
    for round in 0..50_000 {
        let input = rng.bytes(40);
        check(&input, &format!("round {round}: {input:?}"));
    }
}
