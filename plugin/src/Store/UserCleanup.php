<?php
/**
 * Deleting a WordPress user deletes their keys, as WooCommerce's wc_delete_user_data() does
 * (docs/woocommerce-compatibility.md §7), plus Keysmith's metadata for those keys, with an audit entry per key.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

final class UserCleanup {

	/**
	 * Priority 5: before WooCommerce's own handler (10) deletes the rows, so Keysmith still sees
	 * which keys they were and can audit them. Either order leaves the same final state.
	 */
	public static function register(): void {
		add_action( 'delete_user', array( self::class, 'on_delete_user' ), 5, 1 );
	}

	/** @param int|string $user_id The user being deleted. */
	public static function on_delete_user( $user_id ): void {
		( new KeyService() )->delete_user_keys( (int) $user_id, Actor::current( self::source() ) );
	}

	/** The front end the deletion came through, for the audit row. */
	private static function source(): string {
		if ( defined( 'WP_CLI' ) && WP_CLI ) {
			return 'cli';
		}
		if ( defined( 'REST_REQUEST' ) && REST_REQUEST ) {
			return 'rest';
		}
		return is_admin() ? 'admin' : 'cron';
	}
}
