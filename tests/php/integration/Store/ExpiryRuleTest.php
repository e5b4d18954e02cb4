<?php
/**
 * Every part of the store applies the same expiry rule (Keys\Expiry): a key whose expiry is now is
 * expired for the list filter, the read model, `verify`, rotation and a new expiry alike; one an
 * hour away is expired for none of them.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Store;

use Keysmith\Store\Schema;
use WP_Error;

final class ExpiryRuleTest extends StoreTestCase {

	public function test_a_key_expiring_now_is_expired_everywhere_and_one_expiring_later_nowhere(): void {
		global $wpdb;
		$actor   = $this->admin_actor();
		$created = $this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 2, 'expires_at' => '+1 hour' ), $actor );
		list( $now_key, $later_key ) = $created;
		// Expires this very second: from now on it no longer works (later seconds keep it expired).
		$wpdb->update( Schema::meta_table(), array( 'expires_at' => gmdate( 'Y-m-d H:i:s' ) ), array( 'key_id' => $now_key['key_id'] ) );

		$this->assertTrue( $this->service->find( $now_key['key_id'] )->is_expired() );
		$this->assertFalse( $this->service->find( $later_key['key_id'] )->is_expired() );

		$expired = $this->service->query( $this->filter( array( 'expired' => true ) ) )['items'];
		$this->assertSame( array( $now_key['key_id'] ), array_map( static fn( $key ): int => $key->key_id, $expired ) );

		$this->assertSame( 'keysmith_key_expired', $this->service->verify_pair( $now_key['consumer_key'], $now_key['consumer_secret'] )->get_error_code() );
		$this->assertTrue( $this->service->verify_pair( $later_key['consumer_key'], $later_key['consumer_secret'] ) );

		$dry = $this->service->rotate( $this->filter( array( 'ids' => array( $now_key['key_id'], $later_key['key_id'] ) ) ), $actor, 60, dry_run: true );
		$this->assertNotInstanceOf( WP_Error::class, $dry );
		$this->assertSame( array( $later_key['key_id'] ), $dry->summary->ids, 'an expired key is not rotated' );
		$this->assertSame( array( $now_key['key_id'] ), $dry->summary->failed );
	}

	public function test_a_new_expiry_must_be_later_than_now(): void {
		$actor = $this->admin_actor();
		$now   = $this->service->create( array( 'user_ids' => array( $actor->user_id ), 'expires_at' => gmdate( 'Y-m-d H:i:s' ), 'permissions' => 'read' ), $actor );
		$this->assertInstanceOf( WP_Error::class, $now );
		$this->assertSame( 'keysmith_invalid_date', $now->get_error_code() );
		$this->create( array( 'user_ids' => array( $actor->user_id ), 'expires_at' => gmdate( 'Y-m-d H:i:s', time() + 120 ) ), $actor );
	}
}
