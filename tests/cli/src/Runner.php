<?php
/**
 * TEST STAND-IN for WP-CLI's runner (Configurator, Runner, Help_Command's dispatch): from argv to
 * exit status.
 *
 * Arguments (Configurator::extract_assoc): `--no-x` is x=false, `--x` is x=true, `--x=v` is
 * x="v", anything else (including a bare `--`) is positional; the last of a repeated option wins,
 * except --require and --exec, which add up. Global parameters (GlobalParameters) are taken out
 * wherever they appear. `--help` turns the command into `wp help <command>`, `--json` into
 * `--format=json` (WP-CLI's back-compat rules).
 *
 * Order of a run, as in WP-CLI: --require files are loaded; `wp help a b` is answered before
 * WordPress loads if the command is already known; WordPress loads and its `init` hook (priority
 * 0) resolves --user (an unknown user ends the run there, before any argument of the command is
 * checked) — or, without --user, removes kses filters; then `wp <parent>` alone prints every
 * subcommand's usage and exits 0, an unknown command or subcommand is an error (with "Did you
 * mean …?"), and the command's arguments are validated (Subcommand) and it runs. Exit status 0
 * unless the command ended it.
 *
 * Not modelled: --prompt and --exec (the run stops with an error saying so), --debug output,
 * --skip-plugins/--skip-themes (accepted, everything loads), aliases (@site), wp-cli.yml, `@when`,
 * and suggestions that name WP-CLI's own commands (the stand-in only knows registered ones).
 *
 * run() runs in this process (WordPress already loaded, commands already registered: --require is
 * not loaded there, and --user is resolved just before the command instead of on `init`) and
 * returns STDOUT (the command's own `echo` included), STDERR and the exit status;
 * before_wordpress()/after_wordpress() are tests/cli/wp's process run, the one the transcripts prove.
 *
 * @package Keysmith\Tests\Cli
 */

declare(strict_types=1);

namespace Keysmith\Tests\Cli;

use Keysmith\Tests\Cli\Dispatcher\CommandFactory;
use Keysmith\Tests\Cli\Dispatcher\CompositeCommand;
use WP_CLI;
use WP_CLI\ExitException;

final class Runner {

	/** @var array{0: list<string>, 1: array<string, mixed>, 2: array<string, mixed>} */
	private static array $parsed = array( array(), array(), array() );

	/**
	 * `wp <argv…>` in this process: WordPress is loaded and the commands are registered.
	 *
	 * @param list<string> $argv  Arguments after "wp", e.g. ['keysmith', 'list', '--format=ids'].
	 * @param string       $stdin What STDIN holds.
	 * @return array{stdout: string, stderr: string, exit: int}
	 */
	public static function run( array $argv, string $stdin = '' ): array {
		$saved_user = get_current_user_id();
		$in         = fopen( 'php://memory', 'w+' );
		$out        = fopen( 'php://memory', 'w+' );
		$err        = fopen( 'php://memory', 'w+' );
		fwrite( $in, $stdin );
		rewind( $in );
		Streams::$in  = $in;
		Streams::$out = $out;
		Streams::$err = $err;
		// A command's own `echo` reaches the same STDOUT as WP-CLI's fwrite( STDOUT ), in order.
		ob_start(
			static function ( string $chunk ) use ( $out ): string {
				fwrite( $out, $chunk );
				return '';
			},
			1
		);
		try {
			$exit = self::exit_status(
				static function () use ( $argv ): void {
					self::prepare( $argv, false );
					$config = WP_CLI::get_config();
					wp_set_current_user( isset( $config['user'] ) ? UserFetcher::get_check( $config['user'] )->ID : 0 );
					self::dispatch();
				}
			);
		} finally {
			ob_end_flush();
			rewind( $out );
			rewind( $err );
			$result       = array(
				'stdout' => (string) stream_get_contents( $out ),
				'stderr' => (string) stream_get_contents( $err ),
				'exit'   => $exit ?? 255,
			);
			Streams::$in  = STDIN;
			Streams::$out = STDOUT;
			Streams::$err = STDERR;
			wp_set_current_user( $saved_user );
		}
		return $result;
	}

