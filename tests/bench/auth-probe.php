<?php
/**
 * Benchmark probe, installed as a must-use plugin into the harness site (under target/) by
 * tests/bench/auth.sh for the duration of the benchmark only; never shipped, never in the repo's
 * served tree otherwise.
 *
 * Request header X-Keysmith-Bench: woocommerce (Keysmith switched off: the WooCommerce fixture
 * alone authenticates) | twin (Keysmith on the pure-PHP twin) | native (Keysmith on the extension).
 * Response headers: X-Keysmith-Queries / X-Keysmith-Writes (database statements this request ran
 * after must-use plugins loaded, up to the REST response; writes = INSERT/UPDATE/DELETE/REPLACE
 * statements), X-Keysmith-Rows-Written (rows the connection changed, from MariaDB's session
 * handler counters) and X-Keysmith-Crypto (facade mode).
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
	add_filter( 'keysmith_auth_enabled', '__return_false' );
} elseif ( 'twin' === $keysmith_bench_mode ) {
	add_filter( 'keysmith_use_native', '__return_false' );
}

$GLOBALS['keysmith_bench_counts'] = array(
	'queries' => 0,
	'writes'  => 0,
);
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
		// Rows this connection actually changed (a compare-and-swap UPDATE that lost changes none).
		$rows = $wpdb->get_var( "SELECT SUM(VARIABLE_VALUE) FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME IN ('HANDLER_UPDATE','HANDLER_WRITE','HANDLER_DELETE')" );
		$response->header( 'X-Keysmith-Rows-Written', (string) (int) $rows );
		$response->header( 'X-Keysmith-Writes', (string) $GLOBALS['keysmith_bench_counts']['writes'] );
		$response->header( 'X-Keysmith-Crypto', class_exists( '\Keysmith\Crypto\Crypto' ) ? \Keysmith\Crypto\Crypto::mode() : 'none' );
		return $response;
	},
	PHP_INT_MAX
);
