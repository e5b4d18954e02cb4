<?php
/**
 * WooCommerce's app authorization (`/wc-auth/v1/access_granted`, docs/woocommerce-compatibility.md
 * §2.5.2, §5) makes a key with plain SQL for the logged-in user, posts it to the app, and deletes it
 * again when that fails; no hook fires. WC_Auth handles the request on `parse_request` at priority
 * 0, so at priority -1 this notes the highest key id, and at shutdown the key the request made, if
 * it is still there, gets Keysmith's record: source `wc-auth`, the app's name, the creator, the
 * key-lifetime policy's expiry and a `create` event with source `wc-auth` (§11). A key the error path
 * deleted leaves nothing behind.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\WooCommerce;

use Keysmith\Store\KeySource;

final class AppAuthWatcher {

	public static function register(): void {
		add_action( 'parse_request', array( self::class, 'before_grant' ), -1 );
	}

	/**
	 * parse_request, priority -1: only the route that makes keys, read as WC_Auth reads it (the
	 * query vars of its rewrite rule, or the same names in the query string).
	 *
	 * @param \WP $wp The request.
	 */
	public static function before_grant( $wp ): void {
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- only read here; WC_Auth checks its nonce.
		$route   = $_GET['wc-auth-route'] ?? ( $wp->query_vars['wc-auth-route'] ?? '' );
		$version = $_GET['wc-auth-version'] ?? ( $wp->query_vars['wc-auth-version'] ?? '' );
		$app     = $_REQUEST['app_name'] ?? '';
		$scope   = $_REQUEST['scope'] ?? '';
		// phpcs:enable
		if ( ! is_string( $route ) || ! is_scalar( $version ) || '' === (string) $version || 'access_granted' !== strtolower( sanitize_text_field( wp_unslash( $route ) ) ) ) {
			return;
		}
		if ( ! is_string( $app ) || ! is_string( $scope ) || ! function_exists( 'wc_trim_string' ) || ! function_exists( 'wc_clean' ) ) {
			return;
		}
		// WC_Auth::create_keys(): the description starts with the app name, cleaned and cut to 170
		// characters; the scope is the permissions when valid, else read.
		$app_name    = (string) wc_trim_string( wc_clean( wp_unslash( $app ) ), 170 );
		$scope       = wp_unslash( $scope );
		$permissions = in_array( $scope, array( 'read', 'write', 'read_write' ), true ) ? $scope : 'read';
		$after       = RequestWatch::highest_key_id();
		RequestWatch::at_shutdown(
			static function () use ( $after, $app_name, $permissions ): void {
				global $wpdb;
				$key_id = RequestWatch::new_key(
					$after,
					$wpdb->prepare( 'k.user_id = %d AND k.permissions = %s AND k.description LIKE %s', get_current_user_id(), $permissions, $wpdb->esc_like( $app_name . ' - API (' ) . '%' )
				);
				if ( null !== $key_id ) {
					NewKeyRecorder::record( $key_id, KeySource::WC_AUTH, $app_name );
				}
			}
		);
	}
}
