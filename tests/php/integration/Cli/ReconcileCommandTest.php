<?php
/**
 * `wp keysmith reconcile [--dry-run]`: keys made or removed outside Keysmith get recorded now, with
 * the acting user (--user) on the events; the dry run reports and writes nothing.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Cli;

use Keysmith\Store\AuditLog;
use Keysmith\Store\Schema;

final class ReconcileCommandTest extends CliTestCase {

	public function test_reconcile_records_keys_made_and_removed_by_sql(): void {
		global $wpdb;
		$created = $this->wp( '--user=admin', 'keysmith', 'create', '--owner=admin', '--porcelain' );
		$this->assertSame( 0, $created['exit'], $created['stderr'] );
		$made = (int) $wpdb->get_var( 'SELECT MAX(key_id) FROM ' . Schema::wc_table() );
		$wpdb->delete( Schema::wc_table(), array( 'key_id' => $made ) );
		$new = $this->create_wc_key( self::user_id( 'shopmanager' ) );
		$before = self::snapshot();

		$dry = $this->wp( '--user=admin', 'keysmith', 'reconcile', '--dry-run' );
		$this->assertSame( array( 0, "Dry run: would record keys changed outside Keysmith: 1 new ({$new['key_id']}), 1 removed ($made).\n", '' ), array( $dry['exit'], $dry['stdout'], $dry['stderr'] ) );
		$this->assertSame( $before, self::snapshot() );

		$run = $this->wp( '--user=admin', 'keysmith', 'reconcile' );
		$this->assertSame( array( 0, "Success: Recorded keys changed outside Keysmith: 1 new, 1 removed.\n" ), array( $run['exit'], $run['stdout'] ) );
		$events = AuditLog::query( array( 'source' => 'reconcile' ) )['items'];
		$this->assertSame( array( array( 'revoke', $made ), array( 'create', $new['key_id'] ) ), array_map( static fn( array $e ): array => array( $e['action'], $e['key_id'] ), $events ) );
		$this->assertSame( array( self::user_id( 'admin' ) ), array_values( array_unique( array_column( $events, 'actor_id' ) ) ) );

		$again = $this->wp( 'keysmith', 'reconcile' );
		$this->assertSame( "Success: Recorded keys changed outside Keysmith: 0 new, 0 removed.\n", $again['stdout'] );
	}
}
