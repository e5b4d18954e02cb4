<?php
/**
 * Turning sealing off, deactivating and uninstalling Keysmith put every secret back into
 * WooCommerce's column first, so WooCommerce alone authenticates every key again; when that
 * cannot be done, Keysmith stays active and says why, and nothing is lost.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Sealing;

use Keysmith\Sealing\Deactivation;
use Keysmith\Sealing\SealedStore;
use Keysmith\Sealing\SealingResult;
use Keysmith\Sealing\SealingService;
use Keysmith\Sealing\State;
use Keysmith\Store\Actor;
use Keysmith\Store\AuditLog;
use Keysmith\Store\ExpiryCron;
use Keysmith\Store\Schema;

final class DeactivationTest extends SealingTestCase {

	private const PLUGIN = 'keysmith/keysmith.php';

	protected function tearDown(): void {
		if ( ! self::active_in_database() ) {
			activate_plugin( self::PLUGIN );
		}
		ExpiryCron::register(); // What a request after the activation does (deactivation unscheduled it).
		delete_option( Deactivation::NOTICE_OPTION );
		parent::tearDown();
	}

	public function test_deactivating_unseals_every_secret_and_woocommerce_alone_authenticates_them(): void {
		$keys   = $this->make_keys( 3 );
		$keys[] = $this->create_wc_key( self::user_id( 'shopmanager' ) ) + array( 'user_id' => self::user_id( 'shopmanager' ) );
		$this->seal_all();

		deactivate_plugins( self::PLUGIN );

		$this->assertFalse( self::active_in_database(), 'deactivated' );
		$stored = self::stored();
		foreach ( $keys as $key ) {
			$this->assertSame( array( $key['consumer_secret'], null, null ), $stored[ (int) $key['key_id'] ], "key {$key['key_id']}: its own secret back in WooCommerce's column" );
		}
		$this->assertSame( array( 'enabled' => false, 'pending' => null ), State::get() );
		// The served site now runs WooCommerce without Keysmith: its own checks, on its own column.
		$this->assert_keys_work( $keys, 'WooCommerce alone' );
		$this->assertSame( array( 401, 'woocommerce_rest_authentication_error' ), self::basic( $keys[0]['consumer_key'], $keys[1]['consumer_secret'] ) );
		$events = AuditLog::query( array( 'action' => 'sealing_off' ) );
		$this->assertSame( array( 'secrets' => 4, 'key' => self::fingerprint_of( self::key_file( 'current' ) ) ), $events['items'][0]['details'] ?? null );
	}

	public function test_a_deactivation_that_cannot_unseal_leaves_keysmith_active_and_says_why(): void {
		global $wpdb;
		$keys = $this->make_keys( 2 );
		$this->seal_all();
		// Key 1's sealed value altered: no key opens it any more.
		$altered = substr_replace( (string) self::stored()[ (int) $keys[1]['key_id'] ][1], 'AAAA', 10, 4 );
		$wpdb->update( Schema::meta_table(), array( 'sealed_secret' => $altered ), array( 'key_id' => $keys[1]['key_id'] ) );

		deactivate_plugins( self::PLUGIN );

		$this->assertTrue( self::active_in_database(), 'Keysmith stays active' );
		$notice = (string) get_option( Deactivation::NOTICE_OPTION );
		$this->assertStringStartsWith( 'Keysmith was not deactivated: its sealed secrets must be unsealed first', $notice );
		$this->assertStringContainsString( '1 could not be opened with the configured keys (key IDs ' . $keys[1]['key_id'] . ')', $notice );
		$this->assertNotFalse( wp_next_scheduled( ExpiryCron::HOOK ), 'its hourly job still scheduled' );
		$stored = self::stored();
		$this->assertSame( array( $keys[0]['consumer_secret'], null, null ), $stored[ (int) $keys[0]['key_id'] ], 'the key that opened is unsealed' );
		$this->assertSame( $altered, $stored[ (int) $keys[1]['key_id'] ][1], 'the other is kept exactly as it was' );
		$this->assertSame( array( 'enabled' => false, 'pending' => State::UNSEAL ), State::get(), 'Keysmith keeps judging what is still sealed' );
		$this->assertSame( array( 200, (int) $keys[0]['user_id'] ), self::basic( $keys[0]['consumer_key'], $keys[0]['consumer_secret'] ) );
		$this->assertSame( array( 401, 'woocommerce_rest_authentication_error' ), self::basic( $keys[1]['consumer_key'], $keys[1]['consumer_secret'] ), 'an altered sealed value authenticates nothing' );

		// The notice is shown once, to those who may deactivate plugins.
		$page = self::http( 'GET', '/wp-admin/plugins.php', array( 'cookies' => self::login( 'admin' ) ) );
		$this->assertStringContainsString( 'Keysmith was not deactivated', $page['body'] );
		$again = self::http( 'GET', '/wp-admin/plugins.php', array( 'cookies' => self::login( 'admin' ) ) );
		$this->assertStringNotContainsString( 'Keysmith was not deactivated', $again['body'] );
	}

	/**
	 * Deactivating from the Plugins screen (a web request): with the key in PHP (the twin's
	 * constant) the secrets are unsealed there and then; with the key in the extension, only the
	 * command line may unseal, so Keysmith stays active and says to run `wp keysmith sealing off`.
	 */
	public function test_deactivating_from_the_plugins_screen(): void {
		$keys = $this->make_keys( 2 );
		$this->seal_all();
		$admin = self::login( 'admin' );
		$page  = self::http( 'GET', '/wp-admin/plugins.php', array( 'cookies' => $admin ) );
		$this->assertSame( 1, preg_match( '#href="(plugins\.php\?action=deactivate&amp;plugin=keysmith%2Fkeysmith\.php[^"]*)"#', $page['body'], $link ), 'the Deactivate link' );
		self::http( 'GET', '/wp-admin/' . html_entity_decode( $link[1] ), array( 'cookies' => $admin ) );
		if ( self::native() ) {
			$this->assertTrue( self::active_in_database(), 'the key is in the extension: the web request may not unseal' );
			$this->assertStringContainsString( 'only. Run `wp keysmith sealing off` on the server.', (string) self::option_in_database( Deactivation::NOTICE_OPTION ) );
			$this->assert_all_sealed( self::fingerprint_of( self::key_file( 'current' ) ), 'nothing changed' );
			$this->assert_keys_work( $keys, 'still sealed' );
		} else {
			$this->assertFalse( self::active_in_database(), 'the key is in PHP: unsealed and deactivated' );
			$this->assertSame( 0, SealedStore::counts()['sealed'] );
			$this->assert_keys_work( $keys, 'WooCommerce alone' );
		}
	}

	public function test_uninstall_unseals_and_keeps_what_it_cannot(): void {
		global $wpdb;
		$keys = $this->make_keys( 2 );
		$this->seal_all();
		// As if Keysmith had been deactivated without its hook (files replaced, a direct edit).
		try {
			self::run_uninstall();
			$this->assertSame( array(), $wpdb->get_col( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->esc_like( Schema::meta_table() ) ) ), 'every table dropped' );
			foreach ( $keys as $key ) {
				$this->assertSame( $key['consumer_secret'], self::wc_key_row( (int) $key['key_id'] )['consumer_secret'] );
			}
		} finally {
			Schema::install();
		}

		// Now with a value no key opens: the metadata table stays, with that sealed value in it.
		self::truncate_key_tables();
		$keys = $this->make_keys( 2 );
		$this->seal_all();
		$altered = 'ksv1:' . base64_encode( str_repeat( "\x01", 71 ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode
		$wpdb->update( Schema::meta_table(), array( 'sealed_secret' => $altered ), array( 'key_id' => $keys[0]['key_id'] ) );
		try {
			self::run_uninstall();
		} catch ( \Throwable $e ) {
			$this->assertStringContainsString( 'sealed secrets could not be unsealed, so its table', $e->getMessage(), 'the warning (PHPUnit turns E_USER_WARNING into this)' );
		} finally {
			$kept = $wpdb->get_col( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->esc_like( Schema::meta_table() ) ) );
			Schema::install();
			ExpiryCron::register();
		}
		$this->assertSame( array( Schema::meta_table() ), $kept, 'the metadata table is kept' );
		$this->assertSame( $altered, self::stored()[ (int) $keys[0]['key_id'] ][1] );
	}

	private function seal_all(): void {
		$result = ( new SealingService() )->turn_on( new Actor( 0, 'cli' ) );
		$this->assertInstanceOf( SealingResult::class, $result );
		$this->assertSame( 0, SealedStore::counts()['plaintext'] );
	}

	/** Whether WordPress's option says Keysmith is active (read past every cache). */
	private static function active_in_database(): bool {
		return in_array( self::PLUGIN, (array) self::option_in_database( 'active_plugins' ), true );
	}

	/** An option as the served site wrote it (this process's caches may not know). */
	private static function option_in_database( string $name ): mixed {
		global $wpdb;
		return maybe_unserialize( $wpdb->get_var( $wpdb->prepare( "SELECT option_value FROM {$wpdb->options} WHERE option_name = %s", $name ) ) );
	}

	/** Runs plugin/uninstall.php the way WordPress does (uninstall_plugin(): an include in a function). */
	private static function run_uninstall(): void {
		if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
			define( 'WP_UNINSTALL_PLUGIN', self::PLUGIN );
		}
		include dirname( __DIR__, 4 ) . '/plugin/uninstall.php';
	}
}
