<?php
/**
 * Wires the authentication path. Hooks are added always (cheap); whether Keysmith judges a
 * request is decided per request (setting `auth_enabled`, filter `keysmith_auth_enabled`), and
 * Keysmith's key rules hold either way (KeyRuleGuard).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Auth;

use Keysmith\Store\KeyCache;

final class AuthModule {

	/**
	 * Every hook of the path: [hook, callback, priority, accepted args]. One list, so that what is
	 * added is also what a caller (a test harness comparing with WooCommerce alone) can remove.
	 *
	 * @return list<array{0: string, 1: callable, 2: int, 3: int}>
	 */
	public static function hooks(): array {
		static $hooks = null;
		if ( null !== $hooks ) {
			return $hooks; // The same callables, so remove_filter() finds them.
		}
		$authenticator = Authenticator::instance();
		$guard         = new RequestGuard( $authenticator );
		$rules         = new KeyRuleGuard( $authenticator );
		$hooks = array(
			array( 'determine_current_user', array( $authenticator, 'determine_current_user' ), 14, 1 ),
			array( 'woocommerce_rest_is_request_to_rest_api', array( $authenticator, 'hide_from_woocommerce' ), PHP_INT_MAX, 1 ),
			array( 'rest_authentication_errors', array( $authenticator, 'fallback' ), 9, 1 ),
			array( 'rest_authentication_errors', array( $guard, 'report_error' ), 15, 1 ),
			array( 'rest_authentication_errors', array( $rules, 'enforce' ), 16, 1 ),
			array( 'rest_authentication_errors', array( $guard, 'reject_out_of_scope_route' ), 20, 1 ),
			array( 'rest_pre_dispatch', array( $guard, 'check_user_permissions' ), 10, 3 ),
			array( 'rest_post_dispatch', array( $guard, 'add_refusal_headers' ), 10, 1 ),
			array( 'wp_loaded', array( self::class, 'remember_context' ), 10, 1 ),
		);
		return $hooks;
	}

	public static function register(): void {
		foreach ( self::hooks() as list( $hook, $callback, $priority, $args ) ) {
			add_filter( $hook, $callback, $priority, $args );
		}
		Authenticator::instance()->after_woocommerce_loaded();
		NonceHandover::register();
		foreach ( array( 'activated_plugin', 'deactivated_plugin', 'switch_theme', 'upgrader_process_complete' ) as $change ) {
			add_action( $change, array( EarlyContext::class, 'forget' ) );
		}
		self::forget_cache_on_woocommerce_changes();
	}

	/**
	 * Action wp_loaded: with every plugin and the theme loaded, a request Keysmith would judge
	 * records what early decisions may rely on (EarlyContext).
	 */
	public static function remember_context(): void {
		// Decided already (the user was asked for during init): in scope. Else ask as WooCommerce would.
		if ( null !== Authenticator::instance()->decision() || ( Settings::auth_enabled() && RestScope::is_wc_request() ) ) {
			EarlyContext::remember();
		}
	}

	/**
	 * WooCommerce's own screen edits and revokes keys without telling Keysmith's store; forget the
	 * cached rows first so a revoked key stops working at once (not after the cache TTL).
	 */
	private static function forget_cache_on_woocommerce_changes(): void {
		if ( ! KeyCache::enabled() ) {
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
