<?php
/**
 * Micro-benchmarks of the keysmith extension against PHP's own way and the pure-PHP twin.
 *
 * Run: php -d extension=target/release/libkeysmith.so tests/bench/micro.php
 *
 * One PHP process, best of several rounds (hrtime), each round a tight loop so per-call figures
 * include PHP's call overhead on both sides. Prints a table and writes target/bench/micro.json:
 * a list of {"name", "native_ns", "php_ns", "ratio"} where ratio = php_ns / native_ns (how many
 * times faster native is). The PHP side of each row is:
 *   api_hash             hash_hmac('sha256', $ck, 'wc-api')               (wc_api_hash)
 *   generate_keys        per key, a loop doing what WooCommerce does per key (wc_rand_hash x2,
 *                        wc_api_hash, substr -7, the 4-entry array) vs generate_keys(100000)
 *   oauth_verify_sha256  the twin Keysmith\Fallback\oauth_verify() (the plugin without the
 *   oauth_verify_sha1    extension), on a realistic WooCommerce request
 *   equals               hash_equals() on 43-character secrets
 * Then the sealed rows: sealed_oauth_verify() / sealed_equals() against oauth_verify() / equals()
 * with the plaintext, both native ({"name", "sealed_ns", "plain_ns", "extra_ns", "twin_sealed_ns",
 * "target_extra_ns"} in micro.json). They need the sealing key in the extension's ini
 * (-d keysmith.sealing_key_file=…; scripts/bench.sh gives the vectors' test key).
 * The twin (plugin/src/Fallback/functions.php) is optional: without it its column is
 * empty and the oauth rows have no PHP figure.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Bench;

/** Sealed verification may cost at most this much more than today's, per request (ns). */
const SEALED_EXTRA_NS = 2000;

const TARGETS = array(
	'api_hash'            => 5.0,
	'generate_keys'       => 5.0,
	'oauth_verify_sha256' => 10.0,
	'oauth_verify_sha1'   => 10.0,
	'equals'              => 1.0,
);

if ( ! extension_loaded( 'keysmith' ) ) {
	fwrite( STDERR, "micro.php: the keysmith extension is not loaded; run with php -d extension=target/release/libkeysmith.so\n" );
	exit( 1 );
}

$root = dirname( __DIR__, 2 );
$twin = $root . '/plugin/src/Fallback/functions.php';
if ( is_file( $twin ) ) {
	require_once $twin;
}
$have_twin = function_exists( 'Keysmith\Fallback\oauth_verify' );

/**
 * Best (lowest) nanoseconds per operation of each contender over `$rounds` rounds.
 *
 * Contenders run interleaved (native, PHP, twin, native, ...) so that a busy machine slows them
 * alike and the ratio stays meaningful. Each `$run` performs `$ops` operations and may return
 * what it built; that value is released after the clock stops, so freeing a big result (the
 * 100,000 generated keys) is not counted.
 *
 * @param array<string, callable|null> $contenders Name => run (null: not available).
 * @return array<string, float|null> Name => ns per operation.
 */
function race( array $contenders, int $ops, int $rounds ): array {
	$best = array_map( static fn( $run ) => null === $run ? null : INF, $contenders );
	for ( $r = 0; $r < $rounds; $r++ ) {
		foreach ( $contenders as $name => $run ) {
			if ( null === $run ) {
				continue;
			}
			$start         = hrtime( true );
			$result        = $run();
			$elapsed       = hrtime( true ) - $start;
			$best[ $name ] = min( $best[ $name ], $elapsed / $ops );
			unset( $result );
		}
	}
	return $best;
}

