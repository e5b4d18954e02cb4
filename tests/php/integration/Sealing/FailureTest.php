<?php
/**
 * Failure is loud and loses nothing: a server without the right key answers every sealed key with
 * HTTP 500 keysmith_sealing_unavailable (never "wrong secret"), Site Health turns critical,
 * `wp keysmith doctor` fails with the fix, nothing in the tables changes, and the right key
 * brings every key back. A sealed value moved to another row, or altered, authenticates nothing.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Sealing;

use Keysmith\Sealing\SealingResult;
use Keysmith\Sealing\SealingService;
use Keysmith\Sealing\State;
use Keysmith\Store\Actor;
use Keysmith\Store\Schema;

final class FailureTest extends SealingTestCase {

	private const UNAVAILABLE = array( 500, 'keysmith_sealing_unavailable' );

	public function test_a_missing_or_wrong_key_gives_the_clear_error_and_changes_nothing(): void {
		global $wpdb;
		$keys = $this->make_keys( 2 );
		$this->assertInstanceOf( SealingResult::class, ( new SealingService() )->turn_on( new Actor( 0, 'cli' ) ) );
		$before = self::snapshot();
		$admin  = self::login( 'admin' );

		foreach ( array( 'another key' => self::key_file( 'other' ), 'a missing key file' => '/nonexistent/sealing.key' ) as $case => $file ) {
			$this->serve_with_keys( $file );
			foreach ( $keys as $key ) {
				$this->assertSame( self::UNAVAILABLE, self::basic( $key['consumer_key'], $key['consumer_secret'] ), "$case: Basic" );
				$this->assertSame( self::UNAVAILABLE, self::oauth( $key['consumer_key'], $key['consumer_secret'] ), "$case: OAuth" );
				$this->assertSame( self::UNAVAILABLE, self::basic( $key['consumer_key'], 'cs_' . str_repeat( '0', 40 ) ), "$case: whatever the secret" );
			}
			$this->assertSame( $before, self::snapshot(), "$case: nothing in the tables changed" );
			$this->assertSame( 0, self::count_rows( 'keysmith_failures' ), "$case: not counted against the client" );
			$this->assertSame( 0, self::count_rows( 'keysmith_nonces' ), "$case: no nonce claimed" );

			$health = self::http( 'GET', '/wp-admin/site-health.php', array( 'cookies' => $admin ) );
			$this->assertSame( 200, $health['status'] );
			$this->assertMatchesRegularExpression( '/"label":"Keys with sealed secrets cannot be verified on this server","status":"critical"/', str_replace( '\\/', '/', $health['body'] ), "$case: Site Health" );

			$doctor = self::wp( array( 'keysmith', 'doctor', '--format=json' ), $file );
			$this->assertSame( 1, $doctor['exit'], "$case: doctor fails" );
			$rows   = array_filter( (array) json_decode( $doctor['stdout'], true ), static fn( array $row ): bool => 'error' === $row['status'] );
			$this->assertCount( 1, $rows, $doctor['stdout'] );
			$row = array_values( $rows )[0];
			$this->assertSame( 'sealing', $row['check'] );
			$this->assertStringContainsString( 'keysmith_sealing_unavailable', $row['detail'] );
			$this->assertStringContainsString( self::fingerprint_of( self::key_file( 'current' ) ), $row['detail'], "$case: names the key that is needed" );
			$this->assertNotSame( '', $row['fix'] );

			$verify = self::wp( array( 'keysmith', 'verify', $keys[0]['consumer_key'] ), $file, null, $keys[0]['consumer_secret'] );
			$this->assertSame( 1, $verify['exit'] );
			$this->assertStringStartsWith( "Error: The key's secret is sealed, and this server has no sealing key that opens it", $verify['stderr'] );
		}

		$this->serve_with_keys( self::key_file( 'current' ) );
		$this->assert_keys_work( $keys, 'the right key restores every key' );
		$this->assertSame( array( 'enabled' => true, 'pending' => null ), State::get() );
		$rows = $wpdb->get_var( 'SELECT COUNT(*) FROM ' . Schema::meta_table() . ' WHERE sealed_secret IS NOT NULL' ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
		$this->assertSame( '2', $rows );
	}

	public function test_a_sealed_value_moved_to_another_row_authenticates_nothing(): void {
		global $wpdb;
		list( $a, $b, $c ) = $this->make_keys( 3 );
		( new SealingService() )->turn_on( new Actor( 0, 'cli' ) );
		$stored = self::stored();
		$wpdb->update( Schema::meta_table(), array( 'sealed_secret' => $stored[ (int) $b['key_id'] ][1] ), array( 'key_id' => $a['key_id'] ) );
		$wpdb->update( Schema::meta_table(), array( 'sealed_secret' => $stored[ (int) $a['key_id'] ][1] ), array( 'key_id' => $b['key_id'] ) );

		$invalid   = array( 401, 'woocommerce_rest_authentication_error' );
		$signature = self::http( 'GET', self::site_url( 'http' ) . self::ROUTE . '?' . http_build_query( self::oauth_params( 'GET', self::site_url( 'http' ) . self::ROUTE, $a['consumer_key'], $a['consumer_secret'] ), '', '&', PHP_QUERY_RFC3986 ) );
		$this->assertSame( array( 401, 'Invalid signature - provided signature does not match.' ), array( $signature['status'], $signature['json']['message'] ?? null ) );
		foreach ( array( array( $a, $a ), array( $b, $b ), array( $a, $b ), array( $b, $a ) ) as list( $key, $secret_of ) ) {
			$this->assertSame( $invalid, self::basic( $key['consumer_key'], $secret_of['consumer_secret'] ), "key {$key['key_id']} with the secret of {$secret_of['key_id']}" );
			$this->assertSame( $invalid, self::oauth( $key['consumer_key'], $secret_of['consumer_secret'] ) );
		}
		$this->assertSame( array( 200, (int) $c['user_id'] ), self::basic( $c['consumer_key'], $c['consumer_secret'] ), 'the untouched key works' );

		// Turning sealing off cannot unseal them either: they stay sealed, and say so.
		$off = ( new SealingService() )->turn_off( new Actor( 0, 'cli' ) );
		$this->assertInstanceOf( SealingResult::class, $off );
		$this->assertSame( array( 1, array( (int) $a['key_id'], (int) $b['key_id'] ) ), array( $off->changed, $off->failed ) );
		$this->assertSame( array( 'enabled' => false, 'pending' => State::UNSEAL ), State::get() );
		$this->assertSame( $stored[ (int) $b['key_id'] ][1], self::stored()[ (int) $a['key_id'] ][1], 'left as it was' );
		$this->assertSame( $invalid, self::basic( $a['consumer_key'], $a['consumer_secret'] ), 'still judged by Keysmith, still refused' );
		$this->assertSame( array( 200, (int) $c['user_id'] ), self::basic( $c['consumer_key'], $c['consumer_secret'] ) );
	}
}
