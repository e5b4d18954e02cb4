<?php
/**
 * Dry runs of update() and rotate(): every check the real operation makes, the same keys it would
 * change, and not one row written (WooCommerce's table, metadata, audit).
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Store;

require_once __DIR__ . '/StoreTestCase.php';

use Keysmith\Store\Actor;
use Keysmith\Store\BulkResult;
use Keysmith\Store\RotationResult;
use Keysmith\Store\Schema;
use WP_Error;

final class DryRunTest extends StoreTestCase {

	public function test_update_dry_run_lists_the_keys_and_writes_nothing(): void {
		$actor   = $this->admin_actor();
		$created = $this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 3 ), $actor );
		$ids     = array_column( $created, 'key_id' );
		$owner   = $this->make_user( 'customer' );
		$before  = $this->tables();
		$filter  = $this->filter( array( 'ids' => array( $ids[2], $ids[0], 999999 ) ) );
		$changes = array( 'permissions' => 'write', 'user_id' => $owner, 'description' => 'moved', 'expires_at' => '+1 day' );

		$dry = $this->service->update( $filter, $changes, $actor, true );

		$this->assertInstanceOf( BulkResult::class, $dry, $dry instanceof WP_Error ? $dry->get_error_message() : '' );
		$this->assertSame( array( 'update', 3, 2, 0, array( $ids[0], $ids[2] ), array( 999999 ), true ), array( $dry->action, $dry->requested, $dry->matched, $dry->changed, $dry->ids, $dry->failed, $dry->dry_run ) );
		$this->assertSame( $before, $this->tables() );

		$real = $this->service->update( $filter, $changes, $actor );
		$this->assertSame( array( $dry->requested, $dry->matched, $dry->ids, $dry->failed ), array( $real->requested, $real->matched, $real->ids, $real->failed ), 'the dry run predicted the real update' );
	}

	/** @return array<string, array{0: array<string, mixed>, 1: string}> */
	public static function refused_updates(): array {
		return array(
			'unknown owner'   => array( array( 'user_id' => 987654321 ), 'keysmith_unknown_user' ),
			'bad permissions' => array( array( 'permissions' => 'all' ), 'keysmith_invalid_permissions' ),
			'past expiry'     => array( array( 'expires_at' => '2001-01-01' ), 'keysmith_invalid_date' ),
			'bad date'        => array( array( 'expires_at' => 'soon' ), 'keysmith_invalid_date' ),
			'long text'       => array( array( 'description' => str_repeat( 'x', 201 ) ), 'keysmith_description_too_long' ),
			'nothing'         => array( array(), 'keysmith_invalid_changes' ),
		);
	}

	/**
	 * @dataProvider refused_updates
	 * @param array<string, mixed> $changes
	 */
	public function test_update_dry_run_refuses_what_the_update_would_refuse( array $changes, string $code ): void {
		$actor   = $this->admin_actor();
		$created = $this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 2 ), $actor );
		$filter  = $this->filter( array( 'ids' => array_column( $created, 'key_id' ) ) );

		$dry = $this->service->update( $filter, $changes, $actor, true );

		$this->assertInstanceOf( WP_Error::class, $dry );
		$this->assertSame( $code, $dry->get_error_code() );
		$this->assertSame( $code, $this->service->update( $filter, $changes, $actor )->get_error_code() );
	}

	public function test_update_dry_run_applies_woocommerces_owner_rule(): void {
		$manager = $this->make_user( 'shop_manager' );
		$admin   = $this->make_user( 'administrator' );
		wp_set_current_user( $manager );
		$actor   = Actor::current( 'rest' );
		$created = $this->create( array( 'user_ids' => array( $manager ) ), $actor );
		$before  = $this->tables();

		$dry = $this->service->update( $this->filter( array( 'ids' => array( $created[0]['key_id'] ) ) ), array( 'user_id' => $admin ), $actor, true );

		$this->assertInstanceOf( WP_Error::class, $dry );
		$this->assertSame( 'keysmith_cannot_assign', $dry->get_error_code() );
		$this->assertSame( 403, $dry->get_error_data()['status'] );
		$this->assertSame( $before, $this->tables() );
	}

	public function test_rotate_dry_run_lists_only_rotatable_keys_and_writes_nothing(): void {
		global $wpdb;
		$actor   = $this->admin_actor();
		$created = $this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 4, 'expires_at' => '+1 day' ), $actor );
		$ids     = array_column( $created, 'key_id' );
		$this->service->rotate( $this->filter( array( 'ids' => array( $ids[0] ) ) ), $actor, 600 );
		$wpdb->update( Schema::meta_table(), array( 'expires_at' => gmdate( 'Y-m-d H:i:s', time() - 5 ) ), array( 'key_id' => $ids[1] ) );
		$before = $this->tables();
		$filter = $this->filter( array( 'ids' => array_merge( $ids, array( 999999 ) ) ) );

		$dry = $this->service->rotate( $filter, $actor, 3600, dry_run: true );

		$this->assertInstanceOf( RotationResult::class, $dry, $dry instanceof WP_Error ? $dry->get_error_message() : '' );
		$this->assertSame( array(), $dry->keys );
		$dry = $dry->summary;
		$this->assertSame( array( 'rotate', 5, 2, 0, array( $ids[2], $ids[3] ), array( $ids[0], $ids[1], 999999 ), true ), array( $dry->action, $dry->requested, $dry->matched, $dry->changed, $dry->ids, $dry->failed, $dry->dry_run ) );
		$this->assertSame( 'Dry run: 2 keys would be changed.', $dry->message() );
		$this->assertSame( $before, $this->tables() );

		$real = $this->service->rotate( $filter, $actor, 3600 );
		$this->assertSame( $dry->ids, array_column( $real->keys, 'rotated_from' ), 'the dry run predicted the real rotation' );
	}

	public function test_rotate_dry_run_by_filter_counts_the_matching_keys(): void {
		$actor = $this->admin_actor();
		$this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 3, 'permissions' => 'write' ), $actor );
		$this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 2, 'permissions' => 'read' ), $actor );

		$dry = $this->service->rotate( $this->filter( array( 'permissions' => 'write' ) ), $actor, 0, dry_run: true )->summary;

		$this->assertSame( array( 3, 3, array() ), array( $dry->requested, $dry->matched, $dry->failed ) );
		$this->assertSame( 5, $this->counts()['wc'] );
	}

	public function test_rotate_dry_run_refuses_what_the_rotation_would_refuse(): void {
		$manager = $this->make_user( 'shop_manager' );
		$admin   = $this->make_user( 'administrator' );
		wp_set_current_user( $admin );
		$keys = $this->create( array( 'user_ids' => array( $admin, $manager ) ), Actor::current( 'rest' ) );
		wp_set_current_user( $manager );
		$actor  = Actor::current( 'rest' );
		$filter = $this->filter( array( 'ids' => array_column( $keys, 'key_id' ) ) );
		$before = $this->tables();

		$refused = $this->service->rotate( $filter, $actor, 60, dry_run: true );
		$this->assertSame( 'keysmith_cannot_assign', $refused->get_error_code(), 'a shop manager cannot give the administrator a new key' );
		$this->assertSame( 'keysmith_invalid_grace', $this->service->rotate( $filter, $actor, -1, dry_run: true )->get_error_code() );
		$this->assertSame( 'keysmith_empty_filter', $this->service->rotate( $this->filter( array() ), $actor, 60, dry_run: true )->get_error_code() );
		$this->assertSame( $before, $this->tables() );

		$own = $this->service->rotate( $this->filter( array( 'ids' => array( $keys[1]['key_id'] ) ) ), $actor, 60, dry_run: true );
		$this->assertSame( array( $keys[1]['key_id'] ), $own->summary->ids, 'their own key is fine' );
	}

	public function test_a_database_failure_in_a_dry_run_is_an_error_not_zero_keys(): void {
		$actor   = $this->admin_actor();
		$created = $this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 2 ), $actor );
		$filter  = $this->filter( array( 'ids' => array_column( $created, 'key_id' ) ) );
		$break   = static fn( string $q ): string => str_starts_with( $q, 'SELECT k.key_id' ) || str_starts_with( $q, 'SELECT ' . \Keysmith\Store\KeyQuery::COLUMNS ) ? 'SELECT * FROM keysmith_no_such_table_for_fault_injection' : $q;
		add_filter( 'query', $break );
		try {
			$results = array(
				$this->service->revoke( $filter, $actor, true ),
				$this->service->update( $filter, array( 'permissions' => 'write' ), $actor, true ),
				$this->service->rotate( $filter, $actor, 60, dry_run: true ),
			);
		} finally {
			remove_filter( 'query', $break );
		}
		foreach ( $results as $result ) {
			$this->assertInstanceOf( WP_Error::class, $result );
			$this->assertSame( 'keysmith_db_error', $result->get_error_code() );
		}
	}

	/** Every row of the three tables a write could touch. */
	private function tables(): string {
		global $wpdb;
		$rows = array();
		foreach ( array( Schema::wc_table(), Schema::meta_table(), Schema::audit_table() ) as $table ) {
			$rows[ $table ] = $wpdb->get_results( "SELECT * FROM $table ORDER BY 1", ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL -- table names from Schema.
		}
		return md5( serialize( $rows ) );
	}
}
