<?php
/**
 * Failing keys on Keysmith's key list, over real HTTP with real logins and real refused requests
 * (wrong-secret OAuth requests to the served site): the "Failures (24 h)" column with the last
 * failure's time in the site's time zone, address and reason (escaped); the views "All (N) |
 * Failing (N)" under the other filters; the ks_failing filter through the filter form; and a bulk
 * action on "all keys matching" that acts on the failing keys only.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Admin;

use Keysmith\Admin\BulkActions;
use Keysmith\Tests\Integration\TestCase;

final class AdminFailingKeysTest extends TestCase {

	private const SECTION = '/wp-admin/admin.php?page=wc-settings&tab=advanced&section=keysmith';

	/** Site options the time-zone test changes, and their values before. */
	private const DATE_OPTIONS = array( 'timezone_string', 'gmt_offset', 'date_format', 'time_format' );

	/** @var array<string, mixed> */
	private array $saved_options = array();

	protected function setUp(): void {
		parent::setUp();
		foreach ( self::DATE_OPTIONS as $option ) {
			$this->saved_options[ $option ] = get_option( $option );
		}
	}

	protected function tearDown(): void {
		foreach ( $this->saved_options as $option => $value ) {
			update_option( $option, $value );
		}
		parent::tearDown();
	}

	/** The row of a key on the rendered list ('' when it is not listed). */
	private static function row( string $body, int $key_id ): string {
		return preg_match( '#<tr>(?:(?!</tr>).)*id="keysmith-key-' . $key_id . '"(?:(?!</tr>).)*</tr>#s', $body, $m ) ? $m[0] : '';
	}

	/** The failures cell of a rendered row. */
	private static function failures_cell( string $row ): string {
		return preg_match( '#<td class=\'failures column-failures[^\']*\'[^>]*>(.*?)</td>#s', $row, $m ) ? $m[1] : '';
	}

	/** @return list<int> Key ids listed on a rendered page, in order. */
	private static function listed( string $body ): array {
		preg_match_all( '#name="keysmith_key\[\]" id="keysmith-key-(\d+)"#', $body, $m );
		return array_map( 'intval', $m[1] );
	}

	/** Time of the last failure of a key, from the failure table. */
	private static function last_failure_at( int $key_id ): int {
		global $wpdb;
		return (int) $wpdb->get_var( $wpdb->prepare( "SELECT MAX(last_failure_at) FROM {$wpdb->prefix}keysmith_failures WHERE key_id = %d", $key_id ) );
	}

	public function test_the_column_shows_failures_of_the_last_24_hours_in_the_site_time_zone(): void {
		$admin   = self::login( 'admin' );
		$failing = $this->create_wc_key( self::user_id( 'admin' ), 'read', 'Failing sync' );
		$quiet   = $this->create_wc_key( self::user_id( 'admin' ), 'read', 'Quiet sync' );
		self::refuse_requests( $failing['consumer_key'], 3 );
		// Five hours 45 minutes east of UTC, and formats that make the expected text unambiguous.
		update_option( 'timezone_string', '' );
		update_option( 'gmt_offset', 5.75 );
		update_option( 'date_format', 'Y-m-d' );
		update_option( 'time_format', 'H:i' );

		$page = self::http( 'GET', self::SECTION, array( 'cookies' => $admin ) );
		$this->assertSame( 200, $page['status'] );
		$this->assertStringContainsString( '<th scope="col" id=\'failures\'', $page['body'], 'a column of its own (Screen Options can hide it)' );
		$cell  = self::failures_cell( self::row( $page['body'], $failing['key_id'] ) );
		$local = self::last_failure_at( $failing['key_id'] ) + 5 * HOUR_IN_SECONDS + 45 * MINUTE_IN_SECONDS;
		$this->assertStringContainsString( '<strong class="keysmith-failures-count">3</strong>', $cell );
		$this->assertStringContainsString( 'Last: ' . gmdate( 'Y-m-d', $local ) . ' at ' . gmdate( 'H:i', $local ) . ' from <code>127.0.0.1</code>', $cell );
		$this->assertStringContainsString( 'Invalid signature - provided signature does not match.', $cell, "the refusal's message" );
		$quiet_cell = self::failures_cell( self::row( $page['body'], $quiet['key_id'] ) );
		$this->assertStringNotContainsString( 'keysmith-failures-count', $quiet_cell );
		$this->assertStringContainsString( 'No failures', $quiet_cell );
	}

	public function test_what_the_column_shows_is_escaped(): void {
		global $wpdb;
		$admin = self::login( 'admin' );
		$key   = $this->create_wc_key( self::user_id( 'admin' ) );
		// What a keysmith_client_ip filter or a future refusal message could put there.
		$wpdb->insert(
			$wpdb->prefix . 'keysmith_failures',
			array(
				'address'         => '<b>203.0.113.9</b>',
				'key_id'          => $key['key_id'],
				'window_start'    => time(),
				'window_failures' => 2,
				'day_start'       => time(),
				'day_failures'    => 2,
				'last_failure_at' => time(),
				'last_reason'     => '<script>alert(1)</script>',
			)
		);
		$cell = self::failures_cell( self::row( self::http( 'GET', self::SECTION, array( 'cookies' => $admin ) )['body'], $key['key_id'] ) );
		$this->assertStringContainsString( '<code>&lt;b&gt;203.0.113.9&lt;/b&gt;</code>', $cell );
		$this->assertStringContainsString( '&lt;script&gt;alert(1)&lt;/script&gt;', $cell );
		$this->assertStringNotContainsString( '<script>', $cell );
	}

	public function test_the_views_count_all_and_failing_keys_under_the_other_filters_and_filter_the_list(): void {
		$admin   = self::login( 'admin' );
		$failing = $this->create_wc_key( self::user_id( 'admin' ), 'read', 'Nightly export' );
		$other   = $this->create_wc_key( self::user_id( 'admin' ), 'read', 'Nightly import' );
		$third   = $this->create_wc_key( self::user_id( 'admin' ), 'write', 'Stock feed' );
		self::refuse_requests( $failing['consumer_key'], 2 );

		$all = self::http( 'GET', self::SECTION, array( 'cookies' => $admin ) )['body'];
		$this->assertMatchesRegularExpression( '#<a href="[^"]*" id="keysmith-view-all" class="current" aria-current="page">All <span class="count">\(3\)</span></a>#', $all );
		$this->assertMatchesRegularExpression( '#<a href="[^"]*ks_failing=1[^"]*" id="keysmith-view-failing">Failing <span class="count">\(1\)</span></a>#', $all );

		$only = self::http( 'GET', self::SECTION . '&ks_failing=1', array( 'cookies' => $admin ) )['body'];
		$this->assertSame( array( $failing['key_id'] ), self::listed( $only ) );
		$this->assertStringContainsString( '1 key matches the filters.', $only );
		$this->assertMatchesRegularExpression( '#id="keysmith-view-failing" class="current" aria-current="page">Failing#', $only );
		$this->assertStringContainsString( '<input type="hidden" name="ks_failing" value="1" />', $only, 'the filter form carries it' );

		// Combined with a search: the counts are those of the search, and the links keep it.
		$search = self::http( 'GET', self::SECTION . '&s=Nightly', array( 'cookies' => $admin ) )['body'];
		$this->assertMatchesRegularExpression( '#id="keysmith-view-all" class="current" aria-current="page">All <span class="count">\(2\)</span>#', $search );
		$this->assertMatchesRegularExpression( '#<a href="[^"]*s=Nightly[^"]*ks_failing=1[^"]*" id="keysmith-view-failing">Failing <span class="count">\(1\)</span>#', $search );
		$this->assertSame( array(), self::listed( self::http( 'GET', self::SECTION . '&s=Stock&ks_failing=1', array( 'cookies' => $admin ) )['body'] ) );
		$this->assertEqualsCanonicalizing( array( $failing['key_id'], $other['key_id'], $third['key_id'] ), self::listed( $all ) );

		// Through the filter form (it posts, the screen redirects to the GET URL).
		$filtered = self::http(
			'POST',
			self::SECTION,
			array(
				'cookies' => $admin,
				'body'    => array( 'keysmith_filter' => '1', 's' => 'Nightly', 'ks_failing' => '1' ),
			)
		);
		$this->assertSame( 303, $filtered['status'] );
		$this->assertStringContainsString( 'ks_failing=1', $filtered['headers']['location'] );
		$this->assertSame( array( $failing['key_id'] ), self::listed( self::http( 'GET', $filtered['headers']['location'], array( 'cookies' => $admin ) )['body'] ) );
		// Only "1" means failing: another value filters nothing and is not carried on.
		$odd = self::http( 'POST', self::SECTION, array( 'cookies' => $admin, 'body' => array( 'keysmith_filter' => '1', 'ks_failing' => 'yes' ) ) );
		$this->assertStringNotContainsString( 'ks_failing', $odd['headers']['location'] );
		$this->assertCount( 3, self::listed( self::http( 'GET', self::SECTION . '&ks_failing=yes', array( 'cookies' => $admin ) )['body'] ) );
	}

	public function test_a_bulk_action_on_all_matching_keys_acts_on_the_failing_keys_only(): void {
		$admin   = self::login( 'admin' ); // Before anything caches the user's sessions in this process.
		$failing = array(
			$this->create_wc_key( self::user_id( 'admin' ), 'read', 'Old integration 1' ),
			$this->create_wc_key( self::user_id( 'admin' ), 'read', 'Old integration 2' ),
		);
		$healthy = $this->create_wc_key( self::user_id( 'admin' ), 'read', 'Old integration 3' );
		foreach ( $failing as $key ) {
			self::refuse_requests( $key['consumer_key'], 1 );
		}
		$nonce = self::nonce_for( $admin, BulkActions::NONCE_ACTION );

		// Apply on the list filtered to failing keys (the form posts to the list's own URL).
		$confirm = self::http(
			'POST',
			self::SECTION . '&s=Old+integration&ks_failing=1',
			array(
				'cookies' => $admin,
				'body'    => array(
					'keysmith_apply'         => 'top',
					'ks_bulk_top'            => 'revoke',
					'keysmith_scope'         => 'all',
					BulkActions::NONCE_FIELD => $nonce,
				),
			)
		);
		$this->assertSame( 200, $confirm['status'] );
		$this->assertStringContainsString( 'Permanently revoke 2 keys?', $confirm['body'] );
		$this->assertCount( 3, array_filter( array_map( static fn( array $key ): ?array => self::wc_key_row( $key['key_id'] ), array_merge( $failing, array( $healthy ) ) ) ), 'the confirmation changes nothing' );

		// Confirm with the fields the confirmation page holds, as a browser sends them.
		preg_match( '#<div class="keysmith-confirm".*#s', $confirm['body'], $form );
		preg_match_all( '#<input type="hidden"[^>]* name="([^"]+)" value="([^"]*)" />#', $form[0], $hidden, PREG_SET_ORDER );
		$fields = array( 'keysmith_execute' => '1' );
		foreach ( $hidden as $input ) {
			$fields[ html_entity_decode( $input[1] ) ] = html_entity_decode( $input[2] );
		}
		$this->assertSame( '1', $fields['ks_failing'] ?? null, 'the filter travels with the selection' );
		$this->assertSame( 'all', $fields['keysmith_scope'] ?? null );
		$this->assertArrayHasKey( BulkActions::NONCE_FIELD, $fields );
		$done = self::http( 'POST', self::SECTION, array( 'cookies' => $admin, 'body' => $fields ) );
		$this->assertSame( 303, $done['status'], $done['body'] );
		$this->assertStringContainsString( 'ks_failing=1', $done['headers']['location'], 'back to the same list' );
		$this->assertNull( self::wc_key_row( $failing[0]['key_id'] ) );
		$this->assertNull( self::wc_key_row( $failing[1]['key_id'] ) );
		$this->assertNotNull( self::wc_key_row( $healthy['key_id'] ), 'a key without failures is not among "all matching"' );
		$this->assertStringContainsString( 'Revoked 2 of 2 keys.', self::http( 'GET', $done['headers']['location'], array( 'cookies' => $admin ) )['body'] );
	}
}
