//! Byte-exact re-implementations of the PHP string encoders WooCommerce relies on.
//!
//! WooCommerce builds OAuth base strings with PHP's `rawurlencode()` and reads
//! signatures and header values with `rawurldecode()` / `urldecode()`. A signature only
//! matches when every byte matches, so these functions follow `ext/standard/url.c`
//! exactly instead of using a generic percent-encoding crate: PHP keeps `~` unescaped
//! (since 5.3), emits uppercase hex, decodes hex digits of either case and leaves a
//! malformed `%` sequence as it is.
//!
//! All functions work on bytes: PHP strings are byte strings and may hold anything.

/// Lowercase hex digits, as PHP's `bin2hex()` and `hash_hmac()` print them.
const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";
/// Uppercase hex digits, as PHP's `rawurlencode()` prints them.
const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// Bytes PHP's `rawurlencode()` leaves as they are (RFC 3986 unreserved), as a table.
static UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'~');
        b += 1;
    }
    table
};

/// Whether PHP's `rawurlencode()` leaves this byte as it is.
#[inline]
#[must_use]
fn is_unreserved(b: u8) -> bool {
    UNRESERVED[usize::from(b)]
}

/// Appends `input` percent-encoded, each reserved byte written as `escape` followed by
/// its two uppercase hex digits.
///
/// Most parameter names and values need no escaping at all, so that case is checked
/// first (without branching per byte) and copied in one go; otherwise eight bytes at a
/// time, an 8-byte chunk without reserved bytes being one fixed-size copy.
#[inline]
fn encode_into(input: &[u8], escape: &[u8], out: &mut Vec<u8>) {
    if input.iter().fold(true, |all, &b| all & is_unreserved(b)) {
        out.extend_from_slice(input);
        return;
    }
    let push_one = |b: u8, out: &mut Vec<u8>| {
        if is_unreserved(b) {
            out.push(b);
        } else {
            out.extend_from_slice(escape);
            out.extend_from_slice(&[
                HEX_UPPER[usize::from(b >> 4)],
                HEX_UPPER[usize::from(b & 0x0f)],
            ]);
        }
    };
    out.reserve(input.len() + input.len() / 2);
    let (chunks, rest) = input.as_chunks::<8>();
    for chunk in chunks {
        if chunk.iter().fold(true, |all, &b| all & is_unreserved(b)) {
            out.extend_from_slice(chunk);
        } else {
            for &b in chunk {
                push_one(b, out);
            }
        }
    }
    for &b in rest {
        push_one(b, out);
    }
}

/// Appends PHP's `rawurlencode($input)` to `out`.
///
/// Appending (instead of returning a new buffer) lets the base-string builder write into
/// one preallocated buffer without intermediate allocations.
pub fn rawurlencode_into(input: &[u8], out: &mut Vec<u8>) {
    encode_into(input, b"%", out);
}

/// Appends `rawurlencode(rawurlencode($input))` in one pass: encoding twice turns every
/// `%XX` of the first pass into `%25XX` and leaves the rest alone.
pub fn double_rawurlencode_into(input: &[u8], out: &mut Vec<u8>) {
    encode_into(input, b"%25", out);
}

/// Value of an ASCII hex digit of either case, as PHP's `php_htoi()` accepts it.
#[inline]
const fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Shared decoder: `plus_is_space` selects `urldecode()` (true) or `rawurldecode()`.
fn decode(input: &[u8], plus_is_space: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        let b = input[i];
        if b == b'+' && plus_is_space {
            out.push(b' ');
        } else if b == b'%' {
            // PHP decodes only a `%` followed by two hex digits; anything else is kept
            // literally (and the following bytes are examined on their own).
            let hi = input.get(i + 1).copied().and_then(hex_value);
            let lo = input.get(i + 2).copied().and_then(hex_value);
            if let (Some(hi), Some(lo)) = (hi, lo) {
                out.push((hi << 4) | lo);
                i += 3;
                continue;
            }
            out.push(b'%');
        } else {
            out.push(b);
        }
        i += 1;
    }
    out
}

/// PHP's `rawurldecode($input)`: `%XX` decoded, `+` kept.
#[must_use]
pub fn rawurldecode(input: &[u8]) -> Vec<u8> {
    decode(input, false)
}

