<?php
/**
 * The two implementations under test and how to call them by name.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Tests\Unit\Support;

final class Implementations {

	public const NATIVE = 'native';
	public const TWIN   = 'twin';

	/** Namespace of each implementation's functions. */
	private const PREFIX = array(
		self::NATIVE => 'Keysmith\\',
		self::TWIN   => 'Keysmith\\Fallback\\',
	);

	/** @return array<string, array{0: string}> data provider rows: native and twin. */
	public static function provider(): array {
		return array(
			self::NATIVE => array( self::NATIVE ),
			self::TWIN   => array( self::TWIN ),
		);
	}

	public static function native_loaded(): bool {
		return extension_loaded( 'keysmith' );
	}

	/** CI sets KEYSMITH_REQUIRE_NATIVE=1 so a missing extension fails instead of skipping. */
	public static function native_required(): bool {
		return '1' === getenv( 'KEYSMITH_REQUIRE_NATIVE' );
	}

	/** Path of the built extension (for child processes). */
	public static function extension_path(): string {
		$path = getenv( 'KEYSMITH_EXTENSION_SO' );
		return is_string( $path ) && '' !== $path ? $path : dirname( __DIR__, 4 ) . '/target/release/libkeysmith.so';
	}

	/** Fully qualified function name of `$fn` in implementation `$impl`. */
	public static function fn( string $impl, string $fn ): string {
		return self::PREFIX[ $impl ] . $fn;
	}

	/** Calls `$fn` of `$impl`. */
	public static function call( string $impl, string $fn, mixed ...$args ): mixed {
		return ( self::fn( $impl, $fn ) )( ...$args );
	}

	/**
	 * What a call did: ['return', value] or ['throw', class, message]. Comparing outcomes
	 * compares results and errors alike.
	 *
	 * @param list<mixed> $args
	 * @return array{0: string, 1: mixed, 2?: string}
	 */
	public static function outcome( string $impl, string $fn, array $args ): array {
		try {
			return array( 'return', self::call( $impl, $fn, ...$args ) );
		} catch ( \Throwable $e ) {
			return array( 'throw', get_class( $e ), $e->getMessage() );
		}
	}
}
