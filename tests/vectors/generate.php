<?php
/**
 * Writes the shared test vectors (tests/vectors/*.json) from case inputs.
 *
 * Usage: php tests/vectors/generate.php            (rewrites the JSON files)
 *        php tests/vectors/generate.php --check    (exit 1 if a file would change)
 *
 * Every expected value is computed by the functions below, which re-implement, in behaviour,
 * the WooCommerce / WordPress code they are named after. They are written for this project, kept
 * as close to the original control flow as possible (quirks included) and say which upstream
 * function each one mirrors. Neither the extension nor the plugin's pure-PHP twin is used here:
 * the vectors must be able to catch both of them.
 *
 * The unit tests also load this file (without running it) to use the reference as a third
 * opinion in the randomized differential test.
 *
 * No declare(strict_types=1) on purpose: WooCommerce runs in PHP's default coercive mode, and its
 * code depends on it (integer array keys go through rawurlencode()), so the reference must too.
 *
 * @package Keysmith
 */

namespace Keysmith\Tests\WcReference;

/*
 * ---------------------------------------------------------------------------------------------
 * Reference implementation (WooCommerce trunk, ~11.2.0-dev; WordPress 6.1 for get_home_url).
 * ---------------------------------------------------------------------------------------------
 */

/** Mirrors wc_api_hash() in plugins/woocommerce/includes/wc-core-functions.php. */
function wc_api_hash( $data ) {
	return hash_hmac( 'sha256', $data, 'wc-api' );
}

/**
 * Mirrors wc_rest_urlencode_rfc3986() in plugins/woocommerce/includes/wc-rest-functions.php:
 * recursive over arrays (array_map keeps the inner keys, unencoded), rawurlencode() on scalars,
 * then '+' -> ' ' and '%7E' -> '~' (both no-ops on PHP >= 5.3, kept for fidelity).
 */
function wc_rest_urlencode_rfc3986( $value ) {
	if ( is_array( $value ) ) {
		return array_map( __NAMESPACE__ . '\\wc_rest_urlencode_rfc3986', $value );
	}
	return str_replace( array( '+', '%7E' ), array( ' ', '~' ), rawurlencode( $value ) );
}

/** Mirrors WC_REST_Authentication::normalize_parameters() (class-wc-rest-authentication.php). */
function normalize_parameters( $parameters ) {
	$keys   = wc_rest_urlencode_rfc3986( array_keys( $parameters ) );
	$values = wc_rest_urlencode_rfc3986( array_values( $parameters ) );
	return array_combine( $keys, $values );
}

/**
 * Mirrors WC_REST_Authentication::join_with_equals_sign(). Quirks kept: `if ( $key )` treats a
 * parent key "0" / 0 / "" as absent; inner keys are used raw; each pair is encoded once more.
 */
function join_with_equals_sign( $params, $query_params = array(), $key = '' ) {
	foreach ( $params as $param_key => $param_value ) {
		if ( $key ) {
			$param_key = $key . '%5B' . $param_key . '%5D';
		}
		if ( is_array( $param_value ) ) {
			$query_params = join_with_equals_sign( $param_value, $query_params, $param_key );
		} else {
			$string         = $param_key . '=' . $param_value;
			$query_params[] = wc_rest_urlencode_rfc3986( $string );
		}
	}
	return $query_params;
}

/**
 * Mirrors the string-to-sign part of WC_REST_Authentication::check_oauth_signature():
 * strtoupper(method), rawurlencode(url), drop oauth_signature, uksort strcmp on the raw keys,
 * normalize, join, implode with '%26'.
 */
function string_to_sign( $http_method, $url, $params ) {
	unset( $params['oauth_signature'] );
	uksort( $params, 'strcmp' );
	$params       = normalize_parameters( $params );
	$query_string = implode( '%26', join_with_equals_sign( $params ) );
	return strtoupper( $http_method ) . '&' . rawurlencode( $url ) . '&' . $query_string;
}

/**
 * Mirrors the signing part of check_oauth_signature(): only HMAC-SHA1 / HMAC-SHA256, key is the
 * consumer secret plus '&', base64 of the raw HMAC. Returns null for any other method.
 */
function oauth_signature( $string_to_sign, $consumer_secret, $signature_method ) {
	if ( 'HMAC-SHA1' !== $signature_method && 'HMAC-SHA256' !== $signature_method ) {
		return null;
	}
	$hash_algorithm = strtolower( str_replace( 'HMAC-', '', $signature_method ) );
	return base64_encode( hash_hmac( $hash_algorithm, $string_to_sign, $consumer_secret . '&', true ) );
}

/**
 * Mirrors check_oauth_signature()'s comparison: the provided signature is
 * rawurldecode(str_replace(' ', '+', sig)) and is compared with hash_equals.
 */
function oauth_verify( $http_method, $url, $params, $consumer_secret ) {
	$provided = rawurldecode( str_replace( ' ', '+', $params['oauth_signature'] ) );
	$expected = oauth_signature( string_to_sign( $http_method, $url, $params ), $consumer_secret, $params['oauth_signature_method'] );
	return null !== $expected && hash_equals( $expected, $provided );
}

/** Mirrors WC_REST_Authentication::parse_header(), regex typo `(:?` and empty("0") included. */
function parse_header( $header ) {
	if ( 'OAuth ' !== substr( $header, 0, 6 ) ) {
		return array();
	}
	$params = array();
	if ( preg_match_all( '/(oauth_[a-z_-]*)=(:?"([^"]*)"|([^,]*))/', $header, $matches ) ) {
		foreach ( $matches[1] as $i => $h ) {
			$params[ $h ] = urldecode( empty( $matches[3][ $i ] ) ? $matches[4][ $i ] : $matches[3][ $i ] );
		}
		if ( isset( $params['realm'] ) ) {
			unset( $params['realm'] );
		}
	}
	return $params;
}

