<?php
/**
 * Basic credentials that are no Keysmith key (an unknown ck_…, right and wrong application
 * passwords, other user names) get exactly WooCommerce alone's answer over real HTTP.
 *
 * The mechanism this pins: when Keysmith decides a request, WooCommerce's own
 * authentication_fallback() finds WooCommerce's state empty and asks WordPress for the current user
 * at rest_authentication_errors 10. WordPress then runs its application-password check before it
 * collects that check's error (priority 90), and reported "401 invalid_username" or
 * "incorrect_password" where WooCommerce alone answers with the route's "woocommerce_rest_cannot_view"
 * (alone, WooCommerce's fallback skips and the user is first asked for at 100). Keysmith unhooks
 * that fallback from the requests it decides (Authenticator::retire_woocommerce_fallback()).
 * In-process simulation cannot show this: application passwords are only checked in a real REST
 * request (REST_REQUEST).
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Auth;

final class BasicCredentialsHttpTest extends AuthTestCase {

	private const ROUTE = '/wp-json/wc/v3/keysmith-test';

	public function test_basic_credentials_that_are_no_api_key_get_woocommerces_answer(): void {
		$admin    = $this->user_id( 'admin' );
		$password = $this->application_password( $admin );
		$key      = $this->make_key( $this->make_user() );
		$cases    = array(
			'unknown ck_'            => array( 'ck_' . str_repeat( '0', 40 ), 'cs_' . str_repeat( '0', 40 ) ),
			'known key, wrong login' => array( 'admin', $key['cs'] ),
			'wrong app password'     => array( 'admin', 'aaaa bbbb cccc dddd eeee ffff' ),
			'right app password'     => array( 'admin', $password ),
			'unknown user'           => array( 'nobody-' . wp_generate_password( 6, false ), 'x' ),
			'email, wrong password'  => array( 'admin@example.com', 'x' ),
		);
		$seen = array();
		foreach ( $cases as $name => list( $login, $secret ) ) {
			foreach ( array( 'http', 'tls' ) as $site ) {
				foreach ( array( 'GET', 'POST' ) as $method ) {
					$answers = array();
					foreach ( array( 'keysmith', 'woocommerce' ) as $judge ) {
						$response          = self::http(
							$method,
							self::ROUTE,
							array(
								'site'    => $site,
								'headers' => array(
									'Authorization'            => 'Basic ' . base64_encode( "$login:$secret" ),
									'X-Keysmith-Harness-Judge' => $judge,
								),
							)
						);
						$answers[ $judge ] = array( $response['status'], $response['json']['code'] ?? null, $response['headers']['x-keysmith-harness-user'] ?? null );
					}
					$this->assertSame( $answers['woocommerce'], $answers['keysmith'], "$name, $method over $site" );
					$seen[ implode( ' ', array_map( 'strval', $answers['keysmith'] ) ) ] = true;
				}
			}
		}
		// The corpus reaches both outcomes: refused by the route, and logged in by the application password.
		$this->assertArrayHasKey( '401 woocommerce_rest_cannot_view 0', $seen, implode( ', ', array_keys( $seen ) ) );
		$this->assertArrayHasKey( "200  $admin", $seen, implode( ', ', array_keys( $seen ) ) );
	}
}
