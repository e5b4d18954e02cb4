//! The request parameters WooCommerce signs: a PHP array, flattened.
//!
//! WooCommerce signs `array_merge($_GET, $_POST)` plus the Authorization header's
//! `oauth_*` values: a PHP array whose keys are ints or byte strings and whose values are
//! strings, ints (when a caller builds the array by hand) or nested arrays (`a[b]=c`).
//! Order matters below the top level (WooCommerce never sorts nested arrays), so the array
//! is kept as an ordered list, flattened depth-first: each array element is followed by
//! its own elements. One `Vec` holds the whole request, so the PHP binding fills it
//! without an allocation per nested array, and nothing in it owns heap memory (keys and
//! values borrow from the caller).

/// Deepest nesting accepted below the top-level parameter array.
///
/// `$params['a']` being an array is level 1; an array at level 65 is refused. PHP builds
/// `$_GET` at most 64 levels deep by default (`max_input_nesting_level`), and the bound
/// keeps recursion (and PHP arrays that contain themselves) finite.
pub const MAX_DEPTH: usize = 64;

/// A PHP array key: an int, or a byte string that is not a canonical decimal int (PHP
/// stores `"5"` as `5`; the caller hands keys over as PHP stored them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key<'a> {
    /// Integer key.
    Int(i64),
    /// Any other key, as bytes.
    Str(&'a [u8]),
}

impl Key<'_> {
    /// Whether this is the string key `name`.
    #[must_use]
    pub fn is_str(&self, name: &[u8]) -> bool {
        matches!(self, Self::Str(s) if *s == name)
    }
}

/// A parameter value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value<'a> {
    /// A byte string.
    Str(&'a [u8]),
    /// An int; WooCommerce string-converts it (`rawurlencode(5)` is `"5"`).
    Int(i64),
    /// A nested array (`a[b]=c`): its `children` elements follow, in their original
    /// order, with their own elements, in `descendants` nodes in all.
    Array {
        /// Direct elements.
        children: usize,
        /// All nodes below this one.
        descendants: usize,
    },
}

/// One array element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Node<'a> {
    /// The element's key.
    pub key: Key<'a>,
    /// The element's value.
    pub value: Value<'a>,
}

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

/// A parameter array flattened depth-first: each array node is followed by its elements.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params<'a> {
    nodes: Vec<Node<'a>>,
}

impl<'a> Params<'a> {
    /// An empty list with room for `capacity` nodes.
    #[must_use]
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            nodes: Vec::with_capacity(capacity),
        }
    }

    /// Appends a node. An array's node comes before its elements and says how many
    /// follow ([`Value::Array`]); counts that do not match the nodes pushed make the
    /// array end early or take in later nodes, never a panic.
    pub fn push(&mut self, key: Key<'a>, value: Value<'a>) {
        self.nodes.push(Node { key, value });
    }

    /// All nodes, depth-first.
    #[must_use]
    pub fn nodes(&self) -> &[Node<'a>] {
        &self.nodes
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
                Value::Array { descendants, .. } => descendants,
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
            Some(Node {
                value: Value::Str(s),
                ..
            }) => Lookup::Found(s),
            Some(_) => Lookup::NotString,
        }
    }
}

/// Nested parameters written as a tree, for the unit tests of the modules that read
/// [`Params`].
#[cfg(test)]
pub(crate) mod tree {
    use super::{Key, Params, Value};

    /// A value of a test's parameter tree.
    pub enum T<'a> {
        S(&'a str),
        I(i64),
        A(Vec<(Key<'a>, T<'a>)>),
    }

    /// A string key (tests use non-numeric strings, or [`Key::Int`] directly).
    pub fn k(name: &str) -> Key<'_> {
        Key::Str(name.as_bytes())
    }

    fn descendants(items: &[(Key<'_>, T<'_>)]) -> usize {
        items
            .iter()
            .map(|(_, v)| match v {
                T::A(inner) => 1 + descendants(inner),
                _ => 1,
            })
            .sum()
    }

    fn push_all<'a>(items: &'a [(Key<'a>, T<'a>)], out: &mut Params<'a>) {
        for (key, value) in items {
            match value {
                T::S(s) => out.push(*key, Value::Str(s.as_bytes())),
                T::I(n) => out.push(*key, Value::Int(*n)),
                T::A(inner) => {
                    out.push(
                        *key,
                        Value::Array {
                            children: inner.len(),
                            descendants: descendants(inner),
                        },
                    );
                    push_all(inner, out);
                }
            }
        }
    }

    /// The flattened form of `items`.
    pub fn flat<'a>(items: &'a [(Key<'a>, T<'a>)]) -> Params<'a> {
        let mut out = Params::default();
        push_all(items, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::tree::{flat, k, T};
    use super::*;

    #[test]
    fn elements_keep_order_and_skip_descendants() {
        let tree = [
            (Key::Int(1), T::S("a")),
            (
                k("n"),
                T::A(vec![
                    (Key::Int(0), T::A(vec![(Key::Int(0), T::I(7))])),
                    (Key::Int(1), T::S("b")),
                ]),
            ),
            (k("oauth_signature"), T::S("sig")),
        ];
        let params = flat(&tree);
        assert_eq!(params.nodes().len(), 6);
        assert_eq!(
            params.elements(0, usize::MAX).collect::<Vec<_>>(),
            [0, 1, 5]
        );
        assert_eq!(params.elements(2, 2).collect::<Vec<_>>(), [2, 4]);
        assert_eq!(params.find_str(b"oauth_signature"), Lookup::Found(b"sig"));
        assert_eq!(params.find_str(b"n"), Lookup::NotString);
        assert_eq!(params.find_str(b"x"), Lookup::Missing);
    }

    #[test]
    fn inconsistent_counts_do_not_panic() {
        let mut params = Params::default();
        params.push(
            k("a"),
            Value::Array {
                children: 5,
                descendants: usize::MAX,
            },
        );
        params.push(k("b"), Value::Str(b"x"));
        assert_eq!(params.elements(0, usize::MAX).collect::<Vec<_>>(), [0]);
        assert_eq!(params.elements(1, 5).collect::<Vec<_>>(), [1]);
        assert_eq!(params.find_str(b"b"), Lookup::Missing);
    }
}
