//! WooCommerce's OAuth 1.0a string to sign, quirks included (wc-contract.md §3.4).
//!
//! `WC_REST_Authentication::check_oauth_signature()` does, in order:
//! 1. drop `oauth_signature`;
//! 2. `uksort($params, 'strcmp')` on the raw, already decoded top-level keys (int keys
//!    compare as their decimal string), so the order can differ from RFC 5849's order
//!    of encoded names;
//! 3. `normalize_parameters()`: `rawurlencode` every top-level key and, recursively,
//!    every value (nested keys stay raw and unsorted);
//! 4. `join_with_equals_sign()`: a leaf becomes `rawurlencode("$key=$value")`, where a
//!    nested leaf's key is `parent%5Binner%5D` (the prefix is only added `if ($parent)`,
//!    so a parent key `""` or `"0"` is treated as absent), and empty arrays give nothing;
//! 5. `METHOD & rawurlencode(url) & implode('%26', pairs)`.
//!
//! Instead of building PHP's intermediate arrays, each pair is streamed into one buffer:
//! `rawurlencode(rawurlencode(x))` is `x` with every reserved byte written as `%25XX`, so
//! top-level keys and values are written "double encoded" in one pass, inner keys and the
//! `=` once.

use std::cmp::Ordering;
use std::ops::Range;

use crate::encoding::{double_rawurlencode_into, push_decimal, rawurlencode_into};
use crate::error::Error;
use crate::oauth::params::{FlatParams, FlatValue, Key, Params, MAX_DEPTH};

/// PHP truthiness of a key as `join_with_equals_sign()` tests it: `""`, `"0"` and `0`
/// are false.
fn is_truthy(key: &Key<'_>) -> bool {
    match key {
        Key::Int(n) => *n != 0,
        Key::Str(s) => !(s.is_empty() || s.as_ref() == b"0"),
    }
}

/// Appends `rawurlencode((string) $key)` (ints are all unreserved characters).
fn push_key_encoded_once(key: &Key<'_>, out: &mut Vec<u8>) {
    match key {
        Key::Int(n) => push_decimal(*n, out),
        Key::Str(s) => rawurlencode_into(s, out),
    }
}

/// Appends `rawurlencode(rawurlencode((string) $key))`.
fn push_key_encoded_twice(key: &Key<'_>, out: &mut Vec<u8>) {
    match key {
        Key::Int(n) => push_decimal(*n, out),
        Key::Str(s) => double_rawurlencode_into(s, out),
    }
}

/// Decimal digits of an int key, on the stack.
fn decimal(n: i64, buf: &mut [u8; 20]) -> &[u8] {
    let mut digits = Vec::with_capacity(20);
    push_decimal(n, &mut digits);
    let len = digits.len().min(20);
    buf[..len].copy_from_slice(&digits[..len]);
    &buf[..len]
}

/// The key's first eight bytes (zero-padded) as a big-endian number: if two prefixes
/// differ, they order the keys as `strcmp()` does (padding sorts a shorter key first).
fn sort_prefix(key: &Key<'_>) -> u64 {
    let mut digits = [0u8; 20];
    let bytes = match key {
        Key::Str(s) => s.as_ref(),
        Key::Int(n) => decimal(*n, &mut digits),
    };
    // Shifted in register by register: a copy into a byte array and a reload as u64 would
    // stall on store forwarding.
    (0..8).fold(0u64, |prefix, i| {
        (prefix << 8) | u64::from(bytes.get(i).copied().unwrap_or(0))
    })
}

/// `strcmp((string) $a, (string) $b)` for two keys: byte order, ints as decimal strings.
fn compare_keys(a: &Key<'_>, b: &Key<'_>) -> Ordering {
    match (a, b) {
        (Key::Str(a), Key::Str(b)) => a.as_ref().cmp(b.as_ref()),
        (Key::Int(a), Key::Int(b)) => {
            let (mut x, mut y) = ([0u8; 20], [0u8; 20]);
            decimal(*a, &mut x).cmp(decimal(*b, &mut y))
        }
        (Key::Int(a), Key::Str(b)) => {
            let mut x = [0u8; 20];
            decimal(*a, &mut x).cmp(b.as_ref())
        }
        (Key::Str(a), Key::Int(b)) => {
            let mut y = [0u8; 20];
            a.as_ref().cmp(decimal(*b, &mut y))
        }
    }
}

