<?php
/**
 * Keysmith's keys and state, judged by WooCommerce's authenticator alone: keys made by
 * KeyService authenticate over real HTTP with Keysmith's auth path removed, and nonces
 * recorded by either authenticator are replays for the other once it hands them over
 * (NonceHandover: on deactivation or the setting switched off, and on taking over).
 *
 * In CI WooCommerce is the contract fixture; with KEYSMITH_REAL_WC_AUTH set (see
 * tests/fixture/REAL-WOOCOMMERCE.md) the same tests run against WooCommerce's own class, and one
 * more compares Keysmith's OAuth primitives with that class's private methods.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Auth;

use Keysmith\Auth\NonceHandover;
use Keysmith\Crypto\Crypto;
use Keysmith\Store\Actor;
use Keysmith\Store\KeyService;
use Keysmith\Store\Schema;

final class WooCommerceAloneTest extends AuthTestCase {

	private const ROUTE = '/wp-json/wc/v3/keysmith-test';

	public function test_bulk_created_keys_authenticate_through_woocommerce_alone(): void {
		// The served site judges with WooCommerce alone: Keysmith's auth hooks removed (tests/harness/judge.php).
		$alone = array( 'X-Keysmith-Harness-Judge' => 'woocommerce' );

		$this->act_as( 'admin' );
		$owner = $this->make_user( 'shop_manager' );
		$keys  = array();
		foreach ( array( 'read_write', 'read', 'write' ) as $permissions ) {
			$made = ( new KeyService() )->create( array( 'user_ids' => array( $owner ), 'count' => 2, 'permissions' => $permissions ), Actor::current( 'cli' ) );
			$this->assertIsArray( $made );
			$keys = array_merge( $keys, $made );
		}
		$this->act_as( 0 );
		foreach ( $keys as $key ) {
			self::remember_plaintext( $key['key_id'], $key['consumer_secret'] );
		}

		// Keysmith is really off: WooCommerce knows nothing of expiry, so an expired key still works.
		global $wpdb;
		$wpdb->update( Schema::meta_table(), array( 'expires_at' => gmdate( 'Y-m-d H:i:s', time() - 60 ) ), array( 'key_id' => $keys[0]['key_id'] ) );

		foreach ( $keys as $key ) {
			foreach ( array( 'GET', 'POST' ) as $method ) {
				$allowed  = 'read_write' === $key['permissions'] || ( 'GET' === $method ? 'read' : 'write' ) === $key['permissions'];
				$expected = $allowed
					? array( 200, array( 'user_id' => $owner, 'method' => $method ) )
					: array( 401, 'GET' === $method ? 'The API key provided does not have read permissions.' : 'The API key provided does not have write permissions.' );
				$label    = "{$key['permissions']} $method";

				$basic = self::woocommerce_alone( static fn(): array => self::http( $method, self::ROUTE, array( 'site' => 'tls', 'headers' => $alone + array( 'Authorization' => 'Basic ' . base64_encode( $key['consumer_key'] . ':' . $key['consumer_secret'] ) ) ) ) );
				$this->assertSame( $expected, $this->outcome( $basic, $allowed ), "Basic over https, $label" );

				$url   = self::site_url( 'http' ) . self::ROUTE;
				$query = http_build_query( self::oauth_params( $method, $url, $key['consumer_key'], $key['consumer_secret'] ), '', '&', PHP_QUERY_RFC3986 );
				$this->assertSame( $expected, $this->outcome( self::woocommerce_alone( static fn(): array => self::http( $method, "$url?$query", array( 'headers' => $alone ) ) ), $allowed ), "OAuth over http, $label" );
			}
		}

		$wrong = self::woocommerce_alone( static fn(): array => self::http( 'GET', self::ROUTE, array( 'site' => 'tls', 'headers' => $alone + array( 'Authorization' => 'Basic ' . base64_encode( $keys[0]['consumer_key'] . ':cs_' . str_repeat( '0', 40 ) ) ) ) ) );
		$this->assertSame( array( 401, 'Consumer secret is invalid.' ), array( $wrong['status'], $wrong['json']['message'] ?? null ) );

		// The same expired key through the served site with Keysmith present: refused.
		$kept = self::http( 'GET', self::ROUTE, array( 'site' => 'tls', 'headers' => array( 'Authorization' => 'Basic ' . base64_encode( $keys[0]['consumer_key'] . ':' . $keys[0]['consumer_secret'] ) ) ) );
		$this->assertSame( array( 401, 'keysmith_rest_key_expired' ), array( $kept['status'], $kept['json']['code'] ?? null ) );
	}

	public function test_nonces_recorded_by_one_authenticator_are_replays_for_the_other_after_handover(): void {
		$key  = $this->make_key( $this->make_user() );
		$used = array( 401, 'woocommerce_rest_authentication_error', 'Invalid nonce - nonce has already been used.' );
		$switch = array(
			// Deactivation (or the setting switched off): Keysmith hands its live nonces to WooCommerce.
			RequestSimulator::KEYSMITH    => static fn() => NonceHandover::hand_back(),
			// Activation, upgrade or the setting switched on: Keysmith takes WooCommerce's over.
			RequestSimulator::WOOCOMMERCE => static function (): void {
				update_option( NonceHandover::OPTION, NonceHandover::WOOCOMMERCE );
				NonceHandover::sync();
			},
		);
		foreach ( array( array( RequestSimulator::KEYSMITH, RequestSimulator::WOOCOMMERCE ), array( RequestSimulator::WOOCOMMERCE, RequestSimulator::KEYSMITH ) ) as list( $first, $second ) ) {
			// One nonce per timestamp: WooCommerce keeps a single nonce per second (docs/woocommerce-compatibility.md §3.5).
			$requests = array();
			for ( $i = 0; $i < 3; $i++ ) {
				$requests[] = $this->oauth( $key, 'wp-json/wc/v3/keysmith-test', array( 'ts_offset' => -100 * $i, 'nonce' => "$first-$i-" . wp_generate_password( 8, false ) ) );
			}
			foreach ( $requests as $i => $request ) {
				$this->assertSame( 200, RequestSimulator::run( $request, $first )['status'], "$first #$i" );
			}
			$switch[ $first ]();
			foreach ( $requests as $i => $request ) {
				$replay = RequestSimulator::run( $request, $second );
				$this->assertSame( $used, array( $replay['status'], $replay['code'], $replay['message'] ), "$first's nonce #$i replayed to $second" );
			}
		}
		$this->assertSame( NonceHandover::KEYSMITH, get_option( NonceHandover::OPTION ) );
	}

	public function test_oauth_primitives_match_real_woocommerces_private_methods(): void {
		if ( ! defined( 'KEYSMITH_WC_CONTRACT_AUTH' ) || 'real' !== KEYSMITH_WC_CONTRACT_AUTH ) {
			$this->markTestSkipped( 'Needs WooCommerce\'s own class-wc-rest-authentication.php (KEYSMITH_REAL_WC_AUTH, tests/fixture/REAL-WOOCOMMERCE.md).' );
		}
		$wc        = \WC_REST_Authentication::instance();
		$normalize = new \ReflectionMethod( $wc, 'normalize_parameters' );
		$join      = new \ReflectionMethod( $wc, 'join_with_equals_sign' );
		$seeds = \Keysmith\Tests\Seeds::for_run( 'auth parity corpus', 'KEYSMITH_AUTH_CORPUS_SEED', array( 6 ) );
		$cases = (int) ( getenv( 'KEYSMITH_AUTH_CORPUS_SIZE' ) ?: 120 ) * 10;
		for ( $c = 0; $c < $cases * count( $seeds ); $c++ ) {
			$seed = $seeds[ intdiv( $c, $cases ) ];
			if ( 0 === $c % $cases ) {
				mt_srand( $seed );
			}
			$params = array( 'oauth_signature_method' => mt_rand( 0, 1 ) ? 'HMAC-SHA1' : 'HMAC-SHA256' );
			for ( $i = mt_rand( 0, 6 ); $i > 0; $i-- ) {
				$params[ mt_rand( 0, 3 ) ? self::noise( 6 ) : mt_rand( 0, 20 ) ] = self::value( 0 );
			}
			$method = array( 'GET', 'post', 'Delete', 'PUT' )[ mt_rand( 0, 3 ) ];
			$url    = home_url( '/' . self::noise( 10 ) );

			// The lines of WooCommerce's check_oauth_signature(), with its own methods.
			$sorted = $params;
			uksort( $sorted, 'strcmp' );
			$expected = strtoupper( $method ) . '&' . rawurlencode( $url ) . '&' . implode( '%26', $join->invoke( $wc, $normalize->invoke( $wc, $sorted ) ) );
			$label    = "seed $seed: " . wp_json_encode( array( $method, $url, $params ), JSON_INVALID_UTF8_SUBSTITUTE );
			$this->assertSame( $expected, Crypto::oauth_base_string( $method, $url, $params ), $label );

			$secret    = 'cs_' . bin2hex( random_bytes( 20 ) );
			$algorithm = strtolower( str_replace( 'HMAC-', '', $params['oauth_signature_method'] ) );
			$signature = base64_encode( hash_hmac( $algorithm, $expected, $secret . '&', true ) );
			$this->assertSame( $signature, Crypto::oauth_signature( $expected, $secret, $params['oauth_signature_method'] ), $label );
			$this->assertTrue( Crypto::oauth_verify( $method, $url, $params + array( 'oauth_signature' => $signature ), $secret ), $label );

			$header = ( mt_rand( 0, 4 ) ? 'OAuth ' : self::noise( 3 ) ) . implode( ', ', array_map( static fn() => ( mt_rand( 0, 3 ) ? 'oauth_' : '' ) . self::noise( 5 ) . '=' . ( mt_rand( 0, 1 ) ? '"' . self::noise( 8 ) . '"' : self::noise( 8 ) ), range( 0, mt_rand( 0, 4 ) ) ) );
			$this->assertSame( $wc->parse_header( $header ), Crypto::parse_oauth_header( $header ), "seed $seed: " . wp_json_encode( $header, JSON_INVALID_UTF8_SUBSTITUTE ) );
		}
		foreach ( Crypto::generate_keys( 200 ) as $key ) {
			$this->assertSame( wc_api_hash( $key['consumer_key'] ), $key['key_hash'] );
		}
	}

	/** Characters that stress encoding and parsing: reserved, multibyte, NUL, invalid UTF-8. */
	private static function noise( int $max ): string {
		$alphabet = array( 'a', 'Z', '0', '_', '-', '.', '~', ' ', '+', '%', '&', '=', '[', ']', '/', '"', ',', ':', 'oauth_', "\u{e9}", "\u{1F680}", "\x00", "\xff" );
		$out      = '';
		for ( $i = mt_rand( 0, $max ); $i > 0; $i-- ) {
			$out .= $alphabet[ mt_rand( 0, count( $alphabet ) - 1 ) ];
		}
		return $out;
	}

	/** A parameter value as PHP's request parsing can produce it (strings, nested arrays), or an int. */
	private static function value( int $depth ): string|int|array {
		$roll = mt_rand( 0, 9 );
		if ( $depth < 3 && $roll < 2 ) {
			$nested = array();
			for ( $i = mt_rand( 0, 3 ); $i > 0; $i-- ) {
				$nested[ mt_rand( 0, 2 ) ? self::noise( 4 ) : mt_rand( 0, 3 ) ] = self::value( $depth + 1 );
			}
			return $nested;
		}
		return $roll < 3 ? mt_rand( -5, 99999 ) : self::noise( 8 );
	}

	/** [status, user_id+method body] for an allowed request, [status, message] for a refused one. */
	private function outcome( array $response, bool $allowed ): array {
		return array( $response['status'], $allowed ? $response['json'] : ( $response['json']['message'] ?? $response['body'] ) );
	}
}
