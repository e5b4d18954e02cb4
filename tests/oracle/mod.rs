//! Independent re-implementations of the PHP and WooCommerce behaviour Keysmith reproduces,
//! used as oracles by the Rust tests and the fuzz targets (`fuzz/`, which include this
//! module by path).
//!
//! Nothing here uses the crate under test: each oracle is written from its PHP source
//! (`ext/standard/url.c`, `Zend/zend_hash.c`, WooCommerce's `WC_REST_Authentication`), in
//! the shape of that source rather than of Keysmith's optimised code, so a shortcut that is
//! wrong in the crate shows up as a difference. The one exception is [`input`], which only
//! hands an oracle's PHP array to the crate as its input type.

#![allow(dead_code)] // Each test crate uses its own part of the oracles.

pub mod input;
pub mod php_array;
pub mod php_url;
pub mod random;
pub mod woocommerce;
