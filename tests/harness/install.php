<?php
/**
 * Installs the harness's WordPress non-interactively (called by site.sh; idempotent).
 *
 * Usage: php tests/harness/install.php <site dir>
 *
 * Creates the admin (admin/password), a shop manager and a subscriber "customer", pretty
 * permalinks, WooCommerce's table through the contract fixture, then activates Keysmith through
 * activate_plugin() so its real activation hook runs.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

if ( PHP_SAPI !== 'cli' || ! isset( $argv[1] ) ) {
	fwrite( STDERR, "usage: php install.php <site dir>\n" );
	exit( 2 );
}

$keysmith_site = rtrim( $argv[1], '/' );
$keysmith_home = getenv( 'KEYSMITH_WP_HOME' ) ?: 'http://127.0.0.1:8181';
$keysmith_url  = parse_url( $keysmith_home );

// WordPress reads these in CLI as if a request had reached the home URL.
$_SERVER['HTTP_HOST']      = $keysmith_url['host'] . ( isset( $keysmith_url['port'] ) ? ':' . $keysmith_url['port'] : '' );
$_SERVER['SERVER_NAME']    = $keysmith_url['host'];
$_SERVER['SERVER_PORT']    = (string) ( $keysmith_url['port'] ?? 80 );
$_SERVER['REQUEST_URI']    = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';

define( 'WP_INSTALLING', true );
require $keysmith_site . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';
require_once ABSPATH . 'wp-admin/includes/user.php';

// No mail server here; the install notification would only produce a warning.
add_filter( 'pre_wp_mail', '__return_true' );

/** Fails loudly: the harness must never pretend a step worked. */
function keysmith_harness_fail( string $message ): void {
	fwrite( STDERR, "install.php: $message\n" );
	exit( 1 );
}

if ( ! is_blog_installed() ) {
	$result = wp_install( 'Keysmith harness', 'admin', 'admin@example.test', false, '', wp_slash( 'password' ), 'en_US' );
	if ( empty( $result['user_id'] ) ) {
		keysmith_harness_fail( 'wp_install() did not create the admin user' );
	}
	echo "installed WordPress {$GLOBALS['wp_version']}\n";
}

global $wp_rewrite;
$wp_rewrite->set_permalink_structure( '/%postname%/' );
flush_rewrite_rules( false );

// WooCommerce's table, roles and capabilities, as WC_Install would create them. The refusal
// benchmark's site has the stand-in as a regular plugin (KEYSMITH_HARNESS_WC_AS_PLUGIN): activate it.
if ( ! function_exists( 'keysmith_wc_contract_fixture_install' ) && '1' === getenv( 'KEYSMITH_HARNESS_WC_AS_PLUGIN' ) ) {
	$activated = activate_plugin( 'woocommerce/woocommerce.php', '', false, true );
	if ( is_wp_error( $activated ) ) {
		keysmith_harness_fail( 'activating the WooCommerce stand-in plugin failed: ' . $activated->get_error_message() );
	}
}
if ( ! function_exists( 'keysmith_wc_contract_fixture_install' ) ) {
	keysmith_harness_fail( 'the WooCommerce contract fixture (mu-plugins/woocommerce-contract.php) is not loaded' );
}
keysmith_wc_contract_fixture_install();

$keysmith_harness_users = array(
	array( 'shopmanager', 'shop_manager', 'shopmanager@example.test', 'Shop Manager' ),
	array( 'customer', 'subscriber', 'customer@example.test', 'Casey Customer' ),
);
foreach ( $keysmith_harness_users as list( $login, $role, $email, $name ) ) {
	if ( username_exists( $login ) ) {
		continue;
	}
	$user_id = wp_insert_user(
		array(
			'user_login'   => $login,
			'user_pass'    => 'password',
			'user_email'   => $email,
			'display_name' => $name,
			'role'         => $role,
		)
	);
	if ( is_wp_error( $user_id ) ) {
		keysmith_harness_fail( "could not create user $login: " . $user_id->get_error_message() );
	}
	echo "created user $login ($role) #$user_id\n";
}

// activate_plugin() includes the plugin and runs its real activation hook (Keysmith's schema).
$keysmith_plugin = 'keysmith/keysmith.php';
if ( '1' === getenv( 'KEYSMITH_WITHOUT_PLUGIN' ) ) {
	echo "Keysmith not activated (KEYSMITH_WITHOUT_PLUGIN=1)\n";
} elseif ( ! is_plugin_active( $keysmith_plugin ) ) {
	try {
		$activated = activate_plugin( $keysmith_plugin, '', false, false );
	} catch ( Throwable $e ) {
		keysmith_harness_fail( 'activating Keysmith threw ' . get_class( $e ) . ': ' . $e->getMessage() . ' in ' . $e->getFile() . ':' . $e->getLine() );
	}
	if ( is_wp_error( $activated ) ) {
		keysmith_harness_fail( 'activating Keysmith failed: ' . $activated->get_error_message() );
	}
	echo "activated $keysmith_plugin\n";
}

// A plugin that loads after Keysmith (tests of what may be decided early); inert unless its option is set.
if ( ! is_plugin_active( 'zz-keysmith-harness-late/late-plugin.php' ) ) {
	$activated = activate_plugin( 'zz-keysmith-harness-late/late-plugin.php', '', false, true );
	if ( is_wp_error( $activated ) ) {
		keysmith_harness_fail( 'activating the late harness plugin failed: ' . $activated->get_error_message() );
	}
}

// site.sh re-runs this installer when the recorded version differs (KEYSMITH_HARNESS_INSTALL_VERSION).
update_option( 'keysmith_harness_installed', (string) getenv( 'KEYSMITH_HARNESS_INSTALL_VERSION' ) . '|' . gmdate( 'c' ) );
echo "ok\n";
