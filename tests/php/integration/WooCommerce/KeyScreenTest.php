<?php
/**
 * Keys made, edited and revoked on WooCommerce's own REST API keys screen (the contract fixture's
 * WC_AJAX::update_api_key, revoke link and bulk Revoke, over real HTTP with real logins) have
 * Keysmith's record by the time that request ends: source `woocommerce`, creator, a `create`,
 * `update` or `revoke` event with source `woocommerce`, and no record left for a revoked key.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\WooCommerce;

use Keysmith\Store\Actor;
use Keysmith\Store\AuditLog;
use Keysmith\Store\KeyPolicy;
use Keysmith\Store\KeyService;
use Keysmith\Store\Schema;
use Keysmith\Tests\Integration\TestCase;

final class KeyScreenTest extends TestCase {

	use WooCommerceKeyScreen;

	/** @return array<string, string|null>|null */
	private static function meta( int $key_id ): ?array {
		global $wpdb;
		$row = $wpdb->get_row( $wpdb->prepare( 'SELECT * FROM ' . Schema::meta_table() . ' WHERE key_id = %d', $key_id ), ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
		return is_array( $row ) ? $row : null;
	}

	/** @return list<array<string, mixed>> The key's events, oldest first. */
	private static function events( int $key_id ): array {
		return array_reverse( AuditLog::query( array( 'key_id' => $key_id ) )['items'] );
	}

	/** @return list<int> Keys made with Keysmith for $owner. */
	private function keysmith_keys( int $owner, int $count ): array {
		wp_set_current_user( self::user_id( 'admin' ) );
		$created = ( new KeyService() )->create( array( 'user_ids' => array( $owner ), 'count' => $count, 'permissions' => 'read' ), Actor::current( 'admin' ) );
		wp_set_current_user( 0 );
		$this->assertIsArray( $created );
		return array_column( $created, 'key_id' );
	}

	public function test_add_key_gets_keysmiths_record_and_a_create_event(): void {
		list( $cookies, $nonce ) = self::open_create_form( 'admin' );
		$before                  = time();
		$saved                   = self::save_key( $cookies, $nonce, array( 'description' => 'Zapier <b>sync</b>', 'user' => (string) self::user_id( 'shopmanager' ), 'permissions' => 'read_write' ) );

		$this->assertTrue( $saved['json']['success'], $saved['body'] );
		$this->assertArrayNotHasKey( 'keysmith', $saved['json']['data'], "WooCommerce's answer is WooCommerce's" );
		global $wpdb;
		$key_id = (int) $wpdb->get_var( 'SELECT MAX(key_id) FROM ' . Schema::wc_table() );
		$meta   = self::meta( $key_id );
		$this->assertNotNull( $meta, 'recorded in the request that made it' );
		$this->assertSame( array( 'woocommerce', (string) self::user_id( 'admin' ), null ), array( $meta['source'], $meta['created_by'], $meta['app_name'] ) );
		$this->assertEqualsWithDelta( $before, strtotime( $meta['created_at'] . ' UTC' ), 5 );
		$events = self::events( $key_id );
		$this->assertCount( 1, $events );
		$this->assertSame(
			array( 'create', 'woocommerce', self::user_id( 'admin' ), self::user_id( 'shopmanager' ), substr( $saved['json']['data']['consumer_key'], -7 ) ),
			array( $events[0]['action'], $events[0]['source'], $events[0]['actor_id'], $events[0]['key_owner'], $events[0]['truncated_key'] )
		);
		$this->assertSame( array( 'permissions' => 'read_write', 'key_source' => 'woocommerce' ), $events[0]['details'] );
	}

	public function test_a_refused_add_key_records_nothing(): void {
		list( $cookies, $nonce ) = self::open_create_form( 'admin' );
		$refused                 = self::save_key( $cookies, $nonce, array( 'description' => '', 'user' => (string) self::user_id( 'admin' ), 'permissions' => 'read' ) );
		$this->assertSame( 'Description is missing.', $refused['json']['data']['message'] );
		$this->assertSame( array( 0, 0, 0 ), array( self::count_rows( 'woocommerce_api_keys' ), self::count_rows( 'keysmith_key_meta' ), self::count_rows( 'keysmith_audit' ) ) );
	}

	public function test_saving_an_edit_records_an_update_event(): void {
		$key_id                  = $this->keysmith_keys( self::user_id( 'admin' ), 1 )[0];
		list( $cookies, $nonce ) = self::open_create_form( 'admin' );
		$saved                   = self::save_key( $cookies, $nonce, array( 'key_id' => (string) $key_id, 'description' => 'Renamed', 'user' => (string) self::user_id( 'shopmanager' ), 'permissions' => 'write' ) );
		$this->assertSame( 'API Key updated successfully.', $saved['json']['data']['message'] );

		$events = self::events( $key_id );
		$this->assertSame( array( 'create', 'update' ), array_column( $events, 'action' ) );
		$this->assertSame( array( 'woocommerce', self::user_id( 'admin' ), self::user_id( 'shopmanager' ) ), array( $events[1]['source'], $events[1]['actor_id'], $events[1]['key_owner'] ) );
		$this->assertSame(
			array(
				'changes' => array(
					'user_id'     => array( self::user_id( 'admin' ), self::user_id( 'shopmanager' ) ),
					'permissions' => array( 'read', 'write' ),
				),
			),
			array( 'changes' => array_diff_key( $events[1]['details']['changes'], array( 'description' => 1 ) ) )
		);
		$this->assertSame( 'Renamed', $events[1]['details']['changes']['description'][1] );
	}

	public function test_the_revoke_link_records_a_revoke_and_leaves_no_record(): void {
		$cookies = self::login( 'admin' ); // Before anything caches the user's sessions in this process.
		$key_id  = $this->keysmith_keys( self::user_id( 'shopmanager' ), 1 )[0];
		$hash    = self::wc_key_row( $key_id )['consumer_key'];

		$forged = self::http( 'GET', self::KEYS_PAGE . '&revoke-key=' . $key_id . '&_wpnonce=forged1234', array( 'cookies' => $cookies ) );
		$this->assertSame( 403, $forged['status'] );
		$this->assertNotNull( self::wc_key_row( $key_id ) );
		$this->assertSame( array( 'create' ), array_column( self::events( $key_id ), 'action' ), 'a refused revoke records nothing' );

		$revoked = self::http( 'GET', self::KEYS_PAGE . '&revoke-key=' . $key_id . '&_wpnonce=' . self::nonce_for( $cookies, 'revoke' ), array( 'cookies' => $cookies ) );
		$this->assertSame( 302, $revoked['status'] );
		$this->assertNull( self::wc_key_row( $key_id ) );
		$this->assertNull( self::meta( $key_id ), 'no orphan record' );
		$events = self::events( $key_id );
		$this->assertSame( array( 'create', 'revoke' ), array_column( $events, 'action' ) );
		$this->assertSame( array( 'woocommerce', self::user_id( 'admin' ), self::user_id( 'shopmanager' ) ), array( $events[1]['source'], $events[1]['actor_id'], $events[1]['key_owner'] ) );
		$ended = \Keysmith\Store\EndedKeys::find( $hash );
		$this->assertSame( array( $key_id, self::user_id( 'shopmanager' ), 'revoke' ), array( $ended['key_id'] ?? null, $ended['user_id'] ?? null, $ended['ended_by'] ?? null ), 'remembered as ended, as a revoke through Keysmith is' );
	}

	public function test_bulk_revoke_records_each_key_once_even_keys_keysmith_never_saw(): void {
		$cookies = self::login( 'admin' ); // Before anything caches the user's sessions in this process.
		$keys    = $this->keysmith_keys( self::user_id( 'admin' ), 2 );
		$unseen  = $this->create_wc_key( self::user_id( 'customer' ) );
		$kept    = $this->keysmith_keys( self::user_id( 'admin' ), 1 )[0];
		$revoked = self::http(
			'POST',
			self::KEYS_PAGE,
			array(
				'cookies' => $cookies,
				'body'    => array(
					'action'   => 'revoke',
					'key'      => array( (string) $keys[0], (string) $keys[1], (string) $unseen['key_id'] ),
					'_wpnonce' => self::nonce_for( $cookies, 'woocommerce-settings' ),
				),
			)
		);
		$this->assertSame( 302, $revoked['status'], $revoked['body'] );
		$this->assertStringContainsString( 'revoked=3', $revoked['headers']['location'] ?? '' );

		foreach ( array_merge( $keys, array( $unseen['key_id'] ) ) as $key_id ) {
			$this->assertNull( self::meta( $key_id ) );
			$revokes = array_values( array_filter( self::events( $key_id ), static fn( array $e ): bool => 'revoke' === $e['action'] ) );
			$this->assertCount( 1, $revokes, "key $key_id" );
			$this->assertSame( 'woocommerce', $revokes[0]['source'] );
		}
		$this->assertSame( $unseen['truncated_key'], self::events( $unseen['key_id'] )[0]['truncated_key'] );
		$this->assertNotNull( self::meta( $kept ) );
		$this->assertSame( array( 'create' ), array_column( self::events( $kept ), 'action' ) );
	}

	public function test_add_key_gets_the_policys_default_expiry_capped_by_the_maximum(): void {
		( new KeyPolicy( 90 * DAY_IN_SECONDS, 30 * DAY_IN_SECONDS ) )->save();
		try {
			list( $cookies, $nonce ) = self::open_create_form( 'admin' );
			$saved                   = self::save_key( $cookies, $nonce, array( 'description' => 'Policy', 'user' => (string) self::user_id( 'admin' ), 'permissions' => 'read' ) );
		} finally {
			delete_option( KeyPolicy::OPTION );
		}
		$this->assertTrue( $saved['json']['success'] );
		$this->assertArrayNotHasKey( 'expires_at', $saved['json']['data'], "WooCommerce's screen shows nothing new" );
		global $wpdb;
		$key_id = (int) $wpdb->get_var( 'SELECT MAX(key_id) FROM ' . Schema::wc_table() );
		$expiry = self::meta( $key_id )['expires_at'];
		$this->assertEqualsWithDelta( time() + 30 * DAY_IN_SECONDS, strtotime( $expiry . ' UTC' ), 10 );
		$details = self::events( $key_id )[0]['details'];
		$this->assertSame( $expiry, $details['expires_at'] );
		$this->assertSame( array( 'default_expiry' => 90 * DAY_IN_SECONDS, 'max_lifetime' => 30 * DAY_IN_SECONDS ), $details['policy'] );
	}
}
