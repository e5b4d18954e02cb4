//! Deterministic random inputs for the randomized oracle tests (no dependency, a fixed
//! seed per test, so a failure reproduces).

use super::php_array::{PhpArray, PhpKey, PhpValue};

/// xorshift64*.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number below `n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap_or(0)
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Up to `max_len` bytes, mixing unreserved, reserved, arbitrary and letter bytes.
    pub fn bytes(&mut self, max_len: usize) -> Vec<u8> {
        let len = self.below(max_len + 1);
        (0..len)
            .map(|_| match self.below(4) {
                0 => *self.pick(b"aZ9-._~"),
                1 => *self.pick(b" %+&=[]/:?#\0\"',*"),
                2 => u8::try_from(self.below(256)).unwrap_or(0),
                _ => b'a' + u8::try_from(self.below(26)).unwrap_or(0),
            })
            .collect()
    }
}

/// Keys that exercise the base-string rules: empty and "0"-like, numeric-looking, ones
/// whose raw and encoded orders differ, reserved bytes, `oauth_signature` itself.
const KEY_POOL: &[&str] = &[
    "",
    "0",
    "00",
    "1",
    "10",
    "9",
    "-1",
    "-0",
    "a",
    "A",
    "aZ",
    "a[b]",
    "a b",
    "é",
    "%",
    "~",
    "*",
    "x.y",
    "oauth_signature",
    "oauth_nonce",
    "filter",
    "c@",
    "c2",
];

/// A random array key, as PHP would store it.
pub fn key(rng: &mut Rng) -> PhpKey {
    match rng.below(5) {
        0 => PhpKey::Int(i64::try_from(rng.below(20)).unwrap_or(0) - 3),
        1 => PhpKey::from_bytes(&rng.bytes(11)),
        _ => PhpKey::from_bytes(rng.pick(KEY_POOL).as_bytes()),
    }
}

/// A random parameter array, nested up to five levels.
pub fn params(rng: &mut Rng, depth: usize) -> PhpArray {
    let len = rng.below(if depth == 0 { 10 } else { 4 });
    let mut array = PhpArray::default();
    for _ in 0..len {
        let key = key(rng);
        let value = match rng.below(if depth < 4 { 6 } else { 4 }) {
            0 => PhpValue::Int(i64::try_from(rng.below(1000)).unwrap_or(0) - 500),
            1..=3 => PhpValue::Str(rng.bytes(11)),
            _ => PhpValue::Array(params(rng, depth + 1)),
        };
        array.set(key, value);
    }
    array
}
