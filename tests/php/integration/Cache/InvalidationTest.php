<?php
/**
 * A key revoked, edited or expired through any path stops working on the very next request, on
 * both php-fpm servers, over real HTTPS: Keysmith's store, its REST API (on the other server), `wp
 * keysmith` (its own process), the expiry job (run by wp-cron.php over HTTP), the owner's deletion,
 * WooCommerce's own key screen (AJAX edit, revoke link, bulk revoke) and a revoke made while
 * Keysmith was switched off.
 *
 * In the object-cache pass every test first has the key answered from the shared cache (warm()),
 * and the first test proves that a change the cache is not told of would indeed go unnoticed: so
 * each other test passes only because its path reaches the cache.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Cache;

require_once __DIR__ . '/CacheTestCase.php';

use Keysmith\Store\Actor;
use Keysmith\Store\ExpiryCron;
use Keysmith\Store\KeyCache;
use Keysmith\Store\KeyFilter;
use Keysmith\Store\Schema;

final class InvalidationTest extends CacheTestCase {

	private const REVOKED_GET  = 'Sorry, you cannot list resources.';
	private const NO_WRITE     = 'The API key provided does not have write permissions.';
	private const EXPIRED      = 'The API key has expired.';

	/** When the expiry job was due before a test moved it (deactivation, or the cron test). */
	private int|false $expiry_job_due = false;

	protected function setUp(): void {
		parent::setUp();
		$this->expiry_job_due = wp_next_scheduled( ExpiryCron::HOOK );
	}

	protected function tearDown(): void {
		if ( ! is_plugin_active( 'keysmith/keysmith.php' ) ) {
			activate_plugin( 'keysmith/keysmith.php' ); // A failed reactivation test must not leave the site without Keysmith.
		}
		// Put the hourly job back where it was: rescheduled "now", it would run (and delete expired
		// keys) in the middle of whatever suite comes next.
		if ( false !== $this->expiry_job_due && wp_next_scheduled( ExpiryCron::HOOK ) !== $this->expiry_job_due ) {
			wp_clear_scheduled_hook( ExpiryCron::HOOK );
			wp_schedule_event( max( $this->expiry_job_due, time() + 60 ), 'hourly', ExpiryCron::HOOK );
		}
		parent::tearDown();
	}

	// --- the control ---------------------------------------------------------------------------

	/**
	 * The cache really answers Basic requests (so every test below would fail if its path did not
	 * reach the cache), without ever holding the secret.
	 */
	public function test_a_change_the_cache_is_not_told_of_goes_unnoticed_until_it_is(): void {
		global $wpdb;
		$key = $this->keysmith_key( $this->create_user( 'customer' ) );
		$this->warm( $key );
		if ( self::cache_on() ) {
			$raw = self::raw_key_cache();
			$this->assertNotEmpty( $raw );
			$this->assertStringNotContainsString( $key['cs'], implode( "\n", $raw ), 'the secret never enters the cache' );
			$this->assertStringNotContainsString( $key['ck'], implode( "\n", $raw ), 'nor the plaintext consumer key' );
		}

		$wpdb->delete( Schema::wc_table(), array( 'key_id' => $key['id'] ) ); // Behind every invalidation path.
		foreach ( self::SERVERS as $server ) {
			$answer = self::basic( $key, $server );
			if ( self::cache_on() ) {
				$this->assertSame( 200, $answer['status'], "$server answers from the cache: the other tests' keys would too, unless invalidated" );
			} else {
				$this->assertSame( 401, $answer['status'], "$server reads the database: no cache" );
			}
		}

		KeyCache::forget_key_ids( array( $key['id'] ) );
		$this->assert_refused_everywhere( $key, self::REVOKED_GET, 'GET', 'told' );
	}

	// --- Keysmith's store, in this process -----------------------------------------------------

	public function test_revoked_through_the_store(): void {
		$key = $this->keysmith_key( $this->create_user( 'customer' ) );
		$this->warm( $key );

		$this->assertSame( 1, $this->service->revoke( KeyFilter::by_ids( array( $key['id'] ) ), new Actor( 0, 'cli' ) )->changed );

		$this->assert_refused_everywhere( $key, self::REVOKED_GET, 'GET', 'revoked' );
	}

	public function test_write_permission_taken_away_through_the_store(): void {
		$key = $this->keysmith_key( $this->create_user( 'shop_manager' ) );
		$this->warm( $key, 'POST' );

		$this->service->update( KeyFilter::by_ids( array( $key['id'] ) ), array( 'permissions' => 'read' ), new Actor( 0, 'cli' ) );

		$this->assert_refused_everywhere( $key, self::NO_WRITE, 'POST', 'made read-only' );
		$this->assertSame( 200, self::basic( $key, 'tls2' )['status'], 'reading still works' );
	}

	public function test_owner_changed_through_the_store(): void {
		$key   = $this->keysmith_key( $this->create_user( 'customer' ) );
		$other = $this->create_user( 'customer' );
		$this->warm( $key );

		$this->service->update( KeyFilter::by_ids( array( $key['id'] ) ), array( 'user_id' => $other ), new Actor( 0, 'cli' ) );

		foreach ( self::SERVERS as $server ) {
			$this->assertSame( $other, self::basic( $key, $server )['user'], "the next request on $server acts as the new owner" );
		}
	}

	public function test_expiry_set_through_the_store(): void {
		$key = $this->keysmith_key( $this->create_user( 'customer' ) );
		$this->warm( $key );

		$ends = time() + 2;
		$this->service->update( KeyFilter::by_ids( array( $key['id'] ) ), array( 'expires_at' => gmdate( 'Y-m-d H:i:s', $ends ) ), new Actor( 0, 'cli' ) );
		time_sleep_until( $ends + 1.2 );

		$this->assert_refused_everywhere( $key, self::EXPIRED, 'GET', 'expired' );
	}

	public function test_rotated_out_without_a_grace_period(): void {
		$key = $this->keysmith_key( $this->create_user( 'customer' ) );
		$this->warm( $key );

		$rotated = $this->service->rotate( KeyFilter::by_ids( array( $key['id'] ) ), new Actor( 0, 'cli' ), 0 );

		$this->assertCount( 1, $rotated->keys );
		$this->assert_refused_everywhere( $key, self::REVOKED_GET, 'GET', 'rotated out' );
		$successor = array(
			'ck'   => $rotated->keys[0]['consumer_key'],
			'cs'   => $rotated->keys[0]['consumer_secret'],
			'user' => $key['user'],
		);
		$this->assertSame( 200, self::basic( $successor, 'tls' )['status'] );
	}

	public function test_owner_deleted(): void {
		$owner = $this->create_user( 'customer' );
		$key   = $this->keysmith_key( $owner );
		$this->warm( $key );

		wp_delete_user( $owner );

		$this->assert_refused_everywhere( $key, self::REVOKED_GET, 'GET', 'owner deleted' );
	}

	// --- Keysmith's REST API and `wp keysmith`, in other processes -----------------------------

	public function test_revoked_through_keysmiths_rest_api_on_the_other_server(): void {
		$key      = $this->keysmith_key( $this->create_user( 'customer' ) );
		$password = $this->application_password( self::user_id( 'admin' ) );
		$this->warm( $key );

		$revoked = self::http( 'DELETE', '/wp-json/keysmith/v1/keys/' . $key['id'], array( 'site' => 'tls2', 'headers' => array( 'Authorization' => 'Basic ' . base64_encode( "admin:$password" ) ) ) );

		$this->assertSame( 200, $revoked['status'], $revoked['body'] );
		$this->assert_refused_everywhere( $key, self::REVOKED_GET, 'GET', 'revoked over REST' );
	}

	public function test_write_permission_taken_away_through_keysmiths_rest_api(): void {
		$key      = $this->keysmith_key( $this->create_user( 'shop_manager' ) );
		$password = $this->application_password( self::user_id( 'admin' ) );
		$this->warm( $key, 'POST' );

		$changed = self::http(
			'PATCH',
			'/wp-json/keysmith/v1/keys/' . $key['id'],
			array(
				'site'    => 'tls',
				'headers' => array(
					'Authorization' => 'Basic ' . base64_encode( "admin:$password" ),
					'Content-Type'  => 'application/json',
				),
				'body'    => wp_json_encode( array( 'permissions' => 'read' ) ),
			)
		);

		$this->assertSame( 200, $changed['status'], $changed['body'] );
		$this->assert_refused_everywhere( $key, self::NO_WRITE, 'POST', 'made read-only over REST' );
	}

	public function test_revoked_through_wp_keysmith(): void {
		$key = $this->keysmith_key( $this->create_user( 'customer' ) );
		$this->warm( $key );

		$run = self::wp_cli( 'keysmith', 'revoke', (string) $key['id'], '--yes' );

		$this->assertSame( 0, $run['exit'], $run['stdout'] . $run['stderr'] );
		$this->assert_refused_everywhere( $key, self::REVOKED_GET, 'GET', 'revoked by wp keysmith' );
	}

	public function test_write_permission_taken_away_through_wp_keysmith(): void {
		$key = $this->keysmith_key( $this->create_user( 'shop_manager' ) );
		$this->warm( $key, 'POST' );

		$run = self::wp_cli( 'keysmith', 'update', (string) $key['id'], '--permissions=read' );

		$this->assertSame( 0, $run['exit'], $run['stdout'] . $run['stderr'] );
		$this->assert_refused_everywhere( $key, self::NO_WRITE, 'POST', 'made read-only by wp keysmith' );
	}

	/** The key expires on its own; the hourly job, run by wp-cron.php over HTTP, then removes it. */
	public function test_expired_key_refused_at_once_and_removed_by_the_cron_job(): void {
		$ends = time() + 3;
		$key  = $this->keysmith_key( $this->create_user( 'customer' ), 'read_write', gmdate( 'Y-m-d H:i:s', $ends ) );
		$this->warm( $key );
		time_sleep_until( $ends + 1.2 );

		$this->assert_refused_everywhere( $key, self::EXPIRED, 'GET', 'expired, job not run yet' );

		// Make the job due, then let the served site run WP-Cron as a visitor's request would.
		wp_clear_scheduled_hook( ExpiryCron::HOOK );
		wp_schedule_event( time() - 1, 'hourly', ExpiryCron::HOOK );
		delete_transient( 'doing_cron' );
		$cron = self::http( 'GET', '/wp-cron.php', array( 'site' => 'tls2' ) );
		$this->assertSame( 200, $cron['status'] );
		for ( $i = 0; $i < 100 && null !== self::wc_key_row( $key['id'] ); $i++ ) {
			usleep( 100000 ); // wp-cron.php answers first (fastcgi_finish_request) and works after.
		}

		$this->assertNull( self::wc_key_row( $key['id'] ), 'the job revoked the expired key' );
		// The row is gone: a client now gets WooCommerce's answer for an unknown key.
		$this->assert_refused_everywhere( $key, self::REVOKED_GET, 'GET', 'expired and removed' );
	}

	// --- WooCommerce's own key screen, over HTTP (Keysmith is not asked) -----------------------

	public function test_edited_in_woocommerces_key_screen(): void {
		$key   = $this->woocommerce_key( $this->create_user( 'shop_manager' ) );
		$other = $this->create_user( 'shop_manager' );
		$this->warm( $key, 'POST' );

		$saved = $this->woocommerce_edit( $key['id'], $other, 'read' );

		$this->assertTrue( $saved['json']['success'] ?? false, $saved['body'] );
		$this->assert_refused_everywhere( $key, self::NO_WRITE, 'POST', 'made read-only in WooCommerce' );
		foreach ( self::SERVERS as $server ) {
			$this->assertSame( $other, self::basic( $key, $server )['user'], "$server: the new owner" );
		}
	}

	public function test_revoked_by_woocommerces_revoke_link(): void {
		$key = $this->woocommerce_key( $this->create_user( 'customer' ) );
		$this->warm( $key );

		$cookies = self::login( 'admin' );
		$revoked = self::http( 'GET', self::KEYS_SCREEN . '&revoke-key=' . $key['id'] . '&_wpnonce=' . self::nonce_for( $cookies, 'revoke' ), array( 'cookies' => $cookies ) );

		$this->assertSame( 302, $revoked['status'], $revoked['body'] );
		$this->assertNull( self::wc_key_row( $key['id'] ) );
		$this->assert_refused_everywhere( $key, self::REVOKED_GET, 'GET', 'revoked by WooCommerce\'s link' );
	}

	public function test_revoked_by_woocommerces_bulk_action(): void {
		$keys = array( $this->woocommerce_key( $this->create_user( 'customer' ) ), $this->woocommerce_key( $this->create_user( 'customer' ) ) );
		foreach ( $keys as $key ) {
			$this->warm( $key );
		}

		$cookies = self::login( 'admin' );
		$revoked = self::http(
			'POST',
			self::KEYS_SCREEN,
			array(
				'cookies' => $cookies,
				'body'    => array(
					'action'   => 'revoke',
					'key'      => array_column( $keys, 'id' ),
					'_wpnonce' => self::nonce_for( $cookies, 'woocommerce-settings' ),
				),
			)
		);

		$this->assertSame( 302, $revoked['status'], $revoked['body'] );
		$this->assertStringContainsString( 'revoked=2', $revoked['headers']['location'] ?? '' );
		foreach ( $keys as $key ) {
			$this->assert_refused_everywhere( $key, self::REVOKED_GET, 'GET', 'bulk-revoked by WooCommerce' );
		}
	}

	/**
	 * Revoked in WooCommerce's screen while Keysmith was deactivated (nothing of Keysmith runs then,
	 * so nothing forgets the row), and Keysmith activated again within the cache's lifetime.
	 */
	public function test_revoked_while_keysmith_was_inactive(): void {
		$key = $this->woocommerce_key( $this->create_user( 'customer' ) );
		$this->warm( $key );

		deactivate_plugins( 'keysmith/keysmith.php' );
		$cookies = self::login( 'admin' );
		$revoked = self::http( 'GET', self::KEYS_SCREEN . '&revoke-key=' . $key['id'] . '&_wpnonce=' . self::nonce_for( $cookies, 'revoke' ), array( 'cookies' => $cookies ) );
		$this->assertSame( 302, $revoked['status'], $revoked['body'] );
		$this->assertNull( activate_plugin( 'keysmith/keysmith.php' ) );

		$this->assert_refused_everywhere( $key, self::REVOKED_GET, 'GET', 'revoked while Keysmith was inactive' );
	}
}
