<?php
/**
 * The version handshake's admin notice: shown to store managers only when a loaded extension does
 * not fit, once per user until dismissed (nonce + capability), again for a different mismatch.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Health;

use Keysmith\Health\VersionNotice;

final class VersionNoticeTest extends HealthTestCase {

	protected function tearDown(): void {
		foreach ( self::HARNESS_USERS as $login ) {
			delete_user_meta( self::user_id( $login ), VersionNotice::USER_META );
		}
		parent::tearDown();
	}

	private static function rendered(): string {
		ob_start();
		do_action( 'admin_notices' );
		return (string) ob_get_clean();
	}

	public function test_no_notice_without_a_mismatch(): void {
		$this->act_as( 'admin' );
		$this->assertStringNotContainsString( 'keysmith-version-notice', self::rendered() );
		$this->assertFalse( VersionNotice::should_show( self::user_id( 'admin' ) ) );
	}

	public function test_mismatch_notice_is_shown_to_store_managers_only(): void {
		$this->require_extension();
		self::stage_version_mismatch( '99.0' );

		$this->act_as( 'shopmanager' );
		$html = self::rendered();
		$this->assertStringContainsString( 'keysmith-version-notice', $html );
		$this->assertStringContainsString( 'is version ' . esc_html( \Keysmith\version() ) . ', but this plugin needs 99.0.x', $html );
		$this->assertStringContainsString( 'pure-PHP twin', $html );
		$this->assertMatchesRegularExpression( '~admin-post\.php\?action=keysmith_dismiss_version_notice(&amp;|&#038;)_wpnonce=[0-9a-f]{10}~', $html );

		$this->act_as( 'customer' );
		$this->assertStringNotContainsString( 'keysmith-version-notice', self::rendered() );
	}

	public function test_dismissal_needs_the_users_nonce_and_lasts_for_this_mismatch_only(): void {
		$this->require_extension();
		self::stage_version_mismatch( '99.0' );
		$admin = self::user_id( 'admin' );
		$this->act_as( $admin );

		$refused = VersionNotice::dismiss_request( 'not-a-nonce' );
		$this->assertWPError( $refused, 'keysmith_bad_nonce' );
		$this->assertTrue( VersionNotice::should_show( $admin ) );

		$this->assertTrue( VersionNotice::dismiss_request( wp_create_nonce( VersionNotice::ACTION ) ) );
		$this->assertFalse( VersionNotice::should_show( $admin ) );
		$this->assertStringNotContainsString( 'keysmith-version-notice', self::rendered(), 'once dismissed, not shown again' );
		$this->assertTrue( VersionNotice::should_show( self::user_id( 'shopmanager' ) ), 'dismissal is per user' );

		remove_all_filters( 'keysmith_required_extension_version' );
		self::stage_version_mismatch( '98.0' );
		$this->assertTrue( VersionNotice::should_show( $admin ), 'another mismatch is announced again' );
	}

	public function test_dismissal_is_refused_without_manage_woocommerce(): void {
		$customer = self::user_id( 'customer' );
		$this->act_as( $customer );
		$this->assertWPError( VersionNotice::dismiss_request( wp_create_nonce( VersionNotice::ACTION ) ), 'keysmith_forbidden' );
		$this->assertSame( '', get_user_meta( $customer, VersionNotice::USER_META, true ) );
	}

	public function test_dismiss_handler_is_hooked_on_admin_post(): void {
		$this->assertSame( 10, has_action( 'admin_post_keysmith_dismiss_version_notice', array( VersionNotice::class, 'handle_dismiss' ) ) );
		$this->assertFalse( has_action( 'admin_post_nopriv_keysmith_dismiss_version_notice' ), 'never for logged-out visitors' );
	}

	/** The admin-post handler over real HTTP: refused without the user's nonce, stored with it. */
	public function test_dismiss_link_over_http_checks_the_nonce(): void {
		$admin   = self::user_id( 'admin' );
		$cookies = self::admin_cookies();
		$path    = '/wp-admin/admin-post.php?action=' . VersionNotice::ACTION . '&_wpnonce=';

		$refused = self::http( 'GET', $path . 'bad0nce123', array( 'cookies' => $cookies ) );
		$this->assertSame( 403, $refused['status'] );
		wp_cache_delete( $admin, 'user_meta' );
		$this->assertSame( '', get_user_meta( $admin, VersionNotice::USER_META, true ) );

		$accepted = self::http(
			'GET',
			$path . self::nonce_for_session( $cookies, $admin ),
			array(
				'cookies' => $cookies,
				'headers' => array( 'Referer' => self::site_url() . '/wp-admin/index.php' ),
			)
		);
		$this->assertSame( 302, $accepted['status'] );
		$this->assertSame( self::site_url() . '/wp-admin/index.php', $accepted['headers']['location'] );
		wp_cache_delete( $admin, 'user_meta' );
		$this->assertNotSame( '', get_user_meta( $admin, VersionNotice::USER_META, true ), 'the served handler stored the dismissal' );
	}

	/** The nonce WordPress would print for that logged-in session (nonces are bound to its token). */
	private static function nonce_for_session( array $cookies, int $user_id ): string {
		foreach ( $cookies as $cookie ) {
			if ( LOGGED_IN_COOKIE === $cookie->name ) {
				$_COOKIE[ LOGGED_IN_COOKIE ] = $cookie->value;
			}
		}
		wp_set_current_user( $user_id );
		$nonce = wp_create_nonce( VersionNotice::ACTION );
		unset( $_COOKIE[ LOGGED_IN_COOKIE ] );
		return $nonce;
	}

	/** @param mixed $value */
	private function assertWPError( $value, string $code ): void {
		$this->assertInstanceOf( \WP_Error::class, $value );
		$this->assertSame( $code, $value->get_error_code() );
	}
}
