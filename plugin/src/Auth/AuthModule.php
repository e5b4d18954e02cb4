<?php
/**
 * Wires the authentication path. Hooks are added always (cheap); whether Keysmith judges a
 * request is decided per request (setting `auth_enabled`, filter `keysmith_auth_enabled`).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Auth;

use Keysmith\Store\KeyCache;

final class AuthModule {

	public static function register(): void {
		$authenticator = Authenticator::instance();
		if ( did_filter( 'determine_current_user' ) ) {
			// The user was determined before Keysmith loaded: WooCommerce may already hold state
			// for this request (or will use its fallback); two judges must never share a request.
			$authenticator->step_aside();
		}
		$guard = new RequestGuard( $authenticator );

		add_filter( 'determine_current_user', array( $authenticator, 'determine_current_user' ), 14 );
		add_filter( 'woocommerce_rest_is_request_to_rest_api', array( $authenticator, 'hide_from_woocommerce' ), PHP_INT_MAX );
		add_filter( 'rest_authentication_errors', array( $guard, 'report_error' ), 15 );
		add_filter( 'rest_authentication_errors', array( $guard, 'reject_out_of_scope_route' ), 20 );
		add_filter( 'rest_pre_dispatch', array( $guard, 'check_user_permissions' ), 10, 3 );

		self::forget_cache_on_woocommerce_changes();
	}

	/**
	 * WooCommerce's own screen edits and revokes keys without telling Keysmith's store; forget the
	 * cached rows first so a revoked key stops working at once (not after the cache TTL).
	 */
	private static function forget_cache_on_woocommerce_changes(): void {
		if ( ! class_exists( KeyCache::class ) || ! KeyCache::enabled() ) {
			return;
		}
		// phpcs:disable WordPress.Security.NonceVerification -- only drops cache entries; WooCommerce checks the nonce.
		add_action(
			'wp_ajax_woocommerce_update_api_key',
			static function (): void {
				KeyCache::forget_key_ids( array( absint( $_POST['key_id'] ?? 0 ) ) );
			},
			1
		);
		add_action(
			'admin_init',
			static function (): void {
				if ( 'wc-settings' !== ( $_REQUEST['page'] ?? '' ) || 'keys' !== ( $_REQUEST['section'] ?? '' ) ) {
					return;
				}
				$ids = array_merge( (array) ( $_REQUEST['revoke-key'] ?? array() ), (array) ( $_REQUEST['key'] ?? array() ) );
				KeyCache::forget_key_ids( array_map( 'absint', $ids ) );
			},
			1
		);
		// phpcs:enable
	}
}
