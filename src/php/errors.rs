//! Every exception the extension throws, worded the way PHP words its own.
//!
//! Messages start with the function (`Keysmith\f(): `) and name the argument
//! (`Argument #3 ($params)`) as PHP's internal functions do. The pure-PHP twin reproduces
//! each message byte for byte (tests/php/unit/BadInputTest.php compares the two), so a
//! wording changes here and in the twin together.

use ext_php_rs::convert::IntoZval;
use ext_php_rs::exception::PhpException;
use ext_php_rs::types::{ZendObject, Zval};
use ext_php_rs::zend::{ce, ClassEntry};

use crate::error::Error;
use crate::keys::{MAX_KEYS, MIN_KEYS};
use crate::oauth::params::MAX_DEPTH;
use crate::sealing::format::MAX_SECRET_LEN;

use super::zval::{display_key, string_zval, type_name};

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

    /// `Keysmith\f(): Argument #n ($name)`, the start of every message about it.
    fn subject(self) -> String {
        format!(
            "Keysmith\\{}(): Argument #{} (${})",
            self.function, self.position, self.name
        )
    }

    /// `TypeError`: the argument is not of the declared type.
    pub fn type_error(self, expected: &str, given: &Zval) -> PhpException {
        exception(
            ce::type_error(),
            format!(
                "{} must be of type {expected}, {} given",
                self.subject(),
                type_name(given)
            ),
        )
    }

    /// `TypeError`: a parameter value at `path` (`["a"][0]`) is neither string, int nor
    /// array.
    pub fn element_type_error(self, path: &str, given: &Zval) -> PhpException {
        exception(
            ce::type_error(),
            format!(
                "{} element {path} must be of type string|int|array, {} given",
                self.subject(),
                type_name(given)
            ),
        )
    }

    /// `TypeError`: an element of a list of strings is something else.
    pub fn not_a_string_error(self, key: &Zval, given: &Zval) -> PhpException {
        exception(
            ce::type_error(),
            format!(
                "{} must contain only strings, {} given at key {}",
                self.subject(),
                type_name(given),
                display_key(key)
            ),
        )
    }
}

/// The exception for a refusal of the Rust core. `input` is the argument whose value the
/// core was given, for the refusals that are about it (every function with arguments
/// passes it; `generate_key()` has none and can only fail for want of randomness).
pub fn core_error(function: &'static str, input: Option<ArgInfo>, error: &Error) -> PhpException {
    let subject = input.map_or_else(|| format!("Keysmith\\{function}():"), ArgInfo::subject);
    match error {
        Error::CountOutOfRange => exception(
            ce::value_error(),
            format!("{subject} must be between {MIN_KEYS} and {MAX_KEYS}"),
        ),
        Error::TooDeep => exception(
            ce::value_error(),
            format!("{subject} must not be nested deeper than {MAX_DEPTH} levels"),
        ),
        Error::MissingOAuthParam { name } => exception(
            ce::value_error(),
            format!("{subject} must contain \"{name}\" of type string"),
        ),
        Error::InvalidSignatureMethod { given } => exception(
            ce::value_error(),
            format!(
                // User bytes are escaped (printable ASCII kept, \xNN otherwise): no NUL or
                // invalid UTF-8 in messages, and the twin can reproduce it exactly.
                "Keysmith\\{function}(): Invalid signature method \"{}\": expected HMAC-SHA1 or HMAC-SHA256",
                given.escape_ascii()
            ),
        ),
        Error::SecretTooLong => exception(
            ce::value_error(),
            format!("{subject} must be at most {MAX_SECRET_LEN} bytes long"),
        ),
        Error::NotSealed => exception(
            ce::value_error(),
            format!("{subject} must be a sealed secret (\"ksv1:\" and canonical base64)"),
        ),
        Error::DoesNotOpen => exception(
            ce::value_error(),
            format!("{subject} could not be opened: it was sealed with another key, for another key row, or altered"),
        ),
        Error::RandomUnavailable => exception(
            ce::exception(),
            format!(
                "Keysmith\\{function}(): Could not gather sufficient random data from the operating system"
            ),
        ),
    }
}

/// An `\Exception`: `function` needs a sealing key and this process has none that works.
pub fn no_sealing_key(function: &str) -> PhpException {
    exception(
        ce::exception(),
        format!(
            "Keysmith\\{function}(): No sealing key is available (see Keysmith\\sealing_status())"
        ),
    )
}

/// An `\Error`: `function` gives a plaintext secret, which only the command line may have.
pub fn not_cli(function: &str, sapi: &str) -> PhpException {
    exception(
        ce::error(),
        format!("Keysmith\\{function}(): Only the CLI SAPI may unseal a secret; this is {sapi}"),
    )
}

/// An `\Exception` for a value the engine refused (an allocation, an array insert).
pub fn engine_error(function: &str, error: &ext_php_rs::error::Error) -> PhpException {
    exception(ce::exception(), format!("Keysmith\\{function}(): {error}"))
}

/// An exception of `class` carrying `message` byte for byte.
///
/// ext-php-rs throws by message only through a C string, which cannot hold a NUL byte (and
/// would then throw a generic `Error` instead). A message with a NUL is thrown as an object
/// built by the class's own constructor, exactly as `new ValueError($message)` in PHP.
fn exception(class: &'static ClassEntry, message: String) -> PhpException {
    if !message.contains('\0') {
        return PhpException::new(message, 0, class);
    }
    let object = ZendObject::new(class);
    let text = string_zval(message.as_bytes());
    let constructed = object
        .try_call_method("__construct", vec![&text])
        .and_then(|_| object.into_zval(false));
    let fallback = PhpException::new(message.replace('\0', "\\0"), 0, class);
    match constructed {
        Ok(zval) => fallback.with_object(zval),
        Err(_) => fallback,
    }
}
