<?php
/**
 * OAuth nonces, each accepted exactly once per key within its window, across processes and
 * servers sharing the database; the cost of accepting one does not grow with traffic.
 *
 * One row per accepted nonce in Keysmith's table (primary key key_id + nonce, as raw bytes), kept
 * until the request's timestamp leaves WooCommerce's ±900 s window. Accepting is one atomic
 * INSERT IGNORE on that key: of any number of concurrent requests with one nonce, the unique index
 * lets exactly one insert. Its size is bounded (a nonce is at most 255 printable ASCII bytes, see
 * is_acceptable()), and the work does not depend on how many nonces the key has used.
 *
 * WooCommerce keeps a key's nonces in its own `nonces` column instead, a PHP-serialized map that
 * every OAuth request reads, rewrites and compares whole, without a lock; Keysmith no longer
 * reads or writes that column on the request path. So that no replay window opens when one of the
 * two takes over from the other, the live nonces are copied across: into Keysmith's table when
 * its authentication path starts (activation, schema upgrade, the setting switched on), and into
 * WooCommerce's column when it stops (deactivation, the setting switched off). Switching the
 * path off per request with the `keysmith_auth_enabled` filter copies nothing (documented in the
 * README: nonces accepted by the other judge in the last 15 minutes could then be replayed once).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Auth;

use Keysmith\Store\Schema;

final class NonceStore {

	/** WooCommerce's window: a timestamp is valid within this many seconds of now. */
	public const WINDOW = 900;

	/** The longest nonce Keysmith accepts (WooCommerce accepts any size; see is_acceptable()). */
	public const MAX_LENGTH = 255;

	/**
	 * One accepted request in about this many also deletes up to PRUNE_LIMIT stale rows, so the
	 * table holds about (request rate × window) rows whether or not WP-Cron runs; the hourly job
	 * (ExpiryCron) sweeps the rest.
	 */
	public const PRUNE_ONE_IN = 100;
	public const PRUNE_LIMIT  = 1000;

	public const ACCEPTED = 'accepted';
	public const REPLAYED = 'replayed';

	/**
	 * Whether Keysmith accepts this value as a nonce at all: a string of 1 to 255 printable ASCII
	 * characters (0x20-0x7E). Clients send short random tokens; WooCommerce would store anything,
	 * a megabyte or an array included, and rewrite it on every later request.
	 */
	public static function is_acceptable( mixed $nonce ): bool {
		return is_string( $nonce )
			&& '' !== $nonce
			&& strlen( $nonce ) <= self::MAX_LENGTH
			&& 1 === preg_match( '/\A[\x20-\x7E]+\z/', $nonce );
	}

	/**
	 * Records the nonce for the key unless it is live already.
	 *
	 * @param int    $key_id    Key row.
	 * @param int    $timestamp oauth_timestamp, already checked to be inside the window.
	 * @param string $nonce     oauth_nonce, already checked with is_acceptable().
	 * @param int    $now       The request's time.
	 * @return string ACCEPTED or REPLAYED.
	 * @throws AuthUnavailable When the store cannot answer: the request is then refused, never
	 *                         checked more weakly.
	 */
	public static function claim( int $key_id, int $timestamp, string $nonce, int $now ): string {
		global $wpdb;
		$valid_until = $timestamp + self::WINDOW;
		$inserted    = self::write(
			$wpdb->prepare( 'INSERT IGNORE INTO ' . Schema::nonce_table() . ' (key_id, nonce, valid_until) VALUES (%d, %s, %d)', $key_id, $nonce, $valid_until ) // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- table name is ours.
		);
		if ( 1 === $inserted ) {
			self::maybe_prune( $now );
			return self::ACCEPTED;
		}
		// The pair exists: a replay, unless its window has passed and the row is just not pruned
		// yet; then the nonce is free again, as in WooCommerce. Read first (a replay writes
		// nothing more); the conditional update makes taking a stale row over atomic, so of several
		// concurrent requests exactly one changes it.
		$existing = $wpdb->get_var( $wpdb->prepare( 'SELECT valid_until FROM ' . Schema::nonce_table() . ' WHERE key_id = %d AND nonce = %s', $key_id, $nonce ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared, WordPress.DB.DirectDatabaseQuery -- table name is ours.
		if ( '' !== $wpdb->last_error ) {
			throw new AuthUnavailable( 'nonce store' );
		}
		if ( null !== $existing && (int) $existing >= $now ) {
			return self::REPLAYED;
		}
		$renewed = self::write(
			$wpdb->prepare( 'UPDATE ' . Schema::nonce_table() . ' SET valid_until = %d WHERE key_id = %d AND nonce = %s AND valid_until < %d', $valid_until, $key_id, $nonce, $now ) // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- table name is ours.
		);
		return 1 === $renewed ? self::ACCEPTED : self::REPLAYED;
	}

	/**
	 * Deletes up to $limit rows whose window has passed, oldest first. Bounded work.
	 *
	 * @return int Rows deleted.
	 * @throws AuthUnavailable On a database error.
	 */
	public static function prune( int $now, int $limit = self::PRUNE_LIMIT ): int {
		global $wpdb;
		return self::write(
			$wpdb->prepare( 'DELETE FROM ' . Schema::nonce_table() . ' WHERE valid_until < %d ORDER BY valid_until LIMIT %d', $now, $limit ) // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- table name is ours.
		);
	}

	/** Deletes every stale row, in bounded chunks (the hourly job). */
	public static function prune_all( int $now ): int {
		$total = 0;
		do {
			$deleted = self::prune( $now );
			$total  += $deleted;
		} while ( self::PRUNE_LIMIT === $deleted );
		return $total;
	}

	/**
	 * Copies the nonces WooCommerce accepted within the window (its `nonces` column) into
	 * Keysmith's table, so none of them can be replayed once Keysmith judges. Reads only keys
	 * whose column is set; objects in the column are never instantiated.
	 *
	 * @return int Nonces copied.
	 */
	public static function take_over_from_woocommerce( int $now ): int {
		global $wpdb;
		$copied = 0;
		$last   = 0;
		do {
			$rows = $wpdb->get_results( $wpdb->prepare( 'SELECT key_id, nonces FROM ' . Schema::wc_table() . ' WHERE key_id > %d AND nonces IS NOT NULL ORDER BY key_id LIMIT 500', $last ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared, WordPress.DB.DirectDatabaseQuery -- table name is ours.
			foreach ( $rows as $row ) {
				$last = (int) $row->key_id;
				foreach ( self::woocommerce_map( (string) $row->nonces ) as $timestamp => $nonce ) {
					if ( self::is_acceptable( $nonce ) && (int) $timestamp >= $now - self::WINDOW ) {
						$copied += self::write(
							$wpdb->prepare( 'INSERT IGNORE INTO ' . Schema::nonce_table() . ' (key_id, nonce, valid_until) VALUES (%d, %s, %d)', $last, $nonce, (int) $timestamp + self::WINDOW ) // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- table name is ours.
						);
					}
				}
			}
		} while ( count( $rows ) === 500 );
		return $copied;
	}

	/**
	 * Merges Keysmith's live nonces into WooCommerce's `nonces` column of each key, in
	 * WooCommerce's format (a serialized map from timestamp to nonce; several nonces of one second
	 * as "<timestamp>.<n>", numeric strings WooCommerce's own pruning compares correctly), so
	 * WooCommerce alone refuses their replays. Bounded: only rows still inside the window.
	 *
	 * @return int Nonces handed over.
	 */
	public static function hand_over_to_woocommerce( int $now ): int {
		global $wpdb;
		$rows = $wpdb->get_results( $wpdb->prepare( 'SELECT key_id, nonce, valid_until FROM ' . Schema::nonce_table() . ' WHERE valid_until >= %d ORDER BY key_id, valid_until', $now ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared, WordPress.DB.DirectDatabaseQuery -- table name is ours.
		$by_key = array();
		foreach ( $rows as $row ) {
			$by_key[ (int) $row->key_id ][] = array( (int) $row->valid_until - self::WINDOW, (string) $row->nonce );
		}
		$handed = 0;
		foreach ( $by_key as $key_id => $live ) {
			$stored = $wpdb->get_var( $wpdb->prepare( 'SELECT nonces FROM ' . Schema::wc_table() . ' WHERE key_id = %d', $key_id ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared, WordPress.DB.DirectDatabaseQuery -- table name is ours.
			$map    = array();
			foreach ( self::woocommerce_map( (string) $stored ) as $timestamp => $nonce ) {
				// Keep WooCommerce's own live entries; its pruning test, on its own keys.
				if ( $timestamp >= $now - self::WINDOW ) {
					$map[ $timestamp ] = $nonce;
				}
			}
			foreach ( $live as list( $timestamp, $nonce ) ) {
				if ( in_array( $nonce, $map, true ) ) {
					continue;
				}
				$slot = (string) $timestamp;
				for ( $n = 0; isset( $map[ $slot ] ); $n++ ) {
					$slot = $timestamp . '.' . $n;
				}
				$map[ $slot ] = $nonce;
				++$handed;
			}
			$wpdb->update( Schema::wc_table(), array( 'nonces' => serialize( $map ) ), array( 'key_id' => $key_id ), array( '%s' ), array( '%d' ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.serialize_serialize, WordPress.DB.DirectDatabaseQuery -- WooCommerce's storage format.
		}
		return $handed;
	}

	/** Nonces of one key recorded in Keysmith's table (diagnostics and tests). */
	public static function count_for_key( int $key_id ): int {
		global $wpdb;
		return (int) $wpdb->get_var( $wpdb->prepare( 'SELECT COUNT(*) FROM ' . Schema::nonce_table() . ' WHERE key_id = %d', $key_id ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared, WordPress.DB.DirectDatabaseQuery -- table name is ours.
	}

	/** One request in PRUNE_ONE_IN also deletes a bounded batch of stale rows. */
	private static function maybe_prune( int $now ): void {
		/**
		 * Filters how many accepted OAuth requests, on average, share one pruning of Keysmith's
		 * nonce table (1 = every request).
		 *
		 * @param int $one_in Default NonceStore::PRUNE_ONE_IN.
		 */
		$one_in = max( 1, (int) apply_filters( 'keysmith_nonce_prune_one_in', self::PRUNE_ONE_IN ) );
		if ( 1 === $one_in || 1 === random_int( 1, $one_in ) ) {
			self::prune( $now );
		}
	}

	/**
	 * Runs one write statement; errors are never left to a weaker check.
	 *
	 * @throws AuthUnavailable On a database error.
	 */
	private static function write( string $sql ): int {
		global $wpdb;
		$result = $wpdb->query( $sql ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared, WordPress.DB.DirectDatabaseQuery -- prepared by the callers.
		if ( false === $result ) {
			throw new AuthUnavailable( 'nonce store' );
		}
		return (int) $result;
	}

	/**
	 * WooCommerce's `nonces` column as a map; anything that is not a serialized array of scalars
	 * (garbage, objects) counts as empty.
	 *
	 * @return array<int|string, mixed>
	 */
	private static function woocommerce_map( string $stored ): array {
		$stored = trim( $stored );
		if ( '' === $stored || ! is_serialized( $stored ) ) {
			return array();
		}
		$map = unserialize( $stored, array( 'allowed_classes' => false ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.serialize_unserialize -- WooCommerce's storage format; classes disallowed.
		return is_array( $map ) ? $map : array();
	}
}
