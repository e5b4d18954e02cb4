//! Errors of the Rust core, independent of PHP.
//!
//! The core never panics on input; every failure is a value of [`Error`]. The PHP binding
//! prefixes the message with the function name (as PHP does: `Keysmith\f(): ...`) and
//! throws the exception class given by [`Error::kind`].

use std::fmt;

use crate::keys::{MAX_KEYS, MIN_KEYS};
use crate::oauth::params::MAX_DEPTH;

/// Which PHP exception class an [`Error`] becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// `\TypeError`: a value of the wrong type.
    Type,
    /// `\ValueError`: right type, value out of the accepted domain.
    Value,
    /// `\Exception`: the environment failed (no randomness available).
    Runtime,
}

/// Everything the core can refuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// `generate_keys()` asked for a count outside `1..=1_000_000`.
    CountOutOfRange {
        /// The 1-based argument position and name, e.g. `(1, "count")`.
        arg: (u8, &'static str),
    },
    /// The operating system's CSPRNG failed.
    RandomUnavailable,
    /// A signature method other than exactly `HMAC-SHA1` / `HMAC-SHA256`.
    InvalidSignatureMethod {
        /// The method as given (shown escaped).
        given: Vec<u8>,
    },
    /// Parameters nested deeper than [`MAX_DEPTH`].
    TooDeep {
        /// The argument holding the parameters.
        arg: (u8, &'static str),
    },
    /// A parameter value that is neither string, int nor array.
    ParamType {
        /// The argument holding the parameters.
        arg: (u8, &'static str),
        /// PHP-style path of the offending value, e.g. `["filter"]["x"]`.
        path: String,
        /// PHP type name of what was given (`float`, `bool`, `null`, class name...).
        given: String,
    },
    /// `oauth_verify()` params lack a string `oauth_signature` / `oauth_signature_method`.
    MissingOAuthParam {
        /// The argument holding the parameters.
        arg: (u8, &'static str),
        /// The required parameter name.
        name: &'static str,
    },
}

impl Error {
    /// The PHP exception class this error maps to.
    #[must_use]
    pub const fn kind(&self) -> ErrorKind {
        match self {
            Self::ParamType { .. } => ErrorKind::Type,
            Self::RandomUnavailable => ErrorKind::Runtime,
            Self::CountOutOfRange { .. }
            | Self::InvalidSignatureMethod { .. }
            | Self::TooDeep { .. }
            | Self::MissingOAuthParam { .. } => ErrorKind::Value,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CountOutOfRange { arg: (n, name) } => write!(
                f,
                "Argument #{n} (${name}) must be between {MIN_KEYS} and {MAX_KEYS}"
            ),
            Self::RandomUnavailable => {
                f.write_str("Could not gather sufficient random data from the operating system")
            }
            Self::InvalidSignatureMethod { given } => write!(
                f,
                "Invalid signature method \"{}\": expected HMAC-SHA1 or HMAC-SHA256",
                // User bytes are escaped (printable ASCII kept, \xNN otherwise): no NUL or
                // invalid UTF-8 in messages, and the twin can reproduce it exactly.
                given.escape_ascii()
            ),
            Self::TooDeep { arg: (n, name) } => write!(
                f,
                "Argument #{n} (${name}) must not be nested deeper than {MAX_DEPTH} levels"
            ),
            Self::ParamType {
                arg: (n, name),
                path,
                given,
            } => write!(
                f,
                "Argument #{n} (${name}) element {path} must be of type string|int|array, {given} given"
            ),
            Self::MissingOAuthParam {
                arg: (n, name),
                name: param,
            } => write!(
                f,
                "Argument #{n} (${name}) must contain \"{param}\" of type string"
            ),
        }
    }
}

impl std::error::Error for Error {}
