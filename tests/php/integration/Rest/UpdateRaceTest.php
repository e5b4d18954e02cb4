<?php
/**
 * PATCH /keys/<id> reads the key again after the update to answer with its new state. A key
 * revoked by another request in between (the update committed, the read finds nothing) must give
 * the API's 404, not a PHP error. Run in-process through rest_do_request(), with the concurrent
 * revoke injected right after the update's COMMIT.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Rest;

use Keysmith\Tests\Integration\TestCase;
use WP_REST_Request;

final class UpdateRaceTest extends TestCase {

	public function test_a_key_revoked_right_after_the_update_answers_404(): void {
		global $wpdb;
		$key_id = (int) $this->create_wc_key( self::user_id( 'admin' ) )['key_id'];
		$this->act_as( 'admin' );

		$revoke_after_commit = static function ( string $query ) use ( $wpdb, $key_id ): string {
			static $done = false;
			if ( ! $done && 'COMMIT' === trim( $query ) ) {
				$done = true;
				$wpdb->delete( $wpdb->prefix . 'woocommerce_api_keys', array( 'key_id' => $key_id ), array( '%d' ) );
			}
			return $query;
		};
		add_filter( 'query', $revoke_after_commit );
		try {
			$request = new WP_REST_Request( 'PATCH', "/keysmith/v1/keys/$key_id" );
			$request->set_body_params( array( 'permissions' => 'write' ) );
			$response = rest_do_request( $request );
		} finally {
			remove_filter( 'query', $revoke_after_commit );
		}

		$this->assertSame( 404, $response->get_status() );
		$this->assertSame( 'keysmith_rest_key_invalid_id', $response->get_data()['code'] );
	}
}
