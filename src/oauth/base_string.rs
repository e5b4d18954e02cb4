//! WooCommerce's OAuth 1.0a string to sign, quirks included
//! (docs/woocommerce-compatibility.md §3.4).
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

use crate::encoding::{decimal, double_rawurlencode_into, push_decimal, rawurlencode_into};
use crate::error::Error;
use crate::oauth::params::{Key, Params, Value, MAX_DEPTH};

/// PHP truthiness of a key as `join_with_equals_sign()` tests it: `""`, `"0"` and `0`
/// are false.
fn is_truthy(key: &Key<'_>) -> bool {
    match key {
        Key::Int(n) => *n != 0,
        Key::Str(s) => !(s.is_empty() || *s == b"0"),
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

/// The key's first eight bytes (zero-padded) as a big-endian number: if two prefixes
/// differ, they order the keys as `strcmp()` does (padding sorts a shorter key first).
fn sort_prefix(key: &Key<'_>) -> u64 {
    let mut digits = [0u8; 20];
    let bytes = match key {
        Key::Str(s) => s,
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
        (Key::Str(a), Key::Str(b)) => a.cmp(b),
        (Key::Int(a), Key::Int(b)) => {
            let (mut x, mut y) = ([0u8; 20], [0u8; 20]);
            decimal(*a, &mut x).cmp(decimal(*b, &mut y))
        }
        (Key::Int(a), Key::Str(b)) => {
            let mut x = [0u8; 20];
            decimal(*a, &mut x).cmp(b)
        }
        (Key::Str(a), Key::Int(b)) => {
            let mut y = [0u8; 20];
            a.cmp(&decimal(*b, &mut y))
        }
    }
}

/// The output buffer and the flattened parameters being written.
struct Writer<'p, 'a> {
    out: Vec<u8>,
    first: bool,
    params: &'p Params<'a>,
}

impl Writer<'_, '_> {
    /// Writes one leaf pair: `encoded_key` is already `rawurlencode($pair_key)`.
    fn leaf(&mut self, encoded_key: &[u8], value: Value<'_>) {
        if !self.first {
            self.out.extend_from_slice(b"%26");
        }
        self.first = false;
        self.out.extend_from_slice(encoded_key);
        self.out.extend_from_slice(b"%3D");
        match value {
            Value::Str(s) => double_rawurlencode_into(s, &mut self.out),
            Value::Int(n) => push_decimal(n, &mut self.out),
            Value::Array { .. } => {}
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
            return Err(Error::TooDeep);
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
                Value::Array { children, .. } => {
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
/// (WooCommerce derives it from the home URL; see docs/woocommerce-compatibility.md §3.4),
/// and a top-level `oauth_signature` parameter is left out, as WooCommerce never signs it.
///
/// # Errors
/// [`Error::TooDeep`] for arrays nested deeper than [`MAX_DEPTH`].
pub fn base_string(http_method: &[u8], url: &[u8], params: &Params<'_>) -> Result<Vec<u8>, Error> {
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
            Value::Array { children, .. } => {
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
    use crate::oauth::params::tree::{flat, k, T};

    fn pairs(base: &[u8]) -> Vec<String> {
        let text = String::from_utf8(base.to_vec()).unwrap_or_default();
        let tail = text.splitn(3, '&').nth(2).unwrap_or_default().to_string();
        if tail.is_empty() {
            return Vec::new();
        }
        tail.split("%26").map(str::to_string).collect()
    }

    fn build(method: &[u8], url: &[u8], tree: &[(Key<'_>, T<'_>)]) -> Vec<u8> {
        base_string(method, url, &flat(tree)).unwrap_or_default()
    }

    #[test]
    fn contract_vector() {
        let params = [
            (k("per_page"), T::S("5")),
            (
                k("oauth_consumer_key"),
                T::S("ck_0123456789abcdef0123456789abcdef01234567"),
            ),
            (k("oauth_nonce"), T::S("abc123")),
            (k("oauth_signature_method"), T::S("HMAC-SHA256")),
            (k("oauth_timestamp"), T::S("1700000000")),
            (k("oauth_signature"), T::S("ignored")),
        ];
        assert_eq!(
            build(b"get", b"http://example.com/wp-json/wc/v3/products", &params),
            b"GET&http%3A%2F%2Fexample.com%2Fwp-json%2Fwc%2Fv3%2Fproducts&oauth_consumer_key%3Dck_0123456789abcdef0123456789abcdef01234567%26oauth_nonce%3Dabc123%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1700000000%26per_page%3D5"
        );
    }

    #[test]
    fn arrays_dots_and_plus() {
        // a[]=1&a[]=2&x.y=3&filter[period]=week&s=a+b%2Bc as PHP decodes it.
        let params = [
            (
                k("a"),
                T::A(vec![(Key::Int(0), T::S("1")), (Key::Int(1), T::S("2"))]),
            ),
            (k("x_y"), T::S("3")),
            (k("filter"), T::A(vec![(k("period"), T::S("week"))])),
            (k("s"), T::S("a b+c")),
        ];
        assert_eq!(
            pairs(&build(b"GET", b"http://example.com/", &params)),
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
        let params = [
            (k("a[b]"), T::S("1")),
            (k("aZ"), T::S("2")),
            (Key::Int(9), T::S("x")),
            (Key::Int(10), T::S("y")),
        ];
        assert_eq!(
            pairs(&build(b"GET", b"u", &params)),
            ["10%3Dy", "9%3Dx", "aZ%3D2", "a%255Bb%255D%3D1"]
        );
    }

    #[test]
    fn falsy_parent_keys_are_not_prefixed() {
        let params = [
            (
                Key::Int(0),
                T::A(vec![(k("in"), T::A(vec![(k("deep"), T::S("v"))]))]),
            ),
            (
                k(""),
                T::A(vec![(Key::Int(0), T::A(vec![(k("z"), T::S("w"))]))]),
            ),
            (k("e"), T::A(vec![])),
            (k("n"), T::I(-5)),
        ];
        assert_eq!(
            pairs(&build(b"POST", b"u", &params)),
            ["z%3Dw", "in%255Bdeep%255D%3Dv", "n%3D-5"]
        );
    }

    #[test]
    fn inner_keys_are_encoded_once_values_twice() {
        let params = [
            (
                k("f"),
                T::A(vec![(k("a b"), T::S("c d")), (k("é"), T::S("%"))]),
            ),
            (
                k("x y"),
                T::A(vec![(k("i j"), T::A(vec![(k("k l"), T::S("m n"))]))]),
            ),
        ];
        assert_eq!(
            pairs(&build(b"GET", b"u", &params)),
            [
                "f%255Ba%20b%255D%3Dc%2520d",
                "f%255B%C3%A9%255D%3D%2525",
                "x%2520y%255Bi%20j%255D%255Bk%20l%255D%3Dm%2520n"
            ]
        );
    }

    #[test]
    fn sort_matches_strcmp_on_awkward_keys() {
        // Sorted by hand with strcmp(): a shorter prefix first, NUL lowest, 0xFF highest,
        // int keys as their decimal strings ("-5" < "00" < "10" < "100" < "9").
        let params = [
            (k("a"), T::S("v")),
            (k("\0"), T::S("v")),
            (k("abcdefgh\0"), T::S("v")),
            (Key::Int(9), T::S("v")),
            (k("abcdefgh"), T::S("v")),
            (k("a\0b"), T::S("v")),
            (k(""), T::S("v")),
            (Key::Int(100), T::S("v")),
            (k("abcdefghi"), T::S("v")),
            (k("a\0"), T::S("v")),
            (k("abcdefgg~"), T::S("v")),
            (Key::Int(-5), T::S("v")),
            (k("Z"), T::S("v")),
            (k("00"), T::S("v")),
            (k("ab"), T::S("v")),
            (Key::Int(10), T::S("v")),
        ];
        assert_eq!(
            pairs(&build(b"GET", b"u", &params)),
            [
                "%3Dv",
                "%2500%3Dv",
                "-5%3Dv",
                "00%3Dv",
                "10%3Dv",
                "100%3Dv",
                "9%3Dv",
                "Z%3Dv",
                "a%3Dv",
                "a%2500%3Dv",
                "a%2500b%3Dv",
                "ab%3Dv",
                "abcdefgg~%3Dv",
                "abcdefgh%3Dv",
                "abcdefgh%2500%3Dv",
                "abcdefghi%3Dv",
            ]
        );
        let mut high = Params::default();
        high.push(Key::Str(b"\xff\0"), Value::Str(b"v"));
        high.push(Key::Str(b"\xff"), Value::Str(b"v"));
        high.push(Key::Str(b"\x7f"), Value::Str(b"v"));
        assert_eq!(
            pairs(&base_string(b"GET", b"u", &high).unwrap_or_default()),
            ["%257F%3Dv", "%25FF%3Dv", "%25FF%2500%3Dv"]
        );
    }

    #[test]
    fn more_parameters_than_the_stack_buffer() {
        let names: Vec<String> = (0..70).map(|i| format!("p{}", (i * 37) % 70)).collect();
        let params: Vec<(Key<'_>, T<'_>)> = names.iter().map(|n| (k(n), T::S("v"))).collect();
        let mut expected: Vec<String> = names.iter().map(|n| format!("{n}%3Dv")).collect();
        expected.sort();
        assert_eq!(pairs(&build(b"GET", b"u", &params)), expected);
    }

    #[test]
    fn depth_limit() {
        let nest = |levels: usize| {
            let mut value = T::S("leaf");
            for _ in 0..levels {
                value = T::A(vec![(k("x"), value)]);
            }
            vec![(k("p"), value)]
        };
        let ok = nest(MAX_DEPTH);
        assert!(base_string(b"GET", b"u", &flat(&ok)).is_ok());
        let too_deep = nest(MAX_DEPTH + 1);
        assert_eq!(
            base_string(b"GET", b"u", &flat(&too_deep)),
            Err(Error::TooDeep)
        );
    }
}
