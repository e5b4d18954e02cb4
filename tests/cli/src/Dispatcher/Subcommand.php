<?php
/**
 * TEST STAND-IN for WP_CLI\Dispatcher\Subcommand: one runnable command, its arguments checked
 * against its synopsis before it runs, as WP-CLI does:
 *
 * - too few positional arguments: the usage line on STDOUT ("usage: wp keysmith verify
 *   <consumer_key> [<consumer_secret>]"), nothing on STDERR, exit 1;
 * - too many: "Error: Too many positional arguments: …";
 * - `default:` values from the docblock's YAML (typed as Spyc reads them: `default: 1` is the
 *   int 1) for missing parameters, `options:` checked with PHP's loose in_array(), a
 *   comma-separated list of options accepted;
 * - a bare `--name` for an optional `--name=<value>`: "Warning: --name parameter needs a value"
 *   and the parameter is dropped (the command runs without it);
 * - unknown `--x` (with "Did you mean '--y'?" when one is within two edits), missing required
 *   values and invalid options: "Error: Parameter errors:" with one line each, followed by the
 *   parameter's description in parentheses; exit 1.
 *
 * @package Keysmith\Tests\Cli
 */

declare(strict_types=1);

namespace Keysmith\Tests\Cli\Dispatcher;

use Closure;
use Keysmith\Tests\Cli\DocParser;
use Keysmith\Tests\Cli\GlobalParameters;
use Keysmith\Tests\Cli\Synopsis;
use WP_CLI;

final class Subcommand extends CompositeCommand {

	private string $synopsis;

	private string $alias_name;

	public function __construct( CompositeCommand $parent, string $name, DocParser $docparser, private Closure $when_invoked ) {
		$this->alias_name = $docparser->tag( 'alias' );
		parent::__construct( $parent, $name, $docparser );
		$this->synopsis = $docparser->synopsis_tag();
		if ( '' === $this->synopsis && '' !== $this->longdesc ) {
			// Every line directly followed by a ": description" line is a parameter.
			preg_match_all( '/(.+?)[\r\n]+:/', $this->longdesc, $m );
			$this->synopsis = implode( ' ', $m[1] );
		}
	}

	public function can_have_subcommands(): bool {
		return false;
	}

	public function synopsis(): string {
		return $this->synopsis;
	}

	public function set_synopsis( string $synopsis ): void {
		$this->synopsis = $synopsis;
	}

	public function alias(): string {
		return $this->alias_name;
	}

	public function show_usage( string $prefix = 'usage: ' ): void {
		WP_CLI::line( $this->usage( $prefix ) );
	}

	public function invoke( array $args, array $assoc_args ): void {
		list( $to_unset, $args, $assoc_args ) = $this->validate_args( $args, $assoc_args );
		foreach ( $to_unset as $key ) {
			unset( $assoc_args[ $key ] );
		}
		( $this->when_invoked )( $args, $assoc_args );
	}

