<?php
/**
 * The twin declares the extension's functions: same names, parameter names and order, required
 * counts and return types. Parameter types are `mixed` in the twin on purpose: it checks them
 * itself, so that it never coerces, whatever the caller's strict_types mode (see functions.php).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Tests\Unit;

use Keysmith\Tests\Unit\Support\Implementations;
use Keysmith\Tests\Unit\Support\ParityTestCase;

final class SignatureTest extends ParityTestCase {

	private const FUNCTIONS = array( 'version', 'generate_key', 'generate_keys', 'api_hash', 'api_hashes', 'oauth_base_string', 'oauth_signature', 'oauth_verify', 'parse_oauth_header', 'equals', 'seal', 'sealed_equals', 'sealed_oauth_verify', 'unseal', 'sealing_status' );

	public static function functions(): array {
		return array_combine( self::FUNCTIONS, array_map( static fn( string $f ): array => array( $f ), self::FUNCTIONS ) );
	}

	/** @dataProvider functions */
	public function test_twin_declares_the_extension_function( string $fn ): void {
		$this->need_native();
		$native = new \ReflectionFunction( Implementations::fn( Implementations::NATIVE, $fn ) );
		$twin   = new \ReflectionFunction( Implementations::fn( Implementations::TWIN, $fn ) );

		$names = static fn( \ReflectionFunction $f ): array => array_map( static fn( \ReflectionParameter $p ): string => $p->getName(), $f->getParameters() );
		$this->assertSame( $names( $native ), $names( $twin ) );
		$this->assertSame( $native->getNumberOfRequiredParameters(), $twin->getNumberOfRequiredParameters() );
		$this->assertSame( (string) $native->getReturnType(), (string) $twin->getReturnType() );
		foreach ( $twin->getParameters() as $parameter ) {
			$this->assertSame( 'mixed', (string) $parameter->getType(), 'the twin checks types itself' );
		}
	}

	/** The extension exports exactly the functions the twin mirrors (a new one needs a twin). */
	public function test_extension_exports_exactly_these_functions(): void {
		$this->need_native();
		$exported = array_map(
			static fn( string $f ): string => substr( $f, strlen( 'keysmith\\' ) ),
			array_filter( get_extension_funcs( 'keysmith' ) ?: array(), static fn( string $f ): bool => 0 === stripos( $f, 'keysmith\\' ) )
		);
		sort( $exported );
		$expected = self::FUNCTIONS;
		sort( $expected );
		$this->assertSame( $expected, $exported );
	}
}