/// PHP's `urldecode($input)`: `%XX` decoded and `+` turned into a space.
#[must_use]
pub fn urldecode(input: &[u8]) -> Vec<u8> {
    decode(input, true)
}

/// Writes the lowercase hex of `bytes` into `out`, which must be exactly twice as long.
///
/// Table lookup, no formatting machinery: key generation hexes 60 bytes per key and this
/// runs a million times for `generate_keys(1000000)`.
#[inline]
pub fn hex_lower_into(bytes: &[u8], out: &mut [u8]) {
    debug_assert_eq!(out.len(), bytes.len() * 2);
    for (pair, &b) in out.chunks_exact_mut(2).zip(bytes) {
        pair[0] = HEX_LOWER[usize::from(b >> 4)];
        pair[1] = HEX_LOWER[usize::from(b & 0x0f)];
    }
}

/// The decimal form of `n`, exactly as PHP converts an int to a string, written on the
/// stack (the base-string sort compares int keys as strings without allocating).
pub fn decimal(n: i64, buf: &mut [u8; 20]) -> &[u8] {
    // i64::MIN has no positive counterpart, so work on the unsigned magnitude; its 19
    // digits and the sign fit in 20 bytes.
    let mut magnitude = n.unsigned_abs();
    let mut start = buf.len();
    loop {
        start -= 1;
        // `magnitude % 10` is below 10, so the cast cannot truncate.
        buf[start] = b'0' + (magnitude % 10) as u8;
        magnitude /= 10;
        if magnitude == 0 {
            break;
        }
    }
    if n < 0 {
        start -= 1;
        buf[start] = b'-';
    }
    &buf[start..]
}

/// Appends the decimal form of `n`, exactly as PHP converts an int to a string.
pub fn push_decimal(n: i64, out: &mut Vec<u8>) {
    out.extend_from_slice(decimal(n, &mut [0u8; 20]));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rawurlencode(input: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        rawurlencode_into(input, &mut out);
        out
    }

    #[test]
    fn rawurlencode_matches_php() {
        assert_eq!(rawurlencode(b"AZaz09-_.~"), b"AZaz09-_.~");
        assert_eq!(rawurlencode(b"a b+c/=&%*"), b"a%20b%2Bc%2F%3D%26%25%2A");
        assert_eq!(rawurlencode(&[0x00, 0xff, 0x80]), b"%00%FF%80");
        assert_eq!(rawurlencode("é".as_bytes()), b"%C3%A9");
        assert_eq!(rawurlencode(b""), b"");
        // Longer than one 8-byte chunk, reserved bytes in the chunks and the rest.
        assert_eq!(
            rawurlencode(b"abcdefgh ijklmnopqrstuvw/xyz"),
            b"abcdefgh%20ijklmnopqrstuvw%2Fxyz"
        );
    }

    #[test]
    fn decoders_match_php() {
        assert_eq!(rawurldecode(b"a+b%2Bc%2b"), b"a+b+c+");
        assert_eq!(urldecode(b"a+b%2Bc"), b"a b+c");
        // Malformed sequences stay as they are.
        assert_eq!(urldecode(b"%"), b"%");
        assert_eq!(urldecode(b"%4"), b"%4");
        assert_eq!(urldecode(b"%zz%41"), b"%zzA");
        assert_eq!(urldecode(b"%%41"), b"%A");
        assert_eq!(rawurldecode(b"%00%fF"), &[0x00, 0xff]);
    }

    #[test]
    fn double_encoding_escapes_the_escapes() {
        let mut twice = Vec::new();
        double_rawurlencode_into(b"a b%~/\xff.", &mut twice);
        assert_eq!(twice, b"a%2520b%2525~%252F%25FF.");
    }

    #[test]
    fn hex_and_decimal() {
        let mut hex = [0u8; 6];
        hex_lower_into(&[0x00, 0xab, 0xff], &mut hex);
        assert_eq!(&hex, b"00abff");
        let mut out = Vec::new();
        for n in [0, 7, -7, 10, -10, 1_700_000_000, i64::MAX, i64::MIN] {
            out.clear();
            push_decimal(n, &mut out);
            assert_eq!(out, n.to_string().as_bytes());
        }
    }
}