/**
 * The URL WooCommerce signs, as check_oauth_signature() builds it from the `home` option and
 * REQUEST_URI: strip get_home_url(null, '/', 'relative') from the request path, then
 * get_home_url(null, $path, is_ssl() ? 'https' : 'http'). Mirrors WordPress's get_home_url() /
 * set_url_scheme() (wp-includes/link-template.php) without filters: a falsy path ('' or '0')
 * yields the bare home URL.
 */
function signed_url( $home, $request_uri, $is_ssl ) {
	$request_path = parse_url( $request_uri, PHP_URL_PATH );
	$wp_base      = home_url_relative_base( $home );
	if ( substr( $request_path, 0, strlen( $wp_base ) ) === $wp_base ) {
		$request_path = substr( $request_path, strlen( $wp_base ) );
	}
	$url = preg_replace( '#^\w+://#', ( $is_ssl ? 'https' : 'http' ) . '://', trim( $home ) );
	if ( $request_path && is_string( $request_path ) ) {
		$url .= '/' . ltrim( $request_path, '/' );
	}
	return $url;
}

/** get_home_url( null, '/', 'relative' ): the home path with a trailing slash, e.g. '/shop/'. */
function home_url_relative_base( $home ) {
	$url = ltrim( preg_replace( '#^\w+://[^/]*#', '', trim( $home ) . '/' ) );
	if ( '' !== $url && '/' === $url[0] ) {
		$url = '/' . ltrim( $url, "/ \t\n\r\0\x0B" );
	}
	return $url;
}

/**
 * RFC 5849 §3.4.1.3.2 parameter normalisation (encode, then sort by encoded name and value),
 * used only to show where WooCommerce's rules coincide with the RFC's.
 *
 * @param array<int, array{0: string, 1: string}> $pairs Decoded name/value pairs.
 */
function rfc5849_base_string( $method, $url, $pairs ) {
	$encoded = array();
	foreach ( $pairs as $pair ) {
		$encoded[] = array( rawurlencode( $pair[0] ), rawurlencode( $pair[1] ) );
	}
	usort(
		$encoded,
		static function ( $a, $b ) {
			return strcmp( $a[0], $b[0] ) ?: strcmp( $a[1], $b[1] );
		}
	);
	$joined = implode( '&', array_map( static fn( $p ) => $p[0] . '=' . $p[1], $encoded ) );
	return strtoupper( $method ) . '&' . rawurlencode( $url ) . '&' . rawurlencode( $joined );
}

/*
 * ---------------------------------------------------------------------------------------------
 * Case inputs. Only the generator below runs when this file is executed directly.
 * ---------------------------------------------------------------------------------------------
 */

const CK = 'ck_0123456789abcdef0123456789abcdef01234567';
const CS = 'cs_fedcba9876543210fedcba9876543210fedcba98';

/** The standard one-legged OAuth parameters of the contract example (docs/woocommerce-compatibility.md §3.4). */
function oauth_std( $method = 'HMAC-SHA256' ) {
	return array(
		'oauth_consumer_key'     => CK,
		'oauth_nonce'            => 'abc123',
		'oauth_signature_method' => $method,
		'oauth_timestamp'        => '1700000000',
	);
}

/** PHP's own parsing of a query string, as $_GET would hold it (names mangled, a[] indexed). */
function php_query( $query ) {
	parse_str( $query, $out );
	return $out;
}

/** Nested array $depth levels below the top-level key, leaf 'leaf'. */
function deep( $depth ) {
	$value = 'leaf';
	for ( $i = 0; $i < $depth; $i++ ) {
		$value = array( 'k' . $i => $value );
	}
	return $value;
}

function api_hash_cases() {
	return array(
		array( 'name' => 'contract §2.4 consumer key', 'input' => CK ),
		array( 'name' => 'empty string', 'input' => '' ),
		array( 'name' => 'consumer secret', 'input' => CS ),
		array( 'name' => 'the HMAC key itself', 'input' => 'wc-api' ),
		array( 'name' => 'unicode', 'input' => "cl\u{e9} \u{1f511} \u{043a}\u{043b}\u{044e}\u{0447}" ),
		array( 'name' => 'longer than one SHA-256 block (200 bytes)', 'input' => str_repeat( 'x', 200 ) ),
		array( 'name' => 'exactly one block (64 bytes)', 'input' => str_repeat( 'ab', 32 ) ),
		array( 'name' => 'NUL bytes', 'input_hex' => '0000000000' ),
		array( 'name' => 'invalid UTF-8 / binary', 'input_hex' => 'ff80c328a0e2828a1fe000' ),
		array( 'name' => 'all 256 byte values', 'input_hex' => bin2hex( implode( '', array_map( 'chr', range( 0, 255 ) ) ) ) ),
		array( 'name' => 'key with surrounding whitespace (hashed as given)', 'input' => ' ' . CK . "\n" ),
	);
}

function key_cases() {
	return array(
		array( 'name' => 'contract §2.4', 'consumer_key' => CK ),
		array( 'name' => 'all zeros', 'consumer_key' => 'ck_' . str_repeat( '0', 40 ) ),
		array( 'name' => 'all f', 'consumer_key' => 'ck_' . str_repeat( 'f', 40 ) ),
		array( 'name' => 'random-looking', 'consumer_key' => 'ck_90cb93d1d38c5b84599121229c11ed2b8b5dfeff' ),
	);
}

/**
 * OAuth cases. Each has method, params, secret, signature_method, and either `url` or the request
 * as WordPress sees it (`home`, `request_uri`, `https`), from which the signed URL is derived the
 * way WooCommerce derives it.
 */
