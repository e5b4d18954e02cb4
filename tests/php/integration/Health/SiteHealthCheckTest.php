<?php
/**
 * The Site Health test `keysmith_extension` in each state: native (good), twin (recommended, with
 * host instructions unless the twin was chosen on purpose), broken (critical), through WordPress's
 * own WP_Site_Health registry and, end to end, on the Site Health screen of the served site.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Health;

use Keysmith\Crypto\Crypto;
use Keysmith\Fallback;
use Keysmith\Health\ExtensionStatus;
use Keysmith\Health\SelfCheck;
use Keysmith\Health\SiteHealthCheck as Check;
use WP_Site_Health;

final class SiteHealthCheckTest extends HealthTestCase {

	/** @return array<string,mixed> The test's result, run the way WordPress runs a direct test. */
	private static function run_registered_test(): array {
		require_once ABSPATH . 'wp-admin/includes/class-wp-site-health.php';
		$tests = WP_Site_Health::get_tests();
		$test  = $tests['direct']['keysmith_extension'] ?? null;
		if ( null === $test || ! is_callable( $test['test'] ) ) {
			throw new \RuntimeException( 'keysmith_extension is not a callable direct test' );
		}
		return call_user_func( $test['test'] );
	}

	public function test_is_registered_as_a_direct_test_with_a_label(): void {
		require_once ABSPATH . 'wp-admin/includes/class-wp-site-health.php';
		$tests = WP_Site_Health::get_tests();
		$this->assertArrayHasKey( 'keysmith_extension', $tests['direct'] );
		$this->assertSame( 'Keysmith extension', $tests['direct']['keysmith_extension']['label'] );
		$this->assertIsCallable( $tests['direct']['keysmith_extension']['test'] );
		$this->assertArrayNotHasKey( 'keysmith_extension', $tests['async'] ?? array() );
	}

	public function test_reports_the_state_of_this_run(): void {
		$result = self::run_registered_test();
		$this->assert_site_health_shape( $result );
		$this->assertSame( self::expected_status(), $result['status'] );
		$this->assertSame( 'blue', $result['badge']['color'] );
		if ( 'good' === $result['status'] ) {
			$this->assertSame( Crypto::MODE_NATIVE, Crypto::mode() );
			$this->assertStringContainsString( 'The keysmith extension ' . \Keysmith\version(), $result['description'] );
			$this->assertSame( '', $result['actions'] );
		} elseif ( extension_loaded( 'keysmith' ) ) {
			$this->assertStringContainsString( 'KEYSMITH_FORCE_FALLBACK=1', $result['description'], 'says what turned the extension off' );
			$this->assertStringNotContainsString( 'make install', $result['description'], 'no install advice when the extension is there' );
		} else {
			$this->assert_host_instructions( $result['description'] );
		}
	}

	public function test_twin_forced_by_filter_is_recommended_and_names_the_filter(): void {
		add_filter( 'keysmith_use_native', '__return_false' );
		Crypto::reset();
		$result = self::run_registered_test();

		$this->assert_site_health_shape( $result );
		$this->assertSame( 'recommended', $result['status'] );
		$this->assertSame( Crypto::MODE_FALLBACK, Crypto::mode() );
		$this->assertSame( 'Keysmith runs on its pure-PHP twin', $result['label'] );
		$this->assertStringContainsString( 'site-health.php?tab=debug', $result['actions'] );
		if ( extension_loaded( 'keysmith' ) && ! self::twin_forced_by_env() ) {
			$this->assertStringContainsString( 'keysmith_use_native', $result['description'] );
		}
	}

	public function test_extension_absent_gives_host_instructions_for_this_server(): void {
		// A server without the extension, whatever this run has.
		$status = ExtensionStatus::from_facts( Crypto::MODE_FALLBACK, Crypto::REASON_NOT_LOADED, null, Crypto::required_version(), array(), ExtensionStatus::runtime_php_api(), null );
		$this->assertSame( ExtensionStatus::TWIN, $status->state );
		$result = Check::result_for( $status );

		$this->assert_site_health_shape( $result );
		$this->assertSame( 'recommended', $result['status'] );
		$this->assert_host_instructions( $result['description'] );
	}

	public function test_version_mismatch_is_critical_and_the_twin_answers(): void {
		$this->require_extension();
		self::stage_version_mismatch( '99.0' );
		$result = self::run_registered_test();

		$this->assert_site_health_shape( $result );
		$this->assertSame( 'critical', $result['status'] );
		$this->assertSame( 'red', $result['badge']['color'] );
		$this->assertSame( Crypto::MODE_FALLBACK, Crypto::mode(), 'a mismatched extension is never used' );
		$this->assertSame( Crypto::REASON_VERSION, Crypto::fallback_reason() );
		$this->assertStringContainsString( 'is version ' . \Keysmith\version() . ', but this version of the plugin needs 99.0.x', $result['description'] );
		$this->assertStringContainsString( 'the pure-PHP twin answers instead', $result['description'] );
		$this->assertStringContainsString( '<code>make install</code>', $result['description'] );
		// The twin really answers: the same WooCommerce hash either way.
		$this->assertSame( hash_hmac( 'sha256', 'ck_x', 'wc-api' ), Crypto::api_hash( 'ck_x' ) );
	}

	public function test_a_native_extension_that_fails_its_self_test_is_critical_and_says_how_to_turn_it_off(): void {
		// What current() builds when SelfCheck::run_native() names a wrong answer from the extension in use.
		$status = ExtensionStatus::from_facts( Crypto::MODE_NATIVE, null, '0.1.0', Crypto::required_version(), array(), ExtensionStatus::runtime_php_api(), 'Its api_hash() differs from WooCommerce\'s hash_hmac( \'sha256\', $key, \'wc-api\' ).' );
		$this->assertSame( ExtensionStatus::BROKEN, $status->state );
		$result = Check::result_for( $status );

		$this->assert_site_health_shape( $result );
		$this->assertSame( 'critical', $result['status'] );
		$this->assertStringContainsString( 'api_hash() differs', $result['description'] );
		$this->assertStringContainsString( 'Keysmith still uses it', $result['description'] );
		$this->assertStringContainsString( 'KEYSMITH_FORCE_FALLBACK', $result['description'] );
	}

	public function test_the_matching_version_is_not_a_mismatch(): void {
		$this->require_extension();
		$parts = explode( '.', \Keysmith\version() );
		self::stage_version_mismatch( $parts[0] . '.' . $parts[1] );
		$this->assertNotSame( 'critical', self::run_registered_test()['status'] );
		$this->assertNotSame( Crypto::REASON_VERSION, Crypto::fallback_reason() );
	}

	public function test_self_test_passes_on_correct_implementations_and_names_a_wrong_one(): void {
		$this->assertNull( SelfCheck::run( 'Keysmith\Fallback\api_hash', 'Keysmith\Fallback\oauth_signature', 'Keysmith\Fallback\equals' ) );
		if ( extension_loaded( 'keysmith' ) ) {
			$this->assertNull( SelfCheck::run_native(), 'the built extension computes what PHP computes' );
		}

		$wrong_hash = static fn ( string $data ): string => hash_hmac( 'sha256', $data, 'not-wc-api' );
		$this->assertStringContainsString( 'api_hash()', (string) SelfCheck::run( $wrong_hash, 'Keysmith\Fallback\oauth_signature', 'Keysmith\Fallback\equals' ) );

		$sha1_everywhere = static fn ( string $base, string $secret, string $method ): string => Fallback\oauth_signature( $base, $secret, 'HMAC-SHA1' );
		$this->assertStringContainsString( 'HMAC-SHA256', (string) SelfCheck::run( 'Keysmith\Fallback\api_hash', $sha1_everywhere, 'Keysmith\Fallback\equals' ) );

		$always_equal = static fn ( string $a, string $b ): bool => true;
		$this->assertStringContainsString( 'equals()', (string) SelfCheck::run( 'Keysmith\Fallback\api_hash', 'Keysmith\Fallback\oauth_signature', $always_equal ) );

		$throws = static function ( string $data ): string {
			throw new \ValueError( 'boom' );
		};
		$this->assertStringContainsString( 'boom', (string) SelfCheck::run( $throws, 'Keysmith\Fallback\oauth_signature', 'Keysmith\Fallback\equals' ) );
	}

	public function test_reads_the_extension_facts_from_phpinfo_in_cli_and_fpm_formats(): void {
		$cli  = "keysmith\n\nkeysmith support => enabled\nversion => 0.1.0\nbuilt for PHP API => 20220829\nthread safety => NTS (not thread-safe)\n";
		$html = '<table><tr class="h"><th>keysmith support</th><th>enabled</th></tr><tr><td class="e">version </td><td class="v">0.1.0 </td></tr><tr><td class="e">built for PHP API </td><td class="v">20220829 </td></tr></table>';
		$this->assertSame( '20220829', ExtensionStatus::parse_info_rows( $cli )['built for PHP API'] );
		$this->assertSame( 'NTS (not thread-safe)', ExtensionStatus::parse_info_rows( $cli )['thread safety'] );
		$this->assertSame( array( 'version' => '0.1.0', 'built for PHP API' => '20220829' ), ExtensionStatus::parse_info_rows( $html ) );
		$this->assertMatchesRegularExpression( '/^\d{8}$/', ExtensionStatus::runtime_php_api() );
		if ( extension_loaded( 'keysmith' ) ) {
			$info = ExtensionStatus::extension_info();
			$this->assertSame( \Keysmith\version(), $info['version'] );
			$this->assertSame( ExtensionStatus::runtime_php_api(), $info['built for PHP API'] );
		}
	}

	/** The Site Health screen of the served site (php-fpm, HTML phpinfo) shows the same result. */
	public function test_site_health_screen_of_the_served_site_shows_the_result(): void {
		$cookies = self::admin_cookies();
		$page    = self::http( 'GET', '/wp-admin/site-health.php', array( 'cookies' => $cookies ) );
		$this->assertSame( 200, $page['status'] );
		$this->assertSame( 1, preg_match( '/var SiteHealth = (\{.*?\});\n/', $page['body'], $m ), 'the screen embeds its direct results' );
		$data   = json_decode( $m[1], true );
		$result = null;
		foreach ( $data['site_status']['direct'] as $direct ) {
			if ( 'keysmith_extension' === ( $direct['test'] ?? '' ) ) {
				$result = $direct;
			}
		}
		$this->assertNotNull( $result, 'keysmith_extension ran on the screen' );
		$this->assert_site_health_shape( $result );
		$this->assertSame( self::expected_status(), $result['status'], 'the served site runs in the same mode as this test run' );
	}

	private function assert_host_instructions( string $description ): void {
		$this->assertStringContainsString( 'is not installed on this server', $description );
		$this->assertStringContainsString( '<code>make install</code>', $description );
		$this->assertStringContainsString( '<code>pie install keysmith/keysmith</code>', $description );
		$this->assertStringContainsString( Check::artifact_name(), $description );
		$this->assertStringContainsString( (string) ini_get( 'extension_dir' ), $description );
		$this->assertMatchesRegularExpression( '/^php8\.\d+-(nts|zts)-[a-z0-9_]+-[a-z0-9-]+-keysmith\.so$/', Check::artifact_name() );
	}
}
