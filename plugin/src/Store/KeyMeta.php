<?php
/**
 * Keysmith's per-key metadata row ({prefix}keysmith_key_meta), for callers outside KeyService:
 * the auth path records the last client IP here.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

final class KeyMeta {

	/**
	 * Records the client IP of an authenticated request. One statement (upsert), so concurrent
	 * requests on several servers need no lock; keys WooCommerce made get a row with created_at NULL.
	 */
	public static function record_access( int $key_id, string $ip ): bool {
		global $wpdb;
		$ip = substr( $ip, 0, 45 );
		$sql = 'INSERT INTO ' . Schema::meta_table() . ' (key_id, last_ip) VALUES (%d, %s) ON DUPLICATE KEY UPDATE last_ip = VALUES(last_ip)';
		return false !== $wpdb->query( $wpdb->prepare( $sql, $key_id, $ip ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
	}
}
