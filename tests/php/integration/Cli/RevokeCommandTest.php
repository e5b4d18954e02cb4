<?php
/**
 * `wp keysmith revoke`: confirmation, --yes, --dry-run, filters, --all, and the exit status on
 * partial failure.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Cli;

final class RevokeCommandTest extends CliTestCase {

	public function test_revokes_ids_with_yes_and_audits_each(): void {
		$keys = $this->create_keys( 'admin', 3 );

		$run = $this->wp( 'keysmith', 'revoke', (string) $keys[0]['key_id'], (string) $keys[2]['key_id'], '--yes' );

		self::assertSucceeded( $run );
		self::assertSame( "Success: Revoked 2 of 2 keys.\n", $run['stdout'] );
		self::assertNull( self::wc_key_row( $keys[0]['key_id'] ) );
		self::assertNotNull( self::wc_key_row( $keys[1]['key_id'] ) );
		self::assertNull( self::wc_key_row( $keys[2]['key_id'] ) );
		self::assertSame( 'revoke', \Keysmith\Store\AuditLog::query( array( 'key_id' => $keys[2]['key_id'] ) )['items'][0]['action'] );
	}

	public function test_asks_first_and_an_answer_other_than_y_changes_nothing(): void {
		$keys   = $this->create_keys( 'admin', 2 );
		$before = self::snapshot();

		$declined = $this->wp_with_stdin( "n\n", 'keysmith', 'revoke', '--owner=admin' );
		self::assertSame( 0, $declined['exit'], 'WP-CLI exits with 0 when the question is declined' );
		self::assertSame( 'Revoke 2 keys? [y/n] ', $declined['stdout'] );
		self::assertSame( $before, self::snapshot() );

		$accepted = $this->wp_with_stdin( "y\n", 'keysmith', 'revoke', '--owner=admin' );
		self::assertSucceeded( $accepted );
		self::assertStringEndsWith( "Success: Revoked 2 of 2 keys.\n", $accepted['stdout'] );
		self::assertNull( self::wc_key_row( $keys[1]['key_id'] ) );
	}

	public function test_partial_failure_revokes_what_exists_and_exits_1(): void {
		$keys = $this->create_keys( 'admin' );

		$run = $this->wp( 'keysmith', 'revoke', (string) $keys[0]['key_id'], '999999', '--yes' );

		self::assertFailedWith( 'Revoked 1 of 2 keys. Not found: 999999.', $run );
		self::assertNull( self::wc_key_row( $keys[0]['key_id'] ) );
	}

	public function test_dry_run_lists_and_changes_nothing(): void {
		$keys = $this->create_keys( 'shopmanager', 2 );
		$this->create_keys( 'admin' );
		$before = self::snapshot();

		$run = $this->wp( 'keysmith', 'revoke', '--owner=shopmanager', '--dry-run' );

		self::assertSucceeded( $run );
		self::assertSame( "Dry run: would revoke 2 keys: {$keys[0]['key_id']} {$keys[1]['key_id']}\n", $run['stdout'] );
		self::assertSame( $before, self::snapshot() );
	}

	public function test_filters_and_all(): void {
		$used   = $this->create_keys( 'admin' )[0]['key_id'];
		$unused = $this->create_keys( 'admin' )[0]['key_id'];
		$old    = $this->create_keys( 'customer' )[0]['key_id'];
		global $wpdb;
		$wpdb->update( $wpdb->prefix . 'woocommerce_api_keys', array( 'last_access' => current_time( 'mysql' ) ), array( 'key_id' => $used ) );
		self::force_expiry( $old, '2020-01-01 00:00:00' );

		self::assertSame( "Success: Revoked 1 of 1 key.\n", $this->wp( 'keysmith', 'revoke', '--expired', '--yes' )['stdout'] );
		self::assertNull( self::wc_key_row( $old ) );
		self::assertSame( "Success: Revoked 1 of 1 key.\n", $this->wp( 'keysmith', 'revoke', '--unused-since=-1 day', '--yes' )['stdout'] );
		self::assertNull( self::wc_key_row( $unused ) );
		self::assertNotNull( self::wc_key_row( $used ) );

		$before = self::snapshot();
		self::assertFailedWith( 'Give key IDs, a filter (--owner, --unused-since, --never-used, --expired, --permissions) or --all.', $this->wp( 'keysmith', 'revoke', '--yes' ) );
		self::assertFailedWith( 'Invalid date for --unused-since: "soon"', $this->wp( 'keysmith', 'revoke', '--unused-since=soon', '--yes' ) );
		self::assertSame( $before, self::snapshot() );

		self::assertSame( "Success: Revoked 1 of 1 key.\n", $this->wp( 'keysmith', 'revoke', '--all', '--yes' )['stdout'] );
		self::assertSame( 0, self::count_rows( 'woocommerce_api_keys' ) );
	}
}
