<?php
/**
 * While sealing is on, a key is stored sealed from the moment it exists, whoever makes it:
 * Keysmith's store, WP-CLI, the keysmith/v1 REST API, Keysmith's screen, a rotation,
 * WooCommerce's own Add key screen and its app authorization (wc-auth). Its secret is shown once, in plaintext, to whoever made it,
 * and works at once.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Sealing;

use Keysmith\Admin\Ajax;
use Keysmith\Admin\BulkActions;
use Keysmith\Admin\CreateKeys;
use Keysmith\Sealing\State;
use Keysmith\Store\Actor;
use Keysmith\Store\KeyFilter;
use Keysmith\Store\KeyService;
use Keysmith\Store\RotationResult;
use Keysmith\Tests\Integration\WooCommerce\AppAuthorization;
use Keysmith\Tests\Integration\WooCommerce\WooCommerceKeyScreen;

final class NewKeysTest extends SealingTestCase {

	use AppAuthorization;
	use WooCommerceKeyScreen;

	protected function setUp(): void {
		parent::setUp();
		State::save( true, null );
		self::forget_app_data();
	}

	protected function tearDown(): void {
		self::forget_app_data();
		parent::tearDown();
	}

	public function test_every_way_of_making_a_key_stores_it_sealed(): void {
		$owner = self::user_id( 'shopmanager' );
		$made  = array();

		$made['store'] = $this->make_keys( 2 );

		$cli = self::wp( array( '--user=admin', 'keysmith', 'create', '--owner=shopmanager', '--count=2', '--format=json' ), self::key_file( 'current' ) );
		$this->assertSame( 0, $cli['exit'], $cli['stderr'] );
		$made['cli'] = json_decode( $cli['stdout'], true );

		$rest = self::http(
			'POST',
			'/wp-json/keysmith/v1/keys',
			array(
				'site'    => 'tls',
				'headers' => array(
					'Authorization' => 'Basic ' . base64_encode( 'admin:' . $this->application_password( self::user_id( 'admin' ) ) ), // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- HTTP Basic.
					'Content-Type'  => 'application/json',
				),
				'body'    => wp_json_encode( array( 'owner' => array( $owner ), 'count' => 2, 'permissions' => 'read_write' ) ),
			)
		);
		$this->assertSame( 201, $rest['status'], $rest['body'] );
		$made['rest'] = $rest['json'];

		$admin  = self::login( 'admin' );
		$screen = self::http(
			'POST',
			'/wp-admin/admin-ajax.php',
			array(
				'cookies' => $admin,
				'body'    => array(
					'action'                 => Ajax::CREATE,
					BulkActions::NONCE_FIELD => self::nonce_for( $admin, CreateKeys::NONCE_ACTION ),
					'ks_count'               => '2',
					'ks_users'               => 'shopmanager',
					'ks_permissions'         => 'read_write',
					'ks_description'         => 'screen {n}',
				),
			)
		);
		$this->assertSame( 200, $screen['status'], $screen['body'] );
		$made['screen'] = $screen['json']['data']['keys'];

		$made['woocommerce'] = array( $this->add_key_on_woocommerces_screen() );

		$granted = self::approve( self::login( 'shopmanager' ), 'Sealed app', 'read_write' );
		$this->assertSame( 302, $granted['status'], $granted['body'] );
		$app = self::received_by_app();
		$this->assertMatchesRegularExpression( '/^ck_[0-9a-f]{40}$/', (string) ( $app['consumer_key'] ?? '' ), 'the app got its key' );
		$made['wc-auth'] = array( array_intersect_key( $app, array_flip( array( 'key_id', 'consumer_key', 'consumer_secret' ) ) ) );

		$rotated = ( new KeyService() )->rotate( KeyFilter::by_ids( array( $made['store'][0]['key_id'] ) ), new Actor( self::user_id( 'admin' ), 'cli' ), 3600 );
		$this->assertInstanceOf( RotationResult::class, $rotated );
		$made['rotation'] = $rotated->keys;

		$fingerprint = self::fingerprint_of( self::key_file( 'current' ) );
		$stored      = self::stored();
		foreach ( $made as $path => $keys ) {
			$this->assertNotEmpty( $keys, $path );
			foreach ( $keys as $key ) {
				$this->assertMatchesRegularExpression( '/^cs_[0-9a-f]{40}$/', $key['consumer_secret'], "$path: the secret is shown, once" );
				list( $column, $sealed, $with ) = $stored[ (int) $key['key_id'] ];
				$this->assertMatchesRegularExpression( '/^ks1[0-9a-f]{40}$/', $column, "$path: WooCommerce's column holds a marker" );
				$this->assertNotNull( $sealed, "$path: sealed" );
				$this->assertSame( $fingerprint, $with, $path );
				$key['user_id'] = $owner;
				$this->assert_keys_work( array( $key ), $path );
			}
		}
		$this->assertSame( 0, (int) $GLOBALS['wpdb']->get_var( $GLOBALS['wpdb']->prepare( "SELECT COUNT(*) FROM {$GLOBALS['wpdb']->prefix}woocommerce_api_keys WHERE consumer_secret LIKE %s", 'cs\_%' ) ) );
	}

	/** Sealing on without a key: no key is made at all, rather than one in plaintext. */
	public function test_no_key_is_made_when_it_cannot_be_sealed(): void {
		$before = self::snapshot();
		$run    = self::wp( array( '--user=admin', 'keysmith', 'create', '--owner=shopmanager', '--porcelain' ), null );
		$this->assertSame( 1, $run['exit'] );
		$this->assertStringStartsWith( 'Error: Sealing is on, and new keys are stored sealed, but this server has no usable sealing key; no key was made.', $run['stderr'] );
		$this->assertSame( '', $run['stdout'] );
		$this->assertSame( $before, self::snapshot() );
	}

	/**
	 * WooCommerce's own Add key: its form, its admin-ajax handler (the contract fixture's, written
	 * from WooCommerce's), its one-time answer with the secret.
	 *
	 * @return array<string, mixed>
	 */
	private function add_key_on_woocommerces_screen(): array {
		list( $cookies, $nonce ) = self::open_create_form( 'admin' );
		$saved                   = self::save_key(
			$cookies,
			$nonce,
			array(
				'description' => 'Made on WooCommerce\'s screen',
				'user'        => (string) self::user_id( 'shopmanager' ),
				'permissions' => 'read_write',
			)
		);
		$this->assertTrue( $saved['json']['success'] ?? false, $saved['body'] );
		global $wpdb;
		$key_id = (int) $wpdb->get_var( $wpdb->prepare( "SELECT key_id FROM {$wpdb->prefix}woocommerce_api_keys WHERE consumer_key = %s", wc_api_hash( $saved['json']['data']['consumer_key'] ) ) );
		return array( 'key_id' => $key_id ) + $saved['json']['data'];
	}
}
