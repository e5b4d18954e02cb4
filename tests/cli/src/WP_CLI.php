<?php
/**
 * TEST STAND-IN for the class WP_CLI: the static methods plugin/src/Cli uses, with WP-CLI's
 * observable behaviour — "Error: " / "Warning: " on STDERR, "Success: " and log lines on STDOUT,
 * error() and halt() ending the command with an exit status, confirm() honouring --yes and
 * ending the command with status 0 on any answer but "y" (WP-CLI calls exit; there).
 *
 * Exits are always thrown as WP_CLI\ExitException (WP-CLI's capture_exit mode) so the Runner
 * can report the status; tests/cli/wp.php turns them into the process exit status.
 *
 * @package Keysmith\Tests\Cli
 */

declare(strict_types=1);

// phpcs:disable WordPress.WP.AlternativeFunctions, WordPress.Security.EscapeOutput -- a terminal program's output.

class WP_CLI {

	/** @var array<string, class-string|callable> Registered commands: name => class or callable. */
	public static array $commands = array();

	/** @var resource Where STDERR output goes (the Runner swaps in a buffer). */
	public static $stderr = STDERR;

	/** @var resource Where STDIN is read from (the Runner swaps in a buffer). */
	public static $stdin = STDIN;

	/** --quiet: success/log/warning are suppressed, as WP-CLI's Quiet logger does. */
	public static bool $quiet = false;

	public static function add_command( string $name, $callable, array $args = array() ): bool {
		self::$commands[ $name ] = $callable;
		return true;
	}

	public static function error( $message, $exit = true ): void {
		fwrite( self::$stderr, 'Error: ' . self::error_to_string( $message ) . "\n" );
		$code = true === $exit ? 1 : ( is_int( $exit ) && $exit >= 1 ? $exit : 0 );
		if ( $code > 0 ) {
			throw new WP_CLI\ExitException( '', $code );
		}
	}

	public static function warning( $message ): void {
		if ( ! self::$quiet ) {
			fwrite( self::$stderr, 'Warning: ' . self::error_to_string( $message ) . "\n" );
		}
	}

	public static function success( $message ): void {
		if ( ! self::$quiet ) {
			echo 'Success: ' . $message . "\n";
		}
	}

	public static function log( $message, $newline = true ): void {
		if ( ! self::$quiet ) {
			echo $message . ( $newline ? "\n" : '' );
		}
	}

	public static function line( $message = '', $newline = true ): void {
		echo $message . ( $newline ? "\n" : '' );
	}

	public static function debug( $message, $group = false ): void {}

	public static function confirm( $question, $assoc_args = array() ): void {
		if ( ! WP_CLI\Utils\get_flag_value( $assoc_args, 'yes' ) ) {
			echo $question . ' [y/n] ';
			$answer = strtolower( trim( (string) fgets( self::$stdin ) ) );
			if ( 'y' !== $answer ) {
				throw new WP_CLI\ExitException( '', 0 );
			}
		}
	}

	public static function halt( $return_code ): void {
		throw new WP_CLI\ExitException( '', (int) $return_code );
	}

	public static function get_value_from_arg_or_stdin( $args, $index ) {
		if ( isset( $args[ $index ] ) ) {
			return $args[ $index ];
		}
		$raw = '';
		while ( false !== ( $line = fgets( self::$stdin ) ) ) { // phpcs:ignore Generic.CodeAnalysis.AssignmentInCondition
			$raw .= $line;
		}
		return $raw;
	}

	public static function print_value( $value, $assoc_args = array() ): void {
		$format = WP_CLI\Utils\get_flag_value( $assoc_args, 'format', '' );
		if ( 'json' === $format ) {
			$value = json_encode( $value );
		} elseif ( 'yaml' === $format ) {
			$value = rtrim( WP_CLI\Formatter::yaml( $value ), "\n" );
		} elseif ( is_array( $value ) || is_object( $value ) ) {
			$value = var_export( $value, true );
		}
		echo $value . "\n";
	}

	public static function error_to_string( $errors ): string {
		if ( is_string( $errors ) ) {
			return $errors;
		}
		if ( $errors instanceof WP_Error ) {
			$data = $errors->get_error_data();
			return $errors->get_error_message() . ( $data ? ' ' . ( is_scalar( $data ) ? '"' . $data . '"' : json_encode( $data ) ) : '' );
		}
		if ( $errors instanceof Throwable ) {
			return get_class( $errors ) . ': ' . $errors->getMessage();
		}
		throw new InvalidArgumentException( 'Unsupported argument type passed to WP_CLI::error_to_string()' );
	}
}
