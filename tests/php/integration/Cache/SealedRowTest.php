<?php
/**
 * Cached key rows of sealed keys: the object cache holds the sealed secret (as safe there as in
 * the database), never the plaintext nor a keyed hash of it, and Basic requests are answered from
 * it; sealing and unsealing forget the rows, so the next request sees the new form.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Cache;

use Keysmith\Auth\Settings;
use Keysmith\Sealing\SealingResult;
use Keysmith\Sealing\SealingService;
use Keysmith\Store\Actor;

final class SealedRowTest extends CacheTestCase {

	protected function tearDown(): void {
		delete_option( Settings::OPTION );
		parent::tearDown();
	}

	public function test_a_sealed_row_is_cached_sealed_and_sealing_changes_reach_the_cache(): void {
		// Rows are cached on the later path only (an early decision runs before wp_salt() exists).
		update_option( Settings::OPTION, array( 'early_refusals' => false ) );
		$key = $this->keysmith_key( self::user_id( 'shopmanager' ) );
		$this->warm( $key );
		$this->assertInstanceOf( SealingResult::class, ( new SealingService() )->turn_on( new Actor( 0, 'cli' ) ) );
		$this->assertFalse( self::cache_on() && self::row_is_cached( $key['id'] ), 'sealing forgot the cached row' );

		$this->warm( $key );
		$this->assert_refused_everywhere( array( 'ck' => $key['ck'], 'cs' => 'cs_' . str_repeat( 'a', 40 ) ), 'Consumer secret is invalid.', 'GET', 'a wrong secret against the cached sealed row' );
		if ( self::cache_on() ) {
			$entry = self::raw_row_entry( (int) $key['id'] );
			$this->assertStringContainsString( 'sealed_secret', $entry );
			$this->assertStringContainsString( 'ksv1:', $entry );
			$this->assertStringNotContainsString( 'secret_mac', $entry, 'no keyed hash of a secret PHP never saw' );
			$this->assertStringNotContainsString( substr( $key['cs'], 3 ), $entry );
		}

		$this->assertInstanceOf( SealingResult::class, ( new SealingService() )->turn_off( new Actor( 0, 'cli' ) ) );
		$this->assertFalse( self::cache_on() && self::row_is_cached( $key['id'] ), 'unsealing forgot the cached row' );
		$this->warm( $key );
		if ( self::cache_on() ) {
			$entry = self::raw_row_entry( (int) $key['id'] );
			$this->assertStringContainsString( 'secret_mac', $entry, 'a plaintext row is cached with its keyed hash again' );
			$this->assertStringNotContainsString( 'sealed_secret', $entry );
		}
	}
}
