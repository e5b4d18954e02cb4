<?php
/**
 * Two bulk operations at once, from two PHP processes on the same database, leave a consistent
 * state: every key changed or deleted exactly once per operation, audited once, no orphans.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Store;

require_once __DIR__ . '/StoreTestCase.php';

use Keysmith\Store\AuditLog;
use Keysmith\Store\Schema;

final class ConcurrencyTest extends StoreTestCase {

	private const KEYS = 600;

	/**
	 * Runs the given operations in parallel processes started at the same instant.
	 *
	 * @param list<array{0: string, 1: array<string, mixed>}> $ops
	 * @return list<array<string, mixed>> Decoded outputs, in $ops order.
	 */
	private function in_parallel( array $ops ): array {
		$start = microtime( true ) + 1.5; // Time for every process to load WordPress first.
		$procs = array();
		foreach ( $ops as $i => list( $op, $args ) ) {
			$cmd = array( PHP_BINARY, __DIR__ . '/concurrent-worker.php', ABSPATH . 'wp-load.php', $op, (string) wp_json_encode( $args ), sprintf( '%.6F', $start ) );
			$procs[ $i ] = proc_open( $cmd, array( 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes[ $i ] );
		}
		$out = array();
		foreach ( $procs as $i => $proc ) {
			$stdout = stream_get_contents( $pipes[ $i ][1] );
			$stderr = stream_get_contents( $pipes[ $i ][2] );
			$code   = proc_close( $proc );
			$this->assertSame( 0, $code, "worker $i failed: $stderr $stdout" );
			$decoded = json_decode( (string) $stdout, true );
			$this->assertIsArray( $decoded, "worker $i printed: $stdout $stderr" );
			$this->assertArrayNotHasKey( 'error', $decoded, (string) $stdout );
			$out[ $i ] = $decoded;
		}
		return $out;
	}

	/** @return list<int> */
	private function seed(): array {
		$actor = $this->admin_actor();
		return array_column( $this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => self::KEYS ), $actor ), 'key_id' );
	}

	private function audit_count( string $action ): int {
		return AuditLog::query( array( 'action' => $action ), 1, 1 )['total'];
	}

	public function test_two_revokes_of_the_same_keys_delete_each_key_once(): void {
		$ids  = $this->seed();
		$args = array( 'filter' => array( 'ids' => $ids ) );
		list( $a, $b ) = $this->in_parallel( array( array( 'revoke', $args ), array( 'revoke', $args ) ) );

		$this->assertSame( self::KEYS, $a['changed'] + $b['changed'] );
		$this->assertSame( array( 'wc' => 0, 'meta' => 0 ), array_slice( $this->counts(), 0, 2 ) );
		$this->assertSame( self::KEYS, $this->audit_count( 'revoke' ), 'each key audited exactly once' );
	}

	public function test_two_conflicting_updates_leave_every_key_the_same(): void {
		global $wpdb;
		$ids = $this->seed();
		list( $a, $b ) = $this->in_parallel(
			array(
				array( 'update', array( 'filter' => array( 'ids' => $ids ), 'changes' => array( 'permissions' => 'write', 'description' => 'by A' ) ) ),
				array( 'update', array( 'filter' => array( 'ids' => $ids ), 'changes' => array( 'permissions' => 'read_write', 'description' => 'by B' ) ) ),
			)
		);

		$this->assertSame( array( self::KEYS, self::KEYS ), array( $a['changed'], $b['changed'] ), 'serialized: the second saw the first and changed every key again' );
		$states = $wpdb->get_col( 'SELECT DISTINCT CONCAT(permissions, "/", description) FROM ' . Schema::wc_table() );
		$this->assertCount( 1, $states, 'no key mixes the two updates: ' . implode( ', ', $states ) );
		$this->assertContains( $states[0], array( 'write/by A', 'read_write/by B' ) );
		$this->assertSame( 2 * self::KEYS, $this->audit_count( 'update' ) );
	}

	public function test_revoke_racing_update_leaves_no_orphans(): void {
		global $wpdb;
		$ids = $this->seed();
		list( $revoke, $update ) = $this->in_parallel(
			array(
				array( 'revoke', array( 'filter' => array( 'ids' => $ids ) ) ),
				array( 'update', array( 'filter' => array( 'ids' => $ids ), 'changes' => array( 'expires_at' => '+1 day' ) ) ),
			)
		);

		$this->assertSame( self::KEYS, $revoke['changed'] );
		$this->assertContains( $update['changed'], array( 0, self::KEYS ), 'the update ran wholly before or wholly after the revoke' );
		$this->assertSame( 0, $this->counts()['wc'] );
		$this->assertSame( 0, (int) $wpdb->get_var( 'SELECT COUNT(*) FROM ' . Schema::meta_table() ), 'no metadata for revoked keys' );
	}

	public function test_two_rotations_of_the_same_keys_make_one_successor_each(): void {
		global $wpdb;
		$ids  = $this->seed();
		$args = array( 'filter' => array( 'ids' => $ids ), 'grace' => 600 );
		list( $a, $b ) = $this->in_parallel( array( array( 'rotate', $args ), array( 'rotate', $args ) ) );

		$this->assertSame( self::KEYS, count( $a['created'] ) + count( $b['created'] ) );
		$successors = $wpdb->get_col( 'SELECT rotated_from FROM ' . Schema::meta_table() . ' WHERE rotated_from IS NOT NULL' );
		$this->assertCount( self::KEYS, $successors );
		$this->assertCount( self::KEYS, array_unique( $successors ), 'no key has two successors' );
		$this->assertSame( 2 * self::KEYS, $this->counts()['wc'] );
		$this->assertSame( self::KEYS, $this->audit_count( 'rotate' ) );
	}

	public function test_two_bulk_creates_at_once_map_every_id_to_its_own_key(): void {
		global $wpdb;
		$user = $this->make_user();
		$spec = array( 'spec' => array( 'user_ids' => array( $user ), 'count' => 3000, 'permissions' => 'read' ) );
		list( $a, $b ) = $this->in_parallel( array( array( 'create', $spec ), array( 'create', $spec ) ) );

		$created = array_merge( $a['created'], $b['created'] );
		$this->assertCount( 6000, $created );
		$hashes = $wpdb->get_results( 'SELECT key_id, consumer_key FROM ' . Schema::wc_table(), OBJECT_K );
		$this->assertCount( 6000, $hashes );
		foreach ( $created as list( $key_id, $consumer_key ) ) {
			$this->assertSame( wc_api_hash( $consumer_key ), $hashes[ $key_id ]->consumer_key );
		}
		$this->assertSame( array( 'wc' => 6000, 'meta' => 6000, 'audit' => 6000 ), $this->counts() );
	}

	public function test_two_reconciliations_at_once_record_each_key_once(): void {
		global $wpdb;
		$owner = self::user_id( 'admin' );
		foreach ( range( 1, self::KEYS ) as $n ) {
			$this->create_wc_key( $owner, 'read', "sql $n" );
		}
		$actor   = $this->admin_actor();
		$revoked = array_column( $this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 300 ), $actor ), 'key_id' );
		$wpdb->query( 'DELETE FROM ' . Schema::wc_table() . ' WHERE key_id IN (' . implode( ',', $revoked ) . ')' ); // phpcs:ignore WordPress.DB.PreparedSQL -- integers.

		list( $a, $b ) = $this->in_parallel( array( array( 'reconcile', array() ), array( 'reconcile', array() ) ) );

		$this->assertSame( self::KEYS, count( $a['found'] ) + count( $b['found'] ) );
		$this->assertSame( 300, count( $a['vanished'] ) + count( $b['vanished'] ) );
		$this->assertSame( array( 'wc' => self::KEYS, 'meta' => self::KEYS ), array_slice( $this->counts(), 0, 2 ) );
		$this->assertSame( self::KEYS + 300, (int) $wpdb->get_var( $wpdb->prepare( 'SELECT COUNT(*) FROM ' . Schema::audit_table() . " WHERE source = 'reconcile' AND action IN (%s, %s)", 'create', 'revoke' ) ) ); // phpcs:ignore WordPress.DB.PreparedSQL
	}
}
