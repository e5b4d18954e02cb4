<?php
/**
 * Reconciliation at 100,000 keys: a sweep is two anti-joins walked 1,000 keys at a time, so the
 * statement count grows with the keys that need work, not with the table, and a sweep with nothing
 * to do is two statements. Prints its timings (STDERR) for the README.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Store;

require_once __DIR__ . '/StoreTestCase.php';

use Keysmith\Store\Actor;
use Keysmith\Store\Reconciler;
use Keysmith\Store\ReconcileResult;
use Keysmith\Store\Schema;

final class ReconcileScaleTest extends StoreTestCase {

	private const KEYS = 100000;

	/** @var list<string> */
	private array $queries = array();

	/** @return array{0: ReconcileResult, 1: int, 2: float} The result, statements run, seconds. */
	private function measured_run(): array {
		$this->queries = array();
		$count         = function ( string $sql ): string {
			$this->queries[] = $sql;
			return $sql;
		};
		add_filter( 'query', $count );
		$start = microtime( true );
		try {
			$result = ( new Reconciler() )->run( new Actor( 0, 'reconcile' ) );
		} finally {
			remove_filter( 'query', $count );
		}
		$this->assertInstanceOf( ReconcileResult::class, $result );
		return array( $result, count( $this->queries ), microtime( true ) - $start );
	}

	public function test_100000_keys_made_and_removed_by_sql(): void {
		global $wpdb;
		$owner = self::user_id( 'shopmanager' );
		// 100,000 rows in WooCommerce's format, in one statement (MariaDB's sequence engine).
		$wpdb->query(
			$wpdb->prepare(
				'INSERT INTO ' . Schema::wc_table() . " (user_id, description, permissions, consumer_key, consumer_secret, truncated_key)
				SELECT %d, CONCAT('sql ', seq), 'read', SHA2(seq, 256), CONCAT('cs_', SHA1(seq)), RIGHT(SHA1(seq), 7) FROM seq_1_to_" . self::KEYS, // phpcs:ignore WordPress.DB.PreparedSQL
				$owner
			)
		);
		$this->assertSame( self::KEYS, $this->counts()['wc'] );

		list( $found, $statements, $seconds ) = $this->measured_run();
		$this->assertCount( self::KEYS, $found->found );
		$this->assertSame( array( 'wc' => self::KEYS, 'meta' => self::KEYS, 'audit' => self::KEYS ), $this->counts() );
		$this->assertLessThanOrEqual( 100 * 12 + 4, $statements, 'a bounded number of statements per 1,000 keys' );
		$report = sprintf( "reconcile, 100,000 new keys: %.2f s, %d statements\n", $seconds, $statements );

		list( $idle, $statements, $seconds ) = $this->measured_run();
		$this->assertSame( array( array(), array() ), array( $idle->found, $idle->vanished ) );
		$this->assertSame( 2, $statements, 'nothing to do: one anti-join each way' );
		$report .= sprintf( "reconcile, 100,000 keys, nothing to do: %.3f s, %d statements\n", $seconds, $statements );

		$wpdb->query( 'DELETE FROM ' . Schema::wc_table() ); // phpcs:ignore WordPress.DB.PreparedSQL
		list( $gone, $statements, $seconds ) = $this->measured_run();
		$this->assertCount( self::KEYS, $gone->vanished );
		$this->assertSame( array( 'wc' => 0, 'meta' => 0, 'audit' => 2 * self::KEYS ), $this->counts() );
		$this->assertLessThanOrEqual( 100 * 12 + 4, $statements );
		$report .= sprintf( "reconcile, 100,000 keys removed: %.2f s, %d statements\n", $seconds, $statements );
		fwrite( STDERR, "\n" . $report );
	}
}
