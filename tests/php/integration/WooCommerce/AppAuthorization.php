<?php
/**
 * Drives WooCommerce's app authorization as an app and a store admin do, over real HTTP: the app
 * sends the admin to `/wc-auth/v1/authorize/`, the admin follows its Approve link, WooCommerce
 * makes the key and posts the pair to the app's callback (the harness's test app,
 * tests/fixture/woocommerce/wc-auth-test-app.php, which keeps what it received in an option).
 * A test that uses it calls forget_app_data() in setUp and tearDown: the option holds a secret in
 * the clear, which must not outlive the test (SealAllTest looks for any `cs_` in a full dump).
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\WooCommerce;

trait AppAuthorization {

	/** Where WooCommerce sends the admin back to after the grant. */
	protected static string $app_return_url = 'https://app.example/return';

	/** A /wc-auth/v1/<route>/ URL as an app builds it. */
	protected static function auth_url( string $route, string $app_name, string $scope, int $callback_status = 200 ): string {
		$callback = self::site_url( 'tls' ) . '/wp-json/keysmith-harness/v1/wc-auth-callback' . ( 200 === $callback_status ? '' : '?status=' . $callback_status );
		return '/wc-auth/v1/' . $route . '/?' . http_build_query(
			array(
				'app_name'     => $app_name,
				'user_id'      => 'app-user-42',
				'return_url'   => self::$app_return_url,
				'callback_url' => $callback,
				'scope'        => $scope,
			)
		);
	}

	/**
	 * Opens the authorize page as $cookies' user and follows its Approve link.
	 *
	 * @param \WP_Http_Cookie[] $cookies
	 * @return array<string, mixed> The answer to the Approve link.
	 */
	protected static function approve( array $cookies, string $app_name, string $scope, int $callback_status = 200 ): array {
		$page = self::http( 'GET', self::auth_url( 'authorize', $app_name, $scope, $callback_status ), array( 'cookies' => $cookies ) );
		self::assertSame( 200, $page['status'], $page['body'] );
		self::assertMatchesRegularExpression( '/<a href="([^"]+)" class="button button-primary wc-auth-approve">Approve<\/a>/', $page['body'] );
		preg_match( '/<a href="([^"]+)" class="button button-primary wc-auth-approve">/', $page['body'], $m );
		return self::http( 'GET', html_entity_decode( $m[1] ), array( 'cookies' => $cookies ) );
	}

	/**
	 * What the app's callback received last (key id, user, key ending, permissions, the field
	 * names, and the pair itself: an app keeps it to call the API).
	 *
	 * @return array<string, mixed>
	 */
	protected static function received_by_app(): array {
		return (array) get_option( 'keysmith_harness_wc_auth_callback', array() );
	}

	/** Empties the app's mailbox (the pair it received is a secret in the clear). */
	protected static function forget_app_data(): void {
		delete_option( 'keysmith_harness_wc_auth_callback' );
	}
}