	/**
	 * Before WordPress loads (tests/cli/wp.php): parses argv, loads --require files, answers an
	 * early `wp help`, and hooks the --user resolution on init. Returns an exit status when the
	 * run is already over, else null.
	 */
	public static function before_wordpress( array $argv ): ?int {
		$done = false;
		$exit = self::exit_status(
			static function () use ( $argv, &$done ): void {
				self::prepare( $argv, true );
				list( $args ) = self::$parsed;
				if ( 'help' === ( $args[0] ?? '' ) && count( $args ) > 2 && self::help( array_slice( $args, 1 ) ) ) {
					$done = true;
					return;
				}
				$config = WP_CLI::get_config();
				WP_CLI::add_wp_hook(
					'init',
					static function () use ( $config ): void {
						if ( isset( $config['user'] ) ) {
							wp_set_current_user( UserFetcher::get_check( $config['user'] )->ID );
						} else {
							add_action( 'init', 'kses_remove_filters', 11 );
						}
					},
					0
				);
			}
		);
		return ( 0 !== $exit || $done ) ? $exit : null;
	}

	/** After WordPress loaded (tests/cli/wp.php): runs the command; the exit status. */
	public static function after_wordpress(): int {
		return self::exit_status( array( self::class, 'dispatch' ) );
	}

	/** Runs $run, turning WP_CLI's exits into a status. */
	public static function exit_status( callable $run ): int {
		try {
			$run();
			return 0;
		} catch ( ExitException $e ) {
			return (int) $e->getCode();
		}
	}

	/** Parses argv into the settings and, in a fresh process, loads --require files. */
	private static function prepare( array $argv, bool $fresh_process ): void {
		list( $args, $assoc_args, $config ) = self::parse( $argv );
		$colour                             = $config['color'] ?? 'auto';
		$in_color                           = 'auto' === $colour ? ! Shell::is_piped() : (bool) $colour;
		if ( $fresh_process ) {
			WP_CLI::reset( $config, $in_color );
		} else {
			WP_CLI::configure( $config, $in_color );
		}
		foreach ( array( 'prompt', 'exec' ) as $unmodelled ) {
			if ( ! empty( $config[ $unmodelled ] ) ) {
				WP_CLI::error( "tests/cli (the WP-CLI stand-in) does not model --$unmodelled." );
			}
		}
		if ( $fresh_process ) {
			foreach ( (array) ( $config['require'] ?? array() ) as $file ) {
				if ( ! file_exists( $file ) ) {
					WP_CLI::error( sprintf( "Required file '%s' doesn't exist (from runtime argument).", basename( $file ) ) );
				}
				require_once $file;
			}
		}
		self::$parsed = array( array() === $args ? array( 'help' ) : $args, $assoc_args, $config );
	}

	/**
	 * Configurator::parse_args() plus Runner::back_compat_conversions() (the --help and --json
	 * rules).
	 *
	 * @return array{0: list<string>, 1: array<string, mixed>, 2: array<string, mixed>}
	 */
	public static function parse( array $argv ): array {
		$args   = array();
		$assoc  = array();
		$config = array();
		foreach ( $argv as $arg ) {
			if ( preg_match( '|^--no-([^=]+)$|', $arg, $m ) ) {
				$pair = array( $m[1], false );
			} elseif ( preg_match( '|^--([^=]+)$|', $arg, $m ) ) {
				$pair = array( $m[1], true );
			} elseif ( preg_match( '|^--([^=]+)=(.*)|s', $arg, $m ) ) {
				$pair = array( $m[1], $m[2] );
			} else {
				$args[] = $arg;
				continue;
			}
			list( $key, $value ) = $pair;
			if ( GlobalParameters::is_global( $key ) ) {
				$deprecation = GlobalParameters::deprecation( $key );
				if ( null !== $deprecation ) {
					Streams::err( "WP-CLI: The --{$key} global parameter is deprecated. {$deprecation}\n" );
				}
				if ( GlobalParameters::is_multiple( $key ) ) {
					$config[ $key ][] = $value;
				} else {
					$config[ $key ] = $value;
				}
			} else {
				$assoc[ $key ] = $value;
			}
		}
		if ( isset( $assoc['help'] ) ) {
			array_unshift( $args, 'help' );
			unset( $assoc['help'] );
		}
		if ( isset( $assoc['json'] ) ) {
			$assoc['format'] = 'json';
			unset( $assoc['json'] );
		}
		return array( $args, $assoc, $config );
	}

