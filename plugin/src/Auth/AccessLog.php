<?php
/**
 * WooCommerce's follow-up duties for a request Keysmith authenticated
 * (docs/woocommerce-compatibility.md §3.7): permission by REST method, and the last_access update
 * with WooCommerce's rule (the outer request's route equals the dispatched route) and filter
 * `woocommerce_disable_rest_api_access_log`; plus Keysmith's last IP, written only when it changed.
 *
 * Keysmith writes last_access at most once a minute per key (WooCommerce writes it on every
 * request): a busy key then costs one write per request (its nonce) instead of two, and a Basic
 * request in steady state none. "Last access" is therefore up to a minute old.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Auth;

use Keysmith\Store\KeyMeta;
use Keysmith\Store\Schema;
use WP_Error;

final class AccessLog {

	/** last_access is rewritten when it is at least this many seconds old. */
	public const RESOLUTION = 60;

	/**
	 * WooCommerce's check_permissions(): the key's permission gates the REST method.
	 *
	 * @return true|WP_Error Declared bool|WP_Error: `true` alone is a PHP 8.2 type, and the plugin supports 8.1.
	 */
	public static function check_permission( string $permissions, string $method ): bool|WP_Error {
		switch ( $method ) {
			case 'HEAD':
			case 'GET':
				return 'read' === $permissions || 'read_write' === $permissions ? true : Errors::no_read_permission();
			case 'POST':
			case 'PUT':
			case 'PATCH':
			case 'DELETE':
				return 'write' === $permissions || 'read_write' === $permissions ? true : Errors::no_write_permission();
			case 'OPTIONS':
				return true;
			default:
				return Errors::unknown_method();
		}
	}

	/** rest_pre_dispatch: WooCommerce's update_last_access() for one dispatched request. */
	public static function on_dispatch( KeyRow $key, mixed $request ): void {
		/** This filter is documented in WooCommerce's class-wc-rest-authentication.php (since 7.7.0). */
		$skip = (bool) apply_filters( 'woocommerce_disable_rest_api_access_log', ! self::is_outer_request( $request ), (string) $key->key_id, (string) $key->user_id );
		if ( $skip ) {
			return;
		}
		self::record_ip( $key );
		$now = current_time( 'mysql' );
		if ( ! self::is_recent( $key->last_access, $now ) ) {
			self::write_last_access( $key, $now );
		}
	}

	/** Keysmith's last IP, written only when it differs from the stored one. */
	public static function record_ip( KeyRow $key ): void {
		$ip = Credentials::client_ip();
		if ( '' === $ip || $ip === $key->last_ip ) {
			return;
		}
		KeyMeta::record_access( $key->key_id, $ip );
		KeyLookup::forget( $key );
	}

	/**
	 * Whether a stored last_access (site-local "Y-m-d H:i:s") is less than RESOLUTION seconds
	 * before $now; a value in the future (clock or time zone changed) is not recent.
	 */
	public static function is_recent( ?string $last_access, string $now ): bool {
		if ( null === $last_access ) {
			return false;
		}
		$threshold = gmdate( 'Y-m-d H:i:s', (int) strtotime( $now . ' UTC' ) - self::RESOLUTION );
		return $last_access > $threshold && $last_access <= $now;
	}

	/** WooCommerce's rule: the WP request path (minus the REST prefix) equals the route dispatched. */
	private static function is_outer_request( mixed $request ): bool {
		global $wp;
		if ( ! $wp instanceof \WP || ! $request instanceof \WP_REST_Request ) {
			return false;
		}
		$actual = trim( (string) $wp->request, '/' );
		$prefix = trailingslashit( rest_get_url_prefix() );
		if ( str_starts_with( $actual, $prefix ) ) {
			$actual = substr( $actual, strlen( $prefix ) );
		}
		return trim( $request->get_route(), '/' ) === $actual;
	}

	private static function write_last_access( KeyRow $key, string $now ): void {
		global $wpdb;
		$wpdb->update( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			Schema::wc_table(),
			array( 'last_access' => $now ),
			array( 'key_id' => $key->key_id ),
			array( '%s' ),
			array( '%d' )
		);
		KeyLookup::forget( $key );
	}
}