/** A realistic WooCommerce list request: 11 params incl. nested filter[...], signed. */
function oauth_request( string $method ): array {
	$params = array(
		'oauth_consumer_key'     => 'ck_0123456789abcdef0123456789abcdef01234567',
		'oauth_nonce'            => 'kllo9940pd9333jh7fa1b2c3d4e5f6a7',
		'oauth_signature_method' => $method,
		'oauth_timestamp'        => '1700000000',
		'oauth_version'          => '1.0',
		'per_page'               => '20',
		'page'                   => '2',
		'status'                 => 'processing',
		'orderby'                => 'date',
		'order'                  => 'desc',
		'search'                 => 'blue t-shirt & co',
		'filter'                 => array(
			'period'     => 'week',
			'created_at' => '2026-11-01T00:00:00Z',
		),
	);
	$url    = 'https://shop.example.com/wp-json/wc/v3/orders';
	$secret = 'cs_fedcba9876543210fedcba9876543210fedcba98';
	$base   = \Keysmith\oauth_base_string( 'GET', $url, $params );
	$params['oauth_signature'] = \Keysmith\oauth_signature( $base, $secret, $method );
	return array( $url, $params, $secret );
}

$results = array();

// --- api_hash ---------------------------------------------------------------------------
$ck = 'ck_' . bin2hex( random_bytes( 20 ) );
$n  = 300000;
$results['api_hash'] = race(
	array(
		'native' => static function () use ( $ck, $n ): void {
			for ( $i = 0; $i < $n; $i++ ) {
				\Keysmith\api_hash( $ck );
			}
		},
		'php'    => static function () use ( $ck, $n ): void {
			for ( $i = 0; $i < $n; $i++ ) {
				hash_hmac( 'sha256', $ck, 'wc-api' );
			}
		},
		'twin'   => $have_twin ? static function () use ( $ck, $n ): void {
			for ( $i = 0; $i < $n; $i++ ) {
				\Keysmith\Fallback\api_hash( $ck );
			}
		} : null,
	),
	$n,
	9
) + array( 'php_is' => 'hash_hmac()' );

// --- generate_keys (per key) ------------------------------------------------------------
$count = 100000;
$results['generate_keys'] = race(
	array(
		'native' => static fn(): array => \Keysmith\generate_keys( $count ),
		'php'    => static function () use ( $count ): array {
			$keys = array();
			for ( $i = 0; $i < $count; $i++ ) {
				$consumer_key    = 'ck_' . bin2hex( random_bytes( 20 ) );
				$consumer_secret = 'cs_' . bin2hex( random_bytes( 20 ) );
				$keys[]          = array(
					'consumer_key'    => $consumer_key,
					'consumer_secret' => $consumer_secret,
					'key_hash'        => hash_hmac( 'sha256', $consumer_key, 'wc-api' ),
					'truncated_key'   => substr( $consumer_key, -7 ),
				);
			}
			return $keys;
		},
		'twin'   => $have_twin ? static fn(): array => \Keysmith\Fallback\generate_keys( $count ) : null,
	),
	$count,
	5
) + array( 'php_is' => 'WooCommerce loop' );

// --- oauth_verify -----------------------------------------------------------------------
foreach ( array( 'oauth_verify_sha256' => 'HMAC-SHA256', 'oauth_verify_sha1' => 'HMAC-SHA1' ) as $name => $method ) {
	list( $url, $params, $secret ) = oauth_request( $method );
	if ( true !== \Keysmith\oauth_verify( 'GET', $url, $params, $secret ) ) {
		fwrite( STDERR, "micro.php: native oauth_verify rejected its own $method signature\n" );
		exit( 1 );
	}
	if ( $have_twin && true !== \Keysmith\Fallback\oauth_verify( 'GET', $url, $params, $secret ) ) {
		fwrite( STDERR, "micro.php: the twin rejected the native $method signature\n" );
		exit( 1 );
	}
	$n    = 40000;
	$best = race(
		array(
			'native' => static function () use ( $url, $params, $secret, $n ): void {
				for ( $i = 0; $i < $n; $i++ ) {
					\Keysmith\oauth_verify( 'GET', $url, $params, $secret );
				}
			},
			'twin'   => $have_twin ? static function () use ( $url, $params, $secret, $n ): void {
				for ( $i = 0; $i < $n; $i++ ) {
					\Keysmith\Fallback\oauth_verify( 'GET', $url, $params, $secret );
				}
			} : null,
		),
		$n,
		7
	);
	$results[ $name ] = array(
		'native' => $best['native'],
		'php'    => $best['twin'],
		'twin'   => $best['twin'],
		'php_is' => 'twin',
	);
}

