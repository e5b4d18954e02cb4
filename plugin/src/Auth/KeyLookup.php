<?php
/**
 * Finds the key row for a presented consumer key, as WooCommerce's get_user_data_by_consumer_key()
 * does (sanitize_text_field, then the HMAC-SHA256 hash, then an indexed lookup), joined with
 * Keysmith's metadata in the same query.
 *
 * With a persistent object cache, Basic authentication reads rows from group `keysmith_keys`
 * (entries "hash:<hash>" -> key id and "id:<key id>" -> row, see Store\KeyCache). Every change made
 * through Keysmith forgets "id:<key id>", which alone invalidates the row. OAuth always reads the
 * database: it needs the secret itself (or its sealed form).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Auth;

use Keysmith\Store\KeyCache;
use Keysmith\Store\Schema;

final class KeyLookup {

	/** Database lookup (one query). Throws AuthUnavailable on a database error. */
	public static function from_db( string $hash ): ?KeyRow {
		global $wpdb;
		// The failure counter of this client for this key comes with the row (Throttle).
		$sql = 'SELECT k.key_id, k.user_id, k.permissions, k.consumer_key, k.consumer_secret, k.last_access, m.expires_at, m.last_ip, m.sealed_secret, m.sealed_with, f.window_start, f.window_failures'
			. ' FROM ' . Schema::wc_table() . ' k LEFT JOIN ' . Schema::meta_table() . ' m ON m.key_id = k.key_id'
			. ' LEFT JOIN ' . Schema::failure_table() . ' f ON f.key_id = k.key_id AND f.address = %s'
			. ' WHERE k.consumer_key = %s';
		$row = $wpdb->get_row( $wpdb->prepare( $sql, Throttle::address(), $hash ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared, WordPress.DB.DirectDatabaseQuery -- table names are ours; hot path, cached above.
		if ( '' !== $wpdb->last_error ) {
			throw new AuthUnavailable( 'key lookup' );
		}
		if ( ! is_object( $row ) ) {
			return null;
		}
		$key = KeyRow::from_db( $row );
		self::remember( $key );
		return $key;
	}

	/** Cache first (when a persistent cache exists), then the database. */
	public static function cached_or_db( string $hash ): ?KeyRow {
		$cached = self::from_cache( $hash );
		return $cached ?? self::from_db( $hash );
	}

	/** Drops a row's cache entries (after Keysmith itself changed it, e.g. its last IP). */
	public static function forget( KeyRow $key ): void {
		KeyCache::forget_key_ids( array( $key->key_id ) );
	}

	/**
	 * Whether cached rows can be used: a persistent cache, and a salt for the secret's keyed hash
	 * (KeyRow::verifier(); for an early decision only when wp-config.php defines the auth salt).
	 */
	private static function cache_usable(): bool {
		return KeyCache::enabled() && KeyRow::verifier_available();
	}

	private static function from_cache( string $hash ): ?KeyRow {
		if ( ! self::cache_usable() ) {
			return null;
		}
		$pointer = KeyCache::get_by_hash( $hash );
		if ( false === $pointer || ! isset( $pointer['key_id'] ) ) {
			return null;
		}
		$entry = KeyCache::get_by_id( (int) $pointer['key_id'] );
		if ( false === $entry ) {
			return null;
		}
		$key = KeyRow::from_cache( $entry );
		// A pointer left over from another key (hash reused after delete) must not match.
		return null !== $key && hash_equals( $key->consumer_key, $hash ) ? $key : null;
	}

	private static function remember( KeyRow $key ): void {
		if ( ! self::cache_usable() ) {
			return;
		}
		KeyCache::set_by_id( $key->key_id, $key->to_cache() );
		KeyCache::set_by_hash( $key->consumer_key, array( 'key_id' => $key->key_id ) );
	}
}
