<?php
/**
 * List and count with filters, ordering and paging.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Store;

require_once __DIR__ . '/StoreTestCase.php';

use Keysmith\Store\AuditLog;
use Keysmith\Store\KeyFilter;
use Keysmith\Store\KeyRecord;
use Keysmith\Store\Schema;
use WP_Error;

final class QueryTest extends StoreTestCase {

	/** @var array<string, list<array<string, mixed>>> */
	private array $keys = array();
	private int $alice;
	private int $bob;

	protected function setUp(): void {
		parent::setUp();
		global $wpdb;
		$actor       = $this->admin_actor();
		$this->alice = $this->make_user();
		$this->bob   = $this->make_user();
		$this->keys['alice_read']  = $this->create( array( 'user_ids' => array( $this->alice ), 'count' => 3, 'permissions' => 'read', 'description' => 'Alice reporting {n}' ), $actor );
		$this->keys['bob_write']   = $this->create( array( 'user_ids' => array( $this->bob ), 'count' => 2, 'permissions' => 'write', 'description' => 'Bob POS {n}', 'expires_at' => '+2 days' ), $actor );
		$this->keys['bob_rw']      = $this->create( array( 'user_ids' => array( $this->bob ), 'count' => 1, 'permissions' => 'read_write', 'description' => '100%_done' ), $actor );
		// One key WooCommerce made itself: no metadata row.
		$wpdb->insert(
			Schema::wc_table(),
			array( 'user_id' => $this->alice, 'description' => 'made by WooCommerce', 'permissions' => 'read', 'consumer_key' => wc_api_hash( 'ck_' . wc_rand_hash() ), 'consumer_secret' => 'cs_' . wc_rand_hash(), 'truncated_key' => 'abcdefg' )
		);
		$this->keys['wc'] = array( array( 'key_id' => (int) $wpdb->insert_id ) );
		// Usage: one alice key used recently, one long ago (site-local time, as WooCommerce writes it).
		$wpdb->update( Schema::wc_table(), array( 'last_access' => current_time( 'mysql' ) ), array( 'key_id' => $this->keys['alice_read'][0]['key_id'] ) );
		$wpdb->update( Schema::wc_table(), array( 'last_access' => '2020-01-01 00:00:00' ), array( 'key_id' => $this->keys['alice_read'][1]['key_id'] ) );
		// One bob key already expired.
		$wpdb->update( Schema::meta_table(), array( 'expires_at' => gmdate( 'Y-m-d H:i:s', time() - 60 ) ), array( 'key_id' => $this->keys['bob_write'][0]['key_id'] ) );
	}

	/** @param array<string, mixed> $args */
	private function ids( array $args ): array {
		$ids = array_map( static fn( KeyRecord $r ): int => $r->key_id, $this->service->query( $this->filter( $args ), 1, 100 )['items'] );
		sort( $ids );
		return $ids;
	}

	private function ids_of( string ...$groups ): array {
		$ids = array();
		foreach ( $groups as $group ) {
			$ids = array_merge( $ids, array_column( $this->keys[ $group ], 'key_id' ) );
		}
		sort( $ids );
		return $ids;
	}

	public function test_filters(): void {
		$this->assertSame( $this->ids_of( 'alice_read', 'wc' ), $this->ids( array( 'user_ids' => array( $this->alice ) ) ) );
		$this->assertSame( $this->ids_of( 'bob_write', 'bob_rw' ), $this->ids( array( 'permissions' => array( 'write', 'read_write' ) ) ) );
		$this->assertSame( $this->ids_of( 'bob_write' ), $this->ids( array( 'search' => 'bob pos' ) ) );
		$this->assertSame( $this->ids_of( 'bob_rw' ), $this->ids( array( 'search' => '%_' ) ), 'LIKE wildcards in a search are literal' );
		$this->assertSame( array( $this->keys['alice_read'][2]['key_id'] ), $this->ids( array( 'search' => $this->keys['alice_read'][2]['truncated_key'] ) ) );
		$this->assertSame( array( $this->keys['alice_read'][2]['key_id'] ), $this->ids( array( 'search' => $this->keys['alice_read'][2]['consumer_key'] ) ), 'a pasted full key is found by its hash' );
		$this->assertSame( $this->ids_of( 'wc' ), $this->ids( array( 'search' => 'abcdefg' ) ) );

		$never_used = array_diff( $this->ids_of( 'alice_read', 'bob_write', 'bob_rw', 'wc' ), array( $this->keys['alice_read'][0]['key_id'], $this->keys['alice_read'][1]['key_id'] ) );
		$this->assertSame( array_values( $never_used ), $this->ids( array( 'never_used' => true ) ) );
		$unused_since = array_merge( array( $this->keys['alice_read'][1]['key_id'] ), $never_used );
		sort( $unused_since );
		$this->assertSame( $unused_since, $this->ids( array( 'unused_since' => '-7 days' ) ) );

		$this->assertSame( array( $this->keys['bob_write'][0]['key_id'] ), $this->ids( array( 'expired' => true ) ) );
		$this->assertSame( $this->ids_of( 'bob_write' ), $this->ids( array( 'expires_before' => '+3 days' ) ) );
		$this->assertSame( $this->ids_of( 'alice_read', 'bob_write', 'bob_rw' ), $this->ids( array( 'created_after' => '-1 hour' ) ), 'keys without metadata have no known creation date' );
		$this->assertSame( array(), $this->ids( array( 'created_before' => '-1 hour' ) ) );
		$this->assertSame( array( $this->keys['bob_rw'][0]['key_id'] ), $this->ids( array( 'user_ids' => (string) $this->bob, 'permissions' => 'read_write' ) ) );
	}

	public function test_paging_ordering_and_count(): void {
		$filter = $this->filter( array( 'orderby' => 'key_id', 'order' => 'asc' ) );
		$page1  = $this->service->query( $filter, 1, 4 );
		$page2  = $this->service->query( $filter, 2, 4 );
		$this->assertSame( 7, $page1['total'] );
		$this->assertCount( 4, $page1['items'] );
		$this->assertCount( 3, $page2['items'] );
		$all = array_map( static fn( KeyRecord $r ): int => $r->key_id, array_merge( $page1['items'], $page2['items'] ) );
		$this->assertSame( $this->ids_of( 'alice_read', 'bob_write', 'bob_rw', 'wc' ), $all );
		$this->assertSame( 7, $this->service->count( $this->filter( array() ) ) );
		$this->assertSame( 3, $this->service->count( $this->filter( array( 'user_ids' => array( $this->bob ) ) ) ) );

		$by_desc = $this->service->query( $this->filter( array( 'orderby' => 'description', 'order' => 'asc' ) ), 1, 1 )['items'][0];
		$this->assertSame( '100%_done', $by_desc->description );
		$by_expiry = $this->service->query( $this->filter( array( 'orderby' => 'expires_at', 'order' => 'desc' ) ), 1, 2 )['items'];
		$this->assertSame( 'Bob POS 2', $by_expiry[0]->description );
	}

	/**
	 * A page past the end is empty, whatever its number: one whose first row would not fit an
	 * integer (PHP_INT_MAX × per_page) must not wrap round to page 1, nor may page 0. The audit
	 * trail pages by the same rule.
	 */
	public function test_a_page_out_of_range_is_empty_never_page_1(): void {
		foreach ( array( 2, PHP_INT_MAX, intdiv( PHP_INT_MAX, 1000 ) + 2, 0 ) as $page ) {
			$events = AuditLog::query( array(), $page, 1000 );
			$this->assertSame( array( array(), 6 ), array( $events['items'], $events['total'] ), "audit page $page" );
		}
		$this->assertCount( 2, AuditLog::query( array(), 3, 2 )['items'], 'the last page of 6 events, 2 a page' );
		$filter = $this->filter( array() );
		foreach ( array( 3, 1000, PHP_INT_MAX, intdiv( PHP_INT_MAX, 4 ) + 2, 0, -1 ) as $page ) {
			$found = $this->service->query( $filter, $page, 4 );
			$this->assertSame( array( array(), 7 ), array( $found['items'], $found['total'] ), "page $page" );
		}
		$this->assertCount( 3, $this->service->query( $filter, 2, 4 )['items'], 'the last page of 7 keys, 4 a page' );
	}

	public function test_records_carry_metadata_and_never_the_secret(): void {
		$key    = $this->keys['bob_write'][1];
		$record = $this->service->find( $key['key_id'] );
		$this->assertSame( $this->bob, $record->user_id );
		$this->assertSame( 'write', $record->permissions );
		$this->assertSame( $key['expires_at'], $record->expires_at );
		$this->assertNotNull( $record->created_at );
		$this->assertFalse( $record->is_expired() );
		$this->assertStringNotContainsString( $key['consumer_secret'], wp_json_encode( $record->to_array() ) );
		$this->assertArrayNotHasKey( 'consumer_secret', $record->to_array() );

		$wc = $this->service->find( $this->keys['wc'][0]['key_id'] );
		$this->assertNull( $wc->created_at );
		$this->assertNull( $wc->expires_at );
		$this->assertSame( 0, $wc->created_by );
		$this->assertNull( $this->service->find( 999999999 ) );
	}

	/** @return array<string, array{0: array<string, mixed>}> */
	public static function bad_filters(): array {
		return array(
			'bad permission'  => array( array( 'permissions' => 'admin' ) ),
			'bad date'        => array( array( 'unused_since' => 'last week' ) ),
			'bad id'          => array( array( 'ids' => array( 1, -2 ) ) ),
			'bad orderby'     => array( array( 'orderby' => 'consumer_secret' ) ),
			'bad order'       => array( array( 'order' => 'sideways' ) ),
			'bad flag'        => array( array( 'expired' => 'maybe' ) ),
			'unknown filter'  => array( array( 'owner' => 1 ) ),
			'search not text' => array( array( 'search' => array( 'x' ) ) ),
		);
	}

	/**
	 * @dataProvider bad_filters
	 * @param array<string, mixed> $args
	 */
	public function test_bad_filters_are_errors( array $args ): void {
		$filter = KeyFilter::from_array( $args );
		$this->assertInstanceOf( WP_Error::class, $filter );
		$this->assertNotSame( '', $filter->get_error_message() );
	}
}