function oauth_cases() {
	$root  = 'http://example.com';
	$route = '/wp-json/wc/v3/products';
	$cases = array(
		array(
			'name'   => 'contract §3.4: GET products, HMAC-SHA256',
			'method' => 'GET', 'home' => $root, 'request_uri' => $route . '?per_page=5', 'https' => false,
			'params' => array( 'per_page' => '5' ) + oauth_std(),
		),
		array(
			'name'   => 'contract §3.4 with HMAC-SHA1',
			'method' => 'GET', 'home' => $root, 'request_uri' => $route, 'https' => false,
			'params' => array( 'per_page' => '5' ) + oauth_std( 'HMAC-SHA1' ),
		),
		array(
			'name'   => 'contract §3.4: a[]=1&a[]=2&x.y=3&filter[period]=week&s=a+b%2Bc, parsed as PHP parses the query',
			'method' => 'GET', 'home' => $root, 'request_uri' => $route, 'https' => false,
			'params' => php_query( 'a[]=1&a[]=2&x.y=3&filter[period]=week&s=a+b%2Bc&oauth_consumer_key=' . CK . '&oauth_nonce=abc123&oauth_signature_method=HMAC-SHA256&oauth_timestamp=1700000000' ),
		),
		array(
			'name'   => 'oauth_signature in the params is never signed',
			'method' => 'GET', 'home' => $root, 'request_uri' => $route, 'https' => false,
			'params' => array( 'per_page' => '5' ) + oauth_std() + array( 'oauth_signature' => 'OHRPgb189UsJayMZRf1jY/Uk8C0V87cxe2fq74F/7GU=' ),
		),
		array(
			'name'   => 'empty parameter list',
			'method' => 'GET', 'url' => $root . $route,
			'params' => array(),
		),
		array(
			'name'   => 'empty values and an empty key',
			'method' => 'GET', 'url' => $root . $route,
			'params' => array( 'a' => '', '' => 'v', 'b' => '' ) + oauth_std(),
		),
		array(
			'name'   => 'unicode keys and values',
			'method' => 'GET', 'url' => $root . $route,
			'params' => array( "na\u{ef}ve" => "caf\u{e9} \u{2615}", "\u{043a}\u{043b}\u{044e}\u{0447}" => "\u{0437}\u{043d}\u{0430}\u{0447}\u{0435}\u{043d}\u{0438}\u{0435}", 'emoji' => "\u{1f511}" ) + oauth_std(),
		),
		array(
			'name'   => "reserved characters !*'();:@&=+\$,/?#[] and % in values and keys",
			'method' => 'POST', 'url' => $root . $route,
			'params' => array(
				'v'          => "!*'();:@&=+\$,/?#[]%",
				'pct'        => '100%25 sure%2B',
				'k!*\'();:@' => 'x',
				'k&=+$,/?#%' => 'y',
				'unreserved' => 'AZaz09-._~',
				'space'      => 'a b',
			) + oauth_std(),
		),
		array(
			'name'   => 'integer keys sort by their string form (0 < 1 < 10 < 2)',
			'method' => 'GET', 'url' => $root . $route,
			'params' => array( 10 => 'ten', 2 => 'two', 0 => 'zero', 1 => 'one', '01' => 'zero-one' ) + oauth_std(),
		),
		array(
			'name'   => 'integer values stringify',
			'method' => 'GET', 'url' => $root . $route,
			'params' => array( 'per_page' => 5, 'page' => 2, 'neg' => -7, 'big' => PHP_INT_MAX, 'nest' => array( 'n' => 0 ) ) + oauth_std(),
		),
		array(
			'name'   => 'top-level key "0" as a parent is treated as absent (WooCommerce `if ( $key )` quirk)',
			'method' => 'GET', 'url' => $root . $route,
			'params' => array( '0' => array( 'a' => 'x', 'b' => array( 'c' => 'y' ), 0 => 'z' ) ) + oauth_std(),
		),
		array(
			'name'   => 'empty-string key as a parent is treated as absent (same quirk)',
			'method' => 'GET', 'url' => $root . $route,
			'params' => array( '' => array( 'k' => 'v', 'l' => array( 'm' => 'w' ) ) ) + oauth_std(),
		),
		array(
			'name'   => 'query 0[0]=x&a[0][0]=y: nested list indexes, a falsy parent at the top only',
			'method' => 'GET', 'url' => $root . $route,
			'params' => php_query( '0[0]=x&a[0][0]=y&a[0][1]=z' ) + oauth_std(),
		),
		array(
			'name'   => 'nested arrays 4 levels deep, inner keys raw and unsorted',
			'method' => 'GET', 'url' => $root . $route,
			'params' => php_query( 'filter[z][y][x]=1&filter[a b][c%26d][]=2&filter[a b][c%26d][]=3&filter[m]=4' ) + oauth_std(),
		),
		array(
			'name'   => 'nested 64 levels (the deepest allowed)',
			'method' => 'GET', 'url' => $root . $route,
			'params' => array( 'd' => deep( 64 ) ) + oauth_std(),
		),
		array(
			'name'   => 'empty nested arrays produce no pair',
			'method' => 'GET', 'url' => $root . $route,
			'params' => array( 'a' => array(), 'b' => array( 'c' => array(), 'd' => array( 'e' => array() ) ), 'z' => '1' ) + oauth_std(),
		),
		array(
			'name'   => 'raw-key sort differs from RFC encoded sort (c2 < c@, z < é)',
			'method' => 'GET', 'url' => $root . $route,
			'params' => array( 'c@' => '1', 'c2' => '2', "\u{e9}" => '3', 'z' => '4', 'Z' => '5', '_' => '6', 'a' => '7' ) + oauth_std(),
		),
		array(
			'name'   => 'values already percent-encoded are encoded again (%2520)',
			'method' => 'GET', 'url' => $root . $route,
			'params' => array( 'q' => 'a%20b', 'r' => '%25', 's' => '%' ) + oauth_std(),
		),
		array(
			'name'   => 'PHP query parsing: duplicate name (last wins), space and dot in names',
			'method' => 'GET', 'url' => $root . $route,
			'params' => php_query( 'a=1&a=2&x y=3&p.q=4&arr[x.y]=5' ) + oauth_std(),
		),
		array(
			'name'   => 'subdirectory home URL',
			'method' => 'GET', 'home' => 'http://example.com/shop', 'request_uri' => '/shop/wp-json/wc/v3/orders?status=processing', 'https' => false,
			'params' => array( 'status' => 'processing' ) + oauth_std(),
		),
		array(
			'name'   => 'subdirectory home, plain permalinks: bare home URL without trailing slash',
			'method' => 'GET', 'home' => 'http://example.com/shop', 'request_uri' => '/shop/?rest_route=/wc/v3/orders', 'https' => false,
			'params' => array( 'rest_route' => '/wc/v3/orders' ) + oauth_std(),
		),
		array(
			'name'   => 'root URL without trailing slash (plain permalinks, ?rest_route=)',
			'method' => 'GET', 'home' => $root, 'request_uri' => '/?rest_route=/wc/v3/products', 'https' => false,
			'params' => array( 'rest_route' => '/wc/v3/products' ) + oauth_std(),
		),
		array(
			'name'   => 'https: scheme forced by is_ssl() over an http home option',
			'method' => 'GET', 'home' => $root, 'request_uri' => $route, 'https' => true,
			'params' => oauth_std(),
		),
		array(
			'name'   => 'non-default port',
			'method' => 'DELETE', 'home' => 'http://example.com:8080', 'request_uri' => '/wp-json/wc/v3/products/42', 'https' => false,
			'params' => array( 'force' => 'true' ) + oauth_std( 'HMAC-SHA1' ),
		),
		array(
			'name'   => 'https with port and subdirectory, trailing slash in the path kept',
			'method' => 'PUT', 'home' => 'https://shop.example.org:8443/store', 'request_uri' => '/store/wp-json/wc/v3/products/7/', 'https' => true,
			'params' => array( 'name' => 'New name' ) + oauth_std(),
		),
		array(
			'name'   => 'percent-encoded request path is signed raw (encoded again)',
			'method' => 'GET', 'home' => $root, 'request_uri' => '/wp-json/wc/v3/products/%C3%A9t%C3%A9', 'https' => false,
			'params' => oauth_std(),
		),
		array(
			'name'   => 'request path "0" is falsy for get_home_url(): bare home URL',
			'method' => 'GET', 'home' => $root, 'request_uri' => '/0', 'https' => false,
			'params' => oauth_std(),
		),
		array(
			'name'   => 'lower-case method is upper-cased',
			'method' => 'post', 'url' => $root . $route,
			'params' => array( 'name' => 'Widget' ) + oauth_std(),
		),
		array(
			'name'   => 'realistic list request, HMAC-SHA1, 9 parameters and filter[...]',
			'method' => 'GET', 'url' => 'https://shop.example.com/wp-json/wc/v3/orders',
			'params' => php_query( 'per_page=50&page=3&status=completed&orderby=date&order=desc&after=2026-01-01T00:00:00&filter[meta_key]=_customer_user&filter[meta_value]=12&oauth_consumer_key=' . CK . '&oauth_nonce=n0nc3-' . str_repeat( 'x', 26 ) . '&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1700000123&oauth_version=1.0' ),
		),
		array(
			'name'   => 'empty secret (key is just "&")',
			'method' => 'GET', 'url' => $root . $route,
			'params' => oauth_std(), 'secret' => '',
		),
	);

	// RFC 5849 §3.4.1.1: POST /request?b5=%3D%253D&a3=a&c%40=&a2=r%20b, body c2&a3=2+q, header
	// with oauth_token etc. PHP (and so WooCommerce) merges $_GET and $_POST, so the duplicate a3
	// collapses to the body's "2 q", and raw-key sorting puts c2 before c@: the base string differs
	// from the RFC's. Shown as WooCommerce sees it.
	$rfc_header = array(
		'oauth_consumer_key'     => '9djdj82h48djs9d2',
		'oauth_token'            => 'kkk9d7dh3k39sjv7',
		'oauth_signature_method' => 'HMAC-SHA1',
		'oauth_timestamp'        => '137131201',
		'oauth_nonce'            => '7d8f3e4a',
	);
	$cases[] = array(
		'name'   => 'RFC 5849 §3.4.1.1 request as WooCommerce sees it (a3 collapsed, c2 before c@; differs from the RFC)',
		'method' => 'POST', 'url' => 'http://example.com/request',
		'params' => array_merge( php_query( 'b5=%3D%253D&a3=a&c%40=&a2=r%20b' ), php_query( 'c2&a3=2+q' ), $rfc_header ),
		'secret' => 'j49sk3j29djd',
	);
	// The same request without the parts where the rules differ (body a3 and c2 dropped): here
	// WooCommerce's string to sign is exactly the RFC's (checked below against rfc5849_base_string
	// and against the RFC text with those two pairs removed). The RFC signs with a token secret;
	// WooCommerce is one-legged (key = consumer secret + '&'), so the signature is WooCommerce's.
	$cases[] = array(
		'name'          => 'RFC 5849 §3.4.1.1 where WooCommerce coincides with the RFC (no duplicate name, no c2); one-legged key',
		'method'        => 'POST', 'url' => 'http://example.com/request',
		'params'        => array_merge( php_query( 'b5=%3D%253D&a3=a&c%40=&a2=r%20b' ), $rfc_header ),
		'secret'        => 'j49sk3j29djd',
		'rfc_must_equal' => 'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
	);
	// RFC 5849 §1.2 photos request: WooCommerce's string to sign equals the RFC algorithm's (the
	// signature differs only because the RFC's key includes a token secret).
	$cases[] = array(
		'name'           => 'RFC 5849 §1.2 photos request: string to sign as the RFC algorithm gives it; one-legged key kd94hf93k423kf44&',
		'method'         => 'GET', 'url' => 'http://photos.example.net/photos',
		'params'         => array(
			'file'                   => 'vacation.jpg',
			'size'                   => 'original',
			'oauth_consumer_key'     => 'dpf43f3p2l4k3l03',
			'oauth_token'            => 'nnch734d00sl2jdk',
			'oauth_signature_method' => 'HMAC-SHA1',
			'oauth_timestamp'        => '137131202',
			'oauth_nonce'            => 'chapoH',
		),
		'secret'         => 'kd94hf93k423kf44',
		'rfc_must_equal' => 'GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131202%26oauth_token%3Dnnch734d00sl2jdk%26size%3Doriginal',
	);
	return $cases;
}

