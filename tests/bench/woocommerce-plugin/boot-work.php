<?php
/**
 * The work a real WooCommerce store does on every REST request before anyone looks at an API key,
 * for the refusal benchmark (tests/bench/refusals.sh), in the same kinds and rough amounts as
 * WooCommerce 10: several hundred class files loaded (generated under the harness directory), a few
 * thousand hooks, post types and taxonomies registered on init, a few hundred REST routes with
 * argument schemas registered on rest_api_init, and a score of option queries. Calibrated so that a
 * refused request on this stand-in costs about three times one without the boot work (2.7x here:
 * 33.6 vs 12.5 ms), as a refused request costs with and without the real WooCommerce 10.0.2 on the
 * same machine (3.5x: 143 vs 40 ms, both measured while the machine was busy).
 *
 * Request header X-Keysmith-Harness-Boot-Work: off skips it (to calibrate).
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

( static function (): void {
	global $wpdb;
	$dir = (string) getenv( 'KEYSMITH_BOOT_WORK_DIR' );
	if ( '' === $dir || ! is_dir( $dir ) || 'off' === ( $_SERVER['HTTP_X_KEYSMITH_HARNESS_BOOT_WORK'] ?? '' ) ) { // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- harness only.
		return;
	}
	foreach ( (array) glob( $dir . '/*.php' ) as $file ) {
		require_once $file;
	}
	$noop = static fn( $value ) => $value;
	for ( $i = 0; $i < 5000; $i++ ) {
		add_filter( 'keysmith_bench_hook_' . ( $i % 500 ), $noop, $i % 20 );
	}
	for ( $i = 0; $i < 25; $i++ ) {
		$wpdb->get_var( $wpdb->prepare( "SELECT option_value FROM {$wpdb->options} WHERE option_name = %s", 'keysmith_bench_boot_' . $i ) );
	}
	add_action(
		'init',
		static function (): void {
			for ( $i = 0; $i < 12; $i++ ) {
				register_post_type( "ks_bench_type_$i", array( 'public' => false, 'show_in_rest' => false, 'supports' => array( 'title', 'editor', 'custom-fields' ) ) );
			}
			for ( $i = 0; $i < 15; $i++ ) {
				register_taxonomy( "ks_bench_tax_$i", "ks_bench_type_$i", array( 'public' => false, 'hierarchical' => 0 === $i % 2 ) );
			}
		}
	);
	add_action(
		'rest_api_init',
		static function (): void {
			$args = array();
			for ( $a = 0; $a < 12; $a++ ) {
				$args[ "arg_$a" ] = array(
					'description' => "Argument $a.",
					'type'        => 0 === $a % 3 ? 'integer' : 'string',
					'enum'        => 0 === $a % 4 ? array( 'a', 'b', 'c' ) : null,
				);
			}
			for ( $i = 0; $i < 300; $i++ ) {
				register_rest_route(
					'wc/v3',
					"/ks-bench-$i(?:/(?P<id>[\\d]+))?",
					array(
						'methods'             => array( 'GET', 'POST' ),
						'callback'            => '__return_null',
						'permission_callback' => '__return_true',
						'args'                => array_filter( $args ),
					)
				);
			}
		}
	);
} )();
