<?php
/**
 * Base class for integration tests on the harness's real WordPress + MariaDB.
 *
 * Every test starts from the same state: WooCommerce's key table and every `{prefix}keysmith_*`
 * table empty, no users but the harness's three (admin, shopmanager, customer), nobody logged in,
 * caches flushed. Users made with create_user() are deleted afterwards through wp_delete_user(),
 * so the `delete_user` hooks (WooCommerce's key cleanup, Keysmith's) really run.
 *
 * Tables are emptied with TRUNCATE rather than wrapped in a rolled-back transaction because the
 * code under test opens its own transactions (a nested START TRANSACTION would commit ours).
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration;

use WP_Application_Passwords;
use WP_User;

abstract class TestCase extends \PHPUnit\Framework\TestCase {

	/** Logins the harness installs (tests/harness/install.php); never deleted. */
	public const HARNESS_USERS = array( 'admin', 'shopmanager', 'customer' );

	/** @var int[] Users created by the running test. */
	private array $created_users = array();

	private static int $user_counter = 0;

	protected function setUp(): void {
		parent::setUp();
		self::reset_state();
	}

	protected function tearDown(): void {
		foreach ( $this->created_users as $user_id ) {
			if ( get_userdata( $user_id ) ) {
				wp_delete_user( $user_id );
			}
		}
		$this->created_users = array();
		wp_set_current_user( 0 );
		parent::tearDown();
	}

	/**
	 * `tests/cli/wp <argv…>` (the WP-CLI stand-in) as a separate PHP process with real pipes:
	 * $stdin on its STDIN, $env as its whole environment, run in $cwd (null: this one's).
	 *
	 * @param list<string>          $argv
	 * @param array<string, string> $env
	 * @return array{stdout: string, stderr: string, exit: int}
	 */
	protected static function run_wp( array $argv, array $env, string $stdin = '', ?string $cwd = null ): array {
		$command = array_merge( array( dirname( __DIR__, 2 ) . '/cli/wp' ), $argv );
		$process = proc_open( $command, array( 0 => array( 'pipe', 'r' ), 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes, $cwd, $env );
		self::assertIsResource( $process );
		fwrite( $pipes[0], $stdin );
		fclose( $pipes[0] );
		$stdout = (string) stream_get_contents( $pipes[1] );
		$stderr = (string) stream_get_contents( $pipes[2] );
		fclose( $pipes[1] );
		fclose( $pipes[2] );
		return array(
			'stdout' => $stdout,
			'stderr' => $stderr,
			'exit'   => proc_close( $process ),
		);
	}

	/** The environment of a child PHP that loads the extension exactly when this one has it (the twin runs have none). */
	protected static function child_env(): array {
		return array_merge( getenv(), array( 'KEYSMITH_NO_EXTENSION' => extension_loaded( 'keysmith' ) ? '0' : '1' ) );
	}

	/** Empties the key tables, removes stray users, logs out, flushes caches. */
	public static function reset_state(): void {
		self::delete_stray_users();
		self::truncate_key_tables();
		delete_option( 'keysmith_sealing' ); // Sealing\State::OPTION: off, nothing pending.
		wp_cache_flush();
		wp_set_current_user( 0 );
		if ( function_exists( 'keysmith_wc_contract_reset_auth' ) ) {
			keysmith_wc_contract_reset_auth(); // The stand-in's or the real WooCommerce class's state.
		}
	}

	/** WooCommerce's key table and every Keysmith table (whatever modules exist right now). */
	public static function truncate_key_tables(): void {
		global $wpdb;
		$tables   = $wpdb->get_col( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->esc_like( $wpdb->prefix . 'keysmith_' ) . '%' ) );
		$tables[] = $wpdb->prefix . 'woocommerce_api_keys';
		foreach ( $tables as $table ) {
			$wpdb->query( "TRUNCATE TABLE `$table`" ); // phpcs:ignore WordPress.DB.PreparedSQL -- table names from SHOW TABLES / prefix.
		}
	}

	/** Users left over by an earlier, aborted test run. */
	private static function delete_stray_users(): void {
		global $wpdb;
		$placeholders = implode( ',', array_fill( 0, count( self::HARNESS_USERS ), '%s' ) );
		$ids          = $wpdb->get_col( $wpdb->prepare( "SELECT ID FROM {$wpdb->users} WHERE user_login NOT IN ($placeholders)", self::HARNESS_USERS ) ); // phpcs:ignore WordPress.DB.PreparedSQLPlaceholders
		foreach ( $ids as $id ) {
			wp_delete_user( (int) $id );
		}
	}

	// --- users -----------------------------------------------------------------------------------

	/**
	 * A new user, deleted after the test.
	 *
	 * @param string $role WordPress role: administrator, shop_manager, customer, subscriber, ...
	 * @param array  $args Extra wp_insert_user() fields.
	 */
	protected function create_user( string $role = 'subscriber', array $args = array() ): int {
		++self::$user_counter;
		$login   = sprintf( 'ks_%s_%d_%d', $role, getmypid(), self::$user_counter );
		$user_id = wp_insert_user(
			$args + array(
				'user_login' => $login,
				'user_pass'  => 'password',
				'user_email' => $login . '@example.test',
				'role'       => $role,
			)
		);
		if ( is_wp_error( $user_id ) ) {
			$this->fail( 'create_user(): ' . $user_id->get_error_message() );
		}
		$this->created_users[] = $user_id;
		return $user_id;
	}

	/** Id of a harness user: 'admin', 'shopmanager' or 'customer'. */
	protected static function user_id( string $login ): int {
		$user = get_user_by( 'login', $login );
		if ( ! $user instanceof WP_User ) {
			throw new \RuntimeException( "harness user $login is missing; run tests/harness/site.sh reset" );
		}
		return $user->ID;
	}

	/** Makes the user current for capability checks (0 = logged out). Login names or ids. */
	protected function act_as( $user ): ?WP_User {
		$user_id = is_string( $user ) ? self::user_id( $user ) : (int) ( $user instanceof WP_User ? $user->ID : $user );
		wp_set_current_user( $user_id );
		return $user_id ? wp_get_current_user() : null;
	}

	/** A new application password for HTTP tests of cookie-less WordPress auth. */
	protected function application_password( int $user_id ): string {
		$created = WP_Application_Passwords::create_new_application_password( $user_id, array( 'name' => 'keysmith-test-' . uniqid() ) );
		if ( is_wp_error( $created ) ) {
			$this->fail( 'application_password(): ' . $created->get_error_message() );
		}
		return $created[0];
	}

	// --- WooCommerce keys ------------------------------------------------------------------------

	/**
	 * A key inserted exactly as WooCommerce's AJAX handler does (docs/woocommerce-compatibility.md §2.5.1), bypassing
	 * Keysmith: the reference for "keys WooCommerce made".
	 *
	 * @return array{key_id:int, consumer_key:string, consumer_secret:string, truncated_key:string}
	 */
	protected function create_wc_key( int $user_id, string $permissions = 'read_write', string $description = 'Test key' ): array {
		global $wpdb;
		$consumer_key    = 'ck_' . wc_rand_hash();
		$consumer_secret = 'cs_' . wc_rand_hash();
		$inserted        = $wpdb->insert(
			$wpdb->prefix . 'woocommerce_api_keys',
			array(
				'user_id'         => $user_id,
				'description'     => $description,
				'permissions'     => $permissions,
				'consumer_key'    => wc_api_hash( $consumer_key ),
				'consumer_secret' => $consumer_secret,
				'truncated_key'   => substr( $consumer_key, -7 ),
			),
			array( '%d', '%s', '%s', '%s', '%s', '%s' )
		);
		$this->assertSame( 1, $inserted, 'create_wc_key(): ' . $wpdb->last_error );
		return array(
			'key_id'          => (int) $wpdb->insert_id,
			'consumer_key'    => $consumer_key,
			'consumer_secret' => $consumer_secret,
			'truncated_key'   => substr( $consumer_key, -7 ),
		);
	}

	/** The stored row of a WooCommerce key, or null. */
	protected static function wc_key_row( int $key_id ): ?array {
		global $wpdb;
		$row = $wpdb->get_row( $wpdb->prepare( "SELECT * FROM {$wpdb->prefix}woocommerce_api_keys WHERE key_id = %d", $key_id ), ARRAY_A );
		return $row ?: null;
	}

	/**
	 * A fingerprint of everything a key operation could change (WooCommerce's key table and
	 * Keysmith's tables), for asserting that a refused command or request changed nothing.
	 */
	protected static function snapshot(): string {
		global $wpdb;
		$rows = array();
		foreach ( array( 'woocommerce_api_keys', 'keysmith_key_meta', 'keysmith_audit' ) as $table ) {
			$rows[ $table ] = $wpdb->get_results( "SELECT * FROM `{$wpdb->prefix}$table` ORDER BY 1", ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL -- test-owned table names.
		}
		return md5( serialize( $rows ) );
	}

	protected static function count_rows( string $table_suffix ): int {
		global $wpdb;
		return (int) $wpdb->get_var( "SELECT COUNT(*) FROM `{$wpdb->prefix}{$table_suffix}`" ); // phpcs:ignore WordPress.DB.PreparedSQL -- test-owned suffix.
	}

	// --- HTTP against the served site ------------------------------------------------------------

	/**
	 * Base URL of a served site: 'http' (pool 1), 'tls' (pool 1 over HTTPS, self-signed),
	 * 'http2' (pool 2; same database, other PHP-FPM master) or 'tls2' (pool 2 over HTTPS).
	 */
	protected static function site_url( string $which = 'http' ): string {
		$var = array(
			'http'  => 'KEYSMITH_SITE_URL',
			'tls'   => 'KEYSMITH_SITE_URL_TLS',
			'http2' => 'KEYSMITH_SITE_URL_2',
			'tls2'  => 'KEYSMITH_SITE_URL_TLS_2',
		)[ $which ] ?? null;
		if ( null === $var || ! getenv( $var ) ) {
			throw new \InvalidArgumentException( "unknown site '$which' or harness env not loaded" );
		}
		return rtrim( (string) getenv( $var ), '/' );
	}

	/**
	 * A real HTTP request to the served site (never dispatched in-process).
	 *
	 * @param string $method HTTP method.
	 * @param string $path   Path such as '/wp-json/wc/v3/keysmith-test?x=1', or a full URL.
	 * @param array  $args   wp_remote_request() args, plus 'site' => 'http'|'tls'|'http2'|'tls2'.
	 * @return array{status:int, headers:array<string,string>, body:string, json:mixed}
	 */
	protected static function http( string $method, string $path, array $args = array() ): array {
		$url      = preg_match( '#^https?://#', $path ) ? $path : self::site_url( $args['site'] ?? 'http' ) . $path;
		$response = wp_remote_request(
			$url,
			array_diff_key( $args, array( 'site' => 1 ) ) + array(
				'method'      => $method,
				'timeout'     => 60,
				'sslverify'   => false,
				'redirection' => 0,
			)
		);
		if ( is_wp_error( $response ) ) {
			throw new \RuntimeException( "$method $url failed: " . $response->get_error_message() );
		}
		$body = wp_remote_retrieve_body( $response );
		return array(
			'status'  => (int) wp_remote_retrieve_response_code( $response ),
			'headers' => wp_remote_retrieve_headers( $response )->getAll(),
			'body'    => $body,
			'json'    => json_decode( $body, true ),
		);
	}

	/**
	 * Logs a harness user in through the served wp-login.php; pass the cookies to http() as
	 * array( 'cookies' => ... ). Every harness user's password is "password".
	 *
	 * @return \WP_Http_Cookie[]
	 */
	protected static function login( string $login, string $site = 'http' ): array {
		$test_cookie = new \WP_Http_Cookie( array( 'name' => 'wordpress_test_cookie', 'value' => 'WP Cookie check' ) );
		$response    = wp_remote_post(
			self::site_url( $site ) . '/wp-login.php',
			array(
				'body'        => array( 'log' => $login, 'pwd' => 'password', 'wp-submit' => 'Log In', 'testcookie' => '1' ),
				'cookies'     => array( $test_cookie ),
				'redirection' => 0,
				'sslverify'   => false,
				'timeout'     => 60,
			)
		);
		if ( is_wp_error( $response ) || 302 !== wp_remote_retrieve_response_code( $response ) ) {
			throw new \RuntimeException( "login as $login failed: " . ( is_wp_error( $response ) ? $response->get_error_message() : wp_remote_retrieve_body( $response ) ) );
		}
		return wp_remote_retrieve_cookies( $response );
	}

	/**
	 * The nonce the served site would give the user of these login cookies for $action (nonces
	 * are tied to the session token in the logged_in cookie). Lets a test send a request with a
	 * valid nonce from a user the screen would never show it to, so the capability check is what
	 * gets tested.
	 *
	 * @param \WP_Http_Cookie[] $cookies From login().
	 */
	protected static function nonce_for( array $cookies, string $action ): string {
		foreach ( $cookies as $cookie ) {
			if ( LOGGED_IN_COOKIE === $cookie->name ) {
				$user = wp_validate_auth_cookie( $cookie->value, 'logged_in' );
				if ( ! $user ) {
					break;
				}
				$saved_cookie              = $_COOKIE[ LOGGED_IN_COOKIE ] ?? null;
				$saved_user                = get_current_user_id();
				$_COOKIE[ LOGGED_IN_COOKIE ] = $cookie->value;
				wp_set_current_user( $user );
				$nonce = wp_create_nonce( $action );
				wp_set_current_user( $saved_user );
				if ( null === $saved_cookie ) {
					unset( $_COOKIE[ LOGGED_IN_COOKIE ] );
				} else {
					$_COOKIE[ LOGGED_IN_COOKIE ] = $saved_cookie;
				}
				return $nonce;
			}
		}
		throw new \RuntimeException( 'nonce_for(): no valid logged_in cookie among the cookies given' );
	}

	/**
	 * $times requests with $consumer_key and a wrong secret (OAuth over http), each refused with
	 * 401: what Keysmith's failure counts and lists then show.
	 */
	protected static function refuse_requests( string $consumer_key, int $times ): void {
		$url = self::site_url( 'http' ) . '/wp-json/wc/v3/keysmith-test';
		for ( $i = 0; $i < $times; $i++ ) {
			$params = self::oauth_params( 'GET', $url, $consumer_key, 'cs_wrong' );
			$answer = self::http( 'GET', $url . '?' . http_build_query( $params, '', '&', PHP_QUERY_RFC3986 ) );
			self::assertSame( 401, $answer['status'], 'a wrong secret is refused: ' . $answer['body'] );
		}
	}

	/**
	 * OAuth 1.0a one-legged query parameters for a request, signed independently of WooCommerce's
	 * and Keysmith's code (RFC 5849 §3.4.1: encode, sort by encoded name then value, join).
	 * For flat parameters the result is what WooCommerce expects.
	 *
	 * @param array<string,string> $params Other query/body parameters to sign.
	 * @return array<string,string> $params plus the oauth_* parameters and oauth_signature.
	 */
	protected static function oauth_params( string $method, string $url, string $consumer_key, string $consumer_secret, array $params = array(), string $signature_method = 'HMAC-SHA256', ?int $timestamp = null, ?string $nonce = null ): array {
		$params += array(
			'oauth_consumer_key'     => $consumer_key,
			'oauth_nonce'            => $nonce ?? bin2hex( random_bytes( 16 ) ),
			'oauth_signature_method' => $signature_method,
			'oauth_timestamp'        => (string) ( $timestamp ?? time() ),
		);
		$pairs = array();
		foreach ( $params as $name => $value ) {
			$pairs[] = array( rawurlencode( (string) $name ), rawurlencode( (string) $value ) );
		}
		usort( $pairs, static fn ( array $a, array $b ): int => strcmp( $a[0], $b[0] ) ?: strcmp( $a[1], $b[1] ) );
		$normalized = implode( '&', array_map( static fn ( array $p ): string => $p[0] . '=' . $p[1], $pairs ) );
		$base       = strtoupper( $method ) . '&' . rawurlencode( $url ) . '&' . rawurlencode( $normalized );
		$algorithm  = 'HMAC-SHA1' === $signature_method ? 'sha1' : 'sha256';

		$params['oauth_signature'] = base64_encode( hash_hmac( $algorithm, $base, $consumer_secret . '&', true ) );
		return $params;
	}
}
