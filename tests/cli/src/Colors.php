<?php
/**
 * TEST STAND-IN for cli\Colors as WP-CLI uses it: %-tokens (%R, %G, %C, %9, %n, ...) become ANSI
 * escapes when colouring, and are removed otherwise; a global switch that WP-CLI's table output
 * flips; and the display width of a string (what table columns are padded to).
 *
 * Width: extended grapheme clusters (intl's grapheme_strlen, as php-cli-tools uses when ICU is
 * there), plus one for each East Asian wide or fullwidth character. php-cli-tools takes the wide
 * characters from Unicode's data; the ranges below are the main W/F blocks (CJK, Hangul, kana,
 * fullwidth forms, common emoji) — an approximation that only matters for such characters.
 *
 * @package Keysmith\Tests\Cli
 */

declare(strict_types=1);

namespace Keysmith\Tests\Cli;

final class Colors {

	/** Token => SGR codes (color, style; background). */
	private const TOKENS = array(
		'%y' => '33',
		'%g' => '32',
		'%b' => '34',
		'%r' => '31',
		'%p' => '35',
		'%m' => '35',
		'%c' => '36',
		'%w' => '37',
		'%k' => '30',
		'%n' => 'reset',
		'%Y' => '33;1',
		'%G' => '32;1',
		'%B' => '34;1',
		'%R' => '31;1',
		'%P' => '35;1',
		'%M' => '35;1',
		'%C' => '36;1',
		'%W' => '37;1',
		'%K' => '30;1',
		'%N' => 'reset',
		'%3' => '43',
		'%2' => '42',
		'%4' => '44',
		'%1' => '41',
		'%5' => '45',
		'%6' => '46',
		'%7' => '47',
		'%0' => '40',
		'%F' => '5',
		'%U' => '4',
		'%8' => '7',
		'%9' => '1',
		'%_' => '1',
	);

	private const WIDE = '/[\x{1100}-\x{115F}\x{2E80}-\x{303E}\x{3041}-\x{33FF}\x{3400}-\x{4DBF}\x{4E00}-\x{9FFF}\x{A000}-\x{A4CF}\x{AC00}-\x{D7A3}\x{F900}-\x{FAFF}\x{FE30}-\x{FE4F}\x{FF00}-\x{FF60}\x{FFE0}-\x{FFE6}\x{1F300}-\x{1F64F}\x{1F900}-\x{1F9FF}\x{20000}-\x{3FFFD}]/u';

	/** null: decide per call; true/false: forced (Colors::enable()/disable()). */
	public static ?bool $enabled = null;

	public static function reset(): void {
		self::$enabled = null;
	}

	/** cli\Colors::shouldColorize(). */
	public static function should_colorize( ?bool $colored = null ): bool {
		return true === self::$enabled
			|| ( false !== self::$enabled && ( true === $colored || ( false !== $colored && Streams::stdout_is_tty() ) ) );
	}

	/** The escape sequence for one token. */
	private static function escape( string $codes ): string {
		return "\033[" . ( 'reset' === $codes ? '0' : $codes ) . 'm';
	}

	/** cli\Colors::colorize(): "%%" is a literal percent sign. */
	public static function colorize( string $text, ?bool $colored = null ): string {
		if ( ! self::should_colorize( $colored ) ) {
			return self::decolorize( $text, 2 );
		}
		$text = str_replace( '%%', "%\u{BE}", $text );
		foreach ( self::TOKENS as $token => $codes ) {
			$text = str_replace( $token, self::escape( $codes ), $text );
		}
		return str_replace( "%\u{BE}", '%', $text );
	}

	/**
	 * cli\Colors::decolorize(): $keep 1 keeps the tokens, 2 keeps the escapes.
	 */
	public static function decolorize( string $text, int $keep = 0 ): string {
		if ( ! ( $keep & 1 ) ) {
			$text = str_replace( '%%', "%\u{BE}", $text );
			$text = str_replace( array_keys( self::TOKENS ), '', $text );
			$text = str_replace( "%\u{BE}", '%', $text );
		}
		if ( ! ( $keep & 2 ) ) {
			foreach ( self::TOKENS as $codes ) {
				$text = str_replace( self::escape( $codes ), '', $text );
			}
		}
		return $text;
	}

	/** cli\Colors::width(): display width, tokens removed when colouring is on. */
	public static function width( string $text, bool $pre_colorized = false ): int {
		if ( $pre_colorized || self::should_colorize() ) {
			$text = self::decolorize( $text, $pre_colorized ? 1 : 0 );
		}
		return self::strwidth( $text );
	}

	/** cli\Colors::pad(): right-pads to a display width. */
	public static function pad( string $text, int $width, bool $pre_colorized = false ): string {
		return str_pad( $text, $width + strlen( $text ) - self::width( $text, $pre_colorized ) );
	}

	/** Display width: graphemes plus one per wide character (bytes when not UTF-8). */
	public static function strwidth( string $text ): int {
		$graphemes = self::graphemes( $text );
		if ( null === $graphemes ) {
			return strlen( $text );
		}
		return count( $graphemes ) + (int) preg_match_all( self::WIDE, $text );
	}

	/** @return list<string>|null Grapheme clusters, null when $text is not UTF-8. */
	private static function graphemes( string $text ): ?array {
		if ( '' === $text ) {
			return array();
		}
		if ( ! preg_match_all( '/\X/u', $text, $m ) ) {
			return null;
		}
		return $m[0];
	}

	/**
	 * cli\safe_substr( $text, 0, $width, is_width: true ): the longest prefix that fits $width
	 * columns (at least one character), cut at grapheme boundaries.
	 */
	public static function prefix_of_width( string $text, int $width ): string {
		$graphemes = self::graphemes( $text );
		if ( null === $graphemes ) {
			return substr( $text, 0, $width );
		}
		$prefix = array_slice( $graphemes, 0, $width );
		if ( ! preg_match( self::WIDE, implode( '', $prefix ) ) ) {
			return implode( '', $prefix );
		}
		$out  = '';
		$left = $width;
		$n    = 0;
		foreach ( $prefix as $g ) {
			if ( $left <= 0 ) {
				break;
			}
			$left -= preg_match( self::WIDE, $g ) ? 2 : 1;
			$out  .= $g;
			++$n;
		}
		if ( $left < 0 && $n > 1 ) {
			$out = implode( '', array_slice( $prefix, 0, $n - 1 ) );
		}
		return $out;
	}

	/** Number of characters (graphemes) in $text. */
	public static function length( string $text ): int {
		$graphemes = self::graphemes( $text );
		return null === $graphemes ? strlen( $text ) : count( $graphemes );
	}

	/** $text without its first $count characters (graphemes). */
	public static function drop( string $text, int $count ): string {
		$graphemes = self::graphemes( $text );
		return null === $graphemes ? (string) substr( $text, $count ) : implode( '', array_slice( $graphemes, $count ) );
	}
}
