//! The encoders against PHP's `ext/standard/url.c` rules, transcribed on their own in
//! tests/oracle/php_url.rs: `rawurlencode()`, the one-pass `rawurlencode(rawurlencode())`,
//! `rawurldecode()`, `urldecode()`; and PHP's int-to-string conversion of a key or value.

#![no_main]

use keysmith::encoding::{
    double_rawurlencode_into, push_decimal, rawurldecode, rawurlencode_into, urldecode,
};
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/oracle/mod.rs"]
mod oracle;

use oracle::php_url;

fuzz_target!(|data: &[u8]| {
    // Appending must keep what the buffer held: the base-string builder appends pair after
    // pair to one buffer.
    let prefix = b"%41+";
    let mut once = prefix.to_vec();
    rawurlencode_into(data, &mut once);
    let expected_once = php_url::rawurlencode(data);
    assert_eq!(&once[prefix.len()..], &expected_once[..], "rawurlencode");
    assert_eq!(&once[..prefix.len()], prefix);

    let mut twice = Vec::new();
    double_rawurlencode_into(data, &mut twice);
    assert_eq!(
        twice,
        php_url::rawurlencode(&expected_once),
        "rawurlencode twice"
    );

    assert_eq!(
        rawurldecode(data),
        php_url::rawurldecode(data),
        "rawurldecode"
    );
    assert_eq!(urldecode(data), php_url::urldecode(data), "urldecode");

    if let Some(chunk) = data.first_chunk::<8>() {
        let n = i64::from_le_bytes(*chunk);
        let mut decimal = Vec::new();
        push_decimal(n, &mut decimal);
        assert_eq!(decimal, format!("{n}").into_bytes(), "decimal");
    }
});
