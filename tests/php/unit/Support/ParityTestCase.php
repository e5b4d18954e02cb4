<?php
/**
 * Base for tests that run the same assertions on the extension and on the twin.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Tests\Unit\Support;

use PHPUnit\Framework\TestCase;

abstract class ParityTestCase extends TestCase {

	/** @return array<string, array{0: string}> */
	public static function implementations(): array {
		return Implementations::provider();
	}

	/** Skips (or fails, when the extension is required) a native run without the extension. */
	protected function need( string $impl ): void {
		if ( Implementations::NATIVE === $impl ) {
			$this->need_native();
		}
	}

	protected function need_native(): void {
		if ( Implementations::native_loaded() ) {
			return;
		}
		if ( Implementations::native_required() ) {
			$this->fail( 'The keysmith extension is not loaded but KEYSMITH_REQUIRE_NATIVE=1: build it (cargo build --release) and run tests/php/run-unit.sh.' );
		}
		$this->markTestSkipped( 'The keysmith extension is not loaded.' );
	}

	protected function call( string $impl, string $fn, mixed ...$args ): mixed {
		$this->need( $impl );
		return Implementations::call( $impl, $fn, ...$args );
	}
}
