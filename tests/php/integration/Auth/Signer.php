<?php
/**
 * An OAuth 1.0a signer written for the tests from docs/woocommerce-compatibility.md §3.4 (not from
 * Keysmith's code), so Keysmith's and the fixture's verifiers are both checked against an
 * independent client.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Auth;

final class Signer {

	/**
	 * Signs the parameters the way WooCommerce verifies them: decoded top-level keys sorted by
	 * strcmp, nested arrays flattened to key%5Binner%5D, every pair encoded again, joined by %26.
	 *
	 * @param array<int|string, mixed> $params Decoded parameters as PHP will see them (no signature).
	 */
	public static function sign( string $method, string $url, array $params, string $secret, string $algo = 'HMAC-SHA256' ): string {
		unset( $params['oauth_signature'] );
		uksort( $params, 'strcmp' );
		$pairs = array();
		foreach ( $params as $key => $value ) {
			self::pairs( $pairs, rawurlencode( (string) $key ), $value, true );
		}
		$base = strtoupper( $method ) . '&' . rawurlencode( $url ) . '&' . implode( '%26', $pairs );
		$hash = 'HMAC-SHA1' === $algo ? 'sha1' : 'sha256';
		return base64_encode( hash_hmac( $hash, $base, $secret . '&', true ) );
	}

	/** @param list<string> $pairs */
	private static function pairs( array &$pairs, string $key, mixed $value, bool $top ): void {
		if ( is_array( $value ) ) {
			foreach ( $value as $inner => $child ) {
				// WooCommerce's join skips the parent for a falsy parent key ("0" / "").
				$name = ( '0' === $key || '' === $key ) ? (string) $inner : $key . '%5B' . $inner . '%5D';
				self::pairs( $pairs, $name, $child, false );
			}
			return;
		}
		$pairs[] = rawurlencode( $key . '=' . ( $top ? rawurlencode( (string) $value ) : self::encode_leaf( $value ) ) );
	}

	private static function encode_leaf( mixed $value ): string {
		return rawurlencode( (string) $value );
	}

	/** Builds an Authorization: OAuth header from oauth_* parameters. */
	public static function header( array $oauth ): string {
		$parts = array();
		foreach ( $oauth as $k => $v ) {
			$parts[] = $k . '="' . rawurlencode( (string) $v ) . '"';
		}
		return 'OAuth ' . implode( ', ', $parts );
	}
}
