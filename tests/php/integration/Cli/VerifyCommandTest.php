<?php
/**
 * `wp keysmith verify`: exit 0 for a valid pair, 1 with the reason otherwise; the secret can come
 * from STDIN (tested through a real process and pipe) and is never printed.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Cli;

final class VerifyCommandTest extends CliTestCase {

	public function test_secret_from_stdin_through_a_real_process(): void {
		$key = $this->create_keys( 'admin' )[0];

		$valid = self::shell( $key['consumer_secret'] . "\n", 'keysmith', 'verify', $key['consumer_key'] );
		self::assertSame( 0, $valid['exit'], $valid['stderr'] );
		self::assertSame( 'Success: Valid: the key …' . substr( $key['consumer_key'], -5 ) . " and its secret match, and the key has not expired.\n", $valid['stdout'] );
		self::assertStringNotContainsString( $key['consumer_secret'], $valid['stdout'] . $valid['stderr'] );

		$wrong = self::shell( 'cs_' . str_repeat( '0', 40 ), 'keysmith', 'verify', $key['consumer_key'] );
		self::assertSame( 1, $wrong['exit'] );
		self::assertSame( "Error: Consumer secret is invalid.\n", $wrong['stderr'] );
		self::assertSame( '', $wrong['stdout'] );
	}

	public function test_reasons_unknown_key_wrong_secret_expired(): void {
		$key = $this->create_keys( 'admin' )[0];
		$wc  = $this->create_wc_key( self::user_id( 'customer' ) );

		self::assertSucceeded( $this->wp( 'keysmith', 'verify', $key['consumer_key'], $key['consumer_secret'] ) );
		self::assertSucceeded( $this->wp( 'keysmith', 'verify', $wc['consumer_key'], $wc['consumer_secret'] ) );
		self::assertFailedWith( 'Consumer key is invalid.', $this->wp( 'keysmith', 'verify', 'ck_' . str_repeat( 'f', 40 ), $key['consumer_secret'] ) );
		self::assertFailedWith( 'Consumer secret is invalid.', $this->wp( 'keysmith', 'verify', $key['consumer_key'], $wc['consumer_secret'] ) );

		self::force_expiry( $key['key_id'], '2021-03-04 05:06:07' );
		self::assertFailedWith( 'The API key expired on 2021-03-04 05:06:07 UTC.', $this->wp( 'keysmith', 'verify', $key['consumer_key'], $key['consumer_secret'] ) );
		self::assertUsage( 'usage: wp keysmith verify <consumer_key> [<consumer_secret>]', $this->wp( 'keysmith', 'verify' ) );
	}
}
