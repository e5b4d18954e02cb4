<?php
/**
 * Site Health's note on revoked or expired keys still being tried (Health\ForgottenKeysCheck):
 * good when nobody presents such a key, recommended and naming the key, why and when it ended,
 * the attempts and the last address when someone does; the Debug Info shows early refusals and
 * the throttle.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Health;

use Keysmith\Auth\Throttle;
use Keysmith\Health\DebugInfo;
use Keysmith\Health\ExtensionStatus;
use Keysmith\Health\ForgottenKeysCheck;
use Keysmith\Store\Actor;
use Keysmith\Store\KeyFilter;
use Keysmith\Store\KeyService;
use Keysmith\Store\Schema;

final class ForgottenKeysCheckTest extends HealthTestCase {

	public function test_keys_still_tried_after_they_ended_are_named(): void {
		$this->assertSame( 'good', ForgottenKeysCheck::run()['status'] );

		$this->act_as( 'admin' );
		$service = new KeyService();
		$made    = $service->create( array( 'user_ids' => array( $this->user_id( 'shopmanager' ) ), 'count' => 2, 'permissions' => 'read' ), Actor::current( 'cli' ) );
		$this->assertIsArray( $made );
		$service->revoke( KeyFilter::by_ids( array( $made[0]['key_id'] ) ), Actor::current( 'cli' ) );
		global $wpdb;
		$wpdb->replace( Schema::meta_table(), array( 'key_id' => $made[1]['key_id'], 'expires_at' => gmdate( 'Y-m-d H:i:s', time() - 60 ) ) );
		$this->act_as( 0 );

		// Clients presenting them: the revoked key twice, the expired one (not yet removed) once.
		foreach ( array( $made[0], $made[0], $made[1] ) as $key ) {
			$url      = self::site_url( 'http' ) . '/wp-json/wc/v3/keysmith-test';
			$params   = self::oauth_params( 'GET', $url, $key['consumer_key'], $key['consumer_secret'] );
			$response = self::http( 'GET', $url . '?' . http_build_query( $params, '', '&', PHP_QUERY_RFC3986 ) );
			$this->assertSame( 401, $response['status'] );
		}

		$result = ForgottenKeysCheck::run();
		$this->assertSame( array( 'recommended', '2 revoked or expired API keys are still being tried', ForgottenKeysCheck::TEST ), array( $result['status'], $result['label'], $result['test'] ) );
		$this->assertStringContainsString( '…' . substr( $made[0]['consumer_key'], -7 ) . ' (revoke, ', $result['description'] );
		$this->assertStringContainsString( '2 attempts, last from 127.0.0.1', $result['description'] );
		$this->assertStringContainsString( '…' . substr( $made[1]['consumer_key'], -7 ) . ' (expire, ', $result['description'] );
		$this->assertStringNotContainsString( $made[0]['consumer_secret'], $result['description'] );
	}

	public function test_debug_info_shows_early_refusals_and_the_throttle(): void {
		Throttle::update_settings( array( 'max_failures' => 12 ) );
		try {
			$fields = DebugInfo::section( ExtensionStatus::current() )['fields'];
		} finally {
			delete_option( 'keysmith_settings' );
		}
		$this->assertSame( 'on', $fields['early_refusals']['debug'] );
		$this->assertSame( 'on 12/30/600s', $fields['throttle']['debug'] );
	}
}
