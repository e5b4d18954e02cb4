<?php
/**
 * Where sealed secrets are written: Keysmith's metadata table holds each sealed value and the
 * fingerprint of the key that sealed it (`sealed_secret`, `sealed_with`), and WooCommerce's
 * `consumer_secret` column holds a Marker in place of the plaintext (README, "Sealed secrets").
 * A key row is either plaintext (its secret in WooCommerce's column, no sealed value) or sealed
 * (a marker there, the sealed value here), never half of each: both are written in one
 * transaction.
 *
 * The bulk steps work in chunks of keys in key id order, each chunk one transaction with its rows
 * locked (SELECT … FOR UPDATE), so a run that stops (a timeout, a crash, a lost connection) leaves
 * every key whole, and the next run carries on with what is left.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Sealing;

use Keysmith\Crypto\Sealing;
use Keysmith\Store\KeyCache;
use Keysmith\Store\KeyQuery;
use Keysmith\Store\Schema;
use Keysmith\Store\Transaction;
use WP_Error;

final class SealedStore {

	/** Keys per transaction: about 150 KB of SQL per statement at most. */
	public const CHUNK = 1000;

	/**
	 * How the keys' secrets are stored now. `orphaned`: keys whose WooCommerce column holds a
	 * marker but whose sealed value is gone: they cannot authenticate any more.
	 *
	 * @return array{total: int, sealed: int, plaintext: int, orphaned: int, by_key: array<string, int>}
	 */
	public static function counts(): array {
		global $wpdb;
		$wc   = Schema::wc_table();
		$meta = Schema::meta_table();
		// phpcs:disable WordPress.DB.PreparedSQL -- table names are ours; the one value is prepared.
		$row    = $wpdb->get_row(
			$wpdb->prepare(
				"SELECT COUNT(*) AS total, COALESCE(SUM(m.sealed_secret IS NOT NULL), 0) AS sealed, COALESCE(SUM(m.sealed_secret IS NULL AND k.consumer_secret LIKE %s), 0) AS orphaned FROM $wc k LEFT JOIN $meta m ON m.key_id = k.key_id",
				$wpdb->esc_like( Marker::PREFIX ) . '%'
			),
			ARRAY_A
		);
		$by_key = $wpdb->get_results( "SELECT m.sealed_with AS fingerprint, COUNT(*) AS n FROM $meta m JOIN $wc k ON k.key_id = m.key_id WHERE m.sealed_secret IS NOT NULL GROUP BY m.sealed_with ORDER BY n DESC", ARRAY_A );
		// phpcs:enable
		$total    = (int) ( $row['total'] ?? 0 );
		$sealed   = (int) ( $row['sealed'] ?? 0 );
		$orphaned = (int) ( $row['orphaned'] ?? 0 );
		return array(
			'total'     => $total,
			'sealed'    => $sealed,
			'plaintext' => $total - $sealed - $orphaned,
			'orphaned'  => $orphaned,
			'by_key'    => array_map( 'intval', array_column( (array) $by_key, 'n', 'fingerprint' ) ),
		);
	}

	/**
	 * Seals the next plaintext secrets after key id $after under the current key, in one
	 * transaction.
	 *
	 * @return array{done: list<int>, failed: list<int>, last: int}|WP_Error `last`: the highest
	 *         key id looked at (0: nothing left).
	 */
	public static function seal_next( int $after, int $limit = self::CHUNK ): array|WP_Error {
		global $wpdb;
		$fingerprint = (string) KeyStatus::current()->fingerprint;
		return Transaction::run(
			static function () use ( $wpdb, $after, $limit, $fingerprint ): array {
				$rows = Transaction::rows(
					$wpdb->prepare(
						'SELECT k.key_id, k.consumer_key, k.consumer_secret FROM ' . Schema::wc_table() . ' k FORCE INDEX (PRIMARY) LEFT JOIN ' . Schema::meta_table() . ' m ON m.key_id = k.key_id WHERE k.key_id > %d AND k.consumer_secret NOT LIKE %s AND m.sealed_secret IS NULL ORDER BY k.key_id LIMIT %d FOR UPDATE', // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
						$after,
						$wpdb->esc_like( Marker::PREFIX ) . '%',
						$limit
					)
				);
				$sealed  = array();
				$markers = array();
				foreach ( $rows as $row ) {
					$id             = (int) $row['key_id'];
					$sealed[ $id ]  = Sealing::seal( (string) $row['consumer_secret'], (string) $row['consumer_key'] );
					$markers[ $id ] = Marker::create();
				}
				$rows = null; // The plaintext secrets: no longer needed.
				self::write_sealed( $sealed, $fingerprint );
				self::write_wc_secrets( $markers );
				return self::chunk( array_keys( $sealed ), array() );
			},
			__( 'sealing secrets', 'keysmith' )
		);
	}

	/**
	 * Puts the next sealed secrets after key id $after back into WooCommerce's column, in one
	 * transaction. A value no configured key opens stays as it is and is reported as failed.
	 *
	 * @return array{done: list<int>, failed: list<int>, last: int}|WP_Error
	 */
	public static function unseal_next( int $after, int $limit = self::CHUNK ): array|WP_Error {
		return self::each_sealed(
			$after,
			$limit,
			null,
			static function ( array $opened ): void {
				self::write_wc_secrets( $opened );
				Transaction::query( KeyQuery::where_ids( 'UPDATE ' . Schema::meta_table() . ' SET sealed_secret = NULL, sealed_with = NULL', array_keys( $opened ) ) );
			},
			__( 'unsealing secrets', 'keysmith' )
		);
	}

	/**
	 * Seals again, under the current key, the next values after key id $after that another key
	 * (the previous one) sealed. WooCommerce's column keeps its markers.
	 *
	 * @return array{done: list<int>, failed: list<int>, last: int}|WP_Error
	 */
	public static function reseal_next( int $after, int $limit = self::CHUNK ): array|WP_Error {
		$fingerprint = (string) KeyStatus::current()->fingerprint;
		return self::each_sealed(
			$after,
			$limit,
			$fingerprint,
			static function ( array $opened, array $rows ) use ( $fingerprint ): void {
				$sealed = array();
				foreach ( $opened as $id => $secret ) {
					$sealed[ $id ] = Sealing::seal( $secret, (string) $rows[ $id ]['consumer_key'] );
				}
				self::write_sealed( $sealed, $fingerprint );
			},
			__( 're-sealing secrets', 'keysmith' )
		);
	}

	/**
	 * Sealed values for keys being inserted, inside the caller's transaction (KeyWriter): their
	 * metadata rows exist already.
	 *
	 * @param array<int, string> $sealed Key id => sealed value.
	 */
	public static function write_sealed( array $sealed, string $fingerprint ): void {
		global $wpdb;
		foreach ( array_chunk( $sealed, self::CHUNK, true ) as $chunk ) {
			$values = array();
			$args   = array();
			foreach ( $chunk as $id => $value ) {
				$values[] = '(%d,%s,%s)';
				array_push( $args, $id, $value, $fingerprint );
			}
			Transaction::query( $wpdb->prepare( 'INSERT INTO ' . Schema::meta_table() . ' (key_id, sealed_secret, sealed_with) VALUES ' . implode( ',', $values ) . ' ON DUPLICATE KEY UPDATE sealed_secret = VALUES(sealed_secret), sealed_with = VALUES(sealed_with)', $args ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
		}
	}

	/**
	 * Opens the next sealed values after $after (those not sealed with $skip_fingerprint), and
	 * hands those that opened to $write, inside one transaction.
	 *
	 * @param callable(array<int, string>, array<int, array<string, string|null>>): void $write
	 * @return array{done: list<int>, failed: list<int>, last: int}|WP_Error
	 */
	private static function each_sealed( int $after, int $limit, ?string $skip_fingerprint, callable $write, string $what ): array|WP_Error {
		global $wpdb;
		return Transaction::run(
			static function () use ( $wpdb, $after, $limit, $skip_fingerprint, $write ): array {
				$skip = null === $skip_fingerprint ? '' : $wpdb->prepare( ' AND m.sealed_with <> %s', $skip_fingerprint );
				$rows = Transaction::rows(
					$wpdb->prepare(
						'SELECT k.key_id, k.consumer_key, m.sealed_secret, m.sealed_with FROM ' . Schema::wc_table() . ' k FORCE INDEX (PRIMARY) JOIN ' . Schema::meta_table() . ' m ON m.key_id = k.key_id WHERE k.key_id > %d AND m.sealed_secret IS NOT NULL' . $skip . ' ORDER BY k.key_id LIMIT %d FOR UPDATE', // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
						$after,
						$limit
					)
				);
				$by_id  = array_column( $rows, null, 'key_id' );
				$opened = array();
				$failed = array();
				foreach ( $by_id as $id => $row ) {
					try {
						$opened[ (int) $id ] = Sealing::unseal( (string) $row['sealed_secret'], (string) $row['consumer_key'] );
					} catch ( \ValueError $e ) {
						$failed[] = (int) $id;
					}
				}
				if ( array() !== $opened ) {
					$write( $opened, $by_id );
				}
				$done   = array_keys( $opened );
				$opened = null;
				return self::chunk( $done, $failed, array() === $rows ? 0 : (int) end( $rows )['key_id'] );
			},
			$what
		);
	}

	/**
	 * Writes WooCommerce's consumer_secret column for several keys in one statement: a join with a
	 * derived table of (key id, value) pairs, so each row is found by its primary key.
	 *
	 * @param array<int, string> $values Key id => plaintext secret or marker.
	 */
	private static function write_wc_secrets( #[\SensitiveParameter] array $values ): void {
		global $wpdb;
		if ( array() === $values ) {
			return;
		}
		$select = array();
		$args   = array();
		foreach ( $values as $id => $value ) {
			$select[] = array() === $select ? 'SELECT %d AS key_id, %s AS secret' : 'SELECT %d, %s';
			array_push( $args, $id, $value );
		}
		$sql  = 'UPDATE ' . Schema::wc_table() . ' k JOIN (' . implode( ' UNION ALL ', $select ) . ') v ON v.key_id = k.key_id SET k.consumer_secret = v.secret';
		$args = $wpdb->prepare( $sql, $args ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
		Transaction::query( $args );
		KeyCache::forget_key_ids( array_keys( $values ) );
	}

	/**
	 * @param list<int> $done
	 * @param list<int> $failed
	 * @return array{done: list<int>, failed: list<int>, last: int}
	 */
	private static function chunk( array $done, array $failed, ?int $last = null ): array {
		$all = array_merge( $done, $failed );
		return array(
			'done'   => $done,
			'failed' => $failed,
			'last'   => $last ?? ( array() === $all ? 0 : max( $all ) ),
		);
	}
}
