<?php
/**
 * Where Keysmith's screen lives: WooCommerce > Settings > Advanced, section `keysmith`, and its
 * sub-views (list, create, audit, policy, protection, sealing) selected by the `view` query argument.
 *
 * WooCommerce's settings screen id (woocommerce_page_wc-settings) is shared by every settings tab
 * and section (docs/woocommerce-compatibility.md §4.1), so every hook that must only act on Keysmith's section asks
 * is_section() rather than the screen id.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Admin;

final class Screen {

	public const SECTION = 'keysmith';

	/** Sub-views, selected with ?view=…; anything else falls back to the list. */
	public const VIEWS = array( 'list', 'create', 'audit', 'policy', 'protection', 'sealing' );

	/** Capability WooCommerce requires for its settings pages and key screens. */
	public const CAPABILITY = 'manage_woocommerce';

	/**
	 * Capability to turn sealing on or off: a decision about where the site's secrets are kept,
	 * for administrators (shop managers see the state).
	 */
	public const SEALING_CAPABILITY = 'manage_options';

	/** Query arguments that carry a one-shot result notice and must not stick to later links. */
	public const RESULT_ARGS = array( 'ks_done', 'ks_changed', 'ks_requested', 'ks_saved', 'ks_reset' );

	/** Whether this request is for WooCommerce > Settings > Advanced > Keysmith. */
	public static function is_section(): bool {
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- routing only.
		return is_admin()
			&& 'wc-settings' === ( $_GET['page'] ?? '' )
			&& 'advanced' === ( $_GET['tab'] ?? '' )
			&& self::SECTION === ( $_GET['section'] ?? '' );
		// phpcs:enable
	}

	/** Whether this request is for WooCommerce's own REST API keys section. */
	public static function is_keys_section(): bool {
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- routing only.
		return is_admin()
			&& 'wc-settings' === ( $_GET['page'] ?? '' )
			&& 'advanced' === ( $_GET['tab'] ?? '' )
			&& 'keys' === ( $_GET['section'] ?? '' );
		// phpcs:enable
	}

	/** The current sub-view. */
	public static function view(): string {
		$view = sanitize_key( wp_unslash( $_GET['view'] ?? 'list' ) ); // phpcs:ignore WordPress.Security.NonceVerification.Recommended
		return in_array( $view, self::VIEWS, true ) ? $view : 'list';
	}

	/**
	 * Absolute admin URL of a sub-view.
	 *
	 * @param array<string, scalar> $args Extra query arguments.
	 */
	public static function url( string $view = 'list', array $args = array() ): string {
		$base = array(
			'page'    => 'wc-settings',
			'tab'     => 'advanced',
			'section' => self::SECTION,
		);
		if ( 'list' !== $view ) {
			$base['view'] = $view;
		}
		return add_query_arg( array_map( 'rawurlencode', array_map( 'strval', $base + $args ) ), admin_url( 'admin.php' ) );
	}

	/** URL of WooCommerce's REST API keys section. */
	public static function keys_url(): string {
		return admin_url( 'admin.php?page=wc-settings&tab=advanced&section=keys' );
	}

	/** Whether the current user may use the screen. */
	public static function user_can(): bool {
		return current_user_can( self::CAPABILITY );
	}
}
