<?php
/**
 * The version handshake, told to people: when a keysmith extension is loaded but does not fit this
 * plugin (Crypto's REASON_VERSION), Keysmith uses its pure-PHP twin and says so once to each store
 * manager, in an admin notice they can dismiss. The dismissal is remembered per user for that pair
 * of versions: a different mismatch later (another upgrade) is announced again.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Health;

use Keysmith\Crypto\Crypto;

final class VersionNotice {

	public const ACTION     = 'keysmith_dismiss_version_notice';
	public const USER_META  = 'keysmith_dismissed_version_notice';
	public const CAPABILITY = 'manage_woocommerce';

	/** Action `admin_notices`. */
	public static function render(): void {
		if ( ! self::should_show( get_current_user_id() ) ) {
			return;
		}
		$dismiss_url = wp_nonce_url(
			add_query_arg( array( 'action' => self::ACTION ), admin_url( 'admin-post.php' ) ),
			self::ACTION
		);
		printf(
			'<div class="notice notice-warning keysmith-version-notice"><p><strong>%1$s</strong> %2$s</p><p><a href="%3$s">%4$s</a> | <a href="%5$s">%6$s</a></p></div>',
			esc_html__( 'Keysmith:', 'keysmith' ),
			esc_html( self::message() ),
			esc_url( admin_url( 'site-health.php' ) ),
			esc_html__( 'Site Health has the details', 'keysmith' ),
			esc_url( $dismiss_url ),
			esc_html__( 'Dismiss this notice', 'keysmith' )
		);
	}

	/** Whether this user is owed the notice now. */
	public static function should_show( int $user_id ): bool {
		if ( Crypto::REASON_VERSION !== Crypto::fallback_reason() || ! user_can( $user_id, self::CAPABILITY ) ) {
			return false;
		}
		return get_user_meta( $user_id, self::USER_META, true ) !== self::signature();
	}

	/** Action `admin_post_keysmith_dismiss_version_notice`: remembers the dismissal, goes back. */
	public static function handle_dismiss(): void {
		$result = self::dismiss_request( isset( $_REQUEST['_wpnonce'] ) ? sanitize_key( wp_unslash( $_REQUEST['_wpnonce'] ) ) : '' );
		if ( is_wp_error( $result ) ) {
			wp_die( esc_html( $result->get_error_message() ), '', array( 'response' => 403 ) );
		}
		wp_safe_redirect( wp_get_referer() ? wp_get_referer() : admin_url() );
		exit;
	}

	/**
	 * Dismisses the notice for the current user if they may manage the store and the nonce is theirs.
	 *
	 * @return true|\WP_Error
	 */
	public static function dismiss_request( string $nonce ) {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			return new \WP_Error( 'keysmith_forbidden', __( 'Sorry, you are not allowed to do that.', 'keysmith' ) );
		}
		if ( false === wp_verify_nonce( $nonce, self::ACTION ) ) {
			return new \WP_Error( 'keysmith_bad_nonce', __( 'The link you followed has expired. Please reload the page and try again.', 'keysmith' ) );
		}
		self::dismiss( get_current_user_id() );
		return true;
	}

	public static function dismiss( int $user_id ): void {
		update_user_meta( $user_id, self::USER_META, self::signature() );
	}

	public static function message(): string {
		return sprintf(
			/* translators: 1: version of the loaded extension, 2: major.minor version the plugin needs. */
			__( 'the keysmith PHP extension on this server is version %1$s, but this plugin needs %2$s.x. Keysmith uses its pure-PHP twin instead: everything keeps working, only slower, until the host installs the matching extension.', 'keysmith' ),
			Crypto::native_version() ?? __( 'unknown', 'keysmith' ),
			Crypto::required_version()
		);
	}

	/** The mismatch a dismissal is about: loaded version and required version. */
	private static function signature(): string {
		return ( Crypto::native_version() ?? '' ) . '|' . Crypto::required_version();
	}
}
