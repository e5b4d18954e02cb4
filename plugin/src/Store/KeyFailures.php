<?php
/**
 * What the admin screens show of failed authentications (written by Auth\Throttle, one row per
 * client address and key): per key, the failures of the last 24 hours, the last failure, its
 * reason and address; the keys that ended (revoked, expired, rotated out) but are still being
 * tried, a forgotten integration; and the addresses trying keys nobody knows.
 *
 * Failures are counted per (address, key) in day windows: a window starts at a failure and
 * counts the failures of the 24 hours from there (Auth\Throttle). "In the last 24 hours" means
 * the windows with a failure in the last 24 hours, so a key refused a minute ago always counts
 * at least that failure, and failing() and failures_24h agree; the count may include failures
 * up to 48 hours old, never fewer than the last 24 hours had. Never holds a secret, a signature
 * or a nonce.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

use Keysmith\Keys\Expiry;

final class KeyFailures {

	private const DAY = 86400;

	/**
	 * Figures for the given keys (keys without failures are left out).
	 *
	 * @param list<int> $key_ids
	 * @return array<int, array{failures_24h: int, last_failure: string, last_failure_ip: string, last_reason: string}>
	 */
	public static function for_keys( array $key_ids, ?int $now = null ): array {
		global $wpdb;
		$key_ids = array_values( array_filter( array_map( 'intval', $key_ids ) ) );
		if ( array() === $key_ids ) {
			return array();
		}
		$since = ( $now ?? time() ) - self::DAY;
		$rows  = $wpdb->get_results(
			$wpdb->prepare(
				'SELECT key_id, address, day_failures, last_failure_at, last_reason FROM ' . Schema::failure_table() // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- table name is ours.
				. ' WHERE key_id IN (' . implode( ',', array_fill( 0, count( $key_ids ), '%d' ) ) . ') AND last_failure_at > %d ORDER BY last_failure_at',
				array_merge( $key_ids, array( $since ) )
			),
			ARRAY_A
		);
		$figures = array();
		foreach ( $rows as $row ) {
			$id                = (int) $row['key_id'];
			$figures[ $id ]  ??= array(
				'failures_24h'    => 0,
				'last_failure'    => '',
				'last_failure_ip' => '',
				'last_reason'     => '',
			);
			$figures[ $id ]['failures_24h'] += (int) $row['day_failures'];
			// Rows come oldest first: the last one holds the latest failure.
			$figures[ $id ]['last_failure']    = gmdate( Dates::FORMAT, (int) $row['last_failure_at'] );
			$figures[ $id ]['last_failure_ip'] = (string) $row['address'];
			$figures[ $id ]['last_reason']     = (string) $row['last_reason'];
		}
		return $figures;
	}

	/** SQL condition, prepared: the key (alias k) was refused in the last 24 hours. */
	public static function sql_failing( int $now ): string {
		global $wpdb;
		return $wpdb->prepare( 'EXISTS (SELECT 1 FROM ' . Schema::failure_table() . ' f WHERE f.key_id = k.key_id AND f.last_failure_at > %d AND f.day_failures > 0)', $now - self::DAY ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- table name is ours.
	}

	/**
	 * Keys that ended (Store\EndedKeys) and were still tried in the last 24 hours, most tried first.
	 *
	 * @return list<array{key_id: int, truncated_key: string, user_id: int, ended_by: string, ended_at: string, failures_24h: int, last_failure: string, last_failure_ip: string}>
	 */
	public static function ended_keys_in_use( int $limit = 20, ?int $now = null ): array {
		global $wpdb;
		$since = ( $now ?? time() ) - self::DAY;
		$rows  = $wpdb->get_results(
			$wpdb->prepare(
				'SELECT e.key_id, e.truncated_key, e.user_id, e.ended_by, e.ended_at, SUM(f.day_failures) AS failures_24h, MAX(f.last_failure_at) AS last_failure_at,'
				. ' SUBSTRING_INDEX(GROUP_CONCAT(f.address ORDER BY f.last_failure_at DESC), \',\', 1) AS last_failure_ip'
				. ' FROM ' . Schema::ended_table() . ' e JOIN ' . Schema::failure_table() . ' f ON f.key_id = e.key_id' // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- table names are ours.
				. ' WHERE f.last_failure_at > %d GROUP BY e.key_id, e.truncated_key, e.user_id, e.ended_by, e.ended_at ORDER BY failures_24h DESC LIMIT %d',
				$since,
				$limit
			),
			ARRAY_A
		);
		return array_map(
			static fn( array $row ): array => array(
				'key_id'          => (int) $row['key_id'],
				'truncated_key'   => (string) $row['truncated_key'],
				'user_id'         => (int) $row['user_id'],
				'ended_by'        => (string) $row['ended_by'],
				'ended_at'        => (string) $row['ended_at'],
				'failures_24h'    => (int) $row['failures_24h'],
				'last_failure'    => gmdate( Dates::FORMAT, (int) $row['last_failure_at'] ),
				'last_failure_ip' => (string) $row['last_failure_ip'],
			),
			$rows
		);
	}

	/**
	 * Keys that still exist but have expired (the hourly job has not removed them yet) and were
	 * tried in the last 24 hours, in the shape of ended_keys_in_use() (ended_by 'expire', ended_at
	 * their expiry).
	 *
	 * @return list<array{key_id: int, truncated_key: string, user_id: int, ended_by: string, ended_at: string, failures_24h: int, last_failure: string, last_failure_ip: string}>
	 */
	public static function expired_keys_in_use( int $limit = 20, ?int $now = null ): array {
		global $wpdb;
		$now  = $now ?? time();
		$rows = $wpdb->get_results(
			$wpdb->prepare(
				'SELECT k.key_id, k.truncated_key, k.user_id, m.expires_at FROM ' . Schema::wc_table() . ' k JOIN ' . Schema::meta_table() . ' m ON m.key_id = k.key_id' // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- table names are ours.
				. ' WHERE ' . Expiry::sql_has_passed( 'm.expires_at' ) . ' AND EXISTS (SELECT 1 FROM ' . Schema::failure_table() . ' f WHERE f.key_id = k.key_id AND f.last_failure_at > %d) LIMIT %d',
				Expiry::cutoff( $now ),
				$now - self::DAY,
				$limit
			),
			ARRAY_A
		);
		$figures = self::for_keys( array_map( 'intval', array_column( $rows, 'key_id' ) ), $now );
		$in_use  = array();
		foreach ( $rows as $row ) {
			$id       = (int) $row['key_id'];
			$in_use[] = array(
				'key_id'          => $id,
				'truncated_key'   => (string) $row['truncated_key'],
				'user_id'         => (int) $row['user_id'],
				'ended_by'        => 'expire',
				'ended_at'        => (string) $row['expires_at'],
				'failures_24h'    => $figures[ $id ]['failures_24h'] ?? 0,
				'last_failure'    => $figures[ $id ]['last_failure'] ?? '',
				'last_failure_ip' => $figures[ $id ]['last_failure_ip'] ?? '',
			);
		}
		usort( $in_use, static fn( array $a, array $b ): int => $b['failures_24h'] <=> $a['failures_24h'] );
		return $in_use;
	}

	/**
	 * Forgotten integrations: keys that ended (revoked, rotated out, expired and removed) or have
	 * expired but are not removed yet, tried in the last 24 hours; most tried first.
	 *
	 * @return list<array{key_id: int, truncated_key: string, user_id: int, ended_by: string, ended_at: string, failures_24h: int, last_failure: string, last_failure_ip: string}>
	 */
	public static function forgotten_keys( int $limit = 20, ?int $now = null ): array {
		$keys = array_merge( self::ended_keys_in_use( $limit, $now ), self::expired_keys_in_use( $limit, $now ) );
		usort( $keys, static fn( array $a, array $b ): int => $b['failures_24h'] <=> $a['failures_24h'] );
		return array_slice( $keys, 0, $limit );
	}

	/**
	 * Addresses that tried keys nobody knows in the last 24 hours, most first.
	 *
	 * @return list<array{address: string, failures_24h: int, last_failure: string}>
	 */
	public static function unknown_keys_by_address( int $limit = 20, ?int $now = null ): array {
		global $wpdb;
		$since = ( $now ?? time() ) - self::DAY;
		$rows  = $wpdb->get_results( $wpdb->prepare( 'SELECT address, day_failures, last_failure_at FROM ' . Schema::failure_table() . ' WHERE key_id = 0 AND last_failure_at > %d ORDER BY day_failures DESC LIMIT %d', $since, $limit ), ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- table name is ours.
		return array_map(
			static fn( array $row ): array => array(
				'address'      => (string) $row['address'],
				'failures_24h' => (int) $row['day_failures'],
				'last_failure' => gmdate( Dates::FORMAT, (int) $row['last_failure_at'] ),
			),
			$rows
		);
	}
}
