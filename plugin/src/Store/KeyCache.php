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
 * Forgetting is not deleting. A request that read a key row from the database a moment before a
 * change committed stores that row a moment after: had the change merely deleted the entry, the
 * old row (a revoked key, its old permissions or owner) would then be served until the TTL ends.
 * So forgetting a row leaves a marker for FORGOTTEN_TTL seconds, and rows are stored only where
 * no entry exists (wp_cache_add): a late writer finds the marker and stores nothing, or stored
 * before the marker and is overwritten by it. The same holds when the forget comes first and the
 * change a moment later (WooCommerce's own screen, which Keysmith hears of before it writes).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

final class KeyCache {

	public const GROUP = 'keysmith_keys';

	/** Seconds an entry lives even if nothing invalidates it (defence against a lost delete). */
	public const TTL = 300;

	/**
	 * Seconds a forgotten row stays marked so (no request stores it meanwhile): far longer than a
	 * request takes from its database read to its cache write, short enough that the row is
	 * cached again soon after.
	 */
	public const FORGOTTEN_TTL = 5;

	/** The marker of a forgotten row (not an array, so never taken for a row). */
	private const FORGOTTEN = 'forgotten';

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

	/**
	 * Stores a row read from the database, unless an entry exists: a valid row (same data) or a
	 * forgotten row's marker, which must win over a row read before the change (see above).
	 *
	 * @param array<string, mixed> $value Must not contain consumer_secret.
	 */
	public static function set_by_id( int $key_id, array $value ): void {
		if ( self::enabled() ) {
			unset( $value['consumer_secret'] );
			wp_cache_add( 'id:' . $key_id, $value, self::GROUP, self::TTL );
		}
	}

	/**
	 * Forgets rows: each entry becomes the FORGOTTEN marker for FORGOTTEN_TTL seconds, so no
	 * request stores the row meanwhile (see above); the next request reads the database.
	 *
	 * @param list<int> $key_ids
	 */
	public static function forget_key_ids( array $key_ids ): void {
		if ( self::enabled() && array() !== $key_ids ) {
			$entries = array();
			foreach ( $key_ids as $key_id ) {
				$entries[ 'id:' . (int) $key_id ] = self::FORGOTTEN;
			}
			wp_cache_set_multiple( $entries, self::GROUP, self::FORGOTTEN_TTL );
		}
	}

	/**
	 * Forgets every row, on every server: for when keys may have changed with nobody to tell the
	 * cache (Keysmith's activation: WooCommerce's screen may have revoked keys while Keysmith was
	 * inactive). A cache that cannot flush one group is flushed whole; this is rare.
	 */
	public static function forget_all(): void {
		if ( ! self::enabled() ) {
			return;
		}
		if ( wp_cache_supports( 'flush_group' ) ) {
			wp_cache_flush_group( self::GROUP );
		} else {
			wp_cache_flush();
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
