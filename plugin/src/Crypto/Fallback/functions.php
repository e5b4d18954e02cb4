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
 * Functions cannot be autoloaded, so Keysmith\Autoloader::register() require_once's this file.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Fallback;

/** Version of this twin; the facade reports it in fallback mode. */
const VERSION = '0.1.0';

/** Deepest array nesting accepted in OAuth params (PHP's own max_input_nesting_level). */
const MAX_PARAM_DEPTH = 64;

/** Largest batch generate_keys() accepts. */
const MAX_KEYS = 1000000;

/** Key generation draws this many keys' worth of CSPRNG bytes at once (40 bytes per key). */
const KEY_BATCH = 512;

/**
 * Argument checks and messages shared by the twin's functions. Kept in one place so the wording
 * stays identical to the extension's.
 *
 * @internal
 */
final class Args {

	/** PHP's own name for a value's type in TypeError messages (zend_zval_type_name). */
	public static function type_name( mixed $value ): string {
		if ( is_object( $value ) ) {
			return get_class( $value );
		}
		if ( is_resource( $value ) || 'resource (closed)' === get_debug_type( $value ) ) {
			return 'resource';
		}
		return get_debug_type( $value );
	}

	/** TypeError worded as PHP words a parameter type mismatch, naming the native function. */
	public static function type_error( string $fn, int $pos, string $name, string $expected, mixed $value ): \TypeError {
		return new \TypeError(
			sprintf( 'Keysmith\\%s(): Argument #%d ($%s) must be of type %s, %s given', $fn, $pos, $name, $expected, self::type_name( $value ) )
		);
	}

	/**
	 * Refuses extra arguments as the extension does (PHP itself would ignore them for a
	 * user function). Missing arguments are refused by PHP before the body runs: the same
	 * ArgumentCountError class, in PHP's own words.
	 */
	public static function arity( int $given, string $fn, int $expected ): void {
		if ( $given > $expected ) {
			throw new \ArgumentCountError(
				sprintf( 'Keysmith\\%s() expects exactly %d argument%s, %d given', $fn, $expected, 1 === $expected ? '' : 's', $given )
			);
		}
	}

	public static function string( mixed $value, string $fn, int $pos, string $name ): string {
		if ( ! is_string( $value ) ) {
			throw self::type_error( $fn, $pos, $name, 'string', $value );
		}
		return $value;
	}

	public static function int( mixed $value, string $fn, int $pos, string $name ): int {
		if ( ! is_int( $value ) ) {
			throw self::type_error( $fn, $pos, $name, 'int', $value );
		}
		return $value;
	}

	/** @return array<array-key, mixed> */
	public static function array( mixed $value, string $fn, int $pos, string $name ): array {
		if ( ! is_array( $value ) ) {
			throw self::type_error( $fn, $pos, $name, 'array', $value );
		}
		return $value;
	}

	/**
	 * How the extension shows an array key in messages: [5] or ["name"], the string escaped
	 * byte by byte like Rust's `<[u8]>::escape_ascii()` (no NUL or binary in messages).
	 */
	public static function key_label( int|string $key ): string {
		return is_int( $key ) ? '[' . $key . ']' : '["' . self::escape( $key ) . '"]';
	}

	/**
	 * User bytes quoted in a message, escaped like Rust's `<[u8]>::escape_ascii()`: printable
	 * ASCII stays, \t \r \n \\ \' \" are escaped, any other byte becomes \xNN. Messages
	 * thus never carry NUL or invalid UTF-8 (the extension cannot throw a message with NUL).
	 */
	public static function escape( string $bytes ): string {
		$escaped = '';
		$length  = strlen( $bytes );
		for ( $i = 0; $i < $length; $i++ ) {
			$escaped .= self::escape_byte( $bytes[ $i ] );
		}
		return $escaped;
	}

	private static function escape_byte( string $byte ): string {
		static $named = array( "\t" => '\\t', "\r" => '\\r', "\n" => '\\n', '\\' => '\\\\', "'" => "\\'", '"' => '\\"' );
		if ( isset( $named[ $byte ] ) ) {
			return $named[ $byte ];
		}
		$code = ord( $byte );
		return ( $code >= 0x20 && $code <= 0x7e ) ? $byte : sprintf( '\\x%02x', $code );
	}

