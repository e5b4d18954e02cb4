<?php
/**
 * WooCommerce's perform_oauth_authentication() (docs/woocommerce-compatibility.md §3.4, §3.5), with
 * Keysmith's rules: expiry once the signature is proven, and each nonce accepted exactly once.
 *
 * Every request gets a verdict here, whatever the shape of its parameters: where WooCommerce's own
 * code would end in a PHP fatal error (an array where it expects a string), Keysmith refuses with
 * the error WooCommerce gives for that parameter; it never hands such a request to WooCommerce.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Auth;

use Keysmith\Crypto\Crypto;
use Keysmith\Keys\PairCheck;
use WP_Error;

final class OAuthAuthentication {

	/**
	 * @throws AuthUnavailable When the key lookup or the nonce store fails.
	 * @throws \Keysmith\Sealing\SealingUnavailable When the key is sealed and this server cannot open it.
	 */
	public static function decide( int $now ): Decision {
		$params  = Credentials::oauth_parameters();
		$missing = Credentials::missing_oauth( $params );
		if ( count( $missing ) === count( Credentials::OAUTH_REQUIRED ) ) {
			return Decision::nothing();
		}
		if ( array() !== $missing ) {
			$retry = Throttle::retry_after( Throttle::UNKNOWN, $now );
			return $retry > 0 ? Decision::throttled( $retry ) : Decision::refuse( Errors::missing_parameters( $missing ) );
		}

		// An array key sanitizes to '' in WooCommerce too, which no stored key matches.
		$hash = PairCheck::lookup_hash( $params['oauth_consumer_key'] );
		$key  = KeyLookup::from_db( $hash );
		if ( null === $key ) {
			list( $counted_as, $reason ) = Throttle::unknown_subject( $hash );
			$retry                       = Throttle::retry_after( $counted_as, $now );
			return $retry > 0 ? Decision::throttled( $retry ) : Decision::refuse( Errors::key_invalid(), $counted_as, $reason );
		}
		$retry = Throttle::retry_after( $key->key_id, $now, $key->failures );
		if ( $retry > 0 ) {
			return Decision::throttled( $retry );
		}
		$refusal = self::refusal( $key, $params, $now );
		if ( null !== $refusal ) {
			return Decision::refuse( $refusal, $key->key_id );
		}
		return Decision::accept( $key );
	}

	/**
	 * Why this known key's request is refused, checked in WooCommerce's order (signature, then
	 * Keysmith's key rules, timestamp, nonce), or null once its nonce is claimed.
	 *
	 * @param array<int|string, mixed> $params
	 * @throws AuthUnavailable When the nonce store fails.
	 */
	private static function refusal( KeyRow $key, array $params, int $now ): ?WP_Error {
		$signature = self::check_signature( $key, $params );
		if ( true !== $signature ) {
			return $signature;
		}
		$violation = KeyRules::violation( $key, $now );
		if ( null !== $violation ) {
			return $violation;
		}
		$timestamp = self::timestamp( $params['oauth_timestamp'], $now );
		if ( null === $timestamp ) {
			return Errors::timestamp_invalid();
		}
		if ( ! NonceStore::is_acceptable( $params['oauth_nonce'] ) ) {
			return Errors::nonce_unacceptable();
		}
		if ( NonceStore::REPLAYED === NonceStore::claim( $key->key_id, $timestamp, $params['oauth_nonce'], $now ) ) {
			return Errors::nonce_used();
		}
		return null;
	}

	/**
	 * The timestamp if it is inside WooCommerce's window, else null. Keysmith is stricter than
	 * WooCommerce in one way: the value must be decimal digits (RFC 5849 §3.3: a positive
	 * integer). WooCommerce compares any string loosely with an int, so "1.7e9", " 1700000000" or,
	 * through PHP's string comparison, some non-numeric strings pass there; an array fails there
	 * too (PHP compares arrays as greater than any int).
	 */
	private static function timestamp( mixed $value, int $now ): ?int {
		if ( ! is_string( $value ) || ! ctype_digit( $value ) ) {
			return null;
		}
		$timestamp = (int) $value; // Longer digit strings saturate to PHP_INT_MAX: out of the window.
		return $timestamp < $now - NonceStore::WINDOW || $timestamp > $now + NonceStore::WINDOW ? null : $timestamp;
	}

	/**
	 * WooCommerce's check_oauth_signature() through the extension (against the sealed secret of a
	 * sealed key, opened where the sealing key is held).
	 *
	 * @param array<int|string, mixed> $params
	 * @return true|WP_Error Declared bool|WP_Error: `true` alone is a PHP 8.2 type, and the plugin supports 8.1.
	 */
	private static function check_signature( KeyRow $key, array $params ): bool|WP_Error {
		$method = $params['oauth_signature_method'];
		if ( 'HMAC-SHA1' !== $method && 'HMAC-SHA256' !== $method ) {
			return Errors::signature_method_invalid();
		}
		if ( ! is_string( $params['oauth_signature'] ) ) {
			// WooCommerce's rawurldecode() throws a TypeError on an array: a PHP fatal error there.
			return Errors::signature_mismatch();
		}
		$http_method = $_SERVER['REQUEST_METHOD'] ?? ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- signed as sent.
		$http_method = strtoupper( is_string( $http_method ) ? $http_method : '' );
		try {
			$valid = null !== $key->sealed
				? $key->sealed->oauth_verify( $http_method, self::signed_url(), $params )
				: Crypto::oauth_verify( $http_method, self::signed_url(), $params, (string) $key->consumer_secret );
		} catch ( \ValueError | \TypeError $e ) {
			// Parameters the signer cannot read (nested deeper than PHP's own input limit): no
			// signature over them can be verified, so none is accepted.
			return Errors::signature_mismatch();
		}
		return $valid ? true : Errors::signature_mismatch();
	}

	/**
	 * The URL WooCommerce signs: the request path (raw, as in REQUEST_URI) re-rooted on the home
	 * URL, scheme forced by is_ssl(); the Host header plays no part. A path PHP cannot parse
	 * (`///wp-json/…`) reads as empty there, so WooCommerce signs the bare home URL: so does
	 * Keysmith.
	 */
	public static function signed_url(): string {
		$uri  = $_SERVER['REQUEST_URI'] ?? ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- signed as sent (still slashed, as WooCommerce reads it).
		$path = is_string( $uri ) ? wp_parse_url( $uri, PHP_URL_PATH ) : null;
		$path = is_string( $path ) ? $path : '';
		$base = get_home_url( null, '/', 'relative' );
		if ( substr( $path, 0, strlen( $base ) ) === $base ) {
			$path = substr( $path, strlen( $base ) );
		}
		return get_home_url( null, $path, is_ssl() ? 'https' : 'http' );
	}
}
