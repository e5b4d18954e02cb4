<?php
/**
 * Two bulk operations at once, from two PHP processes on the same database, leave a consistent
 * state: every key changed or deleted exactly once per operation, audited once, no orphans.
 *
 * "At once" is proved, not hoped for: a consistent end state would also follow if the processes
 * happened to run one after the other. A barrier (concurrent-worker.php) holds the first worker
 * inside its transaction, right after its locking read (or its first chunk of rows), until the test
 * has seen the second worker send its own statements; each worker reports when it sent each
 * statement. For the locking operations the test then checks that the second worker asked for its
 * rows while the first held them and got them only after the first was let go (so the store's
 * locks, not luck, kept them apart); for two creates, that the second worker wrote its keys while
 * the first had uncommitted keys of its own, and that their ids interleave.
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

	/** The statement after which the first worker holds the rows it locked. */
	private const LOCKING_READ = 'FOR UPDATE';

	private string $control = '';

	protected function tearDown(): void {
		if ( '' !== $this->control && is_dir( $this->control ) ) {
			foreach ( (array) glob( $this->control . '/*' ) as $file ) {
				is_dir( $file ) ? rmdir( $file ) : unlink( $file );
			}
			rmdir( $this->control );
		}
		parent::tearDown();
	}

	/**
	 * Runs the given operations in parallel processes started at the same instant, the first to
	 * complete a statement containing $pause_after held until every other worker has sent a
	 * statement containing $others_reach (and, if that statement waits for a lock, had time to
	 * start waiting).
	 *
	 * @param list<array{0: string, 1: array<string, mixed>}> $ops
	 * @return array{0: list<array<string, mixed>>, 1: float} Decoded outputs in $ops order; when the
	 *         held worker was let go.
	 */
	private function in_parallel( array $ops, string $pause_after, string $others_reach ): array {
		$this->control = sys_get_temp_dir() . '/keysmith-concurrency-' . getmypid() . '-' . bin2hex( random_bytes( 4 ) );
		mkdir( $this->control );
		$start = microtime( true ) + 1.5; // Time for every process to load WordPress first.
		$procs = array();
		foreach ( $ops as $i => list( $op, $args ) ) {
			$cmd         = array( PHP_BINARY, __DIR__ . '/concurrent-worker.php', ABSPATH . 'wp-load.php', $op, (string) wp_json_encode( $args ), sprintf( '%.6F', $start ), $this->control, $pause_after );
			$procs[ $i ] = proc_open( $cmd, array( 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes[ $i ] );
		}

		$this->assertTrue( $this->wait_for( fn(): bool => is_file( $this->control . '/paused' ) ), 'a worker reached the barrier' );
		$this->assertTrue(
			$this->wait_for( fn(): bool => count( $this->others_sent( $others_reach ) ) === count( $ops ) - 1 ),
			"every other worker sent a statement with \"$others_reach\" while the first was held"
		);
		usleep( 300000 ); // A statement sent is a statement waiting for its lock by now.
		$go_at = microtime( true );
		touch( $this->control . '/go' );

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
		$this->assertSame( 1, count( array_filter( array_column( $out, 'paused' ) ) ), 'exactly one worker was held' );
		return array( $out, $go_at );
	}

	private function wait_for( callable $condition, float $seconds = 30.0 ): bool {
		$until = microtime( true ) + $seconds;
		while ( ! $condition() ) {
			if ( microtime( true ) > $until ) {
				return false;
			}
			usleep( 20000 );
		}
		return true;
	}

	/** @return list<string> Trace files of the workers not held that contain $needle. */
	private function others_sent( string $needle ): array {
		$held = $this->control . '/trace-' . trim( (string) file_get_contents( $this->control . '/paused' ) );
		return array_values( array_filter( (array) glob( $this->control . '/trace-*' ), static fn( string $file ): bool => $file !== $held && str_contains( (string) file_get_contents( $file ), $needle ) ) );
	}

	/**
	 * The worker that was not held asked for the rows while the held one had them, and got them
	 * only once it was let go: its locking read was sent before $go_at and its next statement
	 * after.
	 *
	 * @param list<array<string, mixed>> $out
	 */
	private function assert_the_other_waited_for_the_lock( array $out, float $go_at ): void {
		$other = array_values( array_filter( $out, static fn( array $w ): bool => ! $w['paused'] ) )[0];
		$trace = $other['trace'];
		foreach ( $trace as $n => list( $sent, $sql ) ) {
			if ( str_contains( $sql, self::LOCKING_READ ) ) {
				$this->assertLessThan( $go_at, $sent, 'the second worker asked for the rows while the first held them' );
				$this->assertGreaterThan( $go_at, $trace[ $n + 1 ][0], 'and got them only after the first was let go' );
				return;
			}
		}
		$this->fail( 'the second worker made no locking read' );
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
		list( $out, $go_at ) = $this->in_parallel( array( array( 'revoke', $args ), array( 'revoke', $args ) ), self::LOCKING_READ, self::LOCKING_READ );
		list( $a, $b ) = $out;

		$this->assert_the_other_waited_for_the_lock( $out, $go_at );
		$this->assertSame( self::KEYS, $a['changed'] + $b['changed'] );
		$this->assertSame( array( 'wc' => 0, 'meta' => 0 ), array_slice( $this->counts(), 0, 2 ) );
		$this->assertSame( self::KEYS, $this->audit_count( 'revoke' ), 'each key audited exactly once' );
	}

	public function test_two_conflicting_updates_leave_every_key_the_same(): void {
		global $wpdb;
		$ids = $this->seed();
		list( $out, $go_at ) = $this->in_parallel(
			array(
				array( 'update', array( 'filter' => array( 'ids' => $ids ), 'changes' => array( 'permissions' => 'write', 'description' => 'by A' ) ) ),
				array( 'update', array( 'filter' => array( 'ids' => $ids ), 'changes' => array( 'permissions' => 'read_write', 'description' => 'by B' ) ) ),
			),
			self::LOCKING_READ,
			self::LOCKING_READ
		);
		list( $a, $b ) = $out;

		$this->assert_the_other_waited_for_the_lock( $out, $go_at );
		$this->assertSame( array( self::KEYS, self::KEYS ), array( $a['changed'], $b['changed'] ), 'serialized: the second saw the first and changed every key again' );
		$states = $wpdb->get_col( 'SELECT DISTINCT CONCAT(permissions, "/", description) FROM ' . Schema::wc_table() );
		$this->assertCount( 1, $states, 'no key mixes the two updates: ' . implode( ', ', $states ) );
		$held   = $a['paused'] ? 'write/by A' : 'read_write/by B';
		$this->assertNotSame( $held, $states[0], 'the worker that waited wrote last' );
		$this->assertContains( $states[0], array( 'write/by A', 'read_write/by B' ) );
		$this->assertSame( 2 * self::KEYS, $this->audit_count( 'update' ) );
	}

	public function test_revoke_racing_update_leaves_no_orphans(): void {
		global $wpdb;
		$ids = $this->seed();
		list( $out, $go_at ) = $this->in_parallel(
			array(
				array( 'revoke', array( 'filter' => array( 'ids' => $ids ) ) ),
				array( 'update', array( 'filter' => array( 'ids' => $ids ), 'changes' => array( 'expires_at' => '+1 day' ) ) ),
			),
			self::LOCKING_READ,
			self::LOCKING_READ
		);
		list( $revoke, $update ) = $out;

		$this->assert_the_other_waited_for_the_lock( $out, $go_at );
		$this->assertSame( self::KEYS, $revoke['changed'] );
		$this->assertSame( $revoke['paused'] ? 0 : self::KEYS, $update['changed'], 'the update ran wholly after the revoke (nothing left) or wholly before it' );
		$this->assertSame( 0, $this->counts()['wc'] );
		$this->assertSame( 0, (int) $wpdb->get_var( 'SELECT COUNT(*) FROM ' . Schema::meta_table() ), 'no metadata for revoked keys' );
	}

	public function test_two_rotations_of_the_same_keys_make_one_successor_each(): void {
		global $wpdb;
		$ids  = $this->seed();
		$args = array( 'filter' => array( 'ids' => $ids ), 'grace' => 600 );
		list( $out, $go_at ) = $this->in_parallel( array( array( 'rotate', $args ), array( 'rotate', $args ) ), self::LOCKING_READ, self::LOCKING_READ );
		list( $a, $b ) = $out;

		$this->assert_the_other_waited_for_the_lock( $out, $go_at );
		$this->assertSame( self::KEYS, count( $a['created'] ) + count( $b['created'] ) );
		$this->assertSame( 0, count( ( $a['paused'] ? $b : $a )['created'] ), 'the worker that waited found every key rotated already' );
		$successors = $wpdb->get_col( 'SELECT rotated_from FROM ' . Schema::meta_table() . ' WHERE rotated_from IS NOT NULL' );
		$this->assertCount( self::KEYS, $successors );
		$this->assertCount( self::KEYS, array_unique( $successors ), 'no key has two successors' );
		$this->assertSame( 2 * self::KEYS, $this->counts()['wc'] );
		$this->assertSame( self::KEYS, $this->audit_count( 'rotate' ) );
	}

	public function test_two_bulk_creates_at_once_map_every_id_to_its_own_key(): void {
		global $wpdb;
		$user   = $this->make_user();
		$spec   = array( 'spec' => array( 'user_ids' => array( $user ), 'count' => 3000, 'permissions' => 'read' ) );
		$insert = 'INSERT INTO ' . Schema::wc_table();
		// The first worker is held after its first chunk of keys until the other has written its own
		// first chunk and goes on to the metadata (whose INSERT … SELECT then waits for the held
		// worker's rows: the next-key lock of its id range reaches the held worker's first row).
		list( $out, $go_at ) = $this->in_parallel( array( array( 'create', $spec ), array( 'create', $spec ) ), $insert, 'INSERT INTO ' . Schema::meta_table() );
		list( $a, $b ) = $out;

		$held   = $a['paused'] ? $a : $b;
		$other  = $a['paused'] ? $b : $a;
		$sent   = static fn( array $w ): array => array_values( array_map( static fn( array $t ): float => $t[0], array_filter( $w['trace'], static fn( array $t ): bool => str_starts_with( $t[1], $insert ) ) ) );
		$this->assertCount( 3, $sent( $held ) );
		$this->assertCount( 3, $sent( $other ) );
		$this->assertLessThan( $go_at, $sent( $other )[0], 'the other worker wrote keys while the held one had its first chunk uncommitted' );
		$this->assertGreaterThan( $go_at, $sent( $held )[1], 'the held worker wrote its second chunk only after' );
		$ids_a = array_column( $a['created'], 0 );
		$ids_b = array_column( $b['created'], 0 );
		$this->assertTrue( max( $ids_a ) > min( $ids_b ) && max( $ids_b ) > min( $ids_a ), 'the two creates\' ids interleave' );

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

		list( $out, $go_at ) = $this->in_parallel( array( array( 'reconcile', array() ), array( 'reconcile', array() ) ), self::LOCKING_READ, self::LOCKING_READ );
		$this->assert_the_other_waited_for_the_lock( $out, $go_at );
		list( $a, $b ) = $out;

		$this->assertSame( self::KEYS, count( $a['found'] ) + count( $b['found'] ) );
		$this->assertSame( 300, count( $a['vanished'] ) + count( $b['vanished'] ) );
		$this->assertSame( array( 'wc' => self::KEYS, 'meta' => self::KEYS ), array_slice( $this->counts(), 0, 2 ) );
		$this->assertSame( self::KEYS + 300, (int) $wpdb->get_var( $wpdb->prepare( 'SELECT COUNT(*) FROM ' . Schema::audit_table() . " WHERE source = 'reconcile' AND action IN (%s, %s)", 'create', 'revoke' ) ) ); // phpcs:ignore WordPress.DB.PreparedSQL
	}
}
