<?php
/**
 * A seeded generator of hostile requests against the served harness, the way a key holder would
 * write them to get around Keysmith's rules: odd paths (repeated and encoded slashes, index.php,
 * ?rest_route=, case), method overrides, array-typed and duplicated OAuth and Basic parameters, both
 * credential kinds at once, oversized and binary values, skewed and non-numeric timestamps, and
 * signatures that are right (over what WooCommerce signs) or wrong.
 *
 * Signing is independent of Keysmith: the URL follows WooCommerce's rule (the raw request path
 * through wp_parse_url(), re-rooted on the home URL; docs/woocommerce-compatibility.md §3.4), the
 * parameters are what PHP's own parser makes of the raw query and form body (parse_str), and the
 * base string comes from the tests' Signer. Each request also says whether it touches one of
 * Keysmith's deliberate differences (its nonce and timestamp rules, or input that makes
 * WooCommerce's own code fail), so a test can tell an intended difference from a bug.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Auth\Hostile;

use Keysmith\Tests\Integration\Auth\Signer;

final class HostileRequestGenerator {

	/** Raw paths (with an optional query of their own) a request may target. */
	private const PATHS = array(
		'/wp-json/wc/v3/keysmith-test',
		'/wp-json/wc/v3/keysmith-test',
		'//wp-json/wc/v3/keysmith-test',
		'///wp-json/wc/v3/keysmith-test',
		'/wp-json//wc/v3/keysmith-test',
		'/wp-json/wc/v3//keysmith-test',
		'/wp-json/wc/v3/keysmith-test/',
		'/index.php/wp-json/wc/v3/keysmith-test',
		'/index.php?rest_route=/wc/v3/keysmith-test',
		'/?rest_route=/wc/v3/keysmith-test',
		'/?rest_route=%2Fwc%2Fv3%2Fkeysmith-test',
		'/wp-json/wc%2Fv3%2Fkeysmith-test',
		'/%77p-json/wc/v3/keysmith-test',
		'/WP-JSON/wc/v3/keysmith-test',
		'/wp-json/wc/v3/./keysmith-test',
		'/wp-json/wc/v3/keysmith-test?rest_route=/wp/v2/users/me',
		'/wp-json/wp/v2/users/me',
		'/wp-json/wc/v3/keysmith-test?x=wp-json/wc/v3/',
	);

	/** The odd paths a replay race is tried on (each must route to the test endpoint). */
	public const RACE_PATHS = array(
		'/wp-json/wc/v3/keysmith-test',
		'//wp-json/wc/v3/keysmith-test',
		'///wp-json/wc/v3/keysmith-test',
		'/wp-json/wc/v3/keysmith-test/',
		'/index.php/wp-json/wc/v3/keysmith-test',
		'/index.php?rest_route=/wc/v3/keysmith-test',
		'/?rest_route=%2Fwc%2Fv3%2Fkeysmith-test',
		'/%77p-json/wc/v3/keysmith-test',
	);

	private const METHODS = array( 'GET', 'GET', 'GET', 'POST', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS' );

	private int $counter = 0;

	/**
	 * @param array<string, string> $bases Site base URLs by name: http, tls (and http2).
	 */
	public function __construct( private int $seed, private array $bases ) {
		mt_srand( $seed );
	}

	/**
	 * One hostile request presenting $key.
	 *
	 * @param array{ck: string, cs: string} $key
	 * @return array{base: string, method: string, target: string, headers: array<string, string>, body: ?string, flags: list<string>, label: string}
	 */
	public function next( array $key ): array {
		++$this->counter;
		$site   = $this->pick( array( 'http', 'http', 'tls' ) );
		$method = $this->pick( self::METHODS );
		$path   = $this->pick( self::PATHS );
		$kind   = $this->pick( array( 'oauth', 'oauth', 'oauth', 'basic', 'query-basic', 'both', 'none' ) );
		if ( 'http' === $site && in_array( $kind, array( 'basic', 'query-basic' ), true ) && mt_rand( 0, 1 ) ) {
			$site = 'tls'; // Basic is only tried over TLS; still send some over http.
		}
		$where = 'POST' === $method ? $this->pick( array( 'query', 'header', 'body' ) ) : $this->pick( array( 'query', 'header' ) );
		if ( 'both' === $kind && 'header' === $where ) {
			$where = 'query'; // One Authorization header: Basic takes it.
		}

		$query   = array(); // list of [raw name, raw value], in order (duplicates allowed).
		$body    = array();
		$header  = array(); // decoded oauth_* => value, for the Authorization header.
		$headers = array();
		$flags   = array();

		$extra = $this->pick( array( array(), array( array( 'per_page', '5' ) ), array( array( 'filter%5Bperiod%5D', 'week' ), array( 'a%5B%5D', '1' ), array( 'a%5B%5D', '2' ) ), array( array( 'x.y', 'a+b%2Bc' ) ), array( array( 's', '%E6%9D%B1%E4%BA%AC%F0%9F%9A%80' ) ) ) );
		$query = array_merge( $query, $extra );
		if ( 0 === mt_rand( 0, 6 ) ) {
			$query[] = array( '_method', $this->pick( array( 'DELETE', 'GET', 'PUT', 'BREW' ) ) );
		}
		if ( 0 === mt_rand( 0, 8 ) ) {
			$headers['X-HTTP-Method-Override'] = $this->pick( array( 'DELETE', 'GET', 'POST' ) );
		}

		if ( in_array( $kind, array( 'basic', 'both' ), true ) ) {
			$headers['Authorization'] = 'Basic ' . base64_encode( $key['ck'] . ':' . ( mt_rand( 0, 5 ) ? $key['cs'] : 'cs_wrong' ) );
		}
		if ( 'query-basic' === $kind ) {
			$secret_name = mt_rand( 0, 7 ) ? 'consumer_secret' : 'consumer_secret%5B%5D';
			$key_name    = mt_rand( 0, 9 ) ? 'consumer_key' : 'consumer_key%5B%5D';
			$query[]     = array( $key_name, rawurlencode( $key['ck'] ) );
			$query[]     = array( $secret_name, rawurlencode( mt_rand( 0, 5 ) ? $key['cs'] : 'cs_wrong' ) );
			if ( 'consumer_secret%5B%5D' === $secret_name && 'consumer_key' === $key_name ) {
				$flags[] = 'array-secret';
			}
		}

		$oauth = null;
		if ( in_array( $kind, array( 'oauth', 'both' ), true ) ) {
			$oauth = $this->oauth_values( $key, $where, $flags );
		}

		// Place the OAuth parameters, with array-typed and duplicated mutations, before signing.
		$array_param = null;
		if ( null !== $oauth ) {
			if ( 0 === mt_rand( 0, 7 ) && 'header' !== $where ) {
				$array_param = $this->pick( array( 'oauth_signature', 'oauth_timestamp', 'oauth_nonce', 'oauth_signature_method', 'oauth_consumer_key' ) );
				if ( 'oauth_signature' === $array_param ) {
					$flags[] = 'array-signature'; // WooCommerce's rawurldecode() dies on it.
				} elseif ( 'oauth_nonce' === $array_param ) {
					$flags[] = 'nonce-rule'; // WooCommerce stores an array as a nonce.
				}
			}
			foreach ( $oauth as $name => $value ) {
				if ( 'oauth_signature' === $name ) {
					continue;
				}
				$raw_name = $name === $array_param ? $name . '%5B%5D' : $name;
				if ( 'header' === $where ) {
					$header[ $name ] = $value;
				} elseif ( 'body' === $where ) {
					$body[] = array( $raw_name, rawurlencode( $value ) );
				} else {
					$query[] = array( $raw_name, rawurlencode( $value ) );
				}
			}
			if ( 0 === mt_rand( 0, 9 ) && 'query' === $where ) {
				// A duplicate: PHP keeps the last one, which is the one signed.
				array_splice( $query, 0, 0, array( array( 'oauth_nonce', 'first-' . mt_rand() ) ) );
			}
			if ( 0 === mt_rand( 0, 9 ) && 'header' === $where ) {
				$query[] = array( 'oauth_consumer_key', 'ck_shadowed_by_the_header' );
			}
		}

		list( $path_only, $path_query ) = array_pad( explode( '?', $path, 2 ), 2, '' );
		$raw_query = implode( '&', array_filter( array( $path_query, self::join( $query ) ) ) );
		$target    = $path_only . ( '' === $raw_query ? '' : '?' . $raw_query );
		$raw_body  = array() === $body ? null : self::join( $body );
		if ( null !== $raw_body ) {
			$headers['Content-Type'] = 'application/x-www-form-urlencoded';
		}

		if ( null !== $oauth ) {
			$signature = $this->signature( $key, $method, $site, $target, $raw_query, 'POST' === $method ? (string) $raw_body : '', $header, $oauth['oauth_signature_method'] );
			$encoded = rawurlencode( $signature );
			$name    = 'oauth_signature' === $array_param ? 'oauth_signature%5B%5D' : 'oauth_signature';
			if ( 'header' === $where ) {
				$header['oauth_signature'] = $signature;
				$headers['Authorization']  = 'OAuth ' . implode( ', ', array_map( static fn( $k, $v ) => $k . '="' . rawurlencode( $v ) . '"', array_keys( $header ), $header ) );
			} elseif ( 'body' === $where ) {
				$raw_body .= '&' . $name . '=' . $encoded;
			} else {
				$target .= ( str_contains( $target, '?' ) ? '&' : '?' ) . $name . '=' . $encoded;
			}
		}

		$label = sprintf( '#%d seed %d: %s %s%s [%s via %s%s] %s', $this->counter, $this->seed, $method, $site, $target, $kind, $where, $flags ? '; ' . implode( ', ', $flags ) : '', wp_json_encode( $headers, JSON_INVALID_UTF8_SUBSTITUTE | JSON_UNESCAPED_SLASHES ) );
		return array(
			'base'    => $this->bases[ $site ],
			'method'  => $method,
			'target'  => $target,
			'headers' => $headers,
			'body'    => $raw_body,
			'flags'   => $flags,
			'label'   => strlen( $label ) > 600 ? substr( $label, 0, 600 ) . '…' : $label,
		);
	}

	/**
	 * The OAuth parameter values (decoded), before placement.
	 *
	 * @param list<string> $flags Receives 'nonce-rule' / 'timestamp-rule' when a value breaks one
	 *                            of Keysmith's stricter rules (see OAuthAuthentication, NonceStore).
	 * @return array<string, string>
	 */
	private function oauth_values( array $key, string $where, array &$flags ): array {
		$now       = time();
		$timestamp = (string) ( $now + $this->pick( array( 0, 0, 0, 0, 30, -600, 850, -850, 960, -960, -100000 ) ) );
		if ( 0 === mt_rand( 0, 9 ) ) {
			$timestamp = $this->pick( array( "$now.0", " $now", "$now ", "0$now", '+' . $now, 'abc', '' . ( $now + 1 ) . 'x' ) );
		}
		// Unique per request (a repeated nonce is a replay, refused by both judges differently:
		// WooCommerce forgets all but one nonce per second).
		$unique = '-' . $this->counter . '-' . bin2hex( random_bytes( 4 ) );
		$nonce  = bin2hex( random_bytes( 8 ) ) . $unique;
		if ( 0 === mt_rand( 0, 7 ) ) {
			$nonce = $this->pick(
				array(
					str_pad( $unique, 255, 'n', STR_PAD_LEFT ),
					str_pad( $unique, 256, 'n', STR_PAD_LEFT ),
					str_pad( $unique, 'body' === $where ? 200000 : 1500, 'L', STR_PAD_LEFT ),
					"nul\x00byte" . $unique,
					"\xff\xfe" . $unique,
					"tab\t" . $unique,
					"caf\u{e9}" . $unique,
					'with space' . $unique,
					'0',
				)
			);
		}
		if ( ! self::keysmith_accepts_nonce( $nonce ) && '0' !== $nonce ) {
			$flags[] = 'nonce-rule';
		}
		if ( ! ctype_digit( $timestamp ) ) {
			$flags[] = 'timestamp-rule'; // WooCommerce compares it loosely and may accept it.
		}
		return array(
			'oauth_consumer_key'     => mt_rand( 0, 15 ) ? $key['ck'] : '<b>' . $key['ck'] . '</b>',
			'oauth_timestamp'        => $timestamp,
			'oauth_nonce'            => $nonce,
			'oauth_signature_method' => $this->pick( array( 'HMAC-SHA256', 'HMAC-SHA256', 'HMAC-SHA1', 'HMAC-SHA1', 'hmac-sha1', 'PLAINTEXT', 'RSA-SHA1' ) ),
			'oauth_signature'        => '',
		);
	}

	/**
	 * The signature WooCommerce computes for this request (or, one time in six, a wrong one): over
	 * the parameters PHP will parse from the raw query and form body, the header's oauth_*
	 * parameters on top, and the URL WooCommerce builds from the raw path.
	 *
	 * @param array<string, string> $header
	 */
	private function signature( array $key, string $method, string $site, string $target, string $raw_query, string $raw_body, array $header, string $algo ): string {
		$get  = array();
		$post = array();
		parse_str( $raw_query, $get );
		parse_str( $raw_body, $post );
		$params = array_merge( $get, $post, $header );
		$url    = $this->signed_url( $site, $target );
		$secret = mt_rand( 0, 5 ) ? $key['cs'] : 'cs_wrong';
		return Signer::sign( $method, $url, $params, $secret, 'HMAC-SHA1' === $algo ? 'HMAC-SHA1' : 'HMAC-SHA256' );
	}

	/**
	 * WooCommerce's URL to sign: wp_parse_url()'s path of the raw request URI (none when PHP cannot
	 * parse it), the home path stripped, re-rooted on the site's home URL (the harness installs at
	 * the root).
	 */
	private function signed_url( string $site, string $target ): string {
		$path = wp_parse_url( $target, PHP_URL_PATH );
		$path = is_string( $path ) ? $path : '';
		if ( str_starts_with( $path, '/' ) ) {
			$path = substr( $path, 1 );
		}
		return $this->bases[ $site ] . ( '' === $path ? '' : '/' . ltrim( $path, '/' ) );
	}

	/**
	 * Keysmith's documented nonce rule, written here from the README, not taken from its code:
	 * 1 to 255 bytes, each a printable ASCII character (0x20-0x7E).
	 */
	private static function keysmith_accepts_nonce( string $nonce ): bool {
		if ( '' === $nonce || strlen( $nonce ) > 255 ) {
			return false;
		}
		foreach ( str_split( $nonce ) as $byte ) {
			if ( ord( $byte ) < 0x20 || ord( $byte ) > 0x7E ) {
				return false;
			}
		}
		return true;
	}

	/** @param list<array{0: string, 1: string}> $pairs */
	private static function join( array $pairs ): string {
		return implode( '&', array_map( static fn( array $p ): string => $p[0] . '=' . $p[1], $pairs ) );
	}

	/**
	 * @template T
	 * @param list<T> $options
	 * @return T
	 */
	private function pick( array $options ) {
		return $options[ mt_rand( 0, count( $options ) - 1 ) ];
	}

	/**
	 * A correctly signed OAuth request with a fixed nonce, for a replay race.
	 *
	 * @return array{base: string, method: string, target: string, headers: array<string, string>, body: null}
	 */
	public function race_request( array $key, string $site, string $path, string $nonce, int $timestamp ): array {
		$oauth = array(
			'oauth_consumer_key'     => $key['ck'],
			'oauth_nonce'            => $nonce,
			'oauth_signature_method' => 'HMAC-SHA256',
			'oauth_timestamp'        => (string) $timestamp,
		);
		list( $path_only, $path_query ) = array_pad( explode( '?', $path, 2 ), 2, '' );
		$raw_query = implode( '&', array_filter( array( $path_query, http_build_query( $oauth, '', '&', PHP_QUERY_RFC3986 ) ) ) );
		$target    = $path_only . '?' . $raw_query;
		$get       = array();
		parse_str( $raw_query, $get );
		$signature = Signer::sign( 'GET', $this->signed_url( $site, $target ), $get, $key['cs'] );
		return array(
			'base'    => $this->bases[ $site ],
			'method'  => 'GET',
			'target'  => $target . '&oauth_signature=' . rawurlencode( $signature ),
			'headers' => array(),
			'body'    => null,
		);
	}
}
