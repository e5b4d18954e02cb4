<?php
/**
 * Fills one key's nonce window for tests/bench/auth.sh: `keysmith N` records N nonces in Keysmith's
 * table (valid for the next 15 minutes); `woocommerce N` writes WooCommerce's `nonces` column with
 * N entries (WooCommerce keys its map by timestamp, so it holds at most one nonce per second of its
 * 30-minute window: N is capped at 1,801). Run with the harness environment.
 *
 * Usage: php fill-nonces.php <key_id> <keysmith|woocommerce> <count>
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

$_SERVER['HTTP_HOST']   = '127.0.0.1';
$_SERVER['REQUEST_URI'] = '/';
require getenv( 'KEYSMITH_SITE_DIR' ) . '/wp-load.php';

list( , $key_id, $store, $count ) = $argv;
$key_id = (int) $key_id;
$count  = (int) $count;
$now    = time();
if ( 'keysmith' === $store ) {
	$table = $wpdb->prefix . 'keysmith_nonces';
	$wpdb->query( $wpdb->prepare( "DELETE FROM $table WHERE key_id = %d", $key_id ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
	if ( $count > 0 ) {
		$wpdb->query( $wpdb->prepare( "INSERT INTO $table (key_id, nonce, valid_until) SELECT %d, CONCAT('bench-', seq), %d FROM seq_1_to_$count", $key_id, $now + 900 ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
	}
} else {
	$map = array();
	for ( $i = 0; $i < min( $count, 1801 ); $i++ ) {
		$map[ $now - 900 + $i ] = bin2hex( random_bytes( 16 ) );
	}
	$wpdb->update( $wpdb->prefix . 'woocommerce_api_keys', array( 'nonces' => serialize( $map ) ), array( 'key_id' => $key_id ) );
}
