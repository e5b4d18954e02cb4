<?php
/**
 * POST /keys/batch: revoke, update and rotate by ids or by filter, dry runs, and refusals.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Rest;

use Keysmith\Store\KeyService;

final class BatchRouteTest extends RestTestCase {

	/** @return list<int> */
	private function keys_of( string $login, int $count, array $more = array() ): array {
		return array_column( $this->create_keys( array( 'owner' => array( self::user_id( $login ) ), 'count' => $count ) + $more ), 'key_id' );
	}

	public function test_revoke_by_ids_reports_what_was_not_found(): void {
		$ids = $this->keys_of( 'admin', 3 );

		$response = $this->api( 'POST', '/keys/batch', array( 'action' => 'revoke', 'ids' => array( $ids[0], $ids[2], 999999 ) ) );

		self::assertStatus( 200, $response );
		self::assertSame( array( 'revoke', 3, 2, 2, false ), array( $response['json']['action'], $response['json']['requested'], $response['json']['matched'], $response['json']['changed'], $response['json']['dry_run'] ) );
		self::assertSame( array( 999999 ), $response['json']['failed'] );
		self::assertSame( 'Revoked 2 of 3 keys.', $response['json']['message'] );
		self::assertNull( self::wc_key_row( $ids[0] ) );
		self::assertNotNull( self::wc_key_row( $ids[1] ) );
	}

	/**
	 * Update is partial as revoke is (and as `wp keysmith update` and the admin screen are): the
	 * keys that exist change, the missing ids are reported; the dry run reports the same ids.
	 */
	public function test_update_by_ids_changes_what_exists_and_reports_what_was_not_found(): void {
		$ids  = $this->keys_of( 'admin', 2 );
		$body = array(
			'action'  => 'update',
			'ids'     => array( $ids[0], 999999 ),
			'changes' => array( 'permissions' => 'write' ),
		);

		$dry = $this->api( 'POST', '/keys/batch', $body + array( 'dry_run' => true ) );
		self::assertStatus( 200, $dry );
		self::assertSame( array( array( $ids[0] ), array( 999999 ) ), array( $dry['json']['ids'], $dry['json']['failed'] ) );

		$response = $this->api( 'POST', '/keys/batch', $body );
		self::assertStatus( 200, $response );
		self::assertSame( array( 2, 1, 1, array( 999999 ), 'Updated 1 of 2 keys.' ), array( $response['json']['requested'], $response['json']['matched'], $response['json']['changed'], $response['json']['failed'], $response['json']['message'] ) );
		self::assertSame( array( 'write', 'read' ), array( self::wc_key_row( $ids[0] )['permissions'], self::wc_key_row( $ids[1] )['permissions'] ) );
	}

	public function test_dry_run_then_revoke_by_filter(): void {
		$manager = $this->keys_of( 'shopmanager', 2 );
		$admin   = $this->keys_of( 'admin', 1 );
		$before  = self::snapshot();
		$filter  = array( 'owner' => array( self::user_id( 'shopmanager' ) ) );

		foreach ( array( 'revoke', 'update', 'rotate' ) as $action ) {
			$dry = $this->api( 'POST', '/keys/batch', array( 'action' => $action, 'filter' => $filter, 'changes' => array( 'permissions' => 'write' ), 'grace' => 0, 'dry_run' => true ) );
			self::assertStatus( 200, $dry );
			self::assertSame( array( $action, $manager, true, 0 ), array( $dry['json']['action'], $dry['json']['ids'], $dry['json']['dry_run'], $dry['json']['changed'] ) );
		}
		self::assertSame( $before, self::snapshot(), 'dry runs write nothing' );

		$done = $this->api( 'POST', '/keys/batch', array( 'action' => 'revoke', 'filter' => $filter ) );
		self::assertStatus( 200, $done );
		self::assertSame( 2, $done['json']['changed'] );
		self::assertNull( self::wc_key_row( $manager[1] ) );
		self::assertNotNull( self::wc_key_row( $admin[0] ) );
	}

	public function test_update_by_filter(): void {
		$ids   = $this->keys_of( 'admin', 2, array( 'expires_at' => '2099-01-01' ) );
		$other = $this->keys_of( 'shopmanager', 1 );

		$response = $this->api( 'POST', '/keys/batch', array( 'action' => 'update', 'filter' => array( 'owner' => array( self::user_id( 'admin' ) ) ), 'changes' => array( 'permissions' => 'write', 'description' => 'batch', 'expires_at' => null ) ) );

		self::assertStatus( 200, $response );
		self::assertSame( 'Updated 2 of 2 keys.', $response['json']['message'] );
		foreach ( $ids as $id ) {
			$key = ( new KeyService() )->find( $id );
			self::assertSame( array( 'write', 'batch', null ), array( $key->permissions, $key->description, $key->expires_at ) );
		}
		self::assertSame( 'read', self::wc_key_row( $other[0] )['permissions'] );
	}

	public function test_rotate_returns_new_pairs_uncached_and_keeps_old_keys_for_the_grace(): void {
		$ids = $this->keys_of( 'admin', 2, array( 'permissions' => 'read_write' ) );

		$response = $this->api( 'POST', '/keys/batch', array( 'action' => 'rotate', 'ids' => $ids, 'grace' => 3600 ) );

		self::assertStatus( 200, $response );
		self::assertStringContainsString( 'no-store', self::header( $response, 'Cache-Control' ) );
		self::assertSame( $ids, array_column( $response['json']['keys'], 'rotated_from' ) );
		foreach ( $response['json']['keys'] as $key ) {
			self::assertTrue( ( new KeyService() )->verify_pair( $key['consumer_key'], $key['consumer_secret'] ) );
			self::assertSame( 'read_write', $key['permissions'] );
		}
		self::assertEqualsWithDelta( time() + 3600, strtotime( ( new KeyService() )->find( $ids[0] )->expires_at . ' UTC' ), 60 );
	}

	public function test_refusals_answer_400_and_change_nothing(): void {
		$ids    = $this->keys_of( 'admin', 1 );
		$before = self::snapshot();
		$batch  = fn( array $body ): array => $this->api( 'POST', '/keys/batch', $body );

		self::assertInvalidParam( 'ids', $batch( array( 'action' => 'revoke' ) ), 'keysmith_invalid_selection' );
		self::assertInvalidParam( 'ids', $batch( array( 'action' => 'revoke', 'ids' => $ids, 'filter' => array( 'expired' => true ) ) ), 'keysmith_invalid_selection' );
		self::assertInvalidParam( 'action', $batch( array( 'action' => 'explode', 'ids' => $ids ) ) );
		self::assertInvalidParam( 'changes', $batch( array( 'action' => 'update', 'ids' => $ids ) ) );
		self::assertInvalidParam( 'changes', $batch( array( 'action' => 'update', 'ids' => $ids, 'changes' => array( 'permissions' => 'all' ) ) ) );
		self::assertInvalidParam( 'changes', $batch( array( 'action' => 'update', 'ids' => $ids, 'changes' => array( 'expires_at' => '1999-01-01' ) ) ), 'keysmith_invalid_date' );
		self::assertInvalidParam( 'changes', $batch( array( 'action' => 'update', 'ids' => $ids, 'changes' => array() ) ), 'keysmith_invalid_changes' );
		self::assertInvalidParam( 'filter', $batch( array( 'action' => 'revoke', 'filter' => array( 'consumer_secret' => 'x' ) ) ) );
		self::assertInvalidParam( 'filter', $batch( array( 'action' => 'revoke', 'filter' => array( 'unused_since' => 'ages ago' ) ) ), 'keysmith_invalid_date' );
		self::assertInvalidParam( 'filter', $batch( array( 'action' => 'revoke', 'filter' => (object) array() ) ), 'keysmith_empty_filter' );
		self::assertInvalidParam( 'grace', $batch( array( 'action' => 'rotate', 'ids' => $ids, 'grace' => -1 ) ) );
		// No default grace period: leaving it out must not revoke the old keys at once.
		self::assertInvalidParam( 'grace', $batch( array( 'action' => 'rotate', 'ids' => $ids ) ), 'keysmith_invalid_grace' );
		self::assertInvalidParam( 'grace', $batch( array( 'action' => 'rotate', 'ids' => $ids, 'dry_run' => true ) ), 'keysmith_invalid_grace' );
		self::assertInvalidParam( 'ids', $batch( array( 'action' => 'revoke', 'ids' => array( 0 ) ) ) );

		self::assertSame( $before, self::snapshot() );

		$all = $batch( array( 'action' => 'revoke', 'filter' => array( 'all' => true ), 'dry_run' => true ) );
		self::assertStatus( 200, $all );
		self::assertSame( $ids, $all['json']['ids'] );
	}
}
