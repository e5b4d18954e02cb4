<?php
/**
 * Audit trail: who did what to which key, from which front end. Never holds a secret.
 *
 * Actions written by the store: create, revoke, update, rotate, expire (cron), user_deleted.
 * Other modules may add their own (e.g. the auth path), at most 32 characters.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

final class AuditLog {

	/**
	 * Records one event per key with multi-row INSERTs (a bulk operation on 10,000 keys writes
	 * 10,000 rows in a few statements). Runs inside the caller's transaction when there is one.
	 *
	 * @param list<array{key_id:int, truncated_key:string, user_id:int, details?:array<string,mixed>}> $keys
	 * @param array<string, mixed> $details Merged into every row's details.
	 * @return bool False when a statement failed.
	 */
	public static function record_many( Actor $actor, string $action, array $keys, array $details = array() ): bool {
		global $wpdb;
		$now = Dates::now_utc();
		foreach ( array_chunk( $keys, 1000 ) as $chunk ) {
			$values = array();
			$args   = array();
			foreach ( $chunk as $key ) {
				$values[] = '(%s,%d,%s,%s,%d,%s,%d,%s)';
				$row_info = array_merge( $details, $key['details'] ?? array() );
				array_push(
					$args,
					$now,
					$actor->user_id,
					$actor->source,
					substr( $action, 0, 32 ),
					(int) $key['key_id'],
					(string) $key['truncated_key'],
					(int) $key['user_id'],
					self::details_json( $row_info )
				);
			}
			$sql = 'INSERT INTO ' . Schema::audit_table() . ' (occurred_at, actor_id, source, action, key_id, truncated_key, key_owner, details) VALUES ' . implode( ',', $values );
			if ( false === $wpdb->query( $wpdb->prepare( $sql, $args ) ) ) { // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- placeholders built above.
				return false;
			}
		}
		return true;
	}

	/**
	 * Audit rows, newest first, paged by Paging's rule (a page that cannot exist is empty).
	 *
	 * Filters: key_id int, actor_id int, key_owner int, action string, source string,
	 * since / until (UTC 'Y-m-d H:i:s').
	 *
	 * @param array<string, mixed> $filters
	 * @return array{items: list<array{audit_id:int, occurred_at:string, actor_id:int, source:string, action:string, key_id:int, truncated_key:string, key_owner:int, details:array<string,mixed>}>, total: int}
	 */
	public static function query( array $filters = array(), int $page = 1, int $per_page = 50 ): array {
		global $wpdb;
		list( $where_sql, $args ) = self::where( $filters );
		$paging = Paging::of( $page, $per_page );
		$offset = $paging->offset();
		$table  = Schema::audit_table();
		// phpcs:disable WordPress.DB.PreparedSQL -- column names are fixed in where(), values are placeholders.
		$total = (int) $wpdb->get_var( self::prepare( "SELECT COUNT(*) FROM $table WHERE $where_sql", $args ) );
		$rows  = null === $offset || $offset >= $total ? array() : $wpdb->get_results( self::prepare( "SELECT * FROM $table WHERE $where_sql ORDER BY audit_id DESC LIMIT %d OFFSET %d", array_merge( $args, array( $paging->per_page, $offset ) ) ), ARRAY_A );
		// phpcs:enable
		return array(
			'items' => array_map( array( self::class, 'item' ), (array) $rows ),
			'total' => $total,
		);
	}

	/**
	 * The WHERE clause for query()'s filters: fixed column names, every value a placeholder.
	 *
	 * @param array<string, mixed> $filters
	 * @return array{0: string, 1: list<int|string>}
	 */
	private static function where( array $filters ): array {
		$where   = array( '1=1' );
		$args    = array();
		$columns = array(
			'key_id'    => 'key_id = %d',
			'actor_id'  => 'actor_id = %d',
			'key_owner' => 'key_owner = %d',
			'action'    => 'action = %s',
			'source'    => 'source = %s',
			'since'     => 'occurred_at >= %s',
			'until'     => 'occurred_at < %s',
		);
		foreach ( $columns as $filter => $clause ) {
			if ( isset( $filters[ $filter ] ) ) {
				$where[] = $clause;
				$args[]  = str_ends_with( $clause, '%d' ) ? (int) $filters[ $filter ] : (string) $filters[ $filter ];
			}
		}
		return array( implode( ' AND ', $where ), $args );
	}

	/**
	 * One audit row as query() returns it: typed, details decoded.
	 *
	 * @param array<string, string|null> $row
	 * @return array{audit_id:int, occurred_at:string, actor_id:int, source:string, action:string, key_id:int, truncated_key:string, key_owner:int, details:array<string,mixed>}
	 */
	private static function item( array $row ): array {
		return array(
			'audit_id'      => (int) $row['audit_id'],
			'occurred_at'   => (string) $row['occurred_at'],
			'actor_id'      => (int) $row['actor_id'],
			'source'        => (string) $row['source'],
			'action'        => (string) $row['action'],
			'key_id'        => (int) $row['key_id'],
			'truncated_key' => (string) $row['truncated_key'],
			'key_owner'     => (int) $row['key_owner'],
			'details'       => '' === (string) $row['details'] ? array() : (array) json_decode( (string) $row['details'], true ),
		);
	}

	/**
	 * Details as stored: JSON, with anything shaped like a plaintext consumer key or secret
	 * (ck_/cs_ and 40 hex digits) redacted. Callers never pass one; this keeps the "never a secret"
	 * promise if one ever slips in, because audit rows outlive the keys and every shop manager can
	 * read them.
	 *
	 * @param array<string, mixed> $details
	 */
	private static function details_json( array $details ): string {
		if ( array() === $details ) {
			return '';
		}
		return (string) preg_replace( '/\b(c[ks])_[0-9a-f]{40}\b/i', '$1_[redacted]', (string) wp_json_encode( $details ) );
	}

	/** $wpdb->prepare() refuses a query without placeholders; skip it then. */
	private static function prepare( string $sql, array $args ): string {
		global $wpdb;
		return array() === $args ? $sql : (string) $wpdb->prepare( $sql, $args ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
	}
}
