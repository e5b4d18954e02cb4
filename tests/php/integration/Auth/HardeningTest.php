<?php
/**
 * Regression tests for the ways a key holder got around Keysmith's rules while Keysmith handed
 * requests it "could not decide" to WooCommerce, whose answer knows no expiry and whose nonce
 * check lets replays through. Each request here once authenticated an expired or rotated-out key,
 * replayed a nonce, or grew the nonce store without bound. Keysmith now decides every request in
 * WooCommerce's scope (fail closed), so none of them can.
 *
 * Where WooCommerce's own code ends in a PHP fatal error on a request (an array where it reads a
 * string), the test shows it, and that Keysmith answers with a clean 401 instead.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Auth;

use Keysmith\Auth\Authenticator;
use Keysmith\Auth\NonceStore;
use Keysmith\Store\Schema;

final class HardeningTest extends AuthTestCase {

	private const ROUTE = 'wp-json/wc/v3/keysmith-test';

	private const EXPIRED = array( 401, 'keysmith_rest_key_expired', 0 );

	/** @var callable|null */
	private $injector = null;

	protected function tearDown(): void {
		if ( null !== $this->injector ) {
			remove_filter( 'query', $this->injector );
		}
		parent::tearDown();
	}

	private function expired_key(): array {
		return $this->make_key( $this->make_user(), 'read_write', gmdate( 'Y-m-d H:i:s', time() - 60 ) );
	}

	/** [status, code, user] of a Keysmith-judged request. */
	private static function verdict( array $req ): array {
		$out = RequestSimulator::run( $req, RequestSimulator::KEYSMITH );
		return array( $out['status'], $out['code'], $out['user'] );
	}

	/** @return array<string, array{0: string}> */
	public static function odd_oauth_parameters(): array {
		return array(
			'array signature'        => array( 'oauth_consumer_key=x&oauth_timestamp=1&oauth_nonce=1&oauth_signature_method=x&oauth_signature%5B%5D=x' ),
			'array timestamp'        => array( 'oauth_consumer_key=x&oauth_timestamp%5B%5D=1&oauth_nonce=1&oauth_signature_method=x&oauth_signature=x' ),
			'array nonce and method' => array( 'oauth_consumer_key=x&oauth_timestamp=1&oauth_nonce%5Ba%5D=1&oauth_signature_method%5B%5D=x&oauth_signature=x' ),
			'array consumer key'     => array( 'oauth_consumer_key%5B%5D=x&oauth_timestamp=1&oauth_nonce=1&oauth_signature_method=x&oauth_signature=x' ),
		);
	}

	/**
	 * Basic credentials of an expired key plus OAuth parameters of odd types in the query: Basic
	 * refused the key, the OAuth parameters made Keysmith step aside, WooCommerce accepted the key.
	 *
	 * @dataProvider odd_oauth_parameters
	 */
	public function test_expired_basic_key_with_odd_oauth_parameters_stays_refused( string $query ): void {
		$key = $this->expired_key();
		foreach ( array( 'GET', 'POST', 'DELETE' ) as $method ) {
			$req = array( 'uri' => '/' . self::ROUTE . '?' . $query, 'method' => $method, 'https' => true, 'basic' => array( $key['ck'], $key['cs'] ) );
			$this->assertSame( 200, RequestSimulator::run( $req, RequestSimulator::WOOCOMMERCE )['status'], "$method: WooCommerce alone accepts the expired key" );
			$this->assertNotSame( 200, self::verdict( $req )[0], $method );
			$this->assertSame( 0, self::verdict( $req )[2], $method );
		}
	}

	/** The same with a key that is not expired: Basic wins, OAuth is never looked at (as in WooCommerce). */
	public function test_valid_basic_key_with_odd_oauth_parameters_is_accepted_like_woocommerce(): void {
		$key = $this->make_key( $this->make_user() );
		foreach ( self::odd_oauth_parameters() as list( $query ) ) {
			$req = array( 'uri' => '/' . self::ROUTE . '?' . $query, 'https' => true, 'basic' => array( $key['ck'], $key['cs'] ) );
			$this->assertSame( array( 200, null, $key['user'] ), self::verdict( $req ) );
			$this->assertSame( 200, RequestSimulator::run( $req, RequestSimulator::WOOCOMMERCE )['status'] );
		}
	}

	/** `///wp-json/…`: PHP cannot parse the path, so WooCommerce signs the bare home URL. */
	private function triple_slash( array $key, array $o = array() ): array {
		$req        = $this->oauth( $key, self::ROUTE, $o + array( 'sign_url' => $this->home() ) );
		$req['uri'] = '//' . $req['uri'];
		return $req;
	}

	public function test_triple_slash_path_is_judged_by_keysmith_with_its_rules(): void {
		$expired = $this->expired_key();
		$req     = $this->triple_slash( $expired );
		$this->assertSame( 200, RequestSimulator::run( $req, RequestSimulator::WOOCOMMERCE )['status'], 'WooCommerce alone accepts the expired key' );
		$this->assertSame( self::EXPIRED, self::verdict( $this->triple_slash( $expired ) ) );
		foreach ( array( 'DELETE', 'POST' ) as $method ) {
			$this->assertSame( self::EXPIRED, self::verdict( $this->triple_slash( $expired, array( 'method' => $method ) ) ), $method );
		}

		$valid = $this->make_key( $this->make_user() );
		$req   = $this->triple_slash( $valid, array( 'nonce' => 'once-only' ) );
		$this->assertSame( array( 200, null, $valid['user'] ), self::verdict( $req ), 'signed like WooCommerce: over the bare home URL' );
		$this->assertSame( array( 401, 'woocommerce_rest_authentication_error', 0 ), self::verdict( $req ), 'the replay' );
	}

	public function test_array_signature_crashes_woocommerce_and_is_refused_by_keysmith(): void {
		$key = $this->make_key( $this->make_user() );
		$req = $this->oauth( $key, self::ROUTE, array( 'set' => array( 'oauth_signature' => array( 'x' ) ) ) );
		$out = RequestSimulator::run( $req, RequestSimulator::KEYSMITH );
		$this->assertSame( array( 401, 'Invalid signature - provided signature does not match.' ), array( $out['status'], $out['message'] ) );
		$this->expectException( \TypeError::class ); // rawurldecode(): Argument #1 ($string) must be of type string, array given.
		RequestSimulator::run( $req, RequestSimulator::WOOCOMMERCE );
	}

	public function test_array_secret_crashes_woocommerce_and_is_refused_by_keysmith(): void {
		$key = $this->make_key( $this->make_user() );
		$req = array( 'uri' => '/' . self::ROUTE . '?consumer_key=' . $key['ck'] . '&consumer_secret%5B%5D=' . $key['cs'], 'https' => true );
		$out = RequestSimulator::run( $req, RequestSimulator::KEYSMITH );
		$this->assertSame( array( 401, 'Consumer secret is invalid.' ), array( $out['status'], $out['message'] ) );
		$this->expectException( \TypeError::class ); // hash_equals(): Argument #2 ($user_string) must be of type string, array given.
		RequestSimulator::run( $req, RequestSimulator::WOOCOMMERCE );
	}

	/** Odd types WooCommerce answers without crashing get WooCommerce's answer from Keysmith. */
	public function test_odd_types_woocommerce_survives_get_its_answer(): void {
		$key   = $this->make_key( $this->make_user() );
		$cases = array(
			'array consumer key'       => array( 'set' => array( 'oauth_consumer_key' => array( $key['ck'] ) ) ),
			'array signature method'   => array( 'set' => array( 'oauth_signature_method' => array( 'HMAC-SHA256' ) ) ),
			'array timestamp (signed)' => array( 'set' => array( 'oauth_timestamp' => array( (string) time() ) ), 'resign' => true ),
		);
		foreach ( $cases as $name => $o ) {
			$req = $this->oauth( $key, self::ROUTE, array( 'where' => 'body', 'method' => 'POST' ) );
			if ( ! empty( $o['resign'] ) ) {
				$req = $this->signed_with( $key, $o['set'] );
			} else {
				$req['post'] = array_merge( $req['post'], $o['set'] );
			}
			$wc = RequestSimulator::run( $req, RequestSimulator::WOOCOMMERCE );
			$ks = RequestSimulator::run( $req, RequestSimulator::KEYSMITH );
			$this->assertSame( 401, $wc['status'], $name );
			$this->assertSame( array( $wc['status'], $wc['code'], $wc['message'] ), array( $ks['status'], $ks['code'], $ks['message'] ), $name );
		}
	}

	/** A POST whose body carries the OAuth parameters, signed over $override (values may be arrays). */
	private function signed_with( array $key, array $override ): array {
		$oauth = array_merge(
			array(
				'oauth_consumer_key'     => $key['ck'],
				'oauth_timestamp'        => (string) time(),
				'oauth_nonce'            => bin2hex( random_bytes( 8 ) ),
				'oauth_signature_method' => 'HMAC-SHA256',
			),
			$override
		);
		$oauth['oauth_signature'] = Signer::sign( 'POST', $this->home() . '/' . self::ROUTE, $oauth, $key['cs'] );
		return array( 'uri' => '/' . self::ROUTE, 'method' => 'POST', 'post' => $oauth );
	}

	public function test_a_signed_array_nonce_is_refused_where_woocommerce_stores_it(): void {
		$key = $this->make_key( $this->make_user() );
		$req = $this->signed_with( $key, array( 'oauth_nonce' => array( 'a' => 'b' ) ) );
		$this->assertSame( 200, RequestSimulator::run( $req, RequestSimulator::WOOCOMMERCE )['status'], 'WooCommerce stores an array as a nonce' );
		$this->assertSame( array( 401, 'keysmith_rest_invalid_nonce', 0 ), self::verdict( $req ) );
		$this->assertSame( 0, NonceStore::count_for_key( $key['id'] ) );
	}

	public function test_megabyte_and_unprintable_nonces_are_refused_and_store_nothing(): void {
		global $wpdb;
		$key    = $this->make_key( $this->make_user() );
		$errors = $wpdb->num_queries;
		foreach ( array( str_repeat( 'n', 1 << 20 ), str_repeat( 'n', 256 ), "abc\x01", "caf\u{e9}", "a\nb" ) as $nonce ) {
			$req = $this->oauth( $key, self::ROUTE, array( 'nonce' => $nonce, 'where' => 'body', 'method' => 'POST' ) );
			$this->assertSame( array( 401, 'keysmith_rest_invalid_nonce', 0 ), self::verdict( $req ), strlen( $nonce ) . ' bytes' );
		}
		$this->assertSame( 0, NonceStore::count_for_key( $key['id'] ) );
		$this->assertNull( $this->key_row( $key['id'] )['nonces'] );
		$this->assertSame( '', $wpdb->last_error );

		$longest = str_repeat( '~', NonceStore::MAX_LENGTH );
		$this->assertSame( 200, self::verdict( $this->oauth( $key, self::ROUTE, array( 'nonce' => $longest ) ) )[0] );
		$this->assertSame( 200, self::verdict( $this->oauth( $key, self::ROUTE, array( 'nonce' => 'with space' ) ) )[0] );
	}

	public function test_timestamps_must_be_decimal_digits(): void {
		$key = $this->make_key( $this->make_user() );
		$now = time();
		foreach ( array( "$now.0", " $now", "$now ", '1.7e9', '+' . $now ) as $timestamp ) {
			$req = $this->signed_with( $key, array( 'oauth_timestamp' => $timestamp ) );
			$out = RequestSimulator::run( $req, RequestSimulator::KEYSMITH );
			$this->assertSame( array( 401, 'Invalid timestamp.' ), array( $out['status'], $out['message'] ), var_export( $timestamp, true ) );
		}
		$this->assertSame( 200, RequestSimulator::run( $this->signed_with( $key, array( 'oauth_timestamp' => '0' . $now ) ), RequestSimulator::KEYSMITH )['status'], 'leading zeros are still digits' );
	}

	/** Makes every statement that starts with $prefix fail. */
	private function break_statements( string $prefix ): void {
		$this->injector = static fn( string $query ): string => str_starts_with( ltrim( $query ), $prefix ) ? 'SELECT * FROM keysmith_no_such_table_for_fault_injection' : $query;
		add_filter( 'query', $this->injector );
	}

	public function test_a_failing_nonce_store_refuses_instead_of_falling_back(): void {
		$key = $this->make_key( $this->make_user() );
		$req = $this->oauth( $key, self::ROUTE, array( 'nonce' => 'while-down' ) );
		$this->break_statements( 'INSERT IGNORE INTO ' . Schema::nonce_table() );
		$seen = array();
		$listen = static function ( $part ) use ( &$seen ) {
			$seen[] = $part;
		};
		add_action( 'keysmith_auth_unavailable', $listen );
		$out = RequestSimulator::run( $req, RequestSimulator::KEYSMITH );
		remove_filter( 'query', $this->injector );
		remove_all_actions( 'keysmith_auth_unavailable' );
		$this->assertSame( array( 500, 'keysmith_rest_auth_unavailable', 0 ), array( $out['status'], $out['code'], $out['user'] ) );
		$this->assertTrue( $out['decided'] );
		$this->assertSame( array( 'nonce store' ), $seen );
		$this->assertNull( $this->key_row( $key['id'] )['nonces'], 'WooCommerce did not judge it either' );
		$this->assertSame( 200, self::verdict( $req )[0], 'restored: the nonce was never recorded, so it is accepted once' );
	}

	public function test_a_failing_key_lookup_refuses(): void {
		$expired = $this->expired_key();
		$this->break_statements( 'SELECT k.key_id' );
		$oauth = RequestSimulator::run( $this->oauth( $expired, self::ROUTE ), RequestSimulator::KEYSMITH );
		$basic = RequestSimulator::run( array( 'uri' => '/' . self::ROUTE, 'https' => true, 'basic' => array( $expired['ck'], $expired['cs'] ) ), RequestSimulator::KEYSMITH );
		$this->assertSame( array( 500, 'keysmith_rest_auth_unavailable' ), array( $oauth['status'], $oauth['code'] ) );
		$this->assertSame( array( 500, 'keysmith_rest_auth_unavailable' ), array( $basic['status'], $basic['code'] ) );
	}

	/**
	 * The user was determined (as nobody) before any authenticator was hooked, and nothing asks
	 * again: WooCommerce's authentication_fallback() would judge alone and accept an expired key.
	 */
	public function test_keysmiths_fallback_judges_when_the_user_was_determined_early(): void {
		$expired = $this->expired_key();
		$valid   = $this->make_key( $this->make_user() );
		foreach ( array( array( $expired, false ), array( $valid, $valid['user'] ) ) as list( $key, $user ) ) {
			$saved = array( $_SERVER, $_GET );
			Authenticator::instance()->reset();
			keysmith_wc_contract_reset_auth();
			$_SERVER['HTTPS']         = 'on';
			$_SERVER['REQUEST_URI']   = '/' . self::ROUTE;
			$_SERVER['PHP_AUTH_USER'] = $key['ck'];
			$_SERVER['PHP_AUTH_PW']   = $key['cs'];
			$_GET                     = array();
			wp_set_current_user( 0 ); // Determined before the hooks: cached, not asked again.
			try {
				$result = apply_filters( 'rest_authentication_errors', null );
				$this->assertSame( false === $user ? 0 : $user, get_current_user_id() );
				if ( false === $user ) {
					$this->assertSame( 'keysmith_rest_key_expired', is_wp_error( $result ) ? $result->get_error_code() : $result );
				} else {
					$this->assertTrue( $result );
				}
			} finally {
				list( $_SERVER, $_GET ) = $saved;
				wp_set_current_user( 0 );
				Authenticator::instance()->reset();
			}
		}
	}
}
