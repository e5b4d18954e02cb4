//! OAuth 1.0a "one-legged" signing exactly as WooCommerce's `WC_REST_Authentication`
//! does it, quirks included, so that Keysmith accepts and refuses exactly the requests
//! WooCommerce would (docs/woocommerce-compatibility.md §3.4).
//!
//! * [`params`]: the parameters being signed (a PHP array, flattened);
//! * [`base_string`]: the string to sign;
//! * [`signature`]: HMAC-SHA1 / HMAC-SHA256 signatures and their verification;
//! * [`header`]: parsing of the `Authorization: OAuth ...` header.

pub mod base_string;
pub mod header;
pub mod params;
pub mod signature;
