<?php
/**
 * The races of a read-through cache, made to happen on purpose (the harness's
 * `X-Keysmith-Harness-Meanwhile` header, tests/harness/judge.php), over real HTTP on both php-fpm
 * servers: a request that read a key row from the database is about to store it in the cache when
 * the key is revoked or edited elsewhere. Whatever that request stores must not outlive the
 * change: the very next request sees it.
 *
 * Needs the persistent object cache (the object-cache pass); without one there is nothing to race.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Cache;

require_once __DIR__ . '/CacheTestCase.php';

final class RaceTest extends CacheTestCase {

	protected function setUp(): void {
		parent::setUp();
		$this->require_cache();
	}

	/**
	 * A Basic request on server 1 has read the key's row; before it stores the row in the cache,
	 * an administrator revokes the key through Keysmith's REST API on server 2.
	 */
	public function test_a_key_revoked_while_a_request_stores_its_row_stays_revoked(): void {
		if ( self::other_dropin() ) {
			$this->markTestSkipped( 'needs the harness drop-in\'s seam (keysmith_harness_before_cache_write)' );
		}
		$key      = $this->keysmith_key( $this->create_user( 'customer' ) );
		$password = $this->application_password( self::user_id( 'admin' ) );
		$this->settle( $key );

		$answer = $this->basic_meanwhile(
			$key,
			'tls',
			array(
				'at'      => 'key-cache-write',
				'method'  => 'DELETE',
				'url'     => self::site_url( 'tls2' ) . '/wp-json/keysmith/v1/keys/' . $key['id'],
				'headers' => array( 'Authorization' => 'Basic ' . base64_encode( "admin:$password" ) ),
			)
		);

		$this->assertSame( '200', $answer['meanwhile'], 'the revoke ran between the read and the cache write' );
		$this->assertSame( 200, $answer['status'], 'the racing request itself was judged on what it had read' );
		$this->assertNull( self::wc_key_row( $key['id'] ) );
		$this->assert_refused_everywhere( $key, 'Sorry, you cannot list resources.', 'GET', 'revoked during a cache write' );
	}

	/**
	 * WooCommerce's key form saves a read-only permission and a new owner; between the moment
	 * plugins saw the request and WooCommerce's write, a Basic request on server 2 reads the key.
	 */
	public function test_a_key_edited_in_woocommerce_while_a_request_reads_it_is_seen_edited(): void {
		$key   = $this->woocommerce_key( $this->create_user( 'shop_manager' ) );
		$other = $this->create_user( 'shop_manager' );
		$this->settle( $key, 'POST' );

		$saved = $this->woocommerce_edit( $key['id'], $other, 'read', array( 'X-Keysmith-Harness-Meanwhile' => self::meanwhile_basic( $key, 'POST' ) ) );

		$this->assertTrue( $saved['json']['success'] ?? false, $saved['body'] );
		$this->assertSame( '200', $saved['headers']['x-keysmith-harness-meanwhile-status'] ?? null, 'a request used the key (and read its old row) before WooCommerce wrote the change' );
		$this->assert_refused_everywhere( $key, 'The API key provided does not have write permissions.', 'POST', 'edited during a read' );
		foreach ( self::SERVERS as $server ) {
			$this->assertSame( $other, self::basic( $key, $server )['user'] );
		}
	}

	/** The same race with WooCommerce's "Revoke key" link. */
	public function test_a_key_revoked_by_woocommerces_link_while_a_request_reads_it_stays_revoked(): void {
		$key = $this->woocommerce_key( $this->create_user( 'customer' ) );
		$this->settle( $key );

		$cookies = self::login( 'admin' );
		$revoked = self::http(
			'GET',
			self::KEYS_SCREEN . '&revoke-key=' . $key['id'] . '&_wpnonce=' . self::nonce_for( $cookies, 'revoke' ),
			array(
				'cookies' => $cookies,
				'headers' => array( 'X-Keysmith-Harness-Meanwhile' => self::meanwhile_basic( $key, 'GET' ) ),
			)
		);

		$this->assertSame( 302, $revoked['status'], $revoked['body'] );
		$this->assertSame( '200', $revoked['headers']['x-keysmith-harness-meanwhile-status'] ?? null, 'a request used the key before WooCommerce deleted it' );
		$this->assertNull( self::wc_key_row( $key['id'] ) );
		$this->assert_refused_everywhere( $key, 'Sorry, you cannot list resources.', 'GET', 'revoked during a read' );
	}

	/**
	 * Uses the key once on each server, so its last IP and last access are recorded (a later
	 * request changes nothing and forgets nothing), then drops its cache entry: the next request
	 * reads the row from the database and stores it.
	 *
	 * @param array{id:int, ck:string, cs:string, user:int} $key
	 */
	private function settle( array $key, string $method = 'GET' ): void {
		foreach ( self::SERVERS as $server ) {
			$this->assertSame( 200, self::basic( $key, $server, $method )['status'] );
		}
		wp_cache_delete( 'id:' . $key['id'], \Keysmith\Store\KeyCache::GROUP );
		$this->assertFalse( self::row_is_cached( $key['id'] ) );
	}

	/**
	 * A Basic request carrying a race plan.
	 *
	 * @param array{ck:string, cs:string} $key
	 * @param array<string, mixed>        $plan
	 * @return array{status:int, meanwhile:?string}
	 */
	private function basic_meanwhile( array $key, string $server, array $plan ): array {
		$response = self::http(
			'GET',
			self::ROUTE,
			array(
				'site'    => $server,
				'headers' => array(
					'Authorization'                => 'Basic ' . base64_encode( $key['ck'] . ':' . $key['cs'] ),
					'X-Keysmith-Harness-Meanwhile' => (string) wp_json_encode( $plan, JSON_UNESCAPED_SLASHES ),
				),
			)
		);
		return array(
			'status'    => $response['status'],
			'meanwhile' => $response['headers']['x-keysmith-harness-meanwhile-status'] ?? null,
		);
	}

	/**
	 * The race plan "meanwhile, use the key over Basic on server 2" (a request that reads the
	 * key's row from the database, as WooCommerce has not written the change yet, and stores it).
	 *
	 * @param array{ck:string, cs:string} $key
	 */
	private static function meanwhile_basic( array $key, string $method ): string {
		return (string) wp_json_encode(
			array(
				'at'      => 'woocommerce-key-change',
				'method'  => $method,
				'url'     => self::site_url( 'tls2' ) . self::ROUTE,
				'headers' => array( 'Authorization' => 'Basic ' . base64_encode( $key['ck'] . ':' . $key['cs'] ) ),
			),
			JSON_UNESCAPED_SLASHES
		);
	}
}
