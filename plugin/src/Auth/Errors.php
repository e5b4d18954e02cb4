<?php
/**
 * The errors of the authentication path.
 *
 * WooCommerce's errors are reproduced byte for byte (code, message, status;
 * docs/woocommerce-compatibility.md §3.8), including their `woocommerce` text domain, so a
 * translated site answers in the same words whether WooCommerce or Keysmith judged the request.
 * Keysmith's own refusals use `keysmith`.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Auth;

use WP_Error;

// phpcs:disable WordPress.WP.I18n.TextDomainMismatch -- WooCommerce's own strings, translated as WooCommerce translates them.

final class Errors {

	public const WC_ERROR    = 'woocommerce_rest_authentication_error';
	public const WC_MISSING  = 'woocommerce_rest_authentication_missing_parameter';
	public const EXPIRED     = 'keysmith_rest_key_expired';
	public const BAD_NONCE   = 'keysmith_rest_invalid_nonce';
	public const UNAVAILABLE = 'keysmith_rest_auth_unavailable';
	public const THROTTLED   = 'keysmith_rest_too_many_failures';
	public const SEALING     = 'keysmith_sealing_unavailable';

	public static function secret_invalid(): WP_Error {
		return self::wc( __( 'Consumer secret is invalid.', 'woocommerce' ) );
	}

	public static function key_invalid(): WP_Error {
		return self::wc( __( 'Consumer key is invalid.', 'woocommerce' ) );
	}

	/** @param list<string> $names Missing parameter names, in WooCommerce's order. */
	public static function missing_parameters( array $names ): WP_Error {
		$message = sprintf(
			/* translators: %s: amount of errors */
			_n( 'Missing OAuth parameter %s', 'Missing OAuth parameters %s', count( $names ), 'woocommerce' ),
			implode( ', ', $names )
		);
		return new WP_Error( self::WC_MISSING, $message, array( 'status' => 401 ) );
	}

	public static function signature_method_invalid(): WP_Error {
		return self::wc( __( 'Invalid signature - signature method is invalid.', 'woocommerce' ) );
	}

	public static function signature_mismatch(): WP_Error {
		return self::wc( __( 'Invalid signature - provided signature does not match.', 'woocommerce' ) );
	}

	public static function timestamp_invalid(): WP_Error {
		return self::wc( __( 'Invalid timestamp.', 'woocommerce' ) );
	}

	public static function nonce_used(): WP_Error {
		return self::wc( __( 'Invalid nonce - nonce has already been used.', 'woocommerce' ) );
	}

	public static function no_read_permission(): WP_Error {
		return self::wc( __( 'The API key provided does not have read permissions.', 'woocommerce' ) );
	}

	public static function no_write_permission(): WP_Error {
		return self::wc( __( 'The API key provided does not have write permissions.', 'woocommerce' ) );
	}

	public static function unknown_method(): WP_Error {
		return self::wc( __( 'Unknown request method.', 'woocommerce' ) );
	}

	public static function out_of_scope(): WP_Error {
		return self::wc( __( 'The provided API key cannot be used to access this endpoint.', 'woocommerce' ) );
	}

	/** Keysmith is stricter than WooCommerce here: an expired key no longer authenticates. */
	public static function key_expired(): WP_Error {
		return new WP_Error( self::EXPIRED, __( 'The API key has expired.', 'keysmith' ), array( 'status' => 401 ) );
	}

	/**
	 * Keysmith is stricter than WooCommerce here: a nonce must be 1 to 255 printable ASCII
	 * characters (NonceStore::is_acceptable()).
	 */
	public static function nonce_unacceptable(): WP_Error {
		return new WP_Error( self::BAD_NONCE, __( 'Invalid nonce - the nonce must be 1 to 255 printable ASCII characters.', 'keysmith' ), array( 'status' => 401 ) );
	}

	/**
	 * Keysmith could not check the credentials (its database failed). A server error, not a
	 * verdict on the credentials; the request is refused rather than checked more weakly.
	 */
	public static function unavailable(): WP_Error {
		return new WP_Error( self::UNAVAILABLE, __( 'The API key could not be checked right now. Try again later.', 'keysmith' ), array( 'status' => 500 ) );
	}

	/**
	 * The key's secret is sealed and this server does not hold the sealing key (missing,
	 * unreadable or wrong key file). A server error, not a verdict on the credentials: they may well
	 * be right, and restoring the key restores the key (README, "Sealed secrets").
	 */
	public static function sealing_unavailable(): WP_Error {
		return new WP_Error( self::SEALING, __( 'The API key could not be checked: its secret is sealed, and the sealing key is not available on this server.', 'keysmith' ), array( 'status' => 500 ) );
	}

	/** Keysmith's throttle (Throttle): this client failed too often with this key; 429, Retry-After. */
	public static function too_many_failures( int $retry_after ): WP_Error {
		return new WP_Error(
			self::THROTTLED,
			/* translators: %d: seconds until the client may try again. */
			sprintf( _n( 'Too many failed attempts with this API key. Try again in %d second.', 'Too many failed attempts with this API key. Try again in %d seconds.', $retry_after, 'keysmith' ), $retry_after ),
			array(
				'status'      => 429,
				'retry_after' => $retry_after,
			)
		);
	}

	private static function wc( string $message ): WP_Error {
		return new WP_Error( self::WC_ERROR, $message, array( 'status' => 401 ) );
	}
}
