<?php
/**
 * Reads API-key credentials from the request exactly where and how WooCommerce reads them
 * (docs/woocommerce-compatibility.md §3.3.1 and §3.4), including its quirks: `empty()` tests (so
 * "0" is absent), the still-slashed superglobals it reads for Basic, POST over GET, the
 * Authorization header over both, and the header parse done by the extension (or its twin).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Auth;

use Keysmith\Crypto\Crypto;

// phpcs:disable WordPress.Security.NonceVerification, WordPress.Security.ValidatedSanitizedInput -- credentials must be read raw, as WooCommerce reads them, to give its answers.

final class Credentials {

	/** The required OAuth parameters, in the order WooCommerce lists missing ones. */
	public const OAUTH_REQUIRED = array(
		'oauth_consumer_key',
		'oauth_timestamp',
		'oauth_nonce',
		'oauth_signature',
		'oauth_signature_method',
	);

	/**
	 * Basic credentials: `consumer_key`/`consumer_secret` query parameters when both are
	 * non-empty, else PHP_AUTH_USER/PHP_AUTH_PW. Null when WooCommerce would see no key.
	 *
	 * @return array{0: mixed, 1: mixed}|null [key, secret], raw (possibly not strings).
	 */
	public static function basic(): ?array {
		$key    = '';
		$secret = '';
		if ( ! empty( $_GET['consumer_key'] ) && ! empty( $_GET['consumer_secret'] ) ) {
			$key    = $_GET['consumer_key'];
			$secret = $_GET['consumer_secret'];
		}
		if ( ! $key && ! empty( $_SERVER['PHP_AUTH_USER'] ) && ! empty( $_SERVER['PHP_AUTH_PW'] ) ) {
			$key    = $_SERVER['PHP_AUTH_USER'];
			$secret = $_SERVER['PHP_AUTH_PW'];
		}
		if ( ! $key || ! $secret ) {
			return null;
		}
		return array( $key, $secret );
	}

	/**
	 * OAuth parameters: query + form body (body wins), unslashed, then the Authorization header's
	 * oauth_* parameters over them.
	 *
	 * @return array<int|string, mixed>
	 */
	public static function oauth_parameters(): array {
		$params = wp_unslash( array_merge( $_GET, $_POST ) );
		$header = self::authorization_header();
		if ( '' !== $header ) {
			$header_params = Crypto::parse_oauth_header( trim( $header ) );
			if ( ! empty( $header_params ) ) {
				$params = array_merge( $params, $header_params );
			}
		}
		return $params;
	}

	/**
	 * The required parameters that are empty or absent; all five when the request is not OAuth.
	 *
	 * @param array<int|string, mixed> $params From oauth_parameters().
	 * @return list<string>
	 */
	public static function missing_oauth( array $params ): array {
		$missing = array();
		foreach ( self::OAUTH_REQUIRED as $name ) {
			if ( empty( $params[ $name ] ) ) {
				$missing[] = $name;
			}
		}
		return $missing;
	}

	/**
	 * Every consumer key the request presents where WooCommerce reads one (Basic: the
	 * consumer_key query parameter or PHP_AUTH_USER; OAuth: oauth_consumer_key from the query,
	 * form body or Authorization header), strings only, each as WooCommerce reads it (Basic
	 * values still slashed, OAuth ones unslashed): a key WooCommerce could have accepted is always
	 * among them.
	 *
	 * @return list<string>
	 */
	public static function presented_consumer_keys(): array {
		$keys = array( $_GET['consumer_key'] ?? null, $_SERVER['PHP_AUTH_USER'] ?? null );
		if ( isset( $_GET['oauth_consumer_key'] ) || isset( $_POST['oauth_consumer_key'] ) || '' !== self::authorization_header() ) {
			$keys[] = self::oauth_parameters()['oauth_consumer_key'] ?? null;
		}
		$keys = array_filter( $keys, static fn( $key ): bool => is_string( $key ) && '' !== $key );
		return array_values( array_unique( $keys ) );
	}

	/** WooCommerce's get_authorization_header(): the server variable, else getallheaders(). */
	public static function authorization_header(): string {
		if ( ! empty( $_SERVER['HTTP_AUTHORIZATION'] ) ) {
			$value = wp_unslash( $_SERVER['HTTP_AUTHORIZATION'] );
			return is_string( $value ) ? $value : '';
		}
		if ( function_exists( 'getallheaders' ) ) {
			foreach ( (array) getallheaders() as $name => $value ) {
				if ( 'authorization' === strtolower( (string) $name ) ) {
					return is_string( $value ) ? $value : '';
				}
			}
		}
		return '';
	}

	/**
	 * The method WP_REST_Server::serve_request() will give the main request: `_method` in the
	 * query string, else X-HTTP-Method-Override, else the HTTP method. Null if not a string.
	 */
	public static function rest_method(): ?string {
		if ( isset( $_GET['_method'] ) ) {
			$method = $_GET['_method'];
		} elseif ( isset( $_SERVER['HTTP_X_HTTP_METHOD_OVERRIDE'] ) ) {
			$method = $_SERVER['HTTP_X_HTTP_METHOD_OVERRIDE'];
		} else {
			$method = $_SERVER['REQUEST_METHOD'] ?? '';
		}
		return is_string( $method ) ? strtoupper( $method ) : null;
	}

	/** The client address recorded as the key's last IP (filter `keysmith_client_ip`). */
	public static function client_ip(): string {
		$ip = isset( $_SERVER['REMOTE_ADDR'] ) && is_string( $_SERVER['REMOTE_ADDR'] ) ? $_SERVER['REMOTE_ADDR'] : '';

		/**
		 * Filters the client IP Keysmith records for a key. REMOTE_ADDR by default: a proxy
		 * header can be forged by any client, so trusting one is the site owner's decision.
		 *
		 * @param string $ip REMOTE_ADDR.
		 */
		$ip = apply_filters( 'keysmith_client_ip', $ip );
		return is_string( $ip ) && false !== filter_var( $ip, FILTER_VALIDATE_IP ) ? $ip : '';
	}
}
