<?php
/**
 * Wires the admin screen into WooCommerce > Settings > Advanced through WooCommerce's settings
 * hooks (docs/woocommerce-compatibility.md §4.5). All writes go through Store\KeyService.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Admin;

use Keysmith\Store\KeyService;

final class AdminModule {

	public static function register(): void {
		if ( ! is_admin() ) {
			return;
		}
		$service = new KeyService();
		$page    = new SettingsPage( $service );

		add_filter( 'woocommerce_get_sections_advanced', array( $page, 'add_section' ) );
		add_action( 'woocommerce_settings_page_init', array( $page, 'load' ) );
		add_action( 'woocommerce_settings_advanced', array( $page, 'output' ), 20 );
		add_filter( 'woocommerce_rest_api_valid_to_save', array( $page, 'valid_to_save' ) );
		// Never run WooCommerce's generic "save settings" on this section.
		add_filter( 'woocommerce_save_settings_advanced_' . Screen::SECTION, '__return_false' );
		add_filter( 'set_screen_option_' . KeyListTable::PER_PAGE_OPTION, array( SettingsPage::class, 'save_per_page' ), 10, 3 );
		add_filter( 'removable_query_args', array( SettingsPage::class, 'removable_args' ) );

		add_action( 'admin_enqueue_scripts', array( Assets::class, 'enqueue' ) );
		add_action( 'woocommerce_settings_advanced', array( Assets::class, 'bulk_manage_link' ), 20 );

		( new Ajax( $service ) )->register();
	}
}
