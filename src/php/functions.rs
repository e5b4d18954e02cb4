//! The `Keysmith\*` PHP functions: argument checks, a call into the core, PHP values out.
//!
//! Each function is a thin shell: all behaviour lives in the core modules, so it is
//! unit-tested without PHP. Refusals become `TypeError` / `ValueError` / `Exception` with
//! PHP-style messages (`Keysmith\f(): Argument #n ($name) ...`), worded in `errors.rs`.

#![allow(clippy::needless_pass_by_value)] // ext-php-rs hands arguments over by value.

use ext_php_rs::boxed::ZBox;
use ext_php_rs::exception::PhpException;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ArrayKey, ZendHashTable, ZendStr};

use crate::error::Error;
use crate::oauth::base_string::base_string;
use crate::oauth::header::parse_header;
use crate::oauth::signature::{parse_method, signature, verify};
use crate::{compare, hashing, keys};

use super::args::{ArrayArg, IntArg, StrArg};
use super::errors::{core_error, engine_error, ArgInfo};
use super::params::PhpParams;
use super::records::RecordKeys;
use super::zval::{for_each_entry, insert_with_key, string_zval, PhpBytes};

/// The extension's version.
#[php_function]
#[php(name = "Keysmith\\version")]
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// One new WooCommerce key pair with its stored hash and truncated key.
#[php_function]
#[php(name = "Keysmith\\generate_key")]
pub fn generate_key() -> Result<ZBox<ZendHashTable>, PhpException> {
    const F: &str = "generate_key";
    let key = keys::generate_one().map_err(|e| core_error(F, None, &e))?;
    RecordKeys::new()
        .record(&key)
        .map_err(|e| engine_error(F, &e))
}

/// A list of `$count` new key records (`1 <= $count <= 1_000_000`).
#[php_function]
#[php(name = "Keysmith\\generate_keys")]
pub fn generate_keys(count: IntArg) -> Result<ZBox<ZendHashTable>, PhpException> {
    const F: &str = "generate_keys";
    let arg = ArgInfo::new(F, 1, "count");
    let count = keys::check_count(count.int(arg)?).map_err(|e| core_error(F, Some(arg), &e))?;
    let names = RecordKeys::new();
    // The list is pre-sized; `count` is at most 1_000_000, well within u32.
    let mut list = ZendHashTable::with_capacity(u32::try_from(count).unwrap_or(u32::MAX));
    keys::generate(count, |key| -> Result<(), GenerateFailure> {
        let record = names
            .record(key)
            .map_err(|e| GenerateFailure::Php(engine_error(F, &e)))?;
        list.push(record)
            .map_err(|e| GenerateFailure::Php(engine_error(F, &e)))
    })
    .map_err(|e| match e {
        GenerateFailure::Core(e) => core_error(F, Some(arg), &e),
        GenerateFailure::Php(e) => e,
    })?;
    Ok(list)
}

/// Failures of a generation run: the core's (no randomness) or the sink's (PHP).
enum GenerateFailure {
    Core(Error),
    Php(PhpException),
}

impl From<Error> for GenerateFailure {
    fn from(e: Error) -> Self {
        Self::Core(e)
    }
}

/// `wc_api_hash($data)`.
#[php_function]
#[php(name = "Keysmith\\api_hash")]
pub fn api_hash(data: StrArg) -> Result<PhpBytes<[u8; hashing::API_HASH_HEX_LEN]>, PhpException> {
    let data = data.bytes(ArgInfo::new("api_hash", 1, "data"))?;
    Ok(PhpBytes(hashing::api_hash_hex(data)))
}

/// `wc_api_hash()` of every value, keys preserved.
#[php_function]
#[php(name = "Keysmith\\api_hashes")]
pub fn api_hashes(data: ArrayArg) -> Result<ZBox<ZendHashTable>, PhpException> {
    const F: &str = "api_hashes";
    let arg = ArgInfo::new(F, 1, "data");
    let input = data.array(arg)?;
    let mut out = ZendHashTable::with_capacity(u32::try_from(input.len()).unwrap_or(u32::MAX));
    let mut hex = [0u8; hashing::API_HASH_HEX_LEN];
    for_each_entry(input, |key, value| {
        let Some(bytes) = value.zend_str() else {
            return Err(arg.not_a_string_error(&key, value));
        };
        hashing::api_hash_into(bytes.as_bytes(), &mut hex);
        insert_with_key(&mut out, &key, string_zval(&hex)).map_err(|e| engine_error(F, &e))
    })?;
    Ok(out)
}

