<?php
/**
 * Part of the pure-PHP twin of the `keysmith` extension (see functions.php).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Fallback;

/**
 * Argument checks and messages shared by the twin's functions. Kept in one place so the wording
 * stays identical to the extension's.
 *
 * @internal
 */
final class Args {

	/** PHP's own name for a value's type in TypeError messages (zend_zval_type_name). */
	public static function type_name( mixed $value ): string {
		if ( is_object( $value ) ) {
			return get_class( $value );
		}
		if ( is_resource( $value ) || 'resource (closed)' === get_debug_type( $value ) ) {
			return 'resource';
		}
		return get_debug_type( $value );
	}

	/** TypeError worded as PHP words a parameter type mismatch, naming the native function. */
	public static function type_error( string $fn, int $pos, string $name, string $expected, mixed $value ): \TypeError {
		return new \TypeError(
			sprintf( 'Keysmith\\%s(): Argument #%d ($%s) must be of type %s, %s given', $fn, $pos, $name, $expected, self::type_name( $value ) )
		);
	}

	/**
	 * Refuses extra arguments as the extension does (PHP itself would ignore them for a
	 * user function). Missing arguments are refused by PHP before the body runs: the same
	 * ArgumentCountError class, in PHP's own words.
	 */
	public static function arity( int $given, string $fn, int $expected ): void {
		if ( $given > $expected ) {
			throw new \ArgumentCountError(
				sprintf( 'Keysmith\\%s() expects exactly %d argument%s, %d given', $fn, $expected, 1 === $expected ? '' : 's', $given )
			);
		}
	}

	public static function string( mixed $value, string $fn, int $pos, string $name ): string {
		if ( ! is_string( $value ) ) {
			throw self::type_error( $fn, $pos, $name, 'string', $value );
		}
		return $value;
	}

	public static function int( mixed $value, string $fn, int $pos, string $name ): int {
		if ( ! is_int( $value ) ) {
			throw self::type_error( $fn, $pos, $name, 'int', $value );
		}
		return $value;
	}

	/** @return array<array-key, mixed> */
	public static function array( mixed $value, string $fn, int $pos, string $name ): array {
		if ( ! is_array( $value ) ) {
			throw self::type_error( $fn, $pos, $name, 'array', $value );
		}
		return $value;
	}

	/**
	 * How the extension shows an array key in messages: [5] or ["name"], the string escaped
	 * byte by byte like Rust's `<[u8]>::escape_ascii()` (no NUL or binary in messages).
	 */
	public static function key_label( int|string $key ): string {
		return is_int( $key ) ? '[' . $key . ']' : '["' . self::escape( $key ) . '"]';
	}

	/**
	 * User bytes quoted in a message, escaped like Rust's `<[u8]>::escape_ascii()`: printable
	 * ASCII stays, \t \r \n \\ \' \" are escaped, any other byte becomes \xNN. Messages
	 * thus never carry NUL or invalid UTF-8 (the extension cannot throw a message with NUL).
	 */
	public static function escape( string $bytes ): string {
		$escaped = '';
		$length  = strlen( $bytes );
		for ( $i = 0; $i < $length; $i++ ) {
			$escaped .= self::escape_byte( $bytes[ $i ] );
		}
		return $escaped;
	}

	private static function escape_byte( string $byte ): string {
		static $named = array( "\t" => '\\t', "\r" => '\\r', "\n" => '\\n', '\\' => '\\\\', "'" => "\\'", '"' => '\\"' );
		if ( isset( $named[ $byte ] ) ) {
			return $named[ $byte ];
		}
		$code = ord( $byte );
		return ( $code >= 0x20 && $code <= 0x7e ) ? $byte : sprintf( '\\x%02x', $code );
	}

	/**
	 * Checks OAuth params before anything is computed, in insertion order, depth first, so the
	 * first problem reported is the one the extension reports. The path to a bad value
	 * (`["filter"][0]`) is only formatted when there is one.
	 *
	 * @param array<array-key, mixed> $params
	 * @param list<int|string>        $parents Keys leading to `$params`.
	 */
	public static function oauth_params( array $params, string $fn, int $pos, array $parents = array() ): void {
		foreach ( $params as $key => $value ) {
			if ( is_array( $value ) ) {
				if ( count( $parents ) + 1 > MAX_PARAM_DEPTH ) {
					throw new \ValueError(
						sprintf( 'Keysmith\\%s(): Argument #%d ($params) must not be nested deeper than %d levels', $fn, $pos, MAX_PARAM_DEPTH )
					);
				}
				self::oauth_params( $value, $fn, $pos, array_merge( $parents, array( $key ) ) );
			} elseif ( ! is_string( $value ) && ! is_int( $value ) ) {
				$path = implode( '', array_map( array( self::class, 'key_label' ), array_merge( $parents, array( $key ) ) ) );
				throw new \TypeError(
					sprintf( 'Keysmith\\%s(): Argument #%d ($params) element %s must be of type string|int|array, %s given', $fn, $pos, $path, self::type_name( $value ) )
				);
			}
		}
	}

	/** Maps WooCommerce's two signature methods to hash_hmac() algorithms; anything else is refused. */
	public static function hash_algorithm( string $signature_method, string $fn ): string {
		if ( 'HMAC-SHA1' === $signature_method ) {
			return 'sha1';
		}
		if ( 'HMAC-SHA256' === $signature_method ) {
			return 'sha256';
		}
		throw new \ValueError(
			sprintf( 'Keysmith\\%s(): Invalid signature method "%s": expected HMAC-SHA1 or HMAC-SHA256', $fn, self::escape( $signature_method ) )
		);
	}
}
