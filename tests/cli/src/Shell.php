<?php
/**
 * TEST STAND-IN for cli\Shell and WP_CLI\Utils\isPiped(): the terminal width and whether STDOUT
 * is a pipe.
 *
 * Width: the COLUMNS environment variable, else `stty size` (which asks STDIN's terminal), else
 * `tput cols` when TERM is set, else 80 — the order php-cli-tools tries them in. Golden transcripts
 * always set COLUMNS, so their replay never depends on the machine's terminal.
 *
 * Piped: SHELL_PIPE decides when set (FILTER_VALIDATE_BOOLEAN: "0" means a terminal); otherwise
 * whether STDOUT is a terminal. WP-CLI has two copies of this test (Utils\isPiped() uses
 * posix_isatty, cli\Shell::isPiped() stream_isatty); they agree on every stream here.
 *
 * @package Keysmith\Tests\Cli
 */

declare(strict_types=1);

namespace Keysmith\Tests\Cli;

final class Shell {

	public static function columns(): int {
		$columns = (int) getenv( 'COLUMNS' );
		if ( $columns > 0 ) {
			return $columns;
		}
		if ( function_exists( 'exec' ) ) {
			$size = (string) exec( '/usr/bin/env stty size 2>/dev/null' );
			if ( '' !== $size && preg_match( '/[0-9]+ ([0-9]+)/', $size, $m ) && (int) $m[1] > 0 ) {
				return (int) $m[1];
			}
			if ( getenv( 'TERM' ) ) {
				$columns = (int) exec( '/usr/bin/env tput cols 2>/dev/null' );
				if ( $columns > 0 ) {
					return $columns;
				}
			}
		}
		return 80;
	}

	public static function is_piped(): bool {
		$shell_pipe = getenv( 'SHELL_PIPE' );
		if ( false !== $shell_pipe ) {
			return filter_var( $shell_pipe, FILTER_VALIDATE_BOOLEAN );
		}
		return ! Streams::stdout_is_tty();
	}
}
