//! The sealed form of a consumer secret:
//!
//! ```text
//! ksv1:<base64( nonce (12 bytes) ‖ ciphertext (as long as the secret) ‖ tag (16 bytes) )>
//! ```
//!
//! ChaCha20-Poly1305 as in RFC 8439 (the IETF variant: 96-bit nonce), with a fresh random nonce
//! per value and the key row's stored `consumer_key` hash as associated data, so that a sealed
//! value copied onto another row does not open there. base64 is the standard alphabet with
//! padding, and only its canonical form is accepted (no missing or extra padding, no stray
//! bits, no whitespace), exactly as the twin checks it.
//!
//! The prefix names the format's version and can never be taken for a WooCommerce secret
//! (`cs_…`). A secret is at most [`MAX_SECRET_LEN`] bytes, so every sealed value fits
//! Keysmith's column ([`MAX_SEALED_LEN`] characters; WooCommerce's secrets are 43).

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use ring::aead::{Aad, Nonce, NONCE_LEN as RING_NONCE_LEN};
use ring::rand::{SecureRandom, SystemRandom};

use super::key::SealingKey;
use crate::error::Error;

/// What every sealed value starts with.
pub const PREFIX: &[u8] = b"ksv1:";

/// Nonce length (96 bits).
pub const NONCE_LEN: usize = RING_NONCE_LEN;

/// Poly1305 tag length.
pub const TAG_LEN: usize = 16;

/// The longest secret that can be sealed.
pub const MAX_SECRET_LEN: usize = 64;

/// The longest sealed value: the prefix and the base64 of nonce, longest secret and tag.
pub const MAX_SEALED_LEN: usize =
    PREFIX.len() + (NONCE_LEN + MAX_SECRET_LEN + TAG_LEN).div_ceil(3) * 4;

/// A secret just opened. Its bytes are overwritten with zeros when it is dropped.
pub struct Plaintext(Vec<u8>);

impl Plaintext {
    /// The secret.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl AsRef<[u8]> for Plaintext {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl Drop for Plaintext {
    fn drop(&mut self) {
        self.0.fill(0);
        std::hint::black_box(&self.0);
    }
}

impl std::fmt::Debug for Plaintext {
    /// Never prints the secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Plaintext(<redacted>)")
    }
}

/// Seals `secret` under `key` with a fresh random nonce.
///
/// # Errors
/// [`Error::SecretTooLong`] above [`MAX_SECRET_LEN`] bytes, [`Error::RandomUnavailable`] when
/// the operating system gives no random bytes.
pub fn seal(key: &SealingKey, secret: &[u8], ad: &[u8]) -> Result<Vec<u8>, Error> {
    let mut nonce = [0u8; NONCE_LEN];
    SystemRandom::new()
        .fill(&mut nonce)
        .map_err(|_| Error::RandomUnavailable)?;
    seal_with_nonce(key, &nonce, secret, ad)
}

/// Seals `secret` under `key` with the given nonce. Only for the shared vectors: a nonce must
/// never be used twice with one key.
///
/// # Errors
/// [`Error::SecretTooLong`] above [`MAX_SECRET_LEN`] bytes.
pub fn seal_with_nonce(
    key: &SealingKey,
    nonce: &[u8; NONCE_LEN],
    secret: &[u8],
    ad: &[u8],
) -> Result<Vec<u8>, Error> {
    if secret.len() > MAX_SECRET_LEN {
        return Err(Error::SecretTooLong);
    }
    let mut raw = Vec::with_capacity(NONCE_LEN + secret.len() + TAG_LEN);
    raw.extend_from_slice(nonce);
    raw.extend_from_slice(secret);
    let tag = key
        .aead()
        .seal_in_place_separate_tag(
            Nonce::assume_unique_for_key(*nonce),
            Aad::from(ad),
            &mut raw[NONCE_LEN..],
        )
        // ring refuses only inputs beyond ChaCha20's 256 GiB limit, far above MAX_SECRET_LEN.
        .map_err(|_| Error::SecretTooLong)?;
    raw.extend_from_slice(tag.as_ref());
    let mut sealed = Vec::with_capacity(MAX_SEALED_LEN);
    sealed.extend_from_slice(PREFIX);
    sealed.extend_from_slice(STANDARD.encode(&raw).as_bytes());
    Ok(sealed)
}

/// A value in the sealed format, decoded: nonce ‖ ciphertext ‖ tag.
pub struct Decoded(Vec<u8>);

/// Decodes a value in the sealed format.
///
/// # Errors
/// [`Error::NotSealed`] for anything else: another prefix, base64 that is not canonical, or
/// fewer bytes than a nonce and a tag.
pub fn decode(sealed: &[u8]) -> Result<Decoded, Error> {
    let body = sealed.strip_prefix(PREFIX).ok_or(Error::NotSealed)?;
    let raw = STANDARD.decode(body).map_err(|_| Error::NotSealed)?;
    if raw.len() < NONCE_LEN + TAG_LEN {
        return Err(Error::NotSealed);
    }
    Ok(Decoded(raw))
}

/// Opens a sealed value with the first of `keys` that can.
///
/// # Errors
/// [`Error::NotSealed`] when the value is not in the sealed format (see [`decode`]),
/// [`Error::DoesNotOpen`] when no key opens it (see [`open_decoded`]).
pub fn open<'k>(
    keys: impl IntoIterator<Item = &'k SealingKey>,
    sealed: &[u8],
    ad: &[u8],
) -> Result<Plaintext, Error> {
    open_decoded(keys, &decode(sealed)?, ad)
}