/// WooCommerce's OAuth 1.0a string to sign.
#[php_function]
#[php(name = "Keysmith\\oauth_base_string")]
pub fn oauth_base_string(
    http_method: StrArg,
    url: StrArg,
    params: ArrayArg,
) -> Result<PhpBytes<Vec<u8>>, PhpException> {
    const F: &str = "oauth_base_string";
    let http_method = http_method.bytes(ArgInfo::new(F, 1, "http_method"))?;
    let url = url.bytes(ArgInfo::new(F, 2, "url"))?;
    let arg = ArgInfo::new(F, 3, "params");
    let params = PhpParams::from_array(params.array(arg)?, arg)?;
    let base = base_string(http_method, url, &params.params())
        .map_err(|e| core_error(F, Some(arg), &e))?;
    // The string is binary: the HTTP method is passed through byte for byte.
    Ok(PhpBytes(base))
}

/// `base64(HMAC(base, secret . '&'))` with `HMAC-SHA1` or `HMAC-SHA256`.
#[php_function]
#[php(name = "Keysmith\\oauth_signature")]
pub fn oauth_signature(
    base_string: StrArg,
    consumer_secret: StrArg,
    signature_method: StrArg,
) -> Result<String, PhpException> {
    const F: &str = "oauth_signature";
    let base = base_string.bytes(ArgInfo::new(F, 1, "base_string"))?;
    let secret = consumer_secret.bytes(ArgInfo::new(F, 2, "consumer_secret"))?;
    let arg = ArgInfo::new(F, 3, "signature_method");
    let method =
        parse_method(signature_method.bytes(arg)?).map_err(|e| core_error(F, Some(arg), &e))?;
    Ok(signature(base, secret, method))
}

/// Whether `$params['oauth_signature']` is WooCommerce's signature of the request.
#[php_function]
#[php(name = "Keysmith\\oauth_verify")]
pub fn oauth_verify(
    http_method: StrArg,
    url: StrArg,
    params: ArrayArg,
    consumer_secret: StrArg,
) -> Result<bool, PhpException> {
    const F: &str = "oauth_verify";
    let http_method = http_method.bytes(ArgInfo::new(F, 1, "http_method"))?;
    let url = url.bytes(ArgInfo::new(F, 2, "url"))?;
    let arg = ArgInfo::new(F, 3, "params");
    let params = params.array(arg)?;
    let secret = consumer_secret.bytes(ArgInfo::new(F, 4, "consumer_secret"))?;
    let params = PhpParams::from_array(params, arg)?;
    verify(http_method, url, &params.params(), secret).map_err(|e| core_error(F, Some(arg), &e))
}

/// WooCommerce's `parse_header()` of an `Authorization: OAuth ...` value.
#[php_function]
#[php(name = "Keysmith\\parse_oauth_header")]
pub fn parse_oauth_header(authorization: StrArg) -> Result<ZBox<ZendHashTable>, PhpException> {
    const F: &str = "parse_oauth_header";
    let header = authorization.bytes(ArgInfo::new(F, 1, "authorization"))?;
    let parsed = parse_header(header);
    let mut out = ZendHashTable::with_capacity(u32::try_from(parsed.len()).unwrap_or(u32::MAX));
    for (name, value) in parsed {
        // Names match oauth_[a-z_-]*: never numeric, so they stay string keys.
        let name = ZendStr::new(name, false);
        out.insert(ArrayKey::ZendString(&name), string_zval(&value))
            .map_err(|e| engine_error(F, &e))?;
    }
    Ok(out)
}

/// Constant-time comparison with `hash_equals()` semantics.
#[php_function]
#[php(name = "Keysmith\\equals")]
pub fn equals(known: StrArg, user: StrArg) -> Result<bool, PhpException> {
    let known = known.bytes(ArgInfo::new("equals", 1, "known"))?;
    let user = user.bytes(ArgInfo::new("equals", 2, "user"))?;
    Ok(compare::equals(known, user))
}

/// Adds every function to the module.
pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module
        .function(wrap_function!(version))
        .function(wrap_function!(generate_key))
        .function(wrap_function!(generate_keys))
        .function(wrap_function!(api_hash))
        .function(wrap_function!(api_hashes))
        .function(wrap_function!(oauth_base_string))
        .function(wrap_function!(oauth_signature))
        .function(wrap_function!(oauth_verify))
        .function(wrap_function!(parse_oauth_header))
        .function(wrap_function!(equals))
}