// --- equals -----------------------------------------------------------------------------
// Two distinct strings with equal content: the whole length is compared.
$known = 'cs_' . bin2hex( random_bytes( 20 ) );
$user  = substr( 'x' . $known, 1 );
$n     = 1000000;
$results['equals'] = race(
	array(
		'native' => static function () use ( $known, $user, $n ): void {
			for ( $i = 0; $i < $n; $i++ ) {
				\Keysmith\equals( $known, $user );
			}
		},
		'php'    => static function () use ( $known, $user, $n ): void {
			for ( $i = 0; $i < $n; $i++ ) {
				hash_equals( $known, $user );
			}
		},
		'twin'   => $have_twin ? static function () use ( $known, $user, $n ): void {
			for ( $i = 0; $i < $n; $i++ ) {
				\Keysmith\Fallback\equals( $known, $user );
			}
		} : null,
	),
	$n,
	9
) + array( 'php_is' => 'hash_equals()' );

// --- sealed secrets: open + verify against today's verify --------------------------------
// What a sealed key adds to a request: opening its sealed secret (base64, ChaCha20-Poly1305) inside
// the extension before the same comparison or OAuth check. Target: at most 2 µs more per request.
$sealing = \Keysmith\sealing_status();
if ( true !== $sealing['configured'] ) {
	fwrite( STDERR, 'micro.php: no sealing key (run with -d keysmith.sealing_key_file=tests/vectors/sealing/current.key): ' . ( $sealing['error'] ?? 'not configured' ) . "\n" );
	exit( 1 );
}
if ( $have_twin ) {
	\Keysmith\Fallback\SealingKeys::configure( (string) $sealing['key_file'] );
}
$sealed_rows = array();
$ad          = hash_hmac( 'sha256', 'ck_0123456789abcdef0123456789abcdef01234567', 'wc-api' );
foreach ( array( 'sealed_oauth_verify_sha256' => 'HMAC-SHA256', 'sealed_oauth_verify_sha1' => 'HMAC-SHA1' ) as $name => $method ) {
	list( $url, $params, $secret ) = oauth_request( $method );
	$sealed = \Keysmith\seal( $secret, $ad );
	if ( true !== \Keysmith\sealed_oauth_verify( 'GET', $url, $params, $sealed, $ad ) ) {
		fwrite( STDERR, "micro.php: sealed_oauth_verify rejected its own $method signature\n" );
		exit( 1 );
	}
	$n    = 40000;
	$best = race(
		array(
			'plain'       => static function () use ( $url, $params, $secret, $n ): void {
				for ( $i = 0; $i < $n; $i++ ) {
					\Keysmith\oauth_verify( 'GET', $url, $params, $secret );
				}
			},
			'sealed'      => static function () use ( $url, $params, $sealed, $ad, $n ): void {
				for ( $i = 0; $i < $n; $i++ ) {
					\Keysmith\sealed_oauth_verify( 'GET', $url, $params, $sealed, $ad );
				}
			},
			'twin_sealed' => $have_twin ? static function () use ( $url, $params, $sealed, $ad, $n ): void {
				for ( $i = 0; $i < $n; $i++ ) {
					\Keysmith\Fallback\sealed_oauth_verify( 'GET', $url, $params, $sealed, $ad );
				}
			} : null,
		),
		$n,
		9
	);
	$sealed_rows[ $name ] = $best + array( 'plain_is' => 'oauth_verify()' );
}
$secret = 'cs_' . bin2hex( random_bytes( 20 ) );
$sealed = \Keysmith\seal( $secret, $ad );
$other  = substr( 'x' . $secret, 1 );
$n      = 200000;
$sealed_rows['sealed_equals'] = race(
	array(
		'plain'       => static function () use ( $secret, $other, $n ): void {
			for ( $i = 0; $i < $n; $i++ ) {
				\Keysmith\equals( $secret, $other );
			}
		},
		'sealed'      => static function () use ( $sealed, $ad, $other, $n ): void {
			for ( $i = 0; $i < $n; $i++ ) {
				\Keysmith\sealed_equals( $sealed, $ad, $other );
			}
		},
		'twin_sealed' => $have_twin ? static function () use ( $sealed, $ad, $other, $n ): void {
			for ( $i = 0; $i < $n; $i++ ) {
				\Keysmith\Fallback\sealed_equals( $sealed, $ad, $other );
			}
		} : null,
	),
	$n,
	9
) + array( 'plain_is' => 'equals()' );

