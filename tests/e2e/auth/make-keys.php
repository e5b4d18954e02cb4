<?php
/**
 * Creates the API keys the auth end-to-end tests use, straight into WooCommerce's table as
 * WooCommerce would, and prints them as JSON. Run with the harness environment
 * (eval "$(tests/harness/site.sh env)"); the secrets live only in the test site's database and
 * this process's output.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

$_SERVER['HTTP_HOST']   = '127.0.0.1';
$_SERVER['REQUEST_URI'] = '/';
require getenv( 'KEYSMITH_SITE_DIR' ) . '/wp-load.php';

/** @return array{id:int, ck:string, cs:string} */
function keysmith_e2e_key( int $user_id, string $permissions, ?string $expires_at ): array {
	global $wpdb;
	$ck = 'ck_' . bin2hex( random_bytes( 20 ) );
	$cs = 'cs_' . bin2hex( random_bytes( 20 ) );
	$wpdb->insert(
		$wpdb->prefix . 'woocommerce_api_keys',
		array(
			'user_id'         => $user_id,
			'description'     => 'keysmith e2e ' . $permissions,
			'permissions'     => $permissions,
			'consumer_key'    => hash_hmac( 'sha256', $ck, 'wc-api' ),
			'consumer_secret' => $cs,
			'truncated_key'   => substr( $ck, -7 ),
		)
	);
	$id = (int) $wpdb->insert_id;
	if ( null !== $expires_at ) {
		$wpdb->replace( $wpdb->prefix . 'keysmith_key_meta', array( 'key_id' => $id, 'expires_at' => $expires_at ) );
	}
	return array( 'id' => $id, 'ck' => $ck, 'cs' => $cs );
}

// The nonce races send 19 refusals per round from one address for one key: the throttle (tested on
// its own in tests/php/integration/Auth/ThrottleTest.php) would answer them 429.
$keysmith_settings             = (array) get_option( 'keysmith_settings', array() );
$keysmith_settings['throttle'] = array( 'enabled' => false );
update_option( 'keysmith_settings', $keysmith_settings );

$admin = get_user_by( 'login', getenv( 'KEYSMITH_ADMIN_USER' ) ?: 'admin' );
echo wp_json_encode(
	array(
		'user_id' => $admin->ID,
		'rw'      => keysmith_e2e_key( $admin->ID, 'read_write', null ),
		'read'    => keysmith_e2e_key( $admin->ID, 'read', null ),
		'expired' => keysmith_e2e_key( $admin->ID, 'read_write', gmdate( 'Y-m-d H:i:s', time() - 60 ) ),
	)
), "\n";
