<?php
/**
 * OAuth nonces, accepted exactly once across processes and servers sharing the database.
 *
 * The store stays WooCommerce's own `nonces` column (a PHP-serialized map), so WooCommerce can
 * read it if Keysmith is switched off. Two things differ from WooCommerce (wc-contract.md §3.5):
 *
 * - Entries are keyed "<timestamp>.<n>" (numeric strings, compared numerically by WooCommerce's
 *   own pruning), so two nonces in the same second no longer overwrite each other.
 * - The map is written with a compare-and-swap UPDATE (`WHERE nonces = <what we read>`,
 *   byte-wise); if it lost a race, again under a row lock (SELECT ... FOR UPDATE): of any number
 *   of concurrent requests with one nonce, exactly one commits; WooCommerce's read-modify-write
 *   lets several through.
 *
 * The same UPDATE can also set last_access, so an OAuth request costs one write in steady state.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Auth;

use Keysmith\Store\Schema;

final class NonceLedger {

	public const WINDOW = 900;

	public const ACCEPTED = 'accepted';
	public const REPLAYED = 'replayed';
	public const GONE     = 'gone';

	/**
	 * Records the nonce unless it was seen within the window.
	 *
	 * @param int         $key_id      Key row.
	 * @param string|null $stored      The `nonces` column as read with the key row.
	 * @param string      $timestamp   oauth_timestamp as sent (already inside the window).
	 * @param string      $nonce       oauth_nonce as sent.
	 * @param string|null $last_access Site-local time to store in the same UPDATE, or null.
	 * @return string ACCEPTED, REPLAYED, or GONE (the key was deleted meanwhile).
	 */
	public static function claim( int $key_id, ?string $stored, string $timestamp, string $nonce, ?string $last_access, int $now ): string {
		// Optimistic first: uncontended, this single UPDATE is the request's only write. If another
		// request changed the map since we read it, retrying would re-send the whole map only to
		// risk losing again; the row lock makes the losers wait once, then accept or see the replay.
		$next = self::next_value( $stored, $timestamp, $nonce, $now );
		if ( null === $next ) {
			return self::REPLAYED;
		}
		if ( self::compare_and_swap( $key_id, $stored, $next, $last_access ) ) {
			return self::ACCEPTED;
		}
		return self::claim_locked( $key_id, $timestamp, $nonce, $last_access, $now );
	}

	/**
	 * The serialized map with the nonce added and stale entries pruned; null if already used.
	 * Throws CannotDecide when the column holds something that is not a map.
	 */
	public static function next_value( ?string $stored, string $timestamp, string $nonce, int $now ): ?string {
		$map = self::decode( $stored );
		if ( empty( $map ) ) {
			$map = array();
		}
		if ( ! is_array( $map ) ) {
			throw new CannotDecide( 'nonces column is not a map' );
		}
		if ( in_array( $nonce, $map, true ) ) {
			return null;
		}
		$map[ self::entry_key( $map, $timestamp, $now ) ] = $nonce;
		foreach ( array_keys( $map ) as $entry ) {
			// Loose comparison on purpose: the same test WooCommerce applies to this map.
			if ( $entry < ( $now - self::WINDOW ) ) {
				unset( $map[ $entry ] );
			}
		}
		return maybe_serialize( $map );
	}

	/**
	 * "<t>.<n>": t is the time until which the timestamp stays acceptable minus the window (the
	 * timestamp itself, rounded up; or now + window for a timestamp WooCommerce only accepted
	 * through a string comparison), n the first free counter for t.
	 *
	 * @param array<int|string, mixed> $map
	 */
	private static function entry_key( array $map, string $timestamp, int $now ): string {
		$base = is_numeric( $timestamp ) ? (int) ceil( (float) $timestamp ) : $now + self::WINDOW;
		$n    = 0;
		while ( isset( $map[ $base . '.' . $n ] ) ) {
			++$n;
		}
		return $base . '.' . $n;
	}

	/**
	 * WooCommerce reads the column with maybe_unserialize(); objects are refused here (a map of
	 * strings is all that belongs there) so a tampered column cannot instantiate classes.
	 */
	private static function decode( ?string $stored ): mixed {
		if ( null === $stored || '' === trim( $stored ) ) {
			return array();
		}
		if ( ! is_serialized( $stored ) ) {
			return $stored;
		}
		return unserialize( trim( $stored ), array( 'allowed_classes' => false ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.serialize_unserialize -- WooCommerce's storage format; classes disallowed.
	}

	private static function compare_and_swap( int $key_id, ?string $expected, string $next, ?string $last_access ): bool {
		global $wpdb;
		$set   = null === $last_access ? 'nonces = %s' : 'nonces = %s, last_access = %s';
		$where = null === $expected ? 'nonces IS NULL' : 'nonces = BINARY %s';
		$args  = array_merge(
			array( $next ),
			null === $last_access ? array() : array( $last_access ),
			array( $key_id ),
			null === $expected ? array() : array( $expected )
		);
		$sql    = 'UPDATE ' . Schema::wc_table() . " SET $set WHERE key_id = %d AND $where";
		$result = $wpdb->query( $wpdb->prepare( $sql, $args ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared, WordPress.DB.DirectDatabaseQuery -- built from constants above.
		if ( false === $result ) {
			throw new CannotDecide( 'nonce update failed' );
		}
		return 1 === $result;
	}

	private static function write( int $key_id, string $next, ?string $last_access ): void {
		global $wpdb;
		$data = null === $last_access ? array( 'nonces' => $next ) : array(
			'nonces'      => $next,
			'last_access' => $last_access,
		);
		if ( false === $wpdb->update( Schema::wc_table(), $data, array( 'key_id' => $key_id ), '%s', '%d' ) ) { // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			throw new CannotDecide( 'nonce update failed' );
		}
	}

	/** @return string|null|false The column (null if NULL), or false if the row is gone. */
	private static function read( int $key_id, bool $for_update = false ): string|null|false {
		global $wpdb;
		$sql = 'SELECT key_id, nonces FROM ' . Schema::wc_table() . ' WHERE key_id = %d' . ( $for_update ? ' FOR UPDATE' : '' );
		$row = $wpdb->get_row( $wpdb->prepare( $sql, $key_id ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared, WordPress.DB.DirectDatabaseQuery
		if ( '' !== $wpdb->last_error ) {
			throw new CannotDecide( 'nonce read failed' );
		}
		return is_object( $row ) ? $row->nonces : false;
	}

	/** Last resort under heavy contention: serialize the writers on the row lock. */
	private static function claim_locked( int $key_id, string $timestamp, string $nonce, ?string $last_access, int $now ): string {
		global $wpdb;
		$wpdb->query( 'START TRANSACTION' ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		try {
			$stored = self::read( $key_id, true );
			if ( false === $stored ) {
				$wpdb->query( 'ROLLBACK' ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
				return self::GONE;
			}
			$next = self::next_value( $stored, $timestamp, $nonce, $now );
			if ( null === $next ) {
				$wpdb->query( 'ROLLBACK' ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
				return self::REPLAYED;
			}
			// Every writer of the row (WooCommerce's too) waits for our lock: a plain UPDATE is safe.
			self::write( $key_id, $next, $last_access );
			$wpdb->query( 'COMMIT' ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			return self::ACCEPTED;
		} catch ( \Throwable $e ) {
			// Never leave the connection inside a transaction: later writes would be lost.
			$wpdb->query( 'ROLLBACK' ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			throw $e;
		}
	}
}
