<?php
/**
 * Clients that keep failing are slowed down (Auth\Throttle), over real HTTP on the served harness:
 * the limit per (address, key), 429 with Retry-After and WooCommerce-style JSON, the window, a
 * valid key from the same address unaffected, unknown keys counted per address as a whole,
 * counting shared by the two PHP-FPM servers, no write while throttled, reset; in process: the
 * client address filter and IPv6 /64 counting.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Auth;

use Keysmith\Auth\Throttle;
use Keysmith\Store\KeyFailures;
use Keysmith\Store\Schema;

final class ThrottleTest extends AuthTestCase {

	private const ROUTE = '/wp-json/wc/v3/keysmith-test';

	protected function setUp(): void {
		parent::setUp();
		self::set_throttle(
			array(
				'max_failures' => 3,
				'max_unknown'  => 4,
				'window'       => 120,
			)
		);
	}

	private static function basic( array $key, string $secret, string $site = 'tls' ): array {
		return self::http( 'GET', self::ROUTE, array( 'site' => $site, 'headers' => array( 'Authorization' => 'Basic ' . base64_encode( $key['ck'] . ':' . $secret ) ) ) );
	}

	private function oauth_http( array $key, string $site = 'http' ): array {
		$url = self::site_url( $site ) . self::ROUTE;
		return self::http( 'GET', $url . '?' . http_build_query( self::oauth_params( 'GET', $url, $key['ck'], $key['cs'] ), '', '&', PHP_QUERY_RFC3986 ) );
	}

	/** @return array<string, int> Sum of counters per key id. */
	private static function counted(): array {
		global $wpdb;
		$counted = array();
		foreach ( $wpdb->get_results( 'SELECT key_id, SUM(window_failures) AS n FROM ' . Schema::failure_table() . ' GROUP BY key_id' ) as $row ) {
			$counted[ (int) $row->key_id ] = (int) $row->n;
		}
		return $counted;
	}

	public function test_a_client_that_keeps_failing_gets_429_until_the_window_ends(): void {
		global $wpdb;
		$owner   = $this->make_user();
		$key     = $this->make_key( $owner );
		$another = $this->make_key( $owner );
		for ( $i = 1; $i <= 3; $i++ ) {
			$this->assertSame( 401, self::basic( $key, 'cs_wrong' )['status'], "failure $i is answered normally" );
		}
		$throttled = self::basic( $key, 'cs_wrong' );
		$this->assertSame( 429, $throttled['status'] );
		$this->assertSame( 'keysmith_rest_too_many_failures', $throttled['json']['code'] );
		$this->assertSame( 429, $throttled['json']['data']['status'] );
		$retry = (int) ( $throttled['headers']['retry-after'] ?? 0 );
		$this->assertGreaterThan( 100, $retry );
		$this->assertLessThanOrEqual( 120, $retry );
		$this->assertSame( $retry, $throttled['json']['data']['retry_after'] );
		$this->assertSame( 429, self::basic( $key, $key['cs'] )['status'], 'the right secret waits too: the key is throttled for this client' );
		$this->assertSame( 429, $this->oauth_http( $key )['status'], 'whatever the method' );

		$this->assertSame( 200, self::basic( $another, $another['cs'] )['status'], 'another key from the same address is not affected' );
		$this->assertSame( array( $key['id'] => 3 ), self::counted(), 'nothing counted while throttled' );

		// The window (which began at the first failure) ends; with a persistent object cache, the
		// block's entry there expires with it.
		$wpdb->query( $wpdb->prepare( 'UPDATE ' . Schema::failure_table() . ' SET window_start = window_start - 121 WHERE key_id = %d', $key['id'] ) );
		wp_cache_flush(); // Time did not really pass: what the cache knows of the block goes too.
		$this->assertSame( 200, self::basic( $key, $key['cs'] )['status'] );
		$this->assertSame( 401, self::basic( $key, 'cs_wrong' )['status'] );
		$this->assertSame( array( $key['id'] => 1 ), self::counted(), 'a new window' );
	}

	public function test_unknown_keys_are_counted_per_address_and_a_valid_key_still_works(): void {
		$valid = $this->make_key( $this->make_user() );
		for ( $i = 0; $i < 4; $i++ ) {
			$stranger = array( 'ck' => 'ck_' . bin2hex( random_bytes( 20 ) ), 'cs' => 'cs_x' );
			$this->assertSame( 'Consumer key is invalid.', $this->oauth_http( $stranger )['json']['message'] );
		}
		$stranger = array( 'ck' => 'ck_' . bin2hex( random_bytes( 20 ) ), 'cs' => 'cs_x' );
		$this->assertSame( 429, $this->oauth_http( $stranger )['status'], 'a fifth unknown key' );
		$this->assertSame( 429, self::basic( $stranger, 'cs_x' )['status'], 'Basic with an unknown ck_ key too' );
		$this->assertSame( 200, $this->oauth_http( $valid )['status'], 'a known key is judged on its own count' );
		$this->assertSame( 200, self::basic( $valid, $valid['cs'] )['status'] );
		$this->assertSame( array( Throttle::UNKNOWN => 4 ), self::counted() );
	}

	public function test_failures_on_two_servers_add_up(): void {
		$key = $this->make_key( $this->make_user() );
		$this->assertSame( 401, self::basic( $key, 'cs_wrong', 'tls' )['status'] );
		$this->assertSame( 401, $this->oauth_http( array( 'ck' => $key['ck'], 'cs' => 'cs_wrong' ), 'http2' )['status'] );
		$this->assertSame( 401, $this->oauth_http( array( 'ck' => $key['ck'], 'cs' => 'cs_wrong' ), 'http' )['status'] );
		$this->assertSame( 429, $this->oauth_http( $key, 'http2' )['status'] );
		$this->assertSame( 429, self::basic( $key, $key['cs'], 'tls' )['status'] );
	}

	public function test_reset_and_switch_off(): void {
		$key = $this->make_key( $this->make_user() );
		for ( $i = 0; $i < 3; $i++ ) {
			self::basic( $key, 'cs_wrong' );
		}
		$this->assertSame( 429, self::basic( $key, $key['cs'] )['status'] );
		$this->assertSame( 1, Throttle::reset( $key['id'] ) );
		$this->assertSame( 200, self::basic( $key, $key['cs'] )['status'] );
		$this->assertSame( 3, KeyFailures::for_keys( array( $key['id'] ) )[ $key['id'] ]['failures_24h'], 'a reset lifts the block, the refusals stay listed' );
		$this->assertSame( 0, Throttle::reset( $key['id'] ), 'nothing left to lift' );

		for ( $i = 0; $i < 3; $i++ ) {
			self::basic( $key, 'cs_wrong' );
		}
		self::set_throttle( array( 'enabled' => false ) );
		$this->assertSame( 200, self::basic( $key, $key['cs'] )['status'], 'switched off: nothing is blocked' );
		self::basic( $key, 'cs_wrong' );
		$this->assertSame( array( $key['id'] => 4 ), self::counted(), 'failures are still counted for the admin screens' );
	}

	public function test_the_address_comes_through_the_client_ip_filter_and_ipv6_counts_per_64(): void {
		$key = $this->make_key( $this->make_user() );
		$req = static fn( string $addr ): array => array( 'uri' => self::ROUTE, 'https' => true, 'basic' => array( $key['ck'], 'cs_wrong' ), 'remote_addr' => $addr );
		foreach ( array( '2001:db8:1:2::1', '2001:db8:1:2:ffff::9', '2001:db8:1:2:aaaa:bbbb:cccc:dddd' ) as $address ) {
			$this->assertSame( 401, RequestSimulator::run( $req( $address ), RequestSimulator::KEYSMITH )['status'] );
		}
		$this->assertSame( 429, RequestSimulator::run( $req( '2001:db8:1:2::77' ), RequestSimulator::KEYSMITH )['status'], 'the same /64' );
		$this->assertSame( 401, RequestSimulator::run( $req( '2001:db8:1:3::1' ), RequestSimulator::KEYSMITH )['status'], 'another /64' );

		$proxy = static fn(): string => '198.51.100.20';
		add_filter( 'keysmith_client_ip', $proxy );
		try {
			$this->assertSame( 401, RequestSimulator::run( $req( '2001:db8:1:2::1' ), RequestSimulator::KEYSMITH )['status'], 'counted for the address the filter names' );
		} finally {
			remove_filter( 'keysmith_client_ip', $proxy );
		}
		global $wpdb;
		$this->assertSame(
			array( '198.51.100.20', '2001:db8:1:2::/64', '2001:db8:1:3::/64' ),
			$wpdb->get_col( 'SELECT address FROM ' . Schema::failure_table() . ' ORDER BY address' )
		);
	}
}
