//! A PHP parameter array in the core's flat form ([`Params`]), without copying a key or a
//! value.

use ext_php_rs::exception::PhpException;
use ext_php_rs::types::{ZendHashTable, Zval};

use crate::error::Error;
use crate::oauth::params::{Key, Params, Value, MAX_DEPTH};

use super::errors::{core_error, ArgInfo};
use super::zval::{display_key, for_each_entry};

/// A parameter array walked once, depth-first, holding its string keys alive.
///
/// The engine hands out array keys only as fresh zvals, which cannot be borrowed for the
/// array's lifetime. Keeping those zvals here (a refcount each, no copy) lets
/// [`PhpParams::params`] hand the core a [`Params`] that borrows every key and value:
/// two allocations for a whole request instead of one per key and per nested array.
pub struct PhpParams<'a> {
    nodes: Vec<(NodeKey, Value<'a>)>,
}

/// A key as the walk found it.
enum NodeKey {
    Int(i64),
    /// A string key, kept alive by the zval.
    Str(Zval),
}

impl NodeKey {
    fn new(key: Zval) -> Self {
        match key.long() {
            Some(n) => Self::Int(n),
            // The zval keeps the key string alive (a refcount, no copy).
            None => Self::Str(key),
        }
    }

    /// The key as shown in an error path: `[5]` or `["name"]`.
    fn label(&self) -> String {
        match self {
            Self::Int(n) => format!("[{n}]"),
            Self::Str(key) => display_key(key),
        }
    }
}

impl<'a> PhpParams<'a> {
    /// Walks the parameter array `ht`, passed as argument `arg`, checking every value.
    ///
    /// # Errors
    /// A `TypeError` naming the path of a float/bool/null/object/resource value, a
    /// `ValueError` beyond [`MAX_DEPTH`] levels of nesting (which also stops arrays that
    /// contain themselves).
    pub fn from_array(ht: &'a ZendHashTable, arg: ArgInfo) -> Result<Self, PhpException> {
        let mut params = Self {
            nodes: Vec::with_capacity(ht.len() + 4),
        };
        let mut ancestors = Vec::new();
        params.walk(ht, &mut ancestors, arg)?;
        Ok(params)
    }

    /// Appends the elements of `ht`, whose parent arrays are the nodes `ancestors`;
    /// returns how many.
    fn walk(
        &mut self,
        ht: &'a ZendHashTable,
        ancestors: &mut Vec<usize>,
        arg: ArgInfo,
    ) -> Result<usize, PhpException> {
        let mut count = 0;
        for_each_entry(ht, |key, value| {
            let value = value.dereference();
            let Some(converted) = convert(value) else {
                let path = self.path(ancestors) + &display_key(&key);
                return Err(arg.element_type_error(&path, value));
            };
            let at = self.nodes.len();
            self.nodes.push((NodeKey::new(key), converted));
            if let Some(inner) = value.array() {
                if ancestors.len() + 1 > MAX_DEPTH {
                    return Err(core_error(arg.function, Some(arg), &Error::TooDeep));
                }
                ancestors.push(at);
                let children = self.walk(inner, ancestors, arg)?;
                ancestors.pop();
                let descendants = self.nodes.len() - at - 1;
                self.nodes[at].1 = Value::Array {
                    children,
                    descendants,
                };
            }
            count += 1;
            Ok(())
        })?;
        Ok(count)
    }

    /// The PHP path of the nodes `ancestors`, e.g. `["filter"][0]`.
    fn path(&self, ancestors: &[usize]) -> String {
        ancestors
            .iter()
            .filter_map(|&at| self.nodes.get(at))
            .map(|(key, _)| key.label())
            .collect()
    }

    /// The parameters in the core's form, borrowing keys and values.
    pub fn params(&self) -> Params<'_> {
        let mut params = Params::with_capacity(self.nodes.len());
        for (key, value) in &self.nodes {
            let key = match key {
                NodeKey::Int(n) => Key::Int(*n),
                NodeKey::Str(key) => Key::Str(key.zend_str().map_or(&b""[..], |s| s.as_bytes())),
            };
            params.push(key, *value);
        }
        params
    }
}

/// The core's form of one parameter value (an array's counts are filled in once it is
/// walked), or `None` for anything but a string, an int or an array.
fn convert(value: &Zval) -> Option<Value<'_>> {
    if let Some(s) = value.zend_str() {
        Some(Value::Str(s.as_bytes()))
    } else if let Some(n) = value.long() {
        Some(Value::Int(n))
    } else if value.is_array() {
        Some(Value::Array {
            children: 0,
            descendants: 0,
        })
    } else {
        None
    }
}
