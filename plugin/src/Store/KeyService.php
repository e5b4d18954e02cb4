<?php
/**
 * The store's public operations: the one engine every front end (admin screen, WP-CLI, REST, cron,
 * user deletion) calls to create, list, change, rotate, revoke and verify WooCommerce REST API
 * keys in bulk.
 *
 * Each operation validates its input (KeySpec), runs in one transaction (Transaction: all or
 * nothing), writes through KeyWriter (WooCommerce's rows exactly as WooCommerce writes them, plus
 * Keysmith's metadata and the audit trail), then forgets the changed keys' cache entries
 * (KeyCache). Rotation lives in Rotation.
 *
 * The service checks WooCommerce's ownership rules (Actor) but not the front end's capability
 * (`manage_woocommerce`) or nonce: those belong to the screen / command / route.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

use Keysmith\Crypto\Crypto;
use Keysmith\Keys\PairCheck;
use Keysmith\Keys\SealedSecret;
use Keysmith\Sealing\NewSecrets;
use Keysmith\Sealing\SealingUnavailable;
use WP_Error;

final class KeyService {

	private KeyWriter $writer;

	public function __construct() {
		$this->writer = new KeyWriter();
	}

	/**
	 * Creates keys for one or several users, all or nothing.
	 *
	 * Spec:
	 * - user_ids     int[] (or user_id int): owners; each must exist and be assignable by $actor.
	 * - count        int, keys PER USER (default 1); count × number of users must be within 1–10,000.
	 * - permissions  'read' | 'write' | 'read_write' (required; anything else is an error, where
	 *                WooCommerce's AJAX handler would silently store read).
	 * - description  template (default KeySpec::DEFAULT_DESCRIPTION): {n} = 1..count within each
	 *                user, {user} = the owner's user_login, {date} = today's UTC date Y-m-d.
	 *                Sanitized with sanitize_text_field; more than 200 characters after expansion is
	 *                an error.
	 * - expires_at   ?string (see Dates::parse_utc), must be in the future; null = never; within
	 *                the key-lifetime policy's maximum (KeyPolicy). Without the field at all, the
	 *                policy's default for new keys (never, when no policy is set).
	 *
	 * $on_progress, when given, is called as $on_progress( int $done, int $total ) after each
	 * multi-row chunk (KeyWriter::CHUNK keys) is written, so a front end can draw a progress bar. It
	 * runs INSIDE the transaction: $done counts rows written but not yet committed, and a failure in
	 * a later chunk (or an exception thrown by the callback) still rolls every key back. When a
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
		$rows = KeySpec::plan_create( $spec, $actor );
		if ( $rows instanceof WP_Error ) {
			return $rows;
		}
		$refused = NewSecrets::refuse();
		if ( null !== $refused ) {
			return $refused;
		}
		$pairs = Crypto::generate_keys( count( $rows ) );
		foreach ( $rows as $i => $row ) {
			$rows[ $i ] = $row + $pairs[ $i ];
		}
		return Transaction::run(
			fn() => $this->writer->insert( $rows, $actor, $on_progress ),
			__( 'creating keys', 'keysmith' )
		);
	}

	/**
	 * One page of keys matching $filter, in the filter's order (paged by Paging's rule: a page
	 * that cannot exist, or lies past the end, is empty).
	 *
	 * @param int $page     1-based.
	 * @param int $per_page 1–1000.
	 * @return array{items: list<KeyRecord>, total: int}
	 */
	public function query( KeyFilter $filter, int $page = 1, int $per_page = 20 ): array {
		global $wpdb;
		$paging = Paging::of( $page, $per_page );
		$query  = new KeyQuery( $filter );
		$total  = (int) $wpdb->get_var( $query->count_sql() ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- prepared by KeyQuery.
		$items  = array();
		$offset = $paging->offset();
		$ids    = null !== $offset && $offset < $total ? array_map( 'intval', $wpdb->get_col( $query->page_ids_sql( $paging->per_page, $offset ) ) ) : array(); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
		if ( array() !== $ids ) {
			$rows = $wpdb->get_results( $query->rows_by_ids_sql( $ids ), ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
			foreach ( (array) $rows as $row ) {
				$items[] = KeyRecord::from_row( $row );
			}
		}
		return array(
			'items' => self::with_failures( $items ),
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
		return is_array( $row ) ? self::with_failures( array( KeyRecord::from_row( $row ) ) )[0] : null;
	}

	/**
	 * The records with their refused requests of the last 24 hours (one query for the page).
	 *
	 * @param list<KeyRecord> $records
	 * @return list<KeyRecord>
	 */
	private static function with_failures( array $records ): array {
		$figures = KeyFailures::for_keys( array_map( static fn( KeyRecord $r ): int => $r->key_id, $records ) );
		return array_map( static fn( KeyRecord $r ): KeyRecord => $r->with_failures( $figures[ $r->key_id ] ?? null ), $records );
	}

	/**
	 * Revokes (hard-deletes, as WooCommerce does) every key matching $filter, with its metadata.
	 * Idempotent: revoking an already revoked key changes nothing and is not an error (the id is
	 * reported in BulkResult::$failed). An empty filter needs `all => true`.
	 *
	 * @param bool $dry_run Count and list what would be revoked, write nothing.
	 */
	public function revoke( KeyFilter $filter, Actor $actor, bool $dry_run = false ): BulkResult|WP_Error {
		$refused = self::refuse_empty( $filter );
		if ( $refused instanceof WP_Error ) {
			return $refused;
		}
		if ( $dry_run ) {
			return self::dry_run( $filter, $actor, 'revoke' );
		}
		return $this->delete_matching( $filter, $actor, 'revoke' );
	}

	/**
	 * Changes every key matching $filter at once. The changes are validated first, and the keys
	 * are changed in one transaction: a refused change, or one key whose owner the actor may not
	 * edit, changes no key. Requested ids that do not exist are not an error (as in revoke()): the
	 * keys that exist are changed and the others are named in BulkResult::$failed, which every
	 * front end reports (WP-CLI exits with 1, REST lists them in `failed`, the admin screen warns).
	 *
	 * Changes (at least one): permissions 'read'|'write'|'read_write'; user_id int (must exist and be
	 * assignable by $actor); description string (plain, ≤ 200 chars after sanitize_text_field);
	 * expires_at ?string (a future date; null clears the expiry; within the key-lifetime policy's
	 * maximum).
	 *
	 * @param array<string, mixed> $changes
	 * @param bool                 $dry_run Validate the changes exactly as for real (owner exists and
	 *                                      is assignable by $actor, permissions, description, date),
	 *                                      then count and list the keys they would apply to; write nothing.
	 */
	public function update( KeyFilter $filter, array $changes, Actor $actor, bool $dry_run = false ): BulkResult|WP_Error {
		$refused = self::refuse_empty( $filter );
		if ( $refused instanceof WP_Error ) {
			return $refused;
		}
		$changes = KeySpec::changes( $changes, $actor );
		if ( $changes instanceof WP_Error ) {
			return $changes;
		}
		if ( $dry_run ) {
			return self::dry_run( $filter, $actor, 'update' );
		}
		$result = Transaction::run(
			function () use ( $filter, $changes, $actor ) {
				$rows    = Transaction::rows( ( new KeyQuery( $filter ) )->select( 0, 0, true ) );
				$refused = self::refuse_foreign_owners( $rows, $actor, 'update' );
				if ( $refused instanceof WP_Error ) {
					return $refused;
				}
				return array( $rows, $this->writer->update( $rows, $changes, $actor ) );
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
	 * sooner). $grace_seconds = 0 revokes the old key at once. At most KeySpec::MAX_CREATE keys per
	 * call. Keys already rotated once, and expired keys, are skipped: rotating twice is harmless,
	 * and the result names the keys that were not rotated.
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
		$refused = self::refuse_empty( $filter ) ?? KeySpec::refuse_grace( $grace_seconds ) ?? ( $dry_run ? null : NewSecrets::refuse() );
		if ( $refused instanceof WP_Error ) {
			return $refused;
		}
		$rotation = new Rotation( $this->writer );
		return $dry_run ? $rotation->dry_run( $filter, $actor ) : $rotation->run( $filter, $actor, $grace_seconds, $on_progress );
	}

	/**
	 * Applies the key-lifetime policy to existing keys (KeyPolicy): each matching key expires when a
	 * key made now would (the policy's default, capped by its maximum), unless it already expires
	 * sooner; no key's life gets longer. Every key changed gets an `update` event naming the old and
	 * new expiry and the policy. Needs a policy, criteria or `all`, and the actor's right to change
	 * every matching key (as update()).
	 *
	 * @param bool $dry_run Make every check and answer which keys would get an earlier expiry
	 *                      (ids, matched); write nothing.
	 */
	public function apply_policy( KeyFilter $filter, Actor $actor, bool $dry_run = false ): BulkResult|WP_Error {
		$refused = self::refuse_empty( $filter );
		if ( $refused instanceof WP_Error ) {
			return $refused;
		}
		$policy  = KeyPolicy::current();
		$ends_at = $policy->expiry_for_new_key( time() );
		if ( null === $ends_at ) {
			return self::error( 'keysmith_no_policy', __( 'No key-lifetime policy is set, so there is nothing to apply. Set a default expiry or a maximum lifetime first.', 'keysmith' ) );
		}
		$result = Transaction::run(
			function () use ( $filter, $actor, $dry_run, $policy, $ends_at ) {
				$rows    = Transaction::rows( ( new KeyQuery( $filter ) )->select( 0, 0, ! $dry_run ) );
				$refused = self::refuse_foreign_owners( $rows, $actor, 'update' );
				if ( $refused instanceof WP_Error ) {
					return $refused;
				}
				$shorter = array_values( array_filter( $rows, static fn( array $row ): bool => null === $row['expires_at'] || $row['expires_at'] > $ends_at ) );
				if ( ! $dry_run && array() !== $shorter ) {
					$this->writer->expire_by( array_map( 'intval', array_column( $shorter, 'key_id' ) ), $ends_at );
					$details = static fn( array $row ): array => array(
						'changes' => array( 'expires_at' => array( $row['expires_at'], $ends_at ) ),
						'policy'  => $policy->to_details(),
					);
					$this->writer->audit( $actor, 'update', $shorter, $details );
				}
				return array( $rows, $shorter );
			},
			__( 'applying the key-lifetime policy', 'keysmith' )
		);
		if ( $result instanceof WP_Error ) {
			return $result;
		}
		list( $rows, $shorter ) = $result;
		if ( ! $dry_run ) {
			KeyCache::forget_rows( $shorter );
		}
		$found = array_map( 'intval', array_column( $rows, 'key_id' ) );
		$ids   = array_map( 'intval', array_column( $shorter, 'key_id' ) );
		sort( $ids );
		$requested = array() === $filter->ids ? count( $found ) : count( $filter->ids );
		$failed    = array_values( array_diff( $filter->ids, $found ) );
		return $dry_run
			? new BulkResult( 'apply_policy', $requested, count( $ids ), 0, $ids, $failed, true )
			: new BulkResult( 'apply_policy', $requested, count( $found ), count( $ids ), $ids, $failed );
	}

	/** Revokes every key whose expiry has passed (the hourly cron job). Returns how many. */
	public function revoke_expired(): int {
		$filter = KeyFilter::from_array( array( 'expired' => true ) );
		$result = $filter instanceof KeyFilter ? $this->delete_matching( $filter, Actor::system(), 'expire' ) : $filter;
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
	 * @return true|WP_Error Codes keysmith_unknown_key, keysmith_wrong_secret, keysmith_key_expired,
	 *                      keysmith_sealing_unavailable (a sealed secret this server cannot open).
	 *                      (Declared bool|WP_Error: `true` alone is a type only from PHP 8.2, and the
	 *                      plugin supports 8.1.)
	 */
	public function verify_pair( string $consumer_key, #[\SensitiveParameter] string $consumer_secret ): bool|WP_Error {
		global $wpdb;
		$row = $wpdb->get_row(
			$wpdb->prepare(
				'SELECT k.key_id, k.consumer_key, k.consumer_secret, m.expires_at, m.sealed_secret, m.sealed_with FROM ' . Schema::wc_table() . ' k LEFT JOIN ' . Schema::meta_table() . ' m ON m.key_id = k.key_id WHERE k.consumer_key = %s LIMIT 1', // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
				PairCheck::lookup_hash( $consumer_key )
			),
			ARRAY_A
		);
		if ( ! is_array( $row ) ) {
			return self::error( 'keysmith_unknown_key', __( 'Consumer key is invalid.', 'keysmith' ), 404 );
		}
		$sealed = SealedSecret::from_columns( $row['sealed_secret'], $row['sealed_with'], (string) $row['consumer_key'] );
		try {
			$verdict = null === $sealed
				? PairCheck::judge( (string) $row['consumer_secret'], $consumer_secret, $row['expires_at'], time() )
				: PairCheck::judge_sealed( $sealed, $consumer_secret, $row['expires_at'], time() );
		} catch ( SealingUnavailable $e ) {
			return self::error( 'keysmith_sealing_unavailable', __( 'The key\'s secret is sealed, and this server has no sealing key that opens it; run `wp keysmith sealing status`.', 'keysmith' ) . ' ' . $e->getMessage(), 500 );
		}
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
				$changed = $this->writer->delete( array_column( $rows, 'key_id' ), $action );
				$this->writer->audit( $actor, $action, $rows );
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

	/** A destructive operation needs criteria, or `all` said out loud. */
	private static function refuse_empty( KeyFilter $filter ): ?WP_Error {
		if ( $filter->has_criteria() || $filter->all ) {
			return null;
		}
		return self::error( 'keysmith_empty_filter', __( 'No keys selected. Give ids or a filter, or confirm that the operation applies to all keys.', 'keysmith' ) );
	}

	/**
	 * What a revoke or update would apply to: the matching key ids, nothing written. The read goes
	 * through Transaction so a failed query is an error rather than a reassuring "0 keys".
	 */
	private static function dry_run( KeyFilter $filter, Actor $actor, string $action ): BulkResult|WP_Error {
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

	private static function error( string $code, string $message, int $status = 400 ): WP_Error {
		return new WP_Error( $code, $message, array( 'status' => $status ) );
	}
}
