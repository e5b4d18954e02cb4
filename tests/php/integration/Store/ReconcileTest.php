<?php
/**
 * Keys made or removed behind everyone's back (direct SQL, another plugin) are reconciled: a key
 * without Keysmith's record gets one (source unknown) and a `create` event, a record whose key is
 * gone is deleted with a `revoke` event, both with source `reconcile`; by the hourly job and by
 * Reconciler::run() (what `wp keysmith reconcile` calls). And the schema migration to 4 gives every
 * key a source without inventing events.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Store;

require_once __DIR__ . '/StoreTestCase.php';

use Keysmith\Store\Actor;
use Keysmith\Store\ExpiryCron;
use Keysmith\Store\KeyMeta;
use Keysmith\Store\Reconciler;
use Keysmith\Store\ReconcileResult;
use Keysmith\Store\Schema;

final class ReconcileTest extends StoreTestCase {

	private function reconcile( bool $dry_run = false ): ReconcileResult {
		$result = ( new Reconciler() )->run( new Actor( 0, 'reconcile' ), $dry_run );
		$this->assertInstanceOf( ReconcileResult::class, $result );
		return $result;
	}

	public function test_keys_inserted_by_sql_get_a_record_and_one_create_event(): void {
		$owner = $this->make_user( 'shop_manager' );
		$keys  = array( $this->create_wc_key( $owner, 'read' ), $this->create_wc_key( $owner, 'write' ) );
		$this->assertSame( array( 'wc' => 2, 'meta' => 0, 'audit' => 0 ), $this->counts() );

		$result = $this->reconcile();

		$this->assertSame( array_column( $keys, 'key_id' ), $result->found );
		$this->assertSame( array(), $result->vanished );
		foreach ( $keys as $i => $key ) {
			$meta = self::meta_row( $key['key_id'] );
			$this->assertSame( array( 'unknown', null, 0, null ), array( $meta['source'], $meta['created_at'], $meta['created_by'], $meta['expires_at'] ), 'made outside Keysmith: when and by whom is unknown' );
			$events = $this->audit_for( $key['key_id'] );
			$this->assertCount( 1, $events );
			$this->assertSame( array( 'create', 'reconcile', 0, $key['truncated_key'], $owner ), array( $events[0]['action'], $events[0]['source'], $events[0]['actor_id'], $events[0]['truncated_key'], $events[0]['key_owner'] ) );
			$this->assertSame( array( 'permissions' => 0 === $i ? 'read' : 'write', 'key_source' => 'unknown' ), $events[0]['details'] );
		}

		$again = $this->reconcile();
		$this->assertSame( array( array(), array() ), array( $again->found, $again->vanished ), 'nothing left to do' );
		$this->assertSame( 2, $this->counts()['audit'], 'no second event' );
	}

	public function test_keys_deleted_by_sql_lose_their_record_with_one_revoke_event(): void {
		global $wpdb;
		$actor   = $this->admin_actor();
		$owner   = $this->make_user( 'customer' );
		$created = $this->create( array( 'user_ids' => array( $owner ), 'count' => 3 ), $actor );
		$gone    = array( $created[0]['key_id'], $created[2]['key_id'] );
		$wpdb->query( 'DELETE FROM ' . Schema::wc_table() . ' WHERE key_id IN (' . implode( ',', $gone ) . ')' ); // phpcs:ignore WordPress.DB.PreparedSQL -- integers.

		$result = $this->reconcile();

		$this->assertSame( $gone, $result->vanished );
		$this->assertSame( array(), $result->found );
		foreach ( array( 0, 2 ) as $i ) {
			$this->assertNull( self::meta_row( $created[ $i ]['key_id'] ), 'no orphan record' );
			$events = $this->audit_for( $created[ $i ]['key_id'] );
			$this->assertSame( array( 'create', 'revoke' ), array_column( $events, 'action' ) );
			$this->assertSame( array( 'reconcile', $created[ $i ]['truncated_key'], $owner ), array( $events[1]['source'], $events[1]['truncated_key'], $events[1]['key_owner'] ), 'named as Keysmith last knew it' );
		}
		$this->assertNotNull( self::meta_row( $created[1]['key_id'] ) );
		$this->assertSame( array( 'wc' => 1, 'meta' => 1 ), array_slice( $this->counts(), 0, 2 ) );
	}

	public function test_a_dry_run_reports_and_writes_nothing(): void {
		global $wpdb;
		$actor   = $this->admin_actor();
		$created = $this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 1 ), $actor );
		$new     = $this->create_wc_key( $actor->user_id );
		$wpdb->delete( Schema::wc_table(), array( 'key_id' => $created[0]['key_id'] ) );
		$before = self::snapshot();

		$result = $this->reconcile( true );

		$this->assertSame( array( array( $new['key_id'] ), array( $created[0]['key_id'] ), true ), array( $result->found, $result->vanished, $result->dry_run ) );
		$this->assertSame( $before, self::snapshot() );
		$this->assertSame( 'Dry run: would record keys changed outside Keysmith: 1 new (' . $new['key_id'] . '), 1 removed (' . $created[0]['key_id'] . ').', $result->message() );
	}

	public function test_a_record_the_auth_path_started_keeps_its_last_ip_and_gets_a_source(): void {
		$key = $this->create_wc_key( self::user_id( 'admin' ) );
		KeyMeta::record_access( $key['key_id'], '203.0.113.9' );
		$this->assertNull( self::meta_row( $key['key_id'] )['source'] );

		$this->assertSame( array( $key['key_id'] ), $this->reconcile()->found );
		$meta = self::meta_row( $key['key_id'] );
		$this->assertSame( array( 'unknown', '203.0.113.9' ), array( $meta['source'], $meta['last_ip'] ) );
	}

	public function test_the_hourly_job_reconciles(): void {
		$key = $this->create_wc_key( self::user_id( 'admin' ) );
		do_action( ExpiryCron::HOOK );
		$this->assertSame( 'unknown', self::meta_row( $key['key_id'] )['source'] );
		$this->assertSame( array( 'create' ), array_column( $this->audit_for( $key['key_id'] ), 'action' ) );
		$this->assertSame( 'reconcile', $this->audit_for( $key['key_id'] )[0]['source'] );
	}

	public function test_migration_to_schema_4_gives_every_key_a_source_without_events(): void {
		global $wpdb;
		$actor    = $this->admin_actor();
		$made     = $this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 2 ), $actor );
		$wc_key   = $this->create_wc_key( $actor->user_id );
		$used_key = $this->create_wc_key( $actor->user_id );
		KeyMeta::record_access( $used_key['key_id'], '198.51.100.7' );
		// Back to schema 3: no source or app name, the audit source as narrow as it was.
		$meta  = Schema::meta_table();
		$audit = Schema::audit_table();
		$wpdb->query( "ALTER TABLE $meta DROP COLUMN source, DROP COLUMN app_name" ); // phpcs:ignore WordPress.DB.PreparedSQL -- test-owned table names.
		$wpdb->query( "ALTER TABLE $audit MODIFY source varchar(10) NOT NULL" ); // phpcs:ignore WordPress.DB.PreparedSQL
		update_option( Schema::VERSION_OPTION, '3' );
		$events = $this->counts()['audit'];

		$this->assertTrue( Schema::maybe_upgrade() );

		$this->assertSame( Schema::VERSION, get_option( Schema::VERSION_OPTION ) );
		$this->assertSame( 'keysmith', self::meta_row( $made[0]['key_id'] )['source'] );
		$this->assertSame( 'keysmith', self::meta_row( $made[1]['key_id'] )['source'] );
		$this->assertSame( 'unknown', self::meta_row( $wc_key['key_id'] )['source'] );
		$this->assertSame( array( 'unknown', '198.51.100.7', null ), array( self::meta_row( $used_key['key_id'] )['source'], self::meta_row( $used_key['key_id'] )['last_ip'], self::meta_row( $used_key['key_id'] )['created_at'] ) );
		$this->assertSame( $events, $this->counts()['audit'], 'keys that were already there get no invented events' );
		$this->assertSame( array(), $this->reconcile()->found, 'and the next sweep has nothing to add' );
		$column = $wpdb->get_row( "SHOW COLUMNS FROM $audit LIKE 'source'", ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL
		$this->assertSame( 'varchar(20)', $column['Type'], "audit.source holds 'woocommerce'" );
	}

	public function test_the_migration_follows_the_column_not_the_version_number(): void {
		global $wpdb;
		$key  = $this->create_wc_key( self::user_id( 'admin' ) );
		$meta = Schema::meta_table();
		// Another branch's schema with the same version number, without meta.source: activation
		// (install) still adds the column and records the keys.
		$wpdb->query( "ALTER TABLE $meta DROP COLUMN source, DROP COLUMN app_name" ); // phpcs:ignore WordPress.DB.PreparedSQL -- test-owned table name.
		update_option( Schema::VERSION_OPTION, Schema::VERSION );
		Schema::install();
		$this->assertSame( 'unknown', self::meta_row( $key['key_id'] )['source'] );
		Schema::install();
		$this->assertSame( 0, $this->counts()['audit'], 'and once only, without events' );
	}
}
