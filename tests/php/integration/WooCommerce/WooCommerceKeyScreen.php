<?php
/**
 * WooCommerce's own REST API keys screen driven as a browser does, over real HTTP: the Add key
 * form (its `update_api_nonce`), and the admin-ajax save its api-keys.js posts
 * (docs/woocommerce-compatibility.md §2.5.1, §4.2), answered by the contract fixture's handler.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\WooCommerce;

trait WooCommerceKeyScreen {

	/** WooCommerce > Settings > Advanced > REST API. */
	protected const KEYS_PAGE = '/wp-admin/admin.php?page=wc-settings&tab=advanced&section=keys';

	/** @return array{0: array, 1: string} Login cookies and the form's update-api-key nonce. */
	protected static function open_create_form( string $login ): array {
		$cookies = self::login( $login );
		$page    = self::http( 'GET', self::KEYS_PAGE . '&create-key=1', array( 'cookies' => $cookies ) );
		self::assertSame( 200, $page['status'] );
		self::assertSame( 1, preg_match( '/"update_api_nonce":"([0-9a-f]+)"/', $page['body'], $m ), 'the form carries its nonce' );
		return array( $cookies, $m[1] );
	}

	/**
	 * POSTs the key form as WooCommerce's api-keys.js does: a new key unless $fields has a key_id.
	 *
	 * @param array<string, string|int> $fields  description, user, permissions (and key_id to edit).
	 * @param array<string, string>     $headers Extra request headers.
	 * @return array{status:int, headers:array<string,string>, body:string, json:mixed}
	 */
	protected static function save_key( array $cookies, string $nonce, array $fields, array $headers = array() ): array {
		return self::http(
			'POST',
			'/wp-admin/admin-ajax.php',
			array(
				'cookies' => $cookies,
				'headers' => $headers,
				'body'    => $fields + array(
					'action'   => 'woocommerce_update_api_key',
					'security' => $nonce,
					'key_id'   => '0',
				),
			)
		);
	}
}
