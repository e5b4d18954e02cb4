//! A PHP array of request parameters, as the oracles model it.

/// A PHP array key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhpKey {
    /// An int key.
    Int(i64),
    /// A string key that PHP does not store as an int.
    Str(Vec<u8>),
}

impl PhpKey {
    /// The key PHP stores for the string `bytes` (`ZEND_HANDLE_NUMERIC_STR` in
    /// `Zend/zend_hash.c`): a string that is exactly the decimal form of an int (no sign
    /// `+`, no leading zero, no `-0`, no spaces, in range) becomes that int.
    pub fn from_bytes(bytes: &[u8]) -> Self {
        let as_int = std::str::from_utf8(bytes)
            .ok()
            .and_then(|text| text.parse::<i64>().ok())
            .filter(|n| n.to_string().as_bytes() == bytes);
        match as_int {
            Some(n) => Self::Int(n),
            None => Self::Str(bytes.to_vec()),
        }
    }

    /// `(string) $key`.
    pub fn to_php_string(&self) -> Vec<u8> {
        match self {
            Self::Int(n) => n.to_string().into_bytes(),
            Self::Str(s) => s.clone(),
        }
    }

    /// PHP's `if ( $key )` on the key.
    pub fn is_truthy(&self) -> bool {
        match self {
            Self::Int(n) => *n != 0,
            Self::Str(s) => !(s.is_empty() || s == b"0"),
        }
    }
}

/// A parameter value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhpValue {
    /// A string.
    Str(Vec<u8>),
    /// An int.
    Int(i64),
    /// A nested array.
    Array(PhpArray),
}

impl PhpValue {
    /// `(string) $value` of a scalar.
    pub fn scalar_string(&self) -> Option<Vec<u8>> {
        match self {
            Self::Str(s) => Some(s.clone()),
            Self::Int(n) => Some(n.to_string().into_bytes()),
            Self::Array(_) => None,
        }
    }
}

/// An ordered PHP array.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PhpArray(pub Vec<(PhpKey, PhpValue)>);

impl PhpArray {
    /// `$array[$key] = $value`: a new key goes at the end, an existing one keeps its place.
    pub fn set(&mut self, key: PhpKey, value: PhpValue) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = value,
            None => self.0.push((key, value)),
        }
    }

    /// The nesting level of the deepest array inside (an array element of this array is
    /// level 1), leaving out the element `skip`; 0 without arrays.
    pub fn array_depth(&self, skip: Option<&PhpKey>) -> usize {
        self.0
            .iter()
            .filter(|(k, _)| Some(k) != skip)
            .map(|(_, v)| match v {
                PhpValue::Array(inner) => 1 + inner.array_depth(None),
                _ => 0,
            })
            .max()
            .unwrap_or(0)
    }

    /// `$array[$name]` for a string key.
    pub fn get(&self, name: &[u8]) -> Option<&PhpValue> {
        let key = PhpKey::from_bytes(name);
        self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }
}
