<?php
/**
 * The key-lifetime policy (Store\KeyPolicy): its settings as people type them, and its one rule on
 * every way Keysmith makes keys (create, update, rotation) and when applied to existing keys.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Store;

require_once __DIR__ . '/StoreTestCase.php';

use Keysmith\Store\BulkResult;
use Keysmith\Store\KeyPolicy;
use Keysmith\Store\Schema;
use WP_Error;

final class PolicyTest extends StoreTestCase {

	protected function setUp(): void {
		parent::setUp();
		delete_option( KeyPolicy::OPTION );
	}

	protected function tearDown(): void {
		delete_option( KeyPolicy::OPTION );
		parent::tearDown();
	}

	private static function set_policy( ?string $default, ?string $max ): KeyPolicy {
		$policy = ( new KeyPolicy() )->with( $default ?? 'never', $max ?? 'none' );
		self::assertInstanceOf( KeyPolicy::class, $policy );
		$policy->save();
		return $policy;
	}

	private static function assertAbout( int $expected, ?string $utc, string $message = '' ): void {
		self::assertNotNull( $utc, $message );
		self::assertEqualsWithDelta( $expected, strtotime( $utc . ' UTC' ), 5, $message );
	}

	public function test_settings_take_durations_as_rotate_grace_does(): void {
		$policy = ( new KeyPolicy() )->with( '90d', '1 week' );
		$this->assertInstanceOf( WP_Error::class, $policy, 'a default longer than the maximum' );
		$this->assertSame( 'The default expiry (90 days) is longer than the maximum lifetime (1 week).', $policy->get_error_message() );

		$policy = ( new KeyPolicy() )->with( '2w', '365d' );
		$this->assertSame( array( 14 * DAY_IN_SECONDS, 365 * DAY_IN_SECONDS ), array( $policy->default_expiry, $policy->max_lifetime ) );
		$this->assertSame( array( 'default_expiry' => '2w', 'max_lifetime' => '365d' ), $policy->to_display() );
		$this->assertSame( 'New keys expire after 2 weeks unless an expiry is chosen. No key may be made to live longer than 365 days.', $policy->describe() );
		$this->assertSame( array( 'default_expiry' => '2w', 'max_lifetime' => 'none' ), $policy->with( null, 'none' )->to_display(), 'an unchanged setting stays' );
		foreach ( array( 'soon', '30s', '20 years', '-5d' ) as $bad ) {
			$this->assertInstanceOf( WP_Error::class, ( new KeyPolicy() )->with( $bad, null ), $bad );
		}
		$this->assertSame( 'keysmith_invalid_policy', ( new KeyPolicy() )->with( null, 'soon' )->get_error_code() );
	}

	public function test_new_keys_get_the_default_capped_by_the_maximum_unless_an_expiry_is_asked_for(): void {
		$actor = $this->admin_actor();
		$spec  = array( 'user_ids' => array( $actor->user_id ) );

		self::set_policy( '30d', null );
		$now = time();
		self::assertAbout( $now + 30 * DAY_IN_SECONDS, $this->create( $spec, $actor )[0]['expires_at'], 'no expiry asked for: the default' );
		$this->assertNull( $this->create( $spec + array( 'expires_at' => null ), $actor )[0]['expires_at'], 'never, asked for, is allowed without a maximum' );
		$this->assertSame( '2099-01-01 00:00:00', $this->create( $spec + array( 'expires_at' => '2099-01-01' ), $actor )[0]['expires_at'] );

		self::set_policy( null, '90d' );
		self::assertAbout( time() + 90 * DAY_IN_SECONDS, $this->create( $spec, $actor )[0]['expires_at'], 'no default: the maximum' );
		self::set_policy( '1w', '90d' );
		self::assertAbout( time() + 7 * DAY_IN_SECONDS, $this->create( $spec, $actor )[0]['expires_at'] );
		self::assertAbout( time() + 60 * DAY_IN_SECONDS, $this->create( $spec + array( 'expires_at' => '+60 days' ), $actor )[0]['expires_at'] );
	}

	public function test_an_expiry_beyond_the_maximum_is_refused_and_nothing_is_written(): void {
		$actor = $this->admin_actor();
		self::set_policy( null, '90d' );
		$before = self::snapshot();
		foreach ( array( '+91 days', '2099-01-01', null ) as $asked ) {
			$refused = $this->service->create( array( 'user_ids' => array( $actor->user_id ), 'permissions' => 'read', 'expires_at' => $asked ), $actor );
			$this->assertInstanceOf( WP_Error::class, $refused, (string) wp_json_encode( $asked ) );
			$this->assertSame( array( 'keysmith_expiry_over_policy', array( 'status' => 400 ) ), array( $refused->get_error_code(), $refused->get_error_data() ) );
			$this->assertMatchesRegularExpression( '/^The key-lifetime policy lets keys live at most 90 days: choose an expiry no later than \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\.$/', $refused->get_error_message() );
		}
		$this->assertSame( $before, self::snapshot() );
	}

	public function test_updates_stay_within_the_maximum_and_successors_are_capped(): void {
		$actor   = $this->admin_actor();
		$created = $this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 2 ), $actor );
		$this->assertNull( $created[0]['expires_at'], 'made before the policy' );
		self::set_policy( null, '30d' );

		foreach ( array( '+31 days', null ) as $asked ) {
			$refused = $this->service->update( $this->filter( array( 'ids' => array( $created[0]['key_id'] ) ) ), array( 'expires_at' => $asked ), $actor );
			$this->assertSame( 'keysmith_expiry_over_policy', $refused->get_error_code() );
		}
		$this->assertInstanceOf( BulkResult::class, $this->service->update( $this->filter( array( 'ids' => array( $created[0]['key_id'] ) ) ), array( 'expires_at' => '+10 days' ), $actor ) );

		$this->assertNull( self::meta_row( $created[1]['key_id'] )['expires_at'], 'existing keys are untouched' );
		$successor = $this->service->rotate( $this->filter( array( 'ids' => array( $created[1]['key_id'] ) ) ), $actor, 3600 )->keys[0];
		self::assertAbout( time() + 30 * DAY_IN_SECONDS, $successor['expires_at'], "a successor is a new key: the never-expiring key's successor is capped" );
	}

	public function test_applying_the_policy_shortens_lives_never_lengthens_them_and_dry_runs_first(): void {
		global $wpdb;
		$actor = $this->admin_actor();
		$ids   = array_column( $this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 3 ), $actor ), 'key_id' );
		$wpdb->update( Schema::meta_table(), array( 'expires_at' => '2099-01-01 00:00:00' ), array( 'key_id' => $ids[1] ) );
		$soon = gmdate( 'Y-m-d H:i:s', time() + DAY_IN_SECONDS );
		$wpdb->update( Schema::meta_table(), array( 'expires_at' => $soon ), array( 'key_id' => $ids[2] ) );
		$all = $this->filter( array( 'all' => true ) );

		$none = $this->service->apply_policy( $all, $actor );
		$this->assertSame( 'keysmith_no_policy', $none->get_error_code() );

		$policy = self::set_policy( '7d', '30d' );
		$before = self::snapshot();
		$dry    = $this->service->apply_policy( $all, $actor, true );
		$this->assertSame( array( array( $ids[0], $ids[1] ), 2, 0, true ), array( $dry->ids, $dry->matched, $dry->changed, $dry->dry_run ) );
		$this->assertSame( $before, self::snapshot(), 'the dry run wrote nothing' );

		$done = $this->service->apply_policy( $all, $actor );
		$this->assertSame( 'Applied the key-lifetime policy: 2 of 3 keys expire earlier now.', $done->message() );
		$this->assertSame( '(1 already expires sooner.)', $done->unchanged_note() );
		$target = self::meta_row( $ids[0] )['expires_at'];
		self::assertAbout( time() + 7 * DAY_IN_SECONDS, $target );
		$this->assertSame( $target, self::meta_row( $ids[1] )['expires_at'] );
		$this->assertSame( $soon, self::meta_row( $ids[2] )['expires_at'], 'a sooner expiry is kept' );
		$event = $this->audit_for( $ids[1] )[1];
		$this->assertSame( array( 'update', 'admin' ), array( $event['action'], $event['source'] ) );
		$this->assertSame( array( 'changes' => array( 'expires_at' => array( '2099-01-01 00:00:00', $target ) ), 'policy' => $policy->to_details() ), $event['details'] );
		$this->assertCount( 1, $this->audit_for( $ids[2] ), 'no event for a key that did not change' );
	}

	public function test_a_shop_manager_cannot_apply_it_to_an_administrators_keys(): void {
		$admin = $this->admin_actor();
		$this->create( array( 'user_ids' => array( $admin->user_id ) ), $admin );
		self::set_policy( '7d', null );
		wp_set_current_user( self::user_id( 'shopmanager' ) );
		$refused = $this->service->apply_policy( $this->filter( array( 'all' => true ) ), \Keysmith\Store\Actor::current( 'admin' ) );
		$this->assertSame( 'keysmith_cannot_edit_key', $refused->get_error_code() );
	}
}
