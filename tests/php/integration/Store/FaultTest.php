<?php
/**
 * A database failure in the middle of a bulk operation leaves nothing behind: no partial rows in
 * WooCommerce's table, no orphaned metadata, no audit rows. Failures are injected with WordPress's
 * `query` filter, which replaces the Nth matching statement with one the server rejects.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Store;

require_once __DIR__ . '/StoreTestCase.php';

use Keysmith\Store\Schema;
use WP_Error;

final class FaultTest extends StoreTestCase {

	/** @var callable|null */
	private $injector = null;

	protected function tearDown(): void {
		if ( null !== $this->injector ) {
			remove_filter( 'query', $this->injector );
		}
		parent::tearDown();
	}

	/** Makes the $nth statement starting with $prefix fail. Returns a counter of matches seen. */
	private function fail_nth( string $prefix, int $nth ): \ArrayObject {
		$seen           = new \ArrayObject( array( 'n' => 0 ) );
		$this->injector = static function ( string $query ) use ( $prefix, $nth, $seen ): string {
			if ( str_starts_with( ltrim( $query ), $prefix ) && ++$seen['n'] === $nth ) {
				return 'INSERT INTO keysmith_no_such_table_for_fault_injection VALUES (1)';
			}
			return $query;
		};
		add_filter( 'query', $this->injector );
		return $seen;
	}

	/** @return array<string, array{0: callable(): string, 1: int}> */
	public static function create_failure_points(): array {
		return array(
			'second chunk of woocommerce rows' => array( static fn(): string => 'INSERT INTO ' . Schema::wc_table(), 2 ),
			'third chunk of woocommerce rows'  => array( static fn(): string => 'INSERT INTO ' . Schema::wc_table(), 3 ),
			'second chunk of metadata'         => array( static fn(): string => 'INSERT INTO ' . Schema::meta_table(), 2 ),
			'first audit statement'            => array( static fn(): string => 'INSERT INTO ' . Schema::audit_table(), 1 ),
			'reading back the inserted ids'    => array( static fn(): string => 'SELECT key_id, consumer_key FROM ' . Schema::wc_table(), 2 ),
			'commit'                           => array( static fn(): string => 'COMMIT', 1 ),
		);
	}

	/** @dataProvider create_failure_points */
	public function test_a_failure_during_bulk_create_leaves_nothing( callable $prefix, int $nth ): void {
		$actor = $this->admin_actor();
		$owner = $this->make_user();
		$this->create( array( 'user_ids' => array( $owner ), 'count' => 2 ), $actor ); // Existing keys must survive.
		$before = $this->counts();

		$seen   = $this->fail_nth( $prefix(), $nth );
		$result = $this->service->create( array( 'user_ids' => array( $owner ), 'count' => 2500, 'permissions' => 'write' ), $actor );
		remove_filter( 'query', $this->injector );

		$this->assertGreaterThanOrEqual( $nth, $seen['n'], 'the failure was injected' );
		$this->assertInstanceOf( WP_Error::class, $result );
		$this->assertSame( 'keysmith_db_error', $result->get_error_code() );
		$this->assertSame( $before, $this->counts() );
		$this->assertSame( 0, $this->orphaned_meta() );
	}

	public function test_a_connection_lost_in_the_middle_leaves_nothing(): void {
		global $wpdb;
		$actor     = $this->admin_actor();
		$before    = $this->counts();
		$thread_id = (int) $wpdb->get_var( 'SELECT CONNECTION_ID()' );
		// Another connection of the same DB user may kill this one (no privilege needed for one's own threads).
		$killer = mysqli_init();
		list( $host, $port, $socket ) = array_pad( (array) $wpdb->parse_db_host( DB_HOST ), 3, null );
		$this->assertTrue( mysqli_real_connect( $killer, $host, DB_USER, DB_PASSWORD, DB_NAME, $port ? (int) $port : 0, $socket ) );

		$inserts        = 0;
		$this->injector = static function ( string $query ) use ( &$inserts, $killer, $thread_id ): string {
			if ( str_starts_with( $query, 'INSERT INTO ' . Schema::wc_table() ) && 2 === ++$inserts ) {
				mysqli_query( $killer, 'KILL ' . $thread_id ); // The server rolls back chunk 1 with the connection.
			}
			return $query;
		};
		add_filter( 'query', $this->injector );
		$result = $this->service->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 2500, 'permissions' => 'read' ), $actor );
		remove_filter( 'query', $this->injector );
		mysqli_close( $killer );

		$this->assertSame( 2, $inserts, 'the connection was killed before the second chunk' );
		$this->assertInstanceOf( WP_Error::class, $result );
		$this->assertSame( 'keysmith_db_error', $result->get_error_code() );
		$this->assertNotSame( $thread_id, (int) $wpdb->get_var( 'SELECT CONNECTION_ID()' ), 'wpdb reconnected' );
		$this->assertSame( $before, $this->counts(), 'no chunk was committed on the new connection' );
		$this->assertIsArray( $this->service->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 2, 'permissions' => 'read' ), $actor ), 'the new connection is usable afterwards' );
		$this->assertSame( DB_NAME, $wpdb->get_var( 'SELECT DATABASE()' ) );
	}

	public function test_the_error_never_carries_a_secret(): void {
		$actor  = $this->admin_actor();
		$this->injector = static fn( string $q ): string => str_starts_with( $q, 'INSERT INTO ' . Schema::wc_table() ) ? str_replace( 'VALUES', 'VALUES (', $q ) : $q;
		add_filter( 'query', $this->injector );
		$result = $this->service->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 3, 'permissions' => 'read' ), $actor );
		$this->assertInstanceOf( WP_Error::class, $result );
		$this->assertDoesNotMatchRegularExpression( '/cs_[0-9a-f]{6}/', wp_json_encode( array( $result->get_error_message(), $result->get_error_data() ) ) );
	}

	public function test_a_failure_during_bulk_update_changes_nothing(): void {
		$actor   = $this->admin_actor();
		$created = $this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 3, 'permissions' => 'read' ), $actor );
		$ids     = array_column( $created, 'key_id' );
		$before  = $this->counts();

		// The WooCommerce UPDATE succeeds first; the metadata upsert after it fails.
		$this->fail_nth( 'INSERT INTO ' . Schema::meta_table(), 1 );
		$result = $this->service->update( $this->filter( array( 'ids' => $ids ) ), array( 'permissions' => 'read_write', 'expires_at' => '+1 day' ), $actor );
		remove_filter( 'query', $this->injector );

		$this->assertInstanceOf( WP_Error::class, $result );
		foreach ( $ids as $id ) {
			$this->assertSame( 'read', $this->wc_row( $id )['permissions'] );
			$this->assertNull( self::meta_row( $id )['expires_at'] );
		}
		$this->assertSame( $before, $this->counts() );
	}

	public function test_a_failure_during_bulk_revoke_keeps_every_key(): void {
		$actor   = $this->admin_actor();
		$created = $this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 4 ), $actor );
		$before  = $this->counts();

		$this->fail_nth( 'INSERT INTO ' . Schema::audit_table(), 1 ); // After both DELETEs ran.
		$result = $this->service->revoke( $this->filter( array( 'ids' => array_column( $created, 'key_id' ) ) ), $actor );
		remove_filter( 'query', $this->injector );

		$this->assertInstanceOf( WP_Error::class, $result );
		$this->assertSame( $before, $this->counts() );
	}

	private function orphaned_meta(): int {
		global $wpdb;
		return (int) $wpdb->get_var( 'SELECT COUNT(*) FROM ' . Schema::meta_table() . ' m LEFT JOIN ' . Schema::wc_table() . ' k ON k.key_id = m.key_id WHERE k.key_id IS NULL' );
	}
}
