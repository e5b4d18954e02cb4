<?php
/**
 * TEST STAND-IN for WP-CLI 2.12's global parameters (its php/config-spec.php): which `--name`
 * options WP-CLI takes for itself wherever they appear on the command line, which of them may
 * repeat, and the "GLOBAL PARAMETERS" section `wp help` appends to every command's help.
 *
 * The descriptions are WP-CLI's help text, reproduced because `wp help <command>` prints them.
 *
 * @package Keysmith\Tests\Cli
 */

declare(strict_types=1);

namespace Keysmith\Tests\Cli;

final class GlobalParameters {

	/**
	 * name => [ synopsis suffix (true: --[no-]name), description, default, multiple, flags ].
	 * Only entries with a runtime synopsis are command-line options; `hidden` and `deprecated`
	 * ones are left out of the help.
	 */
	public const SPEC = array(
		'path'          => array( '=<path>', 'Path to the WordPress files.', null, false, '' ),
		'url'           => array( '=<url>', 'Pretend request came from given URL. In multisite, this argument is how the target site is specified.', null, false, '' ),
		'ssh'           => array( '=[<scheme>:][<user>@]<host|container>[:<port>][<path>]', 'Perform operation against a remote server over SSH (or a container using scheme of "docker", "docker-compose", "docker-compose-run", "vagrant").', null, false, '' ),
		'http'          => array( '=<http>', 'Perform operation against a remote WordPress installation over HTTP.', null, false, '' ),
		'blog'          => array( '=<url>', '', null, false, 'deprecated:Use --url instead.' ),
		'user'          => array( '=<id|login|email>', 'Set the WordPress user.', null, false, '' ),
		'skip-plugins'  => array( '[=<plugins>]', 'Skip loading all plugins, or a comma-separated list of plugins. Note: mu-plugins are still loaded.', '', false, '' ),
		'skip-themes'   => array( '[=<themes>]', 'Skip loading all themes, or a comma-separated list of themes.', '', false, '' ),
		'skip-packages' => array( '', 'Skip loading all installed packages.', false, false, '' ),
		'require'       => array( '=<path>', 'Load PHP file before running the command (may be used more than once).', array(), true, '' ),
		'exec'          => array( '=<php-code>', 'Execute PHP code before running the command (may be used more than once).', array(), true, '' ),
		'context'       => array( '=<context>', 'Load WordPress in a given context.', 'cli', false, '' ),
		'color'         => array( true, 'Whether to colorize the output.', 'auto', false, '' ),
		'debug'         => array( '[=<group>]', 'Show all PHP errors and add verbosity to WP-CLI output. Built-in groups include: bootstrap, commandfactory, and help.', false, false, '' ),
		'prompt'        => array( '[=<assoc>]', 'Prompt the user to enter values for all command arguments, or a subset specified as comma-separated values.', false, false, '' ),
		'quiet'         => array( '', 'Suppress informational messages.', false, false, '' ),
		'allow-root'    => array( '', '', null, false, 'hidden' ),
	);

	/** Config-file-only settings: part of WP_CLI::get_config(), never options. */
	private const FILE_ONLY = array(
		'disabled_commands' => array(),
		'apache_modules'    => array(),
	);

	public static function is_global( string $name ): bool {
		return isset( self::SPEC[ $name ] );
	}

	public static function is_multiple( string $name ): bool {
		return self::SPEC[ $name ][3];
	}

	public static function deprecation( string $name ): ?string {
		$flags = self::SPEC[ $name ][4];
		return str_starts_with( $flags, 'deprecated:' ) ? substr( $flags, strlen( 'deprecated:' ) ) : null;
	}

	/** @return array<string, mixed> Every setting at its default (WP_CLI::get_config() before options). */
	public static function defaults(): array {
		$config = array();
		foreach ( self::SPEC as $name => $spec ) {
			$config[ $name ] = $spec[2];
		}
		return $config + self::FILE_ONLY;
	}

	/** The global parameters as a synopsis string ("--path=<path> --url=<url> ..."). */
	public static function synopsis(): string {
		$tokens = array();
		foreach ( self::visible() as $synopsis => $desc ) {
			$tokens[] = $synopsis;
		}
		return implode( ' ', $tokens );
	}

	/** @return array<string, string> synopsis => description, in WP-CLI's order. */
	private static function visible(): array {
		$out = array();
		foreach ( self::SPEC as $name => $spec ) {
			if ( '' !== $spec[4] ) {
				continue;
			}
			$out[ true === $spec[0] ? "--[no-]$name" : "--$name" . $spec[0] ] = $spec[1];
		}
		return $out;
	}

	/**
	 * The text WP-CLI appends to a command's long description (its man-params template):
	 * two empty lines for a subcommand or a command with subcommands, then the section.
	 */
	public static function help_section( bool $is_subcommand, bool $has_subcommands ): string {
		$out = '';
		if ( $is_subcommand ) {
			$out .= "\n\n";
		}
		if ( $has_subcommands ) {
			$out .= "\n\n";
		}
		if ( 'true' === getenv( 'WP_CLI_SUPPRESS_GLOBAL_PARAMS' ) ) {
			return $out;
		}
		$out .= "## GLOBAL PARAMETERS\n\n";
		foreach ( self::visible() as $synopsis => $desc ) {
			$out .= "  $synopsis\n      $desc\n\n";
		}
		return $out;
	}
}
