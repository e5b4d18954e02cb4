//! Strict argument types: PHP values in, byte slices / ints / arrays out, or a `TypeError`
//! worded the way PHP words its own.
//!
//! ext-php-rs rejects a wrongly typed argument with a generic "Invalid value given for
//! argument" message. These wrappers accept any zval at the FFI boundary (their declared
//! type still goes into the arginfo, so Reflection and the generated stub show `string`,
//! `int`, `array`) and let the binding raise
//! `Keysmith\f(): Argument #1 ($data) must be of type string, array given`.
//! Nothing is coerced: `"5"` is not an int and `5` is not a string, whatever the caller's
//! `strict_types` mode.

use ext_php_rs::convert::{FromZval, IntoZval};
use ext_php_rs::exception::PhpException;
use ext_php_rs::flags::DataType;
use ext_php_rs::types::{ZendHashTable, ZendObject, Zval};
use ext_php_rs::zend::{ce, ClassEntry};

/// An exception of `class` carrying `message` byte for byte.
///
/// ext-php-rs throws by message only through a C string, which cannot hold a NUL byte (and
/// would then throw a generic `Error` instead). Messages quote user input (an invalid
/// signature method, for instance), so a message with a NUL is thrown as an object built
/// by the class's own constructor, exactly as `new ValueError($message)` in PHP.
pub fn exception(class: &'static ClassEntry, message: String) -> PhpException {
    if !message.contains('\0') {
        return PhpException::new(message, 0, class);
    }
    let object = ZendObject::new(class);
    let text = super::convert::string_zval(message.as_bytes());
    let constructed = object
        .try_call_method("__construct", vec![&text])
        .and_then(|_| object.into_zval(false));
    let fallback = PhpException::new(message.replace('\0', "\\0"), 0, class);
    match constructed {
        Ok(zval) => fallback.with_object(zval),
        Err(_) => fallback,
    }
}

/// Identifies an argument in messages: function, 1-based position, parameter name.
#[derive(Clone, Copy)]
pub struct ArgInfo {
    /// Function name without namespace, e.g. `api_hash`.
    pub function: &'static str,
    /// 1-based position.
    pub position: u8,
    /// Parameter name without `$`.
    pub name: &'static str,
}

impl ArgInfo {
    /// Shorthand constructor.
    pub const fn new(function: &'static str, position: u8, name: &'static str) -> Self {
        Self {
            function,
            position,
            name,
        }
    }

    /// `TypeError` "Keysmith\f(): Argument #n ($name) must be of type T, U given".
    pub fn type_error(self, expected: &str, given: &Zval) -> PhpException {
        exception(
            ce::type_error(),
            format!(
                "Keysmith\\{}(): Argument #{} (${}) must be of type {expected}, {} given",
                self.function,
                self.position,
                self.name,
                type_name(given)
            ),
        )
    }
}

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
        // before the NUL (and a NUL could not go into an exception message here).
        let name = object.get_class_name().unwrap_or_else(|_| "object".into());
        name.split('\0').next().unwrap_or_default().to_string()
    } else if value.is_resource() {
        "resource".into()
    } else {
        "mixed".into()
    }
}

/// Declares a wrapper that takes any zval but advertises `$ty` in the arginfo.
macro_rules! strict_arg {
    ($(#[$doc:meta])* $name:ident, $ty:expr) => {
        $(#[$doc])*
        pub struct $name<'a>(&'a Zval);

        impl<'a> FromZval<'a> for $name<'a> {
            const TYPE: DataType = $ty;

            fn from_zval(zval: &'a Zval) -> Option<Self> {
                Some(Self(zval))
            }
        }
    };
}

strict_arg!(
    /// A `string` parameter; binary-safe.
    StrArg,
    DataType::String
);
strict_arg!(
    /// An `int` parameter.
    IntArg,
    DataType::Long
);
strict_arg!(
    /// An `array` parameter.
    ArrayArg,
    DataType::Array
);

impl<'a> StrArg<'a> {
    /// The string's bytes, or a `TypeError` naming the argument.
    pub fn bytes(&self, info: ArgInfo) -> Result<&'a [u8], PhpException> {
        self.0
            .zend_str()
            .map(|s| s.as_bytes())
            .ok_or_else(|| info.type_error("string", self.0))
    }
}

impl IntArg<'_> {
    /// The int, or a `TypeError` naming the argument.
    pub fn int(&self, info: ArgInfo) -> Result<i64, PhpException> {
        self.0.long().ok_or_else(|| info.type_error("int", self.0))
    }
}

impl<'a> ArrayArg<'a> {
    /// The array, or a `TypeError` naming the argument.
    pub fn array(&self, info: ArgInfo) -> Result<&'a ZendHashTable, PhpException> {
        self.0
            .array()
            .ok_or_else(|| info.type_error("array", self.0))
    }
}
