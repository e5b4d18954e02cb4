<?php
/**
 * The WP-CLI stand-in (tests/cli) against the real WP-CLI 2.12: every golden transcript in
 * tests/cli/transcripts/ (recorded from real WP-CLI by tests/cli/record-transcripts, see
 * tests/cli/README.md) is replayed through tests/cli/wp as a separate process — same command
 * line, same STDIN, same COLUMNS — and its exit status, STDOUT and STDERR must be the recorded
 * bytes.
 *
 * Terminal transcripts were recorded with a pseudo-terminal as STDOUT; the replay pipes STDOUT
 * and sets SHELL_PIPE=0, which is how WP-CLI itself is told "this is a terminal" (the recorder
 * checks, for each such transcript, that real WP-CLI prints the same bytes both ways). The
 * environment is built from scratch so an inherited COLUMNS, SHELL_PIPE, TERM or
 * WP_CLI_SUPPRESS_GLOBAL_PARAMS cannot change the output.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Cli;

use Keysmith\Tests\Integration\TestCase;

final class TranscriptTest extends TestCase {

	private const DIR = __DIR__ . '/../../../cli/transcripts';

	/** @return array<string, array{0: string}> */
	public static function transcripts(): array {
		$files = glob( self::DIR . '/*.json' );
		self::assertNotEmpty( $files, 'no transcripts in tests/cli/transcripts' );
		$cases = array();
		foreach ( $files as $file ) {
			$cases[ basename( $file, '.json' ) ] = array( $file );
		}
		return $cases;
	}

	/** @dataProvider transcripts */
	public function test_the_stand_in_prints_what_real_wp_cli_printed( string $file ): void {
		$t = json_decode( (string) file_get_contents( $file ), true, 512, JSON_THROW_ON_ERROR );

		$run = self::replay( $t );

		$what = sprintf(
			"transcript %s: `wp %s`%s\n(If WP-CLI's behaviour was modelled wrongly, fix tests/cli; if a command's own text changed on purpose, re-record: tests/cli/README.md.)",
			$t['name'],
			implode( ' ', $t['command'] ),
			$t['terminal'] ? ' on a terminal' : ''
		);
		self::assertSame( $t['stdout'], $run['stdout'], "STDOUT of $what" );
		self::assertSame( $t['stderr'], $run['stderr'], "STDERR of $what" );
		self::assertSame( $t['exit'], $run['exit'], "exit status of $what" );
	}

	/**
	 * @param array<string, mixed> $t
	 * @return array{stdout: string, stderr: string, exit: int}
	 */
	private static function replay( array $t ): array {
		$env = array(
			'PATH'                 => (string) getenv( 'PATH' ),
			'HOME'                 => (string) getenv( 'HOME' ),
			'LANG'                 => 'C.UTF-8',
			'COLUMNS'              => (string) $t['columns'],
			// The child loads the extension exactly when this process has it (the twin run has none).
			'KEYSMITH_NO_EXTENSION' => extension_loaded( 'keysmith' ) ? '0' : '1',
		);
		foreach ( getenv() as $name => $value ) {
			if ( str_starts_with( $name, 'KEYSMITH_' ) && ! isset( $env[ $name ] ) ) {
				$env[ $name ] = $value;
			}
		}
		if ( $t['terminal'] ) {
			$env['SHELL_PIPE'] = '0';
		}
		$env     = array_merge( $env, $t['env'] );
		return self::run_wp( $t['command'], $env, $t['stdin'], dirname( __DIR__, 4 ) );
	}
}
