<?php
/**
 * What both watchers share: WooCommerce writes keys with plain SQL and fires nothing, so a watcher
 * notes the state it needs early in the request, before WooCommerce's handler runs, and settles at
 * `shutdown`, which WordPress runs for every request that got this far, including those WooCommerce
 * ends with exit, wp_die() or a redirect (docs/woocommerce-compatibility.md §11).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\WooCommerce;

use Keysmith\Store\Schema;

final class RequestWatch {

	/** Runs $settle once, at shutdown, before other shutdown work (priority 1). */
	public static function at_shutdown( callable $settle ): void {
		add_action( 'shutdown', $settle, 1 );
	}

	/** The highest key id now: keys made later in the request have higher ids (auto-increment). */
	public static function highest_key_id(): int {
		global $wpdb;
		return (int) $wpdb->get_var( 'SELECT MAX(key_id) FROM ' . Schema::wc_table() ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- no values.
	}

	/**
	 * The first key made after $after_id that matches $where (prepared SQL on alias k) and has no
	 * Keysmith record yet: the key this request made.
	 */
	public static function new_key( int $after_id, string $where ): ?int {
		global $wpdb;
		$sql = $wpdb->prepare( 'SELECT k.key_id FROM ' . Schema::wc_table() . ' k LEFT JOIN ' . Schema::meta_table() . ' m ON m.key_id = k.key_id WHERE k.key_id > %d AND (m.key_id IS NULL OR m.source IS NULL) AND ', $after_id ) . $where . ' ORDER BY k.key_id LIMIT 1'; // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
		$id  = $wpdb->get_var( $sql ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- prepared above.
		return null === $id ? null : (int) $id;
	}
}
