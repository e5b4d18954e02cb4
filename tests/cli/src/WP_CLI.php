<?php
/**
 * TEST STAND-IN for the class WP_CLI: the static API commands call, with WP-CLI 2.12's output.
 *
 * - line(): the text and a newline on STDOUT, always (even with --quiet).
 * - log(): the same, silenced by --quiet. success(): "Success: " on STDOUT; warning():
 *   "Warning: " on STDERR; both silenced by --quiet. error(): "Error: " on STDERR (never
 *   silenced), then exit 1 (or the given code; `false`/0 continues). When colouring (STDOUT a
 *   terminal and no --no-color, or --color), the labels are coloured: Success bright green,
 *   Warning bright cyan, Error bright red ("\e[31;1mError:\e[0m message").
 * - A WP_Error gives its first message, followed by its data (`"string"` or JSON) when it has
 *   data; a Throwable gives "Class: message".
 * - confirm(): unless --yes, "<question> [y/n] " on STDOUT, one line read from STDIN; anything
 *   but "y" (after trim and lower-casing; end of input counts as "") ends the command with exit
 *   status 0.
 * - get_value_from_arg_or_stdin(): the argument, or all of STDIN.
 * - print_value(): JSON, YAML (Spyc), var_export() for arrays and objects, or the value, with a
 *   newline.
 *
 * Every exit is thrown as WP_CLI\ExitException (WP-CLI's capture_exit mode); the Runner turns it
 * into the exit status.
 *
 * @package Keysmith\Tests\Cli
 */

declare(strict_types=1);

use Keysmith\Tests\Cli\Colors;
use Keysmith\Tests\Cli\Dispatcher\CommandFactory;
use Keysmith\Tests\Cli\Dispatcher\RootCommand;
use Keysmith\Tests\Cli\GlobalParameters;
use Keysmith\Tests\Cli\Streams;
use Keysmith\Tests\Cli\Yaml;
use WP_CLI\ExitException;

// phpcs:disable WordPress.Security.EscapeOutput -- a terminal program's output.

class WP_CLI {

	/** WP-CLI's own switch; the stand-in always throws ExitException and the Runner catches it. */
	public static bool $capture_exit = true;

	private static ?RootCommand $root = null;

	/** @var array<string, mixed> The global settings (WP_CLI::get_config()). */
	private static array $config = array();

	private static bool $in_color = false;

	/** @var array<string, list<callable>> WP-CLI's own hooks (add_hook / do_hook). */
	private static array $hooks = array();

	/** Forgets every command and setting (a new `wp` run). */
	public static function reset( array $config = array(), bool $in_color = false ): void {
		self::$root     = new RootCommand();
		self::$hooks    = array();
		self::$config   = array_merge( GlobalParameters::defaults(), $config );
		self::$in_color = $in_color;
		CommandFactory::reset();
		Colors::reset();
	}

	/** Keeps the registered commands, applies new settings (another in-process run). */
	public static function configure( array $config, bool $in_color ): void {
		self::$config   = array_merge( GlobalParameters::defaults(), $config );
		self::$in_color = $in_color;
		Colors::reset();
	}

	public static function get_root_command(): RootCommand {
		return self::$root ??= new RootCommand();
	}

	public static function in_color(): bool {
		return self::$in_color;
	}

	public static function get_config( $key = null ) {
		if ( null === $key ) {
			return self::$config;
		}
		if ( ! array_key_exists( $key, self::$config ) ) {
			self::warning( "Unknown config option '$key'." );
			return null;
		}
		return self::$config[ $key ];
	}

	public static function has_config( $key ): bool {
		return array_key_exists( $key, self::$config );
	}

	public static function add_command( $name, $callable, $args = array() ) {
		if ( ! defined( 'WP_CLI' ) && ! defined( 'KEYSMITH_WP_CLI_STANDIN' ) ) {
			return false;
		}
		$valid = is_callable( $callable ) || ( is_string( $callable ) && class_exists( $callable ) ) || is_object( $callable )
			|| ( is_array( $callable ) && isset( $callable[0], $callable[1] ) && method_exists( $callable[0], (string) $callable[1] ) );
		if ( ! $valid ) {
			if ( is_array( $callable ) ) {
				$callable = array( is_object( $callable[0] ) ? get_class( $callable[0] ) : $callable[0], $callable[1] );
			}
			self::error( sprintf( 'Callable %s does not exist, and cannot be registered as `wp %s`.', json_encode( $callable ), $name ) );
		}
		foreach ( array( 'before_invoke', 'after_invoke' ) as $when ) {
			if ( isset( $args[ $when ] ) ) {
				self::add_hook( "{$when}:{$name}", $args[ $when ] );
			}
		}
		return CommandFactory::add( self::get_root_command(), (string) $name, $callable, (array) $args );
	}

