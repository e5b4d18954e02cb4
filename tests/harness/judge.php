<?php
/**
 * Harness-only must-use plugin (linked by tests/harness/site.sh; never shipped): lets a test ask the
 * served site to judge one request with WooCommerce alone, Keysmith's authentication path removed
 * entirely (not merely switched off: with the setting off, Keysmith's key rules still hold).
 *
 * Request header `X-Keysmith-Harness-Judge: woocommerce`.
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

if ( defined( 'KEYSMITH_HARNESS' ) && 'woocommerce' === ( $_SERVER['HTTP_X_KEYSMITH_HARNESS_JUDGE'] ?? '' ) ) { // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- harness only.
	// After Keysmith registered its hooks (Plugin::boot, plugins_loaded 20).
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
