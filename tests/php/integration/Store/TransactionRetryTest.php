<?php
/**
 * Store\Transaction retries a transaction the server gave up on (deadlock victim, 1213; lock wait
 * timeout, 1205) and is all or nothing whatever happens: real errors from a real second connection
 * competing for the same rows, not simulated ones.
 *
 * - a deadlock: the competitor holds a lock on the end of the audit table, where the store's update
 *   appends last, then asks for a key row the store already holds; its transaction is made heavy, so
 *   InnoDB picks the store's as the victim. The update is retried once and applied once (one audit
 *   row per key).
 * - a lock wait timeout: the same lock makes a bulk create wait at its first audit statement, after
 *   its first chunk of keys and metadata are written; the attempt is rolled back and retried,
 *   leaving exactly one copy of each key.
 * - a competitor that never lets go: three attempts, then an error, and nothing written.
 * - the same on a server that answers in German: the retry reads the error number, not its text.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Store;

use Keysmith\Store\BulkResult;
use Keysmith\Store\KeyWriter;
use Keysmith\Store\Schema;
use WP_Error;

final class TransactionRetryTest extends StoreTestCase {

	/** The competing connection (another request, another server). */
	private ?\mysqli $other = null;

	/** @var callable|null The `query` filter watching the store's statements. */
	private $watch = null;

	/** Attempts the store made (START TRANSACTION statements seen). */
	private int $attempts = 0;

	private string $weight_table;

	protected function setUp(): void {
		parent::setUp();
		global $wpdb;
		$this->weight_table = $wpdb->prefix . 'ks_test_lock_weight';
		$wpdb->query( "CREATE TABLE IF NOT EXISTS {$this->weight_table} (n INT PRIMARY KEY) ENGINE=InnoDB" );
		$wpdb->query( 'SET SESSION innodb_lock_wait_timeout = 1' );
	}

	protected function tearDown(): void {
		global $wpdb;
		if ( null !== $this->watch ) {
			remove_filter( 'query', $this->watch );
		}
		if ( null !== $this->other ) {
			$this->release();
			mysqli_close( $this->other );
		}
		$wpdb->query( 'SET SESSION innodb_lock_wait_timeout = DEFAULT' );
		$wpdb->query( 'SET SESSION lc_messages = DEFAULT' );
		$wpdb->query( "DROP TABLE IF EXISTS {$this->weight_table}" );
		parent::tearDown();
	}

	/** The competing connection, in a transaction (opened on first use). */
	private function competitor(): \mysqli {
		global $wpdb;
		if ( null !== $this->other ) {
			return $this->other;
		}
		$this->other = mysqli_init();
		list( $host, $port, $socket ) = array_pad( (array) $wpdb->parse_db_host( DB_HOST ), 3, null );
		$this->assertTrue( mysqli_real_connect( $this->other, $host, DB_USER, DB_PASSWORD, DB_NAME, $port ? (int) $port : 0, $socket ) );
		$this->assertTrue( mysqli_query( $this->other, 'START TRANSACTION' ) );
		return $this->other;
	}

	/** Whether the competitor's asynchronous query is waiting to be read. */
	private bool $pending = false;

	/**
	 * Ends the competitor's transaction (its locks go). An asynchronous query still out is read
	 * first; returns its error number (0: it succeeded, i.e. the competitor was not the victim).
	 */
	private function release(): ?int {
		$errno = null;
		if ( $this->pending ) {
			$this->pending = false;
			$result        = mysqli_reap_async_query( $this->other );
			$errno         = false === $result ? mysqli_errno( $this->other ) : 0;
		}
		mysqli_query( $this->other, 'ROLLBACK' );
		return $errno;
	}

	/** @var list<int> Error numbers the server gave the store's statements. */
	private array $errors = array();

	/**
	 * Watches the store's statements: counts attempts, notes the error number the previous
	 * statement left on the connection, and calls $before( $sql, $attempt ) before each statement.
	 *
	 * @param callable(string, int): void $before
	 */
	private function watch( callable $before ): void {
		$this->watch = function ( string $query ) use ( $before ): string {
			global $wpdb;
			$errno = mysqli_errno( $wpdb->dbh );
			if ( 0 !== $errno ) {
				$this->errors[] = $errno;
			}
			if ( 'START TRANSACTION' === trim( $query ) ) {
				++$this->attempts;
			}
			$before( $query, $this->attempts );
			return $query;
		};
		add_filter( 'query', $this->watch );
	}

	public function test_a_deadlock_victim_is_retried_and_its_change_applied_once(): void {
		global $wpdb;
		$keys = array_column( $this->create( array( 'user_ids' => array( $this->make_user() ), 'count' => 3 ), $this->admin_actor() ), 'key_id' );
		$x    = (int) $keys[0];

		$other = $this->competitor();
		// Heavy: InnoDB rolls back the lighter transaction of a deadlock, which must be the store's.
		$this->assertTrue( mysqli_query( $other, "INSERT INTO {$this->weight_table} SELECT seq FROM seq_1_to_20000" ) );
		$this->lock_the_audit_tables_end();

		$competitor_errno = null;
		$this->watch(
			function ( string $sql, int $attempt ) use ( $other, $x, &$competitor_errno ): void {
				if ( 1 === $attempt && str_starts_with( $sql, 'INSERT INTO ' . Schema::audit_table() ) && ! $this->pending ) {
					// The store holds key row $x (locked read, then updated) and is about to append its
					// audit rows where the competitor holds a lock; the competitor now asks for key row $x.
					mysqli_query( $other, 'SELECT key_id FROM ' . Schema::wc_table() . " WHERE key_id = $x FOR UPDATE", MYSQLI_ASYNC );
					$this->pending = true;
					usleep( 100000 );
				} elseif ( 2 === $attempt && 'START TRANSACTION' === trim( $sql ) ) {
					$competitor_errno = $this->release();
				}
			}
		);
		$result = $this->service->update( $this->filter( array( 'ids' => $keys ) ), array( 'permissions' => 'read_write', 'expires_at' => '+1 day' ), $this->admin_actor() );

		$this->assertInstanceOf( BulkResult::class, $result, $result instanceof WP_Error ? $result->get_error_message() . ' ' . wp_json_encode( $result->get_error_data() ) : '' );
		$this->assertSame( array( 1213 ), $this->errors, 'ER_LOCK_DEADLOCK, once' );
		$this->assertSame( 0, $competitor_errno, 'the competitor got its lock: the store was the deadlock victim' );
		$this->assertSame( 2, $this->attempts, 'one retry' );
		$this->assertSame( 3, $result->changed );
		foreach ( $keys as $id ) {
			$this->assertSame( 'read_write', $this->wc_row( (int) $id )['permissions'] );
			$this->assertNotNull( self::meta_row( (int) $id )['expires_at'] );
			$this->assertCount( 1, array_filter( $this->audit_for( (int) $id ), static fn( array $row ): bool => 'update' === $row['action'] ), 'audited once, not once per attempt' );
		}
		$this->assertSame( 0, (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$this->weight_table}" ), 'the competitor rolled back' );
	}

	public function test_a_lock_wait_timeout_after_half_the_work_is_rolled_back_and_retried(): void {
		global $wpdb;
		$owner = $this->make_user();
		$actor = $this->admin_actor();
		$this->create( array( 'user_ids' => array( $owner ), 'count' => 2 ), $actor ); // Rows for the gap lock to sit behind.
		$before = $this->counts();

		$this->lock_the_audit_tables_end();
		$seen_keys_written = 0;
		$this->watch(
			function ( string $sql, int $attempt ) use ( &$seen_keys_written ): void {
				if ( 1 === $attempt && str_starts_with( $sql, 'INSERT INTO ' . Schema::audit_table() ) ) {
					$seen_keys_written = $this->counts_in_transaction()['wc'];
				} elseif ( 2 === $attempt && 'START TRANSACTION' === trim( $sql ) ) {
					$this->release();
				}
			}
		);
		$created = $this->service->create( array( 'user_ids' => array( $owner ), 'count' => 1500, 'permissions' => 'read' ), $actor );

		$this->assertIsArray( $created, $created instanceof WP_Error ? $created->get_error_message() . ' ' . wp_json_encode( $created->get_error_data() ) : '' );
		$this->assertSame( $before['wc'] + KeyWriter::CHUNK, $seen_keys_written, 'the first attempt had written its first chunk of keys (and their metadata) when it hit the lock' );
		$this->assertSame( array( 1205 ), $this->errors, 'ER_LOCK_WAIT_TIMEOUT, once' );
		$this->assertSame( 2, $this->attempts );
		$this->assertSame(
			array( 'wc' => $before['wc'] + 1500, 'meta' => $before['meta'] + 1500, 'audit' => $before['audit'] + 1500 ),
			$this->counts(),
			'one copy of each key: nothing of the first attempt is left'
		);
		$hashes = $wpdb->get_results( 'SELECT key_id, consumer_key FROM ' . Schema::wc_table(), OBJECT_K );
		foreach ( $created as $key ) {
			$this->assertSame( wc_api_hash( $key['consumer_key'] ), $hashes[ $key['key_id'] ]->consumer_key, 'each returned id is its own key' );
		}
	}

	public function test_a_competitor_that_never_lets_go_costs_three_attempts_and_changes_nothing(): void {
		$owner = $this->make_user();
		$actor = $this->admin_actor();
		$this->create( array( 'user_ids' => array( $owner ), 'count' => 2 ), $actor );
		$before = $this->counts();

		$this->lock_the_audit_tables_end();
		$this->watch( static function (): void {} );
		$result = $this->service->create( array( 'user_ids' => array( $owner ), 'count' => 50, 'permissions' => 'read' ), $actor );

		$this->assertInstanceOf( WP_Error::class, $result );
		$this->assertSame( 'keysmith_db_error', $result->get_error_code() );
		$this->assertStringContainsString( 'nothing was changed', $result->get_error_message() );
		$this->assertSame( array( 1205, 1205, 1205 ), $this->errors );
		$this->assertSame( 3, $this->attempts );
		$this->assertSame( $before, $this->counts() );
	}

	public function test_the_retry_does_not_depend_on_the_language_of_the_servers_messages(): void {
		global $wpdb;
		$wpdb->query( "SET SESSION lc_messages = 'de_DE'" );
		$owner = $this->make_user();
		$actor = $this->admin_actor();
		$this->create( array( 'user_ids' => array( $owner ), 'count' => 2 ), $actor );
		$before = $this->counts();

		$this->lock_the_audit_tables_end();
		$messages = array();
		$this->watch(
			function ( string $sql, int $attempt ) use ( &$messages ): void {
				global $wpdb;
				if ( 2 === $attempt && 'START TRANSACTION' === trim( $sql ) ) {
					$this->release();
				}
				if ( '' !== $wpdb->last_error ) {
					$messages[] = $wpdb->last_error;
				}
			}
		);
		$created = $this->service->create( array( 'user_ids' => array( $owner ), 'count' => 5, 'permissions' => 'read' ), $actor );

		$this->assertStringContainsString( 'Sperre', implode( ' ', $messages ), 'the server said "lock wait timeout" in German' );
		$this->assertIsArray( $created, $created instanceof WP_Error ? $created->get_error_message() . ' ' . wp_json_encode( $created->get_error_data() ) : '' );
		$this->assertSame( 2, $this->attempts );
		$this->assertSame( $before['wc'] + 5, $this->counts()['wc'] );
	}

	/**
	 * The competitor reads the end of the audit table with a lock (a next-key lock up to the end):
	 * no row can be inserted there until it lets go.
	 */
	private function lock_the_audit_tables_end(): void {
		$this->assertTrue( (bool) mysqli_query( $this->competitor(), 'SELECT * FROM ' . Schema::audit_table() . ' WHERE audit_id > 0 FOR UPDATE' ) );
	}

	/** Counts as the store's own (uncommitted) transaction sees them. */
	private function counts_in_transaction(): array {
		global $wpdb;
		return array( 'wc' => (int) $wpdb->get_var( 'SELECT COUNT(*) FROM ' . Schema::wc_table() ) );
	}
}
