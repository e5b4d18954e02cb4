<?php
/**
 * `wp keysmith throttle get|set|reset`: the settings as Auth\Throttle stores them (invalid input
 * changes nothing), and forgetting counts by key, by address (IPv6 counted per /64) or all.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Cli;

use Keysmith\Auth\Settings;
use Keysmith\Auth\Throttle;
use Keysmith\Store\Schema;

final class ThrottleCommandTest extends CliTestCase {

	protected function tearDown(): void {
		delete_option( Settings::OPTION );
		parent::tearDown();
	}

	private static function add_counter( string $address, int $key_id ): void {
		global $wpdb;
		$wpdb->insert(
			Schema::failure_table(),
			array(
				'address'         => $address,
				'key_id'          => $key_id,
				'window_start'    => time(),
				'window_failures' => 3,
				'day_start'       => time(),
				'day_failures'    => 3,
				'last_failure_at' => time(),
				'last_reason'     => 'test',
			)
		);
	}

	public function test_get_shows_the_defaults_and_set_changes_only_what_is_given(): void {
		$run = $this->wp( 'keysmith', 'throttle', 'get', '--format=json' );
		self::assertSucceeded( $run );
		$this->assertSame( array( 'enabled' => true, 'max_failures' => 10, 'max_unknown' => 30, 'window' => 600 ), json_decode( $run['stdout'], true ) );

		$run = $this->wp( 'keysmith', 'throttle', 'set', '--max-failures=20', '--window=15m' );
		self::assertSucceeded( $run );
		$this->assertSame( "Success: Throttle: on, 20 failures per key and address, 30 for unknown keys, window 900 s.\n", $run['stdout'] );
		$this->assertSame( array( 'enabled' => true, 'max_failures' => 20, 'max_unknown' => 30, 'window' => 900 ), Throttle::settings() );

		self::assertSucceeded( $this->wp( 'keysmith', 'throttle', 'set', '--enabled=off' ) );
		$this->assertFalse( Throttle::settings()['enabled'] );
		$this->assertSame( "setting\tvalue\nenabled\toff\nmax_failures\t20\nmax_unknown\t30\nwindow\t900\n", $this->wp( 'keysmith', 'throttle', 'get' )['stdout'] );
	}

	public function test_invalid_settings_change_nothing(): void {
		$before = Throttle::settings();
		self::assertFailedWith( 'The window must last from 10 seconds to 24 hours.', $this->wp( 'keysmith', 'throttle', 'set', '--max-failures=5', '--window=2d' ) );
		self::assertFailedWith( '--max-unknown must be a positive whole number.', $this->wp( 'keysmith', 'throttle', 'set', '--max-unknown=0' ) );
		self::assertFailedWith( '--enabled takes on or off.', $this->wp( 'keysmith', 'throttle', 'set', '--enabled=maybe' ) );
		self::assertFailedWith( 'Nothing to change', $this->wp( 'keysmith', 'throttle', 'set' ) );
		$this->assertSame( $before, Throttle::settings() );
	}

	public function test_reset_by_key_by_address_and_all(): void {
		global $wpdb;
		self::add_counter( '203.0.113.5', 7 );
		self::add_counter( '203.0.113.5', 8 );
		self::add_counter( '2001:db8:1:2::/64', 7 );
		self::add_counter( '198.51.100.1', 0 );
		$blocking = static fn(): int => (int) $wpdb->get_var( 'SELECT COUNT(*) FROM ' . Schema::failure_table() . ' WHERE window_failures > 0' );
		$day      = static fn(): int => (int) $wpdb->get_var( 'SELECT SUM(day_failures) FROM ' . Schema::failure_table() );

		$run = $this->wp( 'keysmith', 'throttle', 'reset', '--key=7', '--address=2001:db8:1:2::99' );
		$this->assertSame( "Success: Emptied 1 throttling count.\n", $run['stdout'] );
		$this->assertSame( 3, $blocking() );
		$this->assertSame( "Success: Emptied 2 throttling counts.\n", $this->wp( 'keysmith', 'throttle', 'reset', '--address=203.0.113.5' )['stdout'] );
		self::assertFailedWith( 'Invalid address "nowhere".', $this->wp( 'keysmith', 'throttle', 'reset', '--address=nowhere' ) );
		$this->assertSame( 1, $blocking() );

		$refused = $this->wp_with_stdin( "n\n", 'keysmith', 'throttle', 'reset' );
		$this->assertSame( 1, $blocking(), 'all counts only after confirming: ' . $refused['stdout'] );
		$this->assertSame( "Success: Emptied 1 throttling count.\n", $this->wp( 'keysmith', 'throttle', 'reset', '--yes' )['stdout'] );
		$this->assertSame( 0, $blocking() );
		$this->assertSame( 12, $day(), 'the failures of the last 24 hours stay listed' );
	}
}
