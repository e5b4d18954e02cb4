<?php
/**
 * `wp keysmith update` and `wp keysmith rotate`.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Cli;

use Keysmith\Store\KeyService;

final class UpdateRotateCommandTest extends CliTestCase {

	public function test_update_changes_fields_of_every_key_given(): void {
		$keys = $this->create_keys( 'admin', 2, '--expires=2099-01-01' );
		$ids  = array( (string) $keys[0]['key_id'], (string) $keys[1]['key_id'] );

		$run = $this->wp( 'keysmith', 'update', ...array_merge( $ids, array( '--permissions=read_write', '--description=renamed', '--owner=shopmanager' ) ) );

		self::assertSucceeded( $run );
		self::assertSame( "Success: Updated 2 of 2 keys.\n", $run['stdout'] );
		foreach ( $ids as $id ) {
			$row = self::wc_key_row( (int) $id );
			self::assertSame( array( 'read_write', 'renamed', (string) self::user_id( 'shopmanager' ) ), array( $row['permissions'], $row['description'], $row['user_id'] ) );
		}
	}

	public function test_update_counts_only_the_keys_it_changed(): void {
		$keys = $this->create_keys( 'admin', 2, '--permissions=read' );
		self::assertSucceeded( $this->wp( 'keysmith', 'update', (string) $keys[0]['key_id'], '--permissions=write' ) );

		$run = $this->wp( 'keysmith', 'update', (string) $keys[0]['key_id'], (string) $keys[1]['key_id'], '--permissions=write' );

		self::assertSucceeded( $run );
		self::assertSame( "Success: Updated 1 of 2 keys. (1 already had these values.)\n", $run['stdout'], 'the same count as the REST API and the admin screen' );
	}

	public function test_update_sets_and_removes_the_expiry(): void {
		$id = (string) $this->create_keys( 'admin' )[0]['key_id'];

		self::assertSucceeded( $this->wp( 'keysmith', 'update', $id, '--expires=2098-05-06 07:08:09' ) );
		self::assertSame( '2098-05-06 07:08:09', ( new KeyService() )->find( (int) $id )->expires_at );

		self::assertSame( "Success: Updated 1 of 1 key.\n", $this->wp( 'keysmith', 'update', $id, '--no-expiry' )['stdout'] );
		self::assertNull( ( new KeyService() )->find( (int) $id )->expires_at );
	}

	public function test_update_refusals_change_nothing(): void {
		$id     = (string) $this->create_keys( 'admin' )[0]['key_id'];
		$before = self::snapshot();

		self::assertFailedWith( 'Nothing to change', $this->wp( 'keysmith', 'update', $id ) );
		self::assertFailedWith( 'is not in the future', $this->wp( 'keysmith', 'update', $id, '--expires=2000-01-01', '--permissions=write' ) );
		self::assertFailedWith( 'Invalid date for --expires: "tomorrow"', $this->wp( 'keysmith', 'update', $id, '--expires=tomorrow' ) );
		self::assertFailedWith( "Invalid value specified for 'permissions'", $this->wp( 'keysmith', 'update', $id, '--permissions=all' ) );
		self::assertFailedWith( 'Give either --expires or --no-expiry, not both.', $this->wp( 'keysmith', 'update', $id, '--expires=2099-01-01', '--no-expiry' ) );
		self::assertFailedWith( 'Give either --expires or --no-expiry, not both.', $this->wp( 'keysmith', 'update', $id, '--expires=never', '--no-expiry' ) );
		self::assertFailedWith( "Invalid user ID, email or login: 'ghost'", $this->wp( 'keysmith', 'update', $id, '--owner=ghost' ) );
		self::assertFailedWith( 'Give the IDs of the keys to change, or --all.', $this->wp( 'keysmith', 'update', '--permissions=write' ) );
		self::assertSame( "Dry run: would update 1 key: $id\n", $this->wp( 'keysmith', 'update', '--all', '--permissions=write', '--dry-run' )['stdout'] );
		self::assertSame( $before, self::snapshot() );

		$run = $this->wp( 'keysmith', 'update', $id, '424242', '--permissions=write' );
		self::assertFailedWith( 'Updated 1 of 2 keys. Not found: 424242.', $run );
		self::assertSame( 'write', self::wc_key_row( (int) $id )['permissions'] );
	}

	public function test_rotate_prints_new_pairs_and_keeps_the_old_key_for_the_grace_period(): void {
		$old = $this->create_keys( 'shopmanager', 1, '--permissions=write', '--description=erp', '--expires=2099-01-01' )[0];

		$run = $this->wp( 'keysmith', 'rotate', (string) $old['key_id'], '--grace=2h', '--porcelain' );

		self::assertSucceeded( $run );
		self::assertMatchesRegularExpression( '/^(ck_[0-9a-f]{40}) (cs_[0-9a-f]{40})\n$/', $run['stdout'] );
		list( $ck, $cs ) = explode( ' ', trim( $run['stdout'] ) );
		self::assertTrue( ( new KeyService() )->verify_pair( $ck, $cs ) );
		$new = ( new KeyService() )->query( \Keysmith\Store\KeyFilter::from_array( array( 'search' => substr( $ck, -7 ) ) ) )['items'][0];
		self::assertSame( array( $old['key_id'], 'write', 'erp', '2099-01-01 00:00:00' ), array( $new->rotated_from, $new->permissions, $new->description, $new->expires_at ) );
		$old_expiry = strtotime( ( new KeyService() )->find( $old['key_id'] )->expires_at . ' UTC' );
		self::assertEqualsWithDelta( time() + 7200, $old_expiry, 60, 'the old key expires after the grace period' );
	}

	/**
	 * The grace period is never implied: without --grace, or with a bare --grace (which WP-CLI
	 * drops with a warning when the option is optional), the rotation would revoke the old keys at
	 * once. WP-CLI refuses a required option that is missing or has no value.
	 */
	public function test_rotate_needs_an_explicit_grace_period(): void {
		$id     = (string) $this->create_keys( 'admin' )[0]['key_id'];
		$before = self::snapshot();

		self::assertFailedWith( "Parameter errors:\n missing --grace parameter", $this->wp( 'keysmith', 'rotate', $id ) );
		self::assertFailedWith( "Parameter errors:\n --grace parameter needs a value", $this->wp( 'keysmith', 'rotate', $id, '--grace' ) );
		self::assertFailedWith( "Parameter errors:\n --grace parameter needs a value", $this->wp( 'keysmith', 'rotate', $id, '--grace', '--dry-run' ) );
		self::assertSame( $before, self::snapshot(), 'the key is neither rotated nor revoked' );
	}

	/** Nothing rotated: only the error, no empty table before it (on a terminal or piped). */
	public function test_rotate_of_unknown_keys_prints_only_the_error(): void {
		$piped = $this->wp( 'keysmith', 'rotate', '99999', '--grace=1h' );
		self::assertSame( array( 1, '', "Error: Rotated 0 of 1 key. Not rotated (unknown, expired or already rotated): 99999.\n" ), array( $piped['exit'], $piped['stdout'], $piped['stderr'] ) );

		self::on_terminal();
		$terminal = $this->wp( 'keysmith', 'rotate', '99999', '--grace=1h', '--no-color' );
		self::assertSame( array( 1, '' ), array( $terminal['exit'], $terminal['stdout'] ) );
	}

	public function test_rotate_with_grace_0_revokes_at_once_and_reports_missing_keys(): void {
		$old = $this->create_keys( 'admin' )[0];

		$run = $this->wp( 'keysmith', 'rotate', (string) $old['key_id'], '777777', '--grace=0', '--format=json' );

		self::assertFailedWith( 'Rotated 1 of 2 keys. Not rotated (unknown, expired or already rotated): 777777.', $run );
		$new = json_decode( $run['stdout'], true );
		self::assertSame( $old['key_id'], $new[0]['rotated_from'], 'the keys that were made are still shown, once' );
		self::assertNull( self::wc_key_row( $old['key_id'] ) );

		$before = self::snapshot();
		self::assertFailedWith( 'Invalid duration "soon"', $this->wp( 'keysmith', 'rotate', (string) $new[0]['key_id'], '--grace=soon' ) );
		self::assertFailedWith( 'The grace period must be between 0 seconds and one year.', $this->wp( 'keysmith', 'rotate', (string) $new[0]['key_id'], '--grace=400d' ) );
		self::assertSame( $before, self::snapshot() );
	}
}
