<?php
/**
 * Benchmark probe, installed as a must-use plugin into the harness site (under target/) by
 * tests/bench/auth.sh for the duration of the benchmark only; never shipped, never in the repo's
 * served tree otherwise.
 *
 * Request header X-Keysmith-Bench: woocommerce (Keysmith's authentication hooks removed: the
 * WooCommerce fixture alone authenticates) | twin (Keysmith on the pure-PHP twin) | native (Keysmith on the extension).
 * Response headers: X-Keysmith-Queries / X-Keysmith-Writes (database statements this request ran
 * after must-use plugins loaded, up to the REST response; writes = INSERT/UPDATE/DELETE/REPLACE
 * statements), X-Keysmith-Rows-Written (rows the connection changed, from MariaDB's session
 * handler counters), X-Keysmith-Auth-Us (microseconds spent in the authentication path: on
 * determine_current_user between priorities 13 and 16 and on rest_pre_dispatch between 9 and 11,
 * where Keysmith's and WooCommerce's callbacks sit) and X-Keysmith-Crypto.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

// phpcs:disable WordPress.Security.ValidatedSanitizedInput -- harness-only probe.
if ( ! defined( 'KEYSMITH_HARNESS' ) || ! isset( $_SERVER['HTTP_X_KEYSMITH_BENCH'] ) ) {
	return;
}

$keysmith_bench_mode = (string) $_SERVER['HTTP_X_KEYSMITH_BENCH'];
if ( 'woocommerce' === $keysmith_bench_mode ) {
	add_action( 'plugins_loaded', 'keysmith_harness_remove_keysmith_auth', 21 ); // tests/harness/judge.php.
} elseif ( 'twin' === $keysmith_bench_mode ) {
	add_filter( 'keysmith_use_native', '__return_false' );
}

$GLOBALS['keysmith_bench_counts'] = array(
	'queries' => 0,
	'writes'  => 0,
	'auth_ns' => 0,
	'started' => 0,
);
// Server-side time of the authentication path: both authenticators (Keysmith 14, WooCommerce 15)
// on determine_current_user, and both permission/last-access checks (10) on rest_pre_dispatch.
$keysmith_bench_start = static function ( $value ) {
	$GLOBALS['keysmith_bench_counts']['started'] = hrtime( true );
	return $value;
};
$keysmith_bench_stop  = static function ( $value ) {
	$GLOBALS['keysmith_bench_counts']['auth_ns'] += hrtime( true ) - $GLOBALS['keysmith_bench_counts']['started'];
	return $value;
};
add_filter( 'determine_current_user', $keysmith_bench_start, 13 );
add_filter( 'determine_current_user', $keysmith_bench_stop, 16 );
add_filter( 'rest_pre_dispatch', $keysmith_bench_start, 9 );
add_filter( 'rest_pre_dispatch', $keysmith_bench_stop, 11 );
add_filter(
	'query',
	static function ( $sql ) {
		++$GLOBALS['keysmith_bench_counts']['queries'];
		if ( preg_match( '/^\s*(INSERT|UPDATE|DELETE|REPLACE)\b/i', (string) $sql ) ) {
			++$GLOBALS['keysmith_bench_counts']['writes'];
		}
		return $sql;
	}
);
add_filter(
	'rest_post_dispatch',
	static function ( $response ) {
		global $wpdb;
		$response->header( 'X-Keysmith-Queries', (string) $GLOBALS['keysmith_bench_counts']['queries'] );
		$response->header( 'X-Keysmith-Auth-Us', (string) intdiv( $GLOBALS['keysmith_bench_counts']['auth_ns'], 1000 ) );
		// Rows this connection actually changed (a compare-and-swap UPDATE that lost changes none).
		$rows = $wpdb->get_var( "SELECT SUM(VARIABLE_VALUE) FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME IN ('HANDLER_UPDATE','HANDLER_WRITE','HANDLER_DELETE')" );
		$response->header( 'X-Keysmith-Rows-Written', (string) (int) $rows );
		$response->header( 'X-Keysmith-Writes', (string) $GLOBALS['keysmith_bench_counts']['writes'] );
		$response->header( 'X-Keysmith-Crypto', class_exists( '\Keysmith\Crypto\Crypto' ) ? \Keysmith\Crypto\Crypto::mode() : 'none' );
		return $response;
	},
	PHP_INT_MAX
);
