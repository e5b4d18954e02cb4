<?php
/**
 * The `keysmith` section of Site Health > Info: every field, values that follow the real state
 * (key count from WooCommerce's table, the auth setting, the mode: expected from whether PHP has the
 * extension and what the environment forces, never from Keysmith's own Crypto::mode()), and the
 * section formatted by WordPress's own WP_Debug_Data::format() as "Copy site info" does.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Health;

use WP_Debug_Data;

final class DebugInfoTest extends HealthTestCase {

	private const FIELDS = array( 'extension_version', 'required_version', 'php_api', 'thread_safety', 'mode', 'state', 'key_count', 'auth_enabled', 'early_refusals', 'throttle', 'sealing', 'sealing_key', 'sealing_secrets' );

	protected function tearDown(): void {
		delete_option( 'keysmith_settings' );
		parent::tearDown();
	}

	/** @return array<string,mixed> The section, through the debug_information filter as WordPress applies it. */
	private static function section(): array {
		$info = apply_filters( 'debug_information', array() );
		return $info['keysmith'];
	}

	/** @return array<string,string> field => value shown */
	private static function values(): array {
		return array_map( static fn ( array $field ): string => $field['value'], self::section()['fields'] );
	}

	public function test_section_has_every_field_in_wordpress_shape(): void {
		$section = self::section();
		$this->assertSame( 'Keysmith', $section['label'] );
		$this->assertIsString( $section['description'] );
		$this->assertSame( self::FIELDS, array_keys( $section['fields'] ) );
		foreach ( $section['fields'] as $name => $field ) {
			$this->assertIsString( $field['label'], $name );
			$this->assertNotSame( '', $field['label'], $name );
			$this->assertIsString( $field['value'], $name );
			$this->assertIsString( $field['debug'], $name );
		}
	}

	/** Sealing: state, where the key comes from with its fingerprint (never the key), the counts. */
	public function test_sealing_fields_follow_the_site(): void {
		\Keysmith\Store\Schema::install();
		( new \Keysmith\Store\KeyService() )->create( array( 'user_ids' => array( get_user_by( 'login', 'shopmanager' )->ID ), 'count' => 2, 'permissions' => 'read' ), new \Keysmith\Store\Actor( 0, 'cli' ) );
		$this->assertSame( 'sealed 0, plaintext 2, orphaned 0', self::debug_values()['sealing_secrets'] );
		$this->assertSame( 'off', self::debug_values()['sealing'] );
		( new \Keysmith\Sealing\SealingService() )->turn_on( new \Keysmith\Store\Actor( 0, 'cli' ) );
		$debug = self::debug_values();
		$this->assertSame( array( 'on', 'sealed 2, plaintext 0, orphaned 0' ), array( $debug['sealing'], $debug['sealing_secrets'] ) );
		$key = \Keysmith\Sealing\KeyStatus::current();
		$this->assertSame( ( extension_loaded( 'keysmith' ) ? 'ini ' : 'constant ' ) . $key->key_file . ' ' . $key->fingerprint, $debug['sealing_key'] );
		$this->assertStringNotContainsString( bin2hex( (string) file_get_contents( (string) $key->key_file ) ), serialize( self::section() ) );
	}

	/** @return array<string, string> Field => debug value. */
	private static function debug_values(): array {
		return array_map( static fn( array $field ): string => $field['debug'], self::section()['fields'] );
	}

	public function test_values_follow_this_run(): void {
		$values = self::values();
		$this->assertSame( preg_replace( '/^(\d+\.\d+).*$/', '$1', KEYSMITH_VERSION ) . '.x', $values['required_version'], 'the plugin\'s own major.minor' );
		$this->assertSame( PHP_ZTS ? 'ZTS' : 'NTS', $values['thread_safety'] );
		if ( extension_loaded( 'keysmith' ) ) {
			$this->assertSame( \Keysmith\version(), $values['extension_version'] );
			$this->assertMatchesRegularExpression( '/^(\d{8}) \/ \1$/', $values['php_api'], 'built for this PHP API' );
		} else {
			$this->assertSame( 'not loaded', $values['extension_version'] );
			$this->assertMatchesRegularExpression( '/^- \/ \d{8}$/', $values['php_api'] );
		}
		list( $mode, $reason ) = self::expected_mode();
		if ( 'native' === $mode ) {
			$this->assertSame( 'native extension', $values['mode'] );
			$this->assertSame( 'good', $values['state'] );
		} else {
			$this->assertSame( "pure-PHP twin ($reason)", $values['mode'] );
			$this->assertSame( 'working on the twin', $values['state'] );
		}
		if ( '1' === getenv( 'KEYSMITH_EXPECT_EXTENSION' ) ) {
			$this->assertSame( 'native', $mode, 'run-integration.sh started this pass with the extension' );
		}
	}

	public function test_mode_and_state_show_a_staged_mismatch(): void {
		$this->require_extension();
		self::stage_version_mismatch( '99.0' );
		$fields = self::section()['fields'];
		$this->assertSame( 'fallback (version_mismatch)', $fields['mode']['debug'] );
		$this->assertStringStartsWith( 'broken: ', $fields['state']['value'] );
		$this->assertStringContainsString( '99.0.x', $fields['state']['debug'] );
	}

	public function test_key_count_counts_woocommerces_table(): void {
		$this->assertSame( '0', self::values()['key_count'] );
		$owner = $this->create_user( 'shop_manager' );
		foreach ( range( 1, 3 ) as $n ) {
			$this->create_wc_key( $owner );
		}
		$this->assertSame( '3', self::values()['key_count'] );
		$this->assertSame( '3', self::section()['fields']['key_count']['debug'] );
	}

	public function test_auth_path_follows_the_setting_default_on(): void {
		delete_option( 'keysmith_settings' );
		$this->assertSame( 'on', self::values()['auth_enabled'] );
		update_option( 'keysmith_settings', array( 'auth_enabled' => false ) );
		$this->assertSame( 'off', self::values()['auth_enabled'] );
		update_option( 'keysmith_settings', array( 'auth_enabled' => true ) );
		$this->assertSame( 'on', self::values()['auth_enabled'] );
	}

	public function test_copy_site_info_text_carries_the_section(): void {
		require_once ABSPATH . 'wp-admin/includes/class-wp-debug-data.php';
		$owner = $this->create_user( 'shop_manager' );
		$this->create_wc_key( $owner );
		$text = WP_Debug_Data::format( array( 'keysmith' => self::section() ), 'debug' );

		$this->assertStringContainsString( '### keysmith ###', $text );
		$this->assertStringContainsString( 'key_count: 1', $text );
		$this->assertStringContainsString( 'auth_enabled: on', $text );
		list( $mode, $reason ) = self::expected_mode();
		$this->assertStringContainsString( 'mode: ' . ( 'native' === $mode ? 'native' : "fallback ($reason)" ), $text );
	}

	/** The Info tab of the served site renders the section (php-fpm's HTML phpinfo parsed). */
	public function test_info_tab_of_the_served_site_shows_the_section(): void {
		$page = self::http( 'GET', '/wp-admin/site-health.php?tab=debug', array( 'cookies' => self::admin_cookies() ) );
		$this->assertSame( 200, $page['status'] );
		$this->assertStringContainsString( 'health-check-accordion-block-keysmith', $page['body'] );
		$text = preg_replace( '/\s+/', ' ', html_entity_decode( preg_replace( '/<[^>]+>/', ' ', $page['body'] ) ) );
		$this->assertStringContainsString( 'Mode in use', $text );
		$expected_mode = self::expected_status() === 'good' ? 'Mode in use native extension' : 'Mode in use pure-PHP twin (';
		$this->assertStringContainsString( $expected_mode, $text );
		if ( extension_loaded( 'keysmith' ) ) {
			$this->assertMatchesRegularExpression( '#PHP API \(extension built for / this PHP\) (\d{8}) / \1#', $text, 'FPM\'s HTML phpinfo is read too' );
		}
	}
}
