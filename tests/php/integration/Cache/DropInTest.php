<?php
/**
 * The harness's object-cache drop-in (tests/harness/object-cache.php) keeps WordPress's cache
 * contract, so the object-cache pass tests Keysmith against a cache that behaves as a production
 * one: misses and stored `false`, copies of objects, add/replace, expiry, incr/decr (atomic across
 * processes, expiry kept), groups (global, non-persistent, flush_group), multisite-safe keys, a
 * flush that leaves other sites' entries alone, and a loud failure when Redis is unreachable.
 * What Redis holds is read with PhpRedis directly, not through the drop-in.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Cache;

require_once __DIR__ . '/CacheTestCase.php';

final class DropInTest extends CacheTestCase {

	private \Redis $redis;

	protected function setUp(): void {
		parent::setUp();
		$this->require_cache();
		if ( self::other_dropin() ) {
			$this->markTestSkipped( 'tests the harness\'s own drop-in; KEYSMITH_OBJECT_CACHE_DROPIN names another' );
		}
		$this->redis = new \Redis();
		$this->redis->connect( '127.0.0.1', (int) getenv( 'KEYSMITH_REDIS_PORT' ) );
	}

	protected function tearDown(): void {
		$this->redis->close();
		parent::tearDown();
	}

	/** @return list<string> Redis keys matching $pattern. */
	private function redis_keys( string $pattern ): array {
		$this->redis->setOption( \Redis::OPT_SCAN, \Redis::SCAN_RETRY );
		$keys     = array();
		$iterator = null;
		while ( false !== ( $found = $this->redis->scan( $iterator, $pattern, 1000 ) ) ) {
			array_push( $keys, ...$found );
		}
		sort( $keys );
		return $keys;
	}

	public function test_misses_stored_false_and_copies(): void {
		$this->assertFalse( wp_cache_get( 'absent', 'dropin', false, $found ) );
		$this->assertFalse( $found );
		wp_cache_set( 'false', false, 'dropin' );
		wp_cache_flush_runtime();
		$this->assertFalse( wp_cache_get( 'false', 'dropin', false, $found ) );
		$this->assertTrue( $found, 'a stored false is found' );

		$object    = new \stdClass();
		$object->v = 1;
		wp_cache_set( 'object', $object, 'dropin' );
		$object->v = 2;
		$copy      = wp_cache_get( 'object', 'dropin' );
		$copy->v   = 3;
		$this->assertSame( 1, wp_cache_get( 'object', 'dropin' )->v, 'objects go in and come out as copies' );
		$this->assertSame( array( 'object' => 1, 'absent' => false ), array_map( static fn( $v ) => is_object( $v ) ? $v->v : $v, wp_cache_get_multiple( array( 'object', 'absent' ), 'dropin' ) ) );
	}

	public function test_add_replace_and_expiry(): void {
		$this->assertFalse( wp_cache_replace( 'k', 1, 'dropin' ), 'replace needs an entry' );
		$this->assertTrue( wp_cache_add( 'k', 1, 'dropin' ) );
		$this->assertFalse( wp_cache_add( 'k', 2, 'dropin' ), 'add never overwrites' );
		$this->assertTrue( wp_cache_replace( 'k', 3, 'dropin' ) );
		wp_suspend_cache_addition( true );
		$this->assertFalse( wp_cache_add( 'other', 1, 'dropin' ), 'wp_suspend_cache_addition() holds' );
		wp_suspend_cache_addition( false );

		// Another client's view: what the other servers read.
		$this->redis->set( WP_CACHE_KEY_SALT . '1:dropin:k', '7' );
		$this->assertFalse( wp_cache_add( 'k', 9, 'dropin' ), 'add asks Redis, not this request\'s copy' );
		wp_cache_flush_runtime();
		$this->assertSame( 7, wp_cache_get( 'k', 'dropin' ) );

		wp_cache_set( 'short', 'x', 'dropin', 1 );
		$this->assertGreaterThan( 0, $this->redis->ttl( WP_CACHE_KEY_SALT . '1:dropin:short' ) );
		usleep( 2100000 );
		wp_cache_flush_runtime();
		$this->assertFalse( wp_cache_get( 'short', 'dropin' ), 'expired' );
		$this->assertSame( -1, $this->redis->ttl( WP_CACHE_KEY_SALT . '1:dropin:k' ), 'no expiry given, none set' );
	}

	public function test_incr_and_decr_follow_wordpress_and_keep_the_expiry(): void {
		$this->assertFalse( wp_cache_incr( 'absent', 1, 'dropin' ) );
		wp_cache_set( 'n', 5, 'dropin', 300 );
		$this->assertSame( 8, wp_cache_incr( 'n', 3, 'dropin' ) );
		$this->assertSame( 0, wp_cache_decr( 'n', 10, 'dropin' ), 'never below 0' );
		$this->assertGreaterThan( 250, $this->redis->ttl( WP_CACHE_KEY_SALT . '1:dropin:n' ), 'expiry kept' );
		wp_cache_set( 'text', 'abc', 'dropin' );
		$this->assertSame( 2, wp_cache_incr( 'text', 2, 'dropin' ), 'a non-numeric value counts as 0' );
		wp_cache_set( 'numeric', '5', 'dropin' );
		$this->assertSame( 6, wp_cache_incr( 'numeric', 1, 'dropin' ), 'a numeric string counts' );
		wp_cache_flush_runtime();
		$this->assertSame( 6, wp_cache_get( 'numeric', 'dropin' ) );
	}

	public function test_incr_is_atomic_across_processes(): void {
		wp_cache_set( 'counter', 0, 'dropin' );
		$script = sprintf(
			'$_SERVER["HTTP_HOST"] = "127.0.0.1"; $_SERVER["REQUEST_URI"] = "/"; require %s; for ( $i = 0; $i < 250; $i++ ) { wp_cache_incr( "counter", 1, "dropin" ); }',
			var_export( ABSPATH . 'wp-load.php', true )
		);
		$procs = array();
		foreach ( range( 1, 4 ) as $n ) {
			$procs[ $n ] = proc_open( array( PHP_BINARY, '-r', $script ), array( 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes[ $n ] );
		}
		foreach ( $procs as $n => $proc ) {
			$errors = stream_get_contents( $pipes[ $n ][2] );
			stream_get_contents( $pipes[ $n ][1] );
			$this->assertSame( 0, proc_close( $proc ), "process $n: $errors" );
		}
		wp_cache_flush_runtime();
		$this->assertSame( 1000, wp_cache_get( 'counter', 'dropin' ), 'no increment lost' );
	}

	public function test_groups_global_non_persistent_and_flush_group(): void {
		wp_cache_add_non_persistent_groups( array( 'dropin-local' ) );
		wp_cache_set( 'k', 'local', 'dropin-local' );
		$this->assertSame( 'local', wp_cache_get( 'k', 'dropin-local' ) );
		$this->assertSame( array(), $this->redis_keys( '*dropin-local*' ), 'a non-persistent group never reaches Redis' );

		// Names that a careless prefix scheme would run together.
		wp_cache_set( 'a:b', 1, 'g' );
		wp_cache_set( 'b', 2, 'g:a' );
		wp_cache_set( 'b', 3, 'xg' );
		wp_cache_set( 'k', 4, 'g' );
		$this->assertTrue( wp_cache_supports( 'flush_group' ) );
		$this->assertTrue( wp_cache_flush_group( 'g' ) );
		wp_cache_flush_runtime();
		$this->assertSame( array( false, 2, 3, false ), array( wp_cache_get( 'a:b', 'g' ), wp_cache_get( 'b', 'g:a' ), wp_cache_get( 'b', 'xg' ), wp_cache_get( 'k', 'g' ) ) );
	}

	public function test_blogs_of_a_multisite_network_do_not_share_entries_but_global_groups(): void {
		$cache = new \Keysmith_Harness_Redis_Object_Cache();
		( function (): void {
			$this->multisite = true; // As constructed on a multisite network.
		} )->call( $cache );
		$cache->add_global_groups( array( 'network' ) );
		$cache->switch_to_blog( 2 );
		$cache->set( 'k', 'blog 2', 'blogs' );
		$cache->set( 'k', 'everyone', 'network' );
		$cache->switch_to_blog( 3 );
		$this->assertFalse( $cache->get( 'k', 'blogs' ) );
		$this->assertSame( 'everyone', $cache->get( 'k', 'network' ) );
		$cache->switch_to_blog( 2 );
		$this->assertSame( 'blog 2', $cache->get( 'k', 'blogs' ) );
		$cache->flush_group( 'blogs' );
		$this->assertSame( array(), $this->redis_keys( WP_CACHE_KEY_SALT . '*:blogs:*' ), 'flush_group empties the group on every blog' );
	}

	public function test_flush_empties_this_site_only(): void {
		$this->redis->set( 'another_site:1:options:x', 'theirs' );
		wp_cache_set( 'k', 1, 'dropin' );
		$this->assertTrue( wp_cache_flush() );
		$this->assertSame( array(), $this->redis_keys( WP_CACHE_KEY_SALT . '*' ) );
		$this->assertSame( 'theirs', $this->redis->get( 'another_site:1:options:x' ) );
		$this->redis->del( 'another_site:1:options:x' );
	}

	public function test_an_unreachable_redis_is_a_loud_failure(): void {
		$script = sprintf(
			'define( "KEYSMITH_HARNESS_REDIS_PORT", 1 ); require %s; try { wp_cache_init(); echo "no error"; } catch ( RuntimeException $e ) { echo $e->getMessage(); }',
			var_export( dirname( __DIR__, 3 ) . '/harness/object-cache.php', true )
		);
		$out = shell_exec( escapeshellarg( PHP_BINARY ) . ' -r ' . escapeshellarg( $script ) . ' 2>&1' );
		$this->assertStringStartsWith( 'Keysmith harness object cache: cannot connect to Redis at 127.0.0.1:1', (string) $out );
	}
}
