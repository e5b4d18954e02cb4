<?php
/**
 * Smoke test of the harness itself: if this fails, no other integration result means anything.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration;

final class HarnessTest extends TestCase {

	public function test_wordpress_from_debian_is_loaded_on_the_harness_database(): void {
		global $wpdb;

		$this->assertSame( '6.1.9', $GLOBALS['wp_version'] );
		$this->assertTrue( is_blog_installed() );
		$this->assertSame( rtrim( (string) getenv( 'KEYSMITH_SITE_DIR' ), '/' ) . '/', ABSPATH, 'ABSPATH must be the harness site, not /usr/share/wordpress' );
		$this->assertSame( 'keysmith_test', $wpdb->dbname );
		$this->assertSame( 'wp_', $wpdb->prefix );
		$this->assertSame( '/%postname%/', get_option( 'permalink_structure' ) );
		$this->assertStringStartsWith( '10.11.', $wpdb->get_var( 'SELECT VERSION()' ) );
	}

	public function test_harness_users_have_woocommerce_roles(): void {
		$this->assertTrue( user_can( self::user_id( 'admin' ), 'manage_woocommerce' ) );
		$this->assertTrue( user_can( self::user_id( 'shopmanager' ), 'manage_woocommerce' ) );
		$this->assertFalse( user_can( self::user_id( 'customer' ), 'manage_woocommerce' ) );
		$this->assertSame( array( 'shop_manager' ), get_userdata( self::user_id( 'shopmanager' ) )->roles );
		$this->assertSame( array( 'subscriber' ), get_userdata( self::user_id( 'customer' ) )->roles );
	}

	public function test_contract_fixture_stands_in_for_woocommerce(): void {
		$this->assertTrue( defined( 'KEYSMITH_WC_CONTRACT_FIXTURE' ) && KEYSMITH_WC_CONTRACT_FIXTURE );
		$this->assertSame( '11.2.0', WC_VERSION );
		$this->assertInstanceOf( \WooCommerce::class, WC() );
		$this->assertTrue( \Keysmith\Plugin::woocommerce_is_active() );
		$this->assertSame( 15, has_filter( 'determine_current_user', array( \WC_REST_Authentication::instance(), 'authenticate' ) ) );
		// docs/woocommerce-compatibility.md §2.4 vector.
		$this->assertSame( '4ffbd479cad9f24fb43a1516cb436a9dad0e2e23ef491464e29c2d81dae32edd', wc_api_hash( 'ck_0123456789abcdef0123456789abcdef01234567' ) );
		$this->assertMatchesRegularExpression( '/^[0-9a-f]{40}$/', wc_rand_hash() );
	}

	public function test_woocommerce_key_table_has_exactly_the_contract_shape(): void {
		global $wpdb;

		$columns = $wpdb->get_results(
			$wpdb->prepare(
				'SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = %s AND TABLE_NAME = %s ORDER BY ORDINAL_POSITION',
				DB_NAME,
				$wpdb->prefix . 'woocommerce_api_keys'
			),
			ARRAY_N
		);
		$this->assertSame(
			array(
				array( 'key_id', 'bigint(20) unsigned', 'NO', null, 'auto_increment' ),
				array( 'user_id', 'bigint(20) unsigned', 'NO', null, '' ),
				array( 'description', 'varchar(200)', 'YES', 'NULL', '' ),
				array( 'permissions', 'varchar(10)', 'NO', null, '' ),
				array( 'consumer_key', 'char(64)', 'NO', null, '' ),
				array( 'consumer_secret', 'char(43)', 'NO', null, '' ),
				array( 'nonces', 'longtext', 'YES', 'NULL', '' ),
				array( 'truncated_key', 'char(7)', 'NO', null, '' ),
				array( 'last_access', 'datetime', 'YES', 'NULL', '' ),
			),
			$columns
		);

		$indexes = $wpdb->get_results(
			$wpdb->prepare(
				'SELECT INDEX_NAME, NON_UNIQUE, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) FROM INFORMATION_SCHEMA.STATISTICS WHERE TABLE_SCHEMA = %s AND TABLE_NAME = %s GROUP BY INDEX_NAME, NON_UNIQUE ORDER BY INDEX_NAME',
				DB_NAME,
				$wpdb->prefix . 'woocommerce_api_keys'
			),
			ARRAY_N
		);
		$this->assertSame(
			array(
				array( 'consumer_key', '1', 'consumer_key' ),
				array( 'consumer_secret', '1', 'consumer_secret' ),
				array( 'PRIMARY', '0', 'key_id' ),
			),
			$indexes
		);
		$this->assertStringContainsString( 'utf8mb4', $wpdb->get_var( "SHOW CREATE TABLE {$wpdb->prefix}woocommerce_api_keys", 1 ) );
	}

	public function test_keysmith_is_active_and_its_activation_hook_ran(): void {
		global $wpdb;

		$this->assertTrue( is_plugin_active( 'keysmith/keysmith.php' ) );
		$this->assertTrue( defined( 'KEYSMITH_VERSION' ) );
		// Activation (not just loading) creates Keysmith's own tables.
		foreach ( array( 'keysmith_key_meta', 'keysmith_audit' ) as $table ) {
			$this->assertSame( $wpdb->prefix . $table, $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->prefix . $table ) ) );
		}
	}

	public function test_php_runs_the_mode_this_suite_was_started_in(): void {
		if ( '1' === getenv( 'KEYSMITH_EXPECT_EXTENSION' ) ) {
			$this->assertTrue( extension_loaded( 'keysmith' ), 'run-integration.sh found the built extension, so the CLI must have it loaded' );
		}
		$info = self::http( 'GET', '/wp-json/keysmith-harness/v1/info' );
		$this->assertSame( 200, $info['status'], $info['body'] );
		$this->assertSame( '1' === getenv( 'KEYSMITH_FORCE_FALLBACK' ), $info['json']['force_fallback_env'], 'the served PHP pools must run in the same mode as this suite' );
		if ( '1' === getenv( 'KEYSMITH_EXPECT_EXTENSION' ) ) {
			$this->assertTrue( $info['json']['extension_loaded'], 'the served PHP pools must have the extension loaded' );
		}
		if ( class_exists( \Keysmith\Crypto\Crypto::class ) && '1' === getenv( 'KEYSMITH_FORCE_FALLBACK' ) ) {
			$this->assertSame( 'fallback', \Keysmith\Crypto\Crypto::mode() );
			$this->assertSame( 'fallback', $info['json']['crypto_mode'] );
		}
	}

	/**
	 * KEYSMITH_OBJECT_CACHE=redis (the third pass of run-integration.sh): this process and both pools
	 * use the harness's drop-in and share one Redis; otherwise none of them has a persistent cache.
	 */
	public function test_the_object_cache_is_the_one_this_pass_was_started_with(): void {
		$want  = 'redis' === getenv( 'KEYSMITH_OBJECT_CACHE' ) ? 'Keysmith_Harness_Redis_Object_Cache' : null;
		if ( null !== $want && '' !== (string) getenv( 'KEYSMITH_OBJECT_CACHE_DROPIN' ) ) {
			$want = get_class( $GLOBALS['wp_object_cache'] ); // Another drop-in, tried locally.
		}
		$probe = 'probe-' . bin2hex( random_bytes( 8 ) );
		$this->assertSame( null !== $want, (bool) wp_using_ext_object_cache() );
		wp_cache_set( 'probe', $probe, 'keysmith_harness' );
		foreach ( array( 'http', 'tls2' ) as $site ) {
			$info = self::http( 'GET', '/wp-json/keysmith-harness/v1/info', array( 'site' => $site ) );
			$this->assertSame( $want, $info['json']['object_cache'], "$site: the pool's object cache" );
			$this->assertSame( null !== $want ? $probe : false, $info['json']['cache_probe'], "$site sees what this process put in the cache exactly when the cache is shared" );
		}
	}

	public function test_served_sites_answer_over_http_https_and_the_second_pool(): void {
		foreach ( array( 'http' => '1', 'tls' => '1', 'http2' => '2', 'tls2' => '2' ) as $site => $pool ) {
			$root = self::http( 'GET', '/wp-json/', array( 'site' => $site ) );
			$this->assertSame( 200, $root['status'], "$site: " . $root['body'] );
			$this->assertSame( 'Keysmith harness', $root['json']['name'] );
			$this->assertSame( self::site_url( $site ), $root['json']['home'], 'each server has its own home URL' );
			$this->assertContains( 'wc/v3', $root['json']['namespaces'] );

			$info = self::http( 'GET', '/wp-json/keysmith-harness/v1/info', array( 'site' => $site ) );
			$this->assertSame( $pool, $info['json']['pool'], "$site is served by PHP-FPM pool $pool" );
		}
		$front = self::http( 'GET', '/' );
		$this->assertSame( 200, $front['status'] );
		$this->assertStringContainsString( 'Keysmith harness', $front['body'] );
	}

	public function test_wc_v3_test_route_answers_401_without_credentials(): void {
		foreach ( array( 'GET', 'POST' ) as $method ) {
			$response = self::http( $method, '/wp-json/wc/v3/keysmith-test' );
			$this->assertSame( 401, $response['status'], $response['body'] );
			$this->assertSame( 'GET' === $method ? 'woocommerce_rest_cannot_view' : 'woocommerce_rest_cannot_create', $response['json']['code'] );
		}
		$this->assertSame( 'Sorry, you cannot list resources.', self::http( 'GET', '/wp-json/wc/v3/keysmith-test' )['json']['message'] );
	}

	public function test_a_woocommerce_key_authenticates_over_basic_on_tls_and_oauth_on_http(): void {
		$shop_manager = self::user_id( 'shopmanager' );
		$key          = $this->create_wc_key( $shop_manager, 'read' );

		$basic = self::http(
			'GET',
			'/wp-json/wc/v3/keysmith-test',
			array(
				'site'    => 'tls',
				'headers' => array( 'Authorization' => 'Basic ' . base64_encode( $key['consumer_key'] . ':' . $key['consumer_secret'] ) ),
			)
		);
		$this->assertSame( 200, $basic['status'], $basic['body'] );
		$this->assertSame( array( 'user_id' => $shop_manager, 'method' => 'GET' ), $basic['json'] );

		$url   = self::site_url( 'http' ) . '/wp-json/wc/v3/keysmith-test';
		$query = self::oauth_params( 'GET', $url, $key['consumer_key'], $key['consumer_secret'], array( 'per_page' => '5' ) );
		$oauth = self::http( 'GET', $url . '?' . http_build_query( $query, '', '&', PHP_QUERY_RFC3986 ) );
		$this->assertSame( 200, $oauth['status'], $oauth['body'] );
		$this->assertSame( $shop_manager, $oauth['json']['user_id'] );

		// The same request again is a replay; a read key cannot write.
		$replay = self::http( 'GET', $url . '?' . http_build_query( $query, '', '&', PHP_QUERY_RFC3986 ) );
		$this->assertSame( 401, $replay['status'] );
		$this->assertSame( 'Invalid nonce - nonce has already been used.', $replay['json']['message'] );
		$write = self::http( 'POST', $url . '?' . http_build_query( self::oauth_params( 'POST', $url, $key['consumer_key'], $key['consumer_secret'] ), '', '&', PHP_QUERY_RFC3986 ) );
		$this->assertSame( 401, $write['status'] );
		$this->assertSame( 'The API key provided does not have write permissions.', $write['json']['message'] );
	}

	public function test_deleting_a_user_deletes_their_keys_and_reset_state_empties_tables(): void {
		$user_id = $this->create_user( 'customer' );
		$key     = $this->create_wc_key( $user_id );
		$this->assertNotNull( self::wc_key_row( $key['key_id'] ) );

		wp_delete_user( $user_id );
		$this->assertNull( self::wc_key_row( $key['key_id'] ) );

		$this->create_wc_key( self::user_id( 'admin' ) );
		self::reset_state();
		$this->assertSame( 0, self::count_rows( 'woocommerce_api_keys' ) );
	}
}