function header_cases() {
	$std = 'OAuth oauth_consumer_key="' . CK . '", oauth_nonce="abc123", oauth_signature="OHRPgb189UsJayMZRf1jY%2FUk8C0V87cxe2fq74F%2F7GU%3D", oauth_signature_method="HMAC-SHA256", oauth_timestamp="1700000000"';
	return array(
		array( 'name' => 'typical client header', 'header' => $std ),
		array( 'name' => 'with realm and oauth_version (realm never captured)', 'header' => 'OAuth realm="Example", oauth_consumer_key="ck", oauth_version="1.0"' ),
		array( 'name' => 'empty string', 'header' => '' ),
		array( 'name' => 'just the prefix', 'header' => 'OAuth ' ),
		array( 'name' => 'prefix without space', 'header' => 'OAuth' ),
		array( 'name' => 'non-OAuth scheme (Basic)', 'header' => 'Basic Y2s6Y3M=' ),
		array( 'name' => 'lower-case scheme is not OAuth', 'header' => 'oauth oauth_nonce="x"' ),
		array( 'name' => 'leading space: no trimming here', 'header' => ' OAuth oauth_nonce="x"' ),
		array( 'name' => 'tab after OAuth is not the prefix', 'header' => "OAuth\toauth_nonce=\"x\"" ),
		array( 'name' => 'extra spaces after the prefix and around commas', 'header' => 'OAuth    oauth_a="1"   ,    oauth_b="2" ,oauth_c="3"' ),
		array( 'name' => 'unquoted values run to the next comma (spaces kept)', 'header' => 'OAuth oauth_nonce=abc , oauth_timestamp=123, oauth_last=tail  ' ),
		array( 'name' => 'no commas: quoted values still split, unquoted swallow the rest', 'header' => 'OAuth oauth_a="1" oauth_b="2" oauth_c=3 oauth_d=4' ),
		array( 'name' => 'regex typo (:? allows a colon before a quoted value', 'header' => 'OAuth oauth_a=:"quoted", oauth_b=:bare, oauth_c=::"x"' ),
		array( 'name' => 'quoted "0" is PHP-empty: the (empty) unquoted group wins', 'header' => 'OAuth oauth_nonce="0", oauth_timestamp=0, oauth_x="00"' ),
		array( 'name' => 'empty quoted and empty unquoted values', 'header' => 'OAuth oauth_a="", oauth_b=, oauth_c=' ),
		array( 'name' => 'duplicate names: last value, first position', 'header' => 'OAuth oauth_nonce="a", oauth_timestamp="1", oauth_nonce="b"' ),
		array( 'name' => 'upper-case names are not captured', 'header' => 'OAuth OAUTH_NONCE="x", oauth_Nonce="y", Oauth_token="t", oauth_nonce="z"' ),
		array( 'name' => 'names with - and _ ; digits end the name', 'header' => 'OAuth oauth_my-param_x="v", oauth_v2="w", oauth_="e"' ),
		array( 'name' => 'name embedded in a longer word is still found', 'header' => 'OAuth xoauth_nonce="v", foo_oauth_token="t"' ),
		array( 'name' => "'+' and %xx in values are urldecoded", 'header' => 'OAuth oauth_signature="abc+def%2Bghi%3D%2f", oauth_u="%E2%9C%93+%e2%9c%93", oauth_bad="%zz%4%"' ),
		array( 'name' => 'commas inside quotes are kept', 'header' => 'OAuth oauth_nonce="a,b,c", oauth_x=c,d' ),
		array( 'name' => 'unterminated quote swallows up to the next quote', 'header' => 'OAuth oauth_nonce="abc, oauth_x="1", oauth_y="2"' ),
		array( 'name' => 'unterminated quote at the end falls back to the unquoted form', 'header' => 'OAuth oauth_a="1", oauth_b="open, more' ),
		array( 'name' => 'newline inside a quoted value', 'header' => "OAuth oauth_a=\"line1\nline2\", oauth_b=\"x\"" ),
		array( 'name' => 'unicode bytes in values', 'header' => "OAuth oauth_nonce=\"caf\u{e9}\", oauth_x=\u{2615}" ),
		array( 'name' => 'space before = is not a parameter', 'header' => 'OAuth oauth_nonce ="x", oauth_ok="y"' ),
		array( 'name' => 'repeated oauth_ prefixes without = are one name run, never a match', 'header' => 'OAuth ' . str_repeat( 'oauth_', 200 ) . 'x, oauth_oauth_nonce="n", oauth_' . str_repeat( 'oauth_', 50 ) . '="deep"' ),
	);
}

