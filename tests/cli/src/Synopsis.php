<?php
/**
 * TEST STAND-IN for WP_CLI\SynopsisParser and WP_CLI\SynopsisValidator: the synopsis string
 * ("<id>... [--format=<format>] [--yes]") as WP-CLI splits and checks it.
 *
 * Tokens: `<name>` positional, `--name=<value>` assoc (value optional when written
 * `--name[=<value>]`), `--name` or `--[no-]name` flag, `--<field>=<value>` generic, `[...]`
 * optional, `...` repeating. A required flag, or a required assoc with an optional value, is
 * "unknown" (WP-CLI warns that the synopsis part is invalid).
 *
 * @package Keysmith\Tests\Cli
 */

declare(strict_types=1);

namespace Keysmith\Tests\Cli;

final class Synopsis {

	/**
	 * @return list<array<string, mixed>> Each with type, token and (when known) name, optional,
	 *                                    repeating, value{optional, name}.
	 */
	public static function parse( string $synopsis ): array {
		$params = array();
		foreach ( array_filter( (array) preg_split( '/[\s\t]+/', $synopsis ) ) as $token ) {
			$param = self::classify( $token );
			if ( isset( $param['optional'] ) && ! $param['optional']
				&& ( 'flag' === $param['type'] || ( 'assoc' === $param['type'] && $param['value']['optional'] ) ) ) {
				$param['type'] = 'unknown';
			}
			$param['token'] = $token;
			$params[]       = $param;
		}
		return $params;
	}

	private static function classify( string $token ): array {
		$param                                = array();
		list( $param['optional'], $token )  = self::strip_optional( $token );
		$param['repeating']                   = str_ends_with( $token, '...' );
		if ( $param['repeating'] ) {
			$token = substr( $token, 0, -3 );
		}
		$name  = '([a-z-_0-9]+)';
		$value = '([a-zA-Z-_|,0-9]+)';
		if ( '--<field>=<value>' === $token ) {
			$param['type'] = 'generic';
		} elseif ( preg_match( "/^<($value)>$/", $token, $m ) ) {
			$param['type'] = 'positional';
			$param['name'] = $m[1];
		} elseif ( preg_match( "/^--(?:\\[no-\\])?$name/", $token, $m ) ) {
			$param['name'] = $m[1];
			$rest          = substr( $token, strlen( $m[0] ) );
			if ( '' === $rest ) {
				$param['type'] = 'flag';
			} else {
				$param['type']                              = 'assoc';
				list( $param['value']['optional'], $rest ) = self::strip_optional( $rest );
				if ( preg_match( "/^=<$value>$/", $rest, $m ) ) {
					$param['value']['name'] = $m[1];
				} else {
					$param = array( 'type' => 'unknown' );
				}
			}
		} else {
			$param['type'] = 'unknown';
		}
		return $param;
	}

	/** @return array{0: bool, 1: string} */
	private static function strip_optional( string $token ): array {
		if ( str_starts_with( $token, '[' ) && str_ends_with( $token, ']' ) ) {
			return array( true, substr( $token, 1, -1 ) );
		}
		return array( false, $token );
	}

	/**
	 * The parameters matching every given field (SynopsisValidator::query_spec(), AND).
	 *
	 * @param list<array<string, mixed>> $spec
	 * @param array<string, mixed>       $where
	 * @return list<array<string, mixed>>
	 */
	public static function where( array $spec, array $where ): array {
		return array_values(
			array_filter(
				$spec,
				static function ( array $param ) use ( $where ): bool {
					foreach ( $where as $field => $value ) {
						if ( ! array_key_exists( $field, $param ) || $param[ $field ] !== $value ) {
							return false;
						}
					}
					return true;
				}
			)
		);
	}

	/** SynopsisValidator::enough_positionals(). */
	public static function enough_positionals( array $spec, array $args ): bool {
		return count( $args ) >= count( self::where( $spec, array( 'type' => 'positional', 'optional' => false ) ) );
	}

	/** SynopsisValidator::unknown_positionals(). */
	public static function unknown_positionals( array $spec, array $args ): array {
		if ( array() !== self::where( $spec, array( 'type' => 'positional', 'repeating' => true ) ) ) {
			return array();
		}
		return array_slice( $args, count( self::where( $spec, array( 'type' => 'positional', 'repeating' => false ) ) ) );
	}

	/**
	 * SynopsisValidator::validate_assoc(): missing required values are fatal; a bare `--name`
	 * for a `--name=<value>` parameter is fatal when required and a warning when optional, and in
	 * both cases the parameter is dropped.
	 *
	 * @return array{0: array{fatal: array<int|string, string>, warning: array<int|string, string>}, 1: list<string>}
	 */
	public static function validate_assoc( array $spec, array $assoc_args ): array {
		$errors   = array(
			'fatal'   => array(),
			'warning' => array(),
		);
		$to_unset = array();
		foreach ( self::where( $spec, array( 'type' => 'assoc' ) ) as $param ) {
			$key = $param['name'];
			if ( ! isset( $assoc_args[ $key ] ) ) {
				if ( ! $param['optional'] ) {
					$errors['fatal'][ $key ] = "missing --$key parameter";
				}
			} elseif ( true === $assoc_args[ $key ] && ! $param['value']['optional'] ) {
				$errors[ $param['optional'] ? 'warning' : 'fatal' ][ $key ] = "--$key parameter needs a value";
				$to_unset[] = $key;
			}
		}
		return array( $errors, $to_unset );
	}

	/** SynopsisValidator::unknown_assoc(): none when the synopsis takes --<field>=<value>. */
	public static function unknown_assoc( array $spec, array $assoc_args ): array {
		if ( array() !== self::where( $spec, array( 'type' => 'generic' ) ) ) {
			return array();
		}
		$known = array();
		foreach ( $spec as $param ) {
			if ( in_array( $param['type'], array( 'assoc', 'flag' ), true ) ) {
				$known[] = $param['name'];
			}
		}
		return array_values( array_diff( array_keys( $assoc_args ), $known ) );
	}
}
