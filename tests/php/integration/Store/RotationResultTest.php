<?php
/**
 * A rotation answers with its own result (Store\RotationResult): the new keys, shown once, and a
 * summary that the admin screen, WP-CLI and the REST API only format.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Store;

use Keysmith\Store\BulkResult;
use Keysmith\Store\RotationResult;

final class RotationResultTest extends StoreTestCase {

	public function test_a_rotation_by_ids_names_the_keys_it_could_not_rotate(): void {
		$actor   = $this->admin_actor();
		$created = $this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 2 ), $actor );
		$ids     = array_column( $created, 'key_id' );

		$rotation = $this->service->rotate( $this->filter( array( 'ids' => array( $ids[1], 999999, $ids[0] ) ) ), $actor, 60 );

		$this->assertInstanceOf( RotationResult::class, $rotation );
		$this->assertSame( array( $ids[0], $ids[1] ), array_column( $rotation->keys, 'rotated_from' ), 'new keys in old key id order' );
		foreach ( $rotation->keys as $key ) {
			$this->assertMatchesRegularExpression( '/^cs_[0-9a-f]{40}$/', $key['consumer_secret'] );
		}
		$summary = $rotation->summary;
		$this->assertSame(
			array( 'rotate', 3, 2, 2, array( $ids[0], $ids[1] ), array( 999999 ), false ),
			array( $summary->action, $summary->requested, $summary->matched, $summary->changed, $summary->ids, $summary->failed, $summary->dry_run )
		);
		$this->assertSame( 'Rotated 2 of 3 keys.', $rotation->message() );
		$this->assertSame( 'Not rotated (unknown, expired or already rotated): 999999.', $summary->failure_note() );
	}

	public function test_a_rotation_by_filter_requests_what_it_matched(): void {
		$actor = $this->admin_actor();
		$this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 2, 'permissions' => 'write' ), $actor );
		$this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 1, 'permissions' => 'read' ), $actor );

		$rotation = $this->service->rotate( $this->filter( array( 'permissions' => 'write' ) ), $actor, 0 );

		$this->assertSame( array( 2, 2, 2, array() ), array( $rotation->summary->requested, $rotation->summary->matched, $rotation->summary->changed, $rotation->summary->failed ) );
		$this->assertSame( 'Rotated 2 of 2 keys.', $rotation->message() );
		$this->assertSame( '', $rotation->summary->failure_note() );
	}

	public function test_the_summary_never_carries_a_secret(): void {
		$actor   = $this->admin_actor();
		$created = $this->create( array( 'user_ids' => array( $actor->user_id ) ), $actor );

		$rotation = $this->service->rotate( $this->filter( array( 'ids' => array( $created[0]['key_id'] ) ) ), $actor, 60 );

		$summary = (string) wp_json_encode( $rotation->to_array() );
		$this->assertSame( array( 'action', 'requested', 'matched', 'changed', 'ids', 'failed', 'dry_run', 'message' ), array_keys( $rotation->to_array() ) );
		$this->assertStringNotContainsString( $rotation->keys[0]['consumer_secret'], $summary );
		$this->assertStringNotContainsString( $rotation->keys[0]['consumer_key'], $summary );
	}

	public function test_a_dry_run_has_a_summary_and_no_keys(): void {
		$actor   = $this->admin_actor();
		$created = $this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 2 ), $actor );

		$dry = $this->service->rotate( $this->filter( array( 'ids' => array_column( $created, 'key_id' ) ) ), $actor, 60, dry_run: true );

		$this->assertInstanceOf( RotationResult::class, $dry );
		$this->assertSame( array(), $dry->keys );
		$this->assertInstanceOf( BulkResult::class, $dry->summary );
		$this->assertTrue( $dry->summary->dry_run );
		$this->assertSame( 'Dry run: 2 keys would be changed.', $dry->message() );
	}
}