/// The output buffer and the flattened parameters being written.
struct Writer<'p, 'a> {
    out: Vec<u8>,
    first: bool,
    params: &'p FlatParams<'a>,
}

impl Writer<'_, '_> {
    /// Writes one leaf pair: `encoded_key` is already `rawurlencode($pair_key)`.
    fn leaf(&mut self, encoded_key: &[u8], value: FlatValue<'_>) {
        if !self.first {
            self.out.extend_from_slice(b"%26");
        }
        self.first = false;
        self.out.extend_from_slice(encoded_key);
        self.out.extend_from_slice(b"%3D");
        match value {
            FlatValue::Str(s) => double_rawurlencode_into(s, &mut self.out),
            FlatValue::Int(n) => push_decimal(n, &mut self.out),
            FlatValue::Array { .. } => {}
        }
    }

    /// Writes the pairs of the nested array whose `children` elements start at node
    /// `start`, at nesting level `depth`.
    ///
    /// `keys[parent]` is `rawurlencode($parent_key)` when PHP's `if ( $key )` adds the
    /// prefix (children become `parent%5Bchild%5D`), `None` when the parent key is falsy.
    /// Children's keys are written after the parent's in `keys` and truncated afterwards,
    /// so the whole walk reuses one buffer.
    fn nested(
        &mut self,
        keys: &mut Vec<u8>,
        parent: Option<Range<usize>>,
        (start, children): (usize, usize),
        depth: usize,
    ) -> Result<(), Error> {
        if depth > MAX_DEPTH {
            return Err(Error::TooDeep { arg: (3, "params") });
        }
        let params = self.params;
        let base = keys.len();
        for index in params.elements(start, children) {
            let Some(node) = params.nodes().get(index) else {
                break;
            };
            keys.truncate(base);
            let truthy = match &parent {
                Some(range) => {
                    // "parent%5Binner%5D" encoded once: the literal %5B becomes %255B.
                    keys.extend_from_within(range.clone());
                    keys.extend_from_slice(b"%255B");
                    push_key_encoded_once(&node.key, keys);
                    keys.extend_from_slice(b"%255D");
                    true
                }
                None => {
                    push_key_encoded_once(&node.key, keys);
                    is_truthy(&node.key)
                }
            };
            let own = base..keys.len();
            match node.value {
                FlatValue::Array { children, .. } => {
                    self.nested(
                        keys,
                        truthy.then_some(own),
                        (index + 1, children),
                        depth + 1,
                    )?;
                }
                scalar => self.leaf(&keys[own], scalar),
            }
        }
        keys.truncate(base);
        Ok(())
    }
}

/// Builds WooCommerce's string to sign for `http_method`, `url` and `params`.
///
/// The method is upper-cased (ASCII, as `strtoupper()` in PHP 8), `url` is used as given
/// (WooCommerce derives it from the home URL; see wc-contract.md §3.4), and a top-level
/// `oauth_signature` parameter is left out, as WooCommerce never signs it.
///
/// # Errors
/// [`Error::TooDeep`] for arrays nested deeper than [`MAX_DEPTH`].
pub fn base_string(http_method: &[u8], url: &[u8], params: &Params<'_>) -> Result<Vec<u8>, Error> {
    base_string_flat(http_method, url, &FlatParams::from_tree(params))
}