	/** Runner::run_command_and_exit(). */
	private static function dispatch(): void {
		list( $args, $assoc_args ) = self::$parsed;
		CommandFactory::add_remaining_deferred( WP_CLI::get_root_command() );
		if ( 'help' === $args[0] ) {
			if ( ! self::help( array_slice( $args, 1 ) ) ) {
				$found = self::find( array_slice( $args, 1 ) );
				WP_CLI::error( is_string( $found ) ? $found : 'tests/cli (the WP-CLI stand-in) does not model `wp help` without a command.' );
			}
			return;
		}
		$found = self::find( $args );
		if ( is_string( $found ) ) {
			WP_CLI::error( $found );
		}
		list( $command, $rest, $path ) = $found;
		if ( $command->can_have_subcommands() ) {
			$command->show_usage();
			return;
		}
		$name   = implode( ' ', $path );
		$parent = implode( ' ', array_slice( $path, 0, -1 ) );
		if ( '' !== $parent ) {
			WP_CLI::do_hook( "before_invoke:$parent", $parent );
		}
		WP_CLI::do_hook( "before_invoke:$name", $name );
		$command->invoke( $rest, $assoc_args );
		if ( '' !== $parent ) {
			WP_CLI::do_hook( "after_invoke:$parent", $parent );
		}
		WP_CLI::do_hook( "after_invoke:$name", $name );
	}

	/** Help_Command: shows the help of the command $args names; false when there is none. */
	private static function help( array $args ): bool {
		if ( array() === $args ) {
			return false;
		}
		$found = self::find( $args );
		if ( is_string( $found ) ) {
			return false;
		}
		Help::show( $found[0] );
		return true;
	}

	/**
	 * Runner::find_command_to_run().
	 *
	 * @return array{0: CompositeCommand, 1: list<string>, 2: list<string>}|string The command, the
	 *         arguments left and its path; or the error message.
	 */
	private static function find( array $args ): array|string {
		$command = WP_CLI::get_root_command();
		$path    = array();
		while ( array() !== $args && $command->can_have_subcommands() ) {
			$path[] = $args[0];
			$full   = implode( ' ', $path );
			$parent = $command;
			$next   = $command->find_subcommand( $args );
			if ( null === $next ) {
				if ( count( $path ) > 1 ) {
					$child       = array_pop( $path );
					$parent_name = implode( ' ', $path );
					$suggestion  = self::suggest( (string) $child, $parent );
					return sprintf(
						"'%s' is not a registered subcommand of '%s'. See 'wp help %s' for available subcommands.%s",
						$child,
						$parent_name,
						$parent_name,
						'' !== $suggestion ? PHP_EOL . "Did you mean '{$suggestion}'?" : ''
					);
				}
				$suggestion = self::suggest( $full, $parent );
				if ( function_exists( 'taxonomy_exists' ) && taxonomy_exists( $path[0] ) ) {
					$suggestion = 'wp term <command>';
				} elseif ( function_exists( 'post_type_exists' ) && post_type_exists( $path[0] ) ) {
					$suggestion = "wp post --post_type={$path[0]} <command>";
				}
				return sprintf(
					"'%s' is not a registered wp command. See 'wp help' for available commands.%s",
					$full,
					'' !== $suggestion ? PHP_EOL . "Did you mean '{$suggestion}'?" : ''
				);
			}
			$command = $next;
		}
		return array( $command, $args, $path );
	}

	/** Runner::get_subcommand_suggestion(): every command under $root, "a", "a b", …. */
	private static function suggest( string $entry, CompositeCommand $root ): string {
		$names = array();
		$walk  = static function ( CompositeCommand $command, string $prefix ) use ( &$walk, &$names ): void {
			foreach ( $command->subcommands() as $sub ) {
				$name    = '' === $prefix ? $sub->name() : "$prefix {$sub->name()}";
				$names[] = $name;
				$walk( $sub, $name );
			}
		};
		$walk( $root, '' );
		if ( $root === WP_CLI::get_root_command() ) {
			$names[] = 'help';
		}
		return WP_CLI\Utils\get_suggestion( $entry, $names );
	}
}
