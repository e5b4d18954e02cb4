<?php
/**
 * Slows down clients that keep failing to authenticate, without loading WooCommerce, and keeps
 * the per-key failure figures the admin screens show.
 *
 * Failures are counted per (client address, key): after `max_failures` refusals within `window`
 * seconds, further requests from that address with that key get 429 keysmith_rest_too_many_failures
 * with Retry-After until the window (which starts at the first failure) is over. Requests with a
 * key nobody knows are counted per address as a whole (key id 0, limit `max_unknown`), so a client
 * trying keys is throttled for all of them while a valid key from the same address (an office
 * behind one NAT, say) is judged on its own count. The address is REMOTE_ADDR through the
 * `keysmith_client_ip` filter; IPv6 addresses count per /64, the block one client usually holds.
 *
 * Cost: one small upsert per refused request (none while throttled, nothing for accepted ones);
 * the block check reads the counter with the key row it was fetched with (or, for unknown keys,
 * one indexed read); with a persistent object cache, when a block ends (or that there is none) is
 * kept there until it can change, and every counted failure writes it anew. The table holds one
 * row per (address, key) with a failure in the last 24 hours: bounded by the refusal rate, pruned
 * in bounded batches (1 refusal in 100, and the hourly job).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Auth;

use Keysmith\Store\EndedKeys;
use Keysmith\Store\Schema;
use WP_Error;

final class Throttle {

	/** Settings key in keysmith_settings and its defaults. */
	public const SETTING  = 'throttle';
	public const DEFAULTS = array(
		'enabled'      => true,
		'max_failures' => 10,
		'max_unknown'  => 30,
		'window'       => 600,
	);

	/** The visibility figures cover this many seconds ("failures in the last 24 hours"). */
	public const DAY = 86400;

	/** Key id standing for "a key nobody knows". */
	public const UNKNOWN = 0;

	private const CACHE_GROUP = 'keysmith_throttle';

	/** Refusals that also prune: one in this many. */
	private const PRUNE_ONE_IN = 100;

	/**
	 * The effective settings (option over defaults, sanitized).
	 *
	 * @return array{enabled: bool, max_failures: int, max_unknown: int, window: int}
	 */
	public static function settings(): array {
		$all      = get_option( Settings::OPTION, array() );
		$stored   = is_array( $all ) && isset( $all[ self::SETTING ] ) && is_array( $all[ self::SETTING ] ) ? $all[ self::SETTING ] : array();
		$settings = array_merge( self::DEFAULTS, array_intersect_key( $stored, self::DEFAULTS ) );
		return array(
			'enabled'      => (bool) $settings['enabled'],
			'max_failures' => max( 1, (int) $settings['max_failures'] ),
			'max_unknown'  => max( 1, (int) $settings['max_unknown'] ),
			'window'       => max( 1, (int) $settings['window'] ),
		);
	}

	/**
	 * What a failure with a key nobody knows counts against: the key the hash belonged to when it
	 * was revoked, expired or rotated out (Store\EndedKeys), with a reason saying so; else the
	 * unknown keys of this address.
	 *
	 * @return array{0: int, 1: string|null} Key id to count against, and the reason to record.
	 */
	public static function unknown_subject( string $key_hash ): array {
		$ended = EndedKeys::find( $key_hash );
		if ( null === $ended ) {
			return array( self::UNKNOWN, null );
		}
		$reason = sprintf(
			/* translators: 1: last 7 characters of the key, 2: why it ended (revoke, expire, rotate, user_deleted), 3: when (UTC). */
			__( 'Key …%1$s is still in use: it ended (%2$s) on %3$s UTC.', 'keysmith' ),
			$ended['truncated_key'],
			$ended['ended_by'],
			$ended['ended_at']
		);
		return array( $ended['key_id'], $reason );
	}

	/** Bounds of the settings an admin may choose. */
	public const LIMITS = array(
		'max_failures' => array( 1, 1000000 ),
		'max_unknown'  => array( 1, 1000000 ),
		'window'       => array( 10, 86400 ),
	);

	/**
	 * Changes some settings (the others keep their value): the one place that validates them, for
	 * Keysmith's screen and `wp keysmith throttle set`. Nothing is written when one is invalid.
	 *
	 * @param array<string, mixed> $changes enabled (bool), max_failures, max_unknown (counts), window (seconds).
	 * @return array{enabled: bool, max_failures: int, max_unknown: int, window: int}|WP_Error The settings now.
	 */
	public static function update_settings( array $changes ): array|WP_Error {
		$settings = self::settings();
		foreach ( $changes as $name => $value ) {
			if ( 'enabled' === $name ) {
				if ( ! is_bool( $value ) ) {
					return new WP_Error( 'keysmith_invalid_throttle', __( 'The throttle is either on or off.', 'keysmith' ) );
				}
				$settings['enabled'] = $value;
				continue;
			}
			if ( ! isset( self::LIMITS[ $name ] ) ) {
				/* translators: %s: a setting name. */
				return new WP_Error( 'keysmith_invalid_throttle', sprintf( __( 'Unknown throttle setting: %s.', 'keysmith' ), $name ) );
			}
			list( $min, $max ) = self::LIMITS[ $name ];
			if ( ! is_int( $value ) || $value < $min || $value > $max ) {
				return new WP_Error( 'keysmith_invalid_throttle', self::out_of_bounds( $name, $min, $max ) );
			}
			$settings[ $name ] = $value;
		}
		$all                   = get_option( Settings::OPTION, array() );
		$all                   = is_array( $all ) ? $all : array();
		$all[ self::SETTING ]  = $settings;
		update_option( Settings::OPTION, $all );
		return $settings;
	}

	/**
	 * Why a value was refused, in the words Keysmith's screen labels the setting with (the same
	 * message on the screen and from `wp keysmith throttle set`).
	 */
	private static function out_of_bounds( string $name, int $min, int $max ): string {
		if ( 'window' === $name ) {
			/* translators: 1: shortest window in seconds, 2: longest window in hours. */
			return sprintf( __( 'The window must last from %1$d seconds to %2$d hours.', 'keysmith' ), $min, intdiv( $max, HOUR_IN_SECONDS ) );
		}
		$label = 'max_failures' === $name ? __( 'Failures allowed per key', 'keysmith' ) : __( 'Failures allowed for unknown keys', 'keysmith' );
		/* translators: 1: a setting's label, 2: smallest value, 3: largest value. */
		return sprintf( __( '%1$s must be a whole number from %2$s to %3$s.', 'keysmith' ), $label, number_format_i18n( $min ), number_format_i18n( $max ) );
	}

	/** The address failures are counted for: the client IP, an IPv6 one as its /64; '' if unknown. */
	public static function address(): string {
		return self::address_of( Credentials::client_ip() );
	}

	/** How an IP address is counted: an IPv4 address as itself, an IPv6 one as its /64. */
	public static function address_of( string $ip ): string {
		if ( '' === $ip || false === filter_var( $ip, FILTER_VALIDATE_IP, FILTER_FLAG_IPV6 ) ) {
			return $ip;
		}
		$packed = (string) inet_pton( $ip );
		return inet_ntop( substr( $packed, 0, 8 ) . str_repeat( "\0", 8 ) ) . '/64';
	}

	/**
	 * Seconds until this address may try this key again, or 0 when it is not throttled.
	 *
	 * @param array{window_start: int, window_failures: int}|null $counter The counter read with the
	 *        key row (KeyRow::$failures), or null to read it now.
	 */
	public static function retry_after( int $key_id, int $now, ?array $counter = null ): int {
		$settings = self::settings();
		$address  = self::address();
		if ( ! $settings['enabled'] || '' === $address ) {
			return 0;
		}
		if ( ! wp_using_ext_object_cache() ) {
			return self::block_ends( $counter ?? self::counter( $address, $key_id ), $key_id, $settings, $now ) - $now;
		}
		// With a persistent object cache: when the block ends (0: not blocked), read once and kept
		// until it can change; every counted failure writes it anew (record_failure()). Some
		// drop-ins (Redis Object Cache) hand stored integers back as numeric strings.
		$cached = wp_cache_get( self::cache_key( $address, $key_id, $settings ), self::CACHE_GROUP );
		if ( ! is_numeric( $cached ) ) {
			$cached = self::remember_block( $address, $key_id, $settings, $now, $counter );
		}
		return max( 0, (int) $cached - $now );
	}

	/**
	 * Counts one refusal: one upsert. The window restarts when the previous one is over; so does
	 * the 24-hour figure.
	 *
	 * @param string $reason The refusal's message, shown to admins (never a credential).
	 */
	public static function record_failure( int $key_id, string $reason, int $now ): void {
		global $wpdb;
		$settings = self::settings();
		$address  = self::address();
		if ( '' === $address ) {
			return;
		}
		$window_over = $now - $settings['window'];
		$day_over    = $now - self::DAY;
		$sql         = 'INSERT INTO ' . Schema::failure_table() . ' (address, key_id, window_start, window_failures, day_start, day_failures, last_failure_at, last_reason)'
			. ' VALUES (%s, %d, %d, 1, %d, 1, %d, %s) ON DUPLICATE KEY UPDATE'
			// Assignments run left to right: each test reads the old start before it is reset.
			. ' window_failures = IF(window_start <= %d, 1, window_failures + 1), window_start = IF(window_start <= %d, VALUES(window_start), window_start),'
			. ' day_failures = IF(day_start <= %d, 1, day_failures + 1), day_start = IF(day_start <= %d, VALUES(day_start), day_start),'
			. ' last_failure_at = VALUES(last_failure_at), last_reason = VALUES(last_reason)';
		$result      = $wpdb->query( $wpdb->prepare( $sql, $address, $key_id, $now, $now, $now, mb_substr( $reason, 0, 191 ), $window_over, $window_over, $day_over, $day_over ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared, WordPress.DB.DirectDatabaseQuery -- table name is ours.
		if ( false === $result ) {
			return; // Counting is best effort: a refusal stands whether or not it was counted.
		}
		if ( wp_using_ext_object_cache() ) {
			self::remember_block( $address, $key_id, $settings, $now );
		}
		if ( 1 === random_int( 1, self::PRUNE_ONE_IN ) ) {
			self::prune( $now );
		}
	}

	/**
	 * Lifts blocks: empties the throttling windows of one key, one address, or all, so the
	 * clients they blocked may try again at once. The day counts stay: what the admin screens
	 * show of the last 24 hours (KeyFailures) is history, not a block.
	 *
	 * @return int Counters whose window held failures.
	 */
	public static function reset( ?int $key_id = null, ?string $address = null ): int {
		global $wpdb;
		$where = array( 'window_failures > 0' );
		$args  = array();
		if ( null !== $key_id ) {
			$where[] = 'key_id = %d';
			$args[]  = $key_id;
		}
		if ( null !== $address ) {
			$where[] = 'address = %s';
			$args[]  = $address;
		}
		$condition = ' WHERE ' . implode( ' AND ', $where );
		$prepare   = static fn( string $sql ): string => $args ? $wpdb->prepare( $sql, $args ) : $sql; // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
		if ( wp_using_ext_object_cache() ) {
			// The blocks the cache holds for these counters (a cache that cannot flush a group is
			// told one entry at a time).
			foreach ( $wpdb->get_results( $prepare( 'SELECT address, key_id FROM ' . Schema::failure_table() . $condition ) ) as $row ) { // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared, WordPress.DB.DirectDatabaseQuery -- table name is ours.
				wp_cache_delete( self::cache_key( (string) $row->address, (int) $row->key_id, self::settings() ), self::CACHE_GROUP );
			}
		}
		return (int) $wpdb->query( $prepare( 'UPDATE ' . Schema::failure_table() . ' SET window_failures = 0' . $condition ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared, WordPress.DB.DirectDatabaseQuery -- table name is ours.
	}

	/** Deletes up to $limit rows with no failure in the last 24 hours, oldest first. */
	public static function prune( int $now, int $limit = 1000 ): int {
		global $wpdb;
		return (int) $wpdb->query( $wpdb->prepare( 'DELETE FROM ' . Schema::failure_table() . ' WHERE last_failure_at < %d ORDER BY last_failure_at LIMIT %d', $now - self::DAY, $limit ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared, WordPress.DB.DirectDatabaseQuery -- table name is ours.
	}

	/** Deletes every row older than 24 hours in bounded batches (the hourly job). */
	public static function prune_all( int $now ): void {
		while ( 1000 === self::prune( $now ) ) {
			continue;
		}
	}

	/**
	 * The counter of one (address, key); zeros when there is none.
	 *
	 * @return array{window_start: int, window_failures: int}
	 */
	private static function counter( string $address, int $key_id ): array {
		global $wpdb;
		$row = $wpdb->get_row( $wpdb->prepare( 'SELECT window_start, window_failures FROM ' . Schema::failure_table() . ' WHERE address = %s AND key_id = %d', $address, $key_id ), ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared, WordPress.DB.DirectDatabaseQuery -- table name is ours.
		return array(
			'window_start'    => (int) ( $row['window_start'] ?? 0 ),
			'window_failures' => (int) ( $row['window_failures'] ?? 0 ),
		);
	}

	/**
	 * The cache entry of one (address, key), under these settings: changing a limit or the window
	 * makes every entry stale at once.
	 *
	 * @param array{enabled: bool, max_failures: int, max_unknown: int, window: int} $settings
	 */
	private static function cache_key( string $address, int $key_id, array $settings ): string {
		return $address . '|' . $key_id . '|' . $settings['max_failures'] . '.' . $settings['max_unknown'] . '.' . $settings['window'];
	}

	/**
	 * When the block of this counter ends, or $now when there is none.
	 *
	 * @param array{window_start: int, window_failures: int}                      $counter
	 * @param array{enabled: bool, max_failures: int, max_unknown: int, window: int} $settings
	 */
	private static function block_ends( array $counter, int $key_id, array $settings, int $now ): int {
		$limit   = self::UNKNOWN === $key_id ? $settings['max_unknown'] : $settings['max_failures'];
		$ends_at = (int) $counter['window_start'] + $settings['window'];
		return $counter['window_failures'] >= $limit && $ends_at > $now ? $ends_at : $now;
	}

	/**
	 * Reads the counter and puts when its block ends (0: none) in the object cache, until the
	 * block or the window ends (a minute at most when there is no failure at all).
	 *
	 * @param array{enabled: bool, max_failures: int, max_unknown: int, window: int} $settings
	 * @param array{window_start: int, window_failures: int}|null                   $counter
	 * @return int When the block ends, or 0.
	 */
	private static function remember_block( string $address, int $key_id, array $settings, int $now, ?array $counter = null ): int {
		$counter ??= self::counter( $address, $key_id );
		$ends_at   = self::block_ends( $counter, $key_id, $settings, $now );
		$blocked   = $ends_at > $now;
		$window    = (int) $counter['window_start'] + $settings['window'];
		$ttl       = $blocked ? $ends_at - $now : ( $window > $now ? $window - $now : 60 );
		wp_cache_set( self::cache_key( $address, $key_id, $settings ), $blocked ? $ends_at : 0, self::CACHE_GROUP, max( 1, $ttl ) );
		return $blocked ? $ends_at : 0;
	}
}
