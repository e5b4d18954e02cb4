<?php
/**
 * WooCommerce's follow-up duties for a request Keysmith authenticated (wc-contract.md §3.7):
 * permission by REST method, and the last_access update with WooCommerce's rule (the outer
 * request's route equals the dispatched route) and filter `woocommerce_disable_rest_api_access_log`;
 * plus Keysmith's last IP, written only when it changed.
 *
 * For OAuth the access is predicted while the nonce is claimed, so one UPDATE stores both; the
 * prediction is made only where the outcome is certain (see RestScope::path_route_is_main_route()),
 * otherwise the write happens on rest_pre_dispatch exactly as WooCommerce does it.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Auth;

use Keysmith\Store\KeyMeta;
use Keysmith\Store\Schema;
use WP_Error;

final class AccessLog {

	/** WooCommerce's check_permissions(): the key's permission gates the REST method. */
	public static function check_permission( string $permissions, string $method ): bool|WP_Error { // true|WP_Error; `true` alone is a PHP 8.2 type and the plugin supports 8.1.
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

	/**
	 * Whether the main request will certainly record its access, asked while the nonce is being
	 * claimed; remembers the filter's answer in the decision so it is not asked twice.
	 */
	public static function predict( KeyRow $key, Decision $decision ): bool {
		$method = Credentials::rest_method();
		if ( null === $method || true !== self::check_permission( $key->permissions, $method ) ) {
			return false;
		}
		if ( ! RestScope::path_route_is_main_route() ) {
			return false;
		}
		if ( ! Authenticator::user_exists( $key->user_id ) ) {
			// WordPress forgets an owner that does not exist and the request is judged again, as a
			// replay (see Authenticator::judges_again()): WooCommerce records no access for it.
			return false;
		}
		$skip                    = self::filter_skips( false, $key );
		$decision->prefiltered   = array(
			'input'  => false,
			'answer' => $skip,
		);
		return ! $skip;
	}

	/** rest_pre_dispatch: WooCommerce's update_last_access() for one dispatched request. */
	public static function on_dispatch( Decision $decision, mixed $request ): void {
		$key = $decision->key;
		if ( null === $key ) {
			return;
		}
		$do_not_record = ! self::is_outer_request( $request );
		if ( ! $do_not_record && $decision->access_folded ) {
			$decision->access_folded = false;
			$decision->prefiltered   = null;
			return;
		}
		if ( null !== $decision->prefiltered && $decision->prefiltered['input'] === $do_not_record ) {
			$skip                  = $decision->prefiltered['answer'];
			$decision->prefiltered = null;
		} else {
			$skip = self::filter_skips( $do_not_record, $key );
		}
		if ( ! $skip ) {
			self::write_last_access( $key );
			self::record_ip( $key );
		}
	}

	/** Keysmith's last IP, written only when it differs from the stored one. */
	public static function record_ip( KeyRow $key ): void {
		$ip = Credentials::client_ip();
		if ( '' === $ip || $ip === $key->last_ip || ! class_exists( KeyMeta::class ) ) {
			return;
		}
		KeyMeta::record_access( $key->key_id, $ip );
		KeyLookup::forget( $key );
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

	private static function filter_skips( bool $do_not_record, KeyRow $key ): bool {
		/** This filter is documented in WooCommerce's class-wc-rest-authentication.php (since 7.7.0). */
		return (bool) apply_filters( 'woocommerce_disable_rest_api_access_log', $do_not_record, (string) $key->key_id, (string) $key->user_id );
	}

	private static function write_last_access( KeyRow $key ): void {
		global $wpdb;
		$wpdb->update( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			Schema::wc_table(),
			array( 'last_access' => current_time( 'mysql' ) ),
			array( 'key_id' => $key->key_id ),
			array( '%s' ),
			array( '%d' )
		);
	}
}
