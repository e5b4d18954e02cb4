<?php
/**
 * The key list's row actions follow WooCommerce's list (docs/woocommerce-compatibility.md §4.3): "Revoke" and
 * "Rotate" only on keys the user may change, so a shop manager is not offered actions on an
 * administrator's keys that the store would refuse.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Admin;

use Keysmith\Admin\KeyListTable;
use Keysmith\Admin\ListRequest;
use Keysmith\Store\KeyRecord;
use Keysmith\Store\KeyService;
use Keysmith\Tests\Integration\TestCase;

final class KeyListTableTest extends TestCase {

	/** set_current_screen() makes is_admin() true for the rest of the process: undo it. */
	protected function tearDown(): void {
		$GLOBALS['current_screen'] = null; // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited -- restoring the state before the test.
		parent::tearDown();
	}

	private static function row_actions( int $owner ): string {
		require_once ABSPATH . 'wp-admin/includes/admin.php';
		set_current_screen( 'woocommerce_page_wc-settings' );
		$record = new KeyRecord( 7, $owner, 'Sync', 'read', 'abc1234', null, null, 0, null, null, null );
		return ( new KeyListTable( new KeyService(), ListRequest::from_post( array() ) ) )->column_description( $record );
	}

	public function test_shop_manager_sees_revoke_and_rotate_only_on_keys_it_may_change(): void {
		$customer = $this->create_user( 'customer' );
		$this->act_as( 'shopmanager' );

		$foreign = self::row_actions( self::user_id( 'admin' ) );
		$this->assertStringNotContainsString( 'ks_confirm=revoke', $foreign );
		$this->assertStringNotContainsString( 'ks_confirm=rotate', $foreign );
		$this->assertStringContainsString( 'ks_key_id=7', $foreign, 'the audit link stays' );

		foreach ( array( $customer, self::user_id( 'shopmanager' ) ) as $owner ) {
			$own = self::row_actions( $owner );
			$this->assertStringContainsString( 'ks_confirm=revoke', $own );
			$this->assertStringContainsString( 'ks_confirm=rotate', $own );
		}
	}

	public function test_administrator_sees_them_on_every_key(): void {
		$this->act_as( 'admin' );
		$actions = self::row_actions( self::user_id( 'shopmanager' ) );
		$this->assertStringContainsString( 'ks_confirm=revoke', $actions );
		$this->assertStringContainsString( 'ks_confirm=rotate', $actions );
	}

	public function test_the_list_shows_and_filters_where_keys_were_made(): void {
		global $wpdb;
		require_once ABSPATH . 'wp-admin/includes/admin.php';
		set_current_screen( 'woocommerce_page_wc-settings' );
		$this->act_as( 'admin' );
		$woo = $this->create_wc_key( self::user_id( 'admin' ) )['key_id'];
		$app = $this->create_wc_key( self::user_id( 'admin' ) )['key_id'];
		$wpdb->insert( $wpdb->prefix . 'keysmith_key_meta', array( 'key_id' => $woo, 'source' => 'woocommerce' ) );
		$wpdb->insert( $wpdb->prefix . 'keysmith_key_meta', array( 'key_id' => $app, 'source' => 'wc-auth', 'app_name' => 'Zap <script>' ) );

		$table = new KeyListTable( new KeyService(), ListRequest::from_post( array( 'ks_source' => 'woocommerce' ) ) );
		$table->prepare_items();
		$this->assertSame( array( $woo ), array_map( static fn( KeyRecord $key ): int => $key->key_id, $table->items ) );
		$this->assertArrayHasKey( 'source', $table->get_columns() );
		$this->assertSame( 'WooCommerce', $table->column_source( $table->items[0] ) );

		$all = new KeyListTable( new KeyService(), ListRequest::from_post( array() ) );
		$all->prepare_items();
		$this->assertSame( 'App authorization<br /><span class="keysmith-app-name">Zap &lt;script&gt;</span>', $all->column_source( $all->items[0] ) );
	}
}
