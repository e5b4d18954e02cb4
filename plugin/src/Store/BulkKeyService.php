<?php
/**
 * The one engine every front end (admin screen, WP-CLI, REST) calls to create, list, change and
 * revoke WooCommerce REST API keys in bulk.
 *
 * Rows in {prefix}woocommerce_api_keys are written exactly as WooCommerce writes them
 * (docs/woocommerce-compatibility.md §1–2); what WooCommerce has no column for goes to Keysmith's own tables.
 * Every write runs in one transaction (all or nothing), invalidates KeyCache and is audited.
 *
 * The service checks WooCommerce's ownership rule (Actor::can_assign_to) but not the front end's
 * capability (`manage_woocommerce`) or nonce: those belong to the screen / command / route.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

use Keysmith\Crypto\Crypto;
use Keysmith\Keys\Expiry;
use Keysmith\Keys\PairCheck;
use WP_Error;

final class BulkKeyService {

	/** Most keys one create() or rotate() call makes (create: count per user × number of users). */
	public const MAX_CREATE = 10000;

	/** Longest description WooCommerce's column holds (varchar(200)). */
	public const MAX_DESCRIPTION = 200;

	/** Description template used when the spec gives none. */
	public const DEFAULT_DESCRIPTION = 'Keysmith {date} #{n}';

	/** Longest rotation grace period: one year. */
	public const MAX_GRACE_SECONDS = 31536000;

	/**
	 * Rows per multi-row statement. 1,000 rows of WooCommerce's table are about 200 KB of SQL, far
	 * below MariaDB's and MySQL's default max_allowed_packet (16 MB / 64 MB), and large enough that
	 * 10,000 keys take ten round trips.
	 */
	private const CHUNK = 1000;

	private const CREATE_SPEC = array( 'user_ids', 'user_id', 'count', 'permissions', 'description', 'expires_at' );
	private const UPDATE_SPEC = array( 'permissions', 'user_id', 'description', 'expires_at' );

	/**
	 * Creates keys for one or several users, all or nothing.
	 *
	 * Spec:
	 * - user_ids     int[] (or user_id int): owners; each must exist and be assignable by $actor.
	 * - count        int, keys PER USER (default 1); count × number of users must be within 1–10,000.
	 * - permissions  'read' | 'write' | 'read_write' (required; anything else is an error, where
	 *                WooCommerce's AJAX handler would silently store read).
	 * - description  template (default DEFAULT_DESCRIPTION): {n} = 1..count within each user,
	 *                {user} = the owner's user_login, {date} = today's UTC date Y-m-d. Sanitized with
	 *                sanitize_text_field; more than 200 characters after expansion is an error.
	 * - expires_at   ?string (see Dates::parse_utc), must be in the future; null = never.
	 *
	 * $on_progress, when given, is called as $on_progress( int $done, int $total ) after each
	 * multi-row chunk (CHUNK keys) is written, so a front end can draw a progress bar. It runs
	 * INSIDE the transaction: $done counts rows written but not yet committed, and a failure in a
	 * later chunk (or an exception thrown by the callback) still rolls every key back. When a
	 * deadlock makes Transaction retry, reports start again from the first chunk ($done goes down).
	 *
	 * @param array<string, mixed>            $spec
	 * @param (callable(int, int): void)|null $on_progress
	 * @return list<array{key_id:int, user_id:int, description:string, permissions:string, consumer_key:string, consumer_secret:string, truncated_key:string, created_at:string, expires_at:?string, rotated_from:?int}>|WP_Error
	 *         The created keys with their PLAINTEXT consumer_key and consumer_secret, in owner order
	 *         then {n} order. This is the only time the pair exists outside the database: show or
	 *         download it, never log or store it.
	 */
	public function create( array $spec, Actor $actor, ?callable $on_progress = null ): array|WP_Error {
		$plan = $this->plan_create( $spec, $actor );
		if ( $plan instanceof WP_Error ) {
			return $plan;
		}
		$pairs = Crypto::generate_keys( count( $plan['rows'] ) );
		$rows  = array();
		foreach ( $plan['rows'] as $i => $row ) {
			$rows[] = $row + $pairs[ $i ];
		}
		return Transaction::run(
			fn() => $this->insert_keys( $rows, $actor, $on_progress ),
			__( 'creating keys', 'keysmith' )
		);
	}

	/**
	 * One page of keys matching $filter, in the filter's order.
	 *
	 * @param int $page     1-based.
	 * @param int $per_page 1–1000.
	 * @return array{items: list<KeyRecord>, total: int}
	 */
	public function query( KeyFilter $filter, int $page = 1, int $per_page = 20 ): array {
		global $wpdb;
		$per_page = max( 1, min( 1000, $per_page ) );
		$query    = new KeyQuery( $filter );
		$total    = (int) $wpdb->get_var( $query->count_sql() ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- prepared by KeyQuery.
		$items    = array();
		$offset   = ( max( 1, $page ) - 1 ) * $per_page;
		$ids      = $offset < $total ? array_map( 'intval', $wpdb->get_col( $query->page_ids_sql( $per_page, $offset ) ) ) : array(); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
		if ( array() !== $ids ) {
			$rows = $wpdb->get_results( $query->rows_by_ids_sql( $ids ), ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
			foreach ( (array) $rows as $row ) {
				$items[] = KeyRecord::from_row( $row );
			}
		}
		return array(
			'items' => $items,
			'total' => $total,
		);
	}

	/** Number of keys matching $filter. */
	public function count( KeyFilter $filter ): int {
		global $wpdb;
		return (int) $wpdb->get_var( ( new KeyQuery( $filter ) )->count_sql() ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- prepared by KeyQuery.
	}

	/** One key, or null when it does not exist. */
	public function find( int $key_id ): ?KeyRecord {
		global $wpdb;
		if ( $key_id < 1 ) {
			return null;
		}
		$filter = KeyFilter::by_ids( array( $key_id ) );
		$row    = $filter instanceof KeyFilter ? $wpdb->get_row( ( new KeyQuery( $filter ) )->select( 1 ), ARRAY_A ) : null; // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
		return is_array( $row ) ? KeyRecord::from_row( $row ) : null;
	}

	/**
	 * Revokes (hard-deletes, as WooCommerce does) every key matching $filter, with its metadata.
	 * Idempotent: revoking an already revoked key changes nothing and is not an error (the id is
	 * reported in BulkResult::$failed). An empty filter needs `all => true`.
	 *
	 * @param bool $dry_run Count and list what would be revoked, write nothing.
	 */
	public function revoke( KeyFilter $filter, Actor $actor, bool $dry_run = false ): BulkResult|WP_Error {
		$refused = $this->refuse_empty( $filter );
		if ( $refused instanceof WP_Error ) {
			return $refused;
		}
		if ( $dry_run ) {
			return $this->dry_run( $filter, $actor, 'revoke' );
		}
		return $this->delete_matching( $filter, $actor, 'revoke' );
	}

	/**
	 * Changes many keys at once, all or nothing.
	 *
	 * Changes (at least one): permissions 'read'|'write'|'read_write'; user_id int (must exist and be
	 * assignable by $actor); description string (plain, ≤ 200 chars after sanitize_text_field);
	 * expires_at ?string (a future date; null clears the expiry).
	 *
	 * @param array<string, mixed> $changes
	 * @param bool                 $dry_run Validate the changes exactly as for real (owner exists and
	 *                                      is assignable by $actor, permissions, description, date),
	 *                                      then count and list the keys they would apply to; write nothing.
	 */
	public function update( KeyFilter $filter, array $changes, Actor $actor, bool $dry_run = false ): BulkResult|WP_Error {
		$refused = $this->refuse_empty( $filter );
		if ( $refused instanceof WP_Error ) {
			return $refused;
		}
		$changes = $this->validate_changes( $changes, $actor );
		if ( $changes instanceof WP_Error ) {
			return $changes;
		}
		if ( $dry_run ) {
			return $this->dry_run( $filter, $actor, 'update' );
		}
		$result = Transaction::run(
			function () use ( $filter, $changes, $actor ) {
				$rows    = Transaction::rows( ( new KeyQuery( $filter ) )->select( 0, 0, true ) );
				$refused = self::refuse_foreign_owners( $rows, $actor, 'update' );
				if ( $refused instanceof WP_Error ) {
					return $refused;
				}
				return array( $rows, $this->apply_changes( $rows, $changes, $actor ) );
			},
			__( 'updating keys', 'keysmith' )
		);
		if ( $result instanceof WP_Error ) {
			return $result;
		}
		list( $rows, $changed ) = $result;
		KeyCache::forget_rows( $rows );
		return BulkResult::done( 'update', $filter, array_map( 'intval', array_column( $rows, 'key_id' ) ), $changed );
	}

	/**
	 * Rotates every key matching $filter: a new key for the same owner, permissions and description
	 * (meta rotated_from = old key id, same expiry as the old key had); the old key keeps working for
	 * $grace_seconds, then expires (its expires_at becomes now + grace, unless it already expires
	 * sooner). $grace_seconds = 0 revokes the old key at once. At most MAX_CREATE keys per call.
	 * Keys already rotated once, and expired keys, are skipped: rotating twice is harmless, and the
	 * caller sees which keys were rotated from each item's rotated_from.
	 *
	 * $on_progress: as in create(), called inside the transaction after each chunk of new keys,
	 * with the number of keys being rotated as $total.
	 *
	 * $dry_run: make every check the rotation makes (grace period, at most MAX_CREATE keys, the
	 * actor may assign keys to every owner) and answer which keys would be rotated (summary ids:
	 * the keys that would get a successor; failed: requested ids that would not, being unknown,
	 * expired or rotated already); nothing is written and the result has no keys.
	 *
	 * @param (callable(int, int): void)|null $on_progress
	 * @return RotationResult|WP_Error The new keys with their plaintext pair (shown once), in old key
	 *                                 id order, and the summary.
	 */
	public function rotate( KeyFilter $filter, Actor $actor, int $grace_seconds, ?callable $on_progress = null, bool $dry_run = false ): RotationResult|WP_Error {
		$refused = $this->refuse_empty( $filter );
		if ( $refused instanceof WP_Error ) {
			return $refused;
		}
		if ( $grace_seconds < 0 || $grace_seconds > self::MAX_GRACE_SECONDS ) {
			return self::error( 'keysmith_invalid_grace', __( 'The grace period must be between 0 seconds and one year.', 'keysmith' ) );
		}
		if ( $dry_run ) {
			return $this->rotate_dry_run( $filter, $actor );
		}
		$done = Transaction::run(
			fn() => $this->rotate_locked( $filter, $actor, $grace_seconds, $on_progress ),
			__( 'rotating keys', 'keysmith' )
		);
		if ( $done instanceof WP_Error ) {
			return $done;
		}
		KeyCache::forget_rows( $done['old'] ); // After COMMIT, so no reader re-caches the old state.
		return RotationResult::rotated( $filter, $done['created'] );
	}

	/** Revokes every key whose expiry has passed (the hourly cron job). Returns how many. */
	public function revoke_expired(): int {
		$filter = KeyFilter::from_array( array( 'expired' => true ) );
		$result = $filter instanceof KeyFilter ? $this->delete_matching( $filter, Actor::system(), 'expire' ) : $filter;
		$this->prune_orphaned_meta();
		return $result instanceof BulkResult ? $result->changed : 0;
	}

	/**
	 * Deletes every key of $user_id with its metadata and audits it (action user_deleted). Called on
	 * delete_user by UserCleanup. Returns how many keys were deleted.
	 */
	public function delete_user_keys( int $user_id, Actor $actor ): int {
		$filter = KeyFilter::from_array( array( 'user_ids' => array( $user_id ) ) );
		$result = $filter instanceof KeyFilter ? $this->delete_matching( $filter, $actor, 'user_deleted' ) : $filter;
		return $result instanceof BulkResult ? $result->changed : 0;
	}

	/**
	 * Checks a plaintext pair against the store, as `wp keysmith verify` does, with the rule Basic
	 * authentication uses (Keys\PairCheck): the key must exist, the secret must match and the key
	 * must not be expired.
	 *
	 * @return true|WP_Error Codes keysmith_unknown_key, keysmith_wrong_secret, keysmith_key_expired.
	 */
	public function verify_pair( string $consumer_key, #[\SensitiveParameter] string $consumer_secret ): bool|WP_Error { // Not `true|WP_Error`: `true` is a type only from PHP 8.2; the plugin supports 8.1.
		global $wpdb;
		$row = $wpdb->get_row(
			$wpdb->prepare(
				'SELECT k.key_id, k.consumer_secret, m.expires_at FROM ' . Schema::wc_table() . ' k LEFT JOIN ' . Schema::meta_table() . ' m ON m.key_id = k.key_id WHERE k.consumer_key = %s LIMIT 1', // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
				PairCheck::lookup_hash( $consumer_key )
			),
			ARRAY_A
		);
		if ( ! is_array( $row ) ) {
			return self::error( 'keysmith_unknown_key', __( 'Consumer key is invalid.', 'keysmith' ), 404 );
		}
		$verdict = PairCheck::judge( (string) $row['consumer_secret'], $consumer_secret, $row['expires_at'], time() );
		if ( PairCheck::WRONG_SECRET === $verdict ) {
			return self::error( 'keysmith_wrong_secret', __( 'Consumer secret is invalid.', 'keysmith' ), 401 );
		}
		if ( PairCheck::EXPIRED === $verdict ) {
			/* translators: %s: expiry date (UTC). */
			return self::error( 'keysmith_key_expired', sprintf( __( 'The API key expired on %s UTC.', 'keysmith' ), $row['expires_at'] ), 401 );
		}
		return true;
	}

	/**
	 * Deletes metadata rows whose key is gone. WooCommerce's own revoke (list table, "Revoke key"
	 * link) deletes keys without firing any hook, so the cron job tidies up after it.
	 */
	public function prune_orphaned_meta(): int {
		global $wpdb;
		$sql = 'DELETE m FROM ' . Schema::meta_table() . ' m LEFT JOIN ' . Schema::wc_table() . ' k ON k.key_id = m.key_id WHERE k.key_id IS NULL';
		return (int) $wpdb->query( $sql ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- no values.
	}

	// ----------------------------------------------------------------------------------------------
	// Create.

	/**
	 * Validates a create spec and expands it into rows without key material.
	 *
	 * @param array<string, mixed> $spec
	 * @return array{rows: list<array{user_id:int, description:string, permissions:string, expires_at:?string, rotated_from:?int}>}|WP_Error
	 */
	private function plan_create( array $spec, Actor $actor ): array|WP_Error {
		$unknown = array_diff( array_keys( $spec ), self::CREATE_SPEC );
		if ( array() !== $unknown ) {
			/* translators: %s: comma-separated field names. */
			return self::error( 'keysmith_invalid_spec', sprintf( __( 'Unknown field: %s.', 'keysmith' ), implode( ', ', $unknown ) ) );
		}
		$owners = $this->owners( $spec['user_ids'] ?? ( $spec['user_id'] ?? null ), $actor );
		if ( $owners instanceof WP_Error ) {
			return $owners;
		}
		$count       = self::create_count( $spec['count'] ?? 1, count( $owners ) );
		$permissions = self::permissions( $spec['permissions'] ?? null );
		$expires_at  = self::future_date( $spec['expires_at'] ?? null );
		$template    = $spec['description'] ?? self::DEFAULT_DESCRIPTION;
		if ( ! is_string( $template ) || '' === sanitize_text_field( $template ) ) {
			$template = self::error( 'keysmith_invalid_description', __( 'Description is missing.', 'keysmith' ) );
		}
		foreach ( array( $count, $permissions, $expires_at, $template ) as $value ) {
			if ( $value instanceof WP_Error ) {
				return $value; // The first error in the order the fields are documented.
			}
		}
		return self::expand_rows( $owners, $template, $count, $permissions, $expires_at );
	}

	/** Keys per owner: 1 or more, and at most MAX_CREATE over all owners. */
	private static function create_count( mixed $value, int $owners ): int|WP_Error {
		$count = self::int_value( $value );
		if ( null !== $count && $count >= 1 && $count * $owners <= self::MAX_CREATE ) {
			return $count;
		}
		return self::error(
			'keysmith_invalid_count',
			/* translators: 1: maximum number of keys, 2: number of users. */
			sprintf( __( 'The number of keys must be between 1 and %1$d in all (count per user × %2$d users).', 'keysmith' ), self::MAX_CREATE, $owners )
		);
	}

	/**
	 * One row per key to create, owner by owner, with the description template expanded.
	 *
	 * @param array<int, string> $owners User id => login.
	 * @return array{rows: list<array{user_id:int, description:string, permissions:string, expires_at:?string, rotated_from:null}>}|WP_Error
	 */
	private static function expand_rows( array $owners, string $template, int $count, string $permissions, ?string $expires_at ): array|WP_Error {
		$rows = array();
		foreach ( $owners as $user_id => $login ) {
			$descriptions = self::expand( $template, $login, $count );
			if ( $descriptions instanceof WP_Error ) {
				return $descriptions;
			}
			foreach ( $descriptions as $description ) {
				$rows[] = array(
					'user_id'      => $user_id,
					'description'  => $description,
					'permissions'  => $permissions,
					'expires_at'   => $expires_at,
					'rotated_from' => null,
				);
			}
		}
		return array( 'rows' => $rows );
	}

	/**
	 * Owners that exist and that $actor may assign keys to, as user id => user_login.
	 *
	 * @return array<int, string>|WP_Error
	 */
	private function owners( mixed $value, Actor $actor ): array|WP_Error {
		$filter = KeyFilter::from_array( array( 'user_ids' => $value ?? array() ) );
		if ( $filter instanceof WP_Error || array() === $filter->user_ids ) {
			return self::error( 'keysmith_invalid_user', __( 'User is missing.', 'keysmith' ) );
		}
		$ids    = $filter->user_ids;
		$found  = UserResolver::logins( $ids );
		$owners = array();
		foreach ( $ids as $id ) {
			if ( ! isset( $found[ $id ] ) ) {
				/* translators: %d: user id. */
				return self::error( 'keysmith_unknown_user', sprintf( __( 'User %d does not exist.', 'keysmith' ), $id ) );
			}
			if ( ! $actor->can_assign_to( $id ) ) {
				return self::error( 'keysmith_cannot_assign', __( 'You do not have permission to assign API Keys to the selected user.', 'keysmith' ), 403 );
			}
			$owners[ $id ] = $found[ $id ];
		}
		return $owners;
	}

	/**
	 * The descriptions of one owner's keys. The template is sanitized once per owner and {n}
	 * inserted afterwards (digits cannot change what sanitize_text_field does), except when it holds
	 * a '%', where the inserted digits could form a %xx octet that sanitize_text_field strips.
	 *
	 * @return list<string>|WP_Error
	 */
	private static function expand( string $template, string $login, int $count ): array|WP_Error {
		$base   = str_replace( array( '{user}', '{date}' ), array( $login, gmdate( 'Y-m-d' ) ), $template );
		$clean  = sanitize_text_field( $base );
		$slow   = str_contains( $clean, '%' );
		$longest = $slow ? sanitize_text_field( str_replace( '{n}', (string) $count, $base ) ) : str_replace( '{n}', (string) $count, $clean );
		if ( mb_strlen( $longest ) > self::MAX_DESCRIPTION ) {
			return self::description_too_long();
		}
		$out = array();
		for ( $n = 1; $n <= $count; $n++ ) {
			$out[] = $slow ? sanitize_text_field( str_replace( '{n}', (string) $n, $base ) ) : str_replace( '{n}', (string) $n, $clean );
		}
		return $out;
	}

	/**
	 * Inserts complete rows (owner, description, permissions, key material, expiry, rotation link)
	 * into WooCommerce's table, Keysmith's metadata and the audit log, CHUNK rows per statement.
	 * Must run inside a Transaction.
	 *
	 * @param list<array<string, mixed>>      $rows
	 * @param (callable(int, int): void)|null $on_progress Told ( keys written, all keys ) after each chunk.
	 * @return list<array<string, mixed>> The rows with key_id, plaintext pair and created_at.
	 */
	private function insert_keys( #[\SensitiveParameter] array $rows, Actor $actor, ?callable $on_progress = null ): array {
		global $wpdb;
		$now     = Dates::now_utc();
		$created = array();
		foreach ( array_chunk( $rows, self::CHUNK ) as $chunk ) {
			$values = array();
			$args   = array();
			foreach ( $chunk as $row ) {
				$values[] = '(%d,%s,%s,%s,%s,%s)';
				array_push( $args, $row['user_id'], $row['description'], $row['permissions'], $row['key_hash'], $row['consumer_secret'], $row['truncated_key'] );
			}
			Transaction::query( $wpdb->prepare( 'INSERT INTO ' . Schema::wc_table() . ' (user_id, description, permissions, consumer_key, consumer_secret, truncated_key) VALUES ' . implode( ',', $values ), $args ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
			$args  = null; // The secrets: no longer needed here.
			$first = (int) $wpdb->insert_id;
			$ids   = $this->inserted_ids( $first, $chunk );
			foreach ( $chunk as $i => $row ) {
				$row['key_id']     = $ids[ $i ];
				$row['created_at'] = $now;
				$chunk[ $i ]       = $row;
			}
			$range = $ids === range( $first, $first + count( $chunk ) - 1 ) ? array( $first, $first + count( $chunk ) - 1 ) : null;
			$this->insert_meta( $chunk, $actor, $now, $range );
			$this->audit_created( $chunk, $actor, $now, $range );
			array_push( $created, ...$chunk );
			if ( null !== $on_progress ) {
				$on_progress( count( $created ), count( $rows ) );
			}
		}
		KeyCache::forget_hashes( array_column( $created, 'key_hash' ) );
		return array_map( array( self::class, 'created_view' ), $created );
	}

	/**
	 * The key_ids of a chunk just inserted, in row order.
	 *
	 * LAST_INSERT_ID() of a multi-row INSERT is the first row's id. InnoDB guarantees the others are
	 * consecutive for such a "simple insert" with innodb_autoinc_lock_mode 0 or 1 (MariaDB's
	 * default) and auto_increment_increment 1; then the ids are computed, and the first and last
	 * rows are checked by hash. With lock mode 2 (MySQL 8's default, interleaved) or an increment
	 * above 1 (Galera clusters) they may not be, so the ids are read back by consumer_key hash
	 * (indexed; 160 random bits, so unique in practice), restricted to ids at or above
	 * LAST_INSERT_ID() so an older row can never be mistaken for a new one.
	 *
	 * @param list<array<string, mixed>> $chunk
	 * @return list<int>
	 */
	private function inserted_ids( int $first_id, #[\SensitiveParameter] array $chunk ): array {
		global $wpdb;
		$count  = count( $chunk );
		$hashes = array_column( $chunk, 'key_hash' );
		if ( self::autoinc_is_consecutive() ) {
			$last  = $first_id + $count - 1;
			$found = Transaction::rows( $wpdb->prepare( 'SELECT key_id, consumer_key FROM ' . Schema::wc_table() . ' WHERE key_id IN (%d, %d)', $first_id, $last ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
			$check = array_column( $found, 'consumer_key', 'key_id' );
			if ( ( $check[ $first_id ] ?? null ) === $hashes[0] && ( $check[ $last ] ?? null ) === $hashes[ $count - 1 ] ) {
				return range( $first_id, $last );
			}
		}
		$found = Transaction::rows(
			$wpdb->prepare(
				'SELECT key_id, consumer_key FROM ' . Schema::wc_table() . ' WHERE key_id >= %d AND consumer_key IN (' . implode( ',', array_fill( 0, $count, '%s' ) ) . ')', // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
				array_merge( array( $first_id ), $hashes )
			)
		);
		$by_hash = array_column( $found, 'key_id', 'consumer_key' );
		if ( count( $by_hash ) !== $count || count( $found ) !== $count ) {
			throw new DbFailure( 'Could not identify the inserted keys.' );
		}
		return array_map( static fn( string $hash ): int => (int) $by_hash[ $hash ], $hashes );
	}

	/**
	 * Whether a multi-row INSERT gets consecutive auto-increment ids on this server (see
	 * inserted_ids). Filter `keysmith_consecutive_insert_ids` (bool) can force the slower, always
	 * correct lookup by hash, e.g. behind a proxy that spreads one session over several servers.
	 */
	private static function autoinc_is_consecutive(): bool {
		static $server = null;
		if ( null === $server ) {
			global $wpdb;
			$vars   = $wpdb->get_row( 'SELECT @@auto_increment_increment AS inc, @@innodb_autoinc_lock_mode AS mode', ARRAY_A );
			$server = is_array( $vars ) && 1 === (int) $vars['inc'] && in_array( (int) $vars['mode'], array( 0, 1 ), true );
		}
		return (bool) apply_filters( 'keysmith_consecutive_insert_ids', $server );
	}

	/**
	 * Metadata rows for a chunk. When the chunk's ids are one consecutive range and its rows share
	 * expiry and have no rotation link (every create), the server copies the ids from WooCommerce's
	 * table with INSERT … SELECT: no per-row SQL to build or send.
	 *
	 * @param list<array<string, mixed>> $chunk Rows with key_id.
	 * @param array{0:int, 1:int}|null   $range First and last key_id when consecutive.
	 */
	private function insert_meta( #[\SensitiveParameter] array $chunk, Actor $actor, string $now, ?array $range ): void {
		global $wpdb;
		$expires = array_unique( array_map( 'strval', array_column( $chunk, 'expires_at' ) ) );
		if ( null !== $range && 1 === count( $expires ) && array() === array_filter( array_column( $chunk, 'rotated_from' ) ) ) {
			$expires_at = $chunk[0]['expires_at'];
			$select     = null === $expires_at
				? $wpdb->prepare( 'SELECT key_id, %s, %d, NULL, NULL', $now, $actor->user_id )
				: $wpdb->prepare( 'SELECT key_id, %s, %d, %s, NULL', $now, $actor->user_id, $expires_at );
			Transaction::query( 'INSERT INTO ' . Schema::meta_table() . ' (key_id, created_at, created_by, expires_at, rotated_from) ' . $select . $wpdb->prepare( ' FROM ' . Schema::wc_table() . ' WHERE key_id BETWEEN %d AND %d', $range[0], $range[1] ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
			return;
		}
		$values = array();
		$args   = array();
		foreach ( $chunk as $row ) {
			// prepare() has no NULL placeholder: NULLs are literal, everything else a placeholder.
			$values[] = '(%d,%s,%d,' . ( null === $row['expires_at'] ? 'NULL' : '%s' ) . ',' . ( null === $row['rotated_from'] ? 'NULL' : '%d' ) . ')';
			array_push( $args, $row['key_id'], $now, $actor->user_id );
			if ( null !== $row['expires_at'] ) {
				$args[] = $row['expires_at'];
			}
			if ( null !== $row['rotated_from'] ) {
				$args[] = $row['rotated_from'];
			}
		}
		Transaction::query( $wpdb->prepare( 'INSERT INTO ' . Schema::meta_table() . ' (key_id, created_at, created_by, expires_at, rotated_from) VALUES ' . implode( ',', $values ), $args ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
	}

	/**
	 * One "create" audit row per key of a chunk; copied server-side like insert_meta() when the
	 * chunk is one range and the rows' details are the same.
	 *
	 * @param list<array<string, mixed>> $chunk
	 * @param array{0:int, 1:int}|null   $range
	 */
	private function audit_created( #[\SensitiveParameter] array $chunk, Actor $actor, string $now, ?array $range ): void {
		global $wpdb;
		$details = static fn( array $row ): array => array_filter( array( 'permissions' => $row['permissions'], 'expires_at' => $row['expires_at'], 'rotated_from' => $row['rotated_from'] ) );
		$uniform = array_unique( array_map( static fn( array $row ): string => (string) wp_json_encode( $details( $row ) ), $chunk ) );
		if ( null === $range || 1 !== count( $uniform ) ) {
			$this->audit_or_fail( $actor, 'create', $chunk, $details );
			return;
		}
		$select = $wpdb->prepare( 'SELECT %s, %d, %s, %s, key_id, truncated_key, user_id, %s', $now, $actor->user_id, $actor->source, 'create', reset( $uniform ) );
		Transaction::query( 'INSERT INTO ' . Schema::audit_table() . ' (occurred_at, actor_id, source, action, key_id, truncated_key, key_owner, details) ' . $select . $wpdb->prepare( ' FROM ' . Schema::wc_table() . ' WHERE key_id BETWEEN %d AND %d', $range[0], $range[1] ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
	}

	/** What create() and rotate() return for one key: no hash, the plaintext pair once. */
	private static function created_view( #[\SensitiveParameter] array $row ): array {
		return array(
			'key_id'          => (int) $row['key_id'],
			'user_id'         => (int) $row['user_id'],
			'description'     => (string) $row['description'],
			'permissions'     => (string) $row['permissions'],
			'consumer_key'    => (string) $row['consumer_key'],
			'consumer_secret' => (string) $row['consumer_secret'],
			'truncated_key'   => (string) $row['truncated_key'],
			'created_at'      => (string) $row['created_at'],
			'expires_at'      => $row['expires_at'],
			'rotated_from'    => $row['rotated_from'],
		);
	}

	// ----------------------------------------------------------------------------------------------
	// Revoke, update, rotate.

	private function refuse_empty( KeyFilter $filter ): ?WP_Error {
		if ( $filter->has_criteria() || $filter->all ) {
			return null;
		}
		return self::error( 'keysmith_empty_filter', __( 'No keys selected. Give ids or a filter, or confirm that the operation applies to all keys.', 'keysmith' ) );
	}

	/**
	 * What a revoke or update would apply to: the matching key ids, nothing written. The read goes
	 * through Transaction so a failed query is an error rather than a reassuring "0 keys".
	 */
	private function dry_run( KeyFilter $filter, Actor $actor, string $action ): BulkResult|WP_Error {
		$rows = Transaction::run(
			static function () use ( $filter, $actor, $action ): array|WP_Error {
				$rows = Transaction::rows( 'SELECT k.key_id, k.user_id' . ( new KeyQuery( $filter ) )->from_where() . ' ORDER BY k.key_id' );
				return self::refuse_foreign_owners( $rows, $actor, $action ) ?? $rows;
			},
			__( 'counting keys', 'keysmith' )
		);
		return $rows instanceof WP_Error ? $rows : BulkResult::dry_run( $action, $filter, array_map( 'intval', array_column( $rows, 'key_id' ) ) );
	}

	/**
	 * Refuses the whole operation when one of the keys belongs to a user whose keys the actor may
	 * not change or revoke (Actor::can_manage_keys_of(), WooCommerce's rule). Checked on the locked
	 * rows, so it holds for exactly the keys the operation would touch.
	 *
	 * @param list<array<string, string|null>> $rows Rows with a user_id column.
	 */
	private static function refuse_foreign_owners( array $rows, Actor $actor, string $action ): ?WP_Error {
		foreach ( array_unique( array_map( 'intval', array_column( $rows, 'user_id' ) ) ) as $owner ) {
			if ( $actor->can_manage_keys_of( $owner ) ) {
				continue;
			}
			$user    = get_userdata( $owner );
			$name    = $user instanceof \WP_User ? $user->display_name : '#' . $owner;
			$message = 'revoke' === $action
				/* translators: %s: the key owner's display name. */
				? __( 'You do not have permission to revoke API keys of %s.', 'keysmith' )
				/* translators: %s: the key owner's display name. */
				: __( 'You do not have permission to edit API keys of %s.', 'keysmith' );
			return self::error( 'keysmith_cannot_edit_key', sprintf( $message, $name ), 403 );
		}
		return null;
	}

	/**
	 * Deletes the matching keys and their metadata in one transaction. The matching rows are read
	 * with SELECT … FOR UPDATE, so a concurrent revoke or update of the same keys waits, then sees
	 * them gone: each key is deleted and audited exactly once.
	 */
	private function delete_matching( KeyFilter $filter, Actor $actor, string $action ): BulkResult|WP_Error {
		$result = Transaction::run(
			function () use ( $filter, $actor, $action ) {
				$rows = Transaction::rows( ( new KeyQuery( $filter ) )->select( 0, 0, true, KeyQuery::DELETE_COLUMNS ) );
				if ( 'revoke' === $action ) {
					$refused = self::refuse_foreign_owners( $rows, $actor, $action );
					if ( $refused instanceof WP_Error ) {
						return $refused;
					}
				}
				$changed = 0;
				foreach ( array_chunk( array_column( $rows, 'key_id' ), self::CHUNK ) as $ids ) {
					$changed += Transaction::query( self::where_ids( 'DELETE FROM ' . Schema::wc_table(), $ids ) );
					Transaction::query( self::where_ids( 'DELETE FROM ' . Schema::meta_table(), $ids ) );
				}
				$this->audit_or_fail( $actor, $action, $rows );
				return array( $rows, $changed );
			},
			__( 'revoking keys', 'keysmith' )
		);
		if ( $result instanceof WP_Error ) {
			return $result;
		}
		list( $rows, $changed ) = $result;
		KeyCache::forget_rows( $rows );
		return BulkResult::done( $action, $filter, array_map( 'intval', array_column( $rows, 'key_id' ) ), $changed );
	}

	/**
	 * Validates update() changes.
	 *
	 * @param array<string, mixed> $changes
	 * @return array<string, mixed>|WP_Error
	 */
	private function validate_changes( array $changes, Actor $actor ): array|WP_Error {
		$unknown = array_diff( array_keys( $changes ), self::UPDATE_SPEC );
		if ( array() !== $unknown || array() === $changes ) {
			return self::error(
				'keysmith_invalid_changes',
				/* translators: %s: allowed field names. */
				sprintf( __( 'Give at least one change, among: %s.', 'keysmith' ), implode( ', ', self::UPDATE_SPEC ) )
			);
		}
		$valid = array();
		if ( array_key_exists( 'permissions', $changes ) ) {
			$valid['permissions'] = self::permissions( $changes['permissions'] );
		}
		if ( array_key_exists( 'user_id', $changes ) ) {
			$owners           = $this->owners( $changes['user_id'], $actor );
			$valid['user_id'] = $owners instanceof WP_Error ? $owners : (int) array_key_first( $owners );
			if ( is_array( $changes['user_id'] ) && count( $changes['user_id'] ) > 1 ) {
				$valid['user_id'] = self::error( 'keysmith_invalid_user', __( 'Give one new owner.', 'keysmith' ) );
			}
		}
		if ( array_key_exists( 'description', $changes ) ) {
			$valid['description'] = self::description( $changes['description'] );
		}
		if ( array_key_exists( 'expires_at', $changes ) ) {
			$valid['expires_at'] = self::future_date( $changes['expires_at'] );
		}
		foreach ( $valid as $value ) {
			if ( $value instanceof WP_Error ) {
				return $value;
			}
		}
		return $valid;
	}

	/**
	 * Writes validated changes to the locked rows. Returns how many keys actually changed; each of
	 * those gets an audit row listing old and new values.
	 *
	 * @param list<array<string, string|null>> $rows
	 * @param array<string, mixed>             $changes
	 */
	private function apply_changes( array $rows, array $changes, Actor $actor ): int {
		global $wpdb;
		$wc_changes = array_intersect_key( $changes, array_flip( array( 'permissions', 'user_id', 'description' ) ) );
		$ids        = array_map( 'intval', array_column( $rows, 'key_id' ) );
		foreach ( array_chunk( $ids, self::CHUNK ) as $chunk ) {
			if ( array() !== $wc_changes ) {
				$set = array();
				foreach ( $wc_changes as $column => $value ) {
					$set[] = $column . ' = ' . $wpdb->prepare( 'user_id' === $column ? '%d' : '%s', $value ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
				}
				Transaction::query( self::where_ids( 'UPDATE ' . Schema::wc_table() . ' SET ' . implode( ', ', $set ), $chunk ) );
			}
			if ( array_key_exists( 'expires_at', $changes ) ) {
				$this->set_expiry( $chunk, $changes['expires_at'] );
			}
		}
		$audit = array();
		foreach ( $rows as $row ) {
			$diff = self::diff( $row, $changes );
			if ( array() !== $diff ) {
				$audit[] = $row + array( 'details' => array( 'changes' => $diff ) );
			}
		}
		$this->audit_or_fail( $actor, 'update', $audit );
		return count( $audit );
	}

	/**
	 * Old → new values that differ, per field.
	 *
	 * @param array<string, string|null> $row
	 * @param array<string, mixed>       $changes
	 * @return array<string, array{0: mixed, 1: mixed}>
	 */
	private static function diff( array $row, array $changes ): array {
		$diff = array();
		foreach ( $changes as $field => $new ) {
			$old = $row[ $field ] ?? null;
			$old = 'user_id' === $field ? (int) $old : $old;
			if ( $old !== $new ) {
				$diff[ $field ] = array( $old, $new );
			}
		}
		return $diff;
	}

	/**
	 * Sets (or clears, with null) the expiry of keys. Keys WooCommerce made have no metadata row
	 * yet: the upsert creates one with created_at NULL ("unknown").
	 *
	 * @param list<int> $ids
	 */
	private function set_expiry( array $ids, ?string $expires_at ): void {
		global $wpdb;
		if ( null === $expires_at ) {
			Transaction::query( self::where_ids( 'UPDATE ' . Schema::meta_table() . ' SET expires_at = NULL', $ids ) );
			return;
		}
		$values = implode( ',', array_map( static fn( int $id ): string => $wpdb->prepare( '(%d,%s)', $id, $expires_at ), $ids ) );
		Transaction::query( 'INSERT INTO ' . Schema::meta_table() . " (key_id, expires_at) VALUES $values ON DUPLICATE KEY UPDATE expires_at = VALUES(expires_at)" );
	}

	/**
	 * Rotation inside the transaction: lock the old keys, create their successors, shorten or end
	 * the old keys' lives.
	 *
	 * @return array{created: list<array<string, mixed>>, old: list<array<string, string|null>>}|WP_Error
	 */
	private function rotate_locked( KeyFilter $filter, Actor $actor, int $grace_seconds, ?callable $on_progress ): array|WP_Error {
		$old = $this->rotation_candidates( $filter, $actor, true );
		if ( $old instanceof WP_Error ) {
			return $old;
		}
		if ( array() === $old ) {
			return array( 'created' => array(), 'old' => array() );
		}
		$created = $this->insert_keys( self::successor_rows( $old ), $actor, $on_progress );
		$this->end_old_keys( array_map( 'intval', array_column( $old, 'key_id' ) ), $grace_seconds );
		$new_ids = array_column( $created, 'key_id', 'rotated_from' );
		$audit   = array_map(
			static fn( array $key ): array => $key + array( 'details' => array( 'new_key_id' => $new_ids[ (int) $key['key_id'] ], 'grace_seconds' => $grace_seconds ) ),
			$old
		);
		$this->audit_or_fail( $actor, 'rotate', $audit );
		return array( 'created' => $created, 'old' => $old );
	}

	/** rotate() with $dry_run: the same checks on the same rows, read without locking them. */
	private function rotate_dry_run( KeyFilter $filter, Actor $actor ): RotationResult|WP_Error {
		$old = Transaction::run( fn() => $this->rotation_candidates( $filter, $actor, false ), __( 'rotating keys', 'keysmith' ) );
		return $old instanceof WP_Error ? $old : RotationResult::dry_run( $filter, array_map( 'intval', array_column( $old, 'key_id' ) ) );
	}

	/**
	 * The keys a rotation would replace, in key id order, after its checks: at most MAX_CREATE
	 * matches, and the actor may assign keys to every owner (the successors are new keys for them).
	 * With $lock the rows are read FOR UPDATE, as the real rotation needs.
	 *
	 * @return list<array<string, string|null>>|WP_Error
	 */
	private function rotation_candidates( KeyFilter $filter, Actor $actor, bool $lock ): array|WP_Error {
		$old = Transaction::rows( ( new KeyQuery( $filter ) )->select( self::MAX_CREATE + 1, 0, $lock ) );
		if ( count( $old ) > self::MAX_CREATE ) {
			/* translators: %d: maximum number of keys. */
			return self::error( 'keysmith_invalid_count', sprintf( __( 'At most %d keys can be rotated at once.', 'keysmith' ), self::MAX_CREATE ) );
		}
		$old = $this->rotatable( $old, $lock );
		foreach ( array_unique( array_map( 'intval', array_column( $old, 'user_id' ) ) ) as $owner ) {
			if ( ! $actor->can_assign_to( $owner ) ) {
				return self::error( 'keysmith_cannot_assign', __( 'You do not have permission to assign API Keys to the selected user.', 'keysmith' ), 403 );
			}
		}
		usort( $old, static fn( array $a, array $b ): int => (int) $a['key_id'] <=> (int) $b['key_id'] );
		return $old;
	}

	/**
	 * New keys for the old ones: same owner, description, permissions and expiry, linked by
	 * rotated_from, with fresh key material.
	 *
	 * @param list<array<string, string|null>> $old
	 * @return list<array<string, mixed>>
	 */
	private static function successor_rows( array $old ): array {
		$pairs = Crypto::generate_keys( count( $old ) );
		$rows  = array();
		foreach ( $old as $i => $key ) {
			$rows[] = array(
				'user_id'      => (int) $key['user_id'],
				'description'  => (string) $key['description'],
				'permissions'  => (string) $key['permissions'],
				'expires_at'   => $key['expires_at'],
				'rotated_from' => (int) $key['key_id'],
			) + $pairs[ $i ];
		}
		return $rows;
	}

	/**
	 * Old keys after rotation: revoked at once without a grace period, else expiring when it ends.
	 *
	 * @param list<int> $ids
	 */
	private function end_old_keys( array $ids, int $grace_seconds ): void {
		global $wpdb;
		$ends_at = Dates::now_utc( time() + $grace_seconds );
		foreach ( array_chunk( $ids, self::CHUNK ) as $chunk ) {
			if ( 0 === $grace_seconds ) {
				Transaction::query( self::where_ids( 'DELETE FROM ' . Schema::wc_table(), $chunk ) );
				Transaction::query( self::where_ids( 'DELETE FROM ' . Schema::meta_table(), $chunk ) );
				continue;
			}
			$values = implode( ',', array_map( static fn( int $id ): string => $wpdb->prepare( '(%d,%s)', $id, $ends_at ), $chunk ) );
			// Keep an earlier expiry: rotation never extends a key's life.
			Transaction::query( 'INSERT INTO ' . Schema::meta_table() . " (key_id, expires_at) VALUES $values ON DUPLICATE KEY UPDATE expires_at = IF(expires_at IS NULL OR expires_at > VALUES(expires_at), VALUES(expires_at), expires_at)" );
		}
	}

	/**
	 * The locked rows that may be rotated: not expired (a successor would inherit a past expiry) and
	 * not rotated before (each key has at most one successor; a second rotation would give the new
	 * key the old one's grace-period expiry). With $lock the successor check is a locking read made
	 * after the old rows are locked, so a concurrent rotation of the same key that committed first
	 * is seen; a dry run reads without locks.
	 *
	 * @param list<array<string, string|null>> $old
	 * @return list<array<string, string|null>>
	 */
	private function rotatable( array $old, bool $lock ): array {
		$now = time();
		$old = array_values( array_filter( $old, static fn( array $key ): bool => ! Expiry::has_passed( $key['expires_at'], $now ) ) );
		if ( array() === $old ) {
			return array();
		}
		$rotated = array();
		foreach ( array_chunk( array_column( $old, 'key_id' ), self::CHUNK ) as $ids ) {
			$found   = Transaction::rows( self::where_ids( 'SELECT rotated_from FROM ' . Schema::meta_table(), $ids, 'rotated_from' ) . ( $lock ? ' FOR UPDATE' : '' ) );
			$rotated = array_merge( $rotated, array_column( $found, 'rotated_from' ) );
		}
		$rotated = array_flip( $rotated );
		return array_values( array_filter( $old, static fn( array $key ): bool => ! isset( $rotated[ $key['key_id'] ] ) ) );
	}

	// ----------------------------------------------------------------------------------------------
	// Helpers.

	/**
	 * One audit row per key, or DbFailure (which rolls the whole operation back: a change that cannot
	 * be audited does not happen).
	 *
	 * @param list<array<string, mixed>> $rows Rows with key_id, truncated_key, user_id, optional details.
	 * @param callable|null              $details Row => details, when not in the row.
	 */
	private function audit_or_fail( Actor $actor, string $action, #[\SensitiveParameter] array $rows, ?callable $details = null ): void {
		$entries = array();
		foreach ( $rows as $row ) {
			$entries[] = array(
				'key_id'        => (int) $row['key_id'],
				'truncated_key' => (string) $row['truncated_key'],
				'user_id'       => (int) $row['user_id'],
				'details'       => null !== $details ? $details( $row ) : ( $row['details'] ?? array() ),
			);
		}
		if ( ! AuditLog::record_many( $actor, $action, $entries ) ) {
			global $wpdb;
			throw new DbFailure( $wpdb->last_error );
		}
	}

	/** "<statement> WHERE <column> IN (…)" with the ids prepared. */
	private static function where_ids( string $statement, array $ids, string $column = 'key_id' ): string {
		global $wpdb;
		return $wpdb->prepare( $statement . " WHERE $column IN (" . implode( ',', array_fill( 0, count( $ids ), '%d' ) ) . ')', $ids ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
	}

	private static function permissions( mixed $value ): string|WP_Error {
		if ( null === $value || '' === $value ) {
			return self::error( 'keysmith_invalid_permissions', __( 'Permissions is missing.', 'keysmith' ) );
		}
		if ( ! in_array( $value, KeyFilter::PERMISSIONS, true ) ) {
			/* translators: %s: the value given. */
			return self::error( 'keysmith_invalid_permissions', sprintf( __( 'Invalid permissions "%s": expected read, write or read_write.', 'keysmith' ), is_scalar( $value ) ? (string) $value : gettype( $value ) ) );
		}
		return $value;
	}

	private static function description( mixed $value ): string|WP_Error {
		if ( ! is_string( $value ) || '' === sanitize_text_field( $value ) ) {
			return self::error( 'keysmith_invalid_description', __( 'Description is missing.', 'keysmith' ) );
		}
		$clean = sanitize_text_field( $value );
		return mb_strlen( $clean ) > self::MAX_DESCRIPTION ? self::description_too_long() : $clean;
	}

	private static function description_too_long(): WP_Error {
		/* translators: %d: maximum length. */
		return self::error( 'keysmith_description_too_long', sprintf( __( 'The description is longer than %d characters.', 'keysmith' ), self::MAX_DESCRIPTION ) );
	}

	/**
	 * Null stays null (never expires), and so does '' (an empty form field); anything else must be
	 * a valid date in the future.
	 */
	private static function future_date( mixed $value ): string|null|WP_Error {
		if ( null === $value || '' === $value ) {
			return null;
		}
		if ( ! is_string( $value ) ) {
			return self::error( 'keysmith_invalid_date', __( 'The expiry must be a date string or null.', 'keysmith' ) );
		}
		$date = Dates::parse_utc( $value, 'expires_at' );
		if ( is_string( $date ) && Expiry::has_passed( $date, time() ) ) {
			/* translators: %s: the date given. */
			return self::error( 'keysmith_invalid_date', sprintf( __( 'The expiry %s is not in the future.', 'keysmith' ), $value ) );
		}
		return $date;
	}

	/** An int, or a string of digits (CLI and form input); null otherwise. */
	private static function int_value( mixed $value ): ?int {
		if ( is_int( $value ) ) {
			return $value;
		}
		return is_string( $value ) && 1 === preg_match( '/^\d{1,9}$/', $value ) ? (int) $value : null;
	}

	private static function error( string $code, string $message, int $status = 400 ): WP_Error {
		return new WP_Error( $code, $message, array( 'status' => $status ) );
	}
}
