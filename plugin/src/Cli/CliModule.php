<?php
/**
 * Registers `wp keysmith` when the request runs under WP-CLI.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Cli;

final class CliModule {

	public static function register(): void {
		// WP-CLI defines WP_CLI before loading WordPress; web requests never load the command classes.
		if ( ! defined( 'WP_CLI' ) || ! WP_CLI || ! class_exists( 'WP_CLI', false ) ) {
			return;
		}
		\WP_CLI::add_command( 'keysmith', KeysmithCommand::class );
	}
}
