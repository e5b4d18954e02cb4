<?php
/**
 * Who may use keysmith/v1: 401 without credentials, 403 without manage_woocommerce, WooCommerce's
 * owner rule (edit_user) for assigning keys, and cookie authentication with a REST nonce. Every
 * refused request leaves the tables exactly as they were.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Rest;

final class AccessTest extends RestTestCase {

	/** @return list<array{0: string, 1: string, 2: array<string, mixed>|null}> method, path, body */
	private function every_route( int $key_id ): array {
		$owner = array( self::user_id( 'admin' ) );
		return array(
			array( 'GET', '/keys', null ),
			array( 'POST', '/keys', array( 'owner' => $owner ) ),
			array( 'GET', "/keys/$key_id", null ),
			array( 'PATCH', "/keys/$key_id", array( 'permissions' => 'write' ) ),
			array( 'DELETE', "/keys/$key_id", null ),
			array( 'POST', '/keys/batch', array( 'action' => 'revoke', 'ids' => array( $key_id ) ) ),
			array( 'GET', '/audit', null ),
		);
	}

	public function test_without_credentials_every_route_answers_401_and_changes_nothing(): void {
		$id     = $this->create_keys( array( 'owner' => array( self::user_id( 'admin' ) ) ) )[0]['key_id'];
		$before = self::snapshot();

		foreach ( $this->every_route( $id ) as list( $method, $path, $body ) ) {
			$response = $this->api( $method, $path, $body, null );
			self::assertStatus( 401, $response );
			self::assertSame( 'keysmith_rest_forbidden', $response['json']['code'], "$method $path" );
		}
		$wrong = $this->api( 'GET', '/keys', null, null, array( 'headers' => array( 'Authorization' => 'Basic ' . base64_encode( 'admin:abcd efgh ijkl mnop qrst uvwx' ) ) ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode
		self::assertStatus( 401, $wrong );
		self::assertSame( 'incorrect_password', $wrong['json']['code'] );

		self::assertSame( $before, self::snapshot() );
	}

	public function test_users_without_manage_woocommerce_get_403_and_change_nothing(): void {
		$id       = $this->create_keys( array( 'owner' => array( self::user_id( 'customer' ) ) ) )[0]['key_id'];
		$customer = self::user_id( 'customer' );
		$before   = self::snapshot();

		foreach ( $this->every_route( $id ) as list( $method, $path, $body ) ) {
			$response = $this->api( $method, $path, $body, $customer );
			self::assertStatus( 403, $response );
			self::assertSame( 'keysmith_rest_forbidden', $response['json']['code'], "$method $path" );
		}
		self::assertSame( $before, self::snapshot() );
	}

	public function test_owner_needs_edit_user_as_in_woocommerce(): void {
		$customer = $this->create_user( 'customer' );
		$admin    = self::user_id( 'admin' );
		$own      = $this->api( 'POST', '/keys', array( 'owner' => array( self::user_id( 'shopmanager' ) ) ), 'shopmanager' );
		self::assertStatus( 201, $own );
		$before = self::snapshot();

		foreach ( array( array( 'POST', '/keys', array( 'owner' => array( $customer, $admin ) ) ), array( 'PATCH', '/keys/' . $own['json'][0]['key_id'], array( 'owner' => $admin ) ) ) as list( $method, $path, $body ) ) {
			$refused = $this->api( $method, $path, $body, 'shopmanager' );
			self::assertStatus( 403, $refused );
			self::assertSame( 'keysmith_cannot_assign', $refused['json']['code'] );
			self::assertSame( 'You do not have permission to assign API Keys to the selected user.', $refused['json']['message'] );
		}
		self::assertSame( $before, self::snapshot(), 'a shop manager cannot give keys to an administrator' );

		$allowed = $this->api( 'POST', '/keys', array( 'owner' => array( $customer ) ), 'shopmanager' );
		self::assertStatus( 201, $allowed );
		self::assertSame( $customer, $allowed['json'][0]['user_id'] );
	}

	public function test_shop_manager_cannot_revoke_or_change_keys_of_users_it_may_not_edit(): void {
		$customer     = $this->create_user( 'customer' );
		$admin_key    = $this->create_keys( array( 'owner' => array( self::user_id( 'admin' ) ) ) )[0]['key_id'];
		$customer_key = $this->create_keys( array( 'owner' => array( $customer ) ) )[0]['key_id'];
		$before       = self::snapshot();

		$refused = array(
			array( 'DELETE', "/keys/$admin_key", null ),
			array( 'PATCH', "/keys/$admin_key", array( 'permissions' => 'write' ) ),
			array( 'POST', '/keys/batch', array( 'action' => 'revoke', 'ids' => array( $customer_key, $admin_key ) ) ),
			array( 'POST', '/keys/batch', array( 'action' => 'update', 'ids' => array( $admin_key ), 'changes' => array( 'expires_at' => '+1 day' ) ) ),
			array( 'POST', '/keys/batch', array( 'action' => 'revoke', 'filter' => array( 'all' => true ), 'dry_run' => true ) ),
		);
		foreach ( $refused as list( $method, $path, $body ) ) {
			$response = $this->api( $method, $path, $body, 'shopmanager' );
			self::assertStatus( 403, $response );
			self::assertSame( 'keysmith_cannot_edit_key', $response['json']['code'], "$method $path" );
		}
		self::assertSame( $before, self::snapshot(), "nothing changed, not even the customer's key in the same batch" );

		$allowed = $this->api( 'DELETE', "/keys/$customer_key", null, 'shopmanager' );
		self::assertStatus( 200, $allowed );
		self::assertTrue( $allowed['json']['deleted'] );
	}

	public function test_cookie_authentication_needs_the_rest_nonce(): void {
		$this->create_keys( array( 'owner' => array( self::user_id( 'admin' ) ) ) );
		$base  = self::site_url( 'tls' );
		$login = wp_remote_post(
			$base . '/wp-login.php',
			array(
				'sslverify'   => false,
				'redirection' => 0,
				'cookies'     => array( 'wordpress_test_cookie' => 'WP Cookie check' ),
				'body'        => array(
					'log'        => 'admin',
					'pwd'        => 'password',
					'testcookie' => '1',
				),
			)
		);
		self::assertSame( 302, wp_remote_retrieve_response_code( $login ), 'logged in' );
		$cookies = wp_remote_retrieve_cookies( $login );
		$nonce   = wp_remote_retrieve_body(
			wp_remote_get(
				$base . '/wp-admin/admin-ajax.php?action=rest-nonce',
				array(
					'sslverify' => false,
					'cookies'   => $cookies,
				)
			)
		);
		self::assertMatchesRegularExpression( '/^[0-9a-f]{10}$/', $nonce );

		$with_nonce = self::http( 'GET', '/wp-json/keysmith/v1/keys', array( 'site' => 'tls', 'cookies' => $cookies, 'headers' => array( 'X-WP-Nonce' => $nonce ) ) );
		self::assertStatus( 200, $with_nonce );
		self::assertCount( 1, $with_nonce['json'] );

		$without = self::http( 'GET', '/wp-json/keysmith/v1/keys', array( 'site' => 'tls', 'cookies' => $cookies ) );
		self::assertStatus( 401, $without );
	}
}
