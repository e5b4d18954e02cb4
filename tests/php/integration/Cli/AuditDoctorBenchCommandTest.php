<?php
/**
 * `wp keysmith audit`, `doctor` and `bench`, and the tests/cli/wp shim (a real process that loads
 * WordPress with WP_CLI defined, so Keysmith's CliModule registers the command itself).
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Cli;

use Keysmith\Store\Schema;

final class AuditDoctorBenchCommandTest extends CliTestCase {

	public function test_audit_shows_who_did_what_newest_first_with_filters(): void {
		$keys = $this->create_keys( 'admin', 2 );
		self::assertSucceeded( $this->wp( '--user=admin', 'keysmith', 'revoke', (string) $keys[0]['key_id'], '--yes' ) );

		$events = json_decode( $this->wp( 'keysmith', 'audit', '--format=json' )['stdout'], true );
		self::assertSame( array( 'revoke', 'create', 'create' ), array_column( $events, 'action' ) );
		self::assertSame( array( 'admin', '', '' ), array_column( $events, 'actor' ), 'the first commands ran without --user' );
		self::assertSame( array( 'cli', 'cli', 'cli' ), array_column( $events, 'source' ) );
		self::assertSame( 'admin', $events[0]['owner'] );

		self::assertSame( '2', $this->wp( 'keysmith', 'audit', '--key=' . $keys[0]['key_id'], '--format=count' )['stdout'] );
		self::assertSame( "revoke\n", $this->wp( 'keysmith', 'audit', '--actor=admin', '--field=action' )['stdout'] );
		self::assertSame( '3', $this->wp( 'keysmith', 'audit', '--since=-1 hour', '--owner=admin', '--format=count' )['stdout'] );
		self::assertSame( '0', $this->wp( 'keysmith', 'audit', '--until=-1 hour', '--format=count' )['stdout'] );
		self::assertSame( '2', $this->wp( 'keysmith', 'audit', '--limit=2', '--format=count' )['stdout'], 'count says how many events would be listed' );
		self::assertSame( '3', $this->wp( 'keysmith', 'audit', '--limit=5', '--format=count' )['stdout'] );
		$newest = json_decode( $this->wp( 'keysmith', 'audit', '--limit=1', '--format=json' )['stdout'], true );
		self::assertCount( 1, $newest );
		self::assertSame( 'revoke', $newest[0]['action'] );
		self::assertFailedWith( "Invalid value specified for 'source'", $this->wp( 'keysmith', 'audit', '--source=ftp' ) );
		self::assertFailedWith( 'Invalid date for --since', $this->wp( 'keysmith', 'audit', '--since=last week' ) );
	}

	public function test_doctor_passes_on_the_harness_and_flags_the_contract_fixture(): void {
		$run = $this->wp( 'keysmith', 'doctor', '--format=json' );

		self::assertSucceeded( $run );
		$checks = array_column( json_decode( $run['stdout'], true ), null, 'check' );
		self::assertSame( 'warning', $checks['woocommerce']['status'] );
		self::assertStringContainsString( 'contract fixture', $checks['woocommerce']['detail'] );
		self::assertSame( 'ok', $checks['tables']['status'] );
		self::assertSame( 'ok', $checks['schema version']['status'] );
		self::assertNotSame( 'error', $checks['cron']['status'], 'the expiry job is scheduled' );
		self::assertSame( extension_loaded( 'keysmith' ) ? 'ok' : 'warning', $checks['extension']['status'] );
		self::assertSame( 'native' === self::expected_implementation() ? 'ok' : 'warning', $checks['implementation']['status'] );
		self::assertStringStartsWith( self::expected_implementation(), $checks['implementation']['detail'] );

		self::on_terminal( 300 ); // ASCII borders, as on a terminal.
		$table = $this->wp( 'keysmith', 'doctor', '--no-color' );
		self::assertMatchesRegularExpression( '/^\| check +\| status +\| detail +\| fix +\|$/m', $table['stdout'] );
		self::assertMatchesRegularExpression( '/Success: Keysmith is ready \(\d+ warnings?\)\.\n$/', $table['stdout'] );
	}

	public function test_doctor_exits_1_with_the_fix_when_a_check_fails(): void {
		$version = get_option( Schema::VERSION_OPTION );
		update_option( Schema::VERSION_OPTION, '0' );
		try {
			$run = $this->wp( 'keysmith', 'doctor', '--format=csv' );
		} finally {
			update_option( Schema::VERSION_OPTION, $version );
		}

		self::assertFailedWith( '1 check failed; see its fix above.', $run );
		self::assertStringContainsString( '"schema version",error,"0 (needs ' . Schema::VERSION . ')","wp plugin deactivate keysmith && wp plugin activate keysmith"', $run['stdout'] );
	}

	public function test_bench_measures_every_operation(): void {
		$run = $this->wp( 'keysmith', 'bench', '--count=50', '--format=json' );

		self::assertSucceeded( $run );
		$rows = json_decode( $run['stdout'], true );
		self::assertSame( array( 'generate_keys', 'api_hash', 'oauth_base_string', 'oauth_signature', 'oauth_verify' ), array_column( $rows, 'operation' ) );
		foreach ( $rows as $row ) {
			self::assertSame( 50, $row['count'] );
			self::assertGreaterThan( 0, (float) $row['fallback_us'] );
			self::assertSame( extension_loaded( 'keysmith' ), 'n/a' !== $row['native_us'] );
		}
		self::assertFailedWith( '--count must be a positive whole number.', $this->wp( 'keysmith', 'bench', '--count=-5' ) );
	}

	public function test_bench_draws_its_progress_bar_for_table_output_only(): void {
		self::on_terminal( 80 ); // WP-CLI draws bars on a terminal only.

		$json  = $this->wp( 'keysmith', 'bench', '--count=20', '--format=json' );
		$table = $this->wp( 'keysmith', 'bench', '--count=20', '--no-color' );

		self::assertSucceeded( $json );
		self::assertCount( 5, json_decode( $json['stdout'], true, 512, JSON_THROW_ON_ERROR ), 'no bar in machine output' );
		self::assertSucceeded( $table );
		self::assertStringStartsWith( "\rBenchmarking  ", $table['stdout'] );
		self::assertMatchesRegularExpression( '/\rBenchmarking  100% \[=+\] \d+:\d\d \/ \d+:\d\d\n\+-/', $table['stdout'], 'finished bar, then the table' );
	}

	public function test_shim_runs_wp_keysmith_as_a_process_with_wp_clis_exit_statuses(): void {
		$this->create_keys( 'admin', 2 );

		$count = self::shell( '', 'keysmith', 'list', '--format=count' );
		self::assertSame( 0, $count['exit'], $count['stderr'] );
		self::assertSame( '2', $count['stdout'] );

		$unknown = self::shell( '', 'keysmith', 'frobnicate' );
		self::assertSame( 1, $unknown['exit'] );
		self::assertStringContainsString( "Error: 'frobnicate' is not a registered subcommand of 'keysmith'", $unknown['stderr'] );

		$doctor = array_column( json_decode( self::shell( '', 'keysmith', 'doctor', '--format=json' )['stdout'], true ), 'detail', 'check' );
		self::assertStringStartsWith( self::expected_implementation(), $doctor['implementation'], 'the process runs on the implementation this pass was started with' );

		$create = self::shell( '', '--user=admin', 'keysmith', 'create', '--owner=customer', '--porcelain' );
		self::assertSame( 0, $create['exit'], $create['stderr'] );
		self::assertMatchesRegularExpression( '/^ck_[0-9a-f]{40} cs_[0-9a-f]{40}\n$/', $create['stdout'] );
		self::assertSame( 3, self::count_rows( 'woocommerce_api_keys' ) );
	}

	/**
	 * 'native' or 'fallback': what this pass runs on, from facts independent of Keysmith's own
	 * decision (Crypto::mode()): whether PHP has the extension, and whether the environment forces
	 * the twin (child processes inherit both: tests/cli/wp loads the extension exactly when this
	 * process has it).
	 */
	private static function expected_implementation(): string {
		return extension_loaded( 'keysmith' ) && '1' !== getenv( 'KEYSMITH_FORCE_FALLBACK' ) ? 'native' : 'fallback';
	}
}
