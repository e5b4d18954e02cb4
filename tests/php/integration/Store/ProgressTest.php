<?php
/**
 * Progress callbacks of create() and rotate(): called after each multi-row chunk, inside the
 * transaction (another connection sees nothing yet), and a later failure still rolls back
 * everything the callback was told about.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Store;

require_once __DIR__ . '/StoreTestCase.php';

use Keysmith\Store\RotationResult;
use Keysmith\Store\Schema;
use WP_Error;

final class ProgressTest extends StoreTestCase {

	public function test_create_reports_each_chunk_before_anything_is_committed(): void {
		$actor  = $this->admin_actor();
		$other  = $this->second_connection();
		$calls  = array();
		$seen   = array();
		$result = $this->service->create(
			array( 'user_ids' => array( $actor->user_id ), 'count' => 2500, 'permissions' => 'read' ),
			$actor,
			function ( int $done, int $total ) use ( &$calls, &$seen, $other ): void {
				$calls[] = array( $done, $total );
				$seen[]  = (int) $other->get_var( 'SELECT COUNT(*) FROM ' . Schema::wc_table() ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
			}
		);

		$this->assertIsArray( $result, $result instanceof WP_Error ? $result->get_error_message() : '' );
		$this->assertSame( array( array( 1000, 2500 ), array( 2000, 2500 ), array( 2500, 2500 ) ), $calls );
		$this->assertSame( array( 0, 0, 0 ), $seen, 'the callback runs inside the open transaction' );
		$this->assertSame( 2500, (int) $other->get_var( 'SELECT COUNT(*) FROM ' . Schema::wc_table() ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
	}

	public function test_a_failure_after_progress_was_reported_still_leaves_nothing(): void {
		$actor  = $this->admin_actor();
		$before = $this->counts();
		$calls  = array();
		$inserts = 0;
		$inject  = static function ( string $query ) use ( &$inserts ): string {
			if ( str_starts_with( $query, 'INSERT INTO ' . Schema::wc_table() ) && 3 === ++$inserts ) {
				return 'INSERT INTO keysmith_no_such_table_for_fault_injection VALUES (1)';
			}
			return $query;
		};
		add_filter( 'query', $inject );
		try {
			$result = $this->service->create(
				array( 'user_ids' => array( $actor->user_id ), 'count' => 2500, 'permissions' => 'read' ),
				$actor,
				function ( int $done, int $total ) use ( &$calls ): void {
					$calls[] = array( $done, $total );
				}
			);
		} finally {
			remove_filter( 'query', $inject );
		}

		$this->assertSame( array( array( 1000, 2500 ), array( 2000, 2500 ) ), $calls );
		$this->assertInstanceOf( WP_Error::class, $result );
		$this->assertSame( 'keysmith_db_error', $result->get_error_code() );
		$this->assertSame( $before, $this->counts(), 'the two chunks already reported were rolled back' );
	}

	public function test_an_exception_from_the_callback_rolls_back_and_propagates(): void {
		$actor  = $this->admin_actor();
		$before = $this->counts();
		try {
			$this->service->create(
				array( 'user_ids' => array( $actor->user_id ), 'count' => 1500, 'permissions' => 'read' ),
				$actor,
				static function ( int $done ): void {
					if ( $done > 1000 ) {
						throw new \RuntimeException( 'interrupted' );
					}
				}
			);
			$this->fail( 'the exception propagates' );
		} catch ( \RuntimeException $e ) {
			$this->assertSame( 'interrupted', $e->getMessage() );
		}
		$this->assertSame( $before, $this->counts() );
	}

	public function test_rotate_reports_progress_over_the_keys_it_rotates(): void {
		$actor   = $this->admin_actor();
		$created = $this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 1200 ), $actor );
		$calls   = array();

		$rotation = $this->service->rotate(
			$this->filter( array( 'ids' => array_column( $created, 'key_id' ) ) ),
			$actor,
			60,
			function ( int $done, int $total ) use ( &$calls ): void {
				$calls[] = array( $done, $total );
			}
		);

		$this->assertInstanceOf( RotationResult::class, $rotation, $rotation instanceof WP_Error ? $rotation->get_error_message() : '' );
		$this->assertCount( 1200, $rotation->keys );
		$this->assertSame( array( array( 1000, 1200 ), array( 1200, 1200 ) ), $calls );
	}

	/** A separate database connection: it sees only committed rows. */
	private function second_connection(): \wpdb {
		$other = new \wpdb( DB_USER, DB_PASSWORD, DB_NAME, DB_HOST );
		$other->suppress_errors( true );
		return $other;
	}
}
