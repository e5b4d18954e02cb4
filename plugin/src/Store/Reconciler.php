<?php
/**
 * Keeps Keysmith's records in step with WooCommerce's key table when keys are made or removed
 * without Keysmith: by WooCommerce's own screens and app authorization (WooCommerce fires no hook
 * for them; the WooCommerce module notices them and calls adopt() / forget()), or behind everyone's
 * back (direct SQL, another plugin), which run() finds by comparing the two tables (the hourly job
 * and `wp keysmith reconcile`).
 *
 * A key "has Keysmith's record" when its metadata row has a source (Store\KeySource). Every change
 * runs in a transaction that first locks the rows it is about, re-reading them as they are now:
 * whoever comes second (a watcher and the hourly job, two servers) finds the work done, so each key
 * gets exactly one `create` and one `revoke` event.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

use WP_Error;

final class Reconciler {

	/** Keys per statement and per transaction when sweeping. */
	public const CHUNK = 1000;

	private KeyWriter $writer;

	public function __construct() {
		$this->writer = new KeyWriter();
	}

	/**
	 * Records keys WooCommerce just made (its Add key screen, app authorization) as Keysmith would
	 * have: creation time now, the acting user as creator, the source, and an expiry; one `create`
	 * event each, with $actor's source. Keys already recorded are left alone.
	 *
	 * @param list<int>            $ids        Keys to record.
	 * @param string               $source     KeySource::WOOCOMMERCE or KeySource::WC_AUTH.
	 * @param string|null          $app_name   The app's name (wc-auth).
	 * @param string|null          $expires_at UTC 'Y-m-d H:i:s' the key gets (the key-lifetime policy), or null.
	 * @param array<string, mixed> $details    Added to the audit event (e.g. the policy applied).
	 * @return list<int>|WP_Error The keys recorded now.
	 */
	public function adopt( array $ids, Actor $actor, string $source, ?string $app_name, ?string $expires_at, array $details = array() ): array|WP_Error {
		if ( array() === $ids ) {
			return array();
		}
		$adopted = Transaction::run(
			function () use ( $ids, $actor, $source, $app_name, $expires_at, $details ): array {
				global $wpdb;
				$rows = $this->lock_unrecorded( KeyQuery::where_ids( self::UNRECORDED_SELECT, $ids, 'k.key_id' ) );
				if ( array() === $rows ) {
					return array();
				}
				$now    = Dates::now_utc();
				$app    = null === $app_name ? 'NULL' : $wpdb->prepare( '%s', $app_name ); // prepare() has no NULL placeholder.
				$values = array();
				foreach ( $rows as $row ) {
					$values[] = $wpdb->prepare( '(%d,%s,%d,%s,', $row['key_id'], $now, $actor->user_id, $source ) . $app . ')';
				}
				// A row that exists already (the auth path's last IP, an expiry set early) keeps those.
				Transaction::query(
					'INSERT INTO ' . Schema::meta_table() . ' (key_id, created_at, created_by, source, app_name) VALUES ' . implode( ',', $values )
					. ' ON DUPLICATE KEY UPDATE created_at = VALUES(created_at), created_by = VALUES(created_by), source = VALUES(source), app_name = VALUES(app_name)'
				);
				$ids = array_map( 'intval', array_column( $rows, 'key_id' ) );
				if ( null !== $expires_at ) {
					$this->writer->expire_by( $ids, $expires_at );
				}
				$event = array_filter(
					array(
						'key_source' => $source,
						'app_name'   => $app_name,
						'expires_at' => $expires_at,
					)
				) + $details;
				$this->writer->audit( $actor, 'create', $rows, static fn( array $row ): array => array( 'permissions' => $row['permissions'] ) + $event );
				KeyCache::forget_rows( $rows );
				return $ids;
			},
			__( 'recording keys', 'keysmith' )
		);
		return $adopted;
	}

	/**
	 * Records that keys WooCommerce revoked are gone: one `revoke` event each (with $actor's
	 * source), their metadata deleted, and the keys remembered as ended (EndedKeys), as Keysmith's
	 * own revokes remember them. $known are the rows as they were before the revoke;
	 * only those no longer in WooCommerce's table count.
	 *
	 * @param list<array{key_id:int|string, user_id:int|string, truncated_key:string, consumer_key:string, has_record:bool}> $known
	 * @return list<int>|WP_Error The keys recorded as revoked now.
	 */
	public function forget( array $known, Actor $actor ): array|WP_Error {
		if ( array() === $known ) {
			return array();
		}
		return Transaction::run(
			function () use ( $known, $actor ): array {
				$by_id   = array_column( $known, null, 'key_id' );
				$present = Transaction::rows( KeyQuery::where_ids( 'SELECT key_id FROM ' . Schema::wc_table(), array_keys( $by_id ) ) );
				$gone    = array_diff_key( $by_id, array_flip( array_column( $present, 'key_id' ) ) );
				if ( array() === $gone ) {
					return array();
				}
				// Keys whose record is still there: locked, so the hourly sweep cannot audit them too.
				$records = Transaction::rows( KeyQuery::where_ids( 'SELECT key_id FROM ' . Schema::meta_table(), array_keys( $gone ) ) . ' FOR UPDATE' );
				$records = array_flip( array_map( 'intval', array_column( $records, 'key_id' ) ) );
				// A key that had a record which is gone now was handled by someone else.
				$mine = array_values( array_filter( $gone, static fn( array $row ): bool => isset( $records[ (int) $row['key_id'] ] ) || ! $row['has_record'] ) );
				if ( array() === $mine ) {
					return array();
				}
				$ids = array_map( 'intval', array_column( $mine, 'key_id' ) );
				Transaction::query( KeyQuery::where_ids( 'DELETE FROM ' . Schema::meta_table(), $ids ) );
				EndedKeys::remember_rows( $mine, 'revoke' );
				$this->writer->audit( $actor, 'revoke', $mine );
				KeyCache::forget_rows( $mine );
				return $ids;
			},
			__( 'recording revoked keys', 'keysmith' )
		);
	}

	/**
	 * Records edits WooCommerce's key form made (owner, description, permissions; it writes them
	 * without a hook): an `update` event per key that changed, listing old and new values as
	 * Keysmith's own updates do, and the key's cache entries forgotten (they held the old owner and
	 * permissions).
	 *
	 * @param list<array<string, mixed>> $before snapshot() rows taken before the edit.
	 * @return list<int>|WP_Error The keys recorded as changed.
	 */
	public function record_changes( array $before, Actor $actor ): array|WP_Error {
		$now = array_column( self::snapshot( array_map( 'intval', array_column( $before, 'key_id' ) ) ), null, 'key_id' );
		$changed = array();
		foreach ( $before as $old ) {
			$new = $now[ $old['key_id'] ] ?? null;
			if ( null === $new ) {
				continue;
			}
			$diff = array();
			foreach ( array( 'user_id', 'description', 'permissions' ) as $field ) {
				$was = 'user_id' === $field ? (int) $old[ $field ] : $old[ $field ];
				$is  = 'user_id' === $field ? (int) $new[ $field ] : $new[ $field ];
				if ( $was !== $is ) {
					$diff[ $field ] = array( $was, $is );
				}
			}
			if ( array() !== $diff ) {
				$changed[] = $new + array( 'details' => array( 'changes' => $diff ) );
			}
		}
		if ( array() === $changed ) {
			return array();
		}
		return Transaction::run(
			function () use ( $changed, $before, $actor ): array {
				$this->writer->audit( $actor, 'update', $changed );
				KeyCache::forget_rows( $before );
				return array_map( 'intval', array_column( $changed, 'key_id' ) );
			},
			__( 'recording changed keys', 'keysmith' )
		);
	}

	/**
	 * The rows of keys as they are now, with whether Keysmith has a record for each: what forget()
	 * and record_changes() compare with after WooCommerce changed them.
	 *
	 * @param list<int> $ids
	 * @return list<array{key_id:string, user_id:string, description:?string, permissions:string, truncated_key:string, consumer_key:string, has_record:bool}>
	 */
	public static function snapshot( array $ids ): array {
		global $wpdb;
		if ( array() === $ids ) {
			return array();
		}
		$rows = $wpdb->get_results( KeyQuery::where_ids( 'SELECT k.key_id, k.user_id, k.description, k.permissions, k.truncated_key, k.consumer_key, m.source FROM ' . Schema::wc_table() . ' k LEFT JOIN ' . Schema::meta_table() . ' m ON m.key_id = k.key_id', $ids, 'k.key_id' ), ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- prepared by where_ids.
		return array_map(
			static function ( array $row ): array {
				$row['has_record'] = null !== $row['source'];
				unset( $row['source'] );
				return $row;
			},
			(array) $rows
		);
	}

	/**
	 * The sweep: keys in WooCommerce's table without Keysmith's record get one (source unknown,
	 * creation time unknown, no expiry) and a `create` event; records whose key is gone are deleted
	 * with a `revoke` event. Both with $actor's source (`reconcile` for the hourly job and the CLI).
	 * Each side is an anti-join walked CHUNK keys at a time in key order, so 100,000 keys cost about
	 * a hundred indexed statements and bounded memory; with nothing to do, two statements.
	 *
	 * @param bool $dry_run Find and report, write nothing.
	 */
	public function run( Actor $actor, bool $dry_run = false ): ReconcileResult|WP_Error {
		$found = $this->sweep(
			self::UNRECORDED_SELECT . ' WHERE (m.key_id IS NULL OR m.source IS NULL) AND k.key_id > %d ORDER BY k.key_id LIMIT %d',
			$dry_run ? null : fn( array $ids ): array|WP_Error => $this->record_found( $ids, $actor )
		);
		if ( $found instanceof WP_Error ) {
			return $found;
		}
		$vanished = $this->sweep(
			'SELECT m.key_id FROM ' . Schema::meta_table() . ' m LEFT JOIN ' . Schema::wc_table() . ' k ON k.key_id = m.key_id WHERE k.key_id IS NULL AND m.key_id > %d ORDER BY m.key_id LIMIT %d',
			$dry_run ? null : fn( array $ids ): array|WP_Error => $this->record_vanished( $ids, $actor )
		);
		if ( $vanished instanceof WP_Error ) {
			return $vanished;
		}
		return new ReconcileResult( $found, $vanished, $dry_run );
	}

	/**
	 * Gives every key without a record one (source unknown), silently: the schema migration's
	 * baseline for keys that were there before Keysmith could notice them. Two statements.
	 */
	public static function adopt_existing(): void {
		global $wpdb;
		// phpcs:disable WordPress.DB.PreparedSQL.NotPrepared -- table names are ours, the value prepared.
		$wpdb->query( $wpdb->prepare( 'INSERT INTO ' . Schema::meta_table() . ' (key_id, source) SELECT k.key_id, %s FROM ' . Schema::wc_table() . ' k LEFT JOIN ' . Schema::meta_table() . ' m ON m.key_id = k.key_id WHERE m.key_id IS NULL', KeySource::UNKNOWN ) );
		$wpdb->query( $wpdb->prepare( 'UPDATE ' . Schema::meta_table() . ' SET source = %s WHERE source IS NULL', KeySource::UNKNOWN ) );
		// phpcs:enable
	}

	/** Keys of WooCommerce's table and the columns a record and its event need, with their metadata row (alias m). */
	private const UNRECORDED_SELECT = 'SELECT k.key_id, k.user_id, k.permissions, k.truncated_key, k.consumer_key FROM {wc} k LEFT JOIN {meta} m ON m.key_id = k.key_id';

	/**
	 * Walks an anti-join in key order: $sql has two placeholders, the last key id seen and the
	 * chunk size. Each chunk's ids go to $handle (none in a dry run), which answers the ids it
	 * recorded.
	 *
	 * @param (callable(list<int>): (list<int>|WP_Error))|null $handle
	 * @return list<int>|WP_Error Every id found (dry run) or recorded.
	 */
	private function sweep( string $sql, ?callable $handle ): array|WP_Error {
		global $wpdb;
		$sql   = self::tables( $sql );
		$after = 0;
		$done  = array();
		do {
			$wpdb->last_error = '';
			$ids              = array_map( 'intval', (array) $wpdb->get_col( $wpdb->prepare( $sql, $after, self::CHUNK ) ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- tables named above.
			if ( '' !== $wpdb->last_error ) {
				return new WP_Error( 'keysmith_db_error', __( 'A database error occurred while reconciling keys; nothing more was changed.', 'keysmith' ), array( 'status' => 500 ) );
			}
			if ( array() === $ids ) {
				break;
			}
			$after = (int) end( $ids );
			$got   = null === $handle ? $ids : $handle( $ids );
			if ( $got instanceof WP_Error ) {
				return $got;
			}
			array_push( $done, ...$got );
		} while ( count( $ids ) === self::CHUNK );
		return $done;
	}

	/**
	 * One chunk of keys found without a record.
	 *
	 * @param list<int> $ids
	 * @return list<int>|WP_Error
	 */
	private function record_found( array $ids, Actor $actor ): array|WP_Error {
		return Transaction::run(
			function () use ( $ids, $actor ): array {
				global $wpdb;
				$rows = $this->lock_unrecorded( KeyQuery::where_ids( self::UNRECORDED_SELECT, $ids, 'k.key_id' ) );
				if ( array() === $rows ) {
					return array();
				}
				$values = array_map( static fn( array $row ): string => $wpdb->prepare( '(%d,%s)', $row['key_id'], KeySource::UNKNOWN ), $rows );
				Transaction::query( 'INSERT INTO ' . Schema::meta_table() . ' (key_id, source) VALUES ' . implode( ',', $values ) . ' ON DUPLICATE KEY UPDATE source = VALUES(source)' );
				$this->writer->audit(
					$actor,
					'create',
					$rows,
					static fn( array $row ): array => array(
						'permissions' => $row['permissions'],
						'key_source'  => KeySource::UNKNOWN,
					)
				);
				return array_map( 'intval', array_column( $rows, 'key_id' ) );
			},
			__( 'recording keys', 'keysmith' )
		);
	}

	/**
	 * One chunk of records whose key is gone. The event names the key as Keysmith last recorded it
	 * (its ending and owner from the key's latest audit event), since the row that said it is gone.
	 *
	 * @param list<int> $ids
	 * @return list<int>|WP_Error
	 */
	private function record_vanished( array $ids, Actor $actor ): array|WP_Error {
		return Transaction::run(
			function () use ( $ids, $actor ): array {
				$locked = Transaction::rows( self::tables( KeyQuery::where_ids( 'SELECT m.key_id FROM {meta} m LEFT JOIN {wc} k ON k.key_id = m.key_id', $ids, 'm.key_id' ) ) . ' AND k.key_id IS NULL FOR UPDATE' );
				$ids    = array_map( 'intval', array_column( $locked, 'key_id' ) );
				if ( array() === $ids ) {
					return array();
				}
				$last = Transaction::rows(
					self::tables(
						KeyQuery::where_ids( 'SELECT a.key_id, a.truncated_key, a.key_owner AS user_id FROM {audit} a JOIN (SELECT key_id, MAX(audit_id) AS audit_id FROM {audit}', $ids ) . ' GROUP BY key_id) latest ON latest.audit_id = a.audit_id'
					)
				);
				$last = array_column( $last, null, 'key_id' );
				$rows = array_map(
					static fn( int $id ): array => array(
						'key_id'        => $id,
						'truncated_key' => (string) ( $last[ $id ]['truncated_key'] ?? '' ),
						'user_id'       => (int) ( $last[ $id ]['user_id'] ?? 0 ),
					),
					$ids
				);
				Transaction::query( KeyQuery::where_ids( 'DELETE FROM ' . Schema::meta_table(), $ids ) );
				$this->writer->audit( $actor, 'revoke', $rows );
				KeyCache::forget_key_ids( $ids );
				return $ids;
			},
			__( 'recording revoked keys', 'keysmith' )
		);
	}

	/**
	 * Locks the keys of $select that still have no record, as they are now (a locking read sees
	 * the latest committed rows, so a key recorded meanwhile by someone else drops out).
	 *
	 * @return list<array<string, string|null>>
	 */
	private function lock_unrecorded( string $select ): array {
		return Transaction::rows( self::tables( $select ) . ' AND (m.key_id IS NULL OR m.source IS NULL) FOR UPDATE' );
	}

	/** Fills in the table names of a statement written with {wc}, {meta} and {audit}. */
	private static function tables( string $sql ): string {
		return str_replace( array( '{wc}', '{meta}', '{audit}' ), array( Schema::wc_table(), Schema::meta_table(), Schema::audit_table() ), $sql );
	}
}
