<?php
/**
 * The pure-PHP twin of the extension's sealing functions (see functions.php for what the twin
 * shares with the extension): same names, same results, same errors, in the same order
 * (argument types, then the values, then the key, then the secret).
 *
 * A sealed secret is `ksv1:` + base64( nonce ‖ ciphertext ‖ tag ), ChaCha20-Poly1305 (IETF)
 * with the key row's stored consumer_key hash as associated data (README, "Sealed secrets").
 * The twin's key comes from wp-config.php (SealingKeys).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Fallback;

/** What every sealed value starts with. */
const SEALED_PREFIX = 'ksv1:';

/** The longest secret that can be sealed (its sealed form fits Keysmith's column). */
const MAX_SEALED_SECRET = 64;

/** The sealed form of `$secret` for the key row whose stored consumer_key hash is `$ad`. */
function seal( #[\SensitiveParameter] mixed $secret, mixed $ad ): string {
	Args::arity( func_num_args(), 'seal', 2 );
	$secret = Args::string( $secret, 'seal', 1, 'secret' );
	$ad     = Args::string( $ad, 'seal', 2, 'ad' );
	if ( strlen( $secret ) > MAX_SEALED_SECRET ) {
		throw new \ValueError( sprintf( 'Keysmith\\seal(): Argument #1 ($secret) must be at most %d bytes long', MAX_SEALED_SECRET ) );
	}
	$raw = SealingKeys::seal( $secret, $ad );
	if ( null === $raw ) {
		throw no_sealing_key( 'seal' );
	}
	return SEALED_PREFIX . base64_encode( $raw );
}

/**
 * Whether `$presented` is the secret sealed in `$sealed` (constant time). A value no key opens
 * for this row matches nothing.
 */
function sealed_equals( mixed $sealed, mixed $ad, #[\SensitiveParameter] mixed $presented ): bool {
	Args::arity( func_num_args(), 'sealed_equals', 3 );
	$sealed    = Args::string( $sealed, 'sealed_equals', 1, 'sealed' );
	$ad        = Args::string( $ad, 'sealed_equals', 2, 'ad' );
	$presented = Args::string( $presented, 'sealed_equals', 3, 'presented' );
	$raw       = sealed_raw( $sealed, 'sealed_equals', 1 );
	$secret    = open_sealed( $raw, $ad, 'sealed_equals' );
	return null !== $secret && hash_equals( $secret, $presented );
}

/** oauth_verify() against the secret sealed in `$sealed`. A value no key opens verifies nothing. */
function sealed_oauth_verify( mixed $http_method, mixed $url, mixed $params, mixed $sealed, mixed $ad ): bool {
	Args::arity( func_num_args(), 'sealed_oauth_verify', 5 );
	$http_method = Args::string( $http_method, 'sealed_oauth_verify', 1, 'http_method' );
	$url         = Args::string( $url, 'sealed_oauth_verify', 2, 'url' );
	$params      = Args::array( $params, 'sealed_oauth_verify', 3, 'params' );
	$sealed      = Args::string( $sealed, 'sealed_oauth_verify', 4, 'sealed' );
	$ad          = Args::string( $ad, 'sealed_oauth_verify', 5, 'ad' );
	Args::oauth_params( $params, 'sealed_oauth_verify', 3 );
	$algorithm = signed_with( $params, 'sealed_oauth_verify' );
	$raw       = sealed_raw( $sealed, 'sealed_oauth_verify', 4 );
	$secret    = open_sealed( $raw, $ad, 'sealed_oauth_verify' );
	if ( null === $secret ) {
		return false;
	}
	$provided = rawurldecode( str_replace( ' ', '+', $params['oauth_signature'] ) );
	$expected = base64_encode( hash_hmac( $algorithm, base_string( $http_method, $url, $params ), $secret . '&', true ) );
	return hash_equals( $expected, $provided );
}

/**
 * The plaintext secret of `$sealed`: for the command line only (turning sealing off, rotating
 * the key). Anywhere else: an Error, before anything is read.
 */
function unseal( mixed $sealed, mixed $ad ): string {
	Args::arity( func_num_args(), 'unseal', 2 );
	if ( 'cli' !== PHP_SAPI ) {
		throw new \Error( sprintf( 'Keysmith\\unseal(): Only the CLI SAPI may unseal a secret; this is %s', PHP_SAPI ) );
	}
	$sealed = Args::string( $sealed, 'unseal', 1, 'sealed' );
	$ad     = Args::string( $ad, 'unseal', 2, 'ad' );
	$raw    = sealed_raw( $sealed, 'unseal', 1 );
	$secret = open_sealed( $raw, $ad, 'unseal' );
	if ( null === $secret ) {
		throw new \ValueError( 'Keysmith\\unseal(): Argument #1 ($sealed) could not be opened: it was sealed with another key, for another key row, or altered' );
	}
	return $secret;
}

/**
 * Where the key comes from and whether it works: configured, source ('constant' here, 'ini' for
 * the extension), key_file, fingerprint, error, and the same of the previous key (or null).
 *
 * @return array{configured: bool, source: ?string, key_file: ?string, fingerprint: ?string, error: ?string, previous: ?array{key_file: ?string, fingerprint: ?string, error: ?string}}
 */
function sealing_status(): array {
	Args::arity( func_num_args(), 'sealing_status', 0 );
	return SealingKeys::status();
}

/**
 * nonce ‖ ciphertext ‖ tag of a value in the sealed format: the prefix, then canonical base64 (as
 * base64_encode() writes it: padded, no stray bits or whitespace) of at least a nonce and a tag.
 *
 * @internal
 */
function sealed_raw( string $sealed, string $fn, int $pos ): string {
	$body = substr( $sealed, strlen( SEALED_PREFIX ) );
	$raw  = 0 === strncmp( $sealed, SEALED_PREFIX, strlen( SEALED_PREFIX ) ) ? base64_decode( $body, true ) : false;
	if ( false === $raw || base64_encode( $raw ) !== $body || strlen( $raw ) < SealingKeys::NONCE_LEN + 16 ) {
		throw new \ValueError( sprintf( 'Keysmith\\%s(): Argument #%d ($sealed) must be a sealed secret ("ksv1:" and canonical base64)', $fn, $pos ) );
	}
	return $raw;
}

/**
 * The secret, or null when no key opens it; an exception when there is no key at all.
 *
 * @internal
 */
function open_sealed( string $raw, string $ad, string $fn ): ?string {
	if ( ! SealingKeys::available() ) {
		throw no_sealing_key( $fn );
	}
	return SealingKeys::open( $raw, $ad );
}

/**
 * The hash_hmac() algorithm of a request's signature method, after checking that the signature
 * and the method are strings (oauth_verify()'s checks, in its order and words).
 *
 * @internal
 * @param array<array-key, mixed> $params
 */
function signed_with( array $params, string $fn ): string {
	foreach ( array( 'oauth_signature', 'oauth_signature_method' ) as $required ) {
		if ( ! isset( $params[ $required ] ) || ! is_string( $params[ $required ] ) ) {
			throw new \ValueError( sprintf( 'Keysmith\\%s(): Argument #3 ($params) must contain "%s" of type string', $fn, $required ) );
		}
	}
	return Args::hash_algorithm( $params['oauth_signature_method'], $fn );
}

/** @internal */
function no_sealing_key( string $fn ): \Exception {
	return new \Exception( sprintf( 'Keysmith\\%s(): No sealing key is available (see Keysmith\\sealing_status())', $fn ) );
}
