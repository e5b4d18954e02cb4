<?php
/**
 * Refusals answered while Keysmith's plugin file loads (Auth\EarlyGate), over real HTTP: every
 * refusal kind gets exactly the status, code, message and headers the later path gives (the same
 * corpus sent with early refusals on and off), accepted requests continue and reuse the early
 * decision, and nothing is decided early when it would not be safe (a filter loaded later that
 * changes the home URL, the setting off, a language other than English).
 *
 * An early answer is recognised by what the harness adds only once the REST server runs: its
 * X-Keysmith-Harness-User header (tests/harness/judge.php).
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Auth;

use Keysmith\Auth\EarlyContext;
use Keysmith\Auth\Settings;
use Keysmith\Auth\Throttle;
use Keysmith\Store\Schema;

final class EarlyRefusalTest extends AuthTestCase {

	private const ROUTE = '/wp-json/wc/v3/keysmith-test';

	/** @var array<string, array{id:int, ck:string, cs:string, user:int}> */
	private array $keys = array();

	protected function setUp(): void {
		parent::setUp();
		global $wpdb;
		$owner = $this->make_user();
		$past  = gmdate( 'Y-m-d H:i:s', time() - 60 );

		$this->keys['rw']      = $this->make_key( $owner );
		$this->keys['read']    = $this->make_key( $owner, 'read' );
		$this->keys['expired'] = $this->make_key( $owner, 'read_write', $past );
		$this->keys['rotated'] = $this->make_key( $owner, 'read_write', $past );
		$successor             = $this->make_key( $owner );
		$wpdb->insert( Schema::meta_table(), array( 'key_id' => $successor['id'], 'rotated_from' => $this->keys['rotated']['id'] ) );
		$this->keys['revoked'] = $this->make_key( $owner );
		$wpdb->delete( Schema::wc_table(), array( 'key_id' => $this->keys['revoked']['id'] ) );
		$this->learn_context();
	}

	protected function tearDown(): void {
		delete_option( 'keysmith_harness_late_home_filter' );
		parent::tearDown();
	}

	/** Early refusals on or off (the setting; the throttle stays off unless a test sets it). */
	private static function early( bool $on, array $throttle = array( 'enabled' => false ) ): void {
		update_option(
			Settings::OPTION,
			array(
				'early_refusals'  => $on,
				Throttle::SETTING => $throttle,
			)
		);
	}

	/** Requests the late path judges: each served host records what early decisions rely on. */
	private function learn_context(): void {
		EarlyContext::forget();
		self::early( true );
		foreach ( array( 'http', 'tls' ) as $site ) {
			self::http( 'GET', self::ROUTE . '?learn=1', array( 'site' => $site ) );
		}
		$this->assertCount( 2, (array) get_option( EarlyContext::OPTION ), 'one context per home URL' );
	}

	private function signed( array $key, array $o = array() ): array {
		$method = $o['method'] ?? 'GET';
		$url    = self::site_url( 'http' ) . self::ROUTE;
		$params = self::oauth_params( $method, $url, $key['ck'], $o['secret'] ?? $key['cs'], array(), $o['algo'] ?? 'HMAC-SHA256', $o['timestamp'] ?? null, $o['nonce'] ?? null );
		foreach ( $o['set'] ?? array() as $name => $value ) {
			$params[ $name ] = $value;
		}
		foreach ( $o['drop'] ?? array() as $name ) {
			unset( $params[ $name ] );
		}
		return array( $method, self::ROUTE . '?' . http_build_query( $params, '', '&', PHP_QUERY_RFC3986 ), array() );
	}

	private function basic( array $key, string $secret, string $method = 'GET' ): array {
		return array( $method, self::ROUTE, array( 'Authorization' => 'Basic ' . base64_encode( $key['ck'] . ':' . $secret ) ), 'tls' );
	}

	/**
	 * The refusal corpus: each kind twice, so one copy can go to each path with its own nonce.
	 *
	 * @return array<string, callable(): array>
	 */
	private function refusals(): array {
		$k = $this->keys;
		return array(
			'unknown key'        => fn() => $this->signed( array( 'ck' => 'ck_' . bin2hex( random_bytes( 20 ) ), 'cs' => 'cs_x' ) ),
			'wrong secret'       => fn() => $this->basic( $k['rw'], 'cs_wrong' ),
			'bad signature'      => fn() => $this->signed( $k['rw'], array( 'secret' => 'cs_wrong' ) ),
			'bad method'         => fn() => $this->signed( $k['rw'], array( 'set' => array( 'oauth_signature_method' => 'PLAINTEXT' ) ) ),
			'missing parameter'  => fn() => $this->signed( $k['rw'], array( 'drop' => array( 'oauth_nonce' ) ) ),
			'skewed timestamp'   => fn() => $this->signed( $k['rw'], array( 'timestamp' => time() - 1200 ) ),
			'expired (oauth)'    => fn() => $this->signed( $k['expired'] ),
			'expired (basic)'    => fn() => $this->basic( $k['expired'], $k['expired']['cs'] ),
			'rotated out'        => fn() => $this->signed( $k['rotated'] ),
			'revoked'            => fn() => $this->signed( $k['revoked'] ),
			'read key writes'    => fn() => $this->signed( $k['read'], array( 'method' => 'POST' ) ),
			'read key deletes'   => fn() => $this->basic( $k['read'], $k['read']['cs'], 'DELETE' ),
			'absurd nonce'       => fn() => $this->signed( $k['rw'], array( 'nonce' => "tab\there" ) ),
		);
	}

	/** @return array{status:int, body:string, headers:array<string, string>, early:bool} */
	private static function send( array $request ): array {
		list( $method, $target, $headers ) = $request;
		$site     = $request[3] ?? 'http';
		$response = self::http( $method, $target, array( 'site' => $site, 'headers' => $headers ) );
		$kept     = array();
		foreach ( $response['headers'] as $name => $value ) {
			if ( ! in_array( strtolower( $name ), array( 'date', 'x-keysmith-harness-user', 'transfer-encoding', 'content-length', 'connection' ), true ) ) {
				$kept[ strtolower( $name ) ] = is_array( $value ) ? implode( ', ', $value ) : $value;
			}
		}
		ksort( $kept );
		return array(
			'status'  => $response['status'],
			'body'    => $response['body'],
			'headers' => $kept,
			'early'   => ! isset( $response['headers']['x-keysmith-harness-user'] ),
		);
	}

	public function test_every_refusal_kind_is_answered_early_exactly_as_later(): void {
		$early = array();
		foreach ( $this->refusals() as $kind => $make ) {
			$early[ $kind ] = self::send( $make() );
		}
		self::early( false );
		foreach ( $this->refusals() as $kind => $make ) {
			$late = self::send( $make() );
			$this->assertTrue( $early[ $kind ]['early'], "$kind: answered early" );
			$this->assertFalse( $late['early'], "$kind: answered late with early refusals off" );
			$this->assertGreaterThanOrEqual( 400, $late['status'], $kind );
			unset( $early[ $kind ]['early'], $late['early'] );
			$this->assertSame( $late, $early[ $kind ], $kind );
		}

		// The replay of a nonce the early path claimed, and a HEAD request.
		self::early( true );
		$request = $this->signed( $this->keys['rw'], array( 'nonce' => 'early-replay' ) );
		$this->assertSame( 200, self::send( $request )['status'] );
		$replay = self::send( $request );
		$this->assertTrue( $replay['early'] );
		$this->assertSame( 'Invalid nonce - nonce has already been used.', json_decode( $replay['body'], true )['message'] );
		$head = self::send( array( 'HEAD', $this->signed( array( 'ck' => 'ck_x', 'cs' => 'cs_x' ) )[1], array() ) );
		$this->assertSame( array( 401, '', true ), array( $head['status'], $head['body'], $head['early'] ) );
		$this->assertSame( 'application/json; charset=UTF-8', $head['headers']['content-type'] );
	}

	public function test_accepted_requests_continue_with_the_early_decision(): void {
		global $wpdb;
		$ok = self::http( 'GET', $this->signed( $this->keys['rw'] )[1] );
		$this->assertSame( array( 'user_id' => $this->keys['rw']['user'], 'method' => 'GET' ), $ok['json'] );
		$this->assertSame( 1, (int) $wpdb->get_var( $wpdb->prepare( 'SELECT COUNT(*) FROM ' . Schema::nonce_table() . ' WHERE key_id = %d', $this->keys['rw']['id'] ) ), 'its nonce claimed once, early, and not again' );
		$this->assertNotNull( $this->key_row( $this->keys['rw']['id'] )['last_access'], 'the access recorded as before' );
		$basic = self::http( 'POST', self::ROUTE, array( 'site' => 'tls', 'headers' => array( 'Authorization' => 'Basic ' . base64_encode( $this->keys['rw']['ck'] . ':' . $this->keys['rw']['cs'] ) ) ) );
		$this->assertSame( 'POST', $basic['json']['method'] );
		$this->assertFalse( self::send( array( 'GET', self::ROUTE, array() ) )['early'], 'no credentials: the route answers, later' );
		$revoked = self::send( $this->basic( $this->keys['revoked'], $this->keys['revoked']['cs'] ) );
		$this->assertSame( array( 401, false ), array( $revoked['status'], $revoked['early'] ), 'Basic with a key nobody knows: WooCommerce sets no error, the route answers' );
	}

	public function test_throttled_clients_are_answered_early(): void {
		self::early( true, array( 'max_failures' => 2 ) );
		self::send( $this->basic( $this->keys['rw'], 'cs_wrong' ) );
		self::send( $this->basic( $this->keys['rw'], 'cs_wrong' ) );
		$throttled = self::send( $this->basic( $this->keys['rw'], $this->keys['rw']['cs'] ) );
		$this->assertSame( array( 429, true ), array( $throttled['status'], $throttled['early'] ) );
		$this->assertGreaterThan( 0, (int) $throttled['headers']['retry-after'] );
		$this->assertSame( 'keysmith_rest_too_many_failures', json_decode( $throttled['body'], true )['code'] );
	}

	public function test_nothing_is_decided_early_when_it_would_not_be_safe(): void {
		$unknown = fn() => $this->signed( array( 'ck' => 'ck_' . bin2hex( random_bytes( 20 ) ), 'cs' => 'cs_x' ) );
		$this->assertTrue( self::send( $unknown() )['early'], 'the baseline: early' );

		self::early( false );
		$this->assertFalse( self::send( $unknown() )['early'], 'the setting' );

		// A plugin loading after Keysmith filters the home URL (tests/harness/late-plugin): clients
		// sign the filtered URL, so only the later path verifies them right.
		self::early( true );
		update_option( 'keysmith_harness_late_home_filter', 1 );
		$first = self::send( $unknown() );
		$this->assertTrue( $first['early'], 'not known yet: the context recorded before still matches what loads early' );
		$this->learn_context(); // What activating that plugin leads to (activated_plugin forgets).
		$this->assertFalse( self::send( $unknown() )['early'], 'the recorded context now differs from what loads early' );
		$filtered_home = self::site_url( 'http' ) . '/filtered';
		$params        = self::oauth_params( 'GET', $filtered_home . substr( self::ROUTE, 0 ), $this->keys['rw']['ck'], $this->keys['rw']['cs'] );
		$accepted      = self::http( 'GET', self::ROUTE . '?' . http_build_query( $params, '', '&', PHP_QUERY_RFC3986 ) );
		$this->assertSame( 200, $accepted['status'], 'signed over the filtered home URL, verified later: ' . $accepted['body'] );
		delete_option( 'keysmith_harness_late_home_filter' );
		$this->learn_context();
		$this->assertTrue( self::send( $unknown() )['early'], 'back to early once re-learned' );

		// Written straight to the table: update_option() keeps only languages that are installed.
		global $wpdb;
		$wpdb->replace( $wpdb->options, array( 'option_name' => 'WPLANG', 'option_value' => 'de_DE', 'autoload' => 'yes' ) );
		wp_cache_delete( 'alloptions', 'options' ); // A persistent object cache holds the options the served site reads.
		wp_cache_delete( 'notoptions', 'options' );
		try {
			$this->assertFalse( self::send( $unknown() )['early'], 'another language: decided later' );
		} finally {
			$wpdb->delete( $wpdb->options, array( 'option_name' => 'WPLANG' ) );
			wp_cache_delete( 'alloptions', 'options' );
			wp_cache_delete( 'notoptions', 'options' );
		}
	}
}