/*
 * ---------------------------------------------------------------------------------------------
 * Generator.
 * ---------------------------------------------------------------------------------------------
 */

/** PHP arrays to JSON objects all the way down (lists too), so key order and int keys survive. */
function to_object( $value ) {
	if ( ! is_array( $value ) ) {
		return $value;
	}
	$object = new \stdClass();
	foreach ( $value as $k => $v ) {
		$object->{$k} = to_object( $v );
	}
	return $object;
}

function assert_equal( $expected, $actual, $what ) {
	if ( $expected !== $actual ) {
		fwrite( STDERR, "generate.php: cross-check failed for {$what}\n expected: {$expected}\n actual:   {$actual}\n" );
		exit( 1 );
	}
}

function build_api_hash() {
	$out = array();
	foreach ( api_hash_cases() as $case ) {
		$input           = isset( $case['input_hex'] ) ? hex2bin( $case['input_hex'] ) : $case['input'];
		$case['expected'] = wc_api_hash( $input );
		$out[]           = $case;
	}
	// Cross-check against docs/woocommerce-compatibility.md §2.4, typed in from the document.
	assert_equal( '4ffbd479cad9f24fb43a1516cb436a9dad0e2e23ef491464e29c2d81dae32edd', $out[0]['expected'], '§2.4 api_hash' );
	return array(
		'description' => 'wc_api_hash($data) = hash_hmac("sha256", $data, "wc-api"). Case input is "input" (UTF-8 text) or "input_hex" (raw bytes, hex-encoded); "expected" is 64 lowercase hex. Generated by tests/vectors/generate.php.',
		'cases'       => $out,
	);
}

