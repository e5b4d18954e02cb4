<?php
/**
 * Harness-only must-use plugin (linked by tests/harness/site.sh; never shipped): lets a test ask the
 * served site to judge one request with WooCommerce alone, Keysmith's authentication path removed
 * entirely (not merely switched off: with the setting off, Keysmith's key rules still hold).
 *
 * Request header `X-Keysmith-Harness-Judge: woocommerce`. For the benchmarks also
 * `X-Keysmith-Harness-Early: off` (Keysmith decides later, as without early refusals) and
 * `X-Keysmith-Harness-Crypto: twin` (the pure-PHP twin instead of the extension).
 *
 * Every REST response also says who the request ended up authenticated as
 * (`X-Keysmith-Harness-User: <user id>`), errors and OPTIONS included, so a test can tell a key
 * that got in from a public answer.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

/** Removes every hook of Keysmith's authentication path from this request. */
function keysmith_harness_remove_keysmith_auth(): void {
	foreach ( \Keysmith\Auth\AuthModule::hooks() as list( $hook, $callback, $priority ) ) {
		remove_filter( $hook, $callback, $priority );
	}
}

if ( defined( 'KEYSMITH_HARNESS' ) && 'off' === ( $_SERVER['HTTP_X_KEYSMITH_HARNESS_EARLY'] ?? '' ) ) { // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- harness only.
	add_filter( 'keysmith_early_refusals', '__return_false' );
	// This request's extra filter must not become the context early decisions are checked against.
	add_action(
		'plugins_loaded',
		static function (): void {
			remove_action( 'wp_loaded', array( \Keysmith\Auth\AuthModule::class, 'remember_context' ) );
		},
		21
	);
}
if ( defined( 'KEYSMITH_HARNESS' ) && 'twin' === ( $_SERVER['HTTP_X_KEYSMITH_HARNESS_CRYPTO'] ?? '' ) ) { // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- harness only.
	add_filter( 'keysmith_use_native', '__return_false' );
}

if ( defined( 'KEYSMITH_HARNESS' ) && 'woocommerce' === ( $_SERVER['HTTP_X_KEYSMITH_HARNESS_JUDGE'] ?? '' ) ) { // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- harness only.
	// Not even an early decision (Auth\EarlyGate runs while Keysmith's file loads, after this one),
	// and none of Keysmith's hooks once it registered them (Plugin::boot, plugins_loaded 20).
	add_filter( 'keysmith_early_refusals', '__return_false' );
	add_action( 'plugins_loaded', 'keysmith_harness_remove_keysmith_auth', 21 );
}

if ( defined( 'KEYSMITH_HARNESS' ) ) {
	add_filter(
		'rest_post_dispatch',
		static function ( $response ) {
			if ( $response instanceof WP_REST_Response ) {
				$response->header( 'X-Keysmith-Harness-User', (string) get_current_user_id() );
			}
			return $response;
		},
		PHP_INT_MAX
	);
}
