<?php
/**
 * Script and styles of the section, and the "Bulk manage" control on WooCommerce's REST API keys
 * section.
 *
 * WooCommerce prints its "Add key" button inside its own list output with no hook around it
 * (docs/woocommerce-compatibility.md §4.3, §4.5). So a plain link is printed after WooCommerce's output (works
 * without JavaScript), and the script moves it next to "Add key" (`.page-title-action`, or the
 * older `.add-new-h2`) when that button is found.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Admin;

final class Assets {

	public const HANDLE = 'keysmith-admin';

	public static function enqueue( string $hook_suffix ): void {
		if ( ! ( Screen::is_section() || Screen::is_keys_section() ) || ! Screen::user_can() ) {
			return;
		}
		$base = plugins_url( 'assets/', KEYSMITH_FILE );
		wp_enqueue_style( self::HANDLE, $base . 'keysmith-admin.css', array(), KEYSMITH_VERSION );
		wp_enqueue_script( self::HANDLE, $base . 'keysmith-admin.js', array(), KEYSMITH_VERSION, true );
		wp_localize_script(
			self::HANDLE,
			'keysmithAdmin',
			array(
				'ajaxUrl'       => admin_url( 'admin-ajax.php' ),
				'createAction'  => Ajax::CREATE,
				'rotateAction'  => Ajax::ROTATE,
				'bulkManageUrl' => Screen::url(),
				'strings'       => self::strings(),
			)
		);
	}

	/** @return array<string, string|array<string, string>> The script's translated texts. */
	private static function strings(): array {
		return array(
			'bulkManage'       => __( 'Bulk manage', 'keysmith' ),
			'copy'             => __( 'Copy', 'keysmith' ),
			'copied'           => __( 'Copied', 'keysmith' ),
			'copyFailed'       => __( 'Copying failed: select the text and copy it.', 'keysmith' ),
			/* translators: %s: number of keys (two or more). */
			'creating'         => __( 'Creating %s keys… this runs as one all-or-nothing operation.', 'keysmith' ),
			'creatingOne'      => __( 'Creating 1 key…', 'keysmith' ),
			/* translators: %s: number of keys (two or more). */
			'rotating'         => __( 'Rotating %s keys… this runs as one all-or-nothing operation.', 'keysmith' ),
			'rotatingOne'      => __( 'Rotating 1 key…', 'keysmith' ),
			/* translators: %s: seconds elapsed. */
			'elapsed'          => __( '%s s', 'keysmith' ),
			'failed'           => __( 'Nothing was changed:', 'keysmith' ),
			'network'          => __( 'The request did not complete (network error or timeout). Check the key list or the audit log before trying again: the operation either finished completely or not at all.', 'keysmith' ),
			'warning'          => __( 'Copy or download these keys now. The secrets are not stored anywhere else by Keysmith and will not be shown again.', 'keysmith' ),
			'downloadCsv'      => __( 'Download CSV', 'keysmith' ),
			'downloadJson'     => __( 'Download JSON', 'keysmith' ),
			'done'             => __( 'Done: back to the key list', 'keysmith' ),
			'description'      => __( 'Description', 'keysmith' ),
			'user'             => __( 'User', 'keysmith' ),
			'permissions'      => __( 'Permissions', 'keysmith' ),
			'consumerKey'      => __( 'Consumer key', 'keysmith' ),
			'consumerSecret'   => __( 'Consumer secret', 'keysmith' ),
			'permissionLabels' => Labels::permissions(),
		);
	}

	/** woocommerce_settings_advanced, after WooCommerce's own output: the no-JavaScript "Bulk manage" link. */
	public static function bulk_manage_link(): void {
		if ( ! Screen::is_keys_section() || ! Screen::user_can() ) {
			return;
		}
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- only on the list, not on WooCommerce's key form.
		if ( isset( $_GET['create-key'] ) || isset( $_GET['edit-key'] ) ) {
			return;
		}
		printf(
			'<p class="keysmith-bulk-manage"><a class="button" id="keysmith-bulk-manage" href="%s">%s</a></p>',
			esc_url( Screen::url() ),
			esc_html__( 'Bulk manage', 'keysmith' )
		);
	}
}
