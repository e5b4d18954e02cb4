<?php
/**
 * TEST STAND-IN for the two things WP-CLI does with YAML through its Spyc library:
 *
 * - load(): the `---` block under a parameter of a command's docblock (`default:`, `options:`),
 *   read as Spyc reads it. Spyc's rules that decide what a command receives: a line starting with
 *   `#` and a `---` line are skipped; on any other line, ` #` or `#` followed by text without a
 *   quote character, up to the end of the line, is a comment (`default: Keysmith {date} #{n}`
 *   gives "Keysmith {date}"); a value wholly in single or double quotes is taken literally
 *   (`''` inside single quotes is a quote); `null`, `~` and an empty value are null;
 *   true/on/yes/y and false/off/no/n (lower, upper or capitalised) are booleans; whole numbers
 *   without a leading zero are ints, other numerals floats, 0x.. hexadecimal; `[a, b]` is a list,
 *   `{a: b}` a map; `- x` lines are list items, `key:` opens a nested block by indentation.
 * - dump(): Spyc::YAMLDump( $value, 2, 0 ), the `--format=yaml` output: "---" first, two-space
 *   indents, "- " list items (a nested list or map item is "- " followed by a newline, trailing
 *   space included), strings quoted when Spyc would quote them ('…' or "…" or a | block),
 *   numeric strings in double quotes, null as `null`, booleans as true/false, [ ] for an
 *   empty array, keys with ':' or '#' in double quotes.
 *
 * Written from reading Spyc 0.6.3 (WP-CLI 2.12's mustangostang/spyc); anchors/aliases (&, *)
 * and folded or literal blocks on input are not modelled (no command docblock uses them).
 *
 * @package Keysmith\Tests\Cli
 */

declare(strict_types=1);

namespace Keysmith\Tests\Cli;

final class Yaml {

	private const EMPTY_NODE = "\0\0\0\0\0";

	// --- load ------------------------------------------------------------------------------------

	/** @return array<int|string, mixed> */
	public static function load( string $yaml ): array {
		$result = array();
		$path   = array(); // indent => key, the keys leading to the current node.
		foreach ( explode( "\n", $yaml ) as $raw ) {
			$raw    = rtrim( $raw, "\r" );
			$indent = strlen( $raw ) - strlen( ltrim( $raw ) );
			$parent = self::parent_path( $path, $indent );
			$line   = substr( $raw, $indent );
			if ( '' !== $line && ( '#' === $line[0] || '---' === trim( $line, " \r\n\t" ) ) ) {
				continue;
			}
			if ( '' === trim( $line ) ) {
				continue;
			}
			$path = $parent;
			if ( strpos( $line, '#' ) ) {
				$line = (string) preg_replace( '/\s*#([^"\']+)$/', '', $line );
			}
			$common = $path;
			foreach ( self::parse_line( $line ) as list( $named, $key, $value ) ) {
				$path = $common;
				self::add( $result, $path, $named, $key, $value, $indent );
			}
		}
		return $result;
	}

	/** Spyc's getParentPathByIndent(). */
	private static function parent_path( array $path, int $indent ): array {
		if ( 0 === $indent ) {
			return array();
		}
		do {
			end( $path );
			$last = key( $path );
			if ( null !== $last && $indent <= $last ) {
				array_pop( $path );
			}
		} while ( null !== $last && $indent <= $last );
		return $path;
	}

	/**
	 * One line as Spyc's _parseLine() reads it.
	 *
	 * @return list<array{0: bool, 1: int|string, 2: mixed}> [named, key, value] entries (usually one).
	 */
	private static function parse_line( string $line ): array {
		$line = trim( $line );
		if ( '' === $line ) {
			return array();
		}
		if ( str_starts_with( $line, '- ' ) && str_ends_with( $line, ':' ) ) {
			return array( array( false, 0, array( self::unquote( trim( substr( $line, 1, -1 ) ) ) => array() ) ) );
		}
		if ( str_ends_with( $line, ':' ) ) {
			self::check_keys_in_value( $line );
			$key = self::unquote( trim( substr( $line, 0, -1 ) ) );
			// Spyc puts the key in a PHP array first: "0" becomes int 0, which it then appends.
			$normalized = array_key_first( array( $key => true ) );
			return array( array( 0 !== $normalized, $normalized, '' ) );
		}
		if ( str_starts_with( $line, '- ' ) && ! ( strlen( $line ) > 3 && str_starts_with( $line, '---' ) ) ) {
			return array( array( false, 0, self::to_type( trim( substr( $line, 1 ) ) ) ) );
		}
		if ( '[' === $line[0] && str_ends_with( $line, ']' ) ) {
			$entries = array();
			foreach ( (array) self::to_type( $line ) as $key => $value ) {
				$entries[] = array( 0 !== $key, $key, $value );
			}
			return $entries;
		}
		if ( strpos( $line, ': ' ) ) {
			if ( ( '"' === $line[0] || "'" === $line[0] ) && preg_match( '/^(["\'](.*)["\'](\s)*:)/', $line, $m ) ) {
				$value = trim( str_replace( $m[1], '', $line ) );
				$key   = $m[2];
			} else {
				$parts = explode( ': ', $line );
				$key   = trim( (string) array_shift( $parts ) );
				$value = trim( implode( ': ', $parts ) );
				self::check_keys_in_value( $value );
			}
			return array( array( true, $key, self::to_type( $value ) ) );
		}
		return array( array( false, 0, $line ) );
	}

