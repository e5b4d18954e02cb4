//! The PHP binding layer: the only code that touches Zend types.
//!
//! `args` turns PHP arguments into Rust values with PHP-style `TypeError`s, `convert`
//! moves arrays across, `functions` defines the `Keysmith\*` functions.

pub mod args;
pub mod convert;
pub mod functions;
