<?php
/**
 * WooCommerce's rule for changing or revoking existing keys, enforced by the store for every front
 * end: an actor with `remove_users` acts on any key; one without it (a shop manager) only on keys it
 * owns or whose owner it may edit. A refusal changes nothing, also for the keys it could manage.
 *
 * WooCommerce decides "may edit" from the role of the CURRENT user (wc_modify_map_meta_cap(),
 * docs/woocommerce-compatibility.md §4.6), so each test acts as the front ends do: the acting user
 * is the logged-in one. And where WooCommerce's check dies on a deleted owner (a TypeError), the
 * store answers with its ordinary refusal.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Store;

use Keysmith\Store\Actor;
use Keysmith\Store\BulkResult;

final class OwnershipRuleTest extends StoreTestCase {

	/** A user id nobody has: the owner of a key whose user was deleted behind WooCommerce's back. */
	private const DELETED_OWNER = 987654321;

	private int $manager;

	private int $admin;

	/** @var array{own: int, customer: int, admin: int} */
	private array $keys;

	protected function setUp(): void {
		parent::setUp();
		$admin         = $this->admin_actor();
		$this->admin   = $admin->user_id;
		$this->manager = $this->make_user( 'shop_manager' );
		$customer      = $this->make_user( 'customer' );
		$this->keys    = array(
			'own'      => (int) $this->create( array( 'user_ids' => array( $this->manager ) ), $admin )[0]['key_id'],
			'customer' => (int) $this->create( array( 'user_ids' => array( $customer ) ), $admin )[0]['key_id'],
			'admin'    => (int) $this->create( array( 'user_ids' => array( $admin->user_id ) ), $admin )[0]['key_id'],
		);
	}

	/** The shop manager, logged in and acting (as through the admin screen, REST or `wp --user`). */
	private function manager(): Actor {
		wp_set_current_user( $this->manager );
		return Actor::current( 'rest' );
	}

	public function test_the_fixture_reads_the_current_users_role_as_woocommerce_does(): void {
		wp_set_current_user( $this->admin );
		$this->assertTrue( user_can( $this->manager, 'edit_user', $this->admin ), 'an administrator is logged in: WooCommerce does not restrict the check' );
		wp_set_current_user( $this->manager );
		$this->assertFalse( user_can( $this->manager, 'edit_user', $this->admin ), 'the shop manager is logged in: administrators are off limits' );

		$this->expectException( \TypeError::class ); // property_exists() on get_userdata()'s false.
		current_user_can( 'edit_user', self::DELETED_OWNER );
	}

	public function test_a_shop_manager_revokes_its_own_and_a_customers_keys(): void {
		$result = $this->service->revoke( $this->filter( array( 'ids' => array( $this->keys['own'], $this->keys['customer'] ) ) ), $this->manager() );

		$this->assertInstanceOf( BulkResult::class, $result );
		$this->assertSame( 2, $result->changed );
	}

	public function test_a_shop_manager_cannot_revoke_an_administrators_key_and_nothing_is_revoked(): void {
		$before = $this->counts();
		$ids    = array( $this->keys['customer'], $this->keys['admin'] );

		$result = $this->service->revoke( $this->filter( array( 'ids' => $ids ) ), $this->manager() );

		$this->assertWPError( $result, 'keysmith_cannot_edit_key' );
		$this->assertSame( $before, $this->counts() );
		$this->assertNotNull( $this->wc_row( $this->keys['customer'] ), 'the manageable key of the same request survives' );
	}

	public function test_the_dry_run_refuses_as_the_revoke_would(): void {
		$result = $this->service->revoke( $this->filter( array( 'ids' => array( $this->keys['admin'] ) ) ), $this->manager(), true );

		$this->assertWPError( $result, 'keysmith_cannot_edit_key' );
	}

	public function test_a_shop_manager_cannot_change_an_administrators_key(): void {
		$filter  = $this->filter( array( 'ids' => array( $this->keys['admin'] ) ) );
		$manager = $this->manager();

		$result = $this->service->update( $filter, array( 'permissions' => 'read_write' ), $manager );
		$dry    = $this->service->update( $filter, array( 'permissions' => 'read_write' ), $manager, true );

		$this->assertWPError( $result, 'keysmith_cannot_edit_key' );
		$this->assertWPError( $dry, 'keysmith_cannot_edit_key' );
		$this->assertSame( 'read', $this->wc_row( $this->keys['admin'] )['permissions'] );
	}

	public function test_an_administrator_acts_on_every_key(): void {
		$admin = $this->create_user( 'administrator' );
		wp_set_current_user( $admin );

		$result = $this->service->update( $this->filter( array( 'all' => true ) ), array( 'permissions' => 'write' ), Actor::current( 'rest' ) );

		$this->assertInstanceOf( BulkResult::class, $result );
		$this->assertSame( 3, $result->changed );
	}

	/**
	 * A key whose owner no longer exists: WooCommerce's own check would end in a TypeError for a
	 * shop manager; the store refuses cleanly (it cannot tell that the owner was a user the shop
	 * manager may edit), for revoke, update and rotation alike, and an administrator still may.
	 */
	public function test_keys_of_a_deleted_user_get_a_clear_refusal_for_a_shop_manager(): void {
		$orphan  = $this->create_wc_key( self::DELETED_OWNER )['key_id'];
		$filter  = $this->filter( array( 'ids' => array( $orphan ) ) );
		$manager = $this->manager();
		$before  = $this->counts();

		$revoke = $this->service->revoke( $filter, $manager );
		$update = $this->service->update( $filter, array( 'permissions' => 'read' ), $manager );
		$rotate = $this->service->rotate( $filter, $manager, 60 );

		$this->assertWPError( $revoke, 'keysmith_cannot_edit_key' );
		$this->assertStringContainsString( '#' . self::DELETED_OWNER, $revoke->get_error_message() );
		$this->assertWPError( $update, 'keysmith_cannot_edit_key' );
		$this->assertInstanceOf( \WP_Error::class, $rotate );
		$this->assertSame( $before, $this->counts() );

		wp_set_current_user( $this->admin );
		$this->assertSame( 1, $this->service->revoke( $filter, Actor::current( 'rest' ) )->changed, 'an administrator (remove_users) may revoke it' );
	}

	/** The same over HTTP: Keysmith's REST API and its admin screen, for the shop manager. */
	public function test_keys_of_a_deleted_user_break_no_page_of_a_shop_manager(): void {
		$orphan   = $this->create_wc_key( self::DELETED_OWNER )['key_id'];
		$password = $this->application_password( $this->manager );
		$auth     = array( 'Authorization' => 'Basic ' . base64_encode( get_userdata( $this->manager )->user_login . ':' . $password ) );

		$revoke = self::http( 'DELETE', '/wp-json/keysmith/v1/keys/' . $orphan, array( 'site' => 'tls', 'headers' => $auth ) );
		$this->assertSame( array( 403, 'keysmith_cannot_edit_key' ), array( $revoke['status'], $revoke['json']['code'] ?? null ), $revoke['body'] );

		$cookies = self::login( 'shopmanager' );
		$screen  = self::http( 'GET', '/wp-admin/admin.php?page=wc-settings&tab=advanced&section=keysmith', array( 'cookies' => $cookies ) );
		$this->assertSame( 200, $screen['status'], 'Keysmith\'s key list renders' );
		$this->assertStringContainsString( 'Deleted user #' . self::DELETED_OWNER, $screen['body'] );
		$this->assertNotNull( $this->wc_row( $orphan ) );
	}

	/** @param mixed $result */
	private function assertWPError( $result, string $code ): void {
		$this->assertInstanceOf( \WP_Error::class, $result );
		$this->assertSame( $code, $result->get_error_code() );
		$this->assertSame( 403, $result->get_error_data()['status'] );
	}
}
