<?php
/**
 * In-process cost of the authentication path's cryptography, native extension vs twin: the
 * WooCommerce-style OAuth verification of a realistic request and the key hash, timed in a bounded
 * loop. Runs without WordPress. Prints one JSON line.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

require_once __DIR__ . '/../../plugin/src/Fallback/functions.php';

$params = array(
	'oauth_consumer_key'     => 'ck_0123456789abcdef0123456789abcdef01234567',
	'oauth_nonce'            => 'abc123abc123',
	'oauth_signature_method' => 'HMAC-SHA256',
	'oauth_timestamp'        => '1700000000',
	'per_page'               => '20',
	'filter'                 => array( 'period' => 'week', 'status' => array( 'processing', 'on-hold' ) ),
	'search'                 => 'grüße a+b',
);
$secret = 'cs_fedcba9876543210fedcba9876543210fedcba98';
$url    = 'https://shop.example/wp-json/wc/v3/orders';
$params['oauth_signature'] = \Keysmith\Fallback\oauth_signature( \Keysmith\Fallback\oauth_base_string( 'GET', $url, $params ), $secret, 'HMAC-SHA256' );

$iterations = 20000;
$out        = array( 'iterations' => $iterations, 'native_loaded' => extension_loaded( 'keysmith' ) );
$impls      = array( 'twin' => 'Keysmith\\Fallback\\' );
if ( extension_loaded( 'keysmith' ) ) {
	$impls['native'] = 'Keysmith\\';
}
foreach ( $impls as $name => $ns ) {
	$verify = $ns . 'oauth_verify';
	$hash   = $ns . 'api_hash';
	if ( true !== $verify( 'GET', $url, $params, $secret ) ) {
		fwrite( STDERR, "$name: verification failed\n" );
		exit( 1 );
	}
	$t = hrtime( true );
	for ( $i = 0; $i < $iterations; $i++ ) {
		$verify( 'GET', $url, $params, $secret );
	}
	$out[ $name . '_oauth_verify_us' ] = round( ( hrtime( true ) - $t ) / 1000 / $iterations, 2 );
	$t = hrtime( true );
	for ( $i = 0; $i < $iterations; $i++ ) {
		$hash( $params['oauth_consumer_key'] );
	}
	$out[ $name . '_api_hash_us' ] = round( ( hrtime( true ) - $t ) / 1000 / $iterations, 2 );
}
echo json_encode( $out ), "\n";
