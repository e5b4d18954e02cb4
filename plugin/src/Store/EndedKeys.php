<?php
/**
 * Keys that no longer exist, remembered for 90 days by the hash WooCommerce stored for them: which
 * key it was (id, last 7 characters, owner), when and why it ended (revoke, expire, rotate,
 * user_deleted). WooCommerce deletes a revoked key's row, so without this a forgotten integration
 * still polling with it looks like anyone trying a random key; with it, the failures count against
 * that key (Auth\Throttle) and the admin screens can say "revoked key …a1b2c3d is still in use".
 * Only the hash is kept, as WooCommerce keeps it: it cannot be turned back into the key.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

final class EndedKeys {

	/** How long an ended key is remembered. */
	public const KEEP_DAYS = 90;

	/**
	 * Copies the rows about to be deleted (inside the deleting transaction), server-side.
	 *
	 * @param list<int|string> $ids
	 * @param string           $why The audit action ending them.
	 */
	public static function remember( array $ids, string $why ): void {
		global $wpdb;
		$select = $wpdb->prepare( 'INSERT INTO ' . Schema::ended_table() . ' (consumer_key, key_id, truncated_key, user_id, ended_at, ended_by) SELECT consumer_key, key_id, truncated_key, user_id, %s, %s FROM ' . Schema::wc_table(), Dates::now_utc(), $why ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- table names are ours.
		Transaction::query( KeyQuery::where_ids( $select, $ids ) . ' ON DUPLICATE KEY UPDATE key_id = VALUES(key_id), truncated_key = VALUES(truncated_key), user_id = VALUES(user_id), ended_at = VALUES(ended_at), ended_by = VALUES(ended_by)' );
	}

	/**
	 * Remembers keys that are gone already: WooCommerce's own screen deletes keys without a hook,
	 * so their rows are the ones noted before (Reconciler::snapshot()). Inside the caller's
	 * transaction.
	 *
	 * @param list<array{key_id:int|string, user_id:int|string, truncated_key:string, consumer_key:string}> $rows
	 * @param string $why The audit action ending them.
	 */
	public static function remember_rows( array $rows, string $why ): void {
		global $wpdb;
		if ( array() === $rows ) {
			return;
		}
		$now    = Dates::now_utc();
		$values = array_map( static fn( array $row ): string => $wpdb->prepare( '(%s,%d,%s,%d,%s,%s)', $row['consumer_key'], $row['key_id'], $row['truncated_key'], $row['user_id'], $now, $why ), $rows );
		Transaction::query( 'INSERT INTO ' . Schema::ended_table() . ' (consumer_key, key_id, truncated_key, user_id, ended_at, ended_by) VALUES ' . implode( ',', $values ) . ' ON DUPLICATE KEY UPDATE key_id = VALUES(key_id), truncated_key = VALUES(truncated_key), user_id = VALUES(user_id), ended_at = VALUES(ended_at), ended_by = VALUES(ended_by)' );
	}

	/**
	 * The ended key a stored hash belonged to, or null.
	 *
	 * @return array{key_id: int, truncated_key: string, user_id: int, ended_at: string, ended_by: string}|null
	 */
	public static function find( string $key_hash ): ?array {
		global $wpdb;
		$row = $wpdb->get_row( $wpdb->prepare( 'SELECT key_id, truncated_key, user_id, ended_at, ended_by FROM ' . Schema::ended_table() . ' WHERE consumer_key = %s', $key_hash ), ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared, WordPress.DB.DirectDatabaseQuery -- table name is ours.
		if ( ! is_array( $row ) ) {
			return null;
		}
		return array(
			'key_id'        => (int) $row['key_id'],
			'truncated_key' => (string) $row['truncated_key'],
			'user_id'       => (int) $row['user_id'],
			'ended_at'      => (string) $row['ended_at'],
			'ended_by'      => (string) $row['ended_by'],
		);
	}

	/** Forgets keys that ended more than KEEP_DAYS ago (the hourly job). */
	public static function prune(): int {
		global $wpdb;
		return (int) $wpdb->query( $wpdb->prepare( 'DELETE FROM ' . Schema::ended_table() . ' WHERE ended_at < %s', Dates::now_utc( time() - self::KEEP_DAYS * DAY_IN_SECONDS ) ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared, WordPress.DB.DirectDatabaseQuery -- table name is ours.
	}
}
