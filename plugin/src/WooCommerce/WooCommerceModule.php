<?php
/**
 * Keysmith inside WooCommerce: what it does about WooCommerce's own ways of making and revoking
 * keys, which fire no hook (docs/woocommerce-compatibility.md §2.5, §4.2, §5, §11). Feature
 * compatibility is declared earlier, from keysmith.php (FeatureCompatibility).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\WooCommerce;

final class WooCommerceModule {

	public static function register(): void {
		KeyScreenWatcher::register();
		AppAuthWatcher::register();
	}
}
