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

/** Removes Keysmith's data from the current site. */
function keysmith_uninstall_site(): void {
	\Keysmith\Store\ExpiryCron::unschedule();
	\Keysmith\Store\Schema::drop();
}

if ( is_multisite() ) {
	foreach ( get_sites( array( 'fields' => 'ids', 'number' => 0 ) ) as $keysmith_site_id ) {
		switch_to_blog( (int) $keysmith_site_id );
		keysmith_uninstall_site();
		restore_current_blog();
	}
} else {
	keysmith_uninstall_site();
}
