<?php
/**
 * Progress bars of `wp keysmith create` and `rotate`: above 500 keys, table output only, drawn as
 * WP-CLI 2.12 draws them — on a terminal only (WP-CLI returns a no-op bar when STDOUT is piped),
 * on STDOUT, each frame "\r<message>  <percent>% [<bar>] <elapsed> / <estimated>" exactly as wide
 * as the terminal, a redraw at the first tick and then at most every 100 ms, and a 100% frame plus
 * a newline when finished — and never inside --porcelain or --format output.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Cli;

use Keysmith\Store\Schema;

final class ProgressCommandTest extends CliTestCase {

	private const COLUMNS = 80;

	/**
	 * The frames drawn before $rest, each checked against WP-CLI's layout.
	 *
	 * @return list<string>
	 */
	private static function frames( string $stdout, string $message, ?string &$rest = null ): array {
		self::assertStringStartsWith( "\r", $stdout, 'a bar starts with a carriage return' );
		$end    = strpos( $stdout, "\n" );
		$frames = explode( "\r", substr( $stdout, 1, $end - 1 ) );
		$rest   = substr( $stdout, $end + 1 );
		foreach ( $frames as $frame ) {
			self::assertMatchesRegularExpression( '/^' . preg_quote( $message, '/' ) . '  [0-9 ]{3}% \[=*>? *\] \d+:\d\d \/ \d+:\d\d$/', $frame );
			self::assertSame( self::COLUMNS, strlen( $frame ), 'a frame fills the terminal width' );
		}
		return $frames;
	}

	public function test_a_large_create_draws_a_finished_bar_before_the_table(): void {
		self::on_terminal( self::COLUMNS );

		$run = $this->wp( 'keysmith', 'create', '--owner=admin', '--count=600', '--no-color' );

		self::assertSucceeded( $run );
		$frames = self::frames( $run['stdout'], 'Creating keys', $rest );
		self::assertMatchesRegularExpression( '/^Creating keys  100% \[=+\] /', end( $frames ), 'the last frame is the finished bar' );
		self::assertStringStartsWith( '+---', $rest, 'then the table' );
		self::assertStringContainsString( 'Success: Created 600 keys.', $rest );
		self::assertSame( '', $run['stderr'] );
	}

	public function test_piped_stdout_gets_no_bar(): void {
		$run = $this->wp( 'keysmith', 'create', '--owner=admin', '--count=600' );

		self::assertSucceeded( $run );
		self::assertStringStartsWith( "key_id\towner\t", $run['stdout'], 'piped: a tab-separated table, no bar' );
		self::assertStringNotContainsString( "\r", $run['stdout'] );
		self::assertStringNotContainsString( 'Creating keys', $run['stdout'] . $run['stderr'] );
	}

	public function test_machine_output_never_gets_a_bar_even_on_a_terminal(): void {
		self::on_terminal( self::COLUMNS );

		$porcelain = $this->wp( 'keysmith', 'create', '--owner=admin', '--count=600', '--porcelain' );
		self::assertSucceeded( $porcelain );
		self::assertMatchesRegularExpression( '/^(ck_[0-9a-f]{40} cs_[0-9a-f]{40}\n){600}$/', $porcelain['stdout'] );

		$json = $this->wp( 'keysmith', 'create', '--owner=admin', '--count=600', '--format=json' );
		self::assertSucceeded( $json );
		self::assertCount( 600, json_decode( $json['stdout'], true, 512, JSON_THROW_ON_ERROR ), 'nothing but JSON on STDOUT' );
	}

	public function test_500_keys_or_fewer_get_no_bar(): void {
		self::on_terminal( 250 );

		foreach ( array( array( '--owner=admin', '--count=250', '--permissions=write' ), array( '--owner=admin,shopmanager', '--count=250' ) ) as $options ) {
			$run = $this->wp( 'keysmith', 'create', '--no-color', ...$options );
			self::assertSucceeded( $run );
			self::assertStringStartsWith( '+---', $run['stdout'] );
			self::assertStringNotContainsString( "\r", $run['stdout'] );
		}
	}

	public function test_a_large_rotation_draws_a_bar_and_porcelain_stays_clean(): void {
		$ids = array_map( 'strval', array_column( $this->create_keys( 'admin', 1200 ), 'key_id' ) );
		self::on_terminal( self::COLUMNS );

		$table = $this->wp( 'keysmith', 'rotate', ...array_merge( array_slice( $ids, 0, 600 ), array( '--grace=1h', '--no-color' ) ) );
		self::assertSucceeded( $table );
		$frames = self::frames( $table['stdout'], 'Rotating keys', $rest );
		self::assertMatchesRegularExpression( '/^Rotating keys  100% \[=+\] /', end( $frames ) );
		self::assertStringStartsWith( '+---', $rest );

		$porcelain = $this->wp( 'keysmith', 'rotate', ...array_merge( array_slice( $ids, 600 ), array( '--grace=1h', '--porcelain' ) ) );
		self::assertSucceeded( $porcelain );
		self::assertMatchesRegularExpression( '/^(ck_[0-9a-f]{40} cs_[0-9a-f]{40}\n){600}$/', $porcelain['stdout'] );
	}

	public function test_a_failure_ends_the_bar_line_without_claiming_completion(): void {
		self::on_terminal( self::COLUMNS );
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
			$run = $this->wp( 'keysmith', 'create', '--owner=admin', '--count=1500', '--no-color' );
		} finally {
			remove_filter( 'query', $inject );
		}

		self::assertFailedWith( 'A database error occurred while creating keys; nothing was changed.', $run );
		$frames = self::frames( $run['stdout'], 'Creating keys', $rest );
		self::assertSame( '', $rest, 'the bar line is ended, nothing else is printed' );
		foreach ( $frames as $frame ) {
			self::assertStringNotContainsString( '100%', $frame, 'no frame claims completion' );
		}
		self::assertSame( $before, self::snapshot() );
	}
}
