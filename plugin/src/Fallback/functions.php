<?php
/**
 * The pure-PHP twin of the `keysmith` extension: the same functions as namespace Keysmith,
 * returning the same bytes, for hosts that cannot load the extension.
 *
 * What the twin shares with the extension:
 * - Strict types whatever the caller's strict_types mode: parameters are declared `mixed` on
 *   purpose and checked here, so a non-strict caller gets the TypeError the extension gives,
 *   never a silent coercion.
 * - Error messages name the extension's function (`Keysmith\api_hash()`), not this namespace, so
 *   native and twin throw byte-identical messages.
 * - OAuth functions reproduce WooCommerce's WC_REST_Authentication quirks exactly (see
 *   oauth_base_string() and parse_oauth_header()); tests/vectors/generate.php holds the
 *   independent reference they are tested against.
 *
 * Functions cannot be autoloaded, so Keysmith\Autoloader::register() require_once's this file. Its
 * helper classes (Args, HeaderScanner, SealingKeys) have their own files, loaded here too, and so
 * are the sealing functions (sealing.php): the benchmarks load the twin without the plugin's
 * autoloader.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Fallback;

require_once __DIR__ . '/Args.php';
require_once __DIR__ . '/HeaderScanner.php';
require_once __DIR__ . '/SealingKeys.php';
require_once __DIR__ . '/sealing.php';

/** Version of this twin; the facade reports it in fallback mode. */
const VERSION = '0.1.0';

/** Deepest array nesting accepted in OAuth params (PHP's own max_input_nesting_level). */
const MAX_PARAM_DEPTH = 64;

/** Largest batch generate_keys() accepts. */
const MAX_KEYS = 1000000;

/** Key generation draws this many keys' worth of CSPRNG bytes at once (40 bytes per key). */
const KEY_BATCH = 512;

/** Version of the implementation answering (the twin's own). */
function version(): string {
	Args::arity( func_num_args(), 'version', 0 );
	return VERSION;
}

/**
 * One new key pair, as WooCommerce makes it: `ck_`/`cs_` + 40 lowercase hex from 20 CSPRNG
 * bytes each (wc_rand_hash), the stored hash (wc_api_hash) and the last 7 characters.
 *
 * @return array{consumer_key: string, consumer_secret: string, key_hash: string, truncated_key: string}
 */
function generate_key(): array {
	Args::arity( func_num_args(), 'generate_key', 0 );
	return key_record( bin2hex( random_bytes( 40 ) ), 0 );
}

/**
 * `$count` new key pairs. Random bytes are drawn per batch, not per key, and nothing beyond the
 * result is kept, so memory is the result itself: about 700 bytes of PHP arrays per key, i.e.
 * roughly 700 MB for the maximum of 1,000,000 (the extension builds the same arrays). Under a
 * 512 MB memory_limit about 700,000 keys fit in one call.
 *
 * @return list<array{consumer_key: string, consumer_secret: string, key_hash: string, truncated_key: string}>
 */
function generate_keys( mixed $count ): array {
	Args::arity( func_num_args(), 'generate_keys', 1 );
	$count = Args::int( $count, 'generate_keys', 1, 'count' );
	if ( $count < 1 || $count > MAX_KEYS ) {
		throw new \ValueError( sprintf( 'Keysmith\\generate_keys(): Argument #1 ($count) must be between 1 and %d', MAX_KEYS ) );
	}
	$keys = array();
	for ( $done = 0; $done < $count; $done += $batch ) {
		$batch = min( KEY_BATCH, $count - $done );
		$hex   = bin2hex( random_bytes( 40 * $batch ) );
		for ( $i = 0; $i < $batch; $i++ ) {
			$keys[] = key_record( $hex, 80 * $i );
		}
	}
	return $keys;
}

/**
 * Builds one record from 80 hex characters of `$hex` starting at `$offset`.
 *
 * @internal
 * @return array{consumer_key: string, consumer_secret: string, key_hash: string, truncated_key: string}
 */
