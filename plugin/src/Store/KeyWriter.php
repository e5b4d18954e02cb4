<?php
/**
 * Writes keys to the database: rows of WooCommerce's table exactly as WooCommerce writes them
 * (docs/woocommerce-compatibility.md §1–2), Keysmith's metadata, and one audit row per key, CHUNK
 * rows per statement. Internal to the store; every method runs inside the caller's Transaction and
 * throws DbFailure when a statement fails, so the whole operation rolls back.
 *
 * The store's rules (what may be written, by whom) are checked before anything gets here. While
 * sealing is on, WooCommerce's column gets a marker and the sealed secret goes to the metadata
 * (Sealing\NewSecrets); what insert() returns still holds the plaintext, to be shown once.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

use Keysmith\Sealing\NewSecrets;

final class KeyWriter {

	/**
	 * Rows per multi-row statement. 1,000 rows of WooCommerce's table are about 200 KB of SQL, far
	 * below MariaDB's and MySQL's default max_allowed_packet (16 MB / 64 MB), and large enough that
	 * 10,000 keys take ten round trips.
	 */
	public const CHUNK = 1000;

	/**
	 * Inserts complete rows (owner, description, permissions, key material, expiry, rotation link)
	 * into WooCommerce's table, Keysmith's metadata and the audit log.
	 *
	 * @param list<array<string, mixed>>      $rows        KeySpec rows plus Crypto::generate_keys() records.
	 * @param (callable(int, int): void)|null $on_progress Told ( keys written, all keys ) after each chunk.
	 * @return list<array{key_id:int, user_id:int, description:string, permissions:string, consumer_key:string, consumer_secret:string, truncated_key:string, created_at:string, expires_at:?string, rotated_from:?int}>
	 *         The new keys with their PLAINTEXT pair, in row order.
	 */
	public function insert( #[\SensitiveParameter] array $rows, Actor $actor, ?callable $on_progress = null ): array {
		global $wpdb;
		$now     = Dates::now_utc();
		$created = array();
		$sealing = NewSecrets::wanted();
		foreach ( array_chunk( $rows, self::CHUNK ) as $chunk ) {
			if ( $sealing ) {
				$chunk = NewSecrets::seal( $chunk ); // WooCommerce's column gets a marker, Keysmith's the sealed secret.
			}
			$values = array();
			$args   = array();
			foreach ( $chunk as $row ) {
				$values[] = '(%d,%s,%s,%s,%s,%s)';
				array_push( $args, $row['user_id'], $row['description'], $row['permissions'], $row['key_hash'], $row['stored_secret'] ?? $row['consumer_secret'], $row['truncated_key'] );
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
			$range = range( $first, $first + count( $chunk ) - 1 ) === $ids ? array( $first, $first + count( $chunk ) - 1 ) : null;
			$this->insert_meta( $chunk, $actor, $now, $range );
			if ( $sealing ) {
				NewSecrets::store( $chunk );
			}
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
	 * Deletes keys (as WooCommerce revokes them) with their metadata, and remembers for 90 days
	 * which stored key hash belonged to which key and why it ended (EndedKeys), so a client still
	 * presenting it is reported as using a revoked or expired key rather than an unknown one.
	 *
	 * @param list<int|string> $ids
	 * @param string           $why The audit action that ends them (revoke, expire, rotate, user_deleted).
	 * @return int Keys deleted from WooCommerce's table.
	 */
	public function delete( array $ids, string $why = 'revoke' ): int {
		$deleted = 0;
		foreach ( array_chunk( $ids, self::CHUNK ) as $chunk ) {
			EndedKeys::remember( $chunk, $why );
			$deleted += Transaction::query( KeyQuery::where_ids( 'DELETE FROM ' . Schema::wc_table(), $chunk ) );
			Transaction::query( KeyQuery::where_ids( 'DELETE FROM ' . Schema::meta_table(), $chunk ) );
		}
		return $deleted;
	}

	/**
	 * Writes validated changes to the locked rows. Returns how many keys actually changed; each of
	 * those gets an audit row listing old and new values.
	 *
	 * @param list<array<string, string|null>> $rows
	 * @param array<string, mixed>             $changes From KeySpec::changes().
	 */
	public function update( array $rows, array $changes, Actor $actor ): int {
		global $wpdb;
		$wc_changes = array_intersect_key( $changes, array_flip( array( 'permissions', 'user_id', 'description' ) ) );
		$ids        = array_map( 'intval', array_column( $rows, 'key_id' ) );
		foreach ( array_chunk( $ids, self::CHUNK ) as $chunk ) {
			if ( array() !== $wc_changes ) {
				$set = array();
				foreach ( $wc_changes as $column => $value ) {
					$set[] = $column . ' = ' . $wpdb->prepare( 'user_id' === $column ? '%d' : '%s', $value ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
				}
				Transaction::query( KeyQuery::where_ids( 'UPDATE ' . Schema::wc_table() . ' SET ' . implode( ', ', $set ), $chunk ) );
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
		$this->audit( $actor, 'update', $audit );
		return count( $audit );
	}

	/**
	 * Makes keys expire at $ends_at at the latest: an earlier expiry is kept, so this never extends
	 * a key's life. Keys WooCommerce made get a metadata row (created_at NULL, "unknown").
	 *
	 * @param list<int> $ids
	 * @param string    $ends_at UTC 'Y-m-d H:i:s'.
	 */
	public function expire_by( array $ids, string $ends_at ): void {
		global $wpdb;
		foreach ( array_chunk( $ids, self::CHUNK ) as $chunk ) {
			$values = implode( ',', array_map( static fn( int $id ): string => $wpdb->prepare( '(%d,%s)', $id, $ends_at ), $chunk ) );
			Transaction::query( 'INSERT INTO ' . Schema::meta_table() . " (key_id, expires_at) VALUES $values ON DUPLICATE KEY UPDATE expires_at = IF(expires_at IS NULL OR expires_at > VALUES(expires_at), VALUES(expires_at), expires_at)" );
		}
	}

	/**
	 * One audit row per key, or DbFailure (which rolls the whole operation back: a change that cannot
	 * be audited does not happen).
	 *
	 * @param list<array<string, mixed>> $rows    Rows with key_id, truncated_key, user_id, optional details.
	 * @param callable|null              $details Row => details, when not in the row.
	 */
	public function audit( Actor $actor, string $action, #[\SensitiveParameter] array $rows, ?callable $details = null ): void {
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
			throw DbFailure::from_wpdb( $wpdb ); // Its failed INSERT was the last statement.
		}
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
		$found   = Transaction::rows(
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
				? $wpdb->prepare( 'SELECT key_id, %s, %d, NULL, NULL, %s', $now, $actor->user_id, KeySource::KEYSMITH )
				: $wpdb->prepare( 'SELECT key_id, %s, %d, %s, NULL, %s', $now, $actor->user_id, $expires_at, KeySource::KEYSMITH );
			Transaction::query( 'INSERT INTO ' . Schema::meta_table() . ' (key_id, created_at, created_by, expires_at, rotated_from, source) ' . $select . $wpdb->prepare( ' FROM ' . Schema::wc_table() . ' WHERE key_id BETWEEN %d AND %d', $range[0], $range[1] ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
			return;
		}
		$values = array();
		$args   = array();
		foreach ( $chunk as $row ) {
			// prepare() has no NULL placeholder: NULLs are literal, everything else a placeholder.
			$values[] = '(%d,%s,%d,' . ( null === $row['expires_at'] ? 'NULL' : '%s' ) . ',' . ( null === $row['rotated_from'] ? 'NULL' : '%d' ) . ',%s)';
			array_push( $args, $row['key_id'], $now, $actor->user_id );
			if ( null !== $row['expires_at'] ) {
				$args[] = $row['expires_at'];
			}
			if ( null !== $row['rotated_from'] ) {
				$args[] = $row['rotated_from'];
			}
			$args[] = KeySource::KEYSMITH;
		}
		Transaction::query( $wpdb->prepare( 'INSERT INTO ' . Schema::meta_table() . ' (key_id, created_at, created_by, expires_at, rotated_from, source) VALUES ' . implode( ',', $values ), $args ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
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
		$details = static fn( array $row ): array => array_filter(
			array(
				'permissions'  => $row['permissions'],
				'expires_at'   => $row['expires_at'],
				'rotated_from' => $row['rotated_from'],
			)
		);
		$uniform = array_unique( array_map( static fn( array $row ): string => (string) wp_json_encode( $details( $row ) ), $chunk ) );
		if ( null === $range || 1 !== count( $uniform ) ) {
			$this->audit( $actor, 'create', $chunk, $details );
			return;
		}
		$select = $wpdb->prepare( 'SELECT %s, %d, %s, %s, key_id, truncated_key, user_id, %s', $now, $actor->user_id, $actor->source, 'create', reset( $uniform ) );
		Transaction::query( 'INSERT INTO ' . Schema::audit_table() . ' (occurred_at, actor_id, source, action, key_id, truncated_key, key_owner, details) ' . $select . $wpdb->prepare( ' FROM ' . Schema::wc_table() . ' WHERE key_id BETWEEN %d AND %d', $range[0], $range[1] ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
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
			Transaction::query( KeyQuery::where_ids( 'UPDATE ' . Schema::meta_table() . ' SET expires_at = NULL', $ids ) );
			return;
		}
		$values = implode( ',', array_map( static fn( int $id ): string => $wpdb->prepare( '(%d,%s)', $id, $expires_at ), $ids ) );
		Transaction::query( 'INSERT INTO ' . Schema::meta_table() . " (key_id, expires_at) VALUES $values ON DUPLICATE KEY UPDATE expires_at = VALUES(expires_at)" );
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
}
