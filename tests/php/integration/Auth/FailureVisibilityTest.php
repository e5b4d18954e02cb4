<?php
/**
 * What admins learn of failing clients, over real HTTP (Store\KeyFailures, Store\EndedKeys): per
 * key, the failures of the last 24 hours with the last one's time, reason and address; keys that
 * were revoked or expired but are still being tried (a forgotten integration), counted against
 * that key and throttled like it; addresses trying keys nobody knows. No credential is kept.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Auth;

use Keysmith\Store\Actor;
use Keysmith\Store\EndedKeys;
use Keysmith\Store\KeyFailures;
use Keysmith\Store\KeyFilter;
use Keysmith\Store\KeyService;
use Keysmith\Store\Schema;

final class FailureVisibilityTest extends AuthTestCase {

	private const ROUTE = '/wp-json/wc/v3/keysmith-test';

	private function oauth_http( array $key, string $secret = '' ): array {
		$url    = self::site_url( 'http' ) . self::ROUTE;
		$params = self::oauth_params( 'GET', $url, $key['ck'], '' !== $secret ? $secret : $key['cs'] );
		return self::http( 'GET', $url . '?' . http_build_query( $params, '', '&', PHP_QUERY_RFC3986 ) );
	}

	public function test_a_burst_of_failures_shows_per_key(): void {
		global $wpdb;
		$key   = $this->make_key( $this->make_user() );
		$other = $this->make_key( $this->make_user() );
		for ( $i = 0; $i < 5; $i++ ) {
			$this->assertSame( 401, $this->oauth_http( $key, 'cs_wrong' )['status'] );
		}
		$this->assertSame( 200, $this->oauth_http( $other )['status'] );

		$figures = KeyFailures::for_keys( array( $key['id'], $other['id'] ) );
		$this->assertSame( array( $key['id'] ), array_keys( $figures ), 'only keys that failed' );
		$this->assertSame( 5, $figures[ $key['id'] ]['failures_24h'] );
		$this->assertSame( '127.0.0.1', $figures[ $key['id'] ]['last_failure_ip'] );
		$this->assertSame( 'Invalid signature - provided signature does not match.', $figures[ $key['id'] ]['last_reason'] );
		$this->assertEqualsWithDelta( time(), strtotime( $figures[ $key['id'] ]['last_failure'] . ' UTC' ), 5 );

		// A window that started more than 24 hours ago counts while its last failure is recent...
		$wpdb->query( $wpdb->prepare( 'UPDATE ' . Schema::failure_table() . ' SET day_start = day_start - 90000 WHERE key_id = %d', $key['id'] ) );
		$this->assertSame( 5, KeyFailures::for_keys( array( $key['id'] ) )[ $key['id'] ]['failures_24h'], 'refused a moment ago: counted' );
		// ...and no longer once that failure is more than 24 hours old.
		$wpdb->query( $wpdb->prepare( 'UPDATE ' . Schema::failure_table() . ' SET last_failure_at = last_failure_at - 86401 WHERE key_id = %d', $key['id'] ) );
		$this->assertSame( array(), KeyFailures::for_keys( array( $key['id'] ) ) );
		$this->assertSame( 0, ( new KeyService() )->count( KeyFilter::from_array( array( 'failing' => true, 'ids' => array( $key['id'] ) ) ) ), 'the failing filter agrees' );

		$secrets = $wpdb->get_col( 'SELECT CONCAT_WS(" ", address, last_reason) FROM ' . Schema::failure_table() );
		foreach ( $secrets as $stored ) {
			$this->assertStringNotContainsString( 'cs_', $stored, 'no secret is stored' );
		}
	}

	public function test_revoked_and_expired_keys_still_in_use_are_reported_as_such(): void {
		$this->act_as( 'admin' );
		$service = new KeyService();
		$owner   = $this->make_user();
		$made    = $service->create( array( 'user_ids' => array( $owner ), 'count' => 2, 'permissions' => 'read_write' ), Actor::current( 'cli' ) );
		$this->assertIsArray( $made );
		list( $revoked, $expiring ) = array_map( static fn( array $k ): array => array( 'id' => $k['key_id'], 'ck' => $k['consumer_key'], 'cs' => $k['consumer_secret'] ), $made );
		$filter = KeyFilter::by_ids( array( $revoked['id'] ) );
		$this->assertInstanceOf( \Keysmith\Store\BulkResult::class, $service->revoke( $filter, Actor::current( 'cli' ) ) );
		global $wpdb;
		$wpdb->insert( Schema::meta_table(), array( 'key_id' => $expiring['id'], 'expires_at' => gmdate( 'Y-m-d H:i:s', time() - 5 ) ) );
		$wpdb->update( Schema::meta_table(), array( 'expires_at' => gmdate( 'Y-m-d H:i:s', time() - 5 ) ), array( 'key_id' => $expiring['id'] ) );
		$this->assertSame( 1, $service->revoke_expired() );
		$this->act_as( 0 );

		$this->assertSame( 'revoke', EndedKeys::find( hash_hmac( 'sha256', $revoked['ck'], 'wc-api' ) )['ended_by'] );
		$this->assertSame( 'expire', EndedKeys::find( hash_hmac( 'sha256', $expiring['ck'], 'wc-api' ) )['ended_by'] );
		for ( $i = 0; $i < 3; $i++ ) {
			$this->assertSame( 'Consumer key is invalid.', $this->oauth_http( $revoked )['json']['message'], 'the answer stays WooCommerce\'s' );
		}
		$this->assertSame( 'Consumer key is invalid.', $this->oauth_http( $expiring )['json']['message'] );
		$stranger = array( 'ck' => 'ck_' . bin2hex( random_bytes( 20 ) ), 'cs' => 'cs_x' );
		$this->oauth_http( $stranger );

		$in_use = array_column( KeyFailures::ended_keys_in_use(), null, 'key_id' );
		$this->assertSame( array( $revoked['id'], $expiring['id'] ), array_keys( $in_use ), 'most tried first' );
		$this->assertSame( array( 3, 'revoke', '127.0.0.1' ), array( $in_use[ $revoked['id'] ]['failures_24h'], $in_use[ $revoked['id'] ]['ended_by'], $in_use[ $revoked['id'] ]['last_failure_ip'] ) );
		$this->assertSame( substr( $revoked['ck'], -7 ), $in_use[ $revoked['id'] ]['truncated_key'] );
		$this->assertStringContainsString( 'is still in use: it ended (expire)', KeyFailures::for_keys( array( $expiring['id'] ) )[ $expiring['id'] ]['last_reason'] );
		$this->assertSame( array( array( '127.0.0.1', 1 ) ), array_map( static fn( array $r ): array => array( $r['address'], $r['failures_24h'] ), KeyFailures::unknown_keys_by_address() ), 'the stranger counts as unknown' );

		// Throttled like the key it was.
		self::set_throttle( array( 'max_failures' => 3 ) );
		$this->assertSame( 429, $this->oauth_http( $revoked )['status'] );
		$this->assertSame( 401, $this->oauth_http( $expiring )['status'], 'another ended key has its own count' );

		// Remembered for 90 days.
		$wpdb->query( $wpdb->prepare( 'UPDATE ' . Schema::ended_table() . ' SET ended_at = %s WHERE key_id = %d', gmdate( 'Y-m-d H:i:s', time() - 91 * DAY_IN_SECONDS ), $revoked['id'] ) );
		$this->assertSame( 1, EndedKeys::prune() );
		$this->assertNull( EndedKeys::find( hash_hmac( 'sha256', $revoked['ck'], 'wc-api' ) ) );
	}
}
