<?php
/**
 * Switches Keysmith's failure throttle on the harness site off or back on for the auth end-to-end
 * suites: their nonce races send 19 replays of one nonce per round on purpose, which the throttle
 * (Auth\Throttle: 10 refusals per client and key) would start answering with 429 half-way; what
 * they test is that exactly one request gets in. The throttle has its own tests
 * (tests/php/integration/Auth/ThrottleTest.php). Run with the harness environment.
 *
 * Usage: php tests/e2e/auth/throttle.php off|on
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

if ( PHP_SAPI !== 'cli' || ! in_array( $argv[1] ?? '', array( 'on', 'off' ), true ) ) {
	fwrite( STDERR, "usage: php throttle.php off|on\n" );
	exit( 2 );
}

$_SERVER['HTTP_HOST']   = '127.0.0.1';
$_SERVER['REQUEST_URI'] = '/';
require getenv( 'KEYSMITH_SITE_DIR' ) . '/wp-load.php';

$keysmith_settings = get_option( \Keysmith\Auth\Settings::OPTION, array() );
$keysmith_settings = is_array( $keysmith_settings ) ? $keysmith_settings : array();
if ( 'off' === $argv[1] ) {
	$keysmith_settings[ \Keysmith\Auth\Throttle::SETTING ] = array( 'enabled' => false ) + (array) ( $keysmith_settings[ \Keysmith\Auth\Throttle::SETTING ] ?? array() );
} else {
	unset( $keysmith_settings[ \Keysmith\Auth\Throttle::SETTING ]['enabled'] );
}
update_option( \Keysmith\Auth\Settings::OPTION, $keysmith_settings );
\Keysmith\Auth\Throttle::reset();
echo 'throttle ', $argv[1], "\n";