function key_record( string $hex, int $offset ): array {
	$consumer_key = 'ck_' . substr( $hex, $offset, 40 );
	return array(
		'consumer_key'    => $consumer_key,
		'consumer_secret' => 'cs_' . substr( $hex, $offset + 40, 40 ),
		'key_hash'        => hash_hmac( 'sha256', $consumer_key, 'wc-api' ),
		'truncated_key'   => substr( $consumer_key, -7 ),
	);
}

/** WooCommerce's wc_api_hash(): HMAC-SHA256 keyed with the literal "wc-api", lowercase hex. */
function api_hash( mixed $data ): string {
	Args::arity( func_num_args(), 'api_hash', 1 );
	return hash_hmac( 'sha256', Args::string( $data, 'api_hash', 1, 'data' ), 'wc-api' );
}

/**
 * api_hash() of every value, keys preserved. All values are checked before any is hashed.
 *
 * @return array<array-key, string>
 */
function api_hashes( mixed $data ): array {
	Args::arity( func_num_args(), 'api_hashes', 1 );
	$data = Args::array( $data, 'api_hashes', 1, 'data' );
	foreach ( $data as $key => $value ) {
		if ( ! is_string( $value ) ) {
			throw new \TypeError(
				sprintf( 'Keysmith\\api_hashes(): Argument #1 ($data) must contain only strings, %s given at key %s', Args::type_name( $value ), Args::key_label( $key ) )
			);
		}
	}
	foreach ( $data as $key => $value ) {
		$data[ $key ] = hash_hmac( 'sha256', $value, 'wc-api' );
	}
	return $data;
}

/**
 * WooCommerce's OAuth 1.0a string to sign (WC_REST_Authentication::check_oauth_signature()):
 * `METHOD&rawurlencode(url)&pairs`, with WooCommerce's quirks:
 * - oauth_signature is dropped; keys are sorted raw (uksort strcmp), before any encoding;
 * - each top-level key and every value is rawurlencode()d (wc_rest_urlencode_rfc3986), inner
 *   keys are not, and each `key=value` pair is encoded once more (so `%` becomes `%25`);
 * - nested arrays become `parent%5Binner%5D`, except under a parent key "0" or "" which
 *   join_with_equals_sign()'s `if ( $key )` treats as absent; empty arrays give no pair;
 * - pairs are joined with a literal `%26`.
 */
function oauth_base_string( mixed $http_method, mixed $url, mixed $params ): string {
	Args::arity( func_num_args(), 'oauth_base_string', 3 );
	$http_method = Args::string( $http_method, 'oauth_base_string', 1, 'http_method' );
	$url         = Args::string( $url, 'oauth_base_string', 2, 'url' );
	$params      = Args::array( $params, 'oauth_base_string', 3, 'params' );
	Args::oauth_params( $params, 'oauth_base_string', 3 );
	return base_string( $http_method, $url, $params );
}

/**
 * The string to sign from already checked arguments.
 *
 * @internal
 * @param array<array-key, mixed> $params
 */
function base_string( string $http_method, string $url, array $params ): string {
	unset( $params['oauth_signature'] );
	uksort( $params, 'strcmp' );
	$pairs = array();
	foreach ( $params as $key => $value ) {
		$name = rawurlencode( (string) $key );
		if ( is_array( $value ) ) {
			nested_pairs( $pairs, $value, $name );
		} else {
			$pairs[] = rawurlencode( $name . '=' . rawurlencode( (string) $value ) );
		}
	}
	return strtoupper( $http_method ) . '&' . rawurlencode( $url ) . '&' . implode( '%26', $pairs );
}

/**
 * Pairs of a nested array under `$parent` (join_with_equals_sign's recursion). Inner keys stay
 * raw; a falsy parent ("" or "0") is not prefixed, as in WooCommerce.
 *
 * @internal
 * @param list<string>            $pairs
 * @param array<array-key, mixed> $values
 */
function nested_pairs( array &$pairs, array $values, string $parent ): void {
	$has_parent = '' !== $parent && '0' !== $parent;
	foreach ( $values as $key => $value ) {
		$name = $has_parent ? $parent . '%5B' . $key . '%5D' : (string) $key;
		if ( is_array( $value ) ) {
			nested_pairs( $pairs, $value, $name );
		} else {
			$pairs[] = rawurlencode( $name . '=' . rawurlencode( (string) $value ) );
		}
	}
}

