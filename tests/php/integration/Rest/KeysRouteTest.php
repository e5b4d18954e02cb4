<?php
/**
 * GET|POST /keys and GET|PATCH|DELETE /keys/<id> over real HTTP.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Rest;

final class KeysRouteTest extends RestTestCase {

	public function test_bulk_create_answers_201_with_the_secrets_once_never_cached(): void {
		$manager  = self::user_id( 'shopmanager' );
		$response = $this->api( 'POST', '/keys', array( 'owner' => array( $manager ), 'count' => 3, 'permissions' => 'read_write', 'description' => 'erp {n}', 'expires_at' => '2099-01-01' ) );

		self::assertStatus( 201, $response );
		self::assertStringContainsString( 'no-store', self::header( $response, 'Cache-Control' ) );
		self::assertCount( 3, $response['json'] );
		foreach ( $response['json'] as $i => $key ) {
			$row = self::wc_key_row( $key['key_id'] );
			self::assertSame( hash_hmac( 'sha256', $key['consumer_key'], 'wc-api' ), $row['consumer_key'] );
			self::assertSame( $key['consumer_secret'], $row['consumer_secret'] );
			self::assertSame( array( $manager, 'erp ' . ( $i + 1 ), 'read_write', '2099-01-01T00:00:00Z' ), array( $key['user_id'], $key['description'], $key['permissions'], $key['expires_at'] ) );
		}

		$id = $response['json'][0]['key_id'];
		foreach ( array( "/keys/$id", "/keys/$id?context=edit", '/keys', '/keys?context=edit' ) as $path ) {
			$read = $this->api( 'GET', $path );
			self::assertStatus( 200, $read );
			self::assertDoesNotMatchRegularExpression( '/c[sk]_[0-9a-f]{40}/', $read['body'], "$path never shows a secret again" );
		}
	}

	public function test_list_filters_and_paging_headers(): void {
		$admin   = self::user_id( 'admin' );
		$nightly = array_column( $this->create_keys( array( 'owner' => array( $admin ), 'count' => 5, 'description' => 'nightly {n}' ) ), 'key_id' );
		$erp     = array_column( $this->create_keys( array( 'owner' => array( self::user_id( 'shopmanager' ) ), 'count' => 2, 'permissions' => 'read_write' ) ), 'key_id' );
		$wc      = $this->create_wc_key( self::user_id( 'customer' ), 'write' )['key_id'];
		$ids     = fn( string $query ): array => array_column( $this->api( 'GET', '/keys?' . $query )['json'], 'key_id' );

		$page = $this->api( 'GET', '/keys?per_page=3&page=2&order=asc' );
		self::assertStatus( 200, $page );
		self::assertSame( '8', self::header( $page, 'X-WP-Total' ) );
		self::assertSame( '3', self::header( $page, 'X-WP-TotalPages' ) );
		self::assertSame( array( $nightly[3], $nightly[4], $erp[0] ), array_column( $page['json'], 'key_id' ) );
		self::assertMatchesRegularExpression( '/<[^>]*page=1[^>]*>; rel="prev"/', self::header( $page, 'Link' ) );
		self::assertMatchesRegularExpression( '/<[^>]*page=3[^>]*>; rel="next"/', self::header( $page, 'Link' ) );

		self::assertSame( array( $wc, $erp[1], $erp[0], $nightly[4] ), $ids( 'per_page=4' ), 'newest first by default' );
		self::assertSame( $erp, $ids( 'order=asc&owner=' . self::user_id( 'shopmanager' ) ) );
		self::assertSame( array( $erp[0], $erp[1], $wc ), $ids( 'order=asc&permissions=read_write,write' ) );
		self::assertSame( array( $nightly[2] ), $ids( 'search=nightly+3' ) );
		self::assertCount( 8, $ids( 'never_used=true&per_page=100' ) );
		self::assertSame( array(), $ids( 'expired=true' ) );
		self::force_expiry( $nightly[1], '2020-02-02 02:02:02' );
		self::assertSame( array( $nightly[1] ), $ids( 'expired=1' ) );
		self::assertSame( array( $nightly[1] ), $ids( 'expires_before=2021-01-01' ) );
		self::assertSame( $erp, $ids( 'order=asc&orderby=description&per_page=2' ), '"Keysmith …" sorts before "nightly …"' );

		foreach ( array( '/keys?page=9', '/keys?page=9223372036854775807&per_page=100' ) as $path ) {
			$beyond = $this->api( 'GET', $path );
			self::assertStatus( 400, $beyond );
			self::assertSame( 'keysmith_rest_invalid_page_number', $beyond['json']['code'], $path );
		}
		self::assertSame( array(), $this->api( 'GET', '/keys?search=nothing+like+this&page=2' )['json'] );
	}

	public function test_get_patch_and_delete_one_key(): void {
		$key = $this->create_keys( array( 'owner' => array( self::user_id( 'admin' ) ), 'description' => 'one' ) )[0];
		$id  = $key['key_id'];

		$read = $this->api( 'GET', "/keys/$id" );
		self::assertStatus( 200, $read );
		self::assertSame( array( $id, 'one', 'read', substr( $key['consumer_key'], -7 ), null, null ), array( $read['json']['key_id'], $read['json']['description'], $read['json']['permissions'], $read['json']['truncated_key'], $read['json']['last_access'], $read['json']['expires_at'] ) );
		self::assertStringEndsWith( "/wp-json/keysmith/v1/keys/$id", $read['json']['_links']['self'][0]['href'] );

		$patched = $this->api( 'PATCH', "/keys/$id", array( 'permissions' => 'write', 'description' => 'renamed', 'expires_at' => '2098-07-08T09:10:11Z' ) );
		self::assertStatus( 200, $patched );
		self::assertSame( array( 'write', 'renamed', '2098-07-08T09:10:11Z' ), array( $patched['json']['permissions'], $patched['json']['description'], $patched['json']['expires_at'] ) );
		self::assertSame( array( 'write', 'renamed' ), array( self::wc_key_row( $id )['permissions'], self::wc_key_row( $id )['description'] ) );

		$cleared = $this->api( 'PATCH', "/keys/$id", array( 'expires_at' => null ) );
		self::assertStatus( 200, $cleared );
		self::assertNull( $cleared['json']['expires_at'] );

		$deleted = $this->api( 'DELETE', "/keys/$id?_fields=deleted,previous.description" );
		self::assertStatus( 200, $deleted );
		self::assertSame( array( 'deleted' => true, 'previous' => array( 'description' => 'renamed' ) ), $deleted['json'] );
		self::assertNull( self::wc_key_row( $id ) );

		foreach ( array( 'GET', 'DELETE' ) as $method ) {
			$gone = $this->api( $method, "/keys/$id" );
			self::assertStatus( 404, $gone );
			self::assertSame( 'keysmith_rest_key_invalid_id', $gone['json']['code'] );
		}
		self::assertStatus( 404, $this->api( 'PATCH', "/keys/$id", array( 'permissions' => 'read' ) ) );
	}

	/**
	 * `_fields` as WordPress core's controllers read it: `_links` only when asked for (core adds
	 * links only if rest_is_field_included( '_links', … )).
	 */
	public function test_fields_leave_out_links_unless_asked_for(): void {
		$id = $this->create_keys( array( 'owner' => array( self::user_id( 'admin' ) ), 'description' => 'one' ) )[0]['key_id'];

		self::assertSame( array( 'key_id' => $id, 'description' => 'one' ), $this->api( 'GET', "/keys/$id?_fields=key_id,description" )['json'] );
		self::assertSame( array( array( 'key_id' => $id ) ), $this->api( 'GET', '/keys?_fields=key_id' )['json'] );
		self::assertSame( array( 'key_id' ), array_keys( $this->api( 'GET', '/audit?_fields=key_id' )['json'][0] ) );

		$with_links = $this->api( 'GET', "/keys/$id?_fields=key_id,_links" )['json'];
		self::assertSame( array( 'key_id', '_links' ), array_keys( $with_links ) );
		self::assertStringEndsWith( "/wp-json/keysmith/v1/keys/$id", $with_links['_links']['self'][0]['href'] );
		self::assertArrayHasKey( '_links', $this->api( 'GET', "/keys/$id" )['json'], 'without _fields, links as before' );
		self::assertArrayHasKey( '_links', $this->api( 'GET', '/audit' )['json'][0] );
	}

	public function test_bad_arguments_answer_400_with_field_details_and_change_nothing(): void {
		$id     = $this->create_keys( array( 'owner' => array( self::user_id( 'admin' ) ) ) )[0]['key_id'];
		$admin  = self::user_id( 'admin' );
		$before = self::snapshot();

		$missing = $this->api( 'POST', '/keys', array( 'count' => 2 ) );
		self::assertStatus( 400, $missing );
		self::assertSame( 'rest_missing_callback_param', $missing['json']['code'] );

		$both = $this->api( 'POST', '/keys', array( 'owner' => array( $admin ), 'count' => 0, 'permissions' => 'admin' ) );
		self::assertInvalidParam( 'count', $both, 'rest_out_of_bounds' );
		self::assertInvalidParam( 'permissions', $both, 'rest_not_in_enum' );

		self::assertInvalidParam( 'expires_at', $this->api( 'POST', '/keys', array( 'owner' => array( $admin ), 'expires_at' => 'tomorrow' ) ), 'keysmith_invalid_date' );
		self::assertInvalidParam( 'expires_at', $this->api( 'POST', '/keys', array( 'owner' => array( $admin ), 'expires_at' => '2001-01-01' ) ), 'keysmith_invalid_date' );
		self::assertInvalidParam( 'owner', $this->api( 'POST', '/keys', array( 'owner' => array( $admin, 987654 ) ) ) );
		self::assertInvalidParam( 'owner', $this->api( 'POST', '/keys', array( 'owner' => array( 'admin' ) ) ) );
		self::assertInvalidParam( 'description', $this->api( 'POST', '/keys', array( 'owner' => array( $admin ), 'description' => str_repeat( 'd', 250 ) ) ), 'keysmith_description_too_long' );
		self::assertInvalidParam( 'count', $this->api( 'POST', '/keys', array( 'owner' => array( $admin, self::user_id( 'customer' ) ), 'count' => 6000 ) ) );
		self::assertInvalidParam( 'description', $this->api( 'PATCH', "/keys/$id", array( 'description' => '' ) ) );
		self::assertInvalidParam( 'permissions', $this->api( 'PATCH', "/keys/$id", array( 'permissions' => 'root' ) ) );
		self::assertInvalidParam( 'permissions', $this->api( 'PATCH', "/keys/$id", array() ), 'keysmith_invalid_changes' );
		self::assertInvalidParam( 'per_page', $this->api( 'GET', '/keys?per_page=500' ) );
		self::assertInvalidParam( 'unused_since', $this->api( 'GET', '/keys?unused_since=last+week' ), 'keysmith_invalid_date' );
		self::assertInvalidParam( 'orderby', $this->api( 'GET', '/keys?orderby=consumer_secret' ) );

		self::assertSame( $before, self::snapshot() );
	}

	public function test_keys_show_where_they_were_made_and_filter_by_it(): void {
		global $wpdb;
		$made = $this->create_keys( array( 'owner' => array( self::user_id( 'admin' ) ), 'count' => 1 ) )[0]['key_id'];
		$app  = $this->create_wc_key( self::user_id( 'admin' ), 'read', 'Zapier - API (2026-01-01 00:00:00)' )['key_id'];
		$wpdb->insert( $wpdb->prefix . 'keysmith_key_meta', array( 'key_id' => $app, 'source' => 'wc-auth', 'app_name' => 'Zapier' ) );
		$sql = $this->create_wc_key( self::user_id( 'admin' ) )['key_id'];

		$keys = array_column( $this->api( 'GET', '/keys?order=asc' )['json'], null, 'key_id' );
		self::assertSame( array( 'keysmith', null ), array( $keys[ $made ]['source'], $keys[ $made ]['app_name'] ) );
		self::assertSame( array( 'wc-auth', 'Zapier' ), array( $keys[ $app ]['source'], $keys[ $app ]['app_name'] ) );
		self::assertSame( array( 'unknown', null ), array( $keys[ $sql ]['source'], $keys[ $sql ]['app_name'] ) );
		self::assertSame( 'wc-auth', $this->api( 'GET', "/keys/$app" )['json']['source'] );

		self::assertSame( array( $app, $sql ), array_column( $this->api( 'GET', '/keys?order=asc&source=wc-auth,unknown' )['json'], 'key_id' ) );
		self::assertInvalidParam( 'source', $this->api( 'GET', '/keys?source=elsewhere' ) );
		$dry = $this->api( 'POST', '/keys/batch', array( 'action' => 'revoke', 'filter' => array( 'source' => array( 'unknown' ) ), 'dry_run' => true ) );
		self::assertSame( array( $sql ), $dry['json']['ids'], 'batch filters accept it too' );
	}

	public function test_failing_keys_show_their_refusals_and_filter_by_them(): void {
		$failing = $this->create_keys( array( 'owner' => array( self::user_id( 'admin' ) ), 'count' => 1 ) )[0];
		$quiet   = $this->create_keys( array( 'owner' => array( self::user_id( 'admin' ) ), 'count' => 1 ) )[0]['key_id'];
		self::refuse_requests( $failing['consumer_key'], 3 );

		$listed = $this->api( 'GET', '/keys?failing=true' );
		self::assertStatus( 200, $listed );
		self::assertSame( array( $failing['key_id'] ), array_column( $listed['json'], 'key_id' ) );
		$key = $listed['json'][0];
		self::assertSame( 3, $key['failures_24h'] );
		self::assertSame( 'Invalid signature - provided signature does not match.', $key['last_failure_reason'] );
		self::assertMatchesRegularExpression( '/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/', $key['last_failure'] );
		self::assertEqualsWithDelta( time(), strtotime( $key['last_failure'] ), 10 );
		self::assertArrayNotHasKey( 'last_failure_ip', $key, 'the address only in the edit context, as last_ip' );
		self::assertSame( '127.0.0.1', $this->api( 'GET', "/keys/{$failing['key_id']}?context=edit" )['json']['last_failure_ip'] );

		$calm = $this->api( 'GET', "/keys/$quiet" )['json'];
		self::assertSame( array( 0, null, null ), array( $calm['failures_24h'], $calm['last_failure'], $calm['last_failure_reason'] ) );
		self::assertSame( array( $quiet ), array_column( $this->api( 'GET', '/keys?failing=false&per_page=1' )['json'], 'key_id' ), 'false filters nothing' );
		self::assertInvalidParam( 'failing', $this->api( 'GET', '/keys?failing=often' ) );
		$dry = $this->api( 'POST', '/keys/batch', array( 'action' => 'revoke', 'filter' => array( 'failing' => true ), 'dry_run' => true ) );
		self::assertSame( array( $failing['key_id'] ), $dry['json']['ids'], 'batch filters accept it too' );
	}

	public function test_the_key_lifetime_policy_applies_and_refuses_with_400(): void {
		( new \Keysmith\Store\KeyPolicy( 7 * DAY_IN_SECONDS, 30 * DAY_IN_SECONDS ) )->save();
		try {
			$owner   = array( self::user_id( 'admin' ) );
			$created = $this->api( 'POST', '/keys', array( 'owner' => $owner ) );
			self::assertStatus( 201, $created );
			self::assertEqualsWithDelta( time() + 7 * DAY_IN_SECONDS, strtotime( $created['json'][0]['expires_at'] ), 10, 'no expires_at: the default' );

			$before = self::snapshot();
			foreach ( array( '+31 days', null ) as $asked ) {
				$refused = $this->api( 'POST', '/keys', array( 'owner' => $owner, 'expires_at' => $asked ) );
				self::assertInvalidParam( 'expires_at', $refused, 'keysmith_expiry_over_policy' );
				self::assertStringStartsWith( 'The key-lifetime policy lets keys live at most 30 days', $refused['json']['data']['params']['expires_at'] );
			}
			$id = $created['json'][0]['key_id'];
			self::assertInvalidParam( 'expires_at', $this->api( 'PATCH', "/keys/$id", array( 'expires_at' => null ) ), 'keysmith_expiry_over_policy' );
			self::assertSame( $before, self::snapshot() );
			self::assertStatus( 201, $this->api( 'POST', '/keys', array( 'owner' => $owner, 'expires_at' => '+30 days' ) ) );
		} finally {
			delete_option( \Keysmith\Store\KeyPolicy::OPTION );
		}
	}
}
