//! PHP values <-> core types, for the parameter arrays and the arrays Keysmith returns.

use std::borrow::Cow;

use ext_php_rs::boxed::ZBox;
use ext_php_rs::convert::IntoZval;
use ext_php_rs::flags::DataType;
use ext_php_rs::types::{ArrayKey, ZendHashTable, ZendStr, Zval};

use crate::error::Error;
use crate::oauth::params::{FlatParams, FlatValue, Key, MAX_DEPTH};

use super::args::type_name;

/// Calls `f` with each array element: its key (an owned zval holding an int or a string)
/// and its value.
///
/// ext-php-rs's `(ArrayKey, &Zval)` iterator insists on UTF-8 keys and panics on binary
/// ones; walking with `next_zval()` keeps array keys binary-safe.
pub fn for_each_entry<'a, E>(
    ht: &'a ZendHashTable,
    mut f: impl FnMut(Zval, &'a Zval) -> Result<(), E>,
) -> Result<(), E> {
    let mut iter = ht.iter();
    while let Some((key, value)) = iter.next_zval() {
        f(key, value)?;
    }
    Ok(())
}

/// A key as PHP would print it inside an error path: `[5]` or `["name"]`, with control
/// and non-UTF-8 bytes escaped (exception messages must not carry NUL bytes).
pub fn display_key(key: &Zval) -> String {
    match (key.long(), key.zend_str()) {
        (Some(n), _) => format!("[{n}]"),
        (None, Some(s)) => format!("[\"{}\"]", s.as_bytes().escape_ascii()),
        (None, None) => "[]".into(),
    }
}

/// A parameter array walked once, depth-first, holding its string keys alive.
///
/// The engine hands out array keys only as fresh zvals, which cannot be borrowed for the
/// array's lifetime. Keeping those zvals here (a refcount each, no copy) lets
/// [`PhpParams::flat`] hand the core a [`FlatParams`] that borrows every key and value:
/// two allocations for a whole request instead of one per key and per nested array.
pub struct PhpParams<'a> {
    nodes: Vec<Node<'a>>,
}

/// One element: its key and its value; arrays are followed by their elements.
struct Node<'a> {
    key: NodeKey,
    value: FlatValue<'a>,
}

enum NodeKey {
    Int(i64),
    /// A string key, kept alive by the zval.
    Str(Zval),
}

impl<'a> PhpParams<'a> {
    /// Walks `$params` (argument #3), checking every value.
    ///
    /// # Errors
    /// `ParamType` for a float/bool/null/object/resource value, `TooDeep` beyond
    /// [`MAX_DEPTH`] levels of nesting (which also stops arrays that contain themselves).
    pub fn from_array(ht: &'a ZendHashTable) -> Result<Self, Error> {
        let mut params = Self {
            nodes: Vec::with_capacity(ht.len() + 4),
        };
        params.walk(ht, 0)?;
        Ok(params)
    }

    /// Appends the elements of `ht` (at nesting level `depth`); returns how many.
    fn walk(&mut self, ht: &'a ZendHashTable, depth: usize) -> Result<usize, Error> {
        let mut count = 0;
        for_each_entry(ht, |key, value| {
            let value = value.dereference();
            let converted = flat_value(&key, value)?;
            let node_key = match key.long() {
                Some(n) => NodeKey::Int(n),
                // The zval keeps the key string alive (a refcount, no copy).
                None => NodeKey::Str(key),
            };
            let at = self.nodes.len();
            self.nodes.push(Node {
                key: node_key,
                value: converted,
            });
            if let Some(inner) = value.array() {
                if depth + 1 > MAX_DEPTH {
                    return Err(Error::TooDeep { arg: (3, "params") });
                }
                let children = match self.walk(inner, depth + 1) {
                    Ok(children) => children,
                    Err(e) => return Err(prefix_path(e, self.key_label(at))),
                };
                let descendants = self.nodes.len() - at - 1;
                self.nodes[at].value = FlatValue::Array {
                    children,
                    descendants,
                };
            }
            count += 1;
            Ok(())
        })?;
        Ok(count)
    }

    /// The key of node `at` as shown in error paths.
    fn key_label(&self, at: usize) -> String {
        match self.nodes.get(at).map(|node| &node.key) {
            Some(NodeKey::Int(n)) => format!("[{n}]"),
            Some(NodeKey::Str(key)) => display_key(key),
            None => String::new(),
        }
    }

