<?php
/**
 * A quick check that an implementation of Keysmith's crypto still computes what PHP itself
 * computes (WooCommerce's hash, an OAuth signature, a comparison). A loaded extension that fails
 * it is broken (e.g. a build for another PHP or a corrupted file), whatever its version says.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Health;

final class SelfCheck {

	/** Runs the check on the loaded extension; null when it passes, else what failed. */
	public static function run_native(): ?string {
		foreach ( array( 'api_hash', 'oauth_signature', 'equals' ) as $function ) {
			if ( ! function_exists( 'Keysmith\\' . $function ) ) {
				/* translators: %s: a PHP function name. */
				return sprintf( __( 'The keysmith extension does not provide %s().', 'keysmith' ), 'Keysmith\\' . $function );
			}
		}
		return self::run( '\\Keysmith\\api_hash', '\\Keysmith\\oauth_signature', '\\Keysmith\\equals' );
	}

	/**
	 * Checks the three functions against PHP's own hash_hmac() and hash_equals().
	 *
	 * @param callable(string):string               $api_hash
	 * @param callable(string,string,string):string $oauth_signature
	 * @param callable(string,string):bool          $equals
	 * @return string|null Null when every answer is right, else a sentence naming the first wrong one.
	 */
	public static function run( callable $api_hash, callable $oauth_signature, callable $equals ): ?string {
		$key    = 'ck_' . str_repeat( '0123456789', 4 );
		$base   = 'GET&http%3A%2F%2Fexample.test%2Fwp-json%2Fwc%2Fv3%2Forders&oauth_nonce%3Dn%26per_page%3D5';
		$secret = 'cs_' . str_repeat( 'abcdef0123', 4 );
		try {
			if ( $api_hash( $key ) !== hash_hmac( 'sha256', $key, 'wc-api' ) ) {
				return __( 'Its api_hash() differs from WooCommerce\'s hash_hmac( \'sha256\', $key, \'wc-api\' ).', 'keysmith' );
			}
			foreach ( array( 'HMAC-SHA256' => 'sha256', 'HMAC-SHA1' => 'sha1' ) as $method => $algo ) {
				$expected = base64_encode( hash_hmac( $algo, $base, $secret . '&', true ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- OAuth 1.0a signatures are base64.
				if ( $oauth_signature( $base, $secret, $method ) !== $expected ) {
					/* translators: %s: an OAuth signature method such as HMAC-SHA256. */
					return sprintf( __( 'Its oauth_signature() gives a wrong %s signature.', 'keysmith' ), $method );
				}
			}
			if ( true !== $equals( $secret, $secret ) || false !== $equals( $secret, $key ) ) {
				return __( 'Its equals() disagrees with hash_equals().', 'keysmith' );
			}
		} catch ( \Throwable $e ) {
			/* translators: %s: an error message. */
			return sprintf( __( 'It threw an error during the self-test: %s', 'keysmith' ), $e->getMessage() );
		}
		return null;
	}
}
