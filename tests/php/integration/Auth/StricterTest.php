<?php
/**
 * Where Keysmith is deliberately stricter than WooCommerce, and the guarantees around it:
 * expired keys, exactly-once nonces (same second, stale rows, pruning), Keysmith's refusal being
 * final with WooCommerce's authenticator active, the off switch (its rules still hold), the write
 * budget, last_access and last_ip. The key-row cache is tested over HTTP, with a real persistent
 * object cache, in tests/php/integration/Cache.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Auth;

use Keysmith\Auth\Authenticator;
use Keysmith\Auth\NonceStore;
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
		// rest_authentication_errors. Keysmith keeps nonces in its own table, so WooCommerce's
		// column knows nothing of the first request: if WooCommerce judged the replay it would
		// accept it and write the nonce into its column. Without hide_from_woocommerce() this fails.
		$key = $this->make_key( $this->make_user() );
		$req = $this->oauth( $key, self::ROUTE, array( 'nonce' => 'final' ) );
		$this->assertSame( 200, RequestSimulator::run( $req, RequestSimulator::KEYSMITH )['status'] );

		$replay = RequestSimulator::run( $req, RequestSimulator::KEYSMITH );
		$this->assertSame( array( 401, 'Invalid nonce - nonce has already been used.', 0 ), array( $replay['status'], $replay['message'], $replay['user'] ) );
		$this->assertTrue( $replay['decided'] );
		$this->assertNull( $this->key_row( $key['id'] )['nonces'], 'WooCommerce must not have judged (and written) the nonce' );
	}

	public function test_two_nonces_in_the_same_second_are_both_remembered(): void {
		$key = $this->make_key( $this->make_user() );
		$a   = $this->oauth( $key, self::ROUTE, array( 'nonce' => 'first' ) );
		$b   = $this->oauth( $key, self::ROUTE, array( 'nonce' => 'second' ) );
		$this->assertSame( 200, RequestSimulator::run( $a, RequestSimulator::KEYSMITH )['status'] );
		$this->assertSame( 200, RequestSimulator::run( $b, RequestSimulator::KEYSMITH )['status'] );
		// WooCommerce keys its map by timestamp, so "first" would be overwritten and replayable.
		$this->assertSame( 401, RequestSimulator::run( $a, RequestSimulator::KEYSMITH )['status'] );
		$this->assertSame( 2, NonceStore::count_for_key( $key['id'] ) );
		$this->assertNull( $this->key_row( $key['id'] )['nonces'], 'Keysmith does not write WooCommerce\'s column on the request path' );
	}

	public function test_nonce_store_accepts_once_renews_stale_rows_and_prunes_in_bounded_batches(): void {
		global $wpdb;
		$key = $this->make_key( $this->make_user() );
		$now = time();
		$this->assertSame( NonceStore::ACCEPTED, NonceStore::claim( $key['id'], $now, 'n1', $now ) );
		$this->assertSame( NonceStore::REPLAYED, NonceStore::claim( $key['id'], $now - 300, 'n1', $now ), 'one nonce per key within the window, whatever the timestamp (as WooCommerce)' );
		$this->assertSame( NonceStore::ACCEPTED, NonceStore::claim( $key['id'], $now, 'n2', $now ) );
		$this->assertSame( NonceStore::ACCEPTED, NonceStore::claim( $key['id'] + 1, $now, 'n1', $now ), 'nonces are per key' );
		$this->assertSame( NonceStore::ACCEPTED, NonceStore::claim( $key['id'], $now, 'N1', $now ), 'compared as bytes, not in a case-insensitive collation' );

		// A row whose window has passed but was not pruned yet frees its nonce, exactly once.
		$wpdb->update( Schema::nonce_table(), array( 'valid_until' => $now - 1 ), array( 'key_id' => $key['id'], 'nonce' => 'n2' ) );
		$this->assertSame( NonceStore::ACCEPTED, NonceStore::claim( $key['id'], $now, 'n2', $now ) );
		$this->assertSame( NonceStore::REPLAYED, NonceStore::claim( $key['id'], $now, 'n2', $now ) );

		$wpdb->query( $wpdb->prepare( 'UPDATE ' . Schema::nonce_table() . ' SET valid_until = %d WHERE key_id = %d', $now - 10, $key['id'] ) );
		$this->assertSame( 1, NonceStore::prune( $now, 1 ), 'bounded: at most the limit' );
		$this->assertSame( 2, NonceStore::prune( $now ) );
		$this->assertSame( 0, NonceStore::count_for_key( $key['id'] ) );
		$this->assertSame( 1, NonceStore::count_for_key( $key['id'] + 1 ), 'live rows stay' );
	}

	public function test_switched_off_woocommerce_judges_but_keysmith_rules_still_hold(): void {
		$expired = $this->make_key( $this->make_user(), 'read_write', gmdate( 'Y-m-d H:i:s', time() - 1 ) );
		$valid   = $this->make_key( $this->make_user() );
		update_option( 'keysmith_settings', array( 'auth_enabled' => false ) );
		try {
			$ok  = RequestSimulator::run( $this->oauth( $valid, self::ROUTE ), RequestSimulator::KEYSMITH );
			$out = RequestSimulator::run( $this->oauth( $expired, self::ROUTE ), RequestSimulator::KEYSMITH );
			$basic = RequestSimulator::run( array( 'uri' => '/' . self::ROUTE, 'https' => true, 'basic' => array( $expired['ck'], $expired['cs'] ) ), RequestSimulator::KEYSMITH );
		} finally {
			delete_option( 'keysmith_settings' );
		}
		if ( self::sealed_run() ) {
			// WooCommerce alone cannot verify a sealed secret: while sealing is on, the path stays on.
			$this->assertSame( array( 200, true ), array( $ok['status'], $ok['decided'] ), 'Keysmith judged: sealing keeps its path on' );
			$this->assertNull( $this->key_row( $valid['id'] )['nonces'], 'in Keysmith\'s nonce table' );
		} else {
			$this->assertSame( array( 200, false ), array( $ok['status'], $ok['decided'] ), 'WooCommerce judged' );
			$this->assertNotNull( $this->key_row( $valid['id'] )['nonces'], 'in WooCommerce\'s own column' );
		}
		$this->assertSame( array( 401, 'keysmith_rest_key_expired', self::sealed_run() ), array( $out['status'], $out['code'], $out['decided'] ), 'KeyRuleGuard refuses the key WooCommerce accepted' );
		$this->assertSame( array( 401, 'keysmith_rest_key_expired' ), array( $basic['status'], $basic['code'] ) );
	}

	public function test_one_write_per_oauth_request_in_steady_state(): void {
		global $wpdb;
		add_filter( 'keysmith_nonce_prune_one_in', static fn() => PHP_INT_MAX );
		$key = $this->make_key( $this->make_user() );
		RequestSimulator::run( $this->oauth( $key, self::ROUTE, array( 'remote_addr' => '203.0.113.7' ) ), RequestSimulator::KEYSMITH );
		$this->assertSame( '203.0.113.7', $wpdb->get_var( $wpdb->prepare( 'SELECT last_ip FROM ' . Schema::meta_table() . ' WHERE key_id = %d', $key['id'] ) ) );
		$this->assertSame( current_time( 'mysql' ), $this->key_row( $key['id'] )['last_access'] );

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
			remove_all_filters( 'keysmith_nonce_prune_one_in' );
		}
		$this->assertSame( 200, $out['status'] );
		$this->assertCount( 1, $writes, implode( "\n", $writes ) );
		$this->assertStringStartsWith( 'INSERT IGNORE INTO ' . Schema::nonce_table(), $writes[0], 'the nonce; last_access was written less than a minute ago' );
	}

	public function test_last_access_is_rewritten_once_it_is_a_minute_old(): void {
		global $wpdb;
		$key = $this->make_key( $this->make_user() );
		$old = gmdate( 'Y-m-d H:i:s', (int) strtotime( current_time( 'mysql' ) . ' UTC' ) - 61 );
		$wpdb->update( Schema::wc_table(), array( 'last_access' => $old ), array( 'key_id' => $key['id'] ) );
		RequestSimulator::run( array( 'uri' => '/' . self::ROUTE, 'https' => true, 'basic' => array( $key['ck'], $key['cs'] ) ), RequestSimulator::KEYSMITH );
		$this->assertSame( current_time( 'mysql' ), $this->key_row( $key['id'] )['last_access'] );

		$recent = gmdate( 'Y-m-d H:i:s', (int) strtotime( current_time( 'mysql' ) . ' UTC' ) - 30 );
		$wpdb->update( Schema::wc_table(), array( 'last_access' => $recent ), array( 'key_id' => $key['id'] ) );
		RequestSimulator::run( array( 'uri' => '/' . self::ROUTE, 'https' => true, 'basic' => array( $key['ck'], $key['cs'] ) ), RequestSimulator::KEYSMITH );
		$this->assertSame( $recent, $this->key_row( $key['id'] )['last_access'] );

		$future = gmdate( 'Y-m-d H:i:s', (int) strtotime( current_time( 'mysql' ) . ' UTC' ) + 3600 );
		$wpdb->update( Schema::wc_table(), array( 'last_access' => $future ), array( 'key_id' => $key['id'] ) );
		RequestSimulator::run( array( 'uri' => '/' . self::ROUTE, 'https' => true, 'basic' => array( $key['ck'], $key['cs'] ) ), RequestSimulator::KEYSMITH );
		$this->assertSame( current_time( 'mysql' ), $this->key_row( $key['id'] )['last_access'], 'a time in the future (clock changed) is corrected' );
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