// --- report -----------------------------------------------------------------------------
$rows = array();
printf( "keysmith %s micro-benchmarks (PHP %s, best of rounds, ns per call)\n", \Keysmith\version(), PHP_VERSION );
printf( "%-20s %12s %12s %-17s %12s %9s %8s\n", 'name', 'native_ns', 'php_ns', 'php side', 'twin_ns', 'ratio', 'target' );
foreach ( $results as $name => $r ) {
	$ratio  = null === $r['php'] ? null : $r['php'] / $r['native'];
	$rows[] = array(
		'name'      => $name,
		'native_ns' => round( $r['native'], 1 ),
		'php_ns'    => null === $r['php'] ? null : round( $r['php'], 1 ),
		'ratio'     => null === $ratio ? null : round( $ratio, 2 ),
	);
	$met = null === $ratio ? 'n/a' : ( $ratio >= TARGETS[ $name ] ? 'met' : 'MISSED' );
	printf(
		"%-20s %12.1f %12s %-17s %12s %8sx %5.1fx %s\n",
		$name,
		$r['native'],
		null === $r['php'] ? '-' : sprintf( '%.1f', $r['php'] ),
		$r['php_is'],
		null === $r['twin'] ? '-' : sprintf( '%.1f', $r['twin'] ),
		null === $ratio ? '-' : sprintf( '%.2f', $ratio ),
		TARGETS[ $name ],
		$met
	);
}

$sealed_json = array();
printf( "\nsealed secrets: what opening the sealed secret adds (ns per call; target: at most %d ns more)\n", SEALED_EXTRA_NS );
printf( "%-28s %12s %12s %-15s %10s %12s %s\n", 'name', 'sealed_ns', 'plain_ns', 'plain', 'extra_ns', 'twin_ns', 'target' );
foreach ( $sealed_rows as $name => $r ) {
	$extra         = $r['sealed'] - $r['plain'];
	$sealed_json[] = array(
		'name'            => $name,
		'sealed_ns'       => round( $r['sealed'], 1 ),
		'plain_ns'        => round( $r['plain'], 1 ),
		'extra_ns'        => round( $extra, 1 ),
		'twin_sealed_ns'  => null === $r['twin_sealed'] ? null : round( $r['twin_sealed'], 1 ),
		'target_extra_ns' => SEALED_EXTRA_NS,
	);
	printf( "%-28s %12.1f %12.1f %-15s %10.1f %12s %s\n", $name, $r['sealed'], $r['plain'], $r['plain_is'], $extra, null === $r['twin_sealed'] ? '-' : sprintf( '%.1f', $r['twin_sealed'] ), $extra <= SEALED_EXTRA_NS ? 'met' : 'MISSED' );
}

$out_dir = $root . '/target/bench';
if ( ! is_dir( $out_dir ) && ! mkdir( $out_dir, 0777, true ) && ! is_dir( $out_dir ) ) {
	fwrite( STDERR, "micro.php: cannot create $out_dir\n" );
	exit( 1 );
}
file_put_contents( $out_dir . '/micro.json', json_encode( array_merge( $rows, $sealed_json ), JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES ) . "\n" );
echo "wrote target/bench/micro.json\n";
