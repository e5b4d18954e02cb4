<?php
/**
 * GET /audit over real HTTP: what REST requests recorded, filters and paging.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Rest;

final class AuditRouteTest extends RestTestCase {

	public function test_events_of_rest_requests_newest_first_with_filters_and_paging(): void {
		$admin   = self::user_id( 'admin' );
		$manager = self::user_id( 'shopmanager' );
		$ids     = array_column( $this->create_keys( array( 'owner' => array( $manager ), 'count' => 2 ) ), 'key_id' );
		self::assertStatus( 200, $this->api( 'DELETE', '/keys/' . $ids[0] ) );

		$all = $this->api( 'GET', '/audit' );
		self::assertStatus( 200, $all );
		self::assertSame( array( 'revoke', 'create', 'create' ), array_column( $all['json'], 'action' ) );
		self::assertSame( array( 'rest', 'rest', 'rest' ), array_column( $all['json'], 'source' ) );
		self::assertSame( array( $admin, $admin, $admin ), array_column( $all['json'], 'actor_id' ) );
		self::assertSame( $manager, $all['json'][0]['key_owner'] );
		self::assertMatchesRegularExpression( '/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/', $all['json'][0]['occurred_at'] );

		$one = $this->api( 'GET', '/audit?key=' . $ids[0] );
		self::assertSame( array( 'revoke', 'create' ), array_column( $one['json'], 'action' ) );
		self::assertCount( 2, $this->api( 'GET', '/audit?action=create&owner=' . $manager . '&actor=' . $admin . '&source=rest' )['json'] );
		self::assertCount( 0, $this->api( 'GET', '/audit?source=cli' )['json'] );
		self::assertCount( 3, $this->api( 'GET', '/audit?since=-1+hour' )['json'] );
		self::assertCount( 0, $this->api( 'GET', '/audit?until=-1+hour' )['json'] );

		$page = $this->api( 'GET', '/audit?per_page=1&page=3' );
		self::assertSame( array( '3', '3' ), array( self::header( $page, 'X-WP-Total' ), self::header( $page, 'X-WP-TotalPages' ) ) );
		self::assertSame( 'create', $page['json'][0]['action'] );

		// Past the last page: 400, as GET /keys and WordPress core's collections answer; a page
		// number whose offset overflows is past the last page too, never page 1.
		foreach ( array( '/audit?per_page=1&page=4', '/audit?page=2', '/audit?page=9223372036854775807' ) as $path ) {
			$beyond = $this->api( 'GET', $path );
			self::assertStatus( 400, $beyond );
			self::assertSame( 'keysmith_rest_invalid_page_number', $beyond['json']['code'], $path );
		}
		$empty = $this->api( 'GET', '/audit?source=cli&page=2' );
		self::assertSame( array( 200, array(), '0' ), array( $empty['status'], $empty['json'], self::header( $empty, 'X-WP-Total' ) ), 'nothing to page through: an empty page, as core answers' );

		self::assertInvalidParam( 'actor', $this->api( 'GET', '/audit?actor=-1' ) );
		self::assertInvalidParam( 'since', $this->api( 'GET', '/audit?since=yesterday' ), 'keysmith_invalid_date' );
		self::assertInvalidParam( 'source', $this->api( 'GET', '/audit?source=ftp' ) );
		self::assertInvalidParam( 'key', $this->api( 'GET', '/audit?key=abc' ) );
	}

	/** Events of the system (cron expiry, user deletion, WP-CLI without --user) have actor 0. */
	public function test_events_without_a_user_are_found_with_actor_0(): void {
		$service = new \Keysmith\Store\KeyService();
		$this->assertIsArray( $service->create( array( 'user_ids' => array( self::user_id( 'admin' ) ), 'count' => 1, 'permissions' => 'read', 'description' => 'by cron' ), \Keysmith\Store\Actor::system() ) );
		$this->create_keys( array( 'owner' => array( self::user_id( 'admin' ) ) ) );

		$system = $this->api( 'GET', '/audit?actor=0' );
		self::assertStatus( 200, $system );
		self::assertSame( array( 0 ), array_column( $system['json'], 'actor_id' ) );
		self::assertSame( array( 'cron' ), array_column( $system['json'], 'source' ) );
	}
}
