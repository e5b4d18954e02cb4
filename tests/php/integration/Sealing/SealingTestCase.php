<?php
/**
 * Base for the sealed-secrets tests: the harness's three sealing keys ($H/sealing/current.key, the
 * key this process and the served site hold; previous.key; other.key), keys made through the store,
 * requests to the served site, and `tests/cli/wp` children holding other keys.
 *
 * Which key a PHP process holds depends on the implementation, as on a host: the extension reads
 * it from its ini setting when PHP starts (this process and the php-fpm masters get
 * keysmith.sealing_key_file from run-integration.sh), the twin from KEYSMITH_SEALING_KEY_FILE
 * (wp-config-local.php, which lets a child name another file). So a test that needs the served
 * site on another key restarts php-fpm in the native pass and rewrites wp-config-local.php in the
 * twin pass (serve_with_keys()).
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Sealing;

use Keysmith\Fallback\SealingKeys;
use Keysmith\Sealing\KeyStatus;
use Keysmith\Store\Actor;
use Keysmith\Store\KeyService;
use Keysmith\Store\Schema;
use Keysmith\Tests\Integration\TestCase;

abstract class SealingTestCase extends TestCase {

	protected const ROUTE = '/wp-json/wc/v3/keysmith-test';

	/** Whether a test changed the served site's keys (restored in tearDown). */
	private bool $served_changed = false;

	protected function setUp(): void {
		parent::setUp();
		Schema::install();
		self::hold_keys( self::key_file( 'current' ) );
		$status = KeyStatus::current();
		$this->assertTrue( $status->configured, 'this process must hold the harness sealing key (run tests/harness/run-integration.sh): ' . $status->problem() );
		$this->assertSame( self::key_file( 'current' ), $status->key_file );
	}

	protected function tearDown(): void {
		self::hold_keys( self::key_file( 'current' ) );
		if ( $this->served_changed ) {
			$this->served_changed = false;
			$this->serve_with_keys( self::key_file( 'current' ) );
			$this->served_changed = false;
		}
		parent::tearDown();
	}

	/** Path of one of the harness's test keys: current, previous or other. */
	protected static function key_file( string $name ): string {
		$dir  = getenv( 'KEYSMITH_HARNESS_DIR' ) ?: dirname( __DIR__, 4 ) . '/target/harness';
		$path = $dir . '/sealing/' . $name . '.key';
		if ( ! is_file( $path ) ) {
			throw new \RuntimeException( "$path is missing: tests/harness/site.sh up makes it" );
		}
		return $path;
	}

	/** The fingerprint of a key file, computed here (HMAC-SHA256 of the label under the key). */
	protected static function fingerprint_of( string $path ): string {
		return substr( hash_hmac( 'sha256', 'keysmith sealing key fingerprint v1', (string) file_get_contents( $path ) ), 0, 16 );
	}

	protected static function native(): bool {
		return extension_loaded( 'keysmith' );
	}

	/**
	 * What this process holds: the twin is told its files now; the extension's key was read when
	 * this PHP started, so a native test needing another key runs a child (wp()).
	 */
	protected static function hold_keys( ?string $current, ?string $previous = null ): void {
		if ( ! self::native() ) {
			SealingKeys::configure( $current, $previous );
		}
		KeyStatus::reset();
	}

	/**
	 * New keys through the store, as an administrator on the command line.
	 *
	 * @return list<array<string, mixed>> With their plaintext consumer_key and consumer_secret.
	 */
	protected function make_keys( int $count, string $permissions = 'read_write' ): array {
		$made = ( new KeyService() )->create(
			array(
				'user_ids'    => array( self::user_id( 'shopmanager' ) ),
				'count'       => $count,
				'permissions' => $permissions,
			),
			new Actor( self::user_id( 'admin' ), 'cli' )
		);
		$this->assertIsArray( $made, $made instanceof \WP_Error ? $made->get_error_message() : '' );
		return $made;
	}

	/** A GET of the test route over HTTPS with the pair as Basic credentials: [status, code or user]. */
	protected static function basic( string $consumer_key, string $consumer_secret ): array {
		$response = self::http( 'GET', self::ROUTE, array( 'site' => 'tls', 'headers' => array( 'Authorization' => 'Basic ' . base64_encode( "$consumer_key:$consumer_secret" ) ) ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- HTTP Basic.
		return self::answer( $response );
	}

	/** A GET of the test route over HTTP signed with OAuth 1.0a (HMAC-SHA256): [status, code or user]. */
	protected static function oauth( string $consumer_key, string $consumer_secret ): array {
		$url   = self::site_url( 'http' ) . self::ROUTE;
		$query = http_build_query( self::oauth_params( 'GET', $url, $consumer_key, $consumer_secret ), '', '&', PHP_QUERY_RFC3986 );
		return self::answer( self::http( 'GET', "$url?$query" ) );
	}

	/** @return array{0: int, 1: int|string|null} Status and, on success, the user; else the error code. */
	private static function answer( array $response ): array {
		return array( $response['status'], $response['status'] < 400 ? ( $response['json']['user_id'] ?? null ) : ( $response['json']['code'] ?? null ) );
	}

	/** Each key authenticates (Basic over HTTPS and OAuth) as its owner on the served site. */
	protected function assert_keys_work( array $keys, string $message = '' ): void {
		foreach ( $keys as $key ) {
			$owner = (int) $key['user_id'];
			$this->assertSame( array( 200, $owner ), self::basic( $key['consumer_key'], $key['consumer_secret'] ), "$message: Basic, key {$key['key_id']}" );
			$this->assertSame( array( 200, $owner ), self::oauth( $key['consumer_key'], $key['consumer_secret'] ), "$message: OAuth, key {$key['key_id']}" );
		}
	}

	/**
	 * The stored form of every key: id => [WooCommerce's column, sealed value, sealed with].
	 *
	 * @return array<int, array{0: string, 1: ?string, 2: ?string}>
	 */
	protected static function stored(): array {
		global $wpdb;
		$rows = $wpdb->get_results( 'SELECT k.key_id, k.consumer_secret, m.sealed_secret, m.sealed_with FROM ' . Schema::wc_table() . ' k LEFT JOIN ' . Schema::meta_table() . ' m ON m.key_id = k.key_id ORDER BY k.key_id', ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- our tables.
		$out  = array();
		foreach ( (array) $rows as $row ) {
			$out[ (int) $row['key_id'] ] = array( (string) $row['consumer_secret'], $row['sealed_secret'], $row['sealed_with'] );
		}
		return $out;
	}

	/** Every key is stored sealed with $fingerprint: a fresh marker in WooCommerce's column. */
	protected function assert_all_sealed( string $fingerprint, string $message = '' ): void {
		$stored = self::stored();
		$this->assertNotEmpty( $stored );
		foreach ( $stored as $id => list( $column, $sealed, $with ) ) {
			$this->assertMatchesRegularExpression( '/^ks1[0-9a-f]{40}$/', $column, "$message: key $id holds a marker" );
			$this->assertMatchesRegularExpression( '#^ksv1:[A-Za-z0-9+/]{95}=$#', (string) $sealed, "$message: key $id is sealed" );
			$this->assertSame( $fingerprint, $with, "$message: key $id sealed with" );
		}
		$this->assertCount( count( $stored ), array_unique( array_column( $stored, 0 ) ), 'one marker per key' );
	}

	/**
	 * `tests/cli/wp <argv…>` as a child PHP holding the given keys (null: none), as its
	 * implementation reads them: the extension from -d settings, the twin from wp-config-local.php.
	 *
	 * @return array{stdout: string, stderr: string, exit: int}
	 */
	protected static function wp( array $argv, ?string $current, ?string $previous = null, string $stdin = '' ): array {
		$env = getenv();
		unset( $env['KEYSMITH_SEALING_KEY_INI'], $env['KEYSMITH_SEALING_PREVIOUS_KEY_INI'] );
		$env['KEYSMITH_NO_EXTENSION'] = self::native() ? '0' : '1';
		if ( self::native() ) {
			// An empty setting is no key; a path that is no file, a missing key.
			$env['KEYSMITH_SEALING_KEY_INI'] = $current ?? '';
			if ( null !== $previous ) {
				$env['KEYSMITH_SEALING_PREVIOUS_KEY_INI'] = $previous;
			}
		} else {
			$env['KEYSMITH_TEST_SEALING_KEY_FILE']          = $current ?? 'none';
			$env['KEYSMITH_TEST_SEALING_PREVIOUS_KEY_FILE'] = $previous ?? 'none';
		}
		return self::run_wp( $argv, $env, $stdin );
	}

	/**
	 * The served site (both php-fpm pools) holds these keys from now on: php-fpm restarted with
	 * the extension's settings in the native pass, wp-config-local.php rewritten in the twin pass.
	 * tearDown() gives it the current key back.
	 */
	protected function serve_with_keys( ?string $current, ?string $previous = null ): void {
		$this->served_changed = true;
		$harness              = getenv( 'KEYSMITH_HARNESS_DIR' ) ?: dirname( __DIR__, 4 ) . '/target/harness';
		if ( ! self::native() ) {
			$php = sprintf(
				"<?php\n\$keysmith_sealing_key = %s;\n\$keysmith_sealing_previous_key = %s;\nrequire %s;\n",
				var_export( $current ?? 'none', true ),
				var_export( $previous ?? 'none', true ),
				var_export( dirname( __DIR__, 3 ) . '/harness/wp-config-sealing.php', true )
			);
			file_put_contents( $harness . '/wp-config-local.php', $php );
			return;
		}
		$env = getenv();
		$env['KEYSMITH_SEALING_KEY_INI'] = (string) $current;
		unset( $env['KEYSMITH_SEALING_PREVIOUS_KEY_INI'] );
		if ( null !== $previous ) {
			$env['KEYSMITH_SEALING_PREVIOUS_KEY_INI'] = $previous;
		}
		$env['KEYSMITH_NO_EXTENSION'] = '0';
		$site                         = dirname( __DIR__, 3 ) . '/harness/site.sh';
		$process                      = proc_open( array( $site, 'up' ), array( 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes, null, $env );
		self::assertIsResource( $process );
		$out = stream_get_contents( $pipes[1] ) . stream_get_contents( $pipes[2] );
		fclose( $pipes[1] );
		fclose( $pipes[2] );
		$this->assertSame( 0, proc_close( $process ), "site.sh up with other sealing keys failed:\n$out" );
	}
}