/// Opens a decoded value with the first of `keys` that can.
///
/// # Errors
/// [`Error::DoesNotOpen`] when no key opens it with this associated data: another key sealed
/// it, it belongs to another row, or it was altered.
pub fn open_decoded<'k>(
    keys: impl IntoIterator<Item = &'k SealingKey>,
    decoded: &Decoded,
    ad: &[u8],
) -> Result<Plaintext, Error> {
    let raw = &decoded.0;
    let mut nonce = [0u8; NONCE_LEN];
    nonce.copy_from_slice(&raw[..NONCE_LEN]);
    for key in keys {
        // open_in_place leaves the buffer garbled when it fails: each key gets its own copy.
        let mut buffer = Plaintext(raw[NONCE_LEN..].to_vec());
        let opened = key
            .aead()
            .open_in_place(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(ad),
                &mut buffer.0,
            )
            .map(|plain| plain.len());
        if let Ok(len) = opened {
            buffer.0.truncate(len);
            return Ok(buffer);
        }
    }
    Err(Error::DoesNotOpen)
}

#[cfg(test)]
mod tests {
    use super::*;

    const AD: &[u8] = b"4ffbd479cad9f24fb43a1516cb436a9dad0e2e23ef491464e29c2d81dae32edd";
    const SECRET: &[u8] = b"cs_0123456789abcdef0123456789abcdef01234567";

    fn key(byte: u8) -> SealingKey {
        SealingKey::from_bytes(&[byte; 32]).unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn opened(keys: &[&SealingKey], sealed: &[u8], ad: &[u8]) -> Result<Vec<u8>, Error> {
        open(keys.iter().copied(), sealed, ad).map(|p| p.as_bytes().to_vec())
    }

    #[test]
    fn round_trip_and_fresh_nonces() {
        let k = key(1);
        let a = seal(&k, SECRET, AD).unwrap_or_default();
        let b = seal(&k, SECRET, AD).unwrap_or_default();
        assert!(a.starts_with(b"ksv1:"));
        assert_ne!(a, b, "a fresh nonce per value");
        assert_eq!(a.len(), 5 + (12 + 43 + 16_usize).div_ceil(3) * 4);
        assert_eq!(opened(&[&k], &a, AD), Ok(SECRET.to_vec()));
        assert_eq!(opened(&[&k], &b, AD), Ok(SECRET.to_vec()));
    }

    #[test]
    fn previous_key_opens_what_the_current_cannot() {
        let (current, previous, other) = (key(1), key(2), key(3));
        let old = seal(&previous, SECRET, AD).unwrap_or_default();
        assert_eq!(
            opened(&[&current, &previous], &old, AD),
            Ok(SECRET.to_vec())
        );
        assert_eq!(
            opened(&[&current, &other], &old, AD),
            Err(Error::DoesNotOpen)
        );
        assert_eq!(opened(&[], &old, AD), Err(Error::DoesNotOpen));
    }

    #[test]
    fn other_rows_altered_values_and_other_formats_do_not_open() {
        let k = key(1);
        let sealed = seal(&k, SECRET, AD).unwrap_or_default();
        assert_eq!(
            opened(&[&k], &sealed, b"another row"),
            Err(Error::DoesNotOpen)
        );
        assert_eq!(opened(&[&k], &sealed, b""), Err(Error::DoesNotOpen));
        let raw = decode(&sealed).map(|d| d.0.clone()).unwrap_or_default();
        for bit in 0..raw.len() * 8 {
            let mut flipped = raw.clone();
            flipped[bit / 8] ^= 1 << (bit % 8);
            let value = [PREFIX, STANDARD.encode(&flipped).as_bytes()].concat();
            assert_eq!(
                opened(&[&k], &value, AD),
                Err(Error::DoesNotOpen),
                "bit {bit}"
            );
        }
        for cut in [1, 4, 8, sealed.len() - 5 - 36] {
            let truncated = &sealed[..sealed.len() - cut];
            assert!(opened(&[&k], truncated, AD).is_err(), "cut {cut}");
        }
        for not_sealed in [
            &b""[..],
            b"ksv1:",
            b"cs_0123456789abcdef0123456789abcdef01234567",
            b"ksv2:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            b"KSV1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            b"ksv1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", // 27 bytes: no room for nonce and tag
            b"ksv1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", // missing padding
            b"ksv1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB=", // stray bits
            b"ksv1: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            b"ksv1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-_",
        ] {
            assert_eq!(
                opened(&[&k], not_sealed, AD),
                Err(Error::NotSealed),
                "{}",
                not_sealed.escape_ascii()
            );
        }
        let with_prefix_moved = [&sealed[5..], PREFIX].concat();
        assert_eq!(opened(&[&k], &with_prefix_moved, AD), Err(Error::NotSealed));
    }

    #[test]
    fn secrets_up_to_the_limit_fit_the_column() {
        let k = key(1);
        let longest = seal(&k, &[b'x'; MAX_SECRET_LEN], AD).unwrap_or_default();
        assert_eq!(longest.len(), MAX_SEALED_LEN);
        assert_eq!(
            seal(&k, &[b'x'; MAX_SECRET_LEN + 1], AD),
            Err(Error::SecretTooLong)
        );
        let empty = seal(&k, b"", AD).unwrap_or_default();
        assert_eq!(opened(&[&k], &empty, AD), Ok(Vec::new()));
    }

    #[test]
    fn plaintext_is_not_printed() {
        let k = key(1);
        let sealed = seal(&k, SECRET, AD).unwrap_or_default();
        let plain = open([&k], &sealed, AD);
        assert!(!format!("{plain:?}").contains("cs_"));
    }
}
