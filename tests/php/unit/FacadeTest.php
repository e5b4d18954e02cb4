<?php
/**
 * The facade Keysmith\Crypto\Crypto: native when the extension is loaded and fits, the twin when
 * it is missing, has another version, or is forced off by constant, environment or filter.
 * What one process cannot undo (constants, a global apply_filters, no extension) runs in a child.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Tests\Unit;

use Keysmith\Crypto\Crypto;
use Keysmith\Tests\Unit\Support\ChildProcess;
use Keysmith\Tests\Unit\Support\Implementations;
use Keysmith\Tests\Unit\Support\ParityTestCase;

final class FacadeTest extends ParityTestCase {

	private const CK      = 'ck_0123456789abcdef0123456789abcdef01234567';
	private const CK_HASH = '4ffbd479cad9f24fb43a1516cb436a9dad0e2e23ef491464e29c2d81dae32edd';

	/** Child script printing "mode reason available" after `$setup`. */
	private const REPORT = 'echo \\Keysmith\\Crypto\\Crypto::mode(), " ", \\Keysmith\\Crypto\\Crypto::fallback_reason() ?? "-", " ", \\Keysmith\\Crypto\\Crypto::native_available() ? "yes" : "no", " ", \\Keysmith\\Crypto\\Crypto::api_hash( "' . self::CK . '" );';

	private string|false $saved_env;

	protected function setUp(): void {
		$this->saved_env = getenv( 'KEYSMITH_FORCE_FALLBACK' );
		Crypto::reset();
	}

	protected function tearDown(): void {
		putenv( false === $this->saved_env ? 'KEYSMITH_FORCE_FALLBACK' : 'KEYSMITH_FORCE_FALLBACK=' . $this->saved_env );
		Crypto::reset();
	}

	private function child( string $setup, bool $with_extension = true ): string {
		$result = ChildProcess::run( ChildProcess::prelude() . $setup . "\n" . self::REPORT, $with_extension );
		$this->assertSame( '', $result['stderr'] );
		$this->assertSame( 0, $result['status'] );
		return $result['stdout'];
	}

	public function test_this_run_uses_what_the_environment_asks_for(): void {
		$this->need_native();
		$forced = '1' === getenv( 'KEYSMITH_FORCE_FALLBACK' );
		$this->assertSame( $forced ? Crypto::MODE_FALLBACK : Crypto::MODE_NATIVE, Crypto::mode() );
		$this->assertSame( $forced ? Crypto::REASON_FORCED_ENV : null, Crypto::fallback_reason() );
		$this->assertTrue( Crypto::native_available() );
	}

	public function test_picks_native_when_the_extension_is_loaded(): void {
		$this->need_native();
		putenv( 'KEYSMITH_FORCE_FALLBACK' );
		Crypto::reset();
		$this->assertSame( Crypto::MODE_NATIVE, Crypto::mode() );
		$this->assertNull( Crypto::fallback_reason() );
		$this->assertSame( \Keysmith\version(), Crypto::version() );
	}

	public function test_environment_forces_the_twin(): void {
		putenv( 'KEYSMITH_FORCE_FALLBACK=1' );
		Crypto::reset();
		$this->assertSame( Crypto::MODE_FALLBACK, Crypto::mode() );
		$expected = Implementations::native_loaded() ? Crypto::REASON_FORCED_ENV : Crypto::REASON_NOT_LOADED;
		$this->assertSame( $expected, Crypto::fallback_reason() );
		$this->assertSame( \Keysmith\Fallback\VERSION, Crypto::version() );
		$this->assertSame( self::CK_HASH, Crypto::api_hash( self::CK ) );
	}

	public function test_decision_is_made_once_until_reset(): void {
		$this->need_native();
		putenv( 'KEYSMITH_FORCE_FALLBACK' );
		Crypto::reset();
		$this->assertSame( Crypto::MODE_NATIVE, Crypto::mode() );
		putenv( 'KEYSMITH_FORCE_FALLBACK=1' );
		$this->assertSame( Crypto::MODE_NATIVE, Crypto::mode(), 'cached for the request' );
		Crypto::reset();
		$this->assertSame( Crypto::MODE_FALLBACK, Crypto::mode() );
	}

	public function test_constant_forces_the_twin(): void {
		$this->need_native();
		$this->assertSame( 'fallback forced_constant yes ' . self::CK_HASH, $this->child( "define( 'KEYSMITH_FORCE_FALLBACK', true );" ) );
		$this->assertSame( 'native - yes ' . self::CK_HASH, $this->child( "define( 'KEYSMITH_FORCE_FALLBACK', false );" ) );
	}

	public function test_filter_forces_the_twin_and_only_the_twin(): void {
		$this->need_native();
		$filter = 'function apply_filters( string $hook, mixed $value ): mixed { return "keysmith_use_native" === $hook ? %s : $value; }';
		$this->assertSame( 'fallback forced_filter yes ' . self::CK_HASH, $this->child( sprintf( $filter, 'false' ) ) );
		$this->assertSame( 'native - yes ' . self::CK_HASH, $this->child( sprintf( $filter, 'true' ) ) );
		// A filter cannot turn on an extension that is not there.
		$this->assertSame( 'fallback not_loaded no ' . self::CK_HASH, $this->child( sprintf( $filter, 'true' ), false ) );
	}

	public function test_without_the_extension_the_twin_answers(): void {
		$this->assertSame( 'fallback not_loaded no ' . self::CK_HASH, $this->child( '', false ) );
		$this->assertSame( 'NULL', trim( $this->child_output( 'var_export( \Keysmith\Crypto\Crypto::native_version() );', false ) ) );
	}

	public function test_an_extension_of_another_version_is_not_used(): void {
		$this->need_native();
		$this->assertSame( Crypto::REQUIRED_EXTENSION, implode( '.', array_slice( explode( '.', (string) Crypto::native_version() ), 0, 2 ) ), 'the built extension fits this plugin' );
		$this->assertSame( 'fallback version_mismatch no ' . self::CK_HASH, $this->child( "define( 'KEYSMITH_VERSION', '9.9.0' );" ) );
		$this->assertSame( 'native - yes ' . self::CK_HASH, $this->child( "define( 'KEYSMITH_VERSION', '" . Crypto::REQUIRED_EXTENSION . ".99' );" ) );
	}

	/** Every facade method gives what both implementations give. */
	public function test_facade_methods_delegate(): void {
		$vectors = json_decode( (string) file_get_contents( __DIR__ . '/../../vectors/oauth.json' ), true )['cases'][0];
		$params  = $vectors['params'] + array( 'oauth_signature' => $vectors['signature'] );

		$this->assertSame( self::CK_HASH, Crypto::api_hash( self::CK ) );
		$this->assertSame( array( 'k' => self::CK_HASH ), Crypto::api_hashes( array( 'k' => self::CK ) ) );
		$this->assertSame( $vectors['base_string'], Crypto::oauth_base_string( $vectors['method'], $vectors['url'], $vectors['params'] ) );
		$this->assertSame( $vectors['signature'], Crypto::oauth_signature( $vectors['base_string'], $vectors['secret'], $vectors['signature_method'] ) );
		$this->assertTrue( Crypto::oauth_verify( $vectors['method'], $vectors['url'], $params, $vectors['secret'] ) );
		$this->assertFalse( Crypto::oauth_verify( $vectors['method'], $vectors['url'], $params, 'cs_other' ) );
		$this->assertSame( array( 'oauth_nonce' => 'a b' ), Crypto::parse_oauth_header( 'OAuth oauth_nonce="a+b"' ) );
		$this->assertTrue( Crypto::equals( 'cs_x', 'cs_x' ) );
		$this->assertFalse( Crypto::equals( 'cs_x', 'cs_y' ) );
		$this->assertMatchesRegularExpression( '/^ck_[0-9a-f]{40}$/', Crypto::generate_key()['consumer_key'] );
		$this->assertCount( 3, Crypto::generate_keys( 3 ) );
	}

	private function child_output( string $code, bool $with_extension ): string {
		$result = ChildProcess::run( ChildProcess::prelude() . $code, $with_extension );
		$this->assertSame( '', $result['stderr'] );
		return $result['stdout'];
	}
}