function build_keys() {
	$out = array();
	foreach ( key_cases() as $case ) {
		$case['key_hash']      = wc_api_hash( $case['consumer_key'] );
		$case['truncated_key'] = substr( $case['consumer_key'], -7 );
		$out[]                 = $case;
	}
	assert_equal( '4ffbd479cad9f24fb43a1516cb436a9dad0e2e23ef491464e29c2d81dae32edd', $out[0]['key_hash'], '§2.4 key_hash' );
	assert_equal( '1234567', $out[0]['truncated_key'], '§2.4 truncated_key' );
	return array(
		'description' => 'What WooCommerce stores for a plaintext consumer key: key_hash = wc_api_hash(consumer_key) (the consumer_key column), truncated_key = substr(consumer_key, -7). Generated by tests/vectors/generate.php.',
		'cases'       => $out,
	);
}

/**
 * The RFC 5849 §3.4.1.1 example, typed in from the RFC: proves rfc5849_base_string() implements the
 * RFC before it is used to show where WooCommerce coincides with it.
 */
function check_rfc_reference() {
	$pairs = array( array( 'b5', '=%3D' ), array( 'a3', 'a' ), array( 'c@', '' ), array( 'a2', 'r b' ), array( 'c2', '' ), array( 'a3', '2 q' ) );
	foreach ( array( 'oauth_consumer_key' => '9djdj82h48djs9d2', 'oauth_token' => 'kkk9d7dh3k39sjv7', 'oauth_signature_method' => 'HMAC-SHA1', 'oauth_timestamp' => '137131201', 'oauth_nonce' => '7d8f3e4a' ) as $k => $v ) {
		$pairs[] = array( $k, $v );
	}
	assert_equal(
		'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
		rfc5849_base_string( 'POST', 'http://example.com/request', $pairs ),
		'RFC 5849 §3.4.1.1 text'
	);
}

function build_oauth() {
	check_rfc_reference();
	$out = array();
	foreach ( oauth_cases() as $case ) {
		$url    = isset( $case['url'] ) ? $case['url'] : signed_url( $case['home'], $case['request_uri'], $case['https'] );
		$secret = array_key_exists( 'secret', $case ) ? $case['secret'] : CS;
		$method = isset( $case['params']['oauth_signature_method'] ) ? $case['params']['oauth_signature_method'] : 'HMAC-SHA256';
		$base   = string_to_sign( $case['method'], $url, $case['params'] );
		if ( isset( $case['rfc_must_equal'] ) ) {
			assert_equal( $case['rfc_must_equal'], $base, $case['name'] );
			$pairs = array();
			foreach ( $case['params'] as $k => $v ) {
				$pairs[] = array( (string) $k, (string) $v );
			}
			assert_equal( rfc5849_base_string( $case['method'], $url, $pairs ), $base, $case['name'] . ' (RFC algorithm)' );
		}
		$out[] = array(
			'name'             => $case['name'],
			'method'           => $case['method'],
			'url'              => $url,
			'params'           => to_object( $case['params'] ),
			'base_string'      => $base,
			'secret'           => $secret,
			'signature_method' => $method,
			'signature'        => oauth_signature( $base, $secret, $method ),
		);
	}
	cross_check_contract_oauth( $out );
	return array(
		'description' => 'WooCommerce OAuth 1.0a one-legged string to sign and signature (WC_REST_Authentication::check_oauth_signature). "params" is the PHP array WooCommerce signs, in order (a JSON object; nested objects are nested arrays; keys that are canonical decimal integers such as "0" or "10", not "01", become PHP int keys, which changes nothing in the result); "url" is the URL WooCommerce builds from the home option and the request path. signature = base64(HMAC(signature_method, base_string, secret . "&")). Generated by tests/vectors/generate.php.',
		'cases'       => $out,
	);
}

/** docs/woocommerce-compatibility.md §3.4 values, typed in from the document, must be what the reference computes. */
function cross_check_contract_oauth( $out ) {
	assert_equal(
		'GET&http%3A%2F%2Fexample.com%2Fwp-json%2Fwc%2Fv3%2Fproducts&oauth_consumer_key%3Dck_0123456789abcdef0123456789abcdef01234567%26oauth_nonce%3Dabc123%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1700000000%26per_page%3D5',
		$out[0]['base_string'],
		'§3.4 base string'
	);
	assert_equal( 'OHRPgb189UsJayMZRf1jY/Uk8C0V87cxe2fq74F/7GU=', $out[0]['signature'], '§3.4 signature' );
	foreach ( array( 'a%255B0%255D%3D1', 'a%255B1%255D%3D2', 'filter%255Bperiod%255D%3Dweek', 's%3Da%2520b%252Bc', 'x_y%3D3' ) as $pair ) {
		if ( ! in_array( $pair, explode( '%26', explode( '&', $out[2]['base_string'] )[2] ), true ) ) {
			assert_equal( $pair, '(missing)', '§3.4 nested pairs' );
		}
	}
	assert_equal( $out[0]['base_string'], $out[3]['base_string'], 'oauth_signature dropped' );
}

function build_headers() {
	$out = array();
	foreach ( header_cases() as $case ) {
		$case['expected'] = to_object( parse_header( $case['header'] ) );
		$out[]            = $case;
	}
	return array(
		'description' => 'WC_REST_Authentication::parse_header($header): "expected" is the returned array as a JSON object, in order. Generated by tests/vectors/generate.php.',
		'cases'       => $out,
	);
}

