<?php
/**
 * Uninstall: removes Keysmith's own tables, options and scheduled events, on every site of a
 * network. WooCommerce's key table is never touched: keys made with Keysmith are ordinary
 * WooCommerce keys and keep working without it (they just lose expiry, audit and rotation data).
 *
 * @package Keysmith
 */

declare(strict_types=1);

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

// WordPress does not load the plugin's main file before running this one.
if ( ! defined( 'KEYSMITH_FILE' ) ) {
	define( 'KEYSMITH_FILE', __DIR__ . '/keysmith.php' );
}
require_once __DIR__ . '/src/Autoloader.php';
\Keysmith\Autoloader::register( __DIR__ . '/src' );

// Closures, not named functions: the file can then be included more than once in one process
// (WordPress includes it once; a test suite may include it again) without a redeclaration error.

/**
 * Removes Keysmith's tables, options and scheduled events from the current site. Sealed secrets are
 * unsealed first (deactivation did that already, unless the plugin was deactivated some other way);
 * any that cannot be keep Keysmith's metadata table, so reinstalling Keysmith with the key gets
 * them back (README, "Sealed secrets").
 */
$keysmith_uninstall_site = static function (): void {
	\Keysmith\Store\ExpiryCron::unschedule();
	global $wpdb;
	$meta      = \Keysmith\Store\Schema::meta_table();
	$has_meta  = $meta === $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->esc_like( $meta ) ) );
	$has_seals = $has_meta && in_array( 'sealed_secret', (array) $wpdb->get_col( "SHOW COLUMNS FROM `$meta`" ), true ) // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- our table.
		&& \Keysmith\Sealing\SealedStore::counts()['sealed'] > 0;
	$why = '';
	if ( $has_seals ) {
		$result    = ( new \Keysmith\Sealing\SealingService() )->turn_off( \Keysmith\Store\Actor::system() );
		$has_seals = \Keysmith\Sealing\SealedStore::counts()['sealed'] > 0;
		$why       = $result instanceof \WP_Error ? $result->get_error_message() : $result->message();
	}
	\Keysmith\Store\Schema::drop( $has_seals );
	if ( $has_seals ) {
		$why = 'Keysmith uninstall: sealed secrets could not be unsealed, so its table ' . $meta . ' was kept (reinstall Keysmith with the sealing key to get them back): ' . $why;
		if ( defined( 'WP_CLI' ) && WP_CLI && class_exists( 'WP_CLI', false ) ) {
			\WP_CLI::warning( $why );
		} else {
			trigger_error( esc_html( $why ), E_USER_WARNING ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions -- uninstall has no screen to say it on.
		}
	}
};

/**
 * Removes what the admin screens keep per user: the dismissed version notice and the key list's
 * rows per page. User meta is shared by every site of a network, so this runs once.
 */
$keysmith_uninstall_user_meta = static function (): void {
	foreach ( array( 'keysmith_dismissed_version_notice', 'keysmith_keys_per_page' ) as $keysmith_meta_key ) {
		delete_metadata( 'user', 0, $keysmith_meta_key, '', true );
	}
};

if ( is_multisite() ) {
	foreach ( get_sites( array( 'fields' => 'ids', 'number' => 0 ) ) as $keysmith_site_id ) {
		switch_to_blog( (int) $keysmith_site_id );
		$keysmith_uninstall_site();
		restore_current_blog();
	}
} else {
	$keysmith_uninstall_site();
}
$keysmith_uninstall_user_meta();