	/** Spyc refuses "key: a: b" (an exception WP-CLI does not catch). */
	private static function check_keys_in_value( string $value ): void {
		if ( '' !== $value && false === strpos( '[{"\'', $value[0] ) && str_contains( $value, ': ' ) ) {
			throw new \Exception( 'Too many keys: ' . $value );
		}
	}

	/** Spyc's _toType(). */
	private static function to_type( string $value ): mixed {
		if ( '' === $value ) {
			return '';
		}
		$first = $value[0];
		$last  = substr( $value, -1 );
		if ( ( '"' === $first || "'" === $first ) && ( '"' === $last || "'" === $last ) ) {
			$value = str_replace( '\n', "\n", $value );
			$inner = substr( $value, 1, -1 );
			return "'" === $first ? strtr( $inner, array( "''" => "'", "\\'" => "'" ) ) : strtr( $inner, array( '\\"' => '"', "\\'" => "'" ) );
		}
		if ( str_contains( $value, ' #' ) ) {
			$value = (string) preg_replace( '/\s+#(.+)$/', '', $value );
		}
		if ( '[' === $first && ']' === $last ) {
			$inner = trim( substr( $value, 1, -1 ) );
			return '' === $inner ? array() : array_map( array( self::class, 'to_type' ), array_map( 'trim', explode( ',', $inner ) ) );
		}
		if ( str_contains( $value, ': ' ) && '{' !== $first ) {
			$parts = explode( ': ', $value );
			$key   = trim( (string) array_shift( $parts ) );
			return array( $key => self::to_type( trim( implode( ': ', $parts ) ) ) );
		}
		if ( '{' === $first && '}' === $last ) {
			$inner = trim( substr( $value, 1, -1 ) );
			$map   = array();
			foreach ( '' === $inner ? array() : array_map( 'trim', explode( ',', $inner ) ) as $item ) {
				$sub = self::to_type( $item );
				if ( empty( $sub ) ) {
					continue;
				}
				if ( is_array( $sub ) ) {
					$map[ key( $sub ) ] = current( $sub );
				} else {
					$map[] = $sub;
				}
			}
			return $map;
		}
		if ( in_array( $value, array( 'null', 'NULL', 'Null', '~' ), true ) ) {
			return null;
		}
		if ( is_numeric( $value ) && preg_match( '/^(-|)[1-9]+[0-9]*$/', $value ) ) {
			$int = (int) $value;
			return ( PHP_INT_MAX !== $int && ~PHP_INT_MAX !== $int ) ? $int : $value;
		}
		if ( preg_match( '/^0[xX][0-9a-fA-F]+$/', $value ) ) {
			return hexdec( $value );
		}
		foreach ( array( 'true' => true, 'on' => true, 'yes' => true, 'y' => true, 'false' => false, 'off' => false, 'no' => false, 'n' => false ) as $word => $bool ) {
			if ( in_array( $value, array( ucfirst( $word ), strtoupper( $word ), $word ), true ) ) {
				return $bool;
			}
		}
		if ( is_numeric( $value ) ) {
			if ( '0' === $value ) {
				return 0;
			}
			return rtrim( $value, '0' ) === $value ? (float) $value : $value;
		}
		return $value;
	}

	private static function unquote( string $value ): string {
		if ( '' === $value ) {
			return $value;
		}
		if ( "'" === $value[0] ) {
			return trim( $value, "'" );
		}
		if ( '"' === $value[0] ) {
			return trim( $value, '"' );
		}
		return $value;
	}

	/** Spyc's addArray(): puts one entry under the keys in $path and records its key at $indent. */
	private static function add( array &$result, array &$path, bool $named, int|string $key, mixed $value, int $indent ): void {
		$ref = &$result;
		foreach ( $path as $k ) {
			if ( ! is_array( $ref ) ) {
				$ref = array();
			}
			$ref = &$ref[ $k ];
		}
		if ( ! is_array( $ref ) ) {
			$ref = array();
		}
		if ( $named ) {
			$ref[ $key ] = $value;
		} else {
			$ref[] = $value;
			end( $ref );
			$key = (int) key( $ref );
		}
		$path[ $indent ] = $key;
	}