    /// The parameters in the core's flat form, borrowing keys and values.
    pub fn flat(&self) -> FlatParams<'_> {
        let mut flat = FlatParams::with_capacity(self.nodes.len());
        for node in &self.nodes {
            let key = match &node.key {
                NodeKey::Int(n) => Key::Int(*n),
                NodeKey::Str(key) => Key::Str(Cow::Borrowed(
                    key.zend_str().map_or(&b""[..], |s| s.as_bytes()),
                )),
            };
            flat.push(key, node.value);
        }
        flat
    }
}

/// The flat form of one parameter value; an array's counts are filled in once it is walked.
///
/// # Errors
/// `ParamType` for anything but a string, an int or an array.
fn flat_value<'a>(key: &Zval, value: &'a Zval) -> Result<FlatValue<'a>, Error> {
    if let Some(s) = value.zend_str() {
        Ok(FlatValue::Str(s.as_bytes()))
    } else if let Some(n) = value.long() {
        Ok(FlatValue::Int(n))
    } else if value.is_array() {
        Ok(FlatValue::Array {
            children: 0,
            descendants: 0,
        })
    } else {
        Err(Error::ParamType {
            arg: (3, "params"),
            path: display_key(key),
            given: type_name(value),
        })
    }
}

/// Prepends the parent key to the path of a nested type error.
fn prefix_path(error: Error, parent: String) -> Error {
    match error {
        Error::ParamType { arg, path, given } => Error::ParamType {
            arg,
            path: parent + &path,
            given,
        },
        other => other,
    }
}

/// A PHP string return value built straight from bytes: one `zend_string` allocation,
/// no intermediate Rust `String` (and binary-safe, unlike `String`).
pub struct PhpBytes<T: AsRef<[u8]>>(pub T);

impl<T: AsRef<[u8]>> IntoZval for PhpBytes<T> {
    const TYPE: DataType = DataType::String;
    const NULLABLE: bool = false;

    fn set_zval(self, zv: &mut Zval, persistent: bool) -> ext_php_rs::error::Result<()> {
        zv.set_zend_string(ZendStr::new(self.0.as_ref(), persistent));
        Ok(())
    }
}

/// A zval holding a copy of `bytes` as a PHP string (binary-safe).
pub fn string_zval(bytes: &[u8]) -> Zval {
    let mut zval = Zval::new();
    zval.set_zend_string(ZendStr::new(bytes, false));
    zval
}

/// Inserts `value` under the PHP key held by `key` (an int or string key zval), keeping
/// int keys int and binary string keys intact.
pub fn insert_with_key(
    ht: &mut ZendHashTable,
    key: &Zval,
    value: Zval,
) -> Result<(), ext_php_rs::error::Error> {
    match (key.long(), key.zend_str()) {
        (Some(n), _) => ht.insert_at_index(n, value),
        (None, Some(s)) => ht.insert(ArrayKey::ZendString(s), value),
        (None, None) => ht.push(value),
    }
}

/// Array keys created once per call and shared by every record (refcounted, hashed once),
/// instead of allocating and hashing four key strings per generated key.
pub struct RecordKeys {
    consumer_key: ZBox<ZendStr>,
    consumer_secret: ZBox<ZendStr>,
    key_hash: ZBox<ZendStr>,
    truncated_key: ZBox<ZendStr>,
}

impl RecordKeys {
    /// Allocates the four keys.
    pub fn new() -> Self {
        Self {
            consumer_key: ZendStr::new("consumer_key", false),
            consumer_secret: ZendStr::new("consumer_secret", false),
            key_hash: ZendStr::new("key_hash", false),
            truncated_key: ZendStr::new("truncated_key", false),
        }
    }

    /// `['consumer_key' => ..., 'consumer_secret' => ..., 'key_hash' => ..., 'truncated_key' => ...]`.
    pub fn record(
        &self,
        key: &crate::keys::GeneratedKey,
    ) -> Result<ZBox<ZendHashTable>, ext_php_rs::error::Error> {
        let mut ht = ZendHashTable::with_capacity(4);
        ht.insert(
            ArrayKey::ZendString(&self.consumer_key),
            string_zval(&key.consumer_key),
        )?;
        ht.insert(
            ArrayKey::ZendString(&self.consumer_secret),
            string_zval(&key.consumer_secret),
        )?;
        ht.insert(
            ArrayKey::ZendString(&self.key_hash),
            string_zval(&key.key_hash),
        )?;
        ht.insert(
            ArrayKey::ZendString(&self.truncated_key),
            string_zval(key.truncated_key()),
        )?;
        Ok(ht)
    }
}
