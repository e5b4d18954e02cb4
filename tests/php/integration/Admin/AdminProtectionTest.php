<?php
/**
 * The Protection view of Keysmith's screen, over real HTTP with real logins and real refused
 * requests: early refusals and the throttle's settings saved (nonce and manage_woocommerce, all
 * or nothing, a bad value refused with the reason and the typed values kept), the throttle reset
 * after a confirmation, and the tables of forgotten integrations and of addresses trying unknown
 * keys.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Admin;

use Keysmith\Admin\BulkActions;
use Keysmith\Admin\ProtectionForm;
use Keysmith\Auth\EarlyGate;
use Keysmith\Auth\Settings;
use Keysmith\Auth\Throttle;
use Keysmith\Store\Actor;
use Keysmith\Store\KeyFilter;
use Keysmith\Store\KeyService;
use Keysmith\Tests\Integration\TestCase;

final class AdminProtectionTest extends TestCase {

	private const VIEW = '/wp-admin/admin.php?page=wc-settings&tab=advanced&section=keysmith&view=protection';

	/** @var mixed keysmith_settings before the test. */
	private mixed $saved_settings;

	protected function setUp(): void {
		parent::setUp();
		$this->saved_settings = get_option( Settings::OPTION );
		delete_option( Settings::OPTION );
	}

	protected function tearDown(): void {
		false === $this->saved_settings ? delete_option( Settings::OPTION ) : update_option( Settings::OPTION, $this->saved_settings );
		parent::tearDown();
	}

	/** The served site changed the option: this process reads it again. */
	private static function forget_options(): void {
		foreach ( array( Settings::OPTION, 'alloptions', 'notoptions' ) as $cached ) {
			wp_cache_delete( $cached, 'options' );
		}
	}

	/** @return array<string, mixed> The raw option, as the served site stored it. */
	private static function stored(): mixed {
		self::forget_options();
		return get_option( Settings::OPTION );
	}

	/**
	 * Posts the settings form.
	 *
	 * @param array<string, string> $fields Form fields (an unticked box is left out, as browsers do).
	 */
	private static function save( array $cookies, ?string $nonce, array $fields ): array {
		$body = array( ProtectionForm::SAVE => '1' ) + $fields + ( null === $nonce ? array() : array( BulkActions::NONCE_FIELD => $nonce ) );
		return self::http( 'POST', self::VIEW, array( 'cookies' => $cookies, 'body' => $body ) );
	}

	private const GOOD = array(
		'ks_max_failures' => '20',
		'ks_max_unknown'  => '40',
		'ks_window'       => '15m',
	);

	public function test_the_view_shows_the_settings_in_force(): void {
		$admin = self::login( 'admin' );
		$page  = self::http( 'GET', self::VIEW, array( 'cookies' => $admin ) );
		$this->assertSame( 200, $page['status'] );
		$this->assertMatchesRegularExpression( '#<a href="[^"]*view=protection"[^>]* class="current" aria-current="page">Protection</a>#', $page['body'] );
		$this->assertMatchesRegularExpression( '#id="ks_early_refusals" value="1"\s+checked=\'checked\'#', $page['body'] );
		$this->assertMatchesRegularExpression( '#id="ks_throttle_enabled" value="1"\s+checked=\'checked\'#', $page['body'] );
		$this->assertMatchesRegularExpression( '#id="ks_max_failures"[^>]* value="10"#', $page['body'] );
		$this->assertMatchesRegularExpression( '#id="ks_max_unknown"[^>]* value="30"#', $page['body'] );
		$this->assertMatchesRegularExpression( '#id="ks_window"[^>]* value="10m"#', $page['body'] );
		$this->assertStringContainsString( 'No revoked or expired key was tried in the last 24 hours.', $page['body'] );
		$this->assertStringContainsString( 'No unknown key was tried in the last 24 hours.', $page['body'] );
		$this->assertStringNotContainsString( 'keysmith-early-filtered', $page['body'] );

		// The harness's must-use plugin adds `keysmith_early_refusals` => false for this request:
		// the screen shows the setting, and says that the filter overrides it.
		$filtered = self::http( 'GET', self::VIEW, array( 'cookies' => $admin, 'headers' => array( 'X-Keysmith-Harness-Early' => 'off' ) ) )['body'];
		$this->assertMatchesRegularExpression( '#id="ks_early_refusals" value="1"\s+checked=\'checked\'#', $filtered );
		$this->assertStringContainsString( 'The keysmith_early_refusals filter turns early refusals off on this site, whatever this setting.', $filtered );
	}

	public function test_saving_needs_the_nonce_and_the_capability(): void {
		$admin    = self::login( 'admin' );
		$customer = self::login( 'customer' );
		$this->assertSame( 403, self::save( $admin, null, self::GOOD )['status'], 'no nonce' );
		$this->assertSame( 403, self::save( $admin, 'forged1234', self::GOOD )['status'], 'a forged nonce' );
		$this->assertSame( 403, self::save( $admin, self::nonce_for( $admin, BulkActions::NONCE_ACTION ), self::GOOD )['status'], "the bulk actions' nonce" );
		$this->assertSame( 403, self::save( $customer, self::nonce_for( $customer, ProtectionForm::NONCE_ACTION ), self::GOOD )['status'], 'a valid nonce does not stand in for manage_woocommerce' );
		$this->assertFalse( self::stored(), 'nothing was written' );
	}

	public function test_saving_writes_every_setting_and_shows_them(): void {
		$admin = self::login( 'admin' );
		// Both boxes unticked: browsers leave them out of the form.
		$saved = self::save( $admin, self::nonce_for( $admin, ProtectionForm::NONCE_ACTION ), self::GOOD );
		$this->assertSame( 303, $saved['status'], $saved['body'] );
		$this->assertStringContainsString( 'view=protection', $saved['headers']['location'] );
		$this->assertSame(
			array(
				'throttle'       => array( 'enabled' => false, 'max_failures' => 20, 'max_unknown' => 40, 'window' => 900 ),
				'early_refusals' => false,
			),
			self::stored()
		);
		$this->assertFalse( EarlyGate::enabled() );
		$this->assertSame( array( 'enabled' => false, 'max_failures' => 20, 'max_unknown' => 40, 'window' => 900 ), Throttle::settings() );

		$shown = self::http( 'GET', $saved['headers']['location'], array( 'cookies' => $admin ) )['body'];
		$this->assertStringContainsString( 'Protection settings saved.', $shown );
		$this->assertMatchesRegularExpression( '#id="ks_early_refusals" value="1"\s+/>#', $shown, 'unticked' );
		$this->assertMatchesRegularExpression( '#id="ks_max_failures"[^>]* value="20"#', $shown );
		$this->assertMatchesRegularExpression( '#id="ks_window"[^>]* value="15m"#', $shown );

		// And on again.
		$again = self::save( $admin, self::nonce_for( $admin, ProtectionForm::NONCE_ACTION ), array( 'ks_early_refusals' => '1', 'ks_throttle_enabled' => '1', 'ks_window' => '3600' ) + self::GOOD );
		$this->assertSame( 303, $again['status'] );
		$this->assertSame(
			array(
				'throttle'       => array( 'enabled' => true, 'max_failures' => 20, 'max_unknown' => 40, 'window' => 3600 ),
				'early_refusals' => true,
			),
			self::stored()
		);
	}

	public function test_a_bad_value_is_refused_with_the_reason_the_typed_values_kept_and_nothing_saved(): void {
		$admin = self::login( 'admin' );
		$cases = array(
			'ks_max_failures' => array( '0', 'Failures allowed per key must be a whole number from 1 to 1,000,000.' ),
			'ks_max_unknown'  => array( 'lots', 'Failures allowed for unknown keys must be a whole number from 1 to 1,000,000.' ),
			'ks_window'       => array( '5s', 'The window must last from 10 seconds to 24 hours.' ),
		);
		foreach ( $cases as $field => list( $typed, $reason ) ) {
			$fields  = array( $field => $typed, 'ks_throttle_enabled' => '1' ) + self::GOOD;
			$refused = self::save( $admin, self::nonce_for( $admin, ProtectionForm::NONCE_ACTION ), $fields );
			$this->assertSame( 200, $refused['status'], $field );
			$this->assertStringContainsString( '<div class="notice notice-error inline keysmith-notice" role="alert">', $refused['body'] );
			$this->assertStringContainsString( $reason, $refused['body'] );
			$this->assertMatchesRegularExpression( '#id="' . $field . '"[^>]* value="' . preg_quote( $typed, '#' ) . '"#', $refused['body'], 'what was typed comes back' );
			$this->assertMatchesRegularExpression( '#id="ks_max_unknown"[^>]* value="' . ( 'ks_max_unknown' === $field ? 'lots' : '40' ) . '"#', $refused['body'], 'and the other fields as typed' );
			$this->assertMatchesRegularExpression( '#id="ks_early_refusals" value="1"\s+/>#', $refused['body'], 'the unticked box stays unticked' );
			$this->assertFalse( self::stored(), "nothing saved ($field)" );
		}
		$typo = self::save( $admin, self::nonce_for( $admin, ProtectionForm::NONCE_ACTION ), array( 'ks_window' => '15 fortnights' ) + self::GOOD );
		$this->assertStringContainsString( 'Invalid duration &quot;15 fortnights&quot;.', $typo['body'] );
		$this->assertFalse( self::stored() );
	}

	public function test_reset_asks_first_then_forgets_every_failure_count(): void {
		global $wpdb;
		$admin    = self::login( 'admin' ); // Before anything caches the user's sessions in this process.
		$customer = self::login( 'customer' );
		$key      = $this->create_wc_key( self::user_id( 'admin' ) );
		self::refuse_requests( $key['consumer_key'], 2 );
		self::refuse_requests( 'ck_' . str_repeat( 'a', 40 ), 1 ); // A key nobody knows.
		$this->assertSame( 2, self::count_rows( 'keysmith_failures' ) );

		$ask = self::http( 'GET', self::VIEW . '&ks_confirm_reset=1', array( 'cookies' => $admin ) );
		$this->assertStringContainsString( 'Lift every throttling block?', $ask['body'] );
		$this->assertStringContainsString( 'name="' . ProtectionForm::RESET . '"', $ask['body'] );
		$this->assertSame( 2, self::count_rows( 'keysmith_failures' ), 'asking changes nothing' );

		$reset = static fn( array $cookies, ?string $nonce ): array => self::http(
			'POST',
			self::VIEW . '&ks_confirm_reset=1',
			array(
				'cookies' => $cookies,
				'body'    => array( ProtectionForm::RESET => '1' ) + ( null === $nonce ? array() : array( BulkActions::NONCE_FIELD => $nonce ) ),
			)
		);
		$this->assertSame( 403, $reset( $admin, null )['status'] );
		$this->assertSame( 403, $reset( $customer, self::nonce_for( $customer, ProtectionForm::NONCE_ACTION ) )['status'] );
		$blocking = static fn(): int => (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}keysmith_failures WHERE window_failures > 0" );
		$this->assertSame( 2, $blocking(), 'refused: nothing lifted' );

		$done = $reset( $admin, self::nonce_for( $admin, ProtectionForm::NONCE_ACTION ) );
		$this->assertSame( 303, $done['status'], $done['body'] );
		$this->assertSame( 0, $blocking() );
		$this->assertSame( 2, self::count_rows( 'keysmith_failures' ), 'the failures stay listed' );
		$this->assertStringNotContainsString( 'ks_confirm_reset', $done['headers']['location'] );
		$shown = self::http( 'GET', $done['headers']['location'], array( 'cookies' => $admin ) )['body'];
		$this->assertStringContainsString( 'Throttling reset: emptied 2 throttling counts. Every client may try again now.', $shown );
		$this->assertStringNotContainsString( 'Lift every throttling block?', $shown );
	}

	public function test_a_reset_lets_a_throttled_client_in_again(): void {
		$admin = self::login( 'admin' );
		$key   = $this->create_wc_key( self::user_id( 'admin' ) );
		Throttle::update_settings( array( 'max_failures' => 2 ) );
		self::refuse_requests( $key['consumer_key'], 2 );
		$url      = self::site_url( 'http' ) . '/wp-json/wc/v3/keysmith-test';
		$right    = static fn(): array => self::http( 'GET', $url . '?' . http_build_query( self::oauth_params( 'GET', $url, $key['consumer_key'], $key['consumer_secret'] ), '', '&', PHP_QUERY_RFC3986 ) );
		$this->assertSame( 429, $right()['status'], 'throttled, even with the right secret' );

		$done = self::http( 'POST', self::VIEW, array( 'cookies' => $admin, 'body' => array( ProtectionForm::RESET => '1', BulkActions::NONCE_FIELD => self::nonce_for( $admin, ProtectionForm::NONCE_ACTION ) ) ) );
		$this->assertSame( 303, $done['status'] );
		$this->assertSame( 200, $right()['status'] );
	}

	public function test_the_tables_list_forgotten_integrations_and_addresses_trying_unknown_keys(): void {
		global $wpdb;
		$admin   = self::login( 'admin' ); // Before anything caches the user's sessions in this process.
		$revoked = $this->create_wc_key( self::user_id( 'shopmanager' ) );
		$expired = $this->create_wc_key( self::user_id( 'admin' ) );
		$this->act_as( 'admin' );
		$this->assertSame( 1, ( new KeyService() )->revoke( KeyFilter::by_ids( array( $revoked['key_id'] ) ), Actor::current( 'admin' ) )->changed );
		// Expired an hour ago, not yet removed by the hourly job.
		$wpdb->insert( $wpdb->prefix . 'keysmith_key_meta', array( 'key_id' => $expired['key_id'], 'expires_at' => gmdate( 'Y-m-d H:i:s', time() - HOUR_IN_SECONDS ) ) );
		wp_set_current_user( 0 );
		self::refuse_requests( $revoked['consumer_key'], 3 );
		self::refuse_requests( $expired['consumer_key'], 1 );
		self::refuse_requests( 'ck_' . str_repeat( 'b', 40 ), 2 );

		$page = self::http( 'GET', self::VIEW, array( 'cookies' => $admin ) )['body'];
		preg_match( '#<table[^>]* id="keysmith-forgotten".*?</table>#s', $page, $forgotten );
		preg_match_all( '#<tr>(.*?)</tr>#s', substr( $forgotten[0], (int) strpos( $forgotten[0], '<tbody>' ) ), $rows );
		$this->assertCount( 2, $rows[1], 'one row per key' );
		$cells = array_map( static fn( string $row ): array => preg_match_all( '#<td>(.*?)</td>#s', $row, $m ) ? array_map( 'trim', array_map( 'wp_strip_all_tags', $m[1] ) ) : array(), $rows[1] );
		// Most tried first: the revoked key (3), then the expired one (1).
		$this->assertStringStartsWith( '…' . $revoked['truncated_key'], html_entity_decode( $cells[0][0] ) );
		$this->assertSame( array( 'Shop Manager', 'Revoked' ), array( $cells[0][1], $cells[0][2] ) );
		$this->assertSame( array( '3', '127.0.0.1' ), array( $cells[0][4], $cells[0][6] ) );
		$this->assertStringStartsWith( '…' . $expired['truncated_key'], html_entity_decode( $cells[1][0] ) );
		$this->assertSame( array( 'Expired', '1', '127.0.0.1' ), array( $cells[1][2], $cells[1][4], $cells[1][6] ) );
		$this->assertStringContainsString( 'ks_key_id=' . $revoked['key_id'], $forgotten[0], 'a link to the key\'s audit log' );

		preg_match( '#<table[^>]* id="keysmith-unknown".*?</table>#s', $page, $unknown );
		$this->assertMatchesRegularExpression( '#<tr>\s*<td><code>127\.0\.0\.1</code></td>\s*<td>2</td>#', $unknown[0] );
	}
}
