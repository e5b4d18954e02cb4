<?php
/**
 * The audit trail never holds a secret, even when a caller hands one over in the details.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Store;

require_once __DIR__ . '/StoreTestCase.php';

use Keysmith\Store\AuditLog;
use Keysmith\Store\Schema;

final class AuditSecretTest extends StoreTestCase {

	public function test_key_material_in_details_is_redacted_before_it_is_stored(): void {
		global $wpdb;
		$actor  = $this->admin_actor();
		$ck     = 'ck_' . str_repeat( '0123456789', 4 );
		$cs     = 'cs_' . str_repeat( 'abcdef0123', 4 );
		$stored = AuditLog::record_many(
			$actor,
			'auth_failed',
			array(
				array(
					'key_id'        => 7,
					'truncated_key' => '6789012',
					'user_id'       => $actor->user_id,
					'details'       => array( 'provided' => array( 'consumer_key' => $ck, 'consumer_secret' => $cs ), 'note' => "pair $ck:$cs", 'hash' => str_repeat( 'f', 64 ) ),
				),
			)
		);

		$this->assertTrue( $stored );
		$raw = (string) $wpdb->get_var( 'SELECT details FROM ' . Schema::audit_table() ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
		$this->assertStringNotContainsString( substr( $ck, 3 ), $raw );
		$this->assertStringNotContainsString( substr( $cs, 3 ), $raw );
		$details = AuditLog::query( array( 'key_id' => 7 ) )['items'][0]['details'];
		$this->assertSame( array( 'consumer_key' => 'ck_[redacted]', 'consumer_secret' => 'cs_[redacted]' ), $details['provided'] );
		$this->assertSame( 'pair ck_[redacted]:cs_[redacted]', $details['note'] );
		$this->assertSame( str_repeat( 'f', 64 ), $details['hash'], 'other values are untouched' );
	}

	public function test_store_operations_audit_no_key_material(): void {
		global $wpdb;
		$actor   = $this->admin_actor();
		$created = $this->create( array( 'user_ids' => array( $actor->user_id ), 'count' => 3, 'description' => 'k {n}' ), $actor );
		$this->service->update( $this->filter( array( 'ids' => array( $created[0]['key_id'] ) ) ), array( 'description' => 'renamed' ), $actor );
		$this->service->rotate( $this->filter( array( 'ids' => array( $created[1]['key_id'] ) ) ), $actor, 60 );
		$this->service->revoke( $this->filter( array( 'ids' => array( $created[2]['key_id'] ) ) ), $actor );

		$audit = implode( "\n", $wpdb->get_col( 'SELECT CONCAT_WS(" ", action, truncated_key, details) FROM ' . Schema::audit_table() ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
		$this->assertStringContainsString( 'rotate', $audit );
		$this->assertDoesNotMatchRegularExpression( '/c[ks]_[0-9a-f]{8}/', $audit );
		foreach ( $created as $key ) {
			$this->assertStringNotContainsString( substr( $key['consumer_secret'], 3, 12 ), $audit );
		}
	}
}
