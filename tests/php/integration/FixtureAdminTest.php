<?php
/**
 * The contract fixture's REST API keys screen and AJAX save behave as docs/woocommerce-compatibility.md §2.5.1 and
 * §4 say WooCommerce's do, over real HTTP with real logins: the page Keysmith plugs into, and the
 * WooCommerce way of creating keys that Keysmith's keys must be indistinguishable from.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration;

use Keysmith\Tests\Integration\WooCommerce\WooCommerceKeyScreen;

final class FixtureAdminTest extends TestCase {

	use WooCommerceKeyScreen;

	public function test_keys_section_renders_woocommerce_markup_on_its_screen(): void {
		$page = self::http( 'GET', self::KEYS_PAGE, array( 'cookies' => self::login( 'admin' ) ) );
		$this->assertSame( 200, $page['status'] );
		$this->assertMatchesRegularExpression( '/<body class="[^"]*\bwoocommerce_page_wc-settings\b/', $page['body'] );
		$this->assertMatchesRegularExpression( '#<h2 class="wc-table-list-header">REST API <a href="[^"]*create-key=1" class="page-title-action">Add key</a></h2>#', $page['body'] );
		$this->assertStringContainsString( 'woocommerce-BlankState', $page['body'], 'no keys yet' );
		$this->assertStringContainsString( 'name="_wpnonce"', $page['body'] );
		$this->assertStringContainsString( 'section=keys" class="current">REST API keys</a>', $page['body'] );

		$this->create_wc_key( self::user_id( 'admin' ), 'read', 'Listed key' );
		$list = self::http( 'GET', self::KEYS_PAGE, array( 'cookies' => self::login( 'admin' ) ) );
		$this->assertStringContainsString( '>Listed key</a>', $list['body'] );
		$this->assertStringContainsString( '<option value="revoke">Revoke</option>', $list['body'] );
	}

	public function test_ajax_create_stores_the_woocommerce_row_and_shows_the_secret_once(): void {
		list( $cookies, $nonce ) = self::open_create_form( 'admin' );
		$response                = self::save_key( $cookies, $nonce, array( 'description' => ' My <b>app</b> ', 'user' => (string) self::user_id( 'shopmanager' ), 'permissions' => 'read_write' ) );

		$this->assertSame( 200, $response['status'] );
		$this->assertTrue( $response['json']['success'] );
		$data = $response['json']['data'];
		$this->assertSame( array( 'user_id', 'description', 'permissions', 'consumer_key', 'consumer_secret', 'truncated_key', 'message', 'revoke_url' ), array_keys( $data ) );
		$this->assertMatchesRegularExpression( '/^ck_[0-9a-f]{40}$/', $data['consumer_key'] );
		$this->assertMatchesRegularExpression( '/^cs_[0-9a-f]{40}$/', $data['consumer_secret'] );
		$this->assertSame( 'My app', $data['description'] );
		$this->assertStringStartsWith( 'API Key generated successfully.', $data['message'] );

		global $wpdb;
		$row = $wpdb->get_row( "SELECT * FROM {$wpdb->prefix}woocommerce_api_keys", ARRAY_A );
		$this->assertSame( (string) self::user_id( 'shopmanager' ), $row['user_id'] );
		$this->assertSame( wc_api_hash( $data['consumer_key'] ), $row['consumer_key'] );
		$this->assertSame( $data['consumer_secret'], $row['consumer_secret'] );
		$this->assertSame( substr( $data['consumer_key'], -7 ), $row['truncated_key'] );
		$this->assertSame( 'read_write', $row['permissions'] );
		$this->assertNull( $row['nonces'] );
		$this->assertNull( $row['last_access'] );
		$this->assertStringContainsString( 'revoke-key=' . $row['key_id'], $data['revoke_url'] );

		$update = self::save_key( $cookies, $nonce, array( 'key_id' => $row['key_id'], 'description' => 'Renamed', 'user' => (string) self::user_id( 'admin' ), 'permissions' => 'nonsense' ) );
		$this->assertSame(
			array( 'user_id' => self::user_id( 'admin' ), 'description' => 'Renamed', 'permissions' => 'read', 'consumer_key' => '', 'consumer_secret' => '', 'message' => 'API Key updated successfully.' ),
			$update['json']['data']
		);
		$this->assertSame( $data['consumer_secret'], self::wc_key_row( (int) $row['key_id'] )['consumer_secret'], 'an update never regenerates the secret' );
	}

	public function test_ajax_validation_nonce_and_capability(): void {
		list( $cookies, $nonce ) = self::open_create_form( 'admin' );
		$valid                   = array( 'description' => 'd', 'user' => (string) self::user_id( 'admin' ), 'permissions' => 'read' );
		foreach ( array(
			'Description is missing.' => array( 'description' => '' ),
			'User is missing.'        => array( 'user' => '0' ),
			'Permissions is missing.' => array( 'permissions' => '' ),
		) as $message => $change ) {
			$response = self::save_key( $cookies, $nonce, $change + $valid );
			$this->assertSame( array( 'success' => false, 'data' => array( 'message' => $message ) ), $response['json'] );
		}

		$forged = self::save_key( $cookies, 'not-a-nonce', $valid );
		$this->assertSame( array( 403, '-1' ), array( $forged['status'], $forged['body'] ) );

		// A valid nonce of a user without manage_woocommerce: the capability check answers.
		$customer = self::login( 'customer' );
		$refused  = self::save_key( $customer, self::nonce_for( $customer, 'update-api-key' ), $valid );
		$this->assertSame( array( 200, '-1' ), array( $refused['status'], $refused['body'] ) );
		$this->assertSame( 0, self::count_rows( 'woocommerce_api_keys' ), 'nothing was written by any refused request' );
	}

	public function test_shop_manager_may_assign_keys_to_customers_and_self_only(): void {
		$customer_role_user      = $this->create_user( 'customer' );
		list( $cookies, $nonce ) = self::open_create_form( 'shopmanager' );
		$denied                  = 'You do not have permission to assign API Keys to the selected user.';

		foreach ( array( self::user_id( 'admin' ) => $denied, self::user_id( 'customer' ) => $denied, $customer_role_user => null, self::user_id( 'shopmanager' ) => null ) as $owner => $error ) {
			$response = self::save_key( $cookies, $nonce, array( 'description' => 'sm', 'user' => (string) $owner, 'permissions' => 'read' ) );
			$this->assertSame( null === $error, $response['json']['success'], "owner $owner" );
			if ( $error ) {
				$this->assertSame( $error, $response['json']['data']['message'] );
			}
		}
		$this->assertSame( 2, self::count_rows( 'woocommerce_api_keys' ) );
	}

	public function test_single_and_bulk_revoke_need_their_nonces(): void {
		$admin   = self::login( 'admin' );
		$first   = $this->create_wc_key( self::user_id( 'admin' ) );
		$second  = $this->create_wc_key( self::user_id( 'shopmanager' ) );
		$third   = $this->create_wc_key( self::user_id( 'customer' ) );
		$list    = self::http( 'GET', self::KEYS_PAGE, array( 'cookies' => $admin ) )['body'];

		$forged = self::http( 'GET', self::KEYS_PAGE . '&revoke-key=' . $first['key_id'] . '&_wpnonce=0123456789', array( 'cookies' => $admin ) );
		$this->assertSame( 403, $forged['status'] );
		$this->assertNotNull( self::wc_key_row( $first['key_id'] ) );

		$this->assertMatchesRegularExpression( '/revoke-key=' . $first['key_id'] . '&(?:#038;|amp;)?_wpnonce=([0-9a-f]+)/', $list );
		preg_match( '/revoke-key=' . $first['key_id'] . '&(?:#038;|amp;)?_wpnonce=([0-9a-f]+)/', $list, $m );
		$revoked = self::http( 'GET', self::KEYS_PAGE . '&revoke-key=' . $first['key_id'] . '&_wpnonce=' . $m[1], array( 'cookies' => $admin ) );
		$this->assertSame( 302, $revoked['status'] );
		$this->assertStringEndsWith( 'section=keys&revoked=1', $revoked['headers']['location'] );
		$this->assertNull( self::wc_key_row( $first['key_id'] ) );

		// The list form carries two _wpnonce fields (bulk-keys, then woocommerce-settings); the last one wins, as in a browser.
		preg_match_all( '/name="_wpnonce" value="([0-9a-f]+)"/', $list, $nonces );
		$bulk = self::http( 'POST', self::KEYS_PAGE, array( 'cookies' => $admin, 'body' => array( '_wpnonce' => end( $nonces[1] ), 'action' => 'revoke', 'key' => array( $second['key_id'], $third['key_id'] ) ) ) );
		$this->assertSame( 302, $bulk['status'] );
		$this->assertStringEndsWith( 'revoked=2', $bulk['headers']['location'] );
		$this->assertSame( 0, self::count_rows( 'woocommerce_api_keys' ) );

		$notice = self::http( 'GET', self::KEYS_PAGE . '&revoked=2', array( 'cookies' => $admin ) );
		$this->assertStringContainsString( '2 API keys permanently revoked.', $notice['body'] );
	}
}
