<?php
/**
 * A persistent object cache for the Keysmith test harness: a WordPress `object-cache.php` drop-in
 * over PhpRedis, linked into wp-content by tests/harness/site.sh when KEYSMITH_OBJECT_CACHE=redis.
 * Test-only, never shipped; written for the harness so the suite can run the plugin the way most
 * production shops do (every web server and every CLI process sharing one cache).
 *
 * What a drop-in must do, and this one does:
 * - the whole wp_cache_* API of WordPress 6.1+ (get/set/add/replace/delete, the *_multiple forms,
 *   incr/decr, flush, flush_runtime, flush_group, supports, global and non-persistent groups,
 *   switch_to_blog, close);
 * - keys that cannot collide: "<salt><scope>:<group>:<key>", scope = the blog id for ordinary groups
 *   (only on multisite, as WP_Object_Cache prefixes keys) and "global" for global groups; group and
 *   key are percent-encoded, so a ':' in either cannot make two entries share a key, and a group can
 *   be flushed by pattern without touching any other group;
 * - a per-request runtime copy, as WordPress's own cache keeps (values read once are served from
 *   memory for the rest of the request; objects are cloned on the way in and out);
 * - integers stored as plain decimal strings (everything else serialize()d), so incr/decr run inside
 *   Redis as one atomic step (a Lua script around INCRBY) that keeps the entry's expiry;
 * - no silent fallback: if Redis cannot be reached the request fails loudly. A cache that quietly
 *   turned itself off would make the object-cache pass of the suite prove nothing.
 *
 * One harness addition: the action `keysmith_harness_before_cache_write` fires before each write
 * to Redis, so race tests can act between a request's database read and its cache write.
 *
 * Connection: KEYSMITH_HARNESS_REDIS_HOST / KEYSMITH_HARNESS_REDIS_PORT (constants written into
 * wp-config.php by site.sh). Key salt: WP_CACHE_KEY_SALT.
 *
 * @package Keysmith\Tests\Harness
 */

declare(strict_types=1);

// phpcs:disable Generic.Files.OneObjectStructurePerFile -- a drop-in is one file by definition.

if ( ! defined( 'WP_CACHE_KEY_SALT' ) ) {
	define( 'WP_CACHE_KEY_SALT', 'wp:' );
}

/**
 * The cache object ($GLOBALS['wp_object_cache']); the wp_cache_* functions below delegate to it.
 */
final class Keysmith_Harness_Redis_Object_Cache {

	/** Non-persistent groups and their entries, and the request's copy of persistent ones. */
	private array $local = array();

	/** @var array<string, true> */
	private array $global_groups = array();

	/** @var array<string, true> */
	private array $non_persistent_groups = array();

	private string $blog_scope;

	private bool $multisite;

	public int $cache_hits = 0;

	public int $cache_misses = 0;

	/** Commands sent to Redis in this request (for tests and debugging). */
	public int $redis_calls = 0;

	private Redis $redis;

	public function __construct() {
		if ( ! class_exists( 'Redis' ) ) {
			self::fail( 'the PhpRedis extension is not loaded (apt-get install php8.2-redis)' );
		}
		$this->multisite  = function_exists( 'is_multisite' ) && is_multisite();
		$this->blog_scope = $this->multisite ? (string) get_current_blog_id() : '1';
		$this->redis      = new Redis();
		$host             = defined( 'KEYSMITH_HARNESS_REDIS_HOST' ) ? (string) KEYSMITH_HARNESS_REDIS_HOST : '127.0.0.1';
		$port             = defined( 'KEYSMITH_HARNESS_REDIS_PORT' ) ? (int) KEYSMITH_HARNESS_REDIS_PORT : 6379;
		try {
			if ( ! $this->redis->connect( $host, $port, 2.0 ) ) {
				self::fail( "cannot connect to Redis at $host:$port" );
			}
		} catch ( RedisException $e ) {
			self::fail( "cannot connect to Redis at $host:$port: " . $e->getMessage() );
		}
	}

	private static function fail( string $why ): never {
		// Before WordPress's error handling exists; the message reaches the PHP error log and the client.
		throw new RuntimeException( 'Keysmith harness object cache: ' . $why );
	}

	// --- keys ----------------------------------------------------------------------------------

	private static function group( $group ): string {
		return ( is_string( $group ) && '' !== $group ) || is_int( $group ) ? (string) $group : 'default';
	}

