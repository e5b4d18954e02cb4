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
require_once __DIR__ . '/src/Store/Schema.php';
require_once __DIR__ . '/src/Store/ExpiryCron.php';

// Closures, not named functions: the file can then be included more than once in one process
// (WordPress includes it once; a test suite may include it again) without a redeclaration error.

/** Removes Keysmith's tables, options and scheduled events from the current site. */
$keysmith_uninstall_site = static function (): void {
	\Keysmith\Store\ExpiryCron::unschedule();
	\Keysmith\Store\Schema::drop();
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
