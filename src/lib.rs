//! `keysmith`: WooCommerce REST API key generation, hashing and OAuth 1.0a verification
//! as a PHP extension, byte for byte compatible with WooCommerce.
//!
//! This file only registers the module and its `phpinfo()` section. The behaviour lives
//! in pure Rust modules without Zend types (unit-tested with plain `cargo test`):
//! [`keys`], [`hashing`], [`oauth`], [`encoding`], [`compare`], [`sealing`], with failures as
//! [`error::Error`] values. The PHP binding layer in `php/` is the only code that knows
//! PHP: its types, its exception classes and how it words messages.

#![cfg_attr(windows, feature(abi_vectorcall))]
#![forbid(unsafe_code)]

pub mod compare;
pub mod encoding;
pub mod error;
pub mod hashing;
pub mod keys;
pub mod oauth;
mod php;
pub mod sealing;

use ext_php_rs::prelude::*;
use ext_php_rs::zend::ModuleEntry;
use ext_php_rs::{info_table_end, info_table_row, info_table_start};

/// Facts about this build, embedded by build.rs.
mod build_info {
    pub const GIT: &str = env!("KEYSMITH_GIT");
    pub const RUSTC: &str = env!("KEYSMITH_RUSTC");
    pub const PROFILE: &str = env!("KEYSMITH_PROFILE");
    pub const PHP_API: &str = env!("KEYSMITH_PHP_API");
}

/// The `keysmith` section of `phpinfo()` / `php --ri keysmith`.
extern "C" fn php_module_info(_module: *mut ModuleEntry) {
    let zts = if ext_php_rs::PHP_ZTS {
        "ZTS (thread-safe)"
    } else {
        "NTS (not thread-safe)"
    };
    info_table_start!();
    info_table_row!("keysmith support", "enabled");
    info_table_row!("version", env!("CARGO_PKG_VERSION"));
    info_table_row!("built for PHP API", build_info::PHP_API);
    info_table_row!(
        "Zend module API",
        ext_php_rs::ffi::ZEND_MODULE_API_NO.to_string()
    );
    info_table_row!("thread safety", zts);
    info_table_row!("build profile", build_info::PROFILE);
    info_table_row!("git commit", build_info::GIT);
    info_table_row!("rustc", build_info::RUSTC);
    for (name, value) in php::sealing::info_rows() {
        info_table_row!(name, value.replace('\0', "\\0"));
    }
    info_table_end!();
}

/// The module entry PHP loads.
#[php_module]
pub fn get_module(module: ModuleBuilder) -> ModuleBuilder {
    php::sealing::register(php::functions::register(module)).info_function(php_module_info)
}
