<?php
/**
 * Keysmith's admin endpoints over real HTTP with real logins: the admin-ajax create / rotate
 * actions and the settings-page POST handlers need a valid nonce AND manage_woocommerce (a valid
 * nonce alone, obtained for a customer, is refused), change nothing when refused, and the
 * responses carrying secrets are never cached.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Admin;

use Keysmith\Admin\Ajax;
use Keysmith\Admin\BulkActions;
use Keysmith\Admin\CreateKeys;
use Keysmith\Admin\FormToken;
use Keysmith\Tests\Integration\TestCase;

final class AdminHttpTest extends TestCase {

	private const SECTION = '/wp-admin/admin.php?page=wc-settings&tab=advanced&section=keysmith';

	/** @param array<string, string> $fields */
	private static function ajax( array $cookies, array $fields ): array {
		return self::http( 'POST', '/wp-admin/admin-ajax.php', array( 'cookies' => $cookies, 'body' => $fields ) );
	}

	/** @return array<string, string> The create form's fields for $login with $nonce. */
	private static function create_fields( string $nonce, string $owner ): array {
		return array(
			'action'                => Ajax::CREATE,
			BulkActions::NONCE_FIELD => $nonce,
			'ks_count'              => '2',
			'ks_users'              => $owner,
			'ks_permissions'        => 'read',
			'ks_description'        => 'http {n}',
		);
	}

	public function test_ajax_create_needs_a_nonce_and_the_capability_and_is_never_cached(): void {
		$customer = self::login( 'customer' );
		$refused  = self::ajax( $customer, self::create_fields( self::nonce_for( $customer, CreateKeys::NONCE_ACTION ), 'customer' ) );
		$this->assertSame( 403, $refused['status'], 'a valid nonce does not stand in for manage_woocommerce' );
		$this->assertFalse( $refused['json']['success'] );

		$admin    = self::login( 'admin' );
		$no_nonce = self::ajax( $admin, self::create_fields( 'forged1234', 'admin' ) );
		$this->assertSame( 403, $no_nonce['status'] );
		$other_action = self::ajax( $admin, self::create_fields( self::nonce_for( $admin, BulkActions::NONCE_ACTION ), 'admin' ) );
		$this->assertSame( 403, $other_action['status'], "the bulk-action nonce is not the create form's" );
		$this->assertSame( 0, self::count_rows( 'woocommerce_api_keys' ) );

		$created = self::ajax( $admin, self::create_fields( self::nonce_for( $admin, CreateKeys::NONCE_ACTION ), 'admin' ) );
		$this->assertSame( 200, $created['status'], $created['body'] );
		$this->assertTrue( $created['json']['success'] );
		$this->assertCount( 2, $created['json']['data']['keys'] );
		$this->assertStringContainsString( 'no-store', self::header_of( $created, 'Cache-Control' ) );
		$this->assertSame( 2, self::count_rows( 'woocommerce_api_keys' ) );
	}

	public function test_ajax_rotate_refuses_a_customer_with_a_valid_nonce(): void {
		$customer = self::login( 'customer' ); // Before anything caches the user's sessions in this process.
		$key      = $this->create_wc_key( self::user_id( 'customer' ) );
		$response = self::ajax(
			$customer,
			array(
				'action'                 => Ajax::ROTATE,
				BulkActions::NONCE_FIELD => self::nonce_for( $customer, BulkActions::NONCE_ACTION ),
				'ks_ids'                 => (string) $key['key_id'],
				'ks_grace'               => '0',
			)
		);
		$this->assertSame( 403, $response['status'] );
		$this->assertNotNull( self::wc_key_row( $key['key_id'] ), 'the key was not rotated (grace 0 would have revoked it)' );
	}

	public function test_settings_page_bulk_action_needs_the_nonce(): void {
		$admin = self::login( 'admin' ); // Before anything caches the user's sessions in this process.
		$key   = $this->create_wc_key( self::user_id( 'admin' ) );
		$post  = static fn( string $nonce ): array => self::http(
			'POST',
			self::SECTION,
			array(
				'cookies' => $admin,
				'body'    => array(
					'keysmith_execute'       => '1',
					'ks_action'              => 'revoke',
					'ks_ids'                 => (string) $key['key_id'],
					FormToken::FIELD         => FormToken::create(),
					BulkActions::NONCE_FIELD => $nonce,
				),
			)
		);
		$this->assertSame( 403, $post( 'forged1234' )['status'] );
		$this->assertNotNull( self::wc_key_row( $key['key_id'] ) );

		$done = $post( self::nonce_for( $admin, BulkActions::NONCE_ACTION ) );
		$this->assertSame( 303, $done['status'] );
		$this->assertStringContainsString( 'ks_done=revoke', self::header_of( $done, 'Location' ) );
		$this->assertNull( self::wc_key_row( $key['key_id'] ) );
	}

	public function test_the_section_refuses_users_without_manage_woocommerce(): void {
		$page = self::http( 'GET', self::SECTION, array( 'cookies' => self::login( 'customer' ) ) );
		$this->assertSame( 403, $page['status'] );
		$this->assertStringNotContainsString( 'keysmith-screen', $page['body'] );
	}

	private static function header_of( array $response, string $name ): string {
		foreach ( $response['headers'] as $key => $value ) {
			if ( 0 === strcasecmp( (string) $key, $name ) ) {
				return is_array( $value ) ? implode( ', ', $value ) : (string) $value;
			}
		}
		return '';
	}
}
