<?php
/**
 * `wp keysmith update --dry-run` and `wp keysmith rotate --dry-run`: the store's real checks, the
 * keys the command would change, no secret printed and nothing written.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Cli;

final class DryRunCommandTest extends CliTestCase {

	public function test_update_dry_run_names_the_keys_and_changes_nothing(): void {
		$ids    = array_map( 'strval', array_column( $this->create_keys( 'admin', 2 ), 'key_id' ) );
		$before = self::snapshot();

		$run = $this->wp( 'keysmith', 'update', $ids[1], $ids[0], '--permissions=write', '--owner=shopmanager', '--dry-run' );
		self::assertSucceeded( $run );
		self::assertSame( "Dry run: would update 2 keys: {$ids[0]} {$ids[1]}\n", $run['stdout'] );

		self::assertSame( $before, self::snapshot() );
	}

	/**
	 * A dry run exits as the real run would: with 1 when some requested keys would not be
	 * changed (the real update changes the others, then exits with 1 naming them).
	 */
	public function test_dry_runs_exit_1_where_the_real_run_would(): void {
		$ids    = array_map( 'strval', array_column( $this->create_keys( 'admin', 2 ), 'key_id' ) );
		$before = self::snapshot();

		$update = $this->wp( 'keysmith', 'update', $ids[0], '424242', '--no-expiry', '--dry-run' );
		self::assertSame( array( 1, "Dry run: would update 1 key: {$ids[0]}\n", "Error: Not found: 424242.\n" ), array( $update['exit'], $update['stdout'], $update['stderr'] ) );
		$revoke = $this->wp( 'keysmith', 'revoke', $ids[1], '424242', '--dry-run' );
		self::assertSame( array( 1, "Dry run: would revoke 1 key: {$ids[1]}\n", "Error: Not found: 424242.\n" ), array( $revoke['exit'], $revoke['stdout'], $revoke['stderr'] ) );
		$none = $this->wp( 'keysmith', 'revoke', '424242', '--dry-run' );
		self::assertSame( array( 1, "Dry run: no key would be revoked.\n", "Error: Not found: 424242.\n" ), array( $none['exit'], $none['stdout'], $none['stderr'] ), 'one sentence, no empty list' );
		self::assertSame( $before, self::snapshot() );

		$real = $this->wp( 'keysmith', 'update', $ids[0], '424242', '--permissions=write' );
		self::assertFailedWith( 'Updated 1 of 2 keys. Not found: 424242.', $real );
	}

	public function test_update_dry_run_refuses_what_the_update_would_refuse(): void {
		$ids    = array_map( 'strval', array_column( $this->create_keys( 'shopmanager', 1 ), 'key_id' ) );
		$before = self::snapshot();

		self::assertFailedWith( 'The expiry 2001-01-01 is not in the future.', $this->wp( 'keysmith', 'update', $ids[0], '--expires=2001-01-01', '--dry-run' ) );
		self::assertFailedWith( 'The description is longer than 200 characters.', $this->wp( 'keysmith', 'update', $ids[0], '--description=' . str_repeat( 'x', 201 ), '--dry-run' ) );
		self::assertFailedWith( 'You do not have permission to assign API Keys to the selected user.', $this->wp( '--user=shopmanager', 'keysmith', 'update', $ids[0], '--owner=admin', '--dry-run' ) );
		self::assertSame( $before, self::snapshot() );
	}

	public function test_rotate_dry_run_names_only_rotatable_keys_and_prints_no_secret(): void {
		$ids = array_map( 'strval', array_column( $this->create_keys( 'admin', 3 ), 'key_id' ) );
		self::assertSucceeded( $this->wp( 'keysmith', 'rotate', $ids[0], '--grace=1h', '--porcelain' ) );
		$before = self::snapshot();

		$run = $this->wp( 'keysmith', 'rotate', $ids[0], $ids[1], $ids[2], '--grace=1d', '--dry-run' );

		self::assertSame( 1, $run['exit'], 'the real rotation exits with 1 for the key it cannot rotate' );
		self::assertSame( "Dry run: would rotate 2 keys: {$ids[1]} {$ids[2]}\n", $run['stdout'] );
		self::assertSame( "Error: Not rotated (unknown, expired or already rotated): {$ids[0]}.\n", $run['stderr'] );
		self::assertDoesNotMatchRegularExpression( '/c[ks]_[0-9a-f]{40}/', $run['stdout'] . $run['stderr'] );
		self::assertSame( $before, self::snapshot() );
	}

	public function test_rotate_dry_run_refuses_what_the_rotation_would_refuse(): void {
		$ids    = array_map( 'strval', array_column( $this->create_keys( 'admin', 1 ), 'key_id' ) );
		$before = self::snapshot();

		self::assertFailedWith( 'You do not have permission to assign API Keys to the selected user.', $this->wp( '--user=shopmanager', 'keysmith', 'rotate', $ids[0], '--grace=1h', '--dry-run' ) );
		self::assertFailedWith( 'The grace period must be between 0 seconds and one year.', $this->wp( 'keysmith', 'rotate', $ids[0], '--grace=400d', '--dry-run' ) );
		self::assertSame( $before, self::snapshot() );
	}
}
