<?php
/**
 * The admin screen's request parsing on real WordPress: list filters (GET) into Store\KeyFilter,
 * the selection that travels from the list to the confirmation to the execution.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Admin;

use Keysmith\Admin\AuditRequest;
use Keysmith\Admin\ListRequest;
use Keysmith\Admin\Selection;
use Keysmith\Store\KeyFilter;
use Keysmith\Tests\Integration\TestCase;
use WP_Error;

final class AdminRequestTest extends TestCase {

	protected function tearDown(): void {
		$_GET = array();
		parent::tearDown();
	}

	public function test_get_filters_become_the_store_filter(): void {
		$_GET = array(
			's'                 => 'nightly',
			'ks_user'           => 'shopmanager@example.test',
			'ks_permissions'    => 'read_write',
			'ks_usage'          => 'unused_since',
			'ks_unused_since'   => '2026-01-31',
			'ks_expiry'         => 'before',
			'ks_expires_before' => '2027-06-01',
			'orderby'           => 'expires',
			'order'             => 'asc',
			'unrelated'         => 'ignored',
		);
		$filter = ListRequest::from_get()->to_filter();
		$this->assertInstanceOf( KeyFilter::class, $filter );
		$this->assertSame( 'nightly', $filter->search );
		$this->assertSame( array( self::user_id( 'shopmanager' ) ), $filter->user_ids );
		$this->assertSame( array( 'read_write' ), $filter->permissions );
		$this->assertSame( '2026-01-31 00:00:00', $filter->unused_since );
		$this->assertSame( '2027-06-01 00:00:00', $filter->expires_before );
		$this->assertSame( 'expires_at', $filter->orderby );
		$this->assertSame( 'ASC', $filter->order );
		$this->assertFalse( $filter->all );
	}

	public function test_dates_of_unselected_modes_are_dropped_and_never_filter(): void {
		$_GET    = array(
			'ks_usage'          => 'never',
			'ks_unused_since'   => '2026-01-31',
			'ks_expiry'         => 'expired',
			'ks_expires_before' => '2027-06-01',
		);
		$request = ListRequest::from_get();
		$this->assertSame( array( 'ks_usage' => 'never', 'ks_expiry' => 'expired' ), $request->query_args() );
		$filter = $request->to_filter();
		$this->assertTrue( $filter->never_used );
		$this->assertTrue( $filter->expired );
		$this->assertNull( $filter->unused_since );
		$this->assertNull( $filter->expires_before );
	}

	public function test_a_date_mode_without_its_date_is_an_error_not_an_unfiltered_list(): void {
		$_GET = array( 'ks_expiry' => 'before' );
		$this->assertInstanceOf( WP_Error::class, ListRequest::from_get()->to_filter() );
	}

	public function test_unknown_user_or_sort_column(): void {
		$_GET = array( 'ks_user' => 'nobody-like-this' );
		$this->assertInstanceOf( WP_Error::class, ListRequest::from_get()->to_filter() );
		$_GET = array( 'orderby' => 'consumer_secret' ); // Not sortable: falls back to the default order.
		$this->assertSame( 'key_id', ListRequest::from_get()->to_filter()->orderby );
	}

	public function test_selection_of_ticked_keys_round_trips_through_hidden_fields(): void {
		$_GET      = array( 's' => 'x' );
		$selection = Selection::from_fields( array( 'keysmith_key' => array( '7', '3', '7', 'junk', '0' ) ), ListRequest::from_get() );
		$this->assertSame( array( 7, 3 ), $selection->ids );
		$fields = $selection->hidden_fields();
		$this->assertSame( array( 's' => 'x', 'ks_ids' => '7,3' ), $fields );
		$again = Selection::from_fields( $fields, ListRequest::from_post( $fields ) );
		$this->assertSame( array( 7, 3 ), $again->ids );
		$this->assertSame( array( 7, 3 ), $again->to_filter()->ids, 'ticked keys: only their ids, not the list filters' );
	}

	public function test_all_matching_selection_carries_the_filters_and_the_explicit_all_flag(): void {
		$_GET      = array( 'ks_permissions' => 'read' );
		$selection = Selection::from_fields( array( 'keysmith_scope' => 'all', 'keysmith_key' => array( '5' ) ), ListRequest::from_get() );
		$this->assertTrue( $selection->all );
		$fields = $selection->hidden_fields();
		$this->assertSame( array( 'ks_permissions' => 'read', 'keysmith_scope' => 'all' ), $fields );
		$filter = Selection::from_fields( $fields, ListRequest::from_post( $fields ) )->to_filter();
		$this->assertSame( array( 'read' ), $filter->permissions );
		$this->assertSame( array(), $filter->ids );
		$this->assertTrue( $filter->all );
	}

	public function test_the_failing_filter_travels_with_all_matching_and_only_1_means_failing(): void {
		$_GET    = array( 's' => 'sync', 'ks_failing' => '1' );
		$request = ListRequest::from_get();
		$this->assertTrue( $request->to_filter()->failing );
		$this->assertTrue( $request->is_filtered() );
		$fields = Selection::from_fields( array( 'keysmith_scope' => 'all' ), $request )->hidden_fields();
		$this->assertSame( array( 's' => 'sync', 'ks_failing' => '1', 'keysmith_scope' => 'all' ), $fields );
		$filter = Selection::from_fields( $fields, ListRequest::from_post( $fields ) )->to_filter();
		$this->assertTrue( $filter->failing );
		$this->assertTrue( $filter->all );
		$this->assertSame( 'sync', $filter->search );
		$this->assertSame( array( 's' => 'sync' ), $request->with_failing( false )->query_args() );

		$_GET = array( 'ks_failing' => 'yes' );
		$this->assertFalse( ListRequest::from_get()->to_filter()->failing );
		$this->assertFalse( ListRequest::from_get()->is_filtered() );
		$this->assertSame( array(), ListRequest::from_get()->query_args() );
	}

	public function test_nothing_selected_is_an_error(): void {
		$this->assertInstanceOf( WP_Error::class, Selection::from_fields( array(), ListRequest::from_post( array() ) ) );
		$this->assertInstanceOf( WP_Error::class, Selection::from_fields( array( 'ks_ids' => '0,,x' ), ListRequest::from_post( array() ) ) );
	}

	public function test_audit_filter_by_actor_0_means_the_system(): void {
		$_GET = array( 'ks_actor' => '0' );
		$this->assertSame( array( 'actor_id' => 0 ), AuditRequest::from_get()->to_query() );
		$_GET = array( 'ks_actor' => 'admin' );
		$this->assertSame( array( 'actor_id' => self::user_id( 'admin' ) ), AuditRequest::from_get()->to_query() );
		$_GET = array( 'ks_actor' => 'ghost' );
		$this->assertInstanceOf( WP_Error::class, AuditRequest::from_get()->to_query() );
	}
}
