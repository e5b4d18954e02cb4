//! The `Authorization: OAuth` header parser against WooCommerce's `parse_header()` run on
//! a regex engine (`tests/oracle/woocommerce.rs`): the hand-written scanner must give the
//! same parameters, in the same order, for any header.

mod oracle;

use keysmith::oauth::header::parse_header;
use oracle::random::Rng;
use oracle::woocommerce;

/// Header pieces that steer the pattern into each of its branches and quirks.
const PIECES: &[&str] = &[
    "oauth_",
    "oauth_a",
    "oauth_nonce",
    "oauth_signature",
    "oauth_A",
    "oauth_-_",
    "realm",
    "xoauth_b",
    "=",
    "=:",
    "=\"",
    "\"",
    ",",
    ", ",
    " ",
    ":",
    "0",
    "%41",
    "%4",
    "%zz",
    "+",
    "a",
    "é",
    "\t",
];

#[test]
fn random_headers_parse_as_woocommerce_parses_them() {
    let mut rng = Rng(0x5eed_0f0a_0a07);
    for round in 0..50_000 {
        let mut header = if rng.below(10) == 0 {
            Vec::new()
        } else {
            b"OAuth ".to_vec()
        };
        for _ in 0..rng.below(16) {
            if rng.below(8) == 0 {
                header.extend(rng.bytes(4));
            } else {
                header.extend_from_slice(rng.pick(PIECES).as_bytes());
            }
        }
        assert_eq!(
            parse_header(&header),
            woocommerce::parse_header(&header),
            "round {round}: {:?}",
            String::from_utf8_lossy(&header)
        );
    }
}

#[test]
fn typical_and_quirky_headers() {
    for header in [
        r#"OAuth realm="x", oauth_consumer_key="ck_1", oauth_signature="a%2Bb%3D", oauth_nonce=n+1"#,
        r#"OAuth oauth_a=:"x", oauth_b="0", oauth_c="", oauth_d="open, oauth_E="1", xoauth_f=2,oauth_a="y""#,
        r#"OAuth oauth_d="open, oauth_e=2"#,
        "OAuth oauth_x=:y",
        "OAuth oauth_=1",
        "OAuth oauth_x",
        "OAuth oauth_oauth_a=1, oauth_b=\"x\"",
        r#" OAuth oauth_nonce="1""#,
        "OAuth",
        "",
    ] {
        assert_eq!(
            parse_header(header.as_bytes()),
            woocommerce::parse_header(header.as_bytes()),
            "{header}"
        );
    }
}
