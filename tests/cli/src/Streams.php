<?php
/**
 * TEST STAND-IN: where the stand-in's STDIN, STDOUT and STDERR are. A process run (tests/cli/wp)
 * uses the real streams; an in-process run (Runner::run) swaps in memory streams so a test can
 * read what the command printed.
 *
 * WP-CLI writes to STDOUT both with `echo` (WP_CLI::line, the Formatter) and with
 * fwrite( STDOUT ) (its loggers, WP_CLI::confirm, cli\Streams): without an output buffer both end
 * up in order on the same file descriptor, which one stream here reproduces.
 *
 * @package Keysmith\Tests\Cli
 */

declare(strict_types=1);

namespace Keysmith\Tests\Cli;

// phpcs:disable WordPress.WP.AlternativeFunctions -- a terminal program's streams.

final class Streams {

	/** @var resource */
	public static $in = STDIN;

	/** @var resource */
	public static $out = STDOUT;

	/** @var resource */
	public static $err = STDERR;

	public static function out( string $text ): void {
		fwrite( self::$out, $text );
	}

	public static function err( string $text ): void {
		fwrite( self::$err, $text );
	}

	/** One line from STDIN, or false at its end (fgets). */
	public static function read_line(): string|false {
		return fgets( self::$in );
	}

	/**
	 * cli\Streams::isTty(): whether STDOUT is a terminal, asked of the stream itself (SHELL_PIPE
	 * plays no part here, unlike isPiped()). A memory stream never is.
	 */
	public static function stdout_is_tty(): bool {
		return function_exists( 'stream_isatty' ) && stream_isatty( self::$out );
	}
}
