<?php
/**
 * Plugin Name:       Keysmith
 * Plugin URI:        https://example.invalid/keysmith
 * Description:       Bulk WooCommerce REST API key management, WP-CLI commands, a REST API and a faster, stricter authentication path, powered by the optional `keysmith` PHP extension.
 * Version:           0.1.0
 * Requires at least: 6.1
 * Requires PHP:      8.1
 * Requires Plugins:  woocommerce
 * WC requires at least: 8.0
 * WC tested up to:   11.2
 * Author:            Keysmith
 * License:           GPL-2.0-or-later
 * Text Domain:       keysmith
 * Domain Path:       /languages
 *
 * @package Keysmith
 */

declare(strict_types=1);

defined( 'ABSPATH' ) || exit;

define( 'KEYSMITH_VERSION', '0.1.0' );
define( 'KEYSMITH_FILE', __FILE__ );
define( 'KEYSMITH_DIR', __DIR__ );

require_once __DIR__ . '/src/Autoloader.php';
\Keysmith\Autoloader::register( __DIR__ . '/src' );

// Before WooCommerce and the theme load: answer a refused REST API request now (Auth\EarlyGate).
\Keysmith\Auth\EarlyGate::run();

// Before WooCommerce initialises, whether or not it turns out to be active (it loads after Keysmith).
\Keysmith\WooCommerce\FeatureCompatibility::register();

register_activation_hook( __FILE__, array( \Keysmith\Plugin::class, 'activate' ) );
register_deactivation_hook( __FILE__, array( \Keysmith\Plugin::class, 'deactivate' ) );

add_action( 'plugins_loaded', array( \Keysmith\Plugin::class, 'boot' ), 20 );
