//! PHP values <-> core types, for the parameter arrays and the arrays Keysmith returns.

use std::borrow::Cow;

use ext_php_rs::boxed::ZBox;
use ext_php_rs::types::{ArrayKey, ZendHashTable, ZendStr, Zval};

use crate::error::Error;
use crate::oauth::params::{Key, Params, Value, MAX_DEPTH};

use super::args::type_name;

/// One array element: its key (an owned zval holding an int or a string) and its value.
///
/// ext-php-rs's `(ArrayKey, &Zval)` iterator insists on UTF-8 keys and panics on binary
/// ones; walking with `next_zval()` keeps array keys binary-safe.
pub fn for_each_entry<'a, E>(
    ht: &'a ZendHashTable,
    mut f: impl FnMut(&Zval, &'a Zval) -> Result<(), E>,
) -> Result<(), E> {
    let mut iter = ht.iter();
    while let Some((key, value)) = iter.next_zval() {
        f(&key, value)?;
    }
    Ok(())
}

/// The core key for a PHP array key zval (an int, or a string PHP already kept as one).
fn key_of(key: &Zval) -> Key<'static> {
    match (key.long(), key.zend_str()) {
        (Some(n), _) => Key::Int(n),
        (None, Some(s)) => Key::Str(Cow::Owned(s.as_bytes().to_vec())),
        // The engine only hands out int or string keys.
        (None, None) => Key::Str(Cow::Borrowed(b"")),
    }
}

/// A key as PHP would print it inside an error path: `[5]` or `["name"]`, with control
/// and non-UTF-8 bytes escaped (exception messages must not carry NUL bytes).
pub fn display_key(key: &Zval) -> String {
    match key_of(key) {
        Key::Int(n) => format!("[{n}]"),
        Key::Str(s) => format!("[\"{}\"]", s.escape_ascii()),
    }
}

/// Converts a parameter array (`$params`, argument #3) into the core's tree.
///
/// String values are borrowed from PHP; keys are copied (they are short).
///
/// # Errors
/// `ParamType` for a float/bool/null/object/resource value, `TooDeep` beyond
/// [`MAX_DEPTH`] levels of nesting (which also stops arrays that contain themselves).
pub fn params_from_array(ht: &ZendHashTable, depth: usize) -> Result<Params<'_>, Error> {
    let mut params = Vec::with_capacity(ht.len());
    for_each_entry(ht, |key, value| {
        let value = value.dereference();
        let converted = if let Some(s) = value.zend_str() {
            Value::Str(Cow::Borrowed(s.as_bytes()))
        } else if let Some(n) = value.long() {
            Value::Int(n)
        } else if let Some(inner) = value.array() {
            if depth + 1 > MAX_DEPTH {
                return Err(Error::TooDeep { arg: (3, "params") });
            }
            Value::Array(params_from_array(inner, depth + 1).map_err(|e| prefix_path(e, key))?)
        } else {
            return Err(Error::ParamType {
                arg: (3, "params"),
                path: display_key(key),
                given: type_name(value),
            });
        };
        params.push((key_of(key), converted));
        Ok(())
    })?;
    Ok(params)
}

/// Prepends the parent key to the path of a nested type error.
fn prefix_path(error: Error, key: &Zval) -> Error {
    match error {
        Error::ParamType { arg, path, given } => Error::ParamType {
            arg,
            path: display_key(key) + &path,
            given,
        },
        other => other,
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
