<?php
/**
 * The two ways a `wp keysmith` command stops early, shared by every command class: WooCommerce is
 * not active, or the store answered with an error. Both end with WP_CLI::error() (exit 1).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Cli;

use Keysmith\Plugin;
use WP_CLI;
use WP_Error;

final class Halt {

	/**
	 * Ends the command when WooCommerce is not active. The commands are registered without it so
	 * that `doctor` can say what is wrong; everything else works on WooCommerce's keys and stops.
	 */
	public static function without_woocommerce( string $subcommand ): void {
		if ( ! Plugin::woocommerce_is_active() ) {
			/* translators: %s: subcommand name, e.g. create. */
			WP_CLI::error( sprintf( __( 'WooCommerce is not active: `wp keysmith %s` needs it. Activate WooCommerce (wp plugin activate woocommerce); `wp keysmith doctor` shows what else is missing.', 'keysmith' ), $subcommand ) );
		}
	}

	/** Ends the command with WP_CLI::error() when $value is a WP_Error. */
	public static function on_error( mixed $value ): void {
		if ( $value instanceof WP_Error ) {
			WP_CLI::error( $value->get_error_message() );
		}
	}
}
