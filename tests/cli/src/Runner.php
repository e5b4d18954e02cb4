<?php
/**
 * TEST STAND-IN for WP-CLI's runner: parses argv as WP-CLI's Configurator does (positional
 * arguments, --key=value, --flag, --no-flag => false, `--` ends options), takes WP-CLI's global
 * parameters out (--user sets the current WordPress user, --quiet silences informational output;
 * --url, --path, --skip-*, --debug, --color, --require are accepted and ignored), finds the
 * registered command and its subcommand method (method name, or its @subcommand tag), validates
 * the arguments against the docblock synopsis and calls method( $args, $assoc_args ).
 *
 * run() captures STDOUT, STDERR and the exit status for tests; main() streams them for the
 * tests/cli/wp shim.
 *
 * @package Keysmith\Tests\Cli
 */

declare(strict_types=1);

namespace Keysmith\Tests\Cli;

use ReflectionClass;
use ReflectionMethod;
use WP_CLI;
use WP_CLI\ExitException;

final class Runner {

	/** WP-CLI global parameters (php/config-spec.php) that take a value or are flags. */
	private const GLOBALS = array( 'user', 'quiet', 'url', 'path', 'skip-plugins', 'skip-themes', 'skip-packages', 'debug', 'color', 'require', 'exec', 'context', 'allow-root', 'prompt' );

	/**
	 * Runs `wp <argv…>` in this process.
	 *
	 * @param list<string> $argv  Arguments after "wp", e.g. ['keysmith', 'list', '--format=ids'].
	 * @param string       $stdin What STDIN holds (confirmation answers, secrets).
	 * @return array{stdout: string, stderr: string, exit: int}
	 */
	public static function run( array $argv, string $stdin = '' ): array {
		$saved_user = get_current_user_id();
		$in         = fopen( 'php://memory', 'w+' );
		fwrite( $in, $stdin );
		rewind( $in );
		$err          = fopen( 'php://memory', 'w+' );
		WP_CLI::$stdin  = $in;
		WP_CLI::$stderr = $err;
		ob_start();
		try {
			$exit = self::dispatch( $argv );
		} finally {
			$stdout = (string) ob_get_clean();
			rewind( $err );
			$stderr         = (string) stream_get_contents( $err );
			WP_CLI::$stdin  = STDIN;
			WP_CLI::$stderr = STDERR;
			WP_CLI::$quiet  = false;
			wp_set_current_user( $saved_user );
		}
		return array(
			'stdout' => $stdout,
			'stderr' => $stderr,
			'exit'   => $exit,
		);
	}

	/** Runs `wp <argv…>` with the real STDIN/STDOUT/STDERR; returns the exit status. */
	public static function main( array $argv ): int {
		return self::dispatch( $argv );
	}

	private static function dispatch( array $argv ): int {
		try {
			list( $args, $assoc_args ) = self::parse( $argv );
			self::apply_globals( $assoc_args );
			self::call( $args, $assoc_args );
			return 0;
		} catch ( ExitException $e ) {
			return (int) $e->getCode();
		}
	}

	/**
	 * WP-CLI's Configurator::extract_assoc(): the last value of a repeated option wins.
	 *
	 * @return array{0: list<string>, 1: array<string, string|bool>}
	 */
	public static function parse( array $argv ): array {
		$args  = array();
		$assoc = array();
		$ended = false;
		foreach ( $argv as $arg ) {
			if ( ! $ended && '--' === $arg ) {
				$ended = true;
			} elseif ( ! $ended && preg_match( '|^--no-([^=]+)$|', $arg, $m ) ) {
				$assoc[ $m[1] ] = false;
			} elseif ( ! $ended && preg_match( '|^--([^=]+)$|', $arg, $m ) ) {
				$assoc[ $m[1] ] = true;
			} elseif ( ! $ended && preg_match( '|^--([^=]+)=(.*)|s', $arg, $m ) ) {
				$assoc[ $m[1] ] = $m[2];
			} else {
				$args[] = $arg;
			}
		}
		return array( $args, $assoc );
	}

	/** Takes the global parameters out of $assoc_args and applies the ones that matter here. */
	private static function apply_globals( array &$assoc_args ): void {
		foreach ( self::GLOBALS as $global ) {
			if ( ! array_key_exists( $global, $assoc_args ) ) {
				continue;
			}
			$value = $assoc_args[ $global ];
			unset( $assoc_args[ $global ] );
			if ( 'quiet' === $global ) {
				WP_CLI::$quiet = (bool) $value;
			} elseif ( 'user' === $global ) {
				$value = (string) $value;
				$user  = ctype_digit( $value ) ? get_user_by( 'id', (int) $value ) : ( is_email( $value ) ? get_user_by( 'email', $value ) : get_user_by( 'login', $value ) );
				if ( ! $user ) {
					WP_CLI::error( "Invalid user ID, email or login: '$value'" );
				}
				wp_set_current_user( $user->ID );
			}
		}
	}

	private static function call( array $args, array $assoc_args ): void {
		$name = array_shift( $args );
		if ( null === $name || ! isset( WP_CLI::$commands[ $name ] ) ) {
			WP_CLI::error( "'" . (string) $name . "' is not a registered wp command. See 'wp help' for available commands." );
		}
		$subcommands = self::subcommands( $name );
		$sub         = array_shift( $args );
		if ( null === $sub ) {
			WP_CLI::line( "usage: wp $name <" . implode( '|', array_keys( $subcommands ) ) . '>' );
			return;
		}
		if ( ! isset( $subcommands[ $sub ] ) ) {
			WP_CLI::error( "'$sub' is not a registered subcommand of '$name'. See 'wp help $name' for available subcommands." );
		}
		list( $class, $method )    = $subcommands[ $sub ];
		list( $args, $assoc_args ) = ( new Synopsis( (string) $method->getDocComment() ) )->validate( "$name $sub", $args, $assoc_args );
		$method->invoke( new $class(), $args, $assoc_args );
	}

	/**
	 * The subcommands of a registered command, as WP-CLI's CommandFactory builds them: each public
	 * method of its class (method name, or its @subcommand tag), plus each class registered as
	 * "<name> <subcommand>" that has an __invoke() method (e.g. `wp keysmith audit`).
	 *
	 * @return array<string, array{0: class-string, 1: ReflectionMethod}> subcommand => [class, method]
	 */
	private static function subcommands( string $name ): array {
		$class       = WP_CLI::$commands[ $name ];
		$subcommands = array();
		foreach ( ( new ReflectionClass( $class ) )->getMethods( ReflectionMethod::IS_PUBLIC ) as $method ) {
			if ( $method->isStatic() || $method->isConstructor() || str_starts_with( $method->name, '__' ) ) {
				continue;
			}
			$doc                 = (string) $method->getDocComment();
			$sub                 = preg_match( '/@subcommand\s+(\S+)/', $doc, $m ) ? $m[1] : str_replace( '_', '-', $method->name );
			$subcommands[ $sub ] = array( $class, $method );
		}
		foreach ( WP_CLI::$commands as $registered => $invokable ) {
			if ( str_starts_with( $registered, "$name " ) && is_string( $invokable ) && method_exists( $invokable, '__invoke' ) ) {
				$subcommands[ substr( $registered, strlen( $name ) + 1 ) ] = array( $invokable, new ReflectionMethod( $invokable, '__invoke' ) );
			}
		}
		return $subcommands;
	}
}
