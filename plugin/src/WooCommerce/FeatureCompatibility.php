<?php
/**
 * Tells WooCommerce which of its optional features Keysmith works with, the way WooCommerce asks
 * extensions to (docs/woocommerce-compatibility.md §10): FeaturesUtil::declare_compatibility() for
 * each feature, from a `before_woocommerce_init` callback, naming the plugin by its main file.
 * Without it WooCommerce counts Keysmith as "uncertain" for every feature, and for High-Performance
 * Order Storage (on by default in new stores) that puts a red "incompatible plugins" banner on every
 * admin page.
 *
 * Keysmith reads and writes only WooCommerce's API key table and its own tables: no orders, carts,
 * checkouts, products or sessions, so it is compatible with each feature below.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\WooCommerce;

use Automattic\WooCommerce\Utilities\FeaturesUtil;

final class FeatureCompatibility {

	/**
	 * Every feature WooCommerce checks extensions against, up to the "WC tested up to" version
	 * (§10 lists where each comes from). WooCommerce ignores a feature it does not have (the call
	 * answers false), so older versions are fine with the whole list.
	 */
	public const FEATURES = array(
		'custom_order_tables',
		'cart_checkout_blocks',
		'cost_of_goods_sold',
		'fulfillments',
		'destroy-empty-sessions',
		'product_instance_caching',
	);

	/**
	 * Hooked from keysmith.php as soon as the plugin loads: WooCommerce fires the action on `init`
	 * (priority 0), after every plugin is loaded, and accepts declarations only while it runs.
	 */
	public static function register(): void {
		add_action( 'before_woocommerce_init', array( self::class, 'declare_compatibility' ) );
	}

	/** The before_woocommerce_init callback. WooCommerce before 7.1 has no FeaturesUtil: nothing to declare. */
	public static function declare_compatibility(): void {
		if ( ! class_exists( FeaturesUtil::class ) ) {
			return;
		}
		foreach ( self::FEATURES as $feature ) {
			FeaturesUtil::declare_compatibility( $feature, KEYSMITH_FILE, true );
		}
	}
}
