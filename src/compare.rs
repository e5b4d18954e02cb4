//! Constant-time string comparison with PHP's `hash_equals()` semantics.
//!
//! Like `hash_equals()`, a length mismatch returns `false` at once (lengths of secrets
//! and signatures are public); equal-length inputs are compared without data-dependent
//! branches or early exit, so timing does not reveal where they differ.

/// `hash_equals($known, $user)`.
#[must_use]
pub fn equals(known: &[u8], user: &[u8]) -> bool {
    if known.len() != user.len() {
        return false;
    }
    let mut diff = 0u8;
    for (a, b) in known.iter().zip(user) {
        diff |= a ^ b;
    }
    // black_box keeps the optimiser from turning the fold into an early-exit memcmp.
    std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::equals;

    #[test]
    fn behaves_like_hash_equals() {
        assert!(equals(b"", b""));
        assert!(equals(b"abc", b"abc"));
        assert!(!equals(b"abc", b"abd"));
        assert!(!equals(b"abc", b"ab"));
        assert!(!equals(b"ab", b"abc"));
        assert!(equals(&[0, 255, 7], &[0, 255, 7]));
        assert!(!equals(&[0x80], &[0x00]));
    }
}
