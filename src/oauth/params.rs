//! The request parameters WooCommerce signs, as a PHP-array-shaped tree.
//!
//! WooCommerce signs `array_merge($_GET, $_POST)` plus the Authorization header's
//! `oauth_*` values: a PHP array whose keys are ints or byte strings and whose values are
//! strings, ints (when a caller builds the array by hand) or nested arrays (`a[b]=c`).
//! Order matters below the top level (WooCommerce never sorts nested arrays), so the tree
//! is an ordered list of pairs, not a map.
//!
//! Values borrow from their source when they can (`Cow`): the PHP binding points straight
//! into PHP's strings, tests own theirs.

use std::borrow::Cow;

use crate::encoding::push_decimal;

/// Deepest nesting accepted below the top-level parameter array.
///
/// `$params['a']` being an array is level 1; an array at level 65 is refused. PHP builds
/// `$_GET` at most 64 levels deep by default (`max_input_nesting_level`), and the bound
/// keeps recursion (and PHP arrays that contain themselves) finite.
pub const MAX_DEPTH: usize = 64;

/// A PHP array key: an int or a byte string that is not a canonical decimal int.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key<'a> {
    /// Integer key (PHP stores `"5"` as `5`).
    Int(i64),
    /// Any other key, as bytes.
    Str(Cow<'a, [u8]>),
}

impl<'a> Key<'a> {
    /// The key PHP would store for the string `bytes` (`ZEND_HANDLE_NUMERIC_STR`):
    /// canonical decimal integers in range become [`Key::Int`], everything else stays a
    /// string. `"05"`, `"-0"`, `"+1"` and `" 1"` stay strings.
    #[must_use]
    pub fn from_php_string(bytes: impl Into<Cow<'a, [u8]>>) -> Self {
        let bytes = bytes.into();
        match parse_canonical_int(&bytes) {
            Some(n) => Self::Int(n),
            None => Self::Str(bytes),
        }
    }

    /// Appends the key as PHP converts it to a string (ints in decimal).
    pub fn push_bytes(&self, out: &mut Vec<u8>) {
        match self {
            Self::Int(n) => push_decimal(*n, out),
            Self::Str(s) => out.extend_from_slice(s),
        }
    }

    /// The key as PHP converts it to a string.
    #[must_use]
    pub fn to_bytes(&self) -> Cow<'_, [u8]> {
        match self {
            Self::Int(n) => {
                let mut out = Vec::with_capacity(20);
                push_decimal(*n, &mut out);
                Cow::Owned(out)
            }
            Self::Str(s) => Cow::Borrowed(s),
        }
    }

    /// Whether this is the string key `name`.
    #[must_use]
    pub fn is_str(&self, name: &[u8]) -> bool {
        matches!(self, Self::Str(s) if s.as_ref() == name)
    }
}

/// Parses a canonical PHP integer string: optional `-`, no leading zeros, no `-0`.
fn parse_canonical_int(bytes: &[u8]) -> Option<i64> {
    let digits = bytes.strip_prefix(b"-").unwrap_or(bytes);
    let canonical = match digits {
        [b'0'] => bytes.len() == 1,
        [b'1'..=b'9', rest @ ..] => rest.iter().all(u8::is_ascii_digit),
        _ => false,
    };
    if !canonical || digits.len() > 19 {
        return None;
    }
    std::str::from_utf8(bytes).ok()?.parse().ok()
}

/// A parameter value: what PHP's request parsing (or a hand-built array) can hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value<'a> {
    /// A byte string.
    Str(Cow<'a, [u8]>),
    /// An int; WooCommerce string-converts it (`rawurlencode(5)` is `"5"`).
    Int(i64),
    /// A nested array (`a[b]=c`), in its original order.
    Array(Params<'a>),
}

impl Value<'_> {
    /// Appends the value as PHP converts a scalar to a string; arrays append nothing.
    pub fn push_scalar_bytes(&self, out: &mut Vec<u8>) {
        match self {
            Self::Str(s) => out.extend_from_slice(s),
            Self::Int(n) => push_decimal(*n, out),
            Self::Array(_) => {}
        }
    }
}

/// An ordered PHP array of parameters.
pub type Params<'a> = Vec<(Key<'a>, Value<'a>)>;

/// What a top-level parameter lookup found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup<'p> {
    /// No such key.
    Missing,
    /// The key exists but its value is an int or an array.
    NotString,
    /// The key's string value.
    Found(&'p [u8]),
}

/// A value in [`FlatParams`]: scalars borrow, arrays say how many nodes follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlatValue<'a> {
    /// A byte string.
    Str(&'a [u8]),
    /// An int.
    Int(i64),
    /// An array: its `children` elements follow, with their own descendants, in
    /// `descendants` nodes in all.
    Array {
        /// Direct elements.
        children: usize,
        /// All nodes below this one.
        descendants: usize,
    },
}

/// One element of [`FlatParams`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlatNode<'a> {
    /// The element's key.
    pub key: Key<'a>,
    /// The element's value.
    pub value: FlatValue<'a>,
}

/// A parameter array flattened depth-first: each array node is followed by its elements.
///
/// This is the form the base-string builder works on. One `Vec` holds the whole request,
/// so the PHP binding fills it without an allocation per nested array, and nothing in it
/// owns heap memory (keys and values borrow from the caller).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlatParams<'a> {
    nodes: Vec<FlatNode<'a>>,
}

