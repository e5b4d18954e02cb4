<?php
/**
 * Runs one simulated HTTP request through the real WordPress REST lifecycle in this process:
 * superglobals as PHP-FPM and wp_magic_quotes() leave them, determine_current_user (the user is
 * determined before the request is parsed, as WP::init() does on a real site), WP::parse_request(),
 * serve_request()'s reset of a cached "no user" (so the user is determined again), its
 * WP_REST_Server::check_authentication() and method override, dispatch (with rest_pre_dispatch)
 * and the error-to-response conversion. Either Keysmith or the WooCommerce
 * contract fixture alone (Keysmith's hooks removed) judges, chosen per run.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Auth;

use Keysmith\Auth\AuthModule;
use Keysmith\Auth\Authenticator;

final class RequestSimulator {

	public const KEYSMITH    = 'keysmith';
	public const WOOCOMMERCE = 'woocommerce';

	/**
	 * @param array{method?:string, uri:string, https?:bool, post?:array<string,mixed>, headers?:array<string,string>, basic?:array{0:string,1:string}, remote_addr?:string} $req
	 * @return array{status:int, code:?string, message:?string, user:int, judge:string, decided:bool}
	 */
	public static function run( array $req, string $judge ): array {
		$saved = array( $_SERVER, $_GET, $_POST, $_REQUEST, $GLOBALS['wp'] ?? null );
		if ( self::WOOCOMMERCE === $judge ) {
			self::keysmith_auth( 'remove_filter' );
		}
		try {
			self::set_up_request( $req );
			return self::WOOCOMMERCE === $judge ? AuthTestCase::woocommerce_alone( static fn(): array => self::lifecycle( $judge ) ) : self::lifecycle( $judge );
		} finally {
			if ( self::WOOCOMMERCE === $judge ) {
				self::keysmith_auth( 'add_filter' );
			}
			list( $_SERVER, $_GET, $_POST, $_REQUEST, $GLOBALS['wp'] ) = $saved;
			$GLOBALS['current_user'] = null;
			wp_set_current_user( 0 );
		}
	}

	/**
	 * Adds or removes every hook of Keysmith's authentication path: WooCommerce alone means Keysmith
	 * entirely absent (with the setting off, Keysmith's key rules would still hold).
	 */
	private static function keysmith_auth( string $add_or_remove ): void {
		foreach ( AuthModule::hooks() as list( $hook, $callback, $priority, $args ) ) {
			$add_or_remove( $hook, $callback, $priority, $args );
		}
	}

	private static function set_up_request( array $req ): void {
		Authenticator::instance()->reset();
		keysmith_wc_contract_reset_auth();
		AuthTestCase::restore_woocommerce_fallback();

		$uri    = $req['uri'];
		$https  = $req['https'] ?? false;
		$server = $_SERVER;
		foreach ( array( 'HTTPS', 'HTTP_AUTHORIZATION', 'PHP_AUTH_USER', 'PHP_AUTH_PW', 'HTTP_X_HTTP_METHOD_OVERRIDE', 'PATH_INFO', 'QUERY_STRING' ) as $name ) {
			unset( $server[ $name ] );
		}
		$server['REQUEST_METHOD'] = $req['method'] ?? 'GET';
		$server['REQUEST_URI']    = $uri;
		$server['SERVER_PORT']    = $https ? '8443' : '8181';
		$server['HTTP_HOST']      = '127.0.0.1:' . $server['SERVER_PORT'];
		$server['REMOTE_ADDR']    = $req['remote_addr'] ?? '127.0.0.1';
		if ( $https ) {
			$server['HTTPS'] = 'on';
		}
		// Not parse_url(): it gives up on odd paths such as '///wp-json/…', which PHP-FPM still serves.
		$query = str_contains( $uri, '?' ) ? substr( $uri, strpos( $uri, '?' ) + 1 ) : '';
		if ( '' !== $query ) {
			$server['QUERY_STRING'] = $query;
		}
		foreach ( $req['headers'] ?? array() as $name => $value ) {
			$server[ 'HTTP_' . strtoupper( str_replace( '-', '_', $name ) ) ] = $value;
		}
		if ( isset( $req['basic'] ) ) {
			list( $server['PHP_AUTH_USER'], $server['PHP_AUTH_PW'] ) = $req['basic'];
		}
		$get = array();
		parse_str( $query, $get );
		$_GET    = add_magic_quotes( $get );
		$_POST   = add_magic_quotes( $req['post'] ?? array() );
		$_SERVER = add_magic_quotes( $server );
		$_REQUEST = array_merge( $_GET, $_POST );
		$GLOBALS['wp'] = new \WP();
		$GLOBALS['wp']->add_query_var( 'rest_route' ); // As rest_api_init() does on init.
		$GLOBALS['current_user'] = null;
	}

	private static function lifecycle( string $judge ): array {
		$user = get_current_user_id(); // determine_current_user, before the request is parsed.

		remove_action( 'parse_request', 'rest_api_loaded' );
		$GLOBALS['wp']->parse_request();
		add_action( 'parse_request', 'rest_api_loaded' );
		$route = untrailingslashit( (string) ( $GLOBALS['wp']->query_vars['rest_route'] ?? '' ) );

		// As WP_REST_Server::serve_request() does first: a cached "no user" is forgotten, so
		// determine_current_user runs again now that the route is resolved (e.g. rest_route in a
		// POST body, which the URI does not name).
		if ( $GLOBALS['current_user'] instanceof \WP_User && ! $GLOBALS['current_user']->exists() ) {
			$GLOBALS['current_user'] = null;
		}

		$server = rest_get_server();
		$result = $server->check_authentication();
		if ( ! is_wp_error( $result ) ) {
			$result = $server->dispatch( self::rest_request( '' === $route ? '/' : $route ) );
		}
		$response = rest_ensure_response( $result );
		if ( is_wp_error( $response ) ) {
			$response = rest_convert_error_to_response( $response );
		}
		$data = $response->get_data();
		$error = $response->get_status() >= 400 && is_array( $data );
		return array(
			'status'  => $response->get_status(),
			'code'    => $error ? (string) ( $data['code'] ?? '' ) : null,
			'message' => $error ? (string) ( $data['message'] ?? '' ) : null,
			'user'    => $error ? get_current_user_id() : (int) ( $data['user_id'] ?? -1 ),
			'judge'   => $judge,
			'decided' => null !== Authenticator::instance()->decision(),
		);
	}

	/** As WP_REST_Server::serve_request() builds the main request. */
	private static function rest_request( string $route ): \WP_REST_Request {
		$request = new \WP_REST_Request( $_SERVER['REQUEST_METHOD'], $route );
		$request->set_query_params( wp_unslash( $_GET ) );
		$request->set_body_params( wp_unslash( $_POST ) );
		$request->set_headers( rest_get_server()->get_headers( wp_unslash( $_SERVER ) ) );
		if ( isset( $_GET['_method'] ) ) {
			$request->set_method( $_GET['_method'] );
		} elseif ( isset( $_SERVER['HTTP_X_HTTP_METHOD_OVERRIDE'] ) ) {
			$request->set_method( $_SERVER['HTTP_X_HTTP_METHOD_OVERRIDE'] );
		}
		return $request;
	}
}
