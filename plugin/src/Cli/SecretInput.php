<?php
/**
 * Reads a secret from STDIN for `wp keysmith verify` without it ever reaching the screen, the
 * shell history or the process list.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Cli;

use WP_CLI;

final class SecretInput {

	/**
	 * On a terminal: prompts on STDERR and reads one line with echo turned off. Piped: reads STDIN
	 * to its end through WP-CLI's own reader. The trailing newline is removed by the caller.
	 */
	public static function read( string $prompt ): string {
		if ( ! self::stdin_is_terminal() ) {
			return (string) WP_CLI::get_value_from_arg_or_stdin( array(), 0 );
		}
		fwrite( STDERR, $prompt ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_fwrite -- a prompt, not data.
		$saved = (string) shell_exec( 'stty -g' ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.system_calls_shell_exec -- the only portable way to turn terminal echo off.
		shell_exec( 'stty -echo' ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.system_calls_shell_exec
		$line = fgets( STDIN );
		shell_exec( '' !== trim( $saved ) ? 'stty ' . escapeshellarg( trim( $saved ) ) : 'stty echo' ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.system_calls_shell_exec
		fwrite( STDERR, "\n" ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_fwrite
		return false === $line ? '' : $line;
	}

	private static function stdin_is_terminal(): bool {
		return function_exists( 'posix_isatty' ) && defined( 'STDIN' ) && posix_isatty( STDIN );
	}
}
