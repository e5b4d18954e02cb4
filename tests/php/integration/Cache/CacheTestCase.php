<?php
/**
 * Shared ground for the key-row cache tests: keys, Basic requests over real HTTPS to each php-fpm
 * server ('tls' = pool 1, 'tls2' = pool 2; Basic authentication, and so the cache, works only over
 * HTTPS), and a look at what the persistent object cache holds.
 *
 * These tests run in every pass of tests/harness/run-integration.sh. In the object-cache pass
 * (KEYSMITH_OBJECT_CACHE=redis: tests/harness/object-cache.php in this process and in both pools,
 * one Redis) a key is first made to be served from the cache, which each test checks, so a change
 * must really reach the cache; without a persistent cache the same tests prove that the change
 * reaches the next request through the database.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Cache;

use Keysmith\Store\Actor;
use Keysmith\Store\KeyCache;
use Keysmith\Store\KeyService;
use Keysmith\Store\Schema;
use Keysmith\Tests\Integration\TestCase;
use Keysmith\Tests\Integration\WooCommerce\WooCommerceKeyScreen;

abstract class CacheTestCase extends TestCase {

	use WooCommerceKeyScreen;

	protected const ROUTE = '/wp-json/wc/v3/keysmith-test';

	/** WooCommerce's REST API keys screen. */
	protected const KEYS_SCREEN = '/wp-admin/admin.php?page=wc-settings&tab=advanced&section=keys';

	/** Both php-fpm servers, over HTTPS. */
	protected const SERVERS = array( 'tls', 'tls2' );

	protected KeyService $service;

	protected function setUp(): void {
		parent::setUp();
		Schema::install(); // The uninstall test drops the tables.
		$this->service = new KeyService();
		if ( self::cache_on() ) {
			$this->assertTrue( wp_using_ext_object_cache(), 'KEYSMITH_OBJECT_CACHE=redis, so this process must use the drop-in' );
			if ( ! self::other_dropin() ) {
				$this->assertSame( 'Keysmith_Harness_Redis_Object_Cache', get_class( $GLOBALS['wp_object_cache'] ) );
			}
		}
	}

	/**
	 * Whether the harness runs another drop-in than its own (KEYSMITH_OBJECT_CACHE_DROPIN, to try
	 * one locally): then the tests of the harness's drop-in and its race seam do not apply.
	 */
	protected static function other_dropin(): bool {
		return '' !== (string) getenv( 'KEYSMITH_OBJECT_CACHE_DROPIN' );
	}

	/** Whether this pass runs with the persistent object cache (Redis). */
	protected static function cache_on(): bool {
		return 'redis' === getenv( 'KEYSMITH_OBJECT_CACHE' );
	}

	protected function require_cache(): void {
		if ( ! self::cache_on() ) {
			$this->markTestSkipped( 'needs the persistent object cache (the third pass of run-integration.sh, KEYSMITH_OBJECT_CACHE=redis)' );
		}
	}

	/**
	 * A key made through Keysmith's store.
	 *
	 * @return array{id:int, ck:string, cs:string, user:int}
	 */
	protected function keysmith_key( int $owner, string $permissions = 'read_write', ?string $expires_at = null ): array {
		$created = $this->service->create(
			array(
				'user_ids'    => array( $owner ),
				'permissions' => $permissions,
				'expires_at'  => $expires_at,
			),
			new Actor( 0, 'cli' )
		);
		$this->assertIsArray( $created, $created instanceof \WP_Error ? $created->get_error_message() : '' );
		return array(
			'id'   => (int) $created[0]['key_id'],
			'ck'   => $created[0]['consumer_key'],
			'cs'   => $created[0]['consumer_secret'],
			'user' => $owner,
		);
	}

	/**
	 * A key inserted as WooCommerce's own screen inserts it (Keysmith not involved).
	 *
	 * @return array{id:int, ck:string, cs:string, user:int}
	 */
	protected function woocommerce_key( int $owner, string $permissions = 'read_write' ): array {
		$key = $this->create_wc_key( $owner, $permissions );
		return array(
			'id'   => $key['key_id'],
			'ck'   => $key['consumer_key'],
			'cs'   => $key['consumer_secret'],
			'user' => $owner,
		);
	}

	/**
	 * One Basic-authenticated request to the test route on one server.
	 *
	 * @param array{ck:string, cs:string} $key
	 * @return array{status:int, code:?string, message:?string, user:int}
	 */
	protected static function basic( array $key, string $server, string $method = 'GET' ): array {
		$response = self::http(
			$method,
			self::ROUTE,
			array(
				'site'    => $server,
				'headers' => array( 'Authorization' => 'Basic ' . base64_encode( $key['ck'] . ':' . $key['cs'] ) ),
			)
		);
		return array(
			'status'  => $response['status'],
			'code'    => is_array( $response['json'] ) ? ( $response['json']['code'] ?? null ) : null,
			'message' => is_array( $response['json'] ) ? ( $response['json']['message'] ?? null ) : null,
			'user'    => (int) ( $response['headers']['x-keysmith-harness-user'] ?? -1 ),
		);
	}

	/**
	 * Uses the key on both servers until, in the object-cache pass, its row is in the cache and
	 * requests are answered from it. The first request records the client's IP and last access,
	 * which forgets the row for KeyCache::FORGOTTEN_TTL seconds; the mark is dropped here, as if
	 * that time had passed, so the next request stores the row.
	 *
	 * @param array{id:int, ck:string, cs:string, user:int} $key
	 */
	protected function warm( array $key, string $method = 'GET' ): void {
		foreach ( array( 'tls', 'tls2', 'tls', 'tls2' ) as $i => $server ) {
			$answer = self::basic( $key, $server, $method );
			$this->assertSame( array( 200, $key['user'] ), array( $answer['status'], $answer['user'] ), "the key works on $server before the change: " . wp_json_encode( $answer ) );
			if ( 0 === $i ) {
				wp_cache_delete( 'id:' . $key['id'], KeyCache::GROUP );
			}
		}
		if ( self::cache_on() ) {
			$this->assertTrue( self::row_is_cached( $key['id'] ), 'the key row is in the object cache, so without an invalidation the next request would be answered from it' );
		}
	}

	/**
	 * Every entry of the key-row group as Redis stores it (read with PhpRedis, not through
	 * WordPress or Keysmith): Redis key => stored bytes.
	 *
	 * @return array<string, string>
	 */
	protected static function raw_key_cache(): array {
		$redis = new \Redis();
		$redis->connect( '127.0.0.1', (int) getenv( 'KEYSMITH_REDIS_PORT' ) );
		$entries  = array();
		$iterator = null;
		$redis->setOption( \Redis::OPT_SCAN, \Redis::SCAN_RETRY );
		while ( false !== ( $found = $redis->scan( $iterator, '*:' . KeyCache::GROUP . ':*', 1000 ) ) ) {
			foreach ( $found as $name ) {
				$entries[ $name ] = (string) $redis->get( $name );
			}
		}
		$redis->close();
		return $entries;
	}

	/**
	 * The raw cache entry of a key's row looked up by id, as stored in Redis ('' when none). Drop-ins
	 * spell the key part differently (the harness's keeps `id:5` URL-encoded, Redis Object Cache
	 * turns its colons into dashes: `id-5`), so any of those forms matches.
	 */
	protected static function raw_row_entry( int $key_id ): string {
		$pattern = '/[:\-]id[:\-]' . $key_id . '$/';
		return implode( "\n", array_filter( self::raw_key_cache(), static fn( string $name ): bool => 1 === preg_match( $pattern, urldecode( $name ) ), ARRAY_FILTER_USE_KEY ) );
	}

	/** Whether the shared cache (not this process's copy) holds the key's row. */
	protected static function row_is_cached( int $key_id ): bool {
		wp_cache_flush_runtime();
		return false !== KeyCache::get_by_id( $key_id );
	}

	/**
	 * The next request with the key, on each server, is refused with $message. (A key refused for
	 * its permission has still authenticated its owner, as in WooCommerce; the others leave the
	 * request without a user.)
	 *
	 * @param array{ck:string, cs:string} $key
	 */
	protected function assert_refused_everywhere( array $key, string $message, string $method = 'GET', string $why = '' ): void {
		foreach ( self::SERVERS as $server ) {
			$answer = self::basic( $key, $server, $method );
			$this->assertSame( array( 401, $message ), array( $answer['status'], $answer['message'] ), "$why: the next $method on $server: " . wp_json_encode( $answer ) );
		}
	}

	/**
	 * `wp …` as its own PHP process, through the tests/cli/wp shim (it loads the harness's
	 * WordPress, and so the object-cache drop-in, as any WP-CLI process would).
	 *
	 * @return array{stdout: string, stderr: string, exit: int}
	 */
	protected static function wp_cli( string ...$argv ): array {
		return self::run_wp( $argv, self::child_env() );
	}

	/**
	 * WooCommerce's AJAX save of the key form (docs/woocommerce-compatibility.md §2.5.1), as the
	 * admin over HTTP.
	 *
	 * @param array<string, string> $headers Extra request headers.
	 * @return array{status:int, headers:array<string,string>, body:string, json:mixed}
	 */
	protected function woocommerce_edit( int $key_id, int $owner, string $permissions, array $headers = array() ): array {
		$cookies = self::login( 'admin' );
		$fields  = array(
			'key_id'      => $key_id,
			'description' => 'edited in WooCommerce',
			'user'        => $owner,
			'permissions' => $permissions,
		);
		return self::save_key( $cookies, self::nonce_for( $cookies, 'update-api-key' ), $fields, $headers );
	}
}