	/** @return array{0: list<string>, 1: list<mixed>, 2: array<string, mixed>} */
	private function validate_args( array $args, array $assoc_args ): array {
		if ( '' === $this->synopsis ) {
			return array( array(), $args, $assoc_args );
		}
		$spec = Synopsis::parse( $this->synopsis );
		foreach ( Synopsis::where( $spec, array( 'type' => 'unknown' ) ) as $unknown ) {
			WP_CLI::warning( sprintf( 'The `%s` command has an invalid synopsis part: %s', $this->path(), $unknown['token'] ) );
		}
		if ( ! Synopsis::enough_positionals( $spec, $args ) ) {
			$this->show_usage();
			WP_CLI::halt( 1 );
		}
		$extra = Synopsis::unknown_positionals( $spec, $args );
		if ( array() !== $extra ) {
			WP_CLI::error( 'Too many positional arguments: ' . implode( ' ', $extra ) );
		}

		// WP-CLI reads parameter details from the descriptions joined back into a docblock.
		$doc    = new DocParser( "/**\n* " . implode( "\n* ", array_merge( array( $this->shortdesc, '' ), explode( "\n", $this->longdesc() ) ) ) . "\n*/" );
		$errors = array(
			'fatal'   => array(),
			'warning' => array(),
		);
		$i      = 0;
		foreach ( $spec as $param ) {
			if ( 'positional' === $param['type'] ) {
				$details = $doc->arg_args( $param['name'] );
				if ( ! isset( $args[ $i ] ) && isset( $details['default'] ) ) {
					$args[ $i ] = $details['default'];
				}
				if ( isset( $details['options'] ) ) {
					do {
						// phpcs:ignore WordPress.PHP.StrictInArray.MissingTrueStrict -- WP-CLI compares loosely.
						if ( isset( $args[ $i ] ) && ! in_array( $args[ $i ], (array) $details['options'] ) ) {
							WP_CLI::error( 'Invalid value specified for positional arg.' );
						}
					} while ( ! empty( $param['repeating'] ) && isset( $args[ ++$i ] ) );
				}
				++$i;
			} elseif ( 'assoc' === $param['type'] ) {
				$name    = $param['name'];
				$details = $doc->param_args( $name );
				if ( ! isset( $assoc_args[ $name ] ) && isset( $details['default'] ) ) {
					$assoc_args[ $name ] = $details['default'];
				}
				if ( isset( $assoc_args[ $name ], $details['options'] ) && ! self::allowed( $assoc_args[ $name ], (array) $details['options'] ) ) {
					$errors['fatal'][ $name ] = "Invalid value specified for '{$name}'";
				}
			}
		}

		list( $returned, $to_unset ) = Synopsis::validate_assoc( $spec, array_merge( WP_CLI::get_config(), $assoc_args ) );
		$errors['fatal']             = array_merge( $errors['fatal'], $returned['fatal'] );
		$errors['warning']           = array_merge( $errors['warning'], $returned['warning'] );

		if ( 'help' !== $this->name ) {
			foreach ( Synopsis::unknown_assoc( $spec, $assoc_args ) as $key ) {
				$suggestion        = WP_CLI\Utils\get_suggestion( (string) $key, $this->parameter_names( $spec ) );
				$errors['fatal'][] = sprintf( 'unknown --%s parameter%s', $key, '' !== $suggestion ? PHP_EOL . "Did you mean '--{$suggestion}'?" : '' );
			}
		}

		if ( array() !== $errors['fatal'] ) {
			$out = 'Parameter errors:';
			foreach ( $errors['fatal'] as $key => $error ) {
				$out .= "\n {$error}";
				$desc = $doc->param_desc( $key );
				if ( '' !== $desc ) {
					$out .= " ({$desc})";
				}
			}
			WP_CLI::error( $out );
		}
		array_map( array( WP_CLI::class, 'warning' ), $errors['warning'] );
		return array( $to_unset, $args, $assoc_args );
	}

	/** A value in the options (loosely), or a list of two or more of them (strictly). */
	private static function allowed( mixed $value, array $options ): bool {
		// phpcs:ignore WordPress.PHP.StrictInArray.MissingTrueStrict -- WP-CLI compares loosely.
		if ( in_array( $value, $options ) ) {
			return true;
		}
		$values = array_map( 'trim', explode( ',', (string) $value ) );
		return count( $values ) > 1 && count( array_filter( $values, static fn( $v ): bool => in_array( $v, $options, true ) ) ) === count( $values );
	}

	/** Names the "Did you mean" suggestion may offer: this command's and the global ones. */
	private function parameter_names( array $spec ): array {
		$names = array_column( $spec, 'name' );
		if ( 'true' !== getenv( 'WP_CLI_SUPPRESS_GLOBAL_PARAMS' ) ) {
			$names = array_merge( $names, array_column( Synopsis::parse( GlobalParameters::synopsis() ), 'name' ) );
		}
		return array_values( array_unique( $names ) );
	}
}
