//! The PHP binding layer: the only code that touches Zend types or words PHP messages.
//!
//! Dependencies run one way, `zval` <- `errors` <- `args`, `params`, `records` <-
//! `functions`: `zval` has helpers over PHP values, `errors` every exception the extension
//! throws (core errors included), `args` the strictly typed arguments, `params` the
//! parameter arrays in the core's form, `records` the generated key records,
//! `functions` the `Keysmith\*` functions themselves, and `sealing` the sealing functions with the
//! key they hold.

pub mod args;
pub mod errors;
pub mod functions;
pub mod params;
pub mod records;
pub mod sealing;
pub mod zval;