	/** WP_Object_Cache::is_valid_key(): an int or a non-blank string. */
	private static function valid_key( $key ): bool {
		return is_int( $key ) || ( is_string( $key ) && '' !== trim( $key ) );
	}

	private function scope( string $group ): string {
		return isset( $this->global_groups[ $group ] ) ? 'global' : $this->blog_scope;
	}

	/** The Redis key. Percent-encoding keeps ':' out of group and key, so the fields cannot run together. */
	private function redis_key( $key, string $group ): string {
		return WP_CACHE_KEY_SALT . $this->scope( $group ) . ':' . rawurlencode( $group ) . ':' . rawurlencode( (string) $key );
	}

	/** The request-local slot of an entry: per scope, so switch_to_blog() cannot serve another blog's copy. */
	private function local_key( $key, string $group ): string {
		return $this->scope( $group ) . ':' . (string) $key;
	}

	private function persistent( string $group ): bool {
		return ! isset( $this->non_persistent_groups[ $group ] );
	}

	/** Redis's glob characters in a literal part of a MATCH pattern. */
	private static function glob_escape( string $literal ): string {
		return (string) preg_replace( '/([*?\[\]\\\\])/', '\\\\$1', $literal );
	}

	// --- values --------------------------------------------------------------------------------

	private static function encode( $value ): string {
		return is_int( $value ) ? (string) $value : serialize( $value ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions -- the cache stores PHP values.
	}

	/** @return array{0: bool, 1: mixed} Found, value. */
	private static function decode( $raw ): array {
		if ( false === $raw || null === $raw ) {
			return array( false, false );
		}
		if ( 1 === preg_match( '/^-?[0-9]+$/D', $raw ) ) {
			return array( true, (int) $raw );
		}
		// A stored false serializes as "b:0;", which is how it is told apart from a miss.
		return array( true, unserialize( $raw, array( 'allowed_classes' => true ) ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions -- our own serialize() output.
	}

	private static function copy( $value ) {
		return is_object( $value ) ? clone $value : $value;
	}

	private static function ttl( $expire ): int {
		return max( 0, (int) $expire );
	}

	private function remember( $key, string $group, $value ): void {
		$this->local[ $group ][ $this->local_key( $key, $group ) ] = self::copy( $value );
	}

	private function forget_local( $key, string $group ): void {
		unset( $this->local[ $group ][ $this->local_key( $key, $group ) ] );
	}

	// --- the API -------------------------------------------------------------------------------

	public function get( $key, $group = '', $force = false, &$found = null ) {
		$group = self::group( $group );
		if ( ! self::valid_key( $key ) ) {
			$found = false;
			return false;
		}
		$local = $this->local_key( $key, $group );
		if ( ( ! $force || ! $this->persistent( $group ) ) && isset( $this->local[ $group ] ) && array_key_exists( $local, $this->local[ $group ] ) ) {
			$found = true;
			++$this->cache_hits;
			return self::copy( $this->local[ $group ][ $local ] );
		}
		if ( ! $this->persistent( $group ) ) {
			$found = false;
			++$this->cache_misses;
			return false;
		}
		++$this->redis_calls;
		list( $found, $value ) = self::decode( $this->redis->get( $this->redis_key( $key, $group ) ) );
		if ( ! $found ) {
			++$this->cache_misses;
			$this->forget_local( $key, $group );
			return false;
		}
		++$this->cache_hits;
		$this->remember( $key, $group, $value );
		return self::copy( $value );
	}

	/** @return array<int|string, mixed> */
	public function get_multiple( $keys, $group = '', $force = false ): array {
		$group  = self::group( $group );
		$values = array();
		$fetch  = array();
		foreach ( $keys as $key ) {
			$local = $this->local_key( $key, $group );
			if ( self::valid_key( $key ) && ( ! $force || ! $this->persistent( $group ) ) && isset( $this->local[ $group ] ) && array_key_exists( $local, $this->local[ $group ] ) ) {
				$values[ $key ] = self::copy( $this->local[ $group ][ $local ] );
				++$this->cache_hits;
			} elseif ( self::valid_key( $key ) && $this->persistent( $group ) ) {
				$fetch[] = $key;
			} else {
				$values[ $key ] = false;
				++$this->cache_misses;
			}
		}
		if ( array() !== $fetch ) {
			++$this->redis_calls;
			$raw = $this->redis->mget( array_map( fn( $key ): string => $this->redis_key( $key, $group ), $fetch ) );
			foreach ( $fetch as $i => $key ) {
				list( $found, $value ) = self::decode( $raw[ $i ] ?? false );
				if ( $found ) {
					++$this->cache_hits;
					$this->remember( $key, $group, $value );
				} else {
					++$this->cache_misses;
				}
				$values[ $key ] = $found ? self::copy( $value ) : false;
			}
		}
		// In the order asked for, as WP_Object_Cache::get_multiple() answers.
		$ordered = array();
		foreach ( $keys as $key ) {
			$ordered[ $key ] = $values[ $key ];
		}
		return $ordered;
	}

	/**
	 * set, add (only if absent) and replace (only if present) in one place.
	 *
	 * @param string $mode '', 'nx' or 'xx'.
	 */
	private function write( $key, $data, $group, $expire, string $mode ): bool {
		$group = self::group( $group );
		if ( ! self::valid_key( $key ) ) {
			return false;
		}
		if ( ! $this->persistent( $group ) ) {
			$exists = isset( $this->local[ $group ] ) && array_key_exists( $this->local_key( $key, $group ), $this->local[ $group ] );
			if ( ( 'nx' === $mode && $exists ) || ( 'xx' === $mode && ! $exists ) ) {
				return false;
			}
			$this->remember( $key, $group, $data );
			return true;
		}
		/**
		 * Harness seam (tests/harness/judge.php): lets a race test make something else happen just
		 * before an entry is stored, e.g. revoke the key whose row a request read a moment ago.
		 *
		 * @param string $key   Cache key.
		 * @param string $group Cache group.
		 */
		do_action( 'keysmith_harness_before_cache_write', (string) $key, $group );
		$options = array();
		if ( '' !== $mode ) {
			$options[] = $mode;
		}
		$ttl = self::ttl( $expire );
		if ( $ttl > 0 ) {
			$options['ex'] = $ttl;
		}
		++$this->redis_calls;
		$ok = $this->redis->set( $this->redis_key( $key, $group ), self::encode( $data ), $options );
		if ( true !== $ok ) {
			// Refused by NX/XX: what Redis holds stays the truth; drop a local copy that may be stale.
			$this->forget_local( $key, $group );
			return false;
		}
		$this->remember( $key, $group, $data );
		return true;
	}

	public function set( $key, $data, $group = '', $expire = 0 ): bool {
		return $this->write( $key, $data, $group, $expire, '' );
	}

	public function add( $key, $data, $group = '', $expire = 0 ): bool {
		if ( function_exists( 'wp_suspend_cache_addition' ) && wp_suspend_cache_addition() ) {
			return false;
		}
		return $this->write( $key, $data, $group, $expire, 'nx' );
	}

	public function replace( $key, $data, $group = '', $expire = 0 ): bool {
		return $this->write( $key, $data, $group, $expire, 'xx' );
	}

	/** @return array<int|string, bool> */
	public function set_multiple( array $data, $group = '', $expire = 0 ): array {
		$results = array();
		foreach ( $data as $key => $value ) {
			$results[ $key ] = $this->set( $key, $value, $group, $expire );
		}
		return $results;
	}

	/** @return array<int|string, bool> */
	public function add_multiple( array $data, $group = '', $expire = 0 ): array {
		$results = array();
		foreach ( $data as $key => $value ) {
			$results[ $key ] = $this->add( $key, $value, $group, $expire );
		}
		return $results;
	}

	public function delete( $key, $group = '' ): bool {
		$group = self::group( $group );
		if ( ! self::valid_key( $key ) ) {
			return false;
		}
		$local   = $this->local_key( $key, $group );
		$present = isset( $this->local[ $group ] ) && array_key_exists( $local, $this->local[ $group ] );
		$this->forget_local( $key, $group );
		if ( ! $this->persistent( $group ) ) {
			return $present;
		}
		++$this->redis_calls;
		return $this->redis->del( $this->redis_key( $key, $group ) ) > 0;
	}

	/** @return array<int|string, bool> */
	public function delete_multiple( array $keys, $group = '' ): array {
		$results = array();
		foreach ( $keys as $key ) {
			$results[ $key ] = $this->delete( $key, $group );
		}
		return $results;
	}

	/** Adds to an integer entry in place (INCRBY keeps its expiry); hands any other value back. */
	private const INCR_SCRIPT = <<<'LUA'
local v = redis.call('GET', KEYS[1])
if not v then return {0} end
if string.match(v, '^%-?%d+$') then
	local n = redis.call('INCRBY', KEYS[1], ARGV[1])
	if n < 0 then
		redis.call('SET', KEYS[1], '0', 'KEEPTTL')
		n = 0
	end
	return {1, tostring(n)}
end
return {2, v}
LUA;

	/** Replaces an entry only if it still holds the value read (compare and set, expiry kept). */
	private const CAS_SCRIPT = <<<'LUA'
if redis.call('GET', KEYS[1]) == ARGV[1] then
	redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
	return 1
end
return 0
LUA;

	/**
	 * WP_Object_Cache::incr(): false for a missing entry, a non-numeric value counts as 0, never
	 * below 0. Atomic across every process: an integer entry is changed inside Redis by one script
	 * (no lost updates, no retries to starve); any other value (a numeric string, a float) is
	 * computed here and written back only if nobody changed it meanwhile. The expiry is kept.
	 *
	 * @return int|float|false
	 */
	public function incr( $key, $offset = 1, $group = '' ) {
		$group  = self::group( $group );
		$offset = (int) $offset;
		if ( ! self::valid_key( $key ) ) {
			return false;
		}
		if ( ! $this->persistent( $group ) ) {
			$local = $this->local_key( $key, $group );
			if ( ! isset( $this->local[ $group ] ) || ! array_key_exists( $local, $this->local[ $group ] ) ) {
				return false;
			}
			$value                           = self::incremented( $this->local[ $group ][ $local ], $offset );
			$this->local[ $group ][ $local ] = $value;
			return $value;
		}
		$redis_key = $this->redis_key( $key, $group );
		for ( $attempt = 0; $attempt < 100; $attempt++ ) {
			++$this->redis_calls;
			$answer = $this->redis->eval( self::INCR_SCRIPT, array( $redis_key, (string) $offset ), 1 );
			if ( ! is_array( $answer ) || 0 === (int) $answer[0] ) {
				$this->forget_local( $key, $group );
				return false;
			}
			if ( 1 === (int) $answer[0] ) {
				$value = (int) $answer[1];
				$this->remember( $key, $group, $value );
				return $value;
			}
			list( , $current ) = self::decode( $answer[1] );
			$value             = self::incremented( $current, $offset );
			++$this->redis_calls;
			if ( 1 === (int) $this->redis->eval( self::CAS_SCRIPT, array( $redis_key, $answer[1], self::encode( $value ) ), 1 ) ) {
				$this->remember( $key, $group, $value );
				return $value;
			}
		}
		self::fail( "incr of $redis_key kept losing to concurrent writers" );
	}

	/** @return int|float */
	private static function incremented( $current, int $offset ) {
		$value = ( is_numeric( $current ) ? $current : 0 ) + $offset;
		return $value < 0 ? 0 : $value;
	}

	/** @return int|float|false */
	public function decr( $key, $offset = 1, $group = '' ) {
		return $this->incr( $key, -(int) $offset, $group );
	}

	/** Deletes every entry under this site's salt (every blog, every group); other salts stay. */
	public function flush(): bool {
		$this->local = array();
		$this->delete_matching( self::glob_escape( WP_CACHE_KEY_SALT ) . '*' );
		return true;
	}

	public function flush_runtime(): bool {
		$this->local = array();
		return true;
	}

	/** Deletes one group, in every blog (as WP_Object_Cache::flush_group() does). */
	public function flush_group( $group ): bool {
		$group = self::group( $group );
		unset( $this->local[ $group ] );
		if ( $this->persistent( $group ) ) {
			// Scope: digits or "global"; with ':' percent-encoded in groups and keys, this matches only $group.
			$this->delete_matching( self::glob_escape( WP_CACHE_KEY_SALT ) . '*:' . self::glob_escape( rawurlencode( $group ) ) . ':*' );
		}
		return true;
	}

	private function delete_matching( string $pattern ): void {
		$iterator = null;
		$this->redis->setOption( Redis::OPT_SCAN, Redis::SCAN_RETRY );
		do {
			++$this->redis_calls;
			$keys = $this->redis->scan( $iterator, $pattern, 1000 );
			if ( is_array( $keys ) && array() !== $keys ) {
				++$this->redis_calls;
				$this->redis->unlink( $keys );
			}
		} while ( 0 !== $iterator && null !== $iterator );
	}

	/** @param string|string[] $groups */
	public function add_global_groups( $groups ): void {
		foreach ( (array) $groups as $group ) {
			$this->global_groups[ (string) $group ] = true;
		}
	}

	/** @param string|string[] $groups */
	public function add_non_persistent_groups( $groups ): void {
		foreach ( (array) $groups as $group ) {
			$this->non_persistent_groups[ (string) $group ] = true;
		}
	}

	public function switch_to_blog( $blog_id ): void {
		$this->blog_scope = $this->multisite ? (string) (int) $blog_id : '1';
	}

	public function close(): bool {
		return true; // PhpRedis closes the connection with the process's request.
	}

	public function stats(): void {
		printf( '<p><strong>Cache hits:</strong> %d<br /><strong>Cache misses:</strong> %d<br /><strong>Redis calls:</strong> %d</p>', (int) $this->cache_hits, (int) $this->cache_misses, (int) $this->redis_calls );
	}
}

// phpcs:disable Universal.Files.SeparateFunctionsFromOO.Mixed -- the drop-in API is functions by contract.

function wp_cache_init(): void {
	$GLOBALS['wp_object_cache'] = new Keysmith_Harness_Redis_Object_Cache();
}

function wp_cache_add( $key, $data, $group = '', $expire = 0 ) {
	return $GLOBALS['wp_object_cache']->add( $key, $data, $group, (int) $expire );
}

function wp_cache_add_multiple( array $data, $group = '', $expire = 0 ) {
	return $GLOBALS['wp_object_cache']->add_multiple( $data, $group, (int) $expire );
}

function wp_cache_replace( $key, $data, $group = '', $expire = 0 ) {
	return $GLOBALS['wp_object_cache']->replace( $key, $data, $group, (int) $expire );
}

function wp_cache_set( $key, $data, $group = '', $expire = 0 ) {
	return $GLOBALS['wp_object_cache']->set( $key, $data, $group, (int) $expire );
}

function wp_cache_set_multiple( array $data, $group = '', $expire = 0 ) {
	return $GLOBALS['wp_object_cache']->set_multiple( $data, $group, (int) $expire );
}

function wp_cache_get( $key, $group = '', $force = false, &$found = null ) {
	return $GLOBALS['wp_object_cache']->get( $key, $group, $force, $found );
}

function wp_cache_get_multiple( $keys, $group = '', $force = false ) {
	return $GLOBALS['wp_object_cache']->get_multiple( $keys, $group, $force );
}

function wp_cache_delete( $key, $group = '' ) {
	return $GLOBALS['wp_object_cache']->delete( $key, $group );
}

function wp_cache_delete_multiple( array $keys, $group = '' ) {
	return $GLOBALS['wp_object_cache']->delete_multiple( $keys, $group );
}

function wp_cache_incr( $key, $offset = 1, $group = '' ) {
	return $GLOBALS['wp_object_cache']->incr( $key, $offset, $group );
}

function wp_cache_decr( $key, $offset = 1, $group = '' ) {
	return $GLOBALS['wp_object_cache']->decr( $key, $offset, $group );
}

function wp_cache_flush() {
	return $GLOBALS['wp_object_cache']->flush();
}

function wp_cache_flush_runtime() {
	return $GLOBALS['wp_object_cache']->flush_runtime();
}

function wp_cache_flush_group( $group ) {
	return $GLOBALS['wp_object_cache']->flush_group( $group );
}

function wp_cache_supports( $feature ) {
	return in_array( $feature, array( 'add_multiple', 'set_multiple', 'get_multiple', 'delete_multiple', 'flush_runtime', 'flush_group' ), true );
}

function wp_cache_close() {
	return $GLOBALS['wp_object_cache']->close();
}

function wp_cache_add_global_groups( $groups ) {
	$GLOBALS['wp_object_cache']->add_global_groups( $groups );
}

function wp_cache_add_non_persistent_groups( $groups ) {
	$GLOBALS['wp_object_cache']->add_non_persistent_groups( $groups );
}

function wp_cache_switch_to_blog( $blog_id ) {
	$GLOBALS['wp_object_cache']->switch_to_blog( $blog_id );
}
