<?php
/**
 * Keysmith's per-key metadata row ({prefix}keysmith_key_meta), for callers outside the bulk
 * service (the auth path records the last client IP here).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

final class KeyMeta {

	/**
	 * @return array{key_id:int, created_at:?string, created_by:int, expires_at:?string, last_ip:?string, rotated_from:?int}|null
	 */
	public static function get( int $key_id ): ?array {
		global $wpdb;
		$row = $wpdb->get_row( $wpdb->prepare( 'SELECT * FROM ' . Schema::meta_table() . ' WHERE key_id = %d', $key_id ), ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
		if ( ! is_array( $row ) ) {
			return null;
		}
		return array(
			'key_id'       => (int) $row['key_id'],
			'created_at'   => $row['created_at'] ?: null,
			'created_by'   => (int) $row['created_by'],
			'expires_at'   => $row['expires_at'] ?: null,
			'last_ip'      => $row['last_ip'] ?: null,
			'rotated_from' => null === $row['rotated_from'] ? null : (int) $row['rotated_from'],
		);
	}

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
