<?php
/**
 * Revoke and update, by ids and by filter: atomic, idempotent, audited, cache-invalidating.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Store;

require_once __DIR__ . '/StoreTestCase.php';

use Keysmith\Store\BulkResult;
use Keysmith\Store\Schema;
use WP_Error;

final class RevokeUpdateTest extends StoreTestCase {

	public function test_revoke_by_ids_deletes_rows_and_metadata_and_audits(): void {
		$actor   = $this->admin_actor();
		$created = $this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 5 ), $actor );
		$ids     = array_column( array_slice( $created, 0, 3 ), 'key_id' );

		$result = $this->service->revoke( $this->filter( array( 'ids' => $ids ) ), $actor );
		$this->assertInstanceOf( BulkResult::class, $result );
		$this->assertSame( array( 3, 3, 3 ), array( $result->requested, $result->matched, $result->changed ) );
		$this->assertSame( 'Revoked 3 of 3 keys.', $result->message() );
		foreach ( $ids as $id ) {
			$this->assertNull( $this->wc_row( $id ) );
			$this->assertNull( self::meta_row( $id ) );
			$audit = $this->audit_for( $id );
			$this->assertSame( array( 'create', 'revoke' ), array_column( $audit, 'action' ) );
		}
		$this->assertSame( array( 'wc' => 2, 'meta' => 2, 'audit' => 8 ), $this->counts() );
	}

	public function test_revoking_twice_is_harmless(): void {
		$actor   = $this->admin_actor();
		$created = $this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 3 ), $actor );
		$filter  = $this->filter( array( 'ids' => array_column( $created, 'key_id' ) ) );

		$this->assertSame( 3, $this->service->revoke( $filter, $actor )->changed );
		$again = $this->service->revoke( $filter, $actor );
		$this->assertInstanceOf( BulkResult::class, $again );
		$this->assertSame( array( 3, 0, 0 ), array( $again->requested, $again->matched, $again->changed ) );
		$this->assertSame( array_column( $created, 'key_id' ), $again->failed );
		$this->assertSame( 'Revoked 0 of 3 keys.', $again->message() );
		$this->assertSame( array( 'wc' => 0, 'meta' => 0, 'audit' => 6 ), $this->counts(), 'the second revoke wrote no audit row' );
	}

	public function test_dry_run_counts_and_writes_nothing(): void {
		global $wpdb;
		$actor = $this->admin_actor();
		$used  = $this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 2 ), $actor );
		$this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 3 ), $actor );
		$wpdb->query( $wpdb->prepare( 'UPDATE ' . Schema::wc_table() . ' SET last_access = %s WHERE key_id IN (%d, %d)', current_time( 'mysql' ), $used[0]['key_id'], $used[1]['key_id'] ) );
		$before = $this->counts();

		$filter = $this->filter( array( 'unused_since' => '-30 days' ) );
		$dry    = $this->service->revoke( $filter, $actor, true );
		$this->assertTrue( $dry->dry_run );
		$this->assertSame( 3, $dry->matched );
		$this->assertSame( 0, $dry->changed );
		$this->assertSame( 'Dry run: 3 keys would be changed.', $dry->message() );
		$this->assertSame( $before, $this->counts() );

		$real = $this->service->revoke( $filter, $actor );
		$this->assertSame( $dry->ids, $real->ids );
		$this->assertSame( 2, $this->counts()['wc'] );
	}

	public function test_an_empty_filter_needs_all(): void {
		$actor = $this->admin_actor();
		$this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 3 ), $actor );
		$refused = $this->service->revoke( $this->filter( array() ), $actor );
		$this->assertInstanceOf( WP_Error::class, $refused );
		$this->assertSame( 'keysmith_empty_filter', $refused->get_error_code() );
		$this->assertInstanceOf( WP_Error::class, $this->service->update( $this->filter( array() ), array( 'permissions' => 'write' ), $actor ) );
		$this->assertInstanceOf( WP_Error::class, $this->service->rotate( $this->filter( array() ), $actor, 60 ) );
		$this->assertSame( 3, $this->counts()['wc'] );

		$this->assertSame( 3, $this->service->revoke( $this->filter( array( 'all' => true ) ), $actor )->changed );
		$this->assertSame( 0, $this->counts()['wc'] );
	}

	public function test_update_many_keys_at_once(): void {
		$actor   = $this->admin_actor();
		$owner   = $this->make_user();
		$created = $this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 4, 'permissions' => 'read', 'description' => 'old {n}' ), $actor );
		$ids     = array_column( array_slice( $created, 0, 3 ), 'key_id' );

		$result = $this->service->update( $this->filter( array( 'ids' => $ids ) ), array( 'permissions' => 'read_write', 'user_id' => $owner, 'description' => ' new <i>name</i> ', 'expires_at' => '2099-01-01' ), $actor );
		$this->assertInstanceOf( BulkResult::class, $result, $result instanceof WP_Error ? $result->get_error_message() : '' );
		$this->assertSame( 3, $result->changed );
		$this->assertSame( 'Updated 3 of 3 keys.', $result->message() );
		foreach ( $ids as $id ) {
			$row = $this->wc_row( $id );
			$this->assertSame( array( 'read_write', (string) $owner, 'new name' ), array( $row['permissions'], $row['user_id'], $row['description'] ) );
			$this->assertSame( '2099-01-01 00:00:00', self::meta_row( $id )['expires_at'] );
			$audit = $this->audit_for( $id );
			$this->assertSame( 'update', $audit[1]['action'] );
			$this->assertSame( array( 'read', 'read_write' ), $audit[1]['details']['changes']['permissions'] );
			$this->assertSame( array( $actor->user_id, $owner ), $audit[1]['details']['changes']['user_id'] );
		}
		$untouched = $this->wc_row( $created[3]['key_id'] );
		$this->assertSame( array( 'read', 'old 4' ), array( $untouched['permissions'], $untouched['description'] ) );

		// Clearing the expiry; a second identical update changes nothing and audits nothing.
		$this->service->update( $this->filter( array( 'ids' => $ids ) ), array( 'expires_at' => null ), $actor );
		$this->assertNull( self::meta_row( $ids[0] )['expires_at'] );
		$this->service->update( $this->filter( array( 'ids' => array( $ids[0] ) ) ), array( 'expires_at' => '+1 day' ), $actor );
		$this->service->update( $this->filter( array( 'ids' => array( $ids[0] ) ) ), array( 'expires_at' => '' ), $actor );
		$this->assertNull( self::meta_row( $ids[0] )['expires_at'], 'an empty field clears the expiry too' );
		$audit_rows = $this->counts()['audit'];
		$same       = $this->service->update( $this->filter( array( 'ids' => $ids ) ), array( 'permissions' => 'read_write' ), $actor );
		$this->assertSame( 0, $same->changed );
		$this->assertSame( $audit_rows, $this->counts()['audit'] );
	}

	public function test_update_gives_expiry_to_keys_woocommerce_made(): void {
		global $wpdb;
		$actor = $this->admin_actor();
		$wpdb->insert( Schema::wc_table(), array( 'user_id' => $actor->user_id, 'description' => 'wc', 'permissions' => 'read', 'consumer_key' => wc_api_hash( 'ck_x' ), 'consumer_secret' => 'cs_' . wc_rand_hash(), 'truncated_key' => 'xxxxxxx' ) );
		$id = (int) $wpdb->insert_id;
		$this->service->update( $this->filter( array( 'ids' => array( $id ) ) ), array( 'expires_at' => '+1 day' ), $actor );
		$meta = self::meta_row( $id );
		$this->assertNotNull( $meta['expires_at'] );
		$this->assertNull( $meta['created_at'], 'creation time stays unknown' );
	}

	/** @return array<string, array{0: array<string, mixed>, 1: string}> */
	public static function bad_changes(): array {
		return array(
			'nothing'         => array( array(), 'keysmith_invalid_changes' ),
			'unknown field'   => array( array( 'consumer_secret' => 'cs_x' ), 'keysmith_invalid_changes' ),
			'bad permission'  => array( array( 'permissions' => 'all' ), 'keysmith_invalid_permissions' ),
			'unknown user'    => array( array( 'user_id' => 987654321 ), 'keysmith_unknown_user' ),
			'long text'       => array( array( 'description' => str_repeat( 'x', 201 ) ), 'keysmith_description_too_long' ),
			'bad date'        => array( array( 'expires_at' => '31/12/2030' ), 'keysmith_invalid_date' ),
			'past date'       => array( array( 'expires_at' => '2020-01-01T00:00:00Z' ), 'keysmith_invalid_date' ),
		);
	}

	/**
	 * @dataProvider bad_changes
	 * @param array<string, mixed> $changes
	 */
	public function test_bad_changes_are_refused_and_nothing_is_written( array $changes, string $code ): void {
		$actor   = $this->admin_actor();
		$created = $this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 2 ), $actor );
		$before  = $this->counts();
		$result  = $this->service->update( $this->filter( array( 'ids' => array_column( $created, 'key_id' ) ) ), $changes, $actor );
		$this->assertInstanceOf( WP_Error::class, $result );
		$this->assertSame( $code, $result->get_error_code() );
		$this->assertSame( $before, $this->counts() );
		$this->assertSame( 'read', $this->wc_row( $created[0]['key_id'] )['permissions'] );
	}

	public function test_changing_owner_follows_woocommerces_rule(): void {
		$manager = $this->make_user( 'shop_manager' );
		$admin   = $this->make_user( 'administrator' );
		wp_set_current_user( $manager );
		$actor   = \Keysmith\Store\Actor::current( 'admin' );
		$created = $this->create( array( 'user_ids' => array( $manager ) ), $actor );
		$result  = $this->service->update( $this->filter( array( 'ids' => array( $created[0]['key_id'] ) ) ), array( 'user_id' => $admin ), $actor );
		$this->assertSame( 'keysmith_cannot_assign', $result->get_error_code() );
		$this->assertSame( (string) $manager, $this->wc_row( $created[0]['key_id'] )['user_id'] );
	}
}
