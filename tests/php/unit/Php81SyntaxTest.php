<?php
/**
 * The plugin says "Requires PHP: 8.1", but this machine (and CI) only has PHP 8.2, where syntax that
 * PHP 8.1 refuses at compile time still parses. A single such declaration makes the whole plugin a
 * fatal error on 8.1. This test reads every shipped PHP file with PHP's own tokenizer and refuses
 * the 8.2-only declarations that are easy to write by accident:
 * - `true` as a type (alone or in a union: `true|WP_Error`); use `bool|WP_Error` plus a docblock;
 * - `false` or `null` as a standalone type (8.1 allows them only inside a union);
 * - `readonly class`.
 *
 * @package Keysmith\Tests\Unit
 */

declare(strict_types=1);

namespace Keysmith\Tests\Unit;

use PhpToken;
use PHPUnit\Framework\TestCase;
use RecursiveDirectoryIterator;
use RecursiveIteratorIterator;

final class Php81SyntaxTest extends TestCase {

	private const PLUGIN_DIR = __DIR__ . '/../../../plugin';

	public function test_the_plugin_uses_no_php_8_2_only_declarations(): void {
		$found = array();
		foreach ( self::plugin_files() as $file ) {
			foreach ( self::php82_declarations( (string) file_get_contents( $file ) ) as $problem ) {
				$found[] = substr( $file, strlen( self::PLUGIN_DIR ) + 1 ) . ':' . $problem;
			}
		}
		$this->assertSame( array(), $found, 'PHP 8.2-only syntax in a plugin that requires PHP 8.1' );
	}

	/** The scanner itself: what it must catch, and what it must leave alone. */
	public function test_the_scanner_tells_types_from_values(): void {
		$bad = <<<'PHP'
<?php
function a(): true|WP_Error {}
function b( true|int $x ) {}
function c(): false {}
function d( null $x ) {}
$e = fn( $x ): true => $x;
$f = function () use ( $g ): ?true {};
readonly class H {}
final readonly class I {}
PHP;
		$this->assertSame(
			array( '2: true as a type', '3: true as a type', '4: standalone false type', '5: standalone null type', '6: true as a type', '7: true as a type', '8: readonly class', '9: readonly class' ),
			self::php82_declarations( $bad )
		);
		$good = <<<'PHP'
<?php
function a( bool $x = true, array $y = array( true, null, false ), #[\SensitiveParameter] ?string $z = null ): bool|WP_Error { return true; }
function b( int|false $x, string|null $y ): int|false|null { return false; }
final class C { public function __construct( public readonly bool $flag = false ) {} }
$d = fn( $x = true ): bool => true === $x;
PHP;
		$this->assertSame( array(), self::php82_declarations( $good ) );
	}

	/** @return list<string> Every .php file shipped in plugin/. */
	private static function plugin_files(): array {
		$files = array();
		foreach ( new RecursiveIteratorIterator( new RecursiveDirectoryIterator( self::PLUGIN_DIR, RecursiveDirectoryIterator::SKIP_DOTS ) ) as $file ) {
			if ( 'php' === $file->getExtension() ) {
				$files[] = $file->getPathname();
			}
		}
		sort( $files );
		return $files;
	}

	/**
	 * "line: problem" for every 8.2-only declaration in $code.
	 *
	 * @return list<string>
	 */
	private static function php82_declarations( string $code ): array {
		$tokens = array_values( array_filter( PhpToken::tokenize( $code ), static fn( PhpToken $t ): bool => ! $t->isIgnorable() ) );
		$found  = array();
		foreach ( $tokens as $i => $token ) {
			if ( $token->is( T_READONLY ) && self::starts_class( $tokens, $i + 1 ) ) {
				$found[] = $token->line . ': readonly class';
			}
			if ( $token->is( array( T_FUNCTION, T_FN ) ) ) {
				foreach ( self::type_tokens( $tokens, $i ) as list( $type, $standalone ) ) {
					$name = strtolower( $type->text );
					if ( 'true' === $name ) {
						$found[] = $type->line . ': true as a type';
					} elseif ( $standalone && in_array( $name, array( 'false', 'null' ), true ) ) {
						$found[] = $type->line . ": standalone $name type";
					}
				}
			}
		}
		return $found;
	}

	/** @param list<PhpToken> $tokens */
	private static function starts_class( array $tokens, int $at ): bool {
		while ( isset( $tokens[ $at ] ) && $tokens[ $at ]->is( array( T_FINAL, T_ABSTRACT ) ) ) {
			++$at;
		}
		return isset( $tokens[ $at ] ) && $tokens[ $at ]->is( T_CLASS );
	}

	/**
	 * The tokens naming types in the signature of the function starting at $at (parameter types and
	 * return type; default values, attributes and `use` lists skipped), each with whether it stands
	 * alone (not part of a union).
	 *
	 * @param list<PhpToken> $tokens
	 * @return list<array{0: PhpToken, 1: bool}>
	 */
	private static function type_tokens( array $tokens, int $at ): array {
		$i = $at + 1;
		while ( isset( $tokens[ $i ] ) && '(' !== $tokens[ $i ]->text ) {
			++$i;
		}
		$types   = array();
		$depth   = 0;
		$default = false;
		for ( ; isset( $tokens[ $i ] ); $i++ ) {
			$text = $tokens[ $i ]->text;
			if ( $tokens[ $i ]->is( T_ATTRIBUTE ) ) {
				$i = self::after_brackets( $tokens, $i, '[', ']' ) - 1;
				continue;
			}
			if ( '(' === $text || '[' === $text ) {
				++$depth;
			} elseif ( ')' === $text || ']' === $text ) {
				--$depth;
				if ( 0 === $depth ) {
					break;
				}
			} elseif ( 1 === $depth && ',' === $text ) {
				$default = false;
			} elseif ( 1 === $depth && '=' === $text ) {
				$default = true;
			} elseif ( 1 === $depth && ! $default ) {
				$types[] = $i;
			}
		}
		++$i;
		if ( isset( $tokens[ $i ] ) && $tokens[ $i ]->is( T_USE ) ) {
			$i = self::after_brackets( $tokens, $i, '(', ')' );
		}
		if ( isset( $tokens[ $i ] ) && ':' === $tokens[ $i ]->text ) {
			for ( ++$i; isset( $tokens[ $i ] ) && ! in_array( $tokens[ $i ]->text, array( '{', ';', '=>' ), true ); $i++ ) {
				$types[] = $i;
			}
		}
		$out = array();
		foreach ( $types as $index ) {
			if ( $tokens[ $index ]->is( T_STRING ) ) {
				$union = '|' === ( $tokens[ $index - 1 ]->text ?? '' ) || '|' === ( $tokens[ $index + 1 ]->text ?? '' );
				$out[] = array( $tokens[ $index ], ! $union );
			}
		}
		return $out;
	}

	/**
	 * Index just after the bracket that closes the first $open at or after $at.
	 *
	 * @param list<PhpToken> $tokens
	 */
	private static function after_brackets( array $tokens, int $at, string $open, string $close ): int {
		$depth = 0;
		for ( $i = $at; isset( $tokens[ $i ] ); $i++ ) {
			$text = $tokens[ $i ]->text;
			if ( $open === $text || ( '[' === $open && $tokens[ $i ]->is( T_ATTRIBUTE ) ) ) {
				++$depth;
			} elseif ( $close === $text && 0 === --$depth ) {
				return $i + 1;
			}
		}
		return $i;
	}
}
