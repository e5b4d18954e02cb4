<?php
/**
 * Every change forgets the auth path's cache entries of the keys it touched. A persistent object
 * cache is simulated by flagging WordPress's in-memory cache as external for the test.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Store;

require_once __DIR__ . '/StoreTestCase.php';

use Keysmith\Store\KeyCache;

final class CacheTest extends StoreTestCase {

	private bool $was_external = false;

	protected function setUp(): void {
		parent::setUp();
		$this->was_external = (bool) wp_using_ext_object_cache( true );
	}

	protected function tearDown(): void {
		wp_using_ext_object_cache( $this->was_external );
		wp_cache_flush();
		parent::tearDown();
	}

	/** @param list<array<string, mixed>> $keys */
	private function warm( array $keys ): void {
		foreach ( $keys as $key ) {
			KeyCache::set_by_hash( wc_api_hash( $key['consumer_key'] ), array( 'key_id' => $key['key_id'] ) );
			KeyCache::set_by_id( $key['key_id'], array( 'key_id' => $key['key_id'], 'permissions' => 'stale', 'consumer_secret' => 'cs_never_cached' ) );
		}
	}

	/** @param array<string, mixed> $key */
	private function cached( array $key ): bool {
		return false !== KeyCache::get_by_id( $key['key_id'] ) || false !== KeyCache::get_by_hash( wc_api_hash( $key['consumer_key'] ) );
	}

	public function test_the_secret_is_never_cached(): void {
		$actor = $this->admin_actor();
		$key   = $this->create( array( 'user_ids' => array( $actor->user_id ) ), $actor )[0];
		$this->warm( array( $key ) );
		$this->assertArrayNotHasKey( 'consumer_secret', KeyCache::get_by_id( $key['key_id'] ) );
	}

	public function test_update_revoke_rotate_and_expiry_forget_the_keys_they_touch(): void {
		global $wpdb;
		$actor = $this->admin_actor();
		$keys  = $this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 5 ), $actor );
		$this->warm( $keys );

		$this->service->update( $this->filter( array( 'ids' => array( $keys[0]['key_id'] ) ) ), array( 'permissions' => 'write' ), $actor );
		$this->assertFalse( $this->cached( $keys[0] ) );
		$this->assertTrue( $this->cached( $keys[1] ), 'untouched keys stay cached' );

		$this->service->revoke( $this->filter( array( 'ids' => array( $keys[1]['key_id'] ) ) ), $actor );
		$this->assertFalse( $this->cached( $keys[1] ) );

		$this->service->rotate( $this->filter( array( 'ids' => array( $keys[2]['key_id'] ) ) ), $actor, 60 );
		$this->assertFalse( $this->cached( $keys[2] ) );

		$wpdb->update( \Keysmith\Store\Schema::meta_table(), array( 'expires_at' => '2000-01-01 00:00:00' ), array( 'key_id' => $keys[3]['key_id'] ) );
		$this->service->revoke_expired();
		$this->assertFalse( $this->cached( $keys[3] ) );
		$this->assertTrue( $this->cached( $keys[4] ) );
	}
}
