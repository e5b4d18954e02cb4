//! The key records `generate_key()` and `generate_keys()` return.

use ext_php_rs::boxed::ZBox;
use ext_php_rs::types::{ArrayKey, ZendHashTable, ZendStr};

use crate::keys::GeneratedKey;

use super::zval::string_zval;

/// Array keys created once per call and shared by every record (refcounted, hashed once),
/// instead of allocating and hashing four key strings per generated key.
pub struct RecordKeys {
    consumer_key: ZBox<ZendStr>,
    consumer_secret: ZBox<ZendStr>,
    key_hash: ZBox<ZendStr>,
    truncated_key: ZBox<ZendStr>,
}

impl RecordKeys {
    /// Allocates the four keys.
    pub fn new() -> Self {
        Self {
            consumer_key: ZendStr::new("consumer_key", false),
            consumer_secret: ZendStr::new("consumer_secret", false),
            key_hash: ZendStr::new("key_hash", false),
            truncated_key: ZendStr::new("truncated_key", false),
        }
    }

    /// `['consumer_key' => ..., 'consumer_secret' => ..., 'key_hash' => ..., 'truncated_key' => ...]`.
    pub fn record(
        &self,
        key: &GeneratedKey,
    ) -> Result<ZBox<ZendHashTable>, ext_php_rs::error::Error> {
        let mut ht = ZendHashTable::with_capacity(4);
        ht.insert(
            ArrayKey::ZendString(&self.consumer_key),
            string_zval(&key.consumer_key),
        )?;
        ht.insert(
            ArrayKey::ZendString(&self.consumer_secret),
            string_zval(&key.consumer_secret),
        )?;
        ht.insert(
            ArrayKey::ZendString(&self.key_hash),
            string_zval(&key.key_hash),
        )?;
        ht.insert(
            ArrayKey::ZendString(&self.truncated_key),
            string_zval(key.truncated_key()),
        )?;
        Ok(ht)
    }
}
