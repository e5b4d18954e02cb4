//! Small helpers over PHP values: type names, strings and array entries, binary-safe.

use ext_php_rs::convert::IntoZval;
use ext_php_rs::flags::DataType;
use ext_php_rs::types::{ArrayKey, ZendHashTable, ZendStr, Zval};

/// PHP's name for a value's type in error messages (`zend_zval_type_name()` in PHP 8.2;
/// objects are named by their class).
pub fn type_name(value: &Zval) -> String {
    let value = value.dereference();
    if value.is_null() {
        "null".into()
    } else if value.is_bool() {
        "bool".into()
    } else if value.is_long() {
        "int".into()
    } else if value.is_double() {
        "float".into()
    } else if value.is_string() {
        "string".into()
    } else if value.is_array() {
        "array".into()
    } else if let Some(object) = value.object() {
        // Anonymous classes are named "class@anonymous\0/file:line$0"; PHP prints the part
        // before the NUL.
        let name = object.get_class_name().unwrap_or_else(|_| "object".into());
        name.split('\0').next().unwrap_or_default().to_string()
    } else if value.is_resource() {
        "resource".into()
    } else {
        "mixed".into()
    }
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

/// A zval holding a copy of `bytes` as a PHP string (binary-safe).
pub fn string_zval(bytes: &[u8]) -> Zval {
    let mut zval = Zval::new();
    zval.set_zend_string(ZendStr::new(bytes, false));
    zval
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
