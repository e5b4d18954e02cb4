<?php
/**
 * The contract fixture's WC_REST_Authentication answers as docs/woocommerce-compatibility.md §3 says WooCommerce does.
 * Keysmith's path is compared against this stand-in, so the stand-in itself must be right:
 * the §3.4 vector, the §3.8 error catalogue, Basic only over HTTPS, the nonce store.
 *
 * Requests are simulated in-process ($_SERVER, $_GET) and only WooCommerce's authenticate()
 * is asked; Keysmith's filters on woocommerce_rest_is_request_to_rest_api are set aside.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration;

use WC_REST_Authentication;
use WP_REST_Request;

final class FixtureAuthTest extends TestCase {

	private const VECTOR_KEY    = 'ck_0123456789abcdef0123456789abcdef01234567';
	private const VECTOR_SECRET = 'cs_fedcba9876543210fedcba9876543210fedcba98';

	private array $saved_server;
	private array $saved_get;
	private array $saved_post;
	private array $saved_scope_filters = array();
	private WC_REST_Authentication $auth;

	protected function setUp(): void {
		parent::setUp();
		global $wp_filter;
		$this->saved_server = $_SERVER;
		$this->saved_get    = $_GET;
		$this->saved_post   = $_POST;
		if ( isset( $wp_filter['woocommerce_rest_is_request_to_rest_api'] ) ) {
			$this->saved_scope_filters = array( $wp_filter['woocommerce_rest_is_request_to_rest_api'] );
			unset( $wp_filter['woocommerce_rest_is_request_to_rest_api'] );
		}
		$this->auth = WC_REST_Authentication::instance();
	}

	protected function tearDown(): void {
		global $wp_filter;
		$_SERVER = $this->saved_server;
		$_GET    = $this->saved_get;
		$_POST   = $this->saved_post;
		if ( $this->saved_scope_filters ) {
			$wp_filter['woocommerce_rest_is_request_to_rest_api'] = $this->saved_scope_filters[0];
		}
		remove_all_filters( 'option_home', 99 );
		keysmith_wc_contract_reset_auth(); // Also works on the real WooCommerce class (tests/fixture/REAL-WOOCOMMERCE.md).
		parent::tearDown();
	}

	/** Simulates a request reaching WordPress; $query is the raw query string. */
	private function request( string $method, string $path, string $query = '', bool $https = false ): void {
		$_SERVER['REQUEST_METHOD'] = $method;
		$_SERVER['REQUEST_URI']    = $path . ( '' === $query ? '' : '?' . $query );
		unset( $_SERVER['HTTPS'], $_SERVER['HTTP_AUTHORIZATION'], $_SERVER['PHP_AUTH_USER'], $_SERVER['PHP_AUTH_PW'] );
		if ( $https ) {
			$_SERVER['HTTPS'] = 'on';
		}
		parse_str( $query, $_GET );
		$_GET  = wp_slash( $_GET ); // WordPress adds slashes to request data.
		$_POST = array();
		keysmith_wc_contract_reset_auth();
	}

	/** @return array{0:int|false, 1:?string, 2:?string} user, error code, error message */
	private function authenticate(): array {
		$user  = $this->auth->authenticate( false );
		$error = $this->auth->check_authentication_error( null );
		return array( $user ? (int) $user : false, $error ? $error->get_error_code() : null, $error ? $error->get_error_message() : null );
	}

	private function insert_vector_key( string $permissions = 'read' ): int {
		global $wpdb;
		$wpdb->insert(
			$wpdb->prefix . 'woocommerce_api_keys',
			array(
				'user_id'         => self::user_id( 'shopmanager' ),
				'description'     => 'vector',
				'permissions'     => $permissions,
				'consumer_key'    => wc_api_hash( self::VECTOR_KEY ),
				'consumer_secret' => self::VECTOR_SECRET,
				'truncated_key'   => substr( self::VECTOR_KEY, -7 ),
			)
		);
		return (int) $wpdb->insert_id;
	}

	private static function signed_query( string $method, string $url, array $key, array $params = array(), string $signature_method = 'HMAC-SHA256', ?int $timestamp = null ): string {
		return http_build_query( self::oauth_params( $method, $url, $key['consumer_key'], $key['consumer_secret'], $params, $signature_method, $timestamp ), '', '&', PHP_QUERY_RFC3986 );
	}

	public function test_contract_vector_signature_is_accepted_then_its_old_timestamp_refused(): void {
		$this->insert_vector_key();
		add_filter( 'option_home', static fn () => 'http://example.com', 99 );
		$query = 'per_page=5&oauth_consumer_key=' . self::VECTOR_KEY . '&oauth_nonce=abc123&oauth_signature_method=HMAC-SHA256&oauth_timestamp=1700000000';

		// Signature right: the check moves on to the timestamp, which is years old.
		$this->request( 'GET', '/wp-json/wc/v3/products', $query . '&oauth_signature=' . rawurlencode( 'OHRPgb189UsJayMZRf1jY/Uk8C0V87cxe2fq74F/7GU=' ) );
		$this->assertSame( array( false, 'woocommerce_rest_authentication_error', 'Invalid timestamp.' ), $this->authenticate() );

		$this->request( 'GET', '/wp-json/wc/v3/products', $query . '&oauth_signature=' . rawurlencode( 'OHRPgb189UsJayMZRf1jY/Uk8C0V87cxe2fq74F/7GX=' ) );
		$this->assertSame( array( false, 'woocommerce_rest_authentication_error', 'Invalid signature - provided signature does not match.' ), $this->authenticate() );
	}

	public function test_oauth_succeeds_once_and_stores_the_nonce_keyed_by_timestamp(): void {
		$user_id = self::user_id( 'shopmanager' );
		$key     = $this->create_wc_key( $user_id, 'read' );
		$url     = home_url( '/wp-json/wc/v3/keysmith-test' );
		$now     = time();
		$query   = self::signed_query( 'GET', $url, $key, array( 's' => 'a b+c' ), 'HMAC-SHA1', $now );

		$this->request( 'GET', '/wp-json/wc/v3/keysmith-test', $query );
		$this->assertSame( array( $user_id, null, null ), $this->authenticate() );
		parse_str( $query, $sent );
		$this->assertSame( serialize( array( $now => $sent['oauth_nonce'] ) ), self::wc_key_row( $key['key_id'] )['nonces'] );

		$this->request( 'GET', '/wp-json/wc/v3/keysmith-test', $query );
		$this->assertSame( array( false, 'woocommerce_rest_authentication_error', 'Invalid nonce - nonce has already been used.' ), $this->authenticate() );
	}

	public function test_oauth_error_catalogue(): void {
		$key = $this->create_wc_key( self::user_id( 'admin' ) );
		$url = home_url( '/wp-json/wc/v3/keysmith-test' );

		$this->request( 'GET', '/wp-json/wc/v3/keysmith-test', 'oauth_consumer_key=' . $key['consumer_key'] );
		$this->assertSame( array( false, 'woocommerce_rest_authentication_missing_parameter', 'Missing OAuth parameters oauth_timestamp, oauth_nonce, oauth_signature, oauth_signature_method' ), $this->authenticate() );

		parse_str( self::signed_query( 'GET', $url, $key ), $params );
		unset( $params['oauth_nonce'] );
		$this->request( 'GET', '/wp-json/wc/v3/keysmith-test', http_build_query( $params ) );
		$this->assertSame( array( false, 'woocommerce_rest_authentication_missing_parameter', 'Missing OAuth parameter oauth_nonce' ), $this->authenticate() );

		$unknown = array( 'consumer_key' => 'ck_' . str_repeat( 'a', 40 ), 'consumer_secret' => $key['consumer_secret'] );
		$this->request( 'GET', '/wp-json/wc/v3/keysmith-test', self::signed_query( 'GET', $url, $unknown ) );
		$this->assertSame( array( false, 'woocommerce_rest_authentication_error', 'Consumer key is invalid.' ), $this->authenticate() );

		$this->request( 'GET', '/wp-json/wc/v3/keysmith-test', self::signed_query( 'GET', $url, $key, array(), 'HMAC-MD5' ) );
		$this->assertSame( array( false, 'woocommerce_rest_authentication_error', 'Invalid signature - signature method is invalid.' ), $this->authenticate() );

		// Signed for GET, sent as POST: the real HTTP method is part of the base string.
		$this->request( 'POST', '/wp-json/wc/v3/keysmith-test', self::signed_query( 'GET', $url, $key ) );
		$this->assertSame( array( false, 'woocommerce_rest_authentication_error', 'Invalid signature - provided signature does not match.' ), $this->authenticate() );

		// No OAuth parameter at all is not an OAuth request: no error.
		$this->request( 'GET', '/wp-json/wc/v3/keysmith-test', 'per_page=5' );
		$this->assertSame( array( false, null, null ), $this->authenticate() );
	}

	public function test_basic_only_over_https_and_unknown_keys_leave_no_error(): void {
		$user_id = self::user_id( 'shopmanager' );
		$key     = $this->create_wc_key( $user_id );
		$query   = 'consumer_key=' . $key['consumer_key'] . '&consumer_secret=' . $key['consumer_secret'];

		$this->request( 'GET', '/wp-json/wc/v3/keysmith-test', $query );
		$this->assertSame( array( false, null, null ), $this->authenticate(), 'Basic over plain HTTP is not tried' );

		$this->request( 'GET', '/wp-json/wc/v3/keysmith-test', $query, true );
		$this->assertSame( array( $user_id, null, null ), $this->authenticate() );

		$this->request( 'GET', '/wp-json/wc/v3/keysmith-test', '', true );
		$_SERVER['PHP_AUTH_USER'] = $key['consumer_key'];
		$_SERVER['PHP_AUTH_PW']   = 'cs_wrong';
		$this->assertSame( array( false, 'woocommerce_rest_authentication_error', 'Consumer secret is invalid.' ), $this->authenticate() );

		$this->request( 'GET', '/wp-json/wc/v3/keysmith-test', 'consumer_key=ck_unknown&consumer_secret=cs_x', true );
		$this->assertSame( array( false, null, null ), $this->authenticate() );

		$this->request( 'GET', '/wp-json/wp/v2/users/me', $query, true );
		$this->assertSame( array( false, null, null ), $this->authenticate(), 'not a WooCommerce route' );
	}

	public function test_key_permission_gates_the_request_method(): void {
		$key = $this->create_wc_key( self::user_id( 'admin' ), 'read' );
		$this->request( 'GET', '/wp-json/wc/v3/keysmith-test', 'consumer_key=' . $key['consumer_key'] . '&consumer_secret=' . $key['consumer_secret'], true );
		$this->assertNotFalse( $this->authenticate()[0] );

		$expect = array(
			'GET'      => null,
			'HEAD'     => null,
			'OPTIONS'  => null,
			'POST'     => 'The API key provided does not have write permissions.',
			'DELETE'   => 'The API key provided does not have write permissions.',
			'PROPFIND' => 'Unknown request method.',
		);
		foreach ( $expect as $method => $message ) {
			$result = $this->auth->check_user_permissions( null, rest_get_server(), new WP_REST_Request( $method, '/wc/v3/keysmith-test' ) );
			$this->assertSame( $message, is_wp_error( $result ) ? $result->get_error_message() : null, $method );
		}
	}

	public function test_scope_guard_refuses_a_key_on_a_route_the_uri_did_not_name(): void {
		global $wp;
		$saved_wp = $wp;
		$key      = $this->create_wc_key( self::user_id( 'admin' ) );
		$this->request( 'GET', '/wp-json/wc/v3/keysmith-test', 'consumer_key=' . $key['consumer_key'] . '&consumer_secret=' . $key['consumer_secret'], true );
		$this->assertNotFalse( $this->authenticate()[0] );

		try {
			$wp = new \WP(); // phpcs:ignore WordPress.WP.GlobalVariablesOverride -- restored below.
			$wp->query_vars['rest_route'] = '/wc/v3/keysmith-test';
			$this->assertNull( $this->auth->reject_out_of_scope_route( null ) );

			// WordPress resolved another namespace (e.g. rest_route in the body): refused.
			$wp->query_vars['rest_route'] = '/wp/v2/users/me';
			$refused                      = $this->auth->reject_out_of_scope_route( null );
			$this->assertSame( array( 'woocommerce_rest_authentication_error', 'The provided API key cannot be used to access this endpoint.', array( 'status' => 401 ) ), array( $refused->get_error_code(), $refused->get_error_message(), $refused->get_error_data() ) );
		} finally {
			$wp = $saved_wp; // phpcs:ignore WordPress.WP.GlobalVariablesOverride
		}
	}

	public function test_parse_header_keeps_woocommerces_quirks(): void {
		$this->assertSame( array(), $this->auth->parse_header( 'oauth oauth_nonce="x"' ), 'case-sensitive "OAuth "' );
		$this->assertSame(
			array(
				'oauth_consumer_key' => 'ck_1',
				'oauth_nonce'        => 'a b',
				'oauth_signature'    => 'x/y=',
			),
			$this->auth->parse_header( 'OAuth realm="r", oauth_consumer_key="ck_1", oauth_nonce=a+b, oauth_signature="x%2Fy%3D"' )
		);
		$this->assertSame( array( 'oauth_nonce' => '' ), $this->auth->parse_header( 'OAuth oauth_nonce="0"' ), 'a PHP-empty quoted value falls back to the empty bare capture' );
	}
}
