//! PHP's `rawurlencode()`, `rawurldecode()` and `urldecode()`, transcribed from
//! `ext/standard/url.c` (`php_url_encode_impl()`, `php_raw_url_decode()`,
//! `php_url_decode()`, `php_htoi()`), byte for byte and in the same shape as the C code.

/// `hexchars` in url.c: uppercase digits.
const HEXCHARS: &[u8; 16] = b"0123456789ABCDEF";

/// The condition in `php_url_encode_impl()` under which a byte is written as `%XX`:
///
/// ```c
/// (c < '0' && c != '-' && c != '.') ||
/// (c < 'A' && c > '9') ||
/// (c > 'Z' && c < 'a' && c != '_') ||
/// (c > 'z' && (!raw || c != '~'))
/// ```
fn needs_escape(c: u8, raw: bool) -> bool {
    (c < b'0' && c != b'-' && c != b'.')
        || (c < b'A' && c > b'9')
        || (c > b'Z' && c < b'a' && c != b'_')
        || (c > b'z' && (!raw || c != b'~'))
}

/// `php_url_encode_impl(s, len, raw)`: `urlencode()` when `raw` is false (a space becomes
/// `+`), `rawurlencode()` when true.
fn url_encode_impl(s: &[u8], raw: bool) -> Vec<u8> {
    let mut to = Vec::with_capacity(3 * s.len());
    for &c in s {
        if !raw && c == b' ' {
            to.push(b'+');
        } else if needs_escape(c, raw) {
            to.push(b'%');
            to.push(HEXCHARS[usize::from(c >> 4)]);
            to.push(HEXCHARS[usize::from(c & 15)]);
        } else {
            to.push(c);
        }
    }
    to
}

/// `rawurlencode($s)`.
pub fn rawurlencode(s: &[u8]) -> Vec<u8> {
    url_encode_impl(s, true)
}

/// C's `isxdigit()` in the "C" locale.
fn isxdigit(c: u8) -> bool {
    c.is_ascii_digit() || (b'a'..=b'f').contains(&c) || (b'A'..=b'F').contains(&c)
}

/// `php_htoi()`: the two hex digits at `s[0]`, `s[1]` as a byte (callers checked them).
fn htoi(s: &[u8]) -> u8 {
    let digit = |c: u8| {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_digit() {
            c - b'0'
        } else {
            c - b'a' + 10
        }
    };
    digit(s[0]) * 16 + digit(s[1])
}

/// The loop of `php_url_decode()` (`plus_is_space`) and `php_raw_url_decode()`:
///
/// ```c
/// while (len--) {
///     if (*data == '+') { *dest = ' '; }          /* urldecode() only */
///     else if (*data == '%' && len >= 2 && isxdigit(data[1]) && isxdigit(data[2])) {
///         *dest = (char) php_htoi(data + 1); data += 2; len -= 2;
///     } else { *dest = *data; }
///     data++; dest++;
/// }
/// ```
fn url_decode_impl(str: &[u8], plus_is_space: bool) -> Vec<u8> {
    let mut dest = Vec::with_capacity(str.len());
    let mut data = 0;
    let mut len = str.len();
    while len > 0 {
        len -= 1;
        if plus_is_space && str[data] == b'+' {
            dest.push(b' ');
        } else if str[data] == b'%'
            && len >= 2
            && isxdigit(str[data + 1])
            && isxdigit(str[data + 2])
        {
            dest.push(htoi(&str[data + 1..]));
            data += 2;
            len -= 2;
        } else {
            dest.push(str[data]);
        }
        data += 1;
    }
    dest
}

/// `urldecode($s)`.
pub fn urldecode(s: &[u8]) -> Vec<u8> {
    url_decode_impl(s, true)
}

/// `rawurldecode($s)`.
pub fn rawurldecode(s: &[u8]) -> Vec<u8> {
    url_decode_impl(s, false)
}
