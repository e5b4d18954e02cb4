<?php
/**
 * Hostile requests over real HTTP against the served harness (nginx + PHP-FPM, native or twin,
 * whichever pass of the suite this is), generated from seeds (HostileRequestGenerator):
 *
 * - with an expired key, a key rotated out past its grace period and a revoked key, not one request
 *   gets in, whatever its path, method, parameter types or credential mix;
 * - with a valid key, every request gets the status and error code WooCommerce alone gives (the
 *   same request sent again with Keysmith's hooks removed), except where Keysmith deliberately
 *   differs (its nonce and timestamp rules; a clean 401 where WooCommerce's own code dies);
 * - 20 identical concurrent requests let exactly one through, on the normal path and on every odd
 *   path, on one server and across the harness's two PHP-FPM servers.
 *
 * Seeds: a fixed list plus one random seed per run, printed; KEYSMITH_HOSTILE_SEEDS=1,2,3 replays
 * given ones, KEYSMITH_HOSTILE_SIZE sets how many requests each key gets per seed. A failure prints
 * the seed and the request.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Auth;

use Keysmith\Store\Schema;
use Keysmith\Tests\Integration\Auth\Hostile\HostileRequestGenerator;
use Keysmith\Tests\Integration\Auth\Hostile\RawHttp;

final class HostileRequestsTest extends AuthTestCase {

	/** Seeds every run uses; one random seed is added (printed). */
	private const FIXED_SEEDS = array( 20261205 );

	/** @var array<string, array{id:int, ck:string, cs:string, user:int}> */
	private array $keys = array();

	protected function setUp(): void {
		parent::setUp();
		global $wpdb;
		$owner = $this->make_user( 'administrator' );
		$past  = gmdate( 'Y-m-d H:i:s', time() - 120 );

		$this->keys['valid']   = $this->make_key( $owner, 'read_write' );
		$this->keys['expired'] = $this->make_key( $owner, 'read_write', $past );
		// What rotation leaves once the grace period is over: the old key's expiry has passed and a
		// successor points at it.
		$this->keys['rotated'] = $this->make_key( $owner, 'read_write', $past );
		$successor             = $this->make_key( $owner, 'read_write' );
		$wpdb->insert( Schema::meta_table(), array( 'key_id' => $successor['id'], 'rotated_from' => $this->keys['rotated']['id'] ) );
		// Revoked: WooCommerce's revoke deletes the row.
		$this->keys['revoked'] = $this->make_key( $owner, 'read_write' );
		$wpdb->delete( Schema::wc_table(), array( 'key_id' => $this->keys['revoked']['id'] ) );
	}

	/** @return list<int> */
	private static function seeds(): array {
		$given = getenv( 'KEYSMITH_HOSTILE_SEEDS' );
		if ( is_string( $given ) && '' !== $given ) {
			return array_map( 'intval', explode( ',', $given ) );
		}
		$random = random_int( 1, PHP_INT_MAX >> 1 );
		fwrite( STDERR, sprintf( "\nhostile requests: seeds %s (random: %d; replay with KEYSMITH_HOSTILE_SEEDS=%d)\n", implode( ',', self::FIXED_SEEDS ), $random, $random ) );
		return array_merge( self::FIXED_SEEDS, array( $random ) );
	}

	private static function size(): int {
		return (int) ( getenv( 'KEYSMITH_HOSTILE_SIZE' ) ?: 350 );
	}

	/** @return array<string, string> */
	private static function bases(): array {
		return array(
			'http'  => self::site_url( 'http' ),
			'tls'   => self::site_url( 'tls' ),
			'http2' => self::site_url( 'http2' ),
		);
	}

	public function test_refused_keys_never_get_in(): void {
		$breaches = array();
		$statuses = array();
		foreach ( self::seeds() as $seed ) {
			$generator = new HostileRequestGenerator( $seed, self::bases() );
			$requests  = array();
			foreach ( array( 'expired', 'rotated', 'revoked' ) as $kind ) {
				for ( $i = 0; $i < self::size(); $i++ ) {
					$requests[] = array( $kind, $generator->next( $this->keys[ $kind ] ) );
				}
			}
			$responses = RawHttp::send_all( array_column( $requests, 1 ) );
			foreach ( $responses as $i => $response ) {
				list( $kind, $request ) = $requests[ $i ];
				$statuses[ $response['status'] ] = true;
				if ( $response['status'] < 400 && $response['user'] === $this->keys[ $kind ]['user'] ) {
					$breaches[] = "$kind key got in ({$response['status']}): {$request['label']}";
				}
			}
		}
		$this->assertSame( array(), array_slice( $breaches, 0, 20 ), count( $breaches ) . " requests got in:\n" . implode( "\n", array_slice( $breaches, 0, 20 ) ) );
		$this->assertArrayHasKey( 401, $statuses, 'the corpus reached the authenticators' );
	}

	public function test_valid_key_gets_woocommerces_answer_except_where_keysmith_is_documented_stricter(): void {
		$mismatches = array();
		$outcomes   = array();
		$key        = $this->keys['valid'];
		foreach ( self::seeds() as $seed ) {
			$generator = new HostileRequestGenerator( $seed, self::bases() );
			$requests  = array();
			for ( $i = 0; $i < self::size(); $i++ ) {
				$requests[] = $generator->next( $key );
			}
			$alone = array_map(
				static function ( array $r ): array {
					$r['headers']['X-Keysmith-Harness-Judge'] = 'woocommerce';
					return $r;
				},
				$requests
			);
			$keysmith    = RawHttp::send_all( $requests );
			$woocommerce = self::woocommerce_alone( static fn(): array => RawHttp::send_all( $alone ) );
			foreach ( $requests as $i => $request ) {
				$ks = $keysmith[ $i ];
				$wc = $woocommerce[ $i ];
				$outcomes[ "{$ks['status']} {$ks['code']}" ] = true;
				// Who is logged in matters when a request succeeds; a refusal tells the client nothing
				// of it (an early answer, Auth\EarlyGate, ends before anyone is logged in at all).
				foreach ( array( &$ks, &$wc ) as &$answer ) {
					if ( $answer['status'] >= 400 ) {
						$answer['user'] = null;
					}
				}
				unset( $answer );
				if ( 'HEAD' === $request['method'] ) {
					// No body to read a code from.
					$ks['code'] = null;
					$wc['code'] = null;
				}
				if ( ! self::same_or_documented( $ks, $wc, $request['flags'] ) ) {
					$mismatches[] = sprintf( "%s\n  woocommerce: %d %s user %s %s\n  keysmith:    %d %s user %s %s", $request['label'], $wc['status'], $wc['code'], $wc['user'], $wc['status'] >= 500 ? $wc['body'] : '', $ks['status'], $ks['code'], $ks['user'], $ks['body'] );
				}
			}
		}
		$this->assertSame( array(), array_slice( $mismatches, 0, 15 ), count( $mismatches ) . " differences:\n" . implode( "\n", array_slice( $mismatches, 0, 15 ) ) );
		$this->assertGreaterThanOrEqual( 6, count( $outcomes ), 'corpus too uniform: ' . implode( ', ', array_keys( $outcomes ) ) );
		$this->assertArrayHasKey( '200 ', $outcomes, 'some requests are accepted' );
	}

	/**
	 * Equal status, error code and user; or one of Keysmith's documented differences for a request
	 * that touches it (README, "Authentication: what Keysmith does differently").
	 *
	 * @param list<string> $flags
	 */
	private static function same_or_documented( array $ks, array $wc, array $flags ): bool {
		if ( array( $ks['status'], $ks['code'], $ks['user'] ) === array( $wc['status'], $wc['code'], $wc['user'] ) ) {
			return true;
		}
		$wc_error = 'woocommerce_rest_authentication_error';
		$code_is   = static fn( string $code ): bool => null === $ks['code'] || $code === $ks['code']; // null: HEAD.
		if ( 500 === $wc['status'] && ( in_array( 'array-signature', $flags, true ) || in_array( 'array-secret', $flags, true ) ) ) {
			return 401 === $ks['status'] && $code_is( $wc_error ); // WooCommerce died with a TypeError.
		}
		if ( in_array( 'nonce-rule', $flags, true ) && 401 === $ks['status'] && $code_is( 'keysmith_rest_invalid_nonce' ) ) {
			return true;
		}
		return in_array( 'timestamp-rule', $flags, true ) && 401 === $ks['status'] && $code_is( $wc_error );
	}

	public function test_twenty_concurrent_replays_let_exactly_one_through_on_every_path_and_server(): void {
		$key       = $this->keys['valid'];
		$generator = new HostileRequestGenerator( 1, self::bases() );
		$results   = array();
		foreach ( HostileRequestGenerator::RACE_PATHS as $path ) {
			foreach ( array( array( 'http' ), array( 'http', 'http2' ) ) as $sites ) {
				$nonce = 'race-' . bin2hex( random_bytes( 6 ) );
				$now   = time();
				$race  = array();
				for ( $i = 0; $i < 20; $i++ ) {
					$race[] = $generator->race_request( $key, $sites[ $i % count( $sites ) ], $path, $nonce, $now );
				}
				$codes = array_count_values( array_map( static fn( array $r ): string => $r['status'] . ' ' . $r['code'], RawHttp::race( $race ) ) );
				ksort( $codes );
				$results[ $path . ' on ' . implode( '+', $sites ) ] = $codes;
			}
		}
		$expected = array_map( static fn(): array => array( '200 ' => 1, '401 woocommerce_rest_authentication_error' => 19 ), $results );
		$this->assertSame( $expected, $results );
	}
}