	// --- dump ------------------------------------------------------------------------------------

	/** Spyc::YAMLDump( $value, 2, 0 ). */
	public static function dump( mixed $value ): string {
		$out   = "---\n";
		$value = is_object( $value ) ? get_object_vars( $value ) : $value;
		if ( $value ) {
			$value = (array) $value;
			foreach ( $value as $key => $item ) {
				$out .= self::node( $key, $item, 0, $value );
			}
		}
		return $out;
	}

	private static function node( int|string $key, mixed $value, int $indent, array $siblings ): string {
		if ( is_object( $value ) ) {
			$value = get_object_vars( $value );
		}
		if ( ! is_array( $value ) ) {
			return self::line( $key, $value, $indent, $siblings );
		}
		if ( array() === $value ) {
			return self::line( $key, array(), $indent, $siblings );
		}
		$out = self::line( $key, self::EMPTY_NODE, $indent, $siblings );
		foreach ( $value as $k => $item ) {
			$out .= self::node( $k, $item, $indent + 2, $value );
		}
		return $out;
	}

	/** Spyc's _dumpNode() with no word wrap. */
	private static function line( int|string $key, mixed $value, int $indent, array $siblings ): string {
		if ( is_string( $value ) && self::needs_quotes( $value ) ) {
			$value = self::literal( $value, $indent );
		} elseif ( is_string( $value ) && is_numeric( $value ) ) {
			$value = '"' . $value . '"';
		}
		if ( array() === $value ) {
			$value = '[ ]';
		}
		if ( '' === $value ) {
			$value = '""';
		}
		if ( is_string( $value ) && self::is_word( $value ) ) {
			$value = self::literal( $value, $indent );
		}
		if ( ! is_bool( $value ) && null !== $value && trim( (string) $value ) !== (string) $value ) {
			$value = self::literal( (string) $value, $indent );
		}
		if ( is_bool( $value ) ) {
			$value = $value ? 'true' : 'false';
		}
		if ( null === $value ) {
			$value = 'null';
		}
		if ( "'" . self::EMPTY_NODE . "'" === $value ) {
			$value = '';
		}
		$spaces = str_repeat( ' ', $indent );
		if ( array_is_list( $siblings ) ) {
			return $spaces . '- ' . $value . "\n";
		}
		$key = (string) $key;
		if ( str_contains( $key, ':' ) || str_contains( $key, '#' ) ) {
			$key = '"' . $key . '"';
		}
		return rtrim( $spaces . $key . ': ' . $value ) . "\n";
	}

	private static function needs_quotes( string $value ): bool {
		foreach ( array( "\n", ': ', '- ', '*', '#', '<', '>', '%', '  ', '[', ']', '{', '}', '&', "'" ) as $needle ) {
			if ( str_contains( $value, $needle ) ) {
				return true;
			}
		}
		return str_starts_with( $value, '!' ) || str_ends_with( $value, ':' );
	}

	private static function is_word( string $value ): bool {
		foreach ( array( 'true', 'on', 'yes', 'y', 'false', 'off', 'no', 'n', 'null', '~' ) as $word ) {
			if ( in_array( $value, array( ucfirst( $word ), strtoupper( $word ), $word ), true ) ) {
				return true;
			}
		}
		return false;
	}

	/** Spyc's _doLiteralBlock(). */
	private static function literal( string $value, int $indent ): string {
		if ( "\n" === $value ) {
			return '\n';
		}
		if ( ! str_contains( $value, "\n" ) && ! str_contains( $value, "'" ) ) {
			return "'" . $value . "'";
		}
		if ( ! str_contains( $value, "\n" ) && ! str_contains( $value, '"' ) ) {
			return '"' . $value . '"';
		}
		$lines = explode( "\n", $value );
		$block = '|';
		if ( in_array( $lines[0], array( '|', '|-', '>' ), true ) ) {
			$block = array_shift( $lines );
		}
		$spaces = str_repeat( ' ', $indent + 2 );
		foreach ( $lines as $line ) {
			$line = trim( $line );
			if ( ( str_starts_with( $line, '"' ) && strrpos( $line, '"' ) === strlen( $line ) - 1 ) || ( str_starts_with( $line, "'" ) && strrpos( $line, "'" ) === strlen( $line ) - 1 ) ) {
				$line = substr( $line, 1, -1 );
			}
			$block .= "\n" . $spaces . $line;
		}
		return $block;
	}
}
