<?php
/**
 * Deactivating Keysmith unseals every secret first: WooCommerce alone cannot verify a sealed
 * secret, and would refuse every sealed key. When that cannot be done (no usable key; the key is
 * in the extension and this is a web request; values no key opens), Keysmith stays active, says
 * why (an admin notice on the next screen, a WP-CLI warning), and nothing is lost.
 *
 * WordPress has no way to refuse a deactivation: deactivate_plugins() removes the plugin from its
 * local list, runs the deactivation hook, then saves the list. So Keysmith puts itself back into
 * the list as it is saved (`pre_update_option_active_plugins`, and the network's list for a
 * network-wide deactivation).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Sealing;

use Keysmith\Store\Actor;
use WP_Error;

final class Deactivation {

	/** Why the last deactivation was refused, shown once on the next admin screen. */
	public const NOTICE_OPTION = 'keysmith_deactivation_refused';

	/**
	 * Unseals every secret of this site (every site, for a network-wide deactivation).
	 *
	 * @return bool True when nothing sealed is left and deactivation may go on.
	 */
	public static function unseal_everything( bool $network_wide ): bool {
		if ( ! $network_wide || ! is_multisite() ) {
			return self::unseal_site( false );
		}
		$done = true;
		foreach ( get_sites( array( 'fields' => 'ids', 'number' => 0 ) ) as $site_id ) {
			switch_to_blog( (int) $site_id );
			$done = self::unseal_site( true ) && $done;
			restore_current_blog();
		}
		return $done;
	}

	/** admin_notices: why Keysmith is still active, once. */
	public static function render_notice(): void {
		$message = get_option( self::NOTICE_OPTION );
		if ( ! is_string( $message ) || '' === $message || ! current_user_can( 'activate_plugins' ) ) {
			return;
		}
		delete_option( self::NOTICE_OPTION );
		printf( '<div class="notice notice-error"><p>%s</p></div>', esc_html( $message ) );
	}

	private static function unseal_site( bool $network_wide ): bool {
		if ( ! State::engaged() && 0 === SealedStore::counts()['sealed'] ) {
			return true;
		}
		$cli    = defined( 'WP_CLI' ) && WP_CLI;
		$result = ( new SealingService() )->turn_off( Actor::current( $cli ? 'cli' : 'admin' ) );
		if ( $result instanceof SealingResult && $result->complete() ) {
			return true;
		}
		$why = $result instanceof WP_Error ? $result->get_error_message() : $result->message();
		self::stay_active(
			/* translators: %s: why the secrets could not be unsealed, and what to do. */
			sprintf( __( 'Keysmith was not deactivated: its sealed secrets must be unsealed first, or WooCommerce could not verify those keys on its own. %s', 'keysmith' ), $why ),
			$network_wide
		);
		return false;
	}

	private static function stay_active( string $message, bool $network_wide ): void {
		$plugin = plugin_basename( KEYSMITH_FILE );
		if ( $network_wide ) {
			add_filter(
				'pre_update_site_option_active_sitewide_plugins',
				static function ( $active ) use ( $plugin ) {
					$active            = is_array( $active ) ? $active : array();
					$active[ $plugin ] = $active[ $plugin ] ?? time();
					return $active;
				}
			);
		} else {
			add_filter(
				'pre_update_option_active_plugins',
				static function ( $active ) use ( $plugin ) {
					$active = is_array( $active ) ? array_values( $active ) : array();
					if ( ! in_array( $plugin, $active, true ) ) {
						$active[] = $plugin;
						sort( $active );
					}
					return $active;
				}
			);
		}
		update_option( self::NOTICE_OPTION, $message, false );
		if ( defined( 'WP_CLI' ) && WP_CLI && class_exists( 'WP_CLI', false ) ) {
			\WP_CLI::warning( $message );
		}
	}
}
