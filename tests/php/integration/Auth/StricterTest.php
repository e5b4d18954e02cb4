<?php
/**
 * Where Keysmith is deliberately stricter than WooCommerce, and the guarantees around it:
 * expired keys, exactly-once nonces (same second, concurrent writers), Keysmith's refusal being
 * final with WooCommerce's authenticator active, the off switch, the write budget, last_access
 * and last_ip, and the object-cache layer.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Auth;

use Keysmith\Auth\Authenticator;
use Keysmith\Auth\NonceLedger;
use Keysmith\Store\KeyCache;
use Keysmith\Store\Schema;

final class StricterTest extends AuthTestCase {

	private const ROUTE = 'wp-json/wc/v3/keysmith-test';

	public function test_expired_key_is_refused_where_woocommerce_accepts(): void {
		$key = $this->make_key( $this->make_user(), 'read_write', gmdate( 'Y-m-d H:i:s', time() - 1 ) );

		$wc = RequestSimulator::run( $this->oauth( $key, self::ROUTE ), RequestSimulator::WOOCOMMERCE );
		$this->assertSame( 200, $wc['status'], 'the fixture (WooCommerce) knows nothing of expiry' );

		$requests = array(
			$this->oauth( $key, self::ROUTE ),
			array( 'uri' => '/' . self::ROUTE, 'https' => true, 'basic' => array( $key['ck'], $key['cs'] ) ),
			// The URI names no route: WordPress finds it in the body, after the first determine_current_user.
			array( 'uri' => '/', 'method' => 'POST', 'https' => true, 'basic' => array( $key['ck'], $key['cs'] ), 'post' => array( 'rest_route' => '/wc/v3/keysmith-test' ) ),
		);
		foreach ( $requests as $req ) {
			$ks = RequestSimulator::run( $req, RequestSimulator::KEYSMITH );
			$this->assertSame( array( 401, 'keysmith_rest_key_expired', 'The API key has expired.', 0 ), array( $ks['status'], $ks['code'], $ks['message'], $ks['user'] ) );
		}
	}

	public function test_wrong_secret_for_expired_key_still_says_secret_invalid(): void {
		$key = $this->make_key( $this->make_user(), 'read_write', gmdate( 'Y-m-d H:i:s', time() - 60 ) );
		$ks  = RequestSimulator::run( array( 'uri' => '/' . self::ROUTE, 'https' => true, 'basic' => array( $key['ck'], 'cs_guess' ) ), RequestSimulator::KEYSMITH );
		$this->assertSame( 'Consumer secret is invalid.', $ks['message'], 'expiry must not be revealed before the secret is proven' );
	}

	public function test_keysmith_refusal_is_final_even_though_woocommerce_would_accept(): void {
		// WooCommerce's authenticator (fixture) is hooked at 15 with its fallback on
		// rest_authentication_errors. Wipe the nonce map right after Keysmith refused the replay
		// (14) and before WooCommerce (15): if WooCommerce judged again it would accept the replay
		// and write the map back. Without Keysmith's hide_from_woocommerce() this test fails.
		$key = $this->make_key( $this->make_user() );
		$req = $this->oauth( $key, self::ROUTE, array( 'nonce' => 'final' ) );
		$this->assertSame( 200, RequestSimulator::run( $req, RequestSimulator::KEYSMITH )['status'] );

		$wipe = static function ( $user ) use ( $key ) {
			global $wpdb;
			$wpdb->update( Schema::wc_table(), array( 'nonces' => null ), array( 'key_id' => $key['id'] ) );
			return $user;
		};
		add_filter( 'determine_current_user', $wipe, 14 ); // Right after Keysmith, before WooCommerce.
		try {
			$replay = RequestSimulator::run( $req, RequestSimulator::KEYSMITH );
		} finally {
			remove_filter( 'determine_current_user', $wipe, 14 );
		}
		$this->assertSame( array( 401, 'Invalid nonce - nonce has already been used.', 0 ), array( $replay['status'], $replay['message'], $replay['user'] ) );
		$this->assertTrue( $replay['decided'] );
		$this->assertNull( $this->key_row( $key['id'] )['nonces'], 'WooCommerce must not have judged (and re-written) the nonce' );
	}

	public function test_two_nonces_in_the_same_second_are_both_remembered(): void {
		$key = $this->make_key( $this->make_user() );
		$a   = $this->oauth( $key, self::ROUTE, array( 'nonce' => 'first' ) );
		$b   = $this->oauth( $key, self::ROUTE, array( 'nonce' => 'second' ) );
		$this->assertSame( 200, RequestSimulator::run( $a, RequestSimulator::KEYSMITH )['status'] );
		$this->assertSame( 200, RequestSimulator::run( $b, RequestSimulator::KEYSMITH )['status'] );
		// WooCommerce keys the map by timestamp, so "first" would be overwritten and replayable.
		$this->assertSame( 401, RequestSimulator::run( $a, RequestSimulator::KEYSMITH )['status'] );

		$map = unserialize( (string) $this->key_row( $key['id'] )['nonces'] );
		$this->assertSame( array( 'first', 'second' ), array_values( $map ) );
		// WooCommerce can still read the map when Keysmith is switched off: a replay is refused.
		$this->assertSame( 'Invalid nonce - nonce has already been used.', RequestSimulator::run( $b, RequestSimulator::WOOCOMMERCE )['message'] );
	}

	public function test_old_nonces_are_pruned_and_woocommerce_entries_kept(): void {
		$now  = time();
		$next = NonceLedger::next_value( serialize( array( $now - 1000 => 'old', $now - 10 => 'wc', ( $now - 950 ) . '.0' => 'old2' ) ), (string) $now, 'new', $now );
		$this->assertSame( array( $now - 10 => 'wc', $now . '.0' => 'new' ), unserialize( (string) $next ) );
		$this->assertNull( NonceLedger::next_value( (string) $next, (string) $now, 'wc', $now ) );
	}

	public function test_compare_and_swap_refuses_a_stale_read(): void {
		$key = $this->make_key( $this->make_user() );
		$now = time();
		// Another server accepted "n1" after this process read the (empty) column.
		$this->assertSame( NonceLedger::ACCEPTED, NonceLedger::claim( $key['id'], null, (string) $now, 'n1', null, $now ) );
		$this->assertSame( NonceLedger::REPLAYED, NonceLedger::claim( $key['id'], null, (string) $now, 'n1', null, $now ) );
		$this->assertSame( NonceLedger::ACCEPTED, NonceLedger::claim( $key['id'], null, (string) $now, 'n2', null, $now ) );
		$this->assertCount( 2, unserialize( (string) $this->key_row( $key['id'] )['nonces'] ) );
	}

	public function test_switched_off_woocommerce_alone_judges(): void {
		$key = $this->make_key( $this->make_user(), 'read_write', gmdate( 'Y-m-d H:i:s', time() - 1 ) );
		update_option( 'keysmith_settings', array( 'auth_enabled' => false ) );
		try {
			$out = RequestSimulator::run( $this->oauth( $key, self::ROUTE ), RequestSimulator::KEYSMITH );
		} finally {
			delete_option( 'keysmith_settings' );
		}
		$this->assertSame( 200, $out['status'], 'with Keysmith off the expired key works, as in WooCommerce' );
		$this->assertFalse( $out['decided'] );
	}

	public function test_one_write_per_oauth_request_with_last_access_and_last_ip(): void {
		global $wpdb;
		$key = $this->make_key( $this->make_user() );
		RequestSimulator::run( $this->oauth( $key, self::ROUTE, array( 'remote_addr' => '203.0.113.7' ) ), RequestSimulator::KEYSMITH );
		$this->assertSame( '203.0.113.7', $wpdb->get_var( $wpdb->prepare( 'SELECT last_ip FROM ' . Schema::meta_table() . ' WHERE key_id = %d', $key['id'] ) ) );

		$wpdb->update( Schema::wc_table(), array( 'last_access' => null ), array( 'key_id' => $key['id'] ) );
		$writes = array();
		$count  = static function ( string $sql ) use ( &$writes ): string {
			if ( preg_match( '/^\s*(INSERT|UPDATE|DELETE|REPLACE)\b/i', $sql ) ) {
				$writes[] = $sql;
			}
			return $sql;
		};
		add_filter( 'query', $count );
		try {
			$out = RequestSimulator::run( $this->oauth( $key, self::ROUTE, array( 'remote_addr' => '203.0.113.7' ) ), RequestSimulator::KEYSMITH );
		} finally {
			remove_filter( 'query', $count );
		}
		$this->assertSame( 200, $out['status'] );
		$this->assertCount( 1, $writes, implode( "\n", $writes ) );
		$this->assertStringContainsString( 'last_access', $writes[0] );
		$this->assertSame( current_time( 'mysql' ), $this->key_row( $key['id'] )['last_access'] );
	}

	public function test_last_access_follows_woocommerce_rules(): void {
		$key = $this->make_key( $this->make_user() );
		// rest_route requests never record (WooCommerce compares against an empty $wp->request).
		RequestSimulator::run( $this->oauth( $key, '?rest_route=/wc/v3/keysmith-test', array( 'sign_url' => $this->home() ) ), RequestSimulator::KEYSMITH );
		$this->assertNull( $this->key_row( $key['id'] )['last_access'] );

		// The filter can switch recording off; it receives WooCommerce's arguments.
		$seen    = array();
		$disable = static function ( $skip, $key_id, $user_id ) use ( &$seen ) {
			$seen[] = array( $skip, $key_id, $user_id );
			return true;
		};
		add_filter( 'woocommerce_disable_rest_api_access_log', $disable, 10, 3 );
		try {
			RequestSimulator::run( $this->oauth( $key, self::ROUTE ), RequestSimulator::KEYSMITH );
		} finally {
			remove_filter( 'woocommerce_disable_rest_api_access_log', $disable, 10 );
		}
		$this->assertNull( $this->key_row( $key['id'] )['last_access'] );
		$this->assertSame( array( array( false, (string) $key['id'], (string) $key['user'] ) ), $seen, 'asked once, like WooCommerce' );

		// A read key trying to write is refused before anything is recorded.
		$read = $this->make_key( $this->make_user(), 'read' );
		RequestSimulator::run( $this->oauth( $read, self::ROUTE, array( 'method' => 'POST' ) ), RequestSimulator::KEYSMITH );
		$this->assertNull( $this->key_row( $read['id'] )['last_access'] );

		// Basic records on dispatch.
		RequestSimulator::run( array( 'uri' => '/' . self::ROUTE, 'https' => true, 'basic' => array( $key['ck'], $key['cs'] ) ), RequestSimulator::KEYSMITH );
		$this->assertNotNull( $this->key_row( $key['id'] )['last_access'] );
	}

	public function test_cached_rows_are_used_for_basic_and_forgotten_on_change(): void {
		global $wpdb;
		$key = $this->make_key( $this->make_user() );
		$req = array( 'uri' => '/' . self::ROUTE, 'https' => true, 'basic' => array( $key['ck'], $key['cs'] ) );
		$was = wp_using_ext_object_cache( true );
		try {
			// The first request records the new last IP, which forgets the row; the second caches it.
			$this->assertSame( 200, RequestSimulator::run( $req, RequestSimulator::KEYSMITH )['status'] );
			$this->assertSame( 200, RequestSimulator::run( $req, RequestSimulator::KEYSMITH )['status'] );
			$entry = KeyCache::get_by_id( $key['id'] );
			$this->assertIsArray( $entry );
			$this->assertArrayNotHasKey( 'consumer_secret', $entry );
			$this->assertStringNotContainsString( $key['cs'], serialize( $entry ), 'the secret never enters the cache' );

			// Revoked behind the cache's back, but through Keysmith's invalidation: refused at once.
			$wpdb->delete( Schema::wc_table(), array( 'key_id' => $key['id'] ) );
			$this->assertSame( 200, RequestSimulator::run( $req, RequestSimulator::KEYSMITH )['status'], 'served from the cache' );
			KeyCache::forget_key_ids( array( $key['id'] ) );
			$this->assertSame( 401, RequestSimulator::run( $req, RequestSimulator::KEYSMITH )['status'] );
		} finally {
			wp_using_ext_object_cache( $was );
			wp_cache_flush();
		}
	}

	public function test_twin_and_native_give_the_same_answers(): void {
		$key = $this->make_key( $this->make_user() );
		$reqs = array(
			$this->oauth( $key, self::ROUTE, array( 'raw_query' => 'filter%5Bperiod%5D=week&s=a+b' ) ),
			$this->oauth( $key, self::ROUTE, array( 'secret' => 'cs_bad', 'where' => 'header' ) ),
		);
		$native = array_map( fn( $r ) => RequestSimulator::run( $r, RequestSimulator::KEYSMITH ), $reqs );
		add_filter( 'keysmith_use_native', '__return_false' );
		\Keysmith\Crypto\Crypto::reset();
		$this->make_key( $this->make_user() ); // fresh nonces below
		$reqs2 = array(
			$this->oauth( $key, self::ROUTE, array( 'raw_query' => 'filter%5Bperiod%5D=week&s=a+b' ) ),
			$this->oauth( $key, self::ROUTE, array( 'secret' => 'cs_bad', 'where' => 'header' ) ),
		);
		$twin = array_map( fn( $r ) => RequestSimulator::run( $r, RequestSimulator::KEYSMITH ), $reqs2 );
		$this->assertSame( 'fallback', \Keysmith\Crypto\Crypto::mode() );
		remove_filter( 'keysmith_use_native', '__return_false' );
		\Keysmith\Crypto\Crypto::reset();
		$this->assertSame( $native, $twin );
		$this->assertSame( 200, $twin[0]['status'] );
	}

	public function test_request_scope_reads_the_uri_like_each_woocommerce_generation(): void {
		$saved  = $_SERVER['REQUEST_URI'];
		$legacy = new \ReflectionMethod( \Keysmith\Auth\RestScope::class, 'legacy_uri_match' );
		$legacy->setAccessible( true );
		$cases = array(
			// URI => [ 11.1+ route, legacy substring match ]
			'/wp-json/wc/v3/orders'                 => array( 'wc/v3/orders', true ),
			'//wp-json/wc-analytics/reports'        => array( 'wc-analytics/reports', true ),
			'/index.php/wp-json/wc/v3/orders'       => array( 'wc/v3/orders', true ),
			'/?rest_route=/wc/v3/orders'            => array( 'wc/v3/orders', false ),
			'/wp-json/wp/v2/posts?x=wp-json/wc/v3/' => array( 'wp/v2/posts', true ),
			'/shop/wp-json/wc/v3/orders'            => array( '', true ),
		);
		try {
			foreach ( $cases as $uri => list( $route, $legacy_match ) ) {
				$_SERVER['REQUEST_URI'] = $uri;
				$this->assertSame( $route, \Keysmith\Auth\RestScope::route_from_request_uri(), $uri );
				$this->assertSame( $legacy_match, $legacy->invoke( null ), $uri );
			}
		} finally {
			$_SERVER['REQUEST_URI'] = $saved;
		}
	}

	public function test_keysmith_answers_alone_without_woocommerces_authenticator(): void {
		$wc    = \WC_REST_Authentication::instance();
		$hooks = array(
			array( 'determine_current_user', 'authenticate', 15 ),
			array( 'rest_authentication_errors', 'authentication_fallback', 10 ),
			array( 'rest_authentication_errors', 'check_authentication_error', 15 ),
			array( 'rest_authentication_errors', 'reject_out_of_scope_route', 20 ),
			array( 'rest_pre_dispatch', 'check_user_permissions', 10 ),
		);
		foreach ( $hooks as list( $hook, $method, $priority ) ) {
			$this->assertTrue( remove_filter( $hook, array( $wc, $method ), $priority ), "$hook/$method" );
		}
		try {
			$key  = $this->make_key( $this->make_user() );
			$read = $this->make_key( $this->make_user(), 'read' );
			$out  = static fn( array $r ): array => array_slice( RequestSimulator::run( $r, RequestSimulator::KEYSMITH ), 0, 4 );
			$this->assertSame( array( 'status' => 200, 'code' => null, 'message' => null, 'user' => $key['user'] ), $out( $this->oauth( $key, self::ROUTE ) ) );
			$this->assertSame( 'Invalid signature - provided signature does not match.', $out( $this->oauth( $key, self::ROUTE, array( 'secret' => 'cs_x' ) ) )['message'] );
			$this->assertSame( 'Consumer secret is invalid.', $out( array( 'uri' => '/' . self::ROUTE, 'https' => true, 'basic' => array( $key['ck'], 'cs_x' ) ) )['message'] );
			$this->assertSame( 'The API key provided does not have write permissions.', $out( $this->oauth( $read, self::ROUTE, array( 'method' => 'PUT' ) ) )['message'] );
			$this->assertSame( 'The provided API key cannot be used to access this endpoint.', $out( $this->oauth( $key, self::ROUTE, array( 'method' => 'POST', 'where' => 'body', 'body' => array( 'rest_route' => '/wp/v2/users/me' ) ) ) )['message'] );
		} finally {
			foreach ( $hooks as list( $hook, $method, $priority ) ) {
				add_filter( $hook, array( $wc, $method ), $priority, 'rest_pre_dispatch' === $hook ? 3 : 1 );
			}
		}
	}
}
