<?php
/**
 * What a bulk result says (Store\BulkResult): the one place for "Revoked 3 of 4 keys.", what the
 * unhandled ids were, and how many keys an update left as they were.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Store;

use Keysmith\Store\BulkResult;

final class BulkResultTest extends StoreTestCase {

	public function test_a_result_is_numbered_from_what_was_asked_and_found(): void {
		$by_ids = BulkResult::done( 'revoke', $this->filter( array( 'ids' => array( 9, 3, 5, 7 ) ) ), array( 7, 3, 5 ), 3 );
		$this->assertSame( array( 4, 3, 3, array( 3, 5, 7 ), array( 9 ) ), array( $by_ids->requested, $by_ids->matched, $by_ids->changed, $by_ids->ids, $by_ids->failed ) );
		$this->assertSame( 'Revoked 3 of 4 keys.', $by_ids->message() );
		$this->assertSame( 'Not found: 9.', $by_ids->failure_note() );

		$by_filter = BulkResult::done( 'update', $this->filter( array( 'permissions' => 'read' ) ), array( 4, 2 ), 1 );
		$this->assertSame( array( 2, 2, 1, array( 2, 4 ), array() ), array( $by_filter->requested, $by_filter->matched, $by_filter->changed, $by_filter->ids, $by_filter->failed ) );
		$this->assertSame( 'Updated 1 of 2 keys.', $by_filter->message() );
		$this->assertSame( '', $by_filter->failure_note() );
		$this->assertSame( '(1 already had these values.)', $by_filter->unchanged_note() );
	}

	public function test_a_dry_run_changes_nothing_and_says_so(): void {
		$dry = BulkResult::dry_run( 'revoke', $this->filter( array( 'ids' => array( 1, 2, 3 ) ) ), array( 1, 3 ) );
		$this->assertSame( array( 3, 2, 0, array( 2 ), true ), array( $dry->requested, $dry->matched, $dry->changed, $dry->failed, $dry->dry_run ) );
		$this->assertSame( 'Dry run: 2 keys would be changed.', $dry->message() );
		$this->assertSame( '', $dry->unchanged_note(), 'a dry run changes nothing, so nothing was already there' );
	}

	public function test_notes_only_where_they_apply(): void {
		$this->assertSame( '', ( new BulkResult( 'update', 2, 2, 2 ) )->unchanged_note() );
		$this->assertSame( '', ( new BulkResult( 'revoke', 2, 2, 1 ) )->unchanged_note(), 'a revoke has no "values"' );
		$this->assertSame( 'Not found: 4, 8.', ( new BulkResult( 'update', 3, 1, 1, array( 2 ), array( 4, 8 ) ) )->failure_note() );
		$this->assertSame( 'Revoked 1 of 1 key.', ( new BulkResult( 'expire', 1, 1, 1 ) )->message() );
	}

	public function test_the_cli_reports_an_update_in_the_same_words(): void {
		$actor   = $this->admin_actor();
		$created = $this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 2, 'permissions' => 'read' ), $actor );
		$this->service->update( $this->filter( array( 'ids' => array( $created[0]['key_id'] ) ) ), array( 'permissions' => 'write' ), $actor );

		$result = $this->service->update( $this->filter( array( 'ids' => array_column( $created, 'key_id' ) ) ), array( 'permissions' => 'write' ), $actor );

		$this->assertSame( array( 2, 2, 1 ), array( $result->requested, $result->matched, $result->changed ) );
		$this->assertSame( 'Updated 1 of 2 keys.', $result->message() );
		$this->assertSame( '(1 already had these values.)', $result->unchanged_note() );
	}
}
