<?php
/**
 * Every shared vector (tests/vectors/*.json) on the extension and on the twin.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Tests\Unit;

use Keysmith\Tests\Unit\Support\Implementations;
use Keysmith\Tests\Unit\Support\ParityTestCase;

final class VectorsTest extends ParityTestCase {

	private const DIR = __DIR__ . '/../../vectors/';

	/** @return list<array<string, mixed>> */
	private static function cases( string $file ): array {
		$data = json_decode( (string) file_get_contents( self::DIR . $file ), true, 512, JSON_THROW_ON_ERROR );
		return $data['cases'];
	}

	/** Rows "impl: case name" => [impl, case] for every implementation and case. */
	private static function rows( string $file ): array {
		$rows = array();
		foreach ( Implementations::provider() as $impl => $_ ) {
			foreach ( self::cases( $file ) as $case ) {
				$rows[ $impl . ': ' . $case['name'] ] = array( $impl, $case );
			}
		}
		return $rows;
	}

	public static function api_hash_rows(): array {
		return self::rows( 'api_hash.json' );
	}

	public static function key_rows(): array {
		return self::rows( 'keys.json' );
	}

	public static function oauth_rows(): array {
		return self::rows( 'oauth.json' );
	}

	public static function header_rows(): array {
		return self::rows( 'oauth_header.json' );
	}

	/** The committed vectors are exactly what the WooCommerce reference computes today. */
	public function test_vectors_match_the_reference_generator(): void {
		$cmd = escapeshellarg( PHP_BINARY ) . ' ' . escapeshellarg( self::DIR . 'generate.php' ) . ' --check 2>&1';
		exec( $cmd, $output, $status );
		$this->assertSame( 0, $status, "tests/vectors is stale; run php tests/vectors/generate.php\n" . implode( "\n", $output ) );
	}

	/** @dataProvider api_hash_rows */
	public function test_api_hash( string $impl, array $case ): void {
		$input = isset( $case['input_hex'] ) ? hex2bin( $case['input_hex'] ) : $case['input'];
		$this->assertSame( $case['expected'], $this->call( $impl, 'api_hash', $input ) );
	}

	/** @dataProvider implementations */
	public function test_api_hashes_of_all_vectors_keep_keys( string $impl ): void {
		$inputs   = array();
		$expected = array();
		foreach ( self::cases( 'api_hash.json' ) as $i => $case ) {
			$key              = 0 === $i % 2 ? $i * 10 : $case['name'];
			$inputs[ $key ]   = isset( $case['input_hex'] ) ? hex2bin( $case['input_hex'] ) : $case['input'];
			$expected[ $key ] = $case['expected'];
		}
		$this->assertSame( $expected, $this->call( $impl, 'api_hashes', $inputs ) );
		$this->assertSame( array(), $this->call( $impl, 'api_hashes', array() ) );
	}

	/** @dataProvider key_rows */
	public function test_key_hash( string $impl, array $case ): void {
		$this->assertSame( $case['key_hash'], $this->call( $impl, 'api_hash', $case['consumer_key'] ) );
	}

	/**
	 * The truncated_key an implementation stores is keys.json's rule, `substr( $ck, -7 )`,
	 * computed here on the key the implementation generated. A vector cannot choose a
	 * generated key's random bytes; tests/vectors.rs builds records from each vector's key.
	 *
	 * @dataProvider implementations
	 */
	public function test_generated_truncated_key( string $impl ): void {
		$records   = $this->call( $impl, 'generate_keys', 100 );
		$records[] = $this->call( $impl, 'generate_key' );
		foreach ( $records as $record ) {
			$this->assertSame( substr( $record['consumer_key'], -7 ), $record['truncated_key'] );
		}
	}

	/** @dataProvider oauth_rows */
	public function test_oauth_base_string( string $impl, array $case ): void {
		$this->assertSame( $case['base_string'], $this->call( $impl, 'oauth_base_string', $case['method'], $case['url'], $case['params'] ) );
	}

	/** @dataProvider oauth_rows */
	public function test_oauth_signature( string $impl, array $case ): void {
		$this->assertSame( $case['signature'], $this->call( $impl, 'oauth_signature', $case['base_string'], $case['secret'], $case['signature_method'] ) );
	}

	/**
	 * The signature verifies as sent by a client: raw, percent-encoded, or with '+' turned into a
	 * space by query-string decoding; a one-byte change or another secret does not.
	 *
	 * @dataProvider oauth_rows
	 */
	public function test_oauth_verify( string $impl, array $case ): void {
		$params                           = $case['params'];
		$params['oauth_signature_method'] = $case['signature_method'];
		foreach ( array( $case['signature'], rawurlencode( $case['signature'] ), str_replace( '+', ' ', $case['signature'] ) ) as $sent ) {
			$params['oauth_signature'] = $sent;
			if ( ! isset( $case['params']['oauth_signature_method'] ) ) {
				// The method is then part of what is signed: sign the params as they are now.
				$base = \Keysmith\Tests\WcReference\string_to_sign( $case['method'], $case['url'], $params );
				$params['oauth_signature'] = \Keysmith\Tests\WcReference\oauth_signature( $base, $case['secret'], $case['signature_method'] );
			}
			$this->assertTrue( $this->call( $impl, 'oauth_verify', $case['method'], $case['url'], $params, $case['secret'] ), 'sent as ' . $sent );
		}
		$good                      = $params['oauth_signature'];
		$params['oauth_signature'] = ( 'A' === $good[0] ? 'B' : 'A' ) . substr( $good, 1 );
		$this->assertFalse( $this->call( $impl, 'oauth_verify', $case['method'], $case['url'], $params, $case['secret'] ) );
		$params['oauth_signature'] = $good;
		$this->assertFalse( $this->call( $impl, 'oauth_verify', $case['method'], $case['url'], $params, $case['secret'] . 'x' ) );
		$this->assertFalse( $this->call( $impl, 'oauth_verify', $case['method'], $case['url'] . '/', $params, $case['secret'] ) );
	}

	/** @dataProvider header_rows */
	public function test_parse_oauth_header( string $impl, array $case ): void {
		$this->assertSame( $case['expected'], $this->call( $impl, 'parse_oauth_header', $case['header'] ) );
	}
}
