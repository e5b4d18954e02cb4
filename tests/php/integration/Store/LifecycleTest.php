<?php
/**
 * Rotation, expiry (cron), pair verification, user deletion, schema and uninstall.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Store;

require_once __DIR__ . '/StoreTestCase.php';

use Keysmith\Store\ExpiryCron;
use Keysmith\Store\RotationResult;
use Keysmith\Store\Schema;
use WP_Error;

final class LifecycleTest extends StoreTestCase {

	public function test_rotate_links_new_keys_and_gives_old_ones_a_grace_period(): void {
		$actor   = $this->admin_actor();
		$created = $this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 3, 'permissions' => 'write', 'description' => 'POS {n}', 'expires_at' => '+1 hour' ), $actor );
		$old_ids = array_column( array_slice( $created, 0, 2 ), 'key_id' );

		$before  = time();
		$rotation = $this->service->rotate( $this->filter( array( 'ids' => $old_ids ) ), $actor, 600 );
		$this->assertInstanceOf( RotationResult::class, $rotation, $rotation instanceof WP_Error ? $rotation->get_error_message() : '' );
		$rotated = $rotation->keys;
		$this->assertCount( 2, $rotated );
		foreach ( $rotated as $i => $new ) {
			$old = $created[ $i ];
			$this->assertSame( $old['key_id'], $new['rotated_from'] );
			$this->assertNotSame( $old['consumer_key'], $new['consumer_key'] );
			$this->assertSame( array( 'write', 'POS ' . ( $i + 1 ), $actor->user_id ), array( $new['permissions'], $new['description'], $new['user_id'] ) );
			$this->assertSame( wc_api_hash( $new['consumer_key'] ), $this->wc_row( $new['key_id'] )['consumer_key'] );
			$this->assertSame( $old['key_id'], self::meta_row( $new['key_id'] )['rotated_from'] );
			$this->assertSame( 'keysmith', self::meta_row( $new['key_id'] )['source'] );
			$this->assertSame( $old['expires_at'], self::meta_row( $new['key_id'] )['expires_at'], 'the new key inherits the expiry' );
			$this->assertTrue( $this->service->verify_pair( $old['consumer_key'], $old['consumer_secret'] ), 'the old key works during the grace period' );
			$this->assertEqualsWithDelta( $before + 600, strtotime( self::meta_row( $old['key_id'] )['expires_at'] . ' UTC' ), 5 );
			$this->assertSame( array( 'create', 'rotate' ), array_column( $this->audit_for( $old['key_id'] ), 'action' ) );
			$this->assertSame( $new['key_id'], $this->audit_for( $old['key_id'] )[1]['details']['new_key_id'] );
		}
		$this->assertSame( 5, $this->counts()['wc'] );
	}

	public function test_rotation_never_extends_a_keys_life_and_zero_grace_revokes(): void {
		$actor   = $this->admin_actor();
		$created = $this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 2, 'expires_at' => '+5 minutes' ), $actor );
		$this->service->rotate( $this->filter( array( 'ids' => array( $created[0]['key_id'] ) ) ), $actor, 86400 );
		$this->assertSame( $created[0]['expires_at'], self::meta_row( $created[0]['key_id'] )['expires_at'] );

		$new = $this->service->rotate( $this->filter( array( 'ids' => array( $created[1]['key_id'] ) ) ), $actor, 0 )->keys;
		$this->assertNull( $this->wc_row( $created[1]['key_id'] ) );
		$this->assertNotNull( $this->wc_row( $new[0]['key_id'] ) );
		$this->assertSame( 'keysmith_invalid_grace', $this->service->rotate( $this->filter( array( 'ids' => array( $new[0]['key_id'] ) ) ), $actor, -1 )->get_error_code() );
	}

	public function test_rotating_twice_or_rotating_an_expired_key_is_skipped(): void {
		global $wpdb;
		$actor   = $this->admin_actor();
		$created = $this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 3, 'expires_at' => '+1 day' ), $actor );
		$ids     = array_column( $created, 'key_id' );
		$wpdb->update( Schema::meta_table(), array( 'expires_at' => gmdate( 'Y-m-d H:i:s', time() - 5 ) ), array( 'key_id' => $ids[2] ) );

		$first = $this->service->rotate( $this->filter( array( 'ids' => array( $ids[0] ) ) ), $actor, 300 )->keys;
		$this->assertCount( 1, $first );
		$again = $this->service->rotate( $this->filter( array( 'ids' => $ids ) ), $actor, 300 )->keys;
		$this->assertSame( array( $ids[1] ), array_column( $again, 'rotated_from' ), 'only the key neither rotated nor expired' );
		$this->assertSame( 1, (int) $wpdb->get_var( $wpdb->prepare( 'SELECT COUNT(*) FROM ' . Schema::meta_table() . ' WHERE rotated_from = %d', $ids[0] ) ) );
		$this->assertSame( $created[0]['expires_at'], $first[0]['expires_at'], 'the successor keeps the original expiry, not the grace period' );
	}

	public function test_verify_pair(): void {
		global $wpdb;
		$actor   = $this->admin_actor();
		$created = $this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 2 ), $actor );
		$this->assertTrue( $this->service->verify_pair( $created[0]['consumer_key'], $created[0]['consumer_secret'] ) );
		$this->assertSame( 'keysmith_wrong_secret', $this->service->verify_pair( $created[0]['consumer_key'], $created[1]['consumer_secret'] )->get_error_code() );
		$this->assertSame( 'keysmith_unknown_key', $this->service->verify_pair( 'ck_' . str_repeat( 'a', 40 ), $created[0]['consumer_secret'] )->get_error_code() );
		$wpdb->update( Schema::meta_table(), array( 'expires_at' => gmdate( 'Y-m-d H:i:s', time() - 1 ) ), array( 'key_id' => $created[1]['key_id'] ) );
		$this->assertSame( 'keysmith_key_expired', $this->service->verify_pair( $created[1]['consumer_key'], $created[1]['consumer_secret'] )->get_error_code() );
	}

	public function test_the_cron_job_revokes_expired_keys_only(): void {
		global $wpdb;
		$actor   = $this->admin_actor();
		$created = $this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 4, 'expires_at' => '+1 day' ), $actor );
		$wpdb->query( $wpdb->prepare( 'UPDATE ' . Schema::meta_table() . ' SET expires_at = %s WHERE key_id IN (%d, %d)', gmdate( 'Y-m-d H:i:s', time() - 10 ), $created[0]['key_id'], $created[1]['key_id'] ) );
		// Metadata of a key WooCommerce revoked itself (no hook fires) is tidied up by the same job.
		$wpdb->delete( Schema::wc_table(), array( 'key_id' => $created[3]['key_id'] ) );

		$this->assertNotFalse( wp_next_scheduled( ExpiryCron::HOOK ), 'the hourly job is scheduled' );
		do_action( ExpiryCron::HOOK );

		$this->assertNull( $this->wc_row( $created[0]['key_id'] ) );
		$this->assertNull( $this->wc_row( $created[1]['key_id'] ) );
		$this->assertNotNull( $this->wc_row( $created[2]['key_id'] ) );
		$this->assertNull( self::meta_row( $created[3]['key_id'] ) );
		$expire = $this->audit_for( $created[0]['key_id'] )[1];
		$this->assertSame( array( 'expire', 'cron', 0 ), array( $expire['action'], $expire['source'], $expire['actor_id'] ) );
		$this->assertSame( 0, $this->service->revoke_expired() );
	}

	public function test_deleting_a_user_removes_their_keys_and_metadata(): void {
		require_once ABSPATH . 'wp-admin/includes/user.php';
		$actor = $this->admin_actor();
		$gone  = $this->make_user( 'customer' );
		$stays = $this->make_user( 'customer' );
		$keys  = $this->create( array( 'user_ids' => array( $gone ), 'count' => 3 ), $actor );
		$this->create( array( 'user_ids' => array( $stays ), 'count' => 2 ), $actor );

		wp_delete_user( $gone, $actor->user_id ); // Reassigning content does not move keys (docs/woocommerce-compatibility.md §7).

		foreach ( $keys as $key ) {
			$this->assertNull( $this->wc_row( $key['key_id'] ) );
			$this->assertNull( self::meta_row( $key['key_id'] ) );
			$this->assertSame( 'user_deleted', $this->audit_for( $key['key_id'] )[1]['action'] );
		}
		$this->assertSame( 2, $this->counts()['wc'] );
		$this->assertSame( 2, $this->counts()['meta'] );
	}

	public function test_schema_version_and_upgrade(): void {
		global $wpdb;
		$this->assertSame( Schema::VERSION, get_option( Schema::VERSION_OPTION ) );
		update_option( Schema::VERSION_OPTION, '0' );
		$wpdb->query( 'ALTER TABLE ' . Schema::meta_table() . ' DROP INDEX rotated_from' );
		Schema::maybe_upgrade();
		$this->assertSame( Schema::VERSION, get_option( Schema::VERSION_OPTION ) );
		$this->assertNotEmpty( $wpdb->get_results( 'SHOW INDEX FROM ' . Schema::meta_table() . " WHERE Key_name = 'rotated_from'" ) );
		$wc_columns = $wpdb->get_col( 'SHOW COLUMNS FROM ' . Schema::wc_table() );
		$this->assertSame( array( 'key_id', 'user_id', 'description', 'permissions', 'consumer_key', 'consumer_secret', 'nonces', 'truncated_key', 'last_access' ), $wc_columns, "WooCommerce's table is never altered" );
	}

	public function test_uninstall_removes_keysmiths_data_and_never_a_woocommerce_key(): void {
		global $wpdb;
		$actor   = $this->admin_actor();
		$created = $this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 3, 'expires_at' => '+1 day' ), $actor );
		update_option( Schema::SETTINGS_OPTION, array( 'auth_enabled' => true ) );
		( new \Keysmith\Store\KeyPolicy( DAY_IN_SECONDS, null ) )->save();
		$this->assertNotFalse( wp_next_scheduled( ExpiryCron::HOOK ) );
		$wc_before = $wpdb->get_results( 'SELECT * FROM ' . Schema::wc_table() . ' ORDER BY key_id', ARRAY_A );

		try {
			$this->run_uninstall();
			$this->assertSame( array(), $wpdb->get_col( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->esc_like( $wpdb->prefix . 'keysmith_' ) . '%' ) ) );
			$this->assertFalse( get_option( Schema::VERSION_OPTION ) );
			$this->assertFalse( get_option( Schema::SETTINGS_OPTION ) );
			$this->assertFalse( get_option( \Keysmith\Store\KeyPolicy::OPTION ), 'the key-lifetime policy goes too' );
			$this->assertFalse( wp_next_scheduled( ExpiryCron::HOOK ) );
			$this->assertSame( $wc_before, $wpdb->get_results( 'SELECT * FROM ' . Schema::wc_table() . ' ORDER BY key_id', ARRAY_A ) );
			$this->assertCount( 3, $wc_before );
			// The keys still authenticate the WooCommerce way: hash lookup + plaintext secret.
			$row = $wpdb->get_row( $wpdb->prepare( 'SELECT consumer_secret FROM ' . Schema::wc_table() . ' WHERE consumer_key = %s', wc_api_hash( $created[0]['consumer_key'] ) ) );
			$this->assertSame( $created[0]['consumer_secret'], $row->consumer_secret );
		} finally {
			Schema::install();
			ExpiryCron::register();
		}
	}

	/** Runs plugin/uninstall.php the way WordPress does (uninstall_plugin()). */
	private function run_uninstall(): void {
		if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
			define( 'WP_UNINSTALL_PLUGIN', 'keysmith/keysmith.php' );
		}
		include dirname( __DIR__, 4 ) . '/plugin/uninstall.php';
	}
}
