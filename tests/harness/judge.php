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
 * And a request can carry a race to run at a chosen moment (`X-Keysmith-Harness-Meanwhile`, below).
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

/*
 * Races on demand, for tests of the key-row cache (tests/php/integration/Cache/RaceTest.php).
 *
 * Request header `X-Keysmith-Harness-Meanwhile`: JSON {"at": <moment>, "method", "url", "headers",
 * "body"}. At <moment> the served request sends that HTTP request (to the other PHP pool, say) and
 * waits for its answer, whose status it reports in the response header
 * `X-Keysmith-Harness-Meanwhile-Status` (so a test can tell that the race really happened). Once per
 * request. Moments:
 * - `key-cache-write`: just before the request stores a key row in the object cache (group
 *   keysmith_keys, entry "id:<n>"), i.e. after it read that row from the database
 *   (needs tests/harness/object-cache.php, whose write path fires keysmith_harness_before_cache_write);
 * - `woocommerce-key-change`: in WooCommerce's key screen, after plugins reacted to the request
 *   (priority 1) and before WooCommerce writes the change (AJAX edit, revoke link, bulk revoke).
 */
if ( defined( 'KEYSMITH_HARNESS' ) && isset( $_SERVER['HTTP_X_KEYSMITH_HARNESS_MEANWHILE'] ) ) { // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- harness only.
	// Read as a must-use plugin loads, before WordPress adds slashes to $_SERVER (wp_magic_quotes()).
	$keysmith_harness_plan = json_decode( (string) $_SERVER['HTTP_X_KEYSMITH_HARNESS_MEANWHILE'], true ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- harness only.
	if ( is_array( $keysmith_harness_plan ) ) {
		$keysmith_harness_meanwhile = static function () use ( $keysmith_harness_plan ): void {
			static $done = false;
			if ( $done ) {
				return;
			}
			$done     = true;
			$response = wp_remote_request(
				(string) $keysmith_harness_plan['url'],
				array(
					'method'      => (string) ( $keysmith_harness_plan['method'] ?? 'GET' ),
					'headers'     => (array) ( $keysmith_harness_plan['headers'] ?? array() ),
					'body'        => $keysmith_harness_plan['body'] ?? null,
					'sslverify'   => false,
					'redirection' => 0,
					'timeout'     => 60,
				)
			);
			header( 'X-Keysmith-Harness-Meanwhile-Status: ' . ( is_wp_error( $response ) ? 'error ' . $response->get_error_message() : (string) wp_remote_retrieve_response_code( $response ) ) );
		};
		if ( 'key-cache-write' === ( $keysmith_harness_plan['at'] ?? '' ) ) {
			add_action(
				'keysmith_harness_before_cache_write',
				static function ( string $key, string $group ) use ( $keysmith_harness_meanwhile ): void {
					if ( 'keysmith_keys' === $group && str_starts_with( $key, 'id:' ) ) {
						$keysmith_harness_meanwhile();
					}
				},
				10,
				2
			);
		} elseif ( 'woocommerce-key-change' === ( $keysmith_harness_plan['at'] ?? '' ) ) {
			add_action( 'wp_ajax_woocommerce_update_api_key', $keysmith_harness_meanwhile, 5 );
			add_action(
				'admin_init',
				static function () use ( $keysmith_harness_meanwhile ): void {
					if ( isset( $_REQUEST['revoke-key'] ) || isset( $_REQUEST['key'] ) ) { // phpcs:ignore WordPress.Security.NonceVerification -- harness only.
						$keysmith_harness_meanwhile();
					}
				},
				5
			);
		}
	}
	unset( $keysmith_harness_plan, $keysmith_harness_meanwhile );
}
