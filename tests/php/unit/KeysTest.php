<?php
/**
 * Generated keys: WooCommerce's format and stored values, and no duplicates in 1,000,000.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Tests\Unit;

use Keysmith\Tests\Unit\Support\ParityTestCase;

final class KeysTest extends ParityTestCase {

	private const RECORD_KEYS = array( 'consumer_key', 'consumer_secret', 'key_hash', 'truncated_key' );

	/** A record is what WooCommerce would store for this key pair. */
	private function assert_record( array $record ): void {
		$this->assertSame( self::RECORD_KEYS, array_keys( $record ) );
		$this->assertMatchesRegularExpression( '/^ck_[0-9a-f]{40}$/D', $record['consumer_key'] );
		$this->assertMatchesRegularExpression( '/^cs_[0-9a-f]{40}$/D', $record['consumer_secret'] );
		$this->assertSame( hash_hmac( 'sha256', $record['consumer_key'], 'wc-api' ), $record['key_hash'] );
		$this->assertSame( substr( $record['consumer_key'], -7 ), $record['truncated_key'] );
	}

	/** @dataProvider implementations */
	public function test_generate_key( string $impl ): void {
		$one = $this->call( $impl, 'generate_key' );
		$two = $this->call( $impl, 'generate_key' );
		$this->assert_record( $one );
		$this->assert_record( $two );
		$this->assertNotSame( $one['consumer_key'], $two['consumer_key'] );
		$this->assertNotSame( $one['consumer_key'], 'ck_' . substr( $one['consumer_secret'], 3 ), 'key and secret come from different bytes' );
	}

	/** @dataProvider implementations */
	public function test_generate_keys_small_batches( string $impl ): void {
		foreach ( array( 1, 2, 511, 512, 513, 1000 ) as $count ) {
			$keys = $this->call( $impl, 'generate_keys', $count );
			$this->assertCount( $count, $keys );
			$this->assertTrue( array_is_list( $keys ) );
			foreach ( $keys as $record ) {
				$this->assert_record( $record );
			}
		}
	}

	/**
	 * The largest batch: 1,000,000 records, all well-formed, no key or secret repeated (within
	 * the batch nor between keys and secrets). About 700 MB of PHP arrays per implementation.
	 *
	 * @group slow
	 * @dataProvider implementations
	 */
	public function test_one_million_keys_have_no_duplicate( string $impl ): void {
		$keys = $this->call( $impl, 'generate_keys', 1000000 );
		$this->assertCount( 1000000, $keys );

		$cks = array_column( $keys, 'consumer_key' );
		$css = array_column( $keys, 'consumer_secret' );
		$this->assertSame( 1000000, count( array_flip( $cks ) ), 'duplicate consumer key' );
		$this->assertSame( 1000000, count( array_flip( $css ) ), 'duplicate consumer secret' );
		$hex = array_map( static fn( string $s ): string => substr( $s, 3 ), array_merge( $cks, $css ) );
		$this->assertSame( 2000000, count( array_flip( $hex ) ), 'a secret repeats a key' );
		unset( $hex );

		$this->assertSame( 1000000, preg_match_all( '/^ck_[0-9a-f]{40}$/m', implode( "\n", $cks ) ) );
		$this->assertSame( 1000000, preg_match_all( '/^cs_[0-9a-f]{40}$/m', implode( "\n", $css ) ) );

		$wrong = 0;
		foreach ( $keys as $record ) {
			if ( hash_hmac( 'sha256', $record['consumer_key'], 'wc-api' ) !== $record['key_hash'] || substr( $record['consumer_key'], -7 ) !== $record['truncated_key'] ) {
				++$wrong;
			}
		}
		$this->assertSame( 0, $wrong, 'records whose key_hash or truncated_key is wrong' );
	}
}
