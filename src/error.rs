//! Errors of the Rust core.
//!
//! The core never panics on input; every failure is a value of [`Error`], which says what
//! was refused and nothing about how a caller reports it. The PHP binding (`php/errors.rs`)
//! picks the exception class and words the message as PHP words its own.

use std::fmt;

/// Everything the core can refuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// A key count outside `keys::MIN_KEYS..=keys::MAX_KEYS`.
    CountOutOfRange,
    /// The operating system's CSPRNG failed.
    RandomUnavailable,
    /// A signature method other than exactly `HMAC-SHA1` / `HMAC-SHA256`.
    InvalidSignatureMethod {
        /// The method as given.
        given: Vec<u8>,
    },
    /// Parameters nested deeper than `oauth::params::MAX_DEPTH`.
    TooDeep,
    /// A required top-level OAuth parameter is missing or not a string.
    MissingOAuthParam {
        /// The parameter's name.
        name: &'static str,
    },
    /// A secret too long to seal (`sealing::format::MAX_SECRET_LEN`).
    SecretTooLong,
    /// A value that is not in the sealed format (`sealing::format`).
    NotSealed,
    /// A sealed value no configured key opens with the given associated data.
    DoesNotOpen,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CountOutOfRange => f.write_str("key count out of range"),
            Self::RandomUnavailable => f.write_str("the operating system's CSPRNG failed"),
            Self::InvalidSignatureMethod { given } => {
                write!(f, "invalid signature method \"{}\"", given.escape_ascii())
            }
            Self::TooDeep => f.write_str("parameters nested too deeply"),
            Self::MissingOAuthParam { name } => write!(f, "no string parameter {name}"),
            Self::SecretTooLong => f.write_str("secret too long to seal"),
            Self::NotSealed => f.write_str("not a sealed secret"),
            Self::DoesNotOpen => f.write_str("the sealed secret does not open"),
        }
    }
}

impl std::error::Error for Error {}
