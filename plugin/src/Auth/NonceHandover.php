<?php
/**
 * Who keeps the OAuth nonces: Keysmith (its table, while its path judges requests) or WooCommerce
 * (its `nonces` column, while WooCommerce judges alone). When that changes, the nonces still
 * inside the window are copied to the new keeper, so a nonce accepted just before the switch
 * cannot be replayed just after it (see NonceStore).
 *
 * The current keeper is remembered in an autoloaded option and compared on every boot, so the copy
 * happens whatever changed: activation, an upgrade from a version that kept nonces elsewhere, the
 * `auth_enabled` setting changed by the admin screen, WP-CLI or directly. Deactivation hands the
 * nonces back to WooCommerce before Keysmith stops. The `keysmith_auth_enabled` filter is evaluated
 * per request and copies nothing.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Auth;

use Keysmith\Store\ExpiryCron;

final class NonceHandover {

	public const OPTION = 'keysmith_nonce_keeper';

	public const KEYSMITH    = 'keysmith';
	public const WOOCOMMERCE = 'woocommerce';

	public static function register(): void {
		self::sync();
		// The hourly job also sweeps stale nonces and failure counters (requests prune a bounded
		// batch of each as they go).
		add_action( ExpiryCron::HOOK, array( self::class, 'prune' ) );
	}

	/** Copies the nonces to whoever keeps them now, if that changed since the last request. */
	public static function sync(): void {
		$keeper = Settings::auth_path_on() ? self::KEYSMITH : self::WOOCOMMERCE;
		if ( get_option( self::OPTION ) === $keeper ) {
			return;
		}
		if ( self::KEYSMITH === $keeper ) {
			NonceStore::take_over_from_woocommerce( time() );
		} else {
			NonceStore::hand_over_to_woocommerce( time() );
		}
		update_option( self::OPTION, $keeper, true );
	}

	/** Deactivation: WooCommerce judges alone from now on. */
	public static function hand_back(): void {
		NonceStore::hand_over_to_woocommerce( time() );
		update_option( self::OPTION, self::WOOCOMMERCE, true );
	}

	public static function prune(): void {
		NonceStore::prune_all( time() );
		Throttle::prune_all( time() );
	}
}
