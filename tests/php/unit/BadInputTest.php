<?php
/**
 * Bad and extreme input on the extension and the twin alike: wrong types, null, arrays where
 * strings belong, empty strings, 10 MB strings, invalid UTF-8, out-of-range counts, unknown
 * signature methods, bad param values, nesting over 64. Same throwable class and message on
 * both (or the same result), and PHP keeps running afterwards.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Tests\Unit;

use Keysmith\Tests\Unit\Support\BadInputs;
use Keysmith\Tests\Unit\Support\ChildProcess;
use Keysmith\Tests\Unit\Support\Implementations;
use Keysmith\Tests\Unit\Support\ParityTestCase;

final class BadInputTest extends ParityTestCase {

	public static function bad_inputs(): array {
		$rows = array();
		foreach ( array_keys( BadInputs::cases() ) as $name ) {
			$rows[ $name ] = array( $name );
		}
		return $rows;
	}

	/** @dataProvider bad_inputs */
	public function test_twin_answers_as_specified( string $name ): void {
		list( $fn, $args, $expected ) = BadInputs::cases()[ $name ];
		$class_only                   = BadInputs::cases()[ $name ][3] ?? false;
		$outcome                      = Implementations::outcome( Implementations::TWIN, $fn, $args() );
		if ( null === $expected ) {
			$this->assertSame( 'return', $outcome[0], 'throw' === $outcome[0] ? "unexpected {$outcome[1]}: {$outcome[2]}" : '' );
			return;
		}
		$this->assertSame( array( 'throw', $expected ), array_slice( $outcome, 0, 2 ), (string) ( $outcome[2] ?? 'returned normally' ) );
		if ( ! $class_only ) {
			$this->assertStringStartsWith( 'Keysmith\\' . $fn . '()', $outcome[2], 'messages name the function as the extension does' );
		}
	}

	/** @dataProvider bad_inputs */
	public function test_native_answers_exactly_like_the_twin( string $name ): void {
		$this->need_native();
		list( $fn, $args ) = BadInputs::cases()[ $name ];
		$native            = Implementations::outcome( Implementations::NATIVE, $fn, $args() );
		$twin              = Implementations::outcome( Implementations::TWIN, $fn, $args() );
		if ( BadInputs::cases()[ $name ][3] ?? false ) {
			$this->assertSame( array_slice( $twin, 0, 2 ), array_slice( $native, 0, 2 ), 'same class (PHP words the twin\'s message)' );
			return;
		}
		if ( 'throw' === $native[0] || 'throw' === $twin[0] ) {
			$this->assertSame( $twin, $native );
			return;
		}
		// Results may be 10 MB: compare digests, show the start on failure.
		$this->assertSame(
			md5( serialize( $twin[1] ) ),
			md5( serialize( $native[1] ) ),
			'native and twin return different results: ' . substr( var_export( $native[1], true ), 0, 300 ) . ' vs ' . substr( var_export( $twin[1], true ), 0, 300 )
		);
	}

	/**
	 * A fresh `php` runs every bad input on both implementations, then prints "alive": no
	 * crash, no fatal error, no warning, and the expected number of exceptions.
	 */
	public function test_php_keeps_running_after_every_bad_input(): void {
		$impls = Implementations::native_loaded() ? "array( 'native', 'twin' )" : "array( 'twin' )";
		if ( ! Implementations::native_loaded() && Implementations::native_required() ) {
			$this->need_native();
		}
		$support = var_export( __DIR__ . '/Support', true );
		$script  = ChildProcess::prelude() . <<<PHP
require_once {$support} . '/Implementations.php';
require_once {$support} . '/BadInputs.php';
use Keysmith\Tests\Unit\Support\BadInputs;
use Keysmith\Tests\Unit\Support\Implementations;
\$thrown = 0;
foreach ( {$impls} as \$impl ) {
	foreach ( BadInputs::cases() as [ \$fn, \$args, \$expected ] ) {
		\$outcome = Implementations::outcome( \$impl, \$fn, \$args() );
		if ( 'throw' === \$outcome[0] && \$outcome[1] === \$expected ) {
			++\$thrown;
		}
	}
}
echo \$thrown, "\\n", "alive\\n";
PHP;
		$result = ChildProcess::run( $script, Implementations::native_loaded() );

		$expected_throws = count( array_filter( BadInputs::cases(), static fn( array $c ): bool => null !== $c[2] ) );
		$runs            = Implementations::native_loaded() ? 2 : 1;
		$this->assertSame( 0, $result['status'], 'child exited abnormally: ' . $result['stderr'] );
		$this->assertSame( '', $result['stderr'] );
		$this->assertSame( ( $expected_throws * $runs ) . "\nalive\n", $result['stdout'] );
	}
}
