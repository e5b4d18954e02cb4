<?php
/**
 * Keysmith declares compatibility with WooCommerce's features the way WooCommerce asks extensions
 * to, in time for WooCommerce to take it (docs/woocommerce-compatibility.md §10), so no admin page
 * shows the "incompatible with currently enabled WooCommerce features" banner because of it.
 *
 * The contract fixture's registry accepts a declaration only while `before_woocommerce_init` runs
 * (on `init`, priority 0) and lists every WooCommerce-aware plugin that declared nothing as
 * "uncertain", as WooCommerce's FeaturesController does.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\WooCommerce;

use Automattic\WooCommerce\Utilities\FeaturesUtil;
use Keysmith\Tests\Integration\TestCase;

final class FeatureCompatibilityTest extends TestCase {

	private const KEYSMITH = 'keysmith/keysmith.php';

	/** The features WooCommerce 10.0.2 checks plugins against (not legacy). */
	private const CHECKED_FEATURES = array( 'cart_checkout_blocks', 'custom_order_tables', 'cost_of_goods_sold' );

	private const BANNER = 'WooCommerce has detected that some of your active plugins are incompatible with currently enabled WooCommerce features.';

	private ?string $undeclared_plugin = null;

	protected function tearDown(): void {
		if ( null !== $this->undeclared_plugin ) {
			deactivate_plugins( $this->undeclared_plugin, true );
			wp_delete_file( WP_PLUGIN_DIR . '/' . $this->undeclared_plugin );
			wp_cache_delete( 'plugins', 'plugins' );
		}
		parent::tearDown();
	}

	public function test_keysmith_is_listed_compatible_with_every_feature_woocommerce_checks(): void {
		foreach ( self::CHECKED_FEATURES as $feature ) {
			$plugins = FeaturesUtil::get_compatible_plugins_for_feature( $feature );
			$this->assertContains( self::KEYSMITH, $plugins['compatible'], $feature );
			$this->assertNotContains( self::KEYSMITH, $plugins['uncertain'], $feature );
			$this->assertNotContains( self::KEYSMITH, $plugins['incompatible'], $feature );
		}
		$features = FeaturesUtil::get_compatible_features_for_plugin( self::KEYSMITH );
		$this->assertSame( array(), $features['incompatible'] );
		$this->assertSame( array(), array_intersect( self::CHECKED_FEATURES, $features['uncertain'] ), 'only legacy features stay uncertain' );
	}

	public function test_the_declaration_is_hooked_before_woocommerce_initialises_and_would_be_refused_later(): void {
		$this->assertSame( 1, did_action( 'before_woocommerce_init' ), 'WooCommerce initialised once, on init' );
		$this->assertSame( 10, has_action( 'before_woocommerce_init', array( \Keysmith\WooCommerce\FeatureCompatibility::class, 'declare_compatibility' ) ) );

		// The registry only takes declarations while before_woocommerce_init runs: the same call
		// now is refused (what a declaration hooked too late, e.g. on plugins_loaded 20 under
		// Keysmith's boot after WooCommerce's init, or on init 10, would get).
		$wrong = array();
		$catch = static function ( string $function_name ) use ( &$wrong ): void {
			$wrong[] = $function_name;
		};
		add_action( 'doing_it_wrong_run', $catch );
		add_filter( 'doing_it_wrong_trigger_error', '__return_false' );
		try {
			$this->assertFalse( FeaturesUtil::declare_compatibility( 'custom_order_tables', KEYSMITH_FILE, true ) );
		} finally {
			remove_action( 'doing_it_wrong_run', $catch );
			remove_filter( 'doing_it_wrong_trigger_error', '__return_false' );
		}
		$this->assertSame( array( 'FeaturesController::declare_compatibility' ), $wrong );
	}

	public function test_no_incompatibility_banner_while_a_plugin_that_declares_nothing_brings_it_back(): void {
		$cookies = self::login( 'admin' );
		$page    = self::http( 'GET', '/wp-admin/index.php', array( 'cookies' => $cookies ) );
		$this->assertSame( 200, $page['status'] );
		$this->assertStringNotContainsString( self::BANNER, $page['body'], 'Keysmith declared every feature' );

		// Control: a WooCommerce-aware plugin ("WC tested up to") that declares nothing is
		// "uncertain" for HPOS, which counts as incompatible: the banner shows.
		$this->undeclared_plugin = 'keysmith-test-undeclared.php';
		file_put_contents( WP_PLUGIN_DIR . '/' . $this->undeclared_plugin, "<?php\n/**\n * Plugin Name: Keysmith test plugin without declarations\n * WC tested up to: 10.0\n */\n" );
		wp_cache_delete( 'plugins', 'plugins' );
		$this->assertNull( activate_plugin( $this->undeclared_plugin ) );
		$this->assertContains( $this->undeclared_plugin, FeaturesUtil::get_compatible_plugins_for_feature( 'custom_order_tables' )['uncertain'] );
		$page = self::http( 'GET', '/wp-admin/index.php', array( 'cookies' => $cookies ) );
		$this->assertStringContainsString( self::BANNER, $page['body'] );
	}
}
