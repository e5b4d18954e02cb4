<?php
/**
 * Keys made by WooCommerce's app authorization (`/wc-auth/v1/…`, the contract fixture's WC_Auth,
 * over real HTTP: an admin approves, WooCommerce posts the pair to the app's callback) have
 * Keysmith's record by the time the request ends: source `wc-auth`, the app's name, the creator, a
 * `create` event with source `wc-auth`. When the callback fails, WooCommerce deletes the key again
 * and nothing of it stays in Keysmith's tables.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\WooCommerce;

use Keysmith\Store\AuditLog;
use Keysmith\Store\KeyPolicy;
use Keysmith\Store\Schema;
use Keysmith\Tests\Integration\TestCase;

final class AppAuthTest extends TestCase {

	use AppAuthorization;

	protected function setUp(): void {
		parent::setUp();
		self::forget_app_data();
	}

	protected function tearDown(): void {
		self::forget_app_data();
		parent::tearDown();
	}

	/** @return array<string, string|null>|null */
	private static function meta( int $key_id ): ?array {
		global $wpdb;
		$row = $wpdb->get_row( $wpdb->prepare( 'SELECT * FROM ' . Schema::meta_table() . ' WHERE key_id = %d', $key_id ), ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
		return is_array( $row ) ? $row : null;
	}

	public function test_an_approved_app_key_gets_keysmiths_record_and_a_create_event(): void {
		$cookies = self::login( 'admin' );
		$before  = time();
		$granted = self::approve( $cookies, 'Zapier <b>Sync</b>', 'read_write' );

		$this->assertSame( 302, $granted['status'], $granted['body'] );
		$this->assertSame( self::$app_return_url . '?success=1&user_id=app-user-42', $granted['headers']['location'] );
		global $wpdb;
		$row = $wpdb->get_row( 'SELECT * FROM ' . Schema::wc_table(), ARRAY_A );
		$this->assertSame( (string) self::user_id( 'admin' ), $row['user_id'], 'the logged-in user owns it' );
		$this->assertStringStartsWith( 'Zapier Sync - API (', $row['description'] );
		$this->assertSame( (int) $row['key_id'], self::received_by_app()['key_id'], 'the app got this key' );

		$meta = self::meta( (int) $row['key_id'] );
		$this->assertNotNull( $meta, 'recorded in the request that made it' );
		$this->assertSame( array( 'wc-auth', 'Zapier Sync', (string) self::user_id( 'admin' ) ), array( $meta['source'], $meta['app_name'], $meta['created_by'] ) );
		$this->assertEqualsWithDelta( $before, strtotime( $meta['created_at'] . ' UTC' ), 10 );
		$events = AuditLog::query( array( 'key_id' => (int) $row['key_id'] ) )['items'];
		$this->assertCount( 1, $events );
		$this->assertSame( array( 'create', 'wc-auth', self::user_id( 'admin' ), $row['truncated_key'] ), array( $events[0]['action'], $events[0]['source'], $events[0]['actor_id'], $events[0]['truncated_key'] ) );
		$this->assertSame( array( 'permissions' => 'read_write', 'key_source' => 'wc-auth', 'app_name' => 'Zapier Sync' ), $events[0]['details'] );
	}

	public function test_the_app_name_is_recorded_as_woocommerce_cut_it(): void {
		$long    = str_repeat( 'Långt appnamn ', 20 ); // 280 characters, more bytes.
		$granted = self::approve( self::login( 'admin' ), $long, 'read' );
		$this->assertSame( 302, $granted['status'], $granted['body'] );
		global $wpdb;
		$row  = $wpdb->get_row( 'SELECT * FROM ' . Schema::wc_table(), ARRAY_A );
		$meta = self::meta( (int) $row['key_id'] );
		$this->assertSame( 170, mb_strlen( $meta['app_name'] ) );
		$this->assertStringEndsWith( '...', $meta['app_name'] );
		$this->assertStringStartsWith( $meta['app_name'] . ' - API (', $row['description'] );
		$this->assertSame( 'read', $row['permissions'] );
	}

	public function test_a_failed_callback_deletes_the_key_and_leaves_nothing_behind(): void {
		$refused = self::approve( self::login( 'admin' ), 'Broken app', 'read', 500 );

		$this->assertSame( 401, $refused['status'] );
		$this->assertStringContainsString( 'Error: An error occurred in the request and at the time were unable to send the consumer data.', $refused['body'] );
		$this->assertNotNull( self::received_by_app()['key_id'] ?? null, 'a key existed while WooCommerce called the app' );
		$this->assertSame( array( 0, 0, 0 ), array( self::count_rows( 'woocommerce_api_keys' ), self::count_rows( 'keysmith_key_meta' ), self::count_rows( 'keysmith_audit' ) ) );
	}

	public function test_a_denied_or_unauthorised_request_makes_no_key(): void {
		$customer = self::login( 'customer' );
		$page     = self::http( 'GET', self::auth_url( 'authorize', 'Any app', 'read' ), array( 'cookies' => $customer ) );
		$this->assertSame( 401, $page['status'] );
		$this->assertStringContainsString( 'Error: You do not have permission to access this page.', $page['body'] );
		$this->assertSame( array( 0, 0 ), array( self::count_rows( 'woocommerce_api_keys' ), self::count_rows( 'keysmith_audit' ) ) );
	}

	public function test_an_app_key_gets_the_policys_default_expiry(): void {
		( new KeyPolicy( 14 * DAY_IN_SECONDS, null ) )->save();
		try {
			$granted = self::approve( self::login( 'admin' ), 'Policy app', 'read' );
		} finally {
			delete_option( KeyPolicy::OPTION );
		}
		$this->assertSame( 302, $granted['status'], $granted['body'] );
		global $wpdb;
		$key_id = (int) $wpdb->get_var( 'SELECT MAX(key_id) FROM ' . Schema::wc_table() );
		$expiry = self::meta( $key_id )['expires_at'];
		$this->assertEqualsWithDelta( time() + 14 * DAY_IN_SECONDS, strtotime( $expiry . ' UTC' ), 10 );
		$event = AuditLog::query( array( 'key_id' => $key_id ) )['items'][0];
		$this->assertSame( array( $expiry, array( 'default_expiry' => 14 * DAY_IN_SECONDS, 'max_lifetime' => null ) ), array( $event['details']['expires_at'], $event['details']['policy'] ) );
	}
}
