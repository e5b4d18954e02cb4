<?php
/**
 * Object-cache entries for key rows, group `keysmith_keys`, used by the auth path to avoid a DB
 * lookup per request. Only active with a persistent object cache (wp_using_ext_object_cache()):
 * without one, WordPress's per-request cache would buy nothing.
 *
 * Entries are addressed by the stored consumer_key hash ("hash:<64 hex>") and by key id
 * ("id:<n>"). The store forgets both on every change (create, update, rotate, revoke, expiry,
 * user deletion), on every server at once because the cache is shared. Callers must never put the
 * consumer secret in the cache: secrets live only in WooCommerce's column.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

final class KeyCache {

	public const GROUP = 'keysmith_keys';

	/** Seconds an entry lives even if nothing invalidates it (defence against a lost delete). */
	public const TTL = 300;

	public static function enabled(): bool {
		return (bool) wp_using_ext_object_cache(); // Returns null before the cache is set up.
	}

	/**
	 * @return array<string, mixed>|false The cached value, or false on a miss (or cache disabled).
	 */
	public static function get_by_hash( string $key_hash ): array|false {
		if ( ! self::enabled() ) {
			return false;
		}
		$value = wp_cache_get( 'hash:' . $key_hash, self::GROUP );
		return is_array( $value ) ? $value : false;
	}

	/** @param array<string, mixed> $value Must not contain consumer_secret. */
	public static function set_by_hash( string $key_hash, array $value ): void {
		if ( self::enabled() ) {
			unset( $value['consumer_secret'] );
			wp_cache_set( 'hash:' . $key_hash, $value, self::GROUP, self::TTL );
		}
	}

	/** @return array<string, mixed>|false */
	public static function get_by_id( int $key_id ): array|false {
		if ( ! self::enabled() ) {
			return false;
		}
		$value = wp_cache_get( 'id:' . $key_id, self::GROUP );
		return is_array( $value ) ? $value : false;
	}

	/** @param array<string, mixed> $value Must not contain consumer_secret. */
	public static function set_by_id( int $key_id, array $value ): void {
		if ( self::enabled() ) {
			unset( $value['consumer_secret'] );
			wp_cache_set( 'id:' . $key_id, $value, self::GROUP, self::TTL );
		}
	}

	/** @param list<int> $key_ids */
	public static function forget_key_ids( array $key_ids ): void {
		if ( self::enabled() ) {
			foreach ( $key_ids as $key_id ) {
				wp_cache_delete( 'id:' . (int) $key_id, self::GROUP );
			}
		}
	}

	/** @param list<string> $key_hashes Stored consumer_key hashes. */
	public static function forget_hashes( array $key_hashes ): void {
		if ( self::enabled() ) {
			foreach ( $key_hashes as $key_hash ) {
				wp_cache_delete( 'hash:' . $key_hash, self::GROUP );
			}
		}
	}

	/**
	 * Forgets both entries of each row.
	 *
	 * @param iterable<array{key_id:int|string, consumer_key:string}|object> $rows Rows of WooCommerce's table.
	 */
	public static function forget_rows( iterable $rows ): void {
		$ids    = array();
		$hashes = array();
		foreach ( $rows as $row ) {
			$row      = (array) $row;
			$ids[]    = (int) $row['key_id'];
			$hashes[] = (string) $row['consumer_key'];
		}
		self::forget_key_ids( $ids );
		self::forget_hashes( $hashes );
	}
}