	/**
	 * Checks OAuth params before anything is computed, in insertion order, depth first, so the
	 * first problem reported is the one the extension reports. The path to a bad value
	 * (`["filter"][0]`) is only formatted when there is one.
	 *
	 * @param array<array-key, mixed> $params
	 * @param list<int|string>        $parents Keys leading to `$params`.
	 */
	public static function oauth_params( array $params, string $fn, int $pos, array $parents = array() ): void {
		foreach ( $params as $key => $value ) {
			if ( is_array( $value ) ) {
				if ( count( $parents ) + 1 > MAX_PARAM_DEPTH ) {
					throw new \ValueError(
						sprintf( 'Keysmith\\%s(): Argument #%d ($params) must not be nested deeper than %d levels', $fn, $pos, MAX_PARAM_DEPTH )
					);
				}
				self::oauth_params( $value, $fn, $pos, array_merge( $parents, array( $key ) ) );
			} elseif ( ! is_string( $value ) && ! is_int( $value ) ) {
				$path = implode( '', array_map( array( self::class, 'key_label' ), array_merge( $parents, array( $key ) ) ) );
				throw new \TypeError(
					sprintf( 'Keysmith\\%s(): Argument #%d ($params) element %s must be of type string|int|array, %s given', $fn, $pos, $path, self::type_name( $value ) )
				);
			}
		}
	}

	/** Maps WooCommerce's two signature methods to hash_hmac() algorithms; anything else is refused. */
	public static function hash_algorithm( string $signature_method, string $fn ): string {
		if ( 'HMAC-SHA1' === $signature_method ) {
			return 'sha1';
		}
		if ( 'HMAC-SHA256' === $signature_method ) {
			return 'sha256';
		}
		throw new \ValueError(
			sprintf( 'Keysmith\\%s(): Invalid signature method "%s": expected HMAC-SHA1 or HMAC-SHA256', $fn, self::escape( $signature_method ) )
		);
	}
}

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

/**
 * Finds successive `oauth_…=` parameters the way preg_match_all() walks WooCommerce's regex.
 *
 * @internal
 */
final class HeaderScanner {

	private const NAME_CHARS = 'abcdefghijklmnopqrstuvwxyz_-';

	private int $pos = 0;

	private int $length;

	/** Start of the last search for a closing quote and its result: reused so scanning stays linear. */
	private int $quote_from = PHP_INT_MAX;

	private int|false $quote_at = false;

	public function __construct( private string $header ) {
		$this->length = strlen( $header );
	}

	/**
	 * The next match as [name, raw value], or null when there is none.
	 *
	 * @return array{0: string, 1: string}|null
	 */
	public function next(): ?array {
		while ( false !== ( $start = strpos( $this->header, 'oauth_', $this->pos ) ) ) {
			$equals = $start + 6 + strspn( $this->header, self::NAME_CHARS, $start + 6 );
			if ( $equals >= $this->length || '=' !== $this->header[ $equals ] ) {
				// Every `oauth_` that starts inside this run of name characters ends where this one
				// ends, before a byte that is not '=', so none can match: skip the whole run. This
				// keeps scanning linear on hostile input such as "oauth_oauth_oauth_…".
				$this->pos = $equals;
				continue;
			}
			$name = substr( $this->header, $start, $equals - $start );
			return array( $name, $this->value_after( $equals + 1 ) );
		}
		return null;
	}

	/** Value starting at `$at` (just after '='); advances past the match. */
	private function value_after( int $at ): string {
		$open = ( $at < $this->length && ':' === $this->header[ $at ] ) ? $at + 1 : $at;
		if ( $open < $this->length && '"' === $this->header[ $open ] ) {
			$close = $this->closing_quote( $open + 1 );
			if ( false !== $close ) {
				$this->pos = $close + 1;
				$quoted    = substr( $this->header, $open + 1, $close - $open - 1 );
				// empty( $matches[3] ) picks the unquoted group, which did not take part: "".
				return ( '' === $quoted || '0' === $quoted ) ? '' : $quoted;
			}
		}
		$length    = strcspn( $this->header, ',', $at );
		$this->pos = $at + $length;
		return substr( $this->header, $at, $length );
	}

	private function closing_quote( int $from ): int|false {
		$reusable = $from >= $this->quote_from && ( false === $this->quote_at || $from <= $this->quote_at );
		if ( ! $reusable ) {
			$this->quote_from = $from;
			$this->quote_at   = strpos( $this->header, '"', $from );
		}
		return $this->quote_at;
	}
}

/** Constant-time string comparison (hash_equals semantics: false on different lengths). */
function equals( #[\SensitiveParameter] mixed $known, #[\SensitiveParameter] mixed $user ): bool {
	Args::arity( func_num_args(), 'equals', 2 );
	$known = Args::string( $known, 'equals', 1, 'known' );
	$user  = Args::string( $user, 'equals', 2, 'user' );
	return hash_equals( $known, $user );
}
