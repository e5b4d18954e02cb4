<?php
/**
 * Turning sealing on seals every existing secret: none is left in WooCommerce's column or in a
 * full dump of the database, every key keeps working, and a run that stops part-way carries on
 * without losing a key.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Sealing;

use Keysmith\Sealing\SealedStore;
use Keysmith\Sealing\SealingResult;
use Keysmith\Sealing\SealingService;
use Keysmith\Sealing\State;
use Keysmith\Store\Actor;
use Keysmith\Store\AuditLog;
use Keysmith\Store\KeyService;
use Keysmith\Store\Schema;
use WP_Error;

final class SealAllTest extends SealingTestCase {

	/** @var callable|null */
	private $injector = null;

	protected function tearDown(): void {
		if ( null !== $this->injector ) {
			remove_filter( 'query', $this->injector );
		}
		parent::tearDown();
	}

	public function test_sealing_every_secret_leaves_none_in_the_table_or_a_dump(): void {
		$keys   = $this->make_keys( 2200 );
		$keys[] = $this->wc_made_key();
		$keys[] = $this->wc_made_key();

		$reports = array();
		$result  = ( new SealingService() )->turn_on(
			new Actor( self::user_id( 'admin' ), 'cli' ),
			static function ( int $done, int $total ) use ( &$reports ): void {
				$reports[] = array( $done, $total );
			}
		);

		$this->assertInstanceOf( SealingResult::class, $result );
		$this->assertSame( array( 2202, array() ), array( $result->changed, $result->failed ) );
		$this->assertSame( array( array( 1000, 2202 ), array( 2000, 2202 ), array( 2202, 2202 ), array( 2202, 2202 ) ), $reports, 'a report per chunk (the last finds nothing left)' );
		$this->assert_all_sealed( self::fingerprint_of( self::key_file( 'current' ) ) );
		$this->assertSame( array( 'enabled' => true, 'pending' => null ), State::get() );

		$dump = self::dump();
		$this->assertGreaterThan( 500000, strlen( $dump ), 'a dump of the whole database' );
		$this->assertStringContainsString( 'keysmith_key_meta', $dump );
		preg_match_all( '/cs_[0-9a-f]{40}/', $dump, $found );
		$this->assertSame( array(), $found[0], 'no WooCommerce secret anywhere in the dump' );
		$secrets = array_column( $keys, 'consumer_secret' );
		foreach ( array( 0, 1, 1000, 2201 ) as $i ) {
			$this->assertStringNotContainsString( substr( $secrets[ $i ], 3 ), $dump, "key $i's secret, not even without its prefix" );
		}

		$service = new KeyService();
		foreach ( $keys as $key ) {
			$this->assertTrue( $service->verify_pair( $key['consumer_key'], $key['consumer_secret'] ), "key {$key['key_id']} still verifies" );
		}
		$wrong = $service->verify_pair( $keys[5]['consumer_key'], $keys[6]['consumer_secret'] );
		$this->assertInstanceOf( WP_Error::class, $wrong );
		$this->assertSame( 'keysmith_wrong_secret', $wrong->get_error_code() );
		$this->assert_keys_work( array( $keys[0], $keys[1500], $keys[2201] ), 'sealed' );
		$this->assertSame( array( 401, 'woocommerce_rest_authentication_error' ), self::basic( $keys[0]['consumer_key'], $keys[1]['consumer_secret'] ) );

		$events = AuditLog::query( array( 'action' => 'sealing_on' ) );
		$this->assertSame( 1, $events['total'] );
		$this->assertSame( array( 'secrets' => 2202, 'key' => self::fingerprint_of( self::key_file( 'current' ) ) ), $events['items'][0]['details'] );
		$this->assertSame( array( self::user_id( 'admin' ), 'cli', 0 ), array( $events['items'][0]['actor_id'], $events['items'][0]['source'], $events['items'][0]['key_id'] ) );
	}

	/**
	 * A database failure in the second chunk: the first chunk stays sealed, the rest stays
	 * plaintext, every key works throughout, and running again seals the rest.
	 */
	public function test_an_interrupted_run_carries_on_without_losing_a_key(): void {
		$keys    = $this->make_keys( 2500 );
		$service = new KeyService();
		$seen    = $this->fail_nth( 'UPDATE ' . Schema::wc_table() . ' k JOIN', 2 );
		$result  = ( new SealingService() )->turn_on( new Actor( 0, 'cli' ) );
		remove_filter( 'query', $this->injector );

		$this->assertSame( 2, $seen['n'], 'the failure was injected in the second chunk' );
		$this->assertInstanceOf( WP_Error::class, $result );
		$this->assertSame( 'keysmith_db_error', $result->get_error_code() );
		$this->assertStringContainsString( '1,000 secrets were changed before that, and stay so; run this again to carry on.', $result->get_error_message() );
		$this->assertSame( array( 'enabled' => true, 'pending' => State::SEAL ), State::get() );
		$counts = SealedStore::counts();
		$this->assertSame( array( 2500, 1000, 1500, 0 ), array( $counts['total'], $counts['sealed'], $counts['plaintext'], $counts['orphaned'] ) );
		foreach ( self::stored() as $id => list( $column, $sealed ) ) {
			$this->assertSame( null === $sealed, str_starts_with( $column, 'cs_' ), "key $id is whole: plaintext, or a marker and a sealed value" );
		}
		foreach ( $keys as $key ) {
			$this->assertTrue( $service->verify_pair( $key['consumer_key'], $key['consumer_secret'] ), "key {$key['key_id']} works half-way" );
		}
		$this->assert_keys_work( array( $keys[0], $keys[2499] ), 'half-way' );

		$again = ( new SealingService() )->turn_on( new Actor( 0, 'cli' ) );
		$this->assertInstanceOf( SealingResult::class, $again );
		$this->assertSame( 1500, $again->changed, 'carries on with the keys left' );
		$this->assert_all_sealed( self::fingerprint_of( self::key_file( 'current' ) ) );
		$this->assertSame( array( 'enabled' => true, 'pending' => null ), State::get() );
		foreach ( $keys as $key ) {
			$this->assertTrue( $service->verify_pair( $key['consumer_key'], $key['consumer_secret'] ), "key {$key['key_id']} works at the end" );
		}
	}

	/** Without a key, turning sealing on is refused and changes nothing. */
	public function test_turning_on_without_a_key_changes_nothing(): void {
		$keys   = $this->make_keys( 2 );
		$before = self::snapshot();
		$run    = self::wp( array( 'keysmith', 'sealing', 'on' ), '/nonexistent/sealing.key' );
		$this->assertSame( 1, $run['exit'], $run['stdout'] . $run['stderr'] );
		$this->assertStringContainsString( 'Error: No sealing key is available: The sealing key file /nonexistent/sealing.key does not exist.', $run['stderr'] );
		$this->assertSame( $before, self::snapshot() );
		$this->assertSame( array( 'enabled' => false, 'pending' => null ), State::get() );
		$this->assertSame( 'cs_', substr( self::stored()[ $keys[0]['key_id'] ][0], 0, 3 ) );
	}

	/** A key made the way WooCommerce's Add key screen makes one. */
	private function wc_made_key(): array {
		$key = $this->create_wc_key( self::user_id( 'shopmanager' ) );
		return $key + array( 'user_id' => self::user_id( 'shopmanager' ) );
	}

	/** `mariadb-dump` of the whole test database, as a backup would take it. */
	private static function dump(): string {
		$command = array( 'mariadb-dump', '--no-defaults', '--socket=' . getenv( 'KEYSMITH_DB_SOCKET' ), '-uroot', '--single-transaction', '--hex-blob', (string) getenv( 'KEYSMITH_DB_NAME' ) );
		$process = proc_open( $command, array( 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes );
		self::assertIsResource( $process );
		$dump   = (string) stream_get_contents( $pipes[1] );
		$errors = (string) stream_get_contents( $pipes[2] );
		fclose( $pipes[1] );
		fclose( $pipes[2] );
		self::assertSame( 0, proc_close( $process ), $errors );
		return $dump;
	}

	/** Makes the $nth statement starting with $prefix fail (WordPress's `query` filter). */
	private function fail_nth( string $prefix, int $nth ): \ArrayObject {
		$seen           = new \ArrayObject( array( 'n' => 0 ) );
		$this->injector = static function ( string $query ) use ( $prefix, $nth, $seen ): string {
			if ( str_starts_with( ltrim( $query ), $prefix ) && ++$seen['n'] === $nth ) {
				return 'INSERT INTO keysmith_no_such_table_for_fault_injection VALUES (1)';
			}
			return $query;
		};
		add_filter( 'query', $this->injector );
		return $seen;
	}
}