/*
 * ---------------------------------------------------------------------------------------------
 * Sealed secrets (README "Sealed secrets"): ksv1: + base64( nonce ‖ ChaCha20-Poly1305 IETF
 * ciphertext ‖ tag ), the key row's stored consumer_key hash as associated data. Computed here
 * with libsodium directly (not through the plugin's twin), checked first against RFC 8439.
 * ---------------------------------------------------------------------------------------------
 */

/** The test keys: fixed bytes (sha256 of a label), written to tests/vectors/sealing/<name>.key. */
function sealing_test_keys() {
	$keys = array();
	foreach ( array( 'current', 'previous', 'other' ) as $name ) {
		$keys[ $name ] = hash( 'sha256', 'keysmith test sealing key: ' . $name, true );
	}
	return $keys;
}

/** The fingerprint of a key: the first 8 bytes of HMAC-SHA256(key, label), hex. */
function sealing_fingerprint( $key ) {
	return substr( bin2hex( hash_hmac( 'sha256', 'keysmith sealing key fingerprint v1', $key, true ) ), 0, 16 );
}

function seal_reference( $key, $nonce, $secret, $ad ) {
	return 'ksv1:' . base64_encode( $nonce . sodium_crypto_aead_chacha20poly1305_ietf_encrypt( $secret, $ad, $nonce, $key ) );
}

/** RFC 8439 §2.8.2, typed in from the RFC: libsodium is the AEAD the vectors are made with. */
function check_rfc8439_reference() {
	$key    = hex2bin( '808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f' );
	$nonce  = hex2bin( '070000004041424344454647' );
	$aad    = hex2bin( '50515253c0c1c2c3c4c5c6c7' );
	$text   = "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";
	$sealed = sodium_crypto_aead_chacha20poly1305_ietf_encrypt( $text, $aad, $nonce, $key );
	assert_equal( 'd31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6', bin2hex( substr( $sealed, 0, 32 ) ), 'RFC 8439 §2.8.2 ciphertext' );
	assert_equal( '1ae10b594f09e26a7e902ecbd0600691', bin2hex( substr( $sealed, -16 ) ), 'RFC 8439 §2.8.2 tag' );
}

function sealing_seal_cases() {
	$hash = wc_api_hash( CK ); // The contract key's stored hash: what a key row's associated data is.
	return array(
		array( 'name' => 'a WooCommerce secret', 'key' => 'current', 'nonce_hex' => '000102030405060708090a0b', 'secret' => CS, 'ad' => $hash ),
		array( 'name' => 'the same secret, another nonce', 'key' => 'current', 'nonce_hex' => 'ffffffffffffffffffffffff', 'secret' => CS, 'ad' => $hash ),
		array( 'name' => 'the same secret, another row', 'key' => 'current', 'nonce_hex' => '000102030405060708090a0b', 'secret' => CS, 'ad' => wc_api_hash( 'ck_' . str_repeat( 'f', 40 ) ) ),
		array( 'name' => 'empty secret, empty associated data', 'key' => 'current', 'nonce_hex' => '5a5a5a5a5a5a5a5a5a5a5a5a', 'secret' => '', 'ad' => '' ),
		array( 'name' => 'longest secret (64 bytes)', 'key' => 'current', 'nonce_hex' => '0f1e2d3c4b5a69788796a5b4', 'secret' => str_repeat( 'cs_0123456789abcdef', 3 ) . 'cs_0123', 'ad' => $hash ),
		array( 'name' => 'binary secret and associated data', 'key' => 'current', 'nonce_hex' => '00000000000000000000002a', 'secret_hex' => '00ff7f80c328a0a1e228a1f0288cbc8000', 'ad_hex' => 'ff00fe01' ),
		array( 'name' => 'under the previous key', 'key' => 'previous', 'nonce_hex' => '000102030405060708090a0b', 'secret' => CS, 'ad' => $hash ),
		array( 'name' => 'under a key nobody holds', 'key' => 'other', 'nonce_hex' => '000102030405060708090a0b', 'secret' => CS, 'ad' => $hash ),
	);
}

/** A sealed value with one bit of its raw bytes flipped. */
function flip_bit( $sealed, $byte ) {
	$raw          = base64_decode( substr( $sealed, 5 ), true );
	$raw[ $byte ] = chr( ord( $raw[ $byte ] ) ^ 0x01 );
	return 'ksv1:' . base64_encode( $raw );
}

