<?php
/**
 * Progress bars of `wp keysmith create` and `rotate`: above 500 keys, table output only, drawn as
 * WP-CLI draws them (on a terminal; nothing when STDOUT is piped), never inside --porcelain or
 * --format output. SHELL_PIPE=0 / 1 tells WP-CLI's isPiped() whether STDOUT is a terminal.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Cli;

use Keysmith\Store\Schema;
use WP_CLI\Utils\ProgressBar;

final class ProgressCommandTest extends CliTestCase {

	protected function setUp(): void {
		parent::setUp();
		ProgressBar::$last_created = null;
	}

	protected function tearDown(): void {
		putenv( 'SHELL_PIPE' );
		parent::tearDown();
	}

	private static function on_terminal( bool $terminal ): void {
		putenv( 'SHELL_PIPE=' . ( $terminal ? '0' : '1' ) );
	}

	public function test_a_large_create_draws_a_finished_bar_before_the_table(): void {
		self::on_terminal( true );

		$run = $this->wp( 'keysmith', 'create', '--owner=admin', '--count=600' );

		self::assertSucceeded( $run );
		$bar = ProgressBar::$last_created;
		self::assertNotNull( $bar );
		self::assertSame( array( 'Creating keys', 600, 600, true ), array( $bar->message, $bar->count, $bar->ticks, $bar->finished ) );
		self::assertMatchesRegularExpression( '/^\rCreating keys  100% \[=+\]\rCreating keys  100% \[=+\]\n\+-+/', $run['stdout'] );
		self::assertStringContainsString( 'Success: Created 600 keys.', $run['stdout'] );
		self::assertSame( '', $run['stderr'] );
	}

	public function test_piped_stdout_gets_no_bar(): void {
		self::on_terminal( false );

		$run = $this->wp( 'keysmith', 'create', '--owner=admin', '--count=600' );

		self::assertSucceeded( $run );
		self::assertStringStartsWith( '+---', $run['stdout'] );
		self::assertStringNotContainsString( 'Creating keys', $run['stdout'] . $run['stderr'] );
	}

	public function test_machine_output_never_gets_a_bar_even_on_a_terminal(): void {
		self::on_terminal( true );

		$porcelain = $this->wp( 'keysmith', 'create', '--owner=admin', '--count=600', '--porcelain' );
		self::assertSucceeded( $porcelain );
		$lines = explode( "\n", rtrim( $porcelain['stdout'], "\n" ) );
		self::assertCount( 600, $lines );
		self::assertSame( array(), preg_grep( '/^ck_[0-9a-f]{40} cs_[0-9a-f]{40}$/', $lines, PREG_GREP_INVERT ) );

		$json = $this->wp( 'keysmith', 'create', '--owner=admin', '--count=600', '--format=json' );
		self::assertSucceeded( $json );
		self::assertCount( 600, json_decode( $json['stdout'], true, 512, JSON_THROW_ON_ERROR ) );

		self::assertNull( ProgressBar::$last_created, 'no bar was even made' );
	}

	public function test_500_keys_or_fewer_get_no_bar(): void {
		self::on_terminal( true );

		self::assertSucceeded( $this->wp( 'keysmith', 'create', '--owner=admin', '--count=250', '--permissions=write' ) );
		self::assertSucceeded( $this->wp( 'keysmith', 'create', '--owner=admin,shopmanager', '--count=250' ) );

		self::assertNull( ProgressBar::$last_created );
	}

	public function test_a_large_rotation_draws_a_bar_and_porcelain_stays_clean(): void {
		$ids = array_map( 'strval', array_column( $this->create_keys( 'admin', 1200 ), 'key_id' ) );
		self::on_terminal( true );

		$table = $this->wp( 'keysmith', 'rotate', ...array_merge( array_slice( $ids, 0, 600 ), array( '--grace=1h' ) ) );
		self::assertSucceeded( $table );
		self::assertSame( array( 'Rotating keys', 600, 600, true ), array( ProgressBar::$last_created->message, ProgressBar::$last_created->count, ProgressBar::$last_created->ticks, ProgressBar::$last_created->finished ) );
		self::assertStringStartsWith( "\rRotating keys  100% [", $table['stdout'] );

		ProgressBar::$last_created = null;
		$porcelain = $this->wp( 'keysmith', 'rotate', ...array_merge( array_slice( $ids, 600 ), array( '--porcelain' ) ) );
		self::assertSucceeded( $porcelain );
		self::assertMatchesRegularExpression( '/^(ck_[0-9a-f]{40} cs_[0-9a-f]{40}\n){600}$/', $porcelain['stdout'] );
		self::assertNull( ProgressBar::$last_created );
	}

	public function test_a_failure_ends_the_bar_line_without_claiming_completion(): void {
		self::on_terminal( true );
		$before  = self::snapshot();
		$inserts = 0;
		$inject  = static function ( string $query ) use ( &$inserts ): string {
			if ( str_starts_with( $query, 'INSERT INTO ' . Schema::wc_table() ) && 2 === ++$inserts ) {
				return 'INSERT INTO keysmith_no_such_table_for_fault_injection VALUES (1)';
			}
			return $query;
		};
		add_filter( 'query', $inject );
		try {
			$run = $this->wp( 'keysmith', 'create', '--owner=admin', '--count=1500' );
		} finally {
			remove_filter( 'query', $inject );
		}

		self::assertFailedWith( 'A database error occurred while creating keys; nothing was changed.', $run );
		self::assertMatchesRegularExpression( '/^\rCreating keys  66 % \[=+>\s*\]\n$/', $run['stdout'] );
		self::assertFalse( ProgressBar::$last_created->finished );
		self::assertSame( $before, self::snapshot() );
	}
}