	public static function add_hook( $when, $callback ): void {
		self::$hooks[ $when ][] = $callback;
	}

	public static function do_hook( $when, ...$args ): void {
		foreach ( self::$hooks[ $when ] ?? array() as $callback ) {
			$callback( ...$args );
		}
	}

	/** WordPress hooks, also before WordPress has loaded (WP-CLI fills $wp_filter the same way). */
	public static function add_wp_hook( $tag, $function_to_add, $priority = 10, $accepted_args = 1 ) {
		if ( function_exists( 'add_filter' ) ) {
			return add_filter( $tag, $function_to_add, $priority, $accepted_args );
		}
		$GLOBALS['wp_filter'][ $tag ][ $priority ][] = array(
			'function'      => $function_to_add,
			'accepted_args' => $accepted_args,
		);
		return true;
	}

	public static function line( $message = '' ): void {
		Streams::out( $message . "\n" );
	}

	public static function log( $message ): void {
		if ( ! self::quiet() ) {
			Streams::out( $message . "\n" );
		}
	}

	public static function success( $message ): void {
		if ( ! self::quiet() ) {
			Streams::out( self::label( 'Success', '%G' ) . " $message\n" );
		}
	}

	public static function warning( $message ): void {
		if ( ! self::quiet() ) {
			Streams::err( self::label( 'Warning', '%C' ) . ' ' . self::error_to_string( $message ) . "\n" );
		}
	}

	/** --debug output is not reproduced (its timings make it nondeterministic). */
	public static function debug( $message, $group = false ): void {}

	public static function error( $message, $exit = true ): void {
		Streams::err( self::label( 'Error', '%R' ) . ' ' . self::error_to_string( $message ) . "\n" );
		$code = true === $exit ? 1 : ( is_int( $exit ) && $exit >= 1 ? $exit : 0 );
		if ( $code ) {
			throw new ExitException( '', $code );
		}
	}

	public static function halt( $return_code ): void {
		throw new ExitException( '', (int) $return_code );
	}

	public static function confirm( $question, $assoc_args = array() ): void {
		if ( WP_CLI\Utils\get_flag_value( $assoc_args, 'yes' ) ) {
			return;
		}
		Streams::out( $question . ' [y/n] ' );
		$answer = strtolower( trim( (string) Streams::read_line() ) );
		if ( 'y' !== $answer ) {
			throw new ExitException( '', 0 );
		}
	}

	public static function get_value_from_arg_or_stdin( $args, $index ) {
		if ( isset( $args[ $index ] ) ) {
			return $args[ $index ];
		}
		$raw = '';
		while ( false !== ( $line = Streams::read_line() ) ) { // phpcs:ignore Generic.CodeAnalysis.AssignmentInCondition
			$raw .= $line;
		}
		return $raw;
	}

	public static function print_value( $value, $assoc_args = array() ): void {
		$format = WP_CLI\Utils\get_flag_value( $assoc_args, 'format' );
		if ( 'json' === $format ) {
			$value = json_encode( $value );
		} elseif ( 'yaml' === $format ) {
			$value = Yaml::dump( $value );
		} elseif ( is_array( $value ) || is_object( $value ) ) {
			$value = var_export( $value, true );
		}
		Streams::out( $value . "\n" );
	}

	public static function colorize( $string ): string {
		return Colors::colorize( (string) $string, self::$in_color );
	}

	public static function error_to_string( $errors ): string {
		if ( is_string( $errors ) ) {
			return $errors;
		}
		if ( $errors instanceof WP_Error ) {
			foreach ( $errors->get_error_messages() as $message ) {
				$data = $errors->get_error_data();
				if ( $data ) {
					return $message . ' ' . ( is_array( $data ) || is_object( $data ) ? json_encode( $data ) : '"' . $data . '"' );
				}
				return $message;
			}
		}
		if ( $errors instanceof Throwable ) {
			return get_class( $errors ) . ': ' . $errors->getMessage();
		}
		throw new InvalidArgumentException( sprintf( "Unsupported argument type passed to WP_CLI::error_to_string(): '%s'", gettype( $errors ) ) );
	}

	private static function quiet(): bool {
		return (bool) ( self::$config['quiet'] ?? false );
	}

	/** "Error:" coloured (or with its tokens removed) as WP-CLI's loggers write it. */
	private static function label( string $label, string $color ): string {
		return Colors::colorize( "$color$label:%n", self::$in_color );
	}
}
