<?php
/**
 * Base for `wp keysmith` tests: runs commands in this process through tests/cli's WP-CLI
 * stand-in (argv parsing, synopsis validation, captured STDOUT/STDERR, exit status), or as a real
 * process through the tests/cli/wp shim when STDIN or process behaviour matters.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Cli;

use Keysmith\Cli\CliModule;
use Keysmith\Tests\Cli\Runner;
use Keysmith\Tests\Integration\TestCase;

abstract class CliTestCase extends TestCase {

	public static function setUpBeforeClass(): void {
		parent::setUpBeforeClass();
		require_once dirname( __DIR__, 3 ) . '/cli/bootstrap.php';
		// What CliModule::register() does under WP-CLI (the shim test covers CliModule itself).
		foreach ( CliModule::COMMANDS as $name => $class ) {
			\WP_CLI::add_command( $name, $class );
		}
	}

	/**
	 * Every run starts "piped" (as the in-process STDOUT is) on an 80-column terminal setting,
	 * whatever the environment running the suite says: WP-CLI reads both from the environment.
	 */
	protected function setUp(): void {
		parent::setUp();
		putenv( 'SHELL_PIPE=1' );
		putenv( 'COLUMNS=80' );
	}

	protected function tearDown(): void {
		putenv( 'SHELL_PIPE' );
		putenv( 'COLUMNS' );
		parent::tearDown();
	}

	/**
	 * The next runs behave as on a terminal $columns wide: SHELL_PIPE=0 is how WP-CLI is told
	 * STDOUT is a terminal (tables get ASCII borders, progress bars are drawn, labels coloured).
	 */
	protected static function on_terminal( int $columns = 80 ): void {
		putenv( 'SHELL_PIPE=0' );
		putenv( "COLUMNS=$columns" );
	}

	/**
	 * `wp <argv…>` in this process.
	 *
	 * @return array{stdout: string, stderr: string, exit: int}
	 */
	protected function wp( string ...$argv ): array {
		return Runner::run( $argv );
	}

	/** `wp <argv…>` in this process, with $stdin on STDIN. */
	protected function wp_with_stdin( string $stdin, string ...$argv ): array {
		return Runner::run( $argv, $stdin );
	}

	/**
	 * `tests/cli/wp <argv…>` as a separate process with real pipes.
	 *
	 * @return array{stdout: string, stderr: string, exit: int}
	 */
	protected static function shell( string $stdin, string ...$argv ): array {
		return self::run_wp( $argv, self::child_env(), $stdin );
	}

	protected static function assertSucceeded( array $run ): void {
		self::assertSame( 0, $run['exit'], "exit status\nSTDOUT: {$run['stdout']}\nSTDERR: {$run['stderr']}" );
	}

	protected static function assertFailedWith( string $error, array $run ): void {
		self::assertSame( 1, $run['exit'], "exit status\nSTDOUT: {$run['stdout']}\nSTDERR: {$run['stderr']}" );
		self::assertStringStartsWith( 'Error: ', $run['stderr'] );
		self::assertStringContainsString( $error, $run['stderr'] );
	}

	/**
	 * WP-CLI's answer to missing positional arguments: one usage line on STDOUT ("usage: wp
	 * keysmith verify <consumer_key> …"), nothing on STDERR (no "Error:"), exit status 1.
	 */
	protected static function assertUsage( string $usage_start, array $run ): void {
		self::assertSame( 1, $run['exit'], "exit status\nSTDOUT: {$run['stdout']}\nSTDERR: {$run['stderr']}" );
		self::assertSame( '', $run['stderr'] );
		self::assertStringStartsWith( $usage_start, $run['stdout'] );
		self::assertSame( 1, substr_count( $run['stdout'], "\n" ) );
		self::assertStringEndsWith( "\n", $run['stdout'] );
	}


	/**
	 * Creates keys through the command and returns them (key_id, consumer_key, consumer_secret, ...).
	 *
	 * @return list<array<string, mixed>>
	 */
	protected function create_keys( string $owner, int $count = 1, string ...$more ): array {
		$run = $this->wp( 'keysmith', 'create', "--owner=$owner", "--count=$count", '--format=json', ...$more );
		self::assertSucceeded( $run );
		$keys = json_decode( $run['stdout'], true );
		self::assertIsArray( $keys, $run['stdout'] );
		return $keys;
	}

	/** Sets a key's expiry directly (the store refuses past dates, as it should). */
	protected static function force_expiry( int $key_id, string $utc ): void {
		global $wpdb;
		$wpdb->query( $wpdb->prepare( "INSERT INTO {$wpdb->prefix}keysmith_key_meta (key_id, expires_at) VALUES (%d, %s) ON DUPLICATE KEY UPDATE expires_at = VALUES(expires_at)", $key_id, $utc ) ); // phpcs:ignore WordPress.DB.PreparedSQL
	}
}
