<?php
/**
 * Sealed secrets on the extension and on the twin: the shared vectors (tests/vectors/sealing.json),
 * each opening what the other sealed, OAuth verification against a sealed secret, the status of
 * the key and what each says about a key file that gives no key, and no key at all.
 *
 * The extension holds the vectors' "current" and "previous" keys (run-unit.sh's ini settings), the
 * twin the same files (the bootstrap's constants).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Tests\Unit;

use Keysmith\Fallback\SealingKeys;
use Keysmith\Tests\Unit\Support\ChildProcess;
use Keysmith\Tests\Unit\Support\Implementations;
use Keysmith\Tests\Unit\Support\ParityTestCase;

final class SealingTest extends ParityTestCase {

	private const VECTORS = __DIR__ . '/../../vectors/sealing.json';

	/** @return array<string, mixed> */
	private static function vectors(): array {
		return json_decode( (string) file_get_contents( self::VECTORS ), true, 512, JSON_THROW_ON_ERROR );
	}

	private static function field( array $case, string $name ): string {
		return isset( $case[ $name . '_hex' ] ) ? (string) hex2bin( $case[ $name . '_hex' ] ) : $case[ $name ];
	}

	/** Rows "impl: case" for every implementation and "open" case. */
	public static function open_rows(): array {
		$rows = array();
		foreach ( Implementations::provider() as $impl => $_ ) {
			foreach ( self::vectors()['open'] as $case ) {
				$rows[ $impl . ': ' . $case['name'] ] = array( $impl, $case );
			}
		}
		return $rows;
	}

	/** The twin, given each vector's nonce, writes the vector's bytes (the extension's nonce is always random). */
	public function test_twin_seals_the_vector_bytes(): void {
		$vectors = self::vectors();
		foreach ( $vectors['cases'] as $case ) {
			SealingKeys::configure( dirname( __DIR__, 3 ) . '/' . $vectors['keys'][ $case['key'] ]['file'] );
			$raw = SealingKeys::seal( self::field( $case, 'secret' ), self::field( $case, 'ad' ), (string) hex2bin( $case['nonce_hex'] ) );
			$this->assertSame( $case['sealed'], 'ksv1:' . base64_encode( (string) $raw ), $case['name'] );
		}
		SealingKeys::configure( KEYSMITH_SEALING_KEY_FILE, KEYSMITH_SEALING_PREVIOUS_KEY_FILE );
	}

	/**
	 * Opens each value as specified: the secret (sealed_equals true for it and false for anything
	 * else, unseal gives it), no opening (false, unseal's ValueError), or not a sealed value
	 * (ValueError from every function, in its words).
	 *
	 * @dataProvider open_rows
	 */
	public function test_open_cases( string $impl, array $case ): void {
		$ad = self::field( $case, 'ad' );
		if ( is_array( $case['expected'] ) ) {
			$secret = self::field( $case['expected'], 'secret' );
			$this->assertTrue( $this->call( $impl, 'sealed_equals', $case['sealed'], $ad, $secret ) );
			$this->assertFalse( $this->call( $impl, 'sealed_equals', $case['sealed'], $ad, $secret . 'x' ) );
			$this->assertFalse( $this->call( $impl, 'sealed_equals', $case['sealed'], $ad, '' === $secret ? 'x' : substr( $secret, 1 ) ) );
			$this->assertSame( $secret, $this->call( $impl, 'unseal', $case['sealed'], $ad ) );
			return;
		}
		if ( 'does_not_open' === $case['expected'] ) {
			$this->assertFalse( $this->call( $impl, 'sealed_equals', $case['sealed'], $ad, 'cs_fedcba9876543210fedcba9876543210fedcba98' ) );
			$this->expectException( \ValueError::class );
			$this->expectExceptionMessage( 'Keysmith\\unseal(): Argument #1 ($sealed) could not be opened: it was sealed with another key, for another key row, or altered' );
			$this->call( $impl, 'unseal', $case['sealed'], $ad );
			return;
		}
		$this->assertSame( 'not_sealed', $case['expected'] );
		foreach ( array( 'sealed_equals' => array( $case['sealed'], $ad, 'x' ), 'unseal' => array( $case['sealed'], $ad ) ) as $fn => $args ) {
			$outcome = Implementations::outcome( $impl, $fn, $args );
			$this->assertSame( array( 'throw', \ValueError::class, "Keysmith\\{$fn}(): Argument #1 (\$sealed) must be a sealed secret (\"ksv1:\" and canonical base64)" ), $outcome );
		}
	}

	/** @dataProvider implementations */
	public function test_status_names_the_keys_by_fingerprint( string $impl ): void {
		$keys   = self::vectors()['keys'];
		$status = $this->call( $impl, 'sealing_status' );
		$this->assertTrue( $status['configured'] );
		$this->assertSame( Implementations::NATIVE === $impl ? 'ini' : 'constant', $status['source'] );
		$this->assertSame( KEYSMITH_SEALING_KEY_FILE, $status['key_file'] );
		$this->assertSame( $keys['current']['fingerprint'], $status['fingerprint'] );
		$this->assertNull( $status['error'] );
		$this->assertSame(
			array(
				'key_file'    => KEYSMITH_SEALING_PREVIOUS_KEY_FILE,
				'fingerprint' => $keys['previous']['fingerprint'],
				'error'       => null,
			),
			$status['previous']
		);
		$this->assertSame( array( 'configured', 'source', 'key_file', 'fingerprint', 'error', 'previous' ), array_keys( $status ) );
		$this->assertStringNotContainsString( (string) file_get_contents( KEYSMITH_SEALING_KEY_FILE ), serialize( $status ) );
	}

	/**
	 * Each implementation opens what the other sealed, for that row only; sealing twice gives two
	 * values (fresh nonces) that both open.
	 */
	public function test_each_opens_what_the_other_sealed(): void {
		$this->need_native();
		$secret = 'cs_' . bin2hex( random_bytes( 20 ) );
		$row    = hash_hmac( 'sha256', 'ck_' . bin2hex( random_bytes( 20 ) ), 'wc-api' );
		$other  = hash_hmac( 'sha256', 'ck_other', 'wc-api' );
		foreach ( array( array( Implementations::NATIVE, Implementations::TWIN ), array( Implementations::TWIN, Implementations::NATIVE ) ) as list( $sealer, $opener ) ) {
			$sealed = Implementations::call( $sealer, 'seal', $secret, $row );
			$again  = Implementations::call( $sealer, 'seal', $secret, $row );
			$this->assertMatchesRegularExpression( '#^ksv1:[A-Za-z0-9+/]{95}=$#', $sealed, "$sealer seals a 43-byte secret into 101 characters" );
			$this->assertNotSame( $sealed, $again, "$sealer uses a fresh nonce" );
			foreach ( array( $sealed, $again ) as $value ) {
				$this->assertSame( $secret, Implementations::call( $opener, 'unseal', $value, $row ), "$opener opens $sealer's value" );
				$this->assertTrue( Implementations::call( $opener, 'sealed_equals', $value, $row, $secret ) );
				$this->assertFalse( Implementations::call( $opener, 'sealed_equals', $value, $other, $secret ), 'another row' );
			}
		}
	}

	/**
	 * sealed_oauth_verify() answers as oauth_verify() with the plaintext, on every OAuth vector, for
	 * values sealed by either implementation; another row's value verifies nothing.
	 */
	public function test_sealed_oauth_verify_answers_as_oauth_verify(): void {
		$this->need_native();
		$row   = hash_hmac( 'sha256', 'ck_row', 'wc-api' );
		$cases = json_decode( (string) file_get_contents( __DIR__ . '/../../vectors/oauth.json' ), true )['cases'];
		foreach ( $cases as $case ) {
			$params                           = $case['params'];
			$params['oauth_signature_method'] = $case['signature_method'];
			if ( ! isset( $case['params']['oauth_signature_method'] ) ) {
				$params['oauth_signature'] = '';
				$base                      = \Keysmith\Tests\WcReference\string_to_sign( $case['method'], $case['url'], $params );
				$params['oauth_signature'] = \Keysmith\Tests\WcReference\oauth_signature( $base, $case['secret'], $case['signature_method'] );
			} else {
				$params['oauth_signature'] = $case['signature'];
			}
			$wrong = array( 'oauth_signature' => 'A' . substr( $params['oauth_signature'], 1 ) ) + $params;
			foreach ( Implementations::provider() as $sealer => $_ ) {
				$sealed = Implementations::call( $sealer, 'seal', $case['secret'], $row );
				foreach ( Implementations::provider() as $impl => $__ ) {
					foreach ( array( $params, $wrong ) as $sent ) {
						$this->assertSame(
							Implementations::call( $impl, 'oauth_verify', $case['method'], $case['url'], $sent, $case['secret'] ),
							Implementations::call( $impl, 'sealed_oauth_verify', $case['method'], $case['url'], $sent, $sealed, $row ),
							"{$case['name']}: $impl on $sealer's value"
						);
					}
					$this->assertFalse( Implementations::call( $impl, 'sealed_oauth_verify', $case['method'], $case['url'], $params, $sealed, $row . 'x' ), "{$case['name']}: another row" );
				}
			}
		}
	}

	/**
	 * A key file that gives no key: the status says why in the same words on both, and every
	 * function that needs the key throws the same exception; nothing else changes. Also without
	 * any key configured.
	 */
	public function test_key_files_that_give_no_key(): void {
		$dir = sys_get_temp_dir() . '/keysmith-sealing-' . getmypid();
		is_dir( $dir ) || mkdir( $dir );
		file_put_contents( "$dir/short.key", str_repeat( 'k', 31 ) );
		file_put_contents( "$dir/long.key", str_repeat( 'k', 1000 ) );
		file_put_contents( "$dir/good.key", str_repeat( 'k', 32 ) );
		$configs = array(
			'missing'   => array( "$dir/absent.key", "/ks/{$dir}/absent.key does not exist." ),
			'short'     => array( "$dir/short.key", 'holds 31 bytes; a sealing key is exactly 32 bytes.' ),
			'long'      => array( "$dir/long.key", 'holds 1000 bytes; a sealing key is exactly 32 bytes.' ),
			'directory' => array( $dir, 'cannot be read.' ),
		);
		$script = ChildProcess::prelude( false ) . <<<'PHP'
$impls = extension_loaded( 'keysmith' ) ? array( 'Keysmith\\', 'Keysmith\\Fallback\\' ) : array( 'Keysmith\\Fallback\\' );
$file  = (string) getenv( 'KS_KEY_FILE' );
if ( '' !== $file ) {
	define( 'KEYSMITH_SEALING_KEY_FILE', $file );
	define( 'KEYSMITH_SEALING_PREVIOUS_KEY_FILE', getenv( 'KS_PREVIOUS_FILE' ) );
}
$out = array();
foreach ( $impls as $ns ) {
	$status = ( $ns . 'sealing_status' )();
	unset( $status['source'] );
	$calls = array();
	foreach ( array( array( 'seal', array( 'cs_x', 'ad' ) ), array( 'sealed_equals', array( 'ksv1:' . base64_encode( str_repeat( "\0", 40 ) ), 'ad', 'cs_x' ) ), array( 'unseal', array( 'ksv1:' . base64_encode( str_repeat( "\0", 40 ) ), 'ad' ) ) ) as list( $fn, $args ) ) {
		try {
			$calls[ $fn ] = ( $ns . $fn )( ...$args );
		} catch ( Throwable $e ) {
			$calls[ $fn ] = get_class( $e ) . ': ' . $e->getMessage();
		}
	}
	$out[] = array( $status, $calls );
}
echo json_encode( $out );
PHP;
		$cases = $configs + array( 'none' => array( '', null ) );
		foreach ( $cases as $label => list( $file, $says ) ) {
			$ini    = '' === $file ? array() : array( 'keysmith.sealing_key_file' => $file, 'keysmith.sealing_previous_key_file' => "$dir/good.key" );
			$result = ChildProcess::run( $script, Implementations::native_loaded(), array( 'KS_KEY_FILE' => $file, 'KS_PREVIOUS_FILE' => "$dir/good.key" ), $ini );
			$this->assertSame( 0, $result['status'], "$label: " . $result['stderr'] );
			$outcomes = json_decode( $result['stdout'], true );
			list( $status, $calls ) = $outcomes[0];
			$this->assertFalse( $status['configured'], $label );
			$this->assertNull( $status['fingerprint'], $label );
			if ( null === $says ) {
				$this->assertNull( $status['error'], $label );
				$this->assertNull( $status['previous'], $label );
			} else {
				$this->assertSame( $file, $status['key_file'] );
				$this->assertStringEndsWith( str_replace( "/ks/{$dir}/absent.key", '', $says ), $status['error'], $label );
				$this->assertStringStartsWith( "The sealing key file $file ", $status['error'], $label );
				$this->assertSame( substr( hash_hmac( 'sha256', 'keysmith sealing key fingerprint v1', str_repeat( 'k', 32 ) ), 0, 16 ), $status['previous']['fingerprint'], "$label: the previous key still reads" );
			}
			foreach ( $calls as $fn => $outcome ) {
				$this->assertSame( "Exception: Keysmith\\{$fn}(): No sealing key is available (see Keysmith\\sealing_status())", $outcome, "$label: $fn" );
			}
			if ( count( $outcomes ) > 1 ) {
				$this->assertSame( $outcomes[1], $outcomes[0], "$label: the extension and the twin say the same" );
			}
		}
		array_map( 'unlink', glob( "$dir/*" ) );
		rmdir( $dir );
	}
}
