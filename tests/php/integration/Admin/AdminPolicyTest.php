<?php
/**
 * The key-lifetime policy on Keysmith's screen, over real HTTP with real logins: the Policy view
 * shows and saves it (nonce and manage_woocommerce, a bad value refused with the reason), the
 * create form applies it when the expiry is left empty, and the bulk action "Apply key-lifetime
 * policy" shows its dry run on the confirmation page before it changes anything.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Admin;

use Keysmith\Admin\BulkActions;
use Keysmith\Admin\CreateKeys;
use Keysmith\Admin\FormToken;
use Keysmith\Admin\PolicyForm;
use Keysmith\Store\Actor;
use Keysmith\Store\KeyPolicy;
use Keysmith\Store\KeyService;
use Keysmith\Tests\Integration\TestCase;

final class AdminPolicyTest extends TestCase {

	private const SECTION = '/wp-admin/admin.php?page=wc-settings&tab=advanced&section=keysmith';

	protected function setUp(): void {
		parent::setUp();
		delete_option( KeyPolicy::OPTION );
	}

	protected function tearDown(): void {
		delete_option( KeyPolicy::OPTION );
		parent::tearDown();
	}

	/** The served site changed the option: this process reads it again. */
	private static function forget_options(): void {
		foreach ( array( KeyPolicy::OPTION, 'alloptions', 'notoptions' ) as $cached ) {
			wp_cache_delete( $cached, 'options' );
		}
	}

	private static function save( array $cookies, string $nonce, string $default, string $max ): array {
		return self::http(
			'POST',
			self::SECTION . '&view=policy',
			array(
				'cookies' => $cookies,
				'body'    => array(
					'keysmith_policy_save'   => '1',
					'ks_default_expiry'      => $default,
					'ks_max_lifetime'        => $max,
					BulkActions::NONCE_FIELD => $nonce,
				),
			)
		);
	}

	public function test_the_policy_view_saves_and_shows_the_policy(): void {
		$admin = self::login( 'admin' );
		$view  = self::http( 'GET', self::SECTION . '&view=policy', array( 'cookies' => $admin ) );
		$this->assertSame( 200, $view['status'] );
		$this->assertStringContainsString( 'No key-lifetime policy: new keys never expire unless an expiry is chosen.', $view['body'] );
		$this->assertStringNotContainsString( 'name="keysmith_sealing"', $view['body'], 'the policy view is only the policy (not the sealing view after it)' );

		$this->assertSame( 403, self::save( $admin, 'forged1234', '30d', '' )['status'] );
		$this->assertFalse( get_option( KeyPolicy::OPTION ) );

		$saved = self::save( $admin, self::nonce_for( $admin, PolicyForm::NONCE_ACTION ), '30d', '90 days' );
		$this->assertSame( 303, $saved['status'], $saved['body'] );
		$this->assertStringContainsString( 'view=policy', $saved['headers']['location'] );
		self::forget_options();
		$this->assertSame( array( 30 * DAY_IN_SECONDS, 90 * DAY_IN_SECONDS ), array( KeyPolicy::current()->default_expiry, KeyPolicy::current()->max_lifetime ) );

		$shown = self::http( 'GET', $saved['headers']['location'], array( 'cookies' => $admin ) );
		$this->assertStringContainsString( 'Key-lifetime policy saved.', $shown['body'] );
		$this->assertStringContainsString( 'New keys expire after 30 days unless an expiry is chosen. No key may be made to live longer than 90 days.', $shown['body'] );
		$this->assertStringContainsString( 'value="30d"', $shown['body'] );
		$list = self::http( 'GET', self::SECTION, array( 'cookies' => $admin ) );
		$this->assertStringContainsString( 'New keys expire after 30 days', $list['body'], 'the list shows the policy too' );

		$refused = self::save( $admin, self::nonce_for( $admin, PolicyForm::NONCE_ACTION ), '1y', '' );
		$this->assertSame( 200, $refused['status'] );
		$this->assertStringContainsString( 'Invalid duration &quot;1y&quot;.', $refused['body'] );
		$this->assertStringContainsString( 'value="1y"', $refused['body'], 'what was typed comes back' );
		self::forget_options();
		$this->assertSame( 30 * DAY_IN_SECONDS, KeyPolicy::current()->default_expiry, 'unchanged' );
	}

	public function test_a_customer_cannot_open_or_save_it(): void {
		$customer = self::login( 'customer' );
		$this->assertSame( 403, self::save( $customer, self::nonce_for( $customer, PolicyForm::NONCE_ACTION ), '1d', '' )['status'] );
		$this->assertFalse( get_option( KeyPolicy::OPTION ) );
	}

	public function test_the_create_form_applies_the_default_when_the_expiry_is_left_empty(): void {
		( new KeyPolicy( 14 * DAY_IN_SECONDS, null ) )->save();
		$this->act_as( 'admin' );
		$create = static fn( string $expires ): array => ( new CreateKeys( new KeyService() ) )->create( array( 'ks_users' => 'admin', 'ks_expires' => $expires ) + CreateKeys::FIELDS );
		$this->assertEqualsWithDelta( time() + 14 * DAY_IN_SECONDS, strtotime( $create( '' )['keys'][0]['expires_at'] . ' UTC' ), 10 );
		$this->assertNull( $create( 'never' )['keys'][0]['expires_at'] );
		$this->assertSame( '2099-01-01 00:00:00', $create( '2099-01-01' )['keys'][0]['expires_at'] );
	}

	public function test_the_bulk_action_shows_its_dry_run_then_applies_the_policy(): void {
		$admin = self::login( 'admin' ); // Before anything caches the user's sessions in this process.
		wp_set_current_user( self::user_id( 'admin' ) );
		$keys = array_column( ( new KeyService() )->create( array( 'user_ids' => array( self::user_id( 'admin' ) ), 'count' => 2, 'permissions' => 'read', 'expires_at' => null ), Actor::current( 'admin' ) ), 'key_id' );
		$soon = ( new KeyService() )->update( \Keysmith\Store\KeyFilter::by_ids( array( $keys[1] ) ), array( 'expires_at' => '+1 day' ), Actor::current( 'admin' ) );
		$this->assertSame( 1, $soon->changed );
		wp_set_current_user( 0 );
		( new KeyPolicy( 7 * DAY_IN_SECONDS, null ) )->save();
		$nonce = self::nonce_for( $admin, BulkActions::NONCE_ACTION );
		$ids   = array( 'keysmith_key' => array( (string) $keys[0], (string) $keys[1] ) );

		$confirm = self::http( 'POST', self::SECTION, array( 'cookies' => $admin, 'body' => $ids + array( 'keysmith_apply' => 'top', 'ks_bulk_top' => 'apply_policy', BulkActions::NONCE_FIELD => $nonce ) ) );
		$this->assertSame( 200, $confirm['status'] );
		$this->assertStringContainsString( 'Dry run: 1 of these 2 keys would expire earlier, by ', $confirm['body'] );
		$this->assertStringContainsString( 'Apply the policy to 2 keys', $confirm['body'] );
		$this->assertNull( ( new KeyService() )->find( $keys[0] )->expires_at, 'the confirmation changes nothing' );

		$done = self::http(
			'POST',
			self::SECTION,
			array(
				'cookies' => $admin,
				'body'    => array(
					'keysmith_execute'       => '1',
					'ks_action'              => 'apply_policy',
					'ks_ids'                 => $keys[0] . ',' . $keys[1],
					FormToken::FIELD         => FormToken::create(),
					BulkActions::NONCE_FIELD => $nonce,
				),
			)
		);
		$this->assertSame( 303, $done['status'], $done['body'] );
		$this->assertStringContainsString( 'ks_done=apply_policy', $done['headers']['location'] );
		$this->assertEqualsWithDelta( time() + 7 * DAY_IN_SECONDS, strtotime( ( new KeyService() )->find( $keys[0] )->expires_at . ' UTC' ), 10 );
		$notice = self::http( 'GET', $done['headers']['location'], array( 'cookies' => $admin ) );
		$this->assertStringContainsString( 'Applied the key-lifetime policy: 1 of 2 keys expire earlier now.', $notice['body'] );
	}
}
