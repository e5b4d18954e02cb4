//! The `Authorization: OAuth` header parser against WooCommerce's `parse_header()` run on a
//! regex engine (tests/oracle/woocommerce.rs): same parameters, same order, same values.
//!
//! The first byte chooses whether the header gets the `OAuth ` prefix (without it, both
//! must return nothing), so the fuzzer need not discover the prefix to reach the scanner.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/oracle/mod.rs"]
mod oracle;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let header = if first & 1 == 1 {
        [b"OAuth ".as_slice(), rest].concat()
    } else {
        rest.to_vec()
    };
    let parsed = keysmith::oauth::header::parse_header(&header);
    let expected = oracle::woocommerce::parse_header(&header);
    assert_eq!(
        parsed,
        expected,
        "header {:?}",
        String::from_utf8_lossy(&header)
    );
});