/** base64 of the raw HMAC of the string to sign, keyed with `secret&` (no token secret). */
function oauth_signature( mixed $base_string, #[\SensitiveParameter] mixed $consumer_secret, mixed $signature_method ): string {
	Args::arity( func_num_args(), 'oauth_signature', 3 );
	$base_string      = Args::string( $base_string, 'oauth_signature', 1, 'base_string' );
	$consumer_secret  = Args::string( $consumer_secret, 'oauth_signature', 2, 'consumer_secret' );
	$signature_method = Args::string( $signature_method, 'oauth_signature', 3, 'signature_method' );
	$algorithm        = Args::hash_algorithm( $signature_method, 'oauth_signature' );
	return base64_encode( hash_hmac( $algorithm, $base_string, $consumer_secret . '&', true ) );
}

/**
 * Whether `$params['oauth_signature']` is WooCommerce's signature of the request. The provided
 * signature is read as WooCommerce reads it, rawurldecode(str_replace(' ', '+', ...)), and
 * compared in constant time.
 */
function oauth_verify( mixed $http_method, mixed $url, mixed $params, #[\SensitiveParameter] mixed $consumer_secret ): bool {
	Args::arity( func_num_args(), 'oauth_verify', 4 );
	$http_method     = Args::string( $http_method, 'oauth_verify', 1, 'http_method' );
	$url             = Args::string( $url, 'oauth_verify', 2, 'url' );
	$params          = Args::array( $params, 'oauth_verify', 3, 'params' );
	$consumer_secret = Args::string( $consumer_secret, 'oauth_verify', 4, 'consumer_secret' );
	Args::oauth_params( $params, 'oauth_verify', 3 );
	foreach ( array( 'oauth_signature', 'oauth_signature_method' ) as $required ) {
		if ( ! isset( $params[ $required ] ) || ! is_string( $params[ $required ] ) ) {
			throw new \ValueError( sprintf( 'Keysmith\\oauth_verify(): Argument #3 ($params) must contain "%s" of type string', $required ) );
		}
	}
	$algorithm = Args::hash_algorithm( $params['oauth_signature_method'], 'oauth_verify' );
	$provided  = rawurldecode( str_replace( ' ', '+', $params['oauth_signature'] ) );
	$expected  = base64_encode( hash_hmac( $algorithm, base_string( $http_method, $url, $params ), $consumer_secret . '&', true ) );
	return hash_equals( $expected, $provided );
}

/**
 * WooCommerce's WC_REST_Authentication::parse_header(), without PCRE. It matches exactly what
 * `/(oauth_[a-z_-]*)=(:?"([^"]*)"|([^,]*))/` matches, quirks included: the header must start
 * with "OAuth " (no trimming); names are `oauth_` + [a-z_-]* (lower case only, found anywhere);
 * the `(:?` typo allows one ':' before a quoted value; a quoted value that is PHP-empty ("" or
 * "0") yields the empty unquoted group; unquoted values run to the next comma; later duplicates
 * overwrite earlier ones in place; values are urldecode()d. A hand scanner never hits PCRE's
 * backtracking limits, so huge headers behave like small ones (as in the extension).
 *
 * @return array<string, string>
 */
function parse_oauth_header( mixed $authorization ): array {
	Args::arity( func_num_args(), 'parse_oauth_header', 1 );
	$header = Args::string( $authorization, 'parse_oauth_header', 1, 'authorization' );
	if ( 0 !== strncmp( $header, 'OAuth ', 6 ) ) {
		return array();
	}
	$scanner = new HeaderScanner( $header );
	$params  = array();
	while ( null !== ( $match = $scanner->next() ) ) {
		$params[ $match[0] ] = urldecode( $match[1] );
	}
	return $params;
}

/** Constant-time string comparison (hash_equals semantics: false on different lengths). */
function equals( #[\SensitiveParameter] mixed $known, #[\SensitiveParameter] mixed $user ): bool {
	Args::arity( func_num_args(), 'equals', 2 );
	$known = Args::string( $known, 'equals', 1, 'known' );
	$user  = Args::string( $user, 'equals', 2, 'user' );
	return hash_equals( $known, $user );
}
