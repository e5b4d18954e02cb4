<?php
/**
 * One round of tests/bench/refusals.sh: sends $count requests of one kind, one at a time over one
 * keep-alive connection, in one mode, and prints one JSON line with the latencies.
 *
 *   kinds:  unknown   OAuth with a consumer key nobody knows (401 "Consumer key is invalid.")
 *           secret    OAuth with a known key signed with a wrong secret (401 "provided signature does not match")
 *           throttled Basic with a key the throttle blocks for this client (429)
 *           accepted  OAuth with a valid key (200)
 *   modes:  woocommerce (Keysmith's hooks removed: the WooCommerce stand-in alone), native, twin,
 *           late (native, decided after WooCommerce loads: Keysmith without early refusals)
 *
 * Usage: php refusals-load.php <http-base> <tls-base> <mode> <kind> <count> <keys-json>
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

list( , $base, $tls_base, $mode, $kind, $count, $keys_json ) = $argv;
$keys  = json_decode( $keys_json, true );
$route = '/wp-json/wc/v3/keysmith-test';

$headers = array(
	'woocommerce' => array( 'X-Keysmith-Harness-Judge: woocommerce' ),
	'native'      => array(),
	'twin'        => array( 'X-Keysmith-Harness-Crypto: twin' ),
	'late'        => array( 'X-Keysmith-Harness-Early: off' ),
)[ $mode ];

/** An OAuth 1.0a query string (HMAC-SHA256, fresh nonce), signed the way WooCommerce verifies it. */
function keysmith_bench_oauth( string $url, string $ck, string $cs ): string {
	$params = array(
		'oauth_consumer_key'     => $ck,
		'oauth_nonce'            => bin2hex( random_bytes( 16 ) ),
		'oauth_signature_method' => 'HMAC-SHA256',
		'oauth_timestamp'        => (string) time(),
	);
	ksort( $params );
	$pairs = array();
	foreach ( $params as $name => $value ) {
		$pairs[] = rawurlencode( $name . '=' . rawurlencode( $value ) );
	}
	$base                      = 'GET&' . rawurlencode( $url ) . '&' . implode( '%26', $pairs );
	$params['oauth_signature'] = base64_encode( hash_hmac( 'sha256', $base, $cs . '&', true ) );
	return http_build_query( $params, '', '&', PHP_QUERY_RFC3986 );
}

$handle = curl_init();
curl_setopt_array(
	$handle,
	array(
		CURLOPT_RETURNTRANSFER => true,
		CURLOPT_SSL_VERIFYPEER => false,
		CURLOPT_SSL_VERIFYHOST => 0,
		CURLOPT_TIMEOUT        => 60,
	)
);
$latencies = array();
$errors    = 0;
for ( $i = 0; $i < (int) $count; $i++ ) {
	$request_headers = $headers;
	switch ( $kind ) {
		case 'unknown':
			$url    = $base . $route;
			$target = $url . '?' . keysmith_bench_oauth( $url, 'ck_' . bin2hex( random_bytes( 20 ) ), 'cs_x' );
			$expect = 401;
			break;
		case 'secret':
			$url    = $base . $route;
			$target = $url . '?' . keysmith_bench_oauth( $url, $keys['valid']['ck'], 'cs_wrong' );
			$expect = 401;
			break;
		case 'throttled':
			$target            = $tls_base . $route;
			$request_headers[] = 'Authorization: Basic ' . base64_encode( $keys['throttled']['ck'] . ':' . $keys['throttled']['cs'] );
			$expect            = 'woocommerce' === $mode ? 200 : 429;
			break;
		default:
			$url    = $base . $route;
			$target = $url . '?' . keysmith_bench_oauth( $url, $keys['valid']['ck'], $keys['valid']['cs'] );
			$expect = 200;
	}
	curl_setopt( $handle, CURLOPT_URL, $target );
	curl_setopt( $handle, CURLOPT_HTTPHEADER, $request_headers );
	$start = hrtime( true );
	curl_exec( $handle );
	$latencies[] = ( hrtime( true ) - $start ) / 1e6;
	if ( $expect !== curl_getinfo( $handle, CURLINFO_RESPONSE_CODE ) ) {
		++$errors;
	}
}
sort( $latencies );
echo json_encode(
	array(
		'mode'     => $mode,
		'kind'     => $kind,
		'requests' => count( $latencies ),
		'errors'   => $errors,
		'p50_ms'   => round( $latencies[ intdiv( count( $latencies ), 2 ) ], 3 ),
		'p90_ms'   => round( $latencies[ (int) floor( count( $latencies ) * 0.9 ) ], 3 ),
		'mean_ms'  => round( array_sum( $latencies ) / count( $latencies ), 3 ),
	)
), "\n";
