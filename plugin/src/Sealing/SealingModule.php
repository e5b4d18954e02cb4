<?php
/**
 * Wires sealing: keys WooCommerce makes on its own screens (Add key, app authorization) are
 * sealed at the end of the request that made them, anything else by the hourly job; and the
 * notice of a refused deactivation.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Sealing;

use Keysmith\Store\ExpiryCron;

final class SealingModule {

	public static function register(): void {
		add_action( ExpiryCron::HOOK, array( SealingService::class, 'catch_up' ) );
		add_action( 'wp_ajax_woocommerce_update_api_key', array( self::class, 'seal_at_shutdown' ), 1 );
		add_action( 'parse_request', array( self::class, 'watch_app_authorization' ), -1 );
		add_action( 'admin_notices', array( Deactivation::class, 'render_notice' ) );
	}

	/** Seals what the current request made, once everything else is done (after WooCommerce answered). */
	public static function seal_at_shutdown(): void {
		if ( State::enabled() ) {
			add_action( 'shutdown', array( SealingService::class, 'catch_up' ), 5 );
		}
	}

	/**
	 * parse_request, before WooCommerce's WC_Auth (priority 0): the request that grants an app its
	 * key (`/wc-auth/v1/access_granted`, docs/woocommerce-compatibility.md §5).
	 *
	 * @param \WP $wp The request.
	 */
	public static function watch_app_authorization( $wp ): void {
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- routing only; WC_Auth checks its nonce.
		$route = $_GET['wc-auth-route'] ?? ( $wp->query_vars['wc-auth-route'] ?? '' );
		if ( is_string( $route ) && 'access_granted' === strtolower( $route ) ) {
			self::seal_at_shutdown();
		}
	}
}
