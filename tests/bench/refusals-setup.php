<?php
/**
 * Keys for tests/bench/refusals.sh, on its harness (run with that harness's environment): a valid
 * key, a key the throttle blocks for this client, and throttle limits high enough that the
 * benchmark's own refusals never block anything else. Prints the keys as JSON.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

$_SERVER['HTTP_HOST']   = '127.0.0.1';
$_SERVER['REQUEST_URI'] = '/';
require getenv( 'KEYSMITH_SITE_DIR' ) . '/wp-load.php';

/** @return array{id:int, ck:string, cs:string} */
function keysmith_bench_key( int $user_id ): array {
	global $wpdb;
	$ck = 'ck_' . bin2hex( random_bytes( 20 ) );
	$cs = 'cs_' . bin2hex( random_bytes( 20 ) );
	$wpdb->insert(
		$wpdb->prefix . 'woocommerce_api_keys',
		array(
			'user_id'         => $user_id,
			'description'     => 'refusal benchmark',
			'permissions'     => 'read_write',
			'consumer_key'    => hash_hmac( 'sha256', $ck, 'wc-api' ),
			'consumer_secret' => $cs,
			'truncated_key'   => substr( $ck, -7 ),
		)
	);
	return array( 'id' => (int) $wpdb->insert_id, 'ck' => $ck, 'cs' => $cs );
}

$admin     = get_user_by( 'login', 'admin' );
$valid     = keysmith_bench_key( $admin->ID );
$throttled = keysmith_bench_key( $admin->ID );
$limit     = 1000000;
update_option(
	'keysmith_settings',
	array(
		'throttle' => array(
			'max_failures' => $limit,
			'max_unknown'  => $limit,
			'window'       => 86400,
		),
	)
);
$wpdb->replace(
	$wpdb->prefix . 'keysmith_failures',
	array(
		'address'         => '127.0.0.1',
		'key_id'          => $throttled['id'],
		'window_start'    => time(),
		'window_failures' => 2 * $limit,
		'day_start'       => time(),
		'day_failures'    => 2 * $limit,
		'last_failure_at' => time(),
		'last_reason'     => 'benchmark',
	)
);
echo wp_json_encode( array( 'valid' => $valid, 'throttled' => $throttled ) ), "\n";
