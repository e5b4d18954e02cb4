<?php
/**
 * The key/secret pair check (Keys\PairCheck) that Basic authentication and `wp keysmith verify`
 * share: the key is looked up as WooCommerce looks it up (sanitize_text_field, then wc_api_hash),
 * the secret is compared as given, and expiry is judged only after the secret is proven.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Keys;

use Keysmith\Keys\PairCheck;
use Keysmith\Store\Actor;
use Keysmith\Store\KeyService;
use Keysmith\Store\Schema;
use Keysmith\Tests\Integration\TestCase;

final class PairCheckTest extends TestCase {

	private const KEY    = 'ck_0123456789abcdef0123456789abcdef01234567';
	private const SECRET = 'cs_fedcba9876543210fedcba9876543210fedcba98';

	/** 2023-11-14 22:13:20 UTC. */
	private const NOW = 1700000000;

	public function test_the_key_is_looked_up_as_woocommerce_looks_it_up(): void {
		// The stored hash of self::KEY (docs/woocommerce-compatibility.md §2.4).
		$stored = '4ffbd479cad9f24fb43a1516cb436a9dad0e2e23ef491464e29c2d81dae32edd';
		$this->assertSame( $stored, PairCheck::lookup_hash( self::KEY ) );
		foreach ( array( ' ' . self::KEY . ' ', self::KEY . "\n", "\t" . self::KEY, '<b>' . self::KEY . '</b>', self::KEY . '%0a' ) as $presented ) {
			$this->assertSame( $stored, PairCheck::lookup_hash( $presented ), var_export( $presented, true ) );
		}
		$empty = hash_hmac( 'sha256', '', 'wc-api' );
		$this->assertSame( $empty, PairCheck::lookup_hash( array( self::KEY ) ), 'consumer_key[]= sanitizes to nothing' );
		$this->assertNotSame( $stored, PairCheck::lookup_hash( strtoupper( self::KEY ) ) );
	}

	public function test_the_secret_first_then_the_expiry(): void {
		$this->assertSame( PairCheck::VALID, PairCheck::judge( self::SECRET, self::SECRET, null, self::NOW ) );
		$this->assertSame( PairCheck::VALID, PairCheck::judge( self::SECRET, self::SECRET, '2023-11-14 22:13:21', self::NOW ) );
		$this->assertSame( PairCheck::EXPIRED, PairCheck::judge( self::SECRET, self::SECRET, '2023-11-14 22:13:20', self::NOW ) );
		$this->assertSame( PairCheck::WRONG_SECRET, PairCheck::judge( self::SECRET, 'cs_wrong', '2023-11-14 22:13:20', self::NOW ), 'an expired key tells a wrong secret nothing about its expiry' );
		$this->assertSame( PairCheck::WRONG_SECRET, PairCheck::judge( self::SECRET, ' ' . self::SECRET, null, self::NOW ), 'the secret is compared as given, like WooCommerce' );
		$this->assertSame( PairCheck::WRONG_SECRET, PairCheck::judge( self::SECRET, '', null, self::NOW ) );
		$this->assertSame( PairCheck::WRONG_SECRET, PairCheck::judge( self::SECRET, substr( self::SECRET, 0, 42 ), null, self::NOW ) );
	}

	public function test_verify_answers_what_basic_authentication_answers(): void {
		global $wpdb;
		$admin = $this->create_user( 'administrator' );
		wp_set_current_user( $admin );
		$key = ( new KeyService() )->create( array( 'user_ids' => array( $admin ), 'permissions' => 'read' ), Actor::current( 'cli' ) )[0];
		$service = new KeyService();

		$this->assertTrue( $service->verify_pair( "\t" . $key['consumer_key'] . "\n", $key['consumer_secret'] ), 'WooCommerce finds the key despite the whitespace' );
		$this->assertSame( 'keysmith_wrong_secret', $service->verify_pair( $key['consumer_key'], $key['consumer_secret'] . ' ' )->get_error_code() );

		$wpdb->update( Schema::meta_table(), array( 'expires_at' => gmdate( 'Y-m-d H:i:s', time() - 1 ) ), array( 'key_id' => $key['key_id'] ) );
		$this->assertSame( 'keysmith_wrong_secret', $service->verify_pair( $key['consumer_key'], 'cs_wrong' )->get_error_code() );
		$this->assertSame( 'keysmith_key_expired', $service->verify_pair( $key['consumer_key'], $key['consumer_secret'] )->get_error_code() );
	}
}
