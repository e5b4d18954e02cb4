<?php
/**
 * Shared ground for the Health tests: which state this run is in (native extension, forced twin,
 * extension absent), and undoing the filters a test uses to stage another state.
 *
 * The integration suite runs with the extension and again without it, KEYSMITH_FORCE_FALLBACK=1
 * (tests/harness/run-integration.sh); each test asserts what is right for the run it is in.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Health;

use Keysmith\Crypto\Crypto;
use Keysmith\Tests\Integration\TestCase;
use WP_Http_Cookie;

abstract class HealthTestCase extends TestCase {

	/** WordPress's badge colours (wp-admin/css/site-health.css). */
	protected const BADGE_COLORS = array( 'blue', 'green', 'red', 'orange', 'purple', 'gray' );

	protected function tearDown(): void {
		remove_all_filters( 'keysmith_use_native' );
		remove_all_filters( 'keysmith_required_extension_version' );
		Crypto::reset();
		parent::tearDown();
	}

	protected static function twin_forced_by_env(): bool {
		return '1' === getenv( 'KEYSMITH_FORCE_FALLBACK' );
	}

	/**
	 * The implementation this run must be using, nothing staged, from facts that do not come from
	 * Keysmith's own decision (Crypto::mode()): whether PHP has the extension loaded (if not, that
	 * is the reason given), and whether the environment forces the twin on a loaded extension
	 * (KEYSMITH_FORCE_FALLBACK=1, as the README documents).
	 *
	 * @return array{0: string, 1: ?string} 'native' or 'fallback', and the reason for the twin.
	 */
	protected static function expected_mode(): array {
		if ( ! extension_loaded( 'keysmith' ) ) {
			return array( 'fallback', 'not_loaded' );
		}
		if ( self::twin_forced_by_env() ) {
			return array( 'fallback', 'forced_env' );
		}
		return array( 'native', null );
	}

	/** The status the Site Health test must report in this run, nothing staged. */
	protected static function expected_status(): string {
		return extension_loaded( 'keysmith' ) && ! self::twin_forced_by_env() ? 'good' : 'recommended';
	}

	protected function require_extension(): void {
		if ( ! extension_loaded( 'keysmith' ) ) {
			if ( '1' === getenv( 'KEYSMITH_EXPECT_EXTENSION' ) ) {
				$this->fail( 'the keysmith extension should be loaded in this run' );
			}
			$this->markTestSkipped( 'needs the keysmith extension loaded (make build)' );
		}
	}

	/** Makes the plugin require an extension version the loaded one is not. */
	protected static function stage_version_mismatch( string $required = '99.0' ): void {
		add_filter( 'keysmith_required_extension_version', static fn (): string => $required );
		Crypto::reset();
	}

	/** Logs the harness admin in over HTTP; returns the auth cookies. */
	protected static function admin_cookies(): array {
		$test_cookie = new WP_Http_Cookie( array( 'name' => 'wordpress_test_cookie', 'value' => 'WP Cookie check' ) );
		$login       = wp_remote_post(
			self::site_url() . '/wp-login.php',
			array(
				'body'        => array( 'log' => 'admin', 'pwd' => 'password', 'testcookie' => '1' ),
				'cookies'     => array( $test_cookie ),
				'redirection' => 0,
				'timeout'     => 60,
			)
		);
		if ( is_wp_error( $login ) || 302 !== wp_remote_retrieve_response_code( $login ) ) {
			throw new \RuntimeException( 'admin login failed over HTTP' );
		}
		return wp_remote_retrieve_cookies( $login );
	}

	/**
	 * A Site Health direct-test result exactly as WordPress consumes it
	 * (WP_Site_Health::perform_test() and site-health.js): six keys, known status and colour.
	 *
	 * @param mixed $result
	 */
	protected function assert_site_health_shape( $result ): void {
		$this->assertIsArray( $result );
		$this->assertEqualsCanonicalizing( array( 'label', 'status', 'badge', 'description', 'actions', 'test' ), array_keys( $result ) );
		$this->assertIsString( $result['label'] );
		$this->assertNotSame( '', $result['label'] );
		$this->assertContains( $result['status'], array( 'good', 'recommended', 'critical' ) );
		$this->assertIsArray( $result['badge'] );
		$this->assertEqualsCanonicalizing( array( 'label', 'color' ), array_keys( $result['badge'] ) );
		$this->assertNotSame( '', $result['badge']['label'] );
		$this->assertContains( $result['badge']['color'], self::BADGE_COLORS );
		$this->assertIsString( $result['description'] );
		$this->assertStringStartsWith( '<p>', $result['description'] );
		$this->assertSame( wp_kses_post( $result['description'] ), $result['description'], 'the description is safe HTML' );
		$this->assertIsString( $result['actions'] );
		$this->assertSame( 'keysmith_extension', $result['test'] );
	}
}
