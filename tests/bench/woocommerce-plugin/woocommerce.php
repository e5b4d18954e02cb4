<?php
/**
 * Plugin Name: WooCommerce (Keysmith benchmark stand-in)
 * Description: For tests/bench/refusals.sh only, never shipped: the WooCommerce contract fixture
 * loaded as a regular plugin at WooCommerce's own path (so it loads after Keysmith, as WooCommerce
 * does), plus the kind of work a real store does at boot (boot-work.php).
 * Version: 11.2.0-keysmith-bench
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

defined( 'ABSPATH' ) || exit;

define( 'KEYSMITH_FIXTURE_AS_PLUGIN', true );
require dirname( __DIR__, 2 ) . '/fixture/woocommerce-contract.php';
require __DIR__ . '/boot-work.php';