/// [`base_string`] for parameters already in flat form (what the PHP binding builds).
///
/// # Errors
/// [`Error::TooDeep`] for arrays nested deeper than [`MAX_DEPTH`].
pub fn base_string_flat(
    http_method: &[u8],
    url: &[u8],
    params: &FlatParams<'_>,
) -> Result<Vec<u8>, Error> {
    let nodes = params.nodes();
    // (sort prefix, node index) of each top-level parameter; on the stack for the usual
    // request (a few dozen parameters), on the heap beyond.
    let mut on_stack = [(0u64, 0usize); 32];
    let mut on_heap = Vec::new();
    let mut count = 0;
    for index in params.elements(0, usize::MAX) {
        let Some(node) = nodes.get(index) else {
            break;
        };
        if node.key.is_str(b"oauth_signature") {
            continue;
        }
        let entry = (sort_prefix(&node.key), index);
        if count < on_stack.len() {
            on_stack[count] = entry;
        } else {
            if on_heap.is_empty() {
                on_heap.extend_from_slice(&on_stack);
            }
            on_heap.push(entry);
        }
        count += 1;
    }
    let sorted: &mut [(u64, usize)] = if count <= on_stack.len() {
        &mut on_stack[..count]
    } else {
        &mut on_heap
    };
    // strcmp() is a byte-wise comparison with the shorter prefix first: slice order. The
    // first eight bytes, as a big-endian number, decide most comparisons without a memcmp.
    // Keys of a PHP array are unique, so stability does not matter.
    sorted.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| match (nodes.get(a.1), nodes.get(b.1)) {
                (Some(x), Some(y)) => compare_keys(&x.key, &y.key),
                _ => Ordering::Equal,
            })
    });

    let mut writer = Writer {
        out: Vec::with_capacity(http_method.len() + url.len() * 3 + 80 * nodes.len() + 2),
        first: true,
        params,
    };
    writer
        .out
        .extend(http_method.iter().map(u8::to_ascii_uppercase));
    writer.out.push(b'&');
    rawurlencode_into(url, &mut writer.out);
    writer.out.push(b'&');

    let mut keys = Vec::with_capacity(128);
    for &mut (_, index) in sorted {
        let Some(node) = nodes.get(index) else {
            continue;
        };
        // normalize_parameters() made the key rawurlencode($key); the pair is encoded
        // again, so a top-level key appears encoded twice (also as a parent prefix).
        keys.clear();
        push_key_encoded_twice(&node.key, &mut keys);
        match node.value {
            FlatValue::Array { children, .. } => {
                // The parent PHP tests is rawurlencode($key): falsy exactly when $key is.
                let parent = is_truthy(&node.key).then_some(0..keys.len());
                writer.nested(&mut keys, parent, (index + 1, children), 1)?;
            }
            scalar => writer.leaf(&keys, scalar),
        }
    }
    Ok(writer.out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth::params::Value;
    use std::borrow::Cow;

    fn s(v: &str) -> Value<'_> {
        Value::Str(Cow::Borrowed(v.as_bytes()))
    }
    fn k(v: &str) -> Key<'_> {
        Key::from_php_string(v.as_bytes())
    }
    fn pairs(base: &[u8]) -> Vec<String> {
        let text = String::from_utf8(base.to_vec()).unwrap_or_default();
        let tail = text.splitn(3, '&').nth(2).unwrap_or_default().to_string();
        if tail.is_empty() {
            return Vec::new();
        }
        tail.split("%26").map(str::to_string).collect()
    }

    #[test]
    fn contract_vector() {
        let params = vec![
            (k("per_page"), s("5")),
            (
                k("oauth_consumer_key"),
                s("ck_0123456789abcdef0123456789abcdef01234567"),
            ),
            (k("oauth_nonce"), s("abc123")),
            (k("oauth_signature_method"), s("HMAC-SHA256")),
            (k("oauth_timestamp"), s("1700000000")),
            (k("oauth_signature"), s("ignored")),
        ];
        let base = base_string(
            b"get",
            b"http://example.com/wp-json/wc/v3/products",
            &params,
        );
        assert_eq!(
            base.ok().as_deref(),
            Some(&b"GET&http%3A%2F%2Fexample.com%2Fwp-json%2Fwc%2Fv3%2Fproducts&oauth_consumer_key%3Dck_0123456789abcdef0123456789abcdef01234567%26oauth_nonce%3Dabc123%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1700000000%26per_page%3D5"[..])
        );
    }

    #[test]
    fn arrays_dots_and_plus() {
        // a[]=1&a[]=2&x.y=3&filter[period]=week&s=a+b%2Bc as PHP decodes it.
        let params = vec![
            (
                k("a"),
                Value::Array(vec![(Key::Int(0), s("1")), (Key::Int(1), s("2"))]),
            ),
            (k("x_y"), s("3")),
            (k("filter"), Value::Array(vec![(k("period"), s("week"))])),
            (k("s"), s("a b+c")),
        ];
        let base = base_string(b"GET", b"http://example.com/", &params).unwrap_or_default();
        assert_eq!(
            pairs(&base),
            [
                "a%255B0%255D%3D1",
                "a%255B1%255D%3D2",
                "filter%255Bperiod%255D%3Dweek",
                "s%3Da%2520b%252Bc",
                "x_y%3D3"
            ]
        );
    }

    #[test]
    fn raw_key_sort_differs_from_encoded_sort() {
        // Raw strcmp: "aZ" < "a[b]"; int keys compare as decimal strings: "10" < "9".
        let params = vec![
            (k("a[b]"), s("1")),
            (k("aZ"), s("2")),
            (Key::Int(9), s("x")),
            (Key::Int(10), s("y")),
        ];
        let base = base_string(b"GET", b"u", &params).unwrap_or_default();
        assert_eq!(
            pairs(&base),
            ["10%3Dy", "9%3Dx", "aZ%3D2", "a%255Bb%255D%3D1"]
        );
    }

    #[test]
    fn falsy_parent_keys_are_not_prefixed() {
        let params = vec![
            (
                Key::Int(0),
                Value::Array(vec![(k("in"), Value::Array(vec![(k("deep"), s("v"))]))]),
            ),
            (
                k(""),
                Value::Array(vec![(Key::Int(0), Value::Array(vec![(k("z"), s("w"))]))]),
            ),
            (k("e"), Value::Array(vec![])),
            (k("n"), Value::Int(-5)),
        ];
        let base = base_string(b"POST", b"u", &params).unwrap_or_default();
        assert_eq!(pairs(&base), ["z%3Dw", "in%255Bdeep%255D%3Dv", "n%3D-5"]);
    }

    #[test]
    fn inner_keys_are_encoded_once_values_twice() {
        let params = vec![
            (
                k("f"),
                Value::Array(vec![(k("a b"), s("c d")), (k("é"), s("%"))]),
            ),
            (
                k("x y"),
                Value::Array(vec![(k("i j"), Value::Array(vec![(k("k l"), s("m n"))]))]),
            ),
        ];
        let base = base_string(b"GET", b"u", &params).unwrap_or_default();
        assert_eq!(
            pairs(&base),
            [
                "f%255Ba%20b%255D%3Dc%2520d",
                "f%255B%C3%A9%255D%3D%2525",
                "x%2520y%255Bi%20j%255D%255Bk%20l%255D%3Dm%2520n"
            ]
        );
    }

    #[test]
    fn sort_matches_strcmp_on_awkward_keys() {
        let raw: Vec<&[u8]> = vec![
            b"a",
            b"a\0",
            b"a\0b",
            b"ab",
            b"",
            b"\0",
            b"abcdefgh",
            b"abcdefgh\0",
            b"abcdefghi",
            b"abcdefgg~",
            b"\xff",
            b"\xff\0",
            b"Z",
            b"-1",
            b"10",
            b"9",
            b"00",
        ];
        let mut params: Params<'_> = raw
            .iter()
            .map(|k| (Key::from_php_string(*k), s("v")))
            .collect();
        params.push((Key::Int(-5), s("v")));
        params.push((Key::Int(100), s("v")));
        let base = base_string(b"GET", b"u", &params).unwrap_or_default();
        let mut expected: Vec<Vec<u8>> = params
            .iter()
            .map(|(k, _)| k.to_bytes().into_owned())
            .collect();
        expected.sort();
        let encoded: Vec<String> = expected
            .iter()
            .map(|k| {
                let mut once = Vec::new();
                crate::encoding::double_rawurlencode_into(k, &mut once);
                String::from_utf8_lossy(&once).into_owned() + "%3Dv"
            })
            .collect();
        assert_eq!(pairs(&base), encoded);
    }

    #[test]
    fn more_parameters_than_the_stack_buffer() {
        let names: Vec<String> = (0..70).map(|i| format!("p{}", (i * 37) % 70)).collect();
        let params: Params<'_> = names
            .iter()
            .map(|n| (Key::from_php_string(n.as_bytes()), s("v")))
            .collect();
        let base = base_string(b"GET", b"u", &params).unwrap_or_default();
        let mut expected: Vec<String> = names.iter().map(|n| format!("{n}%3Dv")).collect();
        expected.sort();
        assert_eq!(pairs(&base), expected);
    }

    #[test]
    fn depth_limit() {
        let mut value = s("leaf");
        for _ in 0..MAX_DEPTH {
            value = Value::Array(vec![(k("x"), value)]);
        }
        let ok = vec![(k("p"), value.clone())];
        assert!(base_string(b"GET", b"u", &ok).is_ok());
        let too_deep = vec![(k("p"), Value::Array(vec![(k("x"), value)]))];
        assert_eq!(
            base_string(b"GET", b"u", &too_deep),
            Err(Error::TooDeep { arg: (3, "params") })
        );
    }
}
