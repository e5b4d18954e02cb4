<?php
/**
 * WooCommerce's rule for changing or revoking existing keys, enforced by the store for every front
 * end: an actor with `remove_users` acts on any key; one without it (a shop manager) only on keys it
 * owns or whose owner it may edit. A refusal changes nothing, also for the keys it could manage.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Store;

use Keysmith\Store\Actor;
use Keysmith\Store\BulkResult;

final class OwnershipRuleTest extends StoreTestCase {

	/** @var array{manager: Actor, own: int, customer: int, admin: int} */
	private array $keys;

	protected function setUp(): void {
		parent::setUp();
		$admin    = $this->admin_actor();
		$manager  = $this->make_user( 'shop_manager' );
		$customer = $this->make_user( 'customer' );
		$this->keys = array(
			'manager'  => new Actor( $manager, 'rest' ),
			'own'      => (int) $this->create( array( 'user_ids' => array( $manager ) ), $admin )[0]['key_id'],
			'customer' => (int) $this->create( array( 'user_ids' => array( $customer ) ), $admin )[0]['key_id'],
			'admin'    => (int) $this->create( array( 'user_ids' => array( $admin->user_id ) ), $admin )[0]['key_id'],
		);
	}

	public function test_a_shop_manager_revokes_its_own_and_a_customers_keys(): void {
		$result = $this->service->revoke( $this->filter( array( 'ids' => array( $this->keys['own'], $this->keys['customer'] ) ) ), $this->keys['manager'] );

		$this->assertInstanceOf( BulkResult::class, $result );
		$this->assertSame( 2, $result->changed );
	}

	public function test_a_shop_manager_cannot_revoke_an_administrators_key_and_nothing_is_revoked(): void {
		$before = $this->counts();
		$ids    = array( $this->keys['customer'], $this->keys['admin'] );

		$result = $this->service->revoke( $this->filter( array( 'ids' => $ids ) ), $this->keys['manager'] );

		$this->assertWPError( $result, 'keysmith_cannot_edit_key' );
		$this->assertSame( $before, $this->counts() );
		$this->assertNotNull( $this->wc_row( $this->keys['customer'] ), 'the manageable key of the same request survives' );
	}

	public function test_the_dry_run_refuses_as_the_revoke_would(): void {
		$result = $this->service->revoke( $this->filter( array( 'ids' => array( $this->keys['admin'] ) ) ), $this->keys['manager'], true );

		$this->assertWPError( $result, 'keysmith_cannot_edit_key' );
	}

	public function test_a_shop_manager_cannot_change_an_administrators_key(): void {
		$filter = $this->filter( array( 'ids' => array( $this->keys['admin'] ) ) );

		$result = $this->service->update( $filter, array( 'permissions' => 'read_write' ), $this->keys['manager'] );
		$dry    = $this->service->update( $filter, array( 'permissions' => 'read_write' ), $this->keys['manager'], true );

		$this->assertWPError( $result, 'keysmith_cannot_edit_key' );
		$this->assertWPError( $dry, 'keysmith_cannot_edit_key' );
		$this->assertSame( 'read', $this->wc_row( $this->keys['admin'] )['permissions'] );
	}

	public function test_an_administrator_acts_on_every_key(): void {
		$admin = new Actor( $this->create_user( 'administrator' ), 'rest' );

		$result = $this->service->update( $this->filter( array( 'all' => true ) ), array( 'permissions' => 'write' ), $admin );

		$this->assertInstanceOf( BulkResult::class, $result );
		$this->assertSame( 3, $result->changed );
	}

	private function assertWPError( mixed $result, string $code ): void {
		$this->assertInstanceOf( \WP_Error::class, $result );
		$this->assertSame( $code, $result->get_error_code() );
		$this->assertSame( 403, $result->get_error_data()['status'] );
	}
}
