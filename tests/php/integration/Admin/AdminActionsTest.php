<?php
/**
 * What the admin screen does through the store, on real WordPress + MariaDB: bulk create from the
 * form's fields (and that no secret lands anywhere but WooCommerce's column), WooCommerce's
 * ownership rule on bulk revoke/update, rotation's grace choices, single-use form tokens.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Admin;

use Keysmith\Admin\BulkActions;
use Keysmith\Admin\CreateKeys;
use Keysmith\Admin\FormToken;
use Keysmith\Admin\ListRequest;
use Keysmith\Admin\Selection;
use Keysmith\Store\BulkResult;
use Keysmith\Store\KeyService;
use Keysmith\Tests\Integration\TestCase;
use WP_Error;

final class AdminActionsTest extends TestCase {

	private KeyService $service;

	protected function setUp(): void {
		parent::setUp();
		$this->service = new KeyService();
	}

	/** @param array<string, string> $fields */
	private function create( array $fields ): array|WP_Error {
		return ( new CreateKeys( $this->service ) )->create( $fields + CreateKeys::FIELDS );
	}

	public function test_create_from_form_fields_for_several_users(): void {
		$this->act_as( 'admin' );
		$result = $this->create(
			array(
				'ks_count'       => '3',
				'ks_users'       => 'admin, customer',
				'ks_permissions' => 'write',
				'ks_description' => 'batch {n} {user}',
			)
		);
		$this->assertIsArray( $result );
		$this->assertSame( 'Created 6 keys.', $result['message'] );
		$this->assertCount( 6, $result['keys'] );
		$this->assertSame( 'batch 1 customer', $result['keys'][3]['description'] );
		$this->assertSame( 'customer', $result['keys'][3]['user_login'] );
		$this->assertMatchesRegularExpression( '/^cs_[0-9a-f]{40}$/', $result['keys'][0]['consumer_secret'] );
		$this->assertSame( 6, self::count_rows( 'woocommerce_api_keys' ) );
	}

	public function test_no_secret_is_stored_outside_woocommerces_column(): void {
		global $wpdb;
		$this->act_as( 'admin' );
		$result = $this->create( array( 'ks_count' => '2', 'ks_users' => 'admin', 'ks_expires' => '+30 days' ) );
		$this->assertIsArray( $result );
		foreach ( $result['keys'] as $key ) {
			foreach ( array( $key['consumer_secret'], $key['consumer_key'] ) as $secret ) {
				$like = '%' . $wpdb->esc_like( $secret ) . '%';
				$this->assertSame( '0', $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->options} WHERE option_value LIKE %s", $like ) ) );
				$this->assertSame( '0', $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->usermeta} WHERE meta_value LIKE %s", $like ) ) );
				$this->assertSame( '0', $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->prefix}keysmith_audit WHERE details LIKE %s", $like ) ) );
			}
		}
	}

	public function test_create_refuses_bad_counts_and_unknown_users_and_writes_nothing(): void {
		$this->act_as( 'admin' );
		foreach ( array( '0', '10001', 'abc', '', '1.5' ) as $count ) {
			$this->assertInstanceOf( WP_Error::class, $this->create( array( 'ks_count' => $count, 'ks_users' => 'admin' ) ), "count $count" );
		}
		$this->assertInstanceOf( WP_Error::class, $this->create( array( 'ks_count' => '1', 'ks_users' => 'ghost' ) ) );
		$over = $this->create( array( 'ks_count' => '6000', 'ks_users' => 'admin, customer' ) );
		$this->assertInstanceOf( WP_Error::class, $over, '6,000 × 2 users is over 10,000' );
		$this->assertSame( 0, self::count_rows( 'woocommerce_api_keys' ) );
	}

	public function test_shop_manager_cannot_assign_to_an_administrator(): void {
		$this->act_as( 'shopmanager' );
		$result = $this->create( array( 'ks_users' => 'admin' ) );
		$this->assertInstanceOf( WP_Error::class, $result );
		$this->assertSame( 'You do not have permission to assign API Keys to the selected user.', $result->get_error_message() );
	}

	public function test_shop_manager_cannot_revoke_or_edit_an_administrators_keys_but_can_a_customers(): void {
		$admin_key    = $this->create_wc_key( self::user_id( 'admin' ) );
		// A user with WooCommerce's customer role (the only role shop managers may edit).
		$customer_key = $this->create_wc_key( $this->create_user( 'customer' ) );
		$this->act_as( 'shopmanager' );
		$bulk = new BulkActions( $this->service );
		$both = Selection::from_fields( array( 'ks_ids' => $admin_key['key_id'] . ',' . $customer_key['key_id'] ), ListRequest::from_post( array() ) );

		$refused = $bulk->change( 'revoke', $both, array() );
		$this->assertInstanceOf( WP_Error::class, $refused );
		$this->assertSame( 'keysmith_cannot_edit_key', $refused->get_error_code() );
		$this->assertInstanceOf( WP_Error::class, $bulk->change( 'permissions', $both, array( 'ks_new_permissions' => 'read' ) ) );
		$this->assertSame( 2, self::count_rows( 'woocommerce_api_keys' ), 'all or nothing: the customer key was not revoked either' );

		$own = Selection::from_fields( array( 'ks_ids' => (string) $customer_key['key_id'] ), ListRequest::from_post( array() ) );
		$done = $bulk->change( 'revoke', $own, array() );
		$this->assertInstanceOf( BulkResult::class, $done );
		$this->assertSame( 'Revoked 1 of 1 key.', $done->message() );
		$this->assertNull( self::wc_key_row( $customer_key['key_id'] ) );
		$this->assertNotNull( self::wc_key_row( $admin_key['key_id'] ) );
	}

	/** Ticked keys that are gone by the time the form is sent: the others change, as in the CLI and REST. */
	public function test_update_of_ticked_keys_changes_those_that_still_exist(): void {
		$key = $this->create_wc_key( self::user_id( 'admin' ) );
		$this->act_as( 'admin' );
		$selection = Selection::from_fields( array( 'ks_ids' => $key['key_id'] . ',999999' ), ListRequest::from_post( array() ) );

		$result = ( new BulkActions( $this->service ) )->change( 'permissions', $selection, array( 'ks_new_permissions' => 'write' ) );

		$this->assertInstanceOf( BulkResult::class, $result );
		$this->assertSame( array( 'Updated 1 of 2 keys.', array( 999999 ) ), array( $result->message(), $result->failed ) );
		$this->assertSame( 'write', self::wc_key_row( $key['key_id'] )['permissions'] );
	}

	public function test_administrator_changes_all_matching_keys(): void {
		$customer = self::user_id( 'customer' );
		foreach ( range( 1, 3 ) as $i ) {
			$this->create_wc_key( $customer, 'read', "legacy $i" );
		}
		$this->create_wc_key( $customer, 'read', 'other' );
		$this->act_as( 'admin' );
		$all    = Selection::from_fields( array( 'keysmith_scope' => 'all', 's' => 'legacy' ), ListRequest::from_post( array( 's' => 'legacy' ) ) );
		$result = ( new BulkActions( $this->service ) )->change( 'permissions', $all, array( 'ks_new_permissions' => 'read_write' ) );
		$this->assertInstanceOf( BulkResult::class, $result );
		$this->assertSame( 'Updated 3 of 3 keys.', $result->message() );
		$this->assertSame( 'read', self::wc_key_row( 4 )['permissions'] ?? null, 'the key outside the filter is untouched' );
	}

	public function test_rotate_accepts_only_the_offered_grace_periods(): void {
		$key = $this->create_wc_key( self::user_id( 'admin' ) );
		$this->act_as( 'admin' );
		$selection = Selection::from_fields( array( 'ks_ids' => (string) $key['key_id'] ), ListRequest::from_post( array() ) );
		$bulk      = new BulkActions( $this->service );
		$this->assertInstanceOf( WP_Error::class, $bulk->rotate( $selection, array( 'ks_grace' => '12345' ) ) );
		$this->assertInstanceOf( WP_Error::class, $bulk->rotate( $selection, array() ), 'no choice is not "revoke now"' );
		// Not a number is not "0 = revoke the old key now".
		foreach ( array( 'abc', '', ' ', '3600abc', '1e3', array( '0' ) ) as $garbage ) {
			$this->assertInstanceOf( WP_Error::class, $bulk->rotate( $selection, array( 'ks_grace' => $garbage ) ), var_export( $garbage, true ) );
		}
		$this->assertNotNull( self::wc_key_row( $key['key_id'] ), 'refused grace periods changed nothing' );
		$this->assertSame( 1, self::count_rows( 'woocommerce_api_keys' ) );
		$rotated = $bulk->rotate( $selection, array( 'ks_grace' => '0' ) );
		$this->assertIsArray( $rotated );
		$this->assertSame( 'Rotated 1 of 1 key.', $rotated['message'] );
		$this->assertNull( self::wc_key_row( $key['key_id'] ), 'grace 0 revokes the old key' );
	}

	/**
	 * Two submissions of one form racing on two web servers: the other server records the token
	 * between this one's check and its write. Only one of them may go on.
	 */
	public function test_a_form_token_claimed_concurrently_elsewhere_is_refused(): void {
		global $wpdb;
		$this->act_as( 'admin' );
		$token = FormToken::create();
		$name  = 'keysmith_form_' . md5( get_current_user_id() . '|' . $token );
		$other_server_claims = static function ( string $query ) use ( $wpdb, $name ): string {
			static $done = false;
			if ( ! $done && 0 === stripos( ltrim( $query ), 'INSERT' ) && str_contains( $query, $name ) ) {
				$done = true;
				$wpdb->query( $wpdb->prepare( "INSERT INTO {$wpdb->options} (option_name, option_value, autoload) VALUES (%s, %s, 'no'), (%s, '1', 'no')", '_transient_timeout_' . $name, (string) ( time() + DAY_IN_SECONDS ), '_transient_' . $name ) );
			}
			return $query;
		};
		add_filter( 'query', $other_server_claims );
		try {
			$this->assertFalse( FormToken::claim( array( FormToken::FIELD => $token ) ) );
		} finally {
			remove_filter( 'query', $other_server_claims );
		}
	}

	public function test_form_tokens_are_single_use(): void {
		$this->act_as( 'admin' );
		$token = FormToken::create();
		$this->assertTrue( FormToken::claim( array( FormToken::FIELD => $token ) ) );
		$this->assertFalse( FormToken::claim( array( FormToken::FIELD => $token ) ) );
		$this->assertFalse( FormToken::claim( array( FormToken::FIELD => 'short' ) ) );
		$this->assertFalse( FormToken::claim( array() ) );
		$this->assertTrue( FormToken::claim( array( FormToken::FIELD => FormToken::create() ) ) );
	}
}
