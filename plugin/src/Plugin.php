<?php
/**
 * Wiring: decides whether Keysmith can run and asks each module to register its hooks.
 * Nothing else lives here; each concern registers itself from its own folder.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith;

final class Plugin {

	/**
	 * Modules whose static register() adds their hooks, in the order they are registered.
	 * One line per module; a module owns everything it hooks.
	 *
	 * @var list<class-string>
	 */
	private const MODULES = array(
		Store\StoreModule::class,
		Auth\AuthModule::class,
		Admin\AdminModule::class,
		Rest\RestModule::class,
		Health\HealthModule::class,
		Sealing\SealingModule::class,
		WooCommerce\WooCommerceModule::class,
	);

	/** Runs on plugins_loaded (priority 20, after WooCommerce has loaded). */
	public static function boot(): void {
		load_plugin_textdomain( 'keysmith', false, dirname( plugin_basename( KEYSMITH_FILE ) ) . '/languages' );

		// Before the WooCommerce check: `wp keysmith doctor` is needed most when WooCommerce is not
		// active; the other subcommands refuse then (Cli\Halt).
		Cli\CliModule::register();
		if ( ! self::woocommerce_is_active() ) {
			add_action( 'admin_notices', array( self::class, 'render_missing_woocommerce_notice' ) );
			return;
		}

		foreach ( self::MODULES as $module ) {
			$module::register();
		}
	}

	/** WooCommerce defines WC_VERSION as soon as its main file loads. */
	public static function woocommerce_is_active(): bool {
		return defined( 'WC_VERSION' ) && class_exists( 'WooCommerce', false );
	}

	public static function render_missing_woocommerce_notice(): void {
		if ( ! current_user_can( 'activate_plugins' ) ) {
			return;
		}
		printf(
			'<div class="notice notice-error"><p>%s</p></div>',
			esc_html__( 'Keysmith needs WooCommerce to be installed and active. It does nothing until WooCommerce is active.', 'keysmith' )
		);
	}

	/**
	 * Activation hook: creates or upgrades Keysmith's own tables, takes the OAuth nonces over, and
	 * forgets cached key rows: while Keysmith was inactive, WooCommerce's screen may have revoked or
	 * edited keys without anyone telling the cache.
	 */
	public static function activate(): void {
		Store\Schema::install();
		Auth\NonceHandover::sync();
		Store\KeyCache::forget_all();
	}

	/**
	 * Deactivation hook: unseals every sealed secret, then stops scheduled work and hands the OAuth
	 * nonces back to WooCommerce, which judges alone from now on; data stays until uninstall. When
	 * a secret cannot be unsealed, Keysmith stays active (Sealing\Deactivation says why).
	 *
	 * @param bool $network_wide Deactivated for every site of a network.
	 */
	public static function deactivate( $network_wide = false ): void {
		if ( ! Sealing\Deactivation::unseal_everything( (bool) $network_wide ) ) {
			return;
		}
		Store\ExpiryCron::unschedule();
		Auth\NonceHandover::hand_back();
	}
}