impl<'a> FlatParams<'a> {
    /// An empty list with room for `capacity` nodes.
    #[must_use]
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            nodes: Vec::with_capacity(capacity),
        }
    }

    /// Appends a node; for an array, push `FlatValue::Array { children: 0, descendants: 0 }`
    /// first, then its elements, then call [`FlatParams::close_array`] with the index this
    /// returns.
    pub fn push(&mut self, key: Key<'a>, value: FlatValue<'a>) -> usize {
        self.nodes.push(FlatNode { key, value });
        self.nodes.len() - 1
    }

    /// Records that the array at `at` has `children` elements, all pushed since.
    pub fn close_array(&mut self, at: usize, children: usize) {
        let descendants = self.nodes.len().saturating_sub(at + 1);
        if let Some(node) = self.nodes.get_mut(at) {
            node.value = FlatValue::Array {
                children,
                descendants,
            };
        }
    }

    /// All nodes, depth-first.
    #[must_use]
    pub fn nodes(&self) -> &[FlatNode<'a>] {
        &self.nodes
    }

    /// Flattens a tree (borrowing its keys and values).
    #[must_use]
    pub fn from_tree(params: &'a Params<'_>) -> Self {
        let mut flat = Self::with_capacity(params.len());
        flat.extend_tree(params);
        flat
    }

    fn extend_tree(&mut self, params: &'a Params<'_>) {
        for (key, value) in params {
            let key = match key {
                Key::Int(n) => Key::Int(*n),
                Key::Str(s) => Key::Str(Cow::Borrowed(s.as_ref())),
            };
            match value {
                Value::Str(s) => {
                    self.push(key, FlatValue::Str(s));
                }
                Value::Int(n) => {
                    self.push(key, FlatValue::Int(*n));
                }
                Value::Array(items) => {
                    let at = self.push(
                        key,
                        FlatValue::Array {
                            children: 0,
                            descendants: 0,
                        },
                    );
                    self.extend_tree(items);
                    self.close_array(at, items.len());
                }
            }
        }
    }

    /// Indices of the elements of the array whose elements start at `start` (`children`
    /// of them), skipping their descendants. The top level is `(0, usize::MAX)`.
    pub fn elements(&self, start: usize, children: usize) -> impl Iterator<Item = usize> + '_ {
        let mut next = start;
        let mut left = children;
        std::iter::from_fn(move || {
            if left == 0 {
                return None;
            }
            let node = self.nodes.get(next)?;
            let at = next;
            let skip = match node.value {
                FlatValue::Array { descendants, .. } => descendants,
                _ => 0,
            };
            next = next.saturating_add(1).saturating_add(skip);
            left -= 1;
            Some(at)
        })
    }

    /// Finds the top-level string parameter `name`.
    #[must_use]
    pub fn find_str(&self, name: &[u8]) -> Lookup<'a> {
        let found = self
            .elements(0, usize::MAX)
            .filter_map(|i| self.nodes.get(i))
            .find(|node| node.key.is_str(name));
        match found {
            None => Lookup::Missing,
            Some(FlatNode {
                value: FlatValue::Str(s),
                ..
            }) => Lookup::Found(s),
            Some(_) => Lookup::NotString,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_string_keys_follow_php() {
        assert_eq!(Key::from_php_string(&b"5"[..]), Key::Int(5));
        assert_eq!(Key::from_php_string(&b"0"[..]), Key::Int(0));
        assert_eq!(Key::from_php_string(&b"-12"[..]), Key::Int(-12));
        assert_eq!(
            Key::from_php_string(&b"-9223372036854775808"[..]),
            Key::Int(i64::MIN)
        );
        for s in [
            &b"05"[..],
            b"-0",
            b"+1",
            b" 1",
            b"1 ",
            b"",
            b"-",
            b"1.0",
            b"9223372036854775808",
            b"99999999999999999999",
        ] {
            assert_eq!(Key::from_php_string(s), Key::Str(Cow::Borrowed(s)), "{s:?}");
        }
    }

    #[test]
    fn flattening_keeps_order_and_skips_descendants() {
        let tree: Params<'_> = vec![
            (Key::Int(1), Value::Str(Cow::Borrowed(b"a"))),
            (
                Key::from_php_string(&b"n"[..]),
                Value::Array(vec![
                    (
                        Key::Int(0),
                        Value::Array(vec![(Key::Int(0), Value::Int(7))]),
                    ),
                    (Key::Int(1), Value::Str(Cow::Borrowed(b"b"))),
                ]),
            ),
            (
                Key::from_php_string(&b"oauth_signature"[..]),
                Value::Str(Cow::Borrowed(b"sig")),
            ),
        ];
        let flat = FlatParams::from_tree(&tree);
        assert_eq!(flat.nodes().len(), 6);
        assert_eq!(flat.elements(0, usize::MAX).collect::<Vec<_>>(), [0, 1, 5]);
        assert_eq!(flat.elements(2, 2).collect::<Vec<_>>(), [2, 4]);
        assert_eq!(flat.find_str(b"oauth_signature"), Lookup::Found(b"sig"));
        assert_eq!(flat.find_str(b"n"), Lookup::NotString);
        assert_eq!(flat.find_str(b"x"), Lookup::Missing);
    }

    #[test]
    fn key_bytes() {
        assert_eq!(Key::Int(-3).to_bytes().as_ref(), b"-3");
        assert_eq!(Key::Str(Cow::Borrowed(b"a[")).to_bytes().as_ref(), b"a[");
    }
}
