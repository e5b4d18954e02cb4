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

use ext_php_rs::convert::FromZval;
use ext_php_rs::exception::PhpException;
use ext_php_rs::flags::DataType;
use ext_php_rs::types::{ZendHashTable, Zval};

use super::errors::ArgInfo;

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
