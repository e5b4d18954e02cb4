<?php
/**
 * Keys, users and request builders shared by the authentication tests. Keys are written straight
 * into WooCommerce's table, as WooCommerce writes them (Keysmith's store is not under test here).
 *
 * With KEYSMITH_TEST_SEALED=1 (run-integration.sh's "sealed" passes) every test runs with sealing
 * on: keys are stored as Keysmith stores a sealed key (a marker in WooCommerce's column, the
 * sealed secret in Keysmith's), keys made through the store are sealed by it, and every answer
 * must be today's. WooCommerce alone cannot verify a sealed secret, so where a test compares with
 * WooCommerce alone, WooCommerce is shown the plaintext for that request (woocommerce_alone()).
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Auth;

use Keysmith\Auth\Authenticator;
use Keysmith\Auth\Settings;
use Keysmith\Auth\Throttle;
use Keysmith\Crypto\Sealing;
use Keysmith\Sealing\KeyStatus;
use Keysmith\Sealing\Marker;
use Keysmith\Sealing\State;
use Keysmith\Store\Schema;
use Keysmith\Tests\Integration\TestCase;

abstract class AuthTestCase extends TestCase {

	/** @var list<int> */
	private array $keys = array();

	/** @var array<int, string> Key id => plaintext secret, of the keys a sealed run stored sealed. */
	private static array $plaintext = array();

	protected function setUp(): void {
		parent::setUp();
		Schema::install();
		Authenticator::instance()->reset();
		self::restore_woocommerce_fallback();
		// Comparisons with WooCommerce send many refusals from one address; the throttle (a rule of
		// Keysmith's own, tested in ThrottleTest) would answer 429 to them.
		self::set_throttle( array( 'enabled' => false ) );
		self::$plaintext = array();
		if ( self::sealed_run() ) {
			$this->assertTrue( KeyStatus::current()->configured, 'a sealed run needs the harness sealing key (tests/harness/run-integration.sh): ' . KeyStatus::current()->problem() );
			State::save( true, null );
		}
	}

	/** Whether this run stores every key sealed (KEYSMITH_TEST_SEALED=1). */
	public static function sealed_run(): bool {
		return '1' === getenv( 'KEYSMITH_TEST_SEALED' );
	}

	/**
	 * Runs $judge with WooCommerce's column holding the plaintext of every sealed key the test made
	 * (or registered with remember_plaintext()), then puts the markers back: how WooCommerce alone
	 * sees keys it can verify. Outside a sealed run, just runs $judge.
	 *
	 * @template T
	 * @param callable(): T $judge
	 * @return T
	 */
	public static function woocommerce_alone( callable $judge ): mixed {
		global $wpdb;
		if ( ! self::sealed_run() || array() === self::$plaintext ) {
			return $judge();
		}
		$markers = array();
		foreach ( self::$plaintext as $id => $secret ) {
			$markers[ $id ] = (string) $wpdb->get_var( $wpdb->prepare( 'SELECT consumer_secret FROM ' . Schema::wc_table() . ' WHERE key_id = %d', $id ) );
			$wpdb->update( Schema::wc_table(), array( 'consumer_secret' => $secret ), array( 'key_id' => $id ) );
		}
		try {
			return $judge();
		} finally {
			foreach ( $markers as $id => $marker ) {
				$wpdb->update( Schema::wc_table(), array( 'consumer_secret' => $marker ), array( 'key_id' => $id ) );
			}
		}
	}

	/** A key made through the store in a sealed run: WooCommerce alone is shown its secret (woocommerce_alone()). */
	protected static function remember_plaintext( int $key_id, string $secret ): void {
		if ( self::sealed_run() ) {
			self::$plaintext[ $key_id ] = $secret;
		}
	}

	/** @param array<string, mixed> $throttle Throttle settings over the defaults, stored for the served site too. */
	protected static function set_throttle( array $throttle ): void {
		update_option( Settings::OPTION, array( Throttle::SETTING => $throttle ) );
	}

	/**
	 * A new PHP process starts with WooCommerce's authentication_fallback() hooked; Keysmith
	 * unhooks it from the requests it decides (Authenticator::retire_woocommerce_fallback()), so a
	 * process that simulates many requests puts it back before each.
	 */
	public static function restore_woocommerce_fallback(): void {
		$fallback = array( \WC_REST_Authentication::instance(), 'authentication_fallback' );
		if ( false === has_filter( 'rest_authentication_errors', $fallback ) ) {
			add_filter( 'rest_authentication_errors', $fallback );
		}
	}

	protected function tearDown(): void {
		global $wpdb;
		foreach ( $this->keys as $key_id ) {
			$wpdb->delete( Schema::wc_table(), array( 'key_id' => $key_id ) );
			$wpdb->delete( Schema::meta_table(), array( 'key_id' => $key_id ) );
		}
		remove_all_filters( 'keysmith_use_native' );
		delete_option( Settings::OPTION );
		$this->keys = array();
		Authenticator::instance()->reset();
		parent::tearDown();
	}

	protected function make_user( string $role = 'administrator' ): int {
		return $this->create_user( $role );
	}

	/**
	 * @return array{id:int, ck:string, cs:string, user:int}
	 */
	protected function make_key( int $user_id, string $permissions = 'read_write', ?string $expires_at = null ): array {
		global $wpdb;
		$ck = 'ck_' . bin2hex( random_bytes( 20 ) );
		$cs = 'cs_' . bin2hex( random_bytes( 20 ) );
		$hash   = hash_hmac( 'sha256', $ck, 'wc-api' );
		$sealed = self::sealed_run();
		$wpdb->insert(
			Schema::wc_table(),
			array(
				'user_id'         => $user_id,
				'description'     => 'auth test',
				'permissions'     => $permissions,
				'consumer_key'    => $hash,
				'consumer_secret' => $sealed ? Marker::create() : $cs,
				'truncated_key'   => substr( $ck, -7 ),
			)
		);
		$id           = (int) $wpdb->insert_id;
		$this->keys[] = $id;
		$meta         = array();
		if ( null !== $expires_at ) {
			$meta['expires_at'] = $expires_at;
		}
		if ( $sealed ) {
			$meta += array(
				'sealed_secret' => Sealing::seal( $cs, $hash ),
				'sealed_with'   => KeyStatus::current()->fingerprint,
			);
			self::$plaintext[ $id ] = $cs;
		}
		if ( array() !== $meta ) {
			$wpdb->insert( Schema::meta_table(), array( 'key_id' => $id ) + $meta );
		}
		return array( 'id' => $id, 'ck' => $ck, 'cs' => $cs, 'user' => $user_id );
	}

	/** @return array<string, mixed> the key row as stored */
	protected function key_row( int $key_id ): array {
		global $wpdb;
		return (array) $wpdb->get_row( $wpdb->prepare( 'SELECT * FROM ' . Schema::wc_table() . ' WHERE key_id = %d', $key_id ), ARRAY_A );
	}

	protected function home(): string {
		return untrailingslashit( home_url() );
	}

	/**
	 * An OAuth request to $path under the site (path relative to home, e.g. 'wp-json/wc/v3/keysmith-test').
	 *
	 * @param array<string, mixed> $o Options: where (query|header|body), method, https, params
	 *                                (decoded extra params), raw_query (extra raw query string),
	 *                                algo, secret, ts_offset, nonce, drop (list), set (overrides),
	 *                                override (_method|header value).
	 * @return array<string, mixed> Request for RequestSimulator.
	 */
	protected function oauth( array $key, string $path, array $o = array() ): array {
		$https  = $o['https'] ?? false;
		$method = $o['method'] ?? 'GET';
		$where  = $o['where'] ?? 'query';
		$home   = $o['home'] ?? $this->home();
		if ( $https ) {
			$home = preg_replace( '#^http:#', 'https:', $home );
		}
		$oauth = array(
			'oauth_consumer_key'     => $key['ck'],
			'oauth_timestamp'        => (string) ( time() + ( $o['ts_offset'] ?? 0 ) ),
			'oauth_nonce'            => $o['nonce'] ?? bin2hex( random_bytes( 8 ) ),
			'oauth_signature_method' => $o['algo'] ?? 'HMAC-SHA256',
		);
		$raw_query = $o['raw_query'] ?? '';
		$decoded   = array();
		parse_str( $raw_query, $decoded );
		$signed = array_merge( $decoded, $o['body'] ?? array(), $oauth );
		$url    = $o['sign_url'] ?? ( $home . '/' . ltrim( $path, '/' ) );
		$sig    = Signer::sign( $method, (string) strtok( $url, '?' ), $signed, $o['secret'] ?? $key['cs'], in_array( $oauth['oauth_signature_method'], array( 'HMAC-SHA1' ), true ) ? 'HMAC-SHA1' : 'HMAC-SHA256' );
		$oauth['oauth_signature'] = $sig;
		foreach ( $o['set'] ?? array() as $k => $v ) {
			$oauth[ $k ] = $v;
		}
		foreach ( $o['drop'] ?? array() as $k ) {
			unset( $oauth[ $k ] );
		}

		$req = array(
			'method' => $method,
			'https'  => $https,
			'post'   => $o['body'] ?? array(),
			'headers' => $o['headers'] ?? array(),
			'remote_addr' => $o['remote_addr'] ?? '127.0.0.1',
		);
		$query = $raw_query;
		if ( 'header' === $where ) {
			$req['headers']['Authorization'] = Signer::header( $oauth );
		} elseif ( 'body' === $where ) {
			$req['post'] = array_merge( $req['post'], $oauth );
		} else {
			$query .= ( '' === $query ? '' : '&' ) . http_build_query( $oauth, '', '&', PHP_QUERY_RFC3986 );
		}
		$base       = (string) wp_parse_url( $home, PHP_URL_PATH );
		$req['uri'] = rtrim( $base, '/' ) . '/' . ltrim( $path, '/' ) . ( '' === $query ? '' : ( str_contains( $path, '?' ) ? '&' : '?' ) . $query );
		return $req;
	}
}