function build_sealing() {
	check_rfc8439_reference();
	$keys  = sealing_test_keys();
	$seals = array();
	foreach ( sealing_seal_cases() as $case ) {
		$secret         = isset( $case['secret_hex'] ) ? hex2bin( $case['secret_hex'] ) : $case['secret'];
		$ad             = isset( $case['ad_hex'] ) ? hex2bin( $case['ad_hex'] ) : $case['ad'];
		$case['sealed'] = seal_reference( $keys[ $case['key'] ], hex2bin( $case['nonce_hex'] ), $secret, $ad );
		$seals[]        = $case;
	}
	$typical = $seals[0]['sealed'];
	$hash    = $seals[0]['ad'];
	$opens   = array();
	foreach ( $seals as $case ) {
		$open = array(
			'name'   => 'opens: ' . $case['name'],
			'sealed' => $case['sealed'],
		);
		$open += isset( $case['ad_hex'] ) ? array( 'ad_hex' => $case['ad_hex'] ) : array( 'ad' => $case['ad'] );
		if ( 'other' === $case['key'] ) {
			$open['name']     = 'does not open: sealed with a key nobody holds';
			$open['expected'] = 'does_not_open';
		} else {
			$open['expected'] = isset( $case['secret_hex'] ) ? array( 'secret_hex' => $case['secret_hex'] ) : array( 'secret' => $case['secret'] );
		}
		$opens[] = $open;
	}
	$raw_len   = strlen( base64_decode( substr( $typical, 5 ), true ) );
	$short_raw = base64_encode( str_repeat( "\x00", 27 ) );
	$bad       = array(
		'does not open: another row (wrong associated data)' => array( $typical, wc_api_hash( 'ck_other' ), 'does_not_open' ),
		'does not open: empty associated data'               => array( $typical, '', 'does_not_open' ),
		'does not open: a bit of the nonce flipped'          => array( flip_bit( $typical, 0 ), $hash, 'does_not_open' ),
		'does not open: a bit of the ciphertext flipped'     => array( flip_bit( $typical, 20 ), $hash, 'does_not_open' ),
		'does not open: a bit of the tag flipped'            => array( flip_bit( $typical, $raw_len - 1 ), $hash, 'does_not_open' ),
		'does not open: truncated by 3 bytes (still base64)' => array( substr( $typical, 0, -4 ), $hash, 'does_not_open' ),
		'does not open: 28 zero bytes (nonce and tag only)'  => array( 'ksv1:' . base64_encode( str_repeat( "\x00", 28 ) ), $hash, 'does_not_open' ),
		'not sealed: truncated by one character'             => array( substr( $typical, 0, -1 ), $hash, 'not_sealed' ),
		'not sealed: 27 bytes'                               => array( 'ksv1:' . $short_raw, $hash, 'not_sealed' ),
		'not sealed: empty'                                  => array( '', $hash, 'not_sealed' ),
		'not sealed: the prefix alone'                       => array( 'ksv1:', $hash, 'not_sealed' ),
		'not sealed: a WooCommerce secret'                   => array( CS, $hash, 'not_sealed' ),
		'not sealed: another version'                        => array( 'ksv2:' . substr( $typical, 5 ), $hash, 'not_sealed' ),
		'not sealed: prefix in capitals'                     => array( 'KSV1:' . substr( $typical, 5 ), $hash, 'not_sealed' ),
		'not sealed: no prefix'                              => array( substr( $typical, 5 ), $hash, 'not_sealed' ),
		'not sealed: padding removed'                        => array( rtrim( $typical, '=' ), $hash, 'not_sealed' ),
		'not sealed: extra padding'                          => array( $typical . '==', $hash, 'not_sealed' ),
		'not sealed: stray bits before the padding'          => array( substr( $typical, 0, -2 ) . 'B=', $hash, 'not_sealed' ),
		'not sealed: a space inside'                         => array( substr( $typical, 0, 20 ) . ' ' . substr( $typical, 20 ), $hash, 'not_sealed' ),
		'not sealed: a newline at the end'                   => array( $typical . "\n", $hash, 'not_sealed' ),
		'not sealed: URL-safe alphabet'                      => array( 'ksv1:' . strtr( substr( $typical, 5 ), '+/', '-_' ) . '-_-_', $hash, 'not_sealed' ),
	);
	foreach ( $bad as $name => list( $sealed, $ad, $expected ) ) {
		$opens[] = array(
			'name'     => $name,
			'sealed'   => $sealed,
			'ad'       => $ad,
			'expected' => $expected,
		);
	}
	assert_equal( '=', substr( $typical, -1 ), 'the typical value is padded (so the padding cases change something)' );
	$key_info = array();
	foreach ( $keys as $name => $key ) {
		$key_info[ $name ] = array(
			'file'        => 'tests/vectors/sealing/' . $name . '.key',
			'hex'         => bin2hex( $key ),
			'fingerprint' => sealing_fingerprint( $key ),
		);
	}
	return array(
		'description' => 'Sealed secrets: "seal" cases are sealed with the named key and the fixed nonce ("secret"/"ad", or "secret_hex"/"ad_hex" for raw bytes) and must give "sealed" exactly; "open" cases are opened with the keyring current + previous ("other" is held by nobody) and must give the secret, "does_not_open" or "not_sealed". Generated by tests/vectors/generate.php (libsodium, checked against RFC 8439).',
		'keys'        => $key_info,
		'cases'       => $seals,
		'open'        => $opens,
	);
}

/** The key files of the sealing vectors: 32 raw bytes each. */
function sealing_key_files() {
	$files = array();
	foreach ( sealing_test_keys() as $name => $key ) {
		$files[ 'sealing/' . $name . '.key' ] = $key;
	}
	return $files;
}

function main( $argv ) {
	$check = in_array( '--check', $argv, true );
	$files = array(
		'api_hash.json'     => build_api_hash(),
		'keys.json'         => build_keys(),
		'oauth.json'        => build_oauth(),
		'oauth_header.json' => build_headers(),
		'sealing.json'      => build_sealing(),
	);
	$stale = 0;
	foreach ( sealing_key_files() as $name => $bytes ) {
		$path = __DIR__ . '/' . $name;
		if ( $check ) {
			if ( ! is_file( $path ) || file_get_contents( $path ) !== $bytes ) {
				fwrite( STDERR, "stale: tests/vectors/{$name}\n" );
				++$stale;
			}
			continue;
		}
		is_dir( dirname( $path ) ) || mkdir( dirname( $path ) );
		file_put_contents( $path, $bytes );
		printf( "wrote tests/vectors/%s\n", $name );
	}
	foreach ( $files as $name => $data ) {
		$path = __DIR__ . '/' . $name;
		$json = json_encode( $data, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR ) . "\n";
		if ( $check ) {
			if ( ! is_file( $path ) || file_get_contents( $path ) !== $json ) {
				fwrite( STDERR, "stale: tests/vectors/{$name}\n" );
				++$stale;
			}
			continue;
		}
		file_put_contents( $path, $json );
		printf( "wrote tests/vectors/%s (%d cases)\n", $name, count( $data['cases'] ) );
	}
	return $stale ? 1 : 0;
}

if ( PHP_SAPI === 'cli' && isset( $argv[0] ) && realpath( $argv[0] ) === __FILE__ ) {
	exit( main( $argv ) );
}
