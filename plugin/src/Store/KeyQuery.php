<?php
/**
 * Turns a KeyFilter into SQL over WooCommerce's key table (alias k) LEFT JOINed with Keysmith's
 * metadata (alias m). Internal to the store.
 *
 * WooCommerce's table has indexes only on key_id, consumer_key and consumer_secret, and Keysmith
 * must not add any. So lists are ordered by key_id by default (newest first): MariaDB walks the
 * primary key backwards and stops after one page, whatever the filter. Filters on Keysmith's
 * columns (created_at, expires_at) use the metadata table's indexes. The join is added only when a
 * criterion or the order needs it, so plain counts read one table.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

use Keysmith\Crypto\Crypto;
use Keysmith\Keys\Expiry;

final class KeyQuery {

	/** Columns every read returns (never consumer_secret or nonces). */
	public const COLUMNS = 'k.key_id, k.user_id, k.description, k.permissions, k.consumer_key, k.truncated_key, k.last_access, m.created_at, m.created_by, m.expires_at, m.last_ip, m.rotated_from, m.source, m.app_name';

	private const ORDER_COLUMNS = array(
		'key_id'      => 'k.key_id',
		'description' => 'k.description',
		'user_id'     => 'k.user_id',
		'permissions' => 'k.permissions',
		'last_access' => 'k.last_access',
		'created_at'  => 'm.created_at',
		'expires_at'  => 'm.expires_at',
	);

	/** @var list<string> */
	private array $where = array();

	/** @var list<int|string> */
	private array $args = array();

	private bool $needs_meta = false;

	public function __construct( private readonly KeyFilter $filter, private readonly ?int $now = null ) {
		$this->build();
	}

	/** "FROM … WHERE …" with values already prepared. */
	public function from_where( bool $with_meta = false ): string {
		global $wpdb;
		$sql = ' FROM ' . Schema::wc_table() . ' k';
		if ( $with_meta || $this->needs_meta ) {
			$sql .= ' LEFT JOIN ' . Schema::meta_table() . ' m ON m.key_id = k.key_id';
		}
		$sql .= ' WHERE ' . ( array() === $this->where ? '1=1' : implode( ' AND ', $this->where ) );
		return array() === $this->args ? $sql : (string) $wpdb->prepare( $sql, $this->args ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- placeholders built in build().
	}

	/** Columns a bulk delete needs (narrow: a revoke of 100,000 keys holds them all in memory). */
	public const DELETE_COLUMNS = 'k.key_id, k.user_id, k.consumer_key, k.truncated_key';

	/** SELECT of one page (or all rows with $limit 0), ordered; FOR UPDATE when $lock. */
	public function select( int $limit = 0, int $offset = 0, bool $lock = false, string $columns = self::COLUMNS ): string {
		$column = self::ORDER_COLUMNS[ $this->filter->orderby ];
		$order  = $this->filter->order;
		$join   = self::COLUMNS === $columns || 'k.' !== substr( $column, 0, 2 );
		$sql    = 'SELECT ' . $columns . $this->from_where( $join ) . " ORDER BY $column $order";
		if ( 'k.key_id' !== $column ) {
			$sql .= ", k.key_id $order"; // Stable pages when many rows share a value.
		}
		if ( $limit > 0 ) {
			$sql .= self::limit( $limit, $offset );
		}
		return $lock ? $sql . ' FOR UPDATE' : $sql;
	}

	/**
	 * Ids of one page, in order, reading only the tables the filter and order need. query() then
	 * fetches the page's full rows by id (a "deferred join"): on a deep page MariaDB skips the
	 * OFFSET rows without joining metadata to each of them (page 5,000 of 100,000 keys: about
	 * 20 ms instead of 80 ms).
	 */
	public function page_ids_sql( int $limit, int $offset ): string {
		$column = self::ORDER_COLUMNS[ $this->filter->orderby ];
		$order  = $this->filter->order;
		$sql    = 'SELECT k.key_id' . $this->from_where() . " ORDER BY $column $order";
		if ( 'k.key_id' !== $column ) {
			$sql .= ", k.key_id $order";
		}
		return $sql . self::limit( $limit, $offset );
	}

	/** " LIMIT … OFFSET …", the values prepared like every other value in the store's SQL. */
	private static function limit( int $limit, int $offset ): string {
		global $wpdb;
		return (string) $wpdb->prepare( ' LIMIT %d OFFSET %d', $limit, $offset );
	}

	/** Full rows for the given ids (a page from page_ids_sql()), in the filter's order. */
	public function rows_by_ids_sql( array $ids ): string {
		global $wpdb;
		$column = self::ORDER_COLUMNS[ $this->filter->orderby ];
		$order  = $this->filter->order;
		$sql    = 'SELECT ' . self::COLUMNS . ' FROM ' . Schema::wc_table() . ' k LEFT JOIN ' . Schema::meta_table() . ' m ON m.key_id = k.key_id'
			. ' WHERE k.key_id IN (' . implode( ',', array_fill( 0, count( $ids ), '%d' ) ) . ") ORDER BY $column $order";
		if ( 'k.key_id' !== $column ) {
			$sql .= ", k.key_id $order";
		}
		return (string) $wpdb->prepare( $sql, $ids ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- placeholders built above.
	}

	public function count_sql(): string {
		return 'SELECT COUNT(*)' . $this->from_where();
	}

	/**
	 * "<statement> WHERE <column> IN (…)" with the ids prepared: the bulk writes' and rotation's
	 * statements over ids already read (and locked) through a filter.
	 *
	 * @param list<int|string> $ids At least one.
	 */
	public static function where_ids( string $statement, array $ids, string $column = 'key_id' ): string {
		global $wpdb;
		return $wpdb->prepare( $statement . " WHERE $column IN (" . implode( ',', array_fill( 0, count( $ids ), '%d' ) ) . ')', $ids ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
	}

	private function build(): void {
		$f = $this->filter;
		$this->in( 'k.key_id', '%d', $f->ids );
		$this->in( 'k.user_id', '%d', $f->user_ids );
		$this->in( 'k.permissions', '%s', $f->permissions );
		if ( array() !== $f->sources ) {
			// No record yet reads as unknown (KeySource::of()).
			$this->where[] = 'COALESCE(m.source, %s) IN (' . implode( ',', array_fill( 0, count( $f->sources ), '%s' ) ) . ')';
			array_push( $this->args, KeySource::UNKNOWN, ...$f->sources );
			$this->needs_meta = true;
		}
		if ( '' !== $f->search ) {
			$this->search( $f->search );
		}
		if ( $f->never_used ) {
			$this->where[] = 'k.last_access IS NULL';
		}
		if ( null !== $f->unused_since ) {
			// WooCommerce stores last_access in site-local time; the filter is UTC.
			$this->add( '(k.last_access IS NULL OR k.last_access < %s)', Dates::utc_to_site( $f->unused_since ) );
		}
		if ( null !== $f->created_after ) {
			$this->add( 'm.created_at >= %s', $f->created_after, true );
		}
		if ( null !== $f->created_before ) {
			$this->add( 'm.created_at < %s', $f->created_before, true );
		}
		if ( null !== $f->expires_before ) {
			$this->add( 'm.expires_at < %s', $f->expires_before, true );
		}
		if ( $f->expired ) {
			$this->add( Expiry::sql_has_passed( 'm.expires_at' ), Expiry::cutoff( $this->now ?? time() ), true );
		}
		if ( $f->failing ) {
			$this->where[] = KeyFailures::sql_failing( $this->now ?? time() ); // Prepared there.
		}
		if ( in_array( $f->orderby, array( 'created_at', 'expires_at' ), true ) ) {
			$this->needs_meta = true;
		}
	}

	/**
	 * Description substring, key ending (truncated_key), or a whole plaintext consumer key (matched
	 * by its hash, so a user can paste the key they hold).
	 */
	private function search( string $term ): void {
		global $wpdb;
		if ( 1 === preg_match( '/^ck_[0-9a-f]{40}$/', $term ) ) {
			$this->add( 'k.consumer_key = %s', Crypto::api_hash( $term ) );
			return;
		}
		$like          = '%' . $wpdb->esc_like( $term ) . '%';
		$this->where[] = '(k.description LIKE %s OR k.truncated_key LIKE %s)';
		array_push( $this->args, $like, $like );
	}

	/** @param list<int|string> $values */
	private function in( string $column, string $format, array $values ): void {
		if ( array() === $values ) {
			return;
		}
		$this->where[] = $column . ' IN (' . implode( ',', array_fill( 0, count( $values ), $format ) ) . ')';
		array_push( $this->args, ...$values );
	}

	private function add( string $clause, int|string $value, bool $meta = false ): void {
		$this->where[] = $clause;
		$this->args[]  = $value;
		$this->needs_meta = $this->needs_meta || $meta;
	}
}
