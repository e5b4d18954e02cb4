<?php
/**
 * POST /keys/batch with dry_run for update and rotate: the store's real checks answer (400 for a
 * value the action would refuse, 403 for WooCommerce's owner rule), the keys listed are those the
 * action would change, and nothing is written.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Rest;

final class BatchDryRunTest extends RestTestCase {

	public function test_update_dry_run_refuses_what_the_update_would_refuse(): void {
		$ids    = array_column( $this->create_keys( array( 'owner' => array( self::user_id( 'shopmanager' ) ), 'count' => 2 ) ), 'key_id' );
		$before = self::snapshot();
		$dry    = fn( array $changes, string $login = 'admin' ): array => $this->api( 'POST', '/keys/batch', array( 'action' => 'update', 'ids' => $ids, 'changes' => $changes, 'dry_run' => true ), $login );

		self::assertInvalidParam( 'changes', $dry( array( 'expires_at' => '2001-01-01' ) ), 'keysmith_invalid_date' );
		self::assertInvalidParam( 'changes', $dry( array( 'owner' => 987654 ) ), 'keysmith_unknown_user' );
		$forbidden = $dry( array( 'owner' => self::user_id( 'admin' ) ), 'shopmanager' );
		self::assertStatus( 403, $forbidden );
		self::assertSame( 'keysmith_cannot_assign', $forbidden['json']['code'] );
		self::assertSame( $before, self::snapshot() );

		$ok = $dry( array( 'owner' => $this->create_user( 'customer' ), 'expires_at' => '+1 week' ), 'shopmanager' );
		self::assertStatus( 200, $ok );
		self::assertSame( array( 'update', $ids, 0, true ), array( $ok['json']['action'], $ok['json']['ids'], $ok['json']['changed'], $ok['json']['dry_run'] ) );
		self::assertSame( 'Dry run: 2 keys would be changed.', $ok['json']['message'] );
		self::assertSame( $before, self::snapshot() );
	}

	public function test_rotate_dry_run_lists_only_the_keys_the_rotation_would_replace(): void {
		$ids = array_column( $this->create_keys( array( 'owner' => array( self::user_id( 'admin' ) ), 'count' => 3 ) ), 'key_id' );
		self::assertStatus( 200, $this->api( 'POST', '/keys/batch', array( 'action' => 'rotate', 'ids' => array( $ids[0] ), 'grace' => 600 ) ) );
		self::force_expiry( $ids[1], gmdate( 'Y-m-d H:i:s', time() - 60 ) );
		$before = self::snapshot();

		$dry = $this->api( 'POST', '/keys/batch', array( 'action' => 'rotate', 'ids' => array_merge( $ids, array( 999999 ) ), 'grace' => 600, 'dry_run' => true ) );

		self::assertStatus( 200, $dry );
		self::assertSame( array( 'rotate', 4, 1, array( $ids[2] ), array( $ids[0], $ids[1], 999999 ), true ), array( $dry['json']['action'], $dry['json']['requested'], $dry['json']['matched'], $dry['json']['ids'], $dry['json']['failed'], $dry['json']['dry_run'] ) );
		self::assertArrayNotHasKey( 'keys', $dry['json'], 'a dry run makes no key, so it shows no secret' );
		self::assertSame( $before, self::snapshot() );
	}

	public function test_rotate_dry_run_applies_woocommerces_owner_rule(): void {
		$ids    = array_column( $this->create_keys( array( 'owner' => array( self::user_id( 'admin' ) ) ) ), 'key_id' );
		$before = self::snapshot();

		$forbidden = $this->api( 'POST', '/keys/batch', array( 'action' => 'rotate', 'ids' => $ids, 'grace' => 600, 'dry_run' => true ), 'shopmanager' );

		self::assertStatus( 403, $forbidden );
		self::assertSame( 'keysmith_cannot_assign', $forbidden['json']['code'] );
		self::assertSame( $before, self::snapshot() );
	}
}
