<?php
/**
 * The nonce store costs the same at any traffic and whatever a client sends: with 100,000 nonces
 * recorded in a key's window, accepting one more is still one small write; megabyte nonces are
 * refused over real HTTP without growing storage or the error log.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Auth;

use Keysmith\Auth\NonceStore;
use Keysmith\Store\Schema;

final class NonceStoreScaleTest extends AuthTestCase {

	private const ROUTE = 'wp-json/wc/v3/keysmith-test';

	public function test_a_window_of_100000_nonces_still_costs_one_small_write(): void {
		global $wpdb;
		$key = $this->make_key( $this->make_user() );
		// MariaDB's sequence engine fills the window in one statement.
		$wpdb->query( $wpdb->prepare( 'INSERT INTO ' . Schema::nonce_table() . ' (key_id, nonce, valid_until) SELECT %d, CONCAT(%s, seq), %d FROM seq_1_to_100000', $key['id'], 'recorded-', time() + 600 ) );
		$this->assertSame( 100000, NonceStore::count_for_key( $key['id'] ) );
		RequestSimulator::run( $this->oauth( $key, self::ROUTE ), RequestSimulator::KEYSMITH ); // Writes last_access once.

		add_filter( 'keysmith_nonce_prune_one_in', static fn() => PHP_INT_MAX );
		$writes = array();
		$count  = static function ( string $sql ) use ( &$writes ): string {
			if ( preg_match( '/^\s*(INSERT|UPDATE|DELETE|REPLACE)\b/i', $sql ) ) {
				$writes[] = $sql;
			}
			return $sql;
		};
		add_filter( 'query', $count );
		try {
			$accepted        = RequestSimulator::run( $this->oauth( $key, self::ROUTE ), RequestSimulator::KEYSMITH );
			$accepted_writes = $writes;
			$writes          = array();
			$replayed        = RequestSimulator::run( $this->oauth( $key, self::ROUTE, array( 'nonce' => 'recorded-77777' ) ), RequestSimulator::KEYSMITH );
		} finally {
			remove_filter( 'query', $count );
			remove_all_filters( 'keysmith_nonce_prune_one_in' );
		}
		$this->assertSame( 200, $accepted['status'] );
		$this->assertCount( 1, $accepted_writes, implode( "\n", $accepted_writes ) );
		$this->assertStringStartsWith( 'INSERT IGNORE INTO ' . Schema::nonce_table(), $accepted_writes[0] );
		$this->assertLessThan( 200, strlen( $accepted_writes[0] ), 'small: independent of the nonces recorded' );

		$this->assertSame( 'Invalid nonce - nonce has already been used.', $replayed['message'], 'a nonce among the 100,000 is found' );
		$this->assertCount( 2, $writes, 'the insert that finds it, and the failure counted for the throttle: ' . implode( "\n", $writes ) );
		$this->assertStringStartsWith( 'INSERT INTO ' . Schema::failure_table(), $writes[1] );
		$this->assertNull( $this->key_row( $key['id'] )['nonces'] );
	}

	public function test_megabyte_nonces_over_http_are_refused_and_leave_storage_and_logs_bounded(): void {
		global $wpdb;
		$key   = $this->make_key( $this->make_user(), 'read' );
		$logs  = array( getenv( 'KEYSMITH_HARNESS_DIR' ) . '/php-errors.log', getenv( 'KEYSMITH_HARNESS_DIR' ) . '/debug.log' );
		$sizes = static fn(): int => array_sum( array_map( static fn( string $f ): int => is_file( $f ) ? (int) filesize( $f ) : 0, $logs ) );
		clearstatcache();
		$before = $sizes();
		$url    = self::site_url( 'http' ) . '/' . self::ROUTE;
		for ( $i = 0; $i < 12; $i++ ) {
			$nonce    = str_repeat( chr( 97 + $i ), 1 << 20 );
			$params   = self::oauth_params( 'POST', $url, $key['ck'], $key['cs'], array(), 'HMAC-SHA256', null, $nonce );
			$response = self::http( 'POST', $url, array( 'body' => $params ) );
			$this->assertSame( array( 401, 'keysmith_rest_invalid_nonce' ), array( $response['status'], $response['json']['code'] ?? null ), "request $i" );
		}
		clearstatcache();
		$this->assertSame( 0, NonceStore::count_for_key( $key['id'] ) );
		$this->assertNull( $this->key_row( $key['id'] )['nonces'] );
		$this->assertLessThan( 16384, $sizes() - $before, 'the error logs grew by at most a few lines' );
		$this->assertSame( 0, (int) $wpdb->get_var( 'SELECT COUNT(*) FROM ' . Schema::nonce_table() . ' WHERE LENGTH(nonce) > ' . NonceStore::MAX_LENGTH ) );
	}
}
