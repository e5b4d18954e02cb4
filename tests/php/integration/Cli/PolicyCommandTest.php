<?php
/**
 * `wp keysmith policy get|set` and the key-lifetime policy on the command line: `create` without
 * --expires gets the default, an expiry beyond the maximum is refused, and `update --apply-policy`
 * applies it to existing keys, with a dry run and a confirmation.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Cli;

use Keysmith\Store\KeyPolicy;

final class PolicyCommandTest extends CliTestCase {

	protected function setUp(): void {
		parent::setUp();
		delete_option( KeyPolicy::OPTION );
	}

	protected function tearDown(): void {
		delete_option( KeyPolicy::OPTION );
		parent::tearDown();
	}

	public function test_get_shows_the_policy_and_set_changes_it(): void {
		$none = $this->wp( 'keysmith', 'policy', 'get' );
		self::assertSucceeded( $none );
		self::assertSame( "Field\tValue\ndefault_expiry\tnever\nmax_lifetime\tnone\n", $none['stdout'] );

		$set = $this->wp( 'keysmith', 'policy', 'set', '--default-expiry=90d', '--max-lifetime=365 days' );
		self::assertSucceeded( $set );
		self::assertSame( "Success: Key-lifetime policy saved. New keys expire after 90 days unless an expiry is chosen. No key may be made to live longer than 365 days.\n", $set['stdout'] );
		self::assertSame( '{"default_expiry":"90d","max_lifetime":"365d"}' . "\n", $this->wp( 'keysmith', 'policy', 'get', '--format=json' )['stdout'] );

		self::assertSucceeded( $this->wp( 'keysmith', 'policy', 'set', '--max-lifetime=none' ) );
		self::assertSame( '{"default_expiry":"90d","max_lifetime":"none"}' . "\n", $this->wp( 'keysmith', 'policy', 'get', '--format=json' )['stdout'], 'the other setting stays' );
	}

	public function test_set_refuses_bad_values_and_changes_nothing(): void {
		self::assertSucceeded( $this->wp( 'keysmith', 'policy', 'set', '--default-expiry=7d' ) );
		self::assertFailedWith( 'Nothing to set: give --default-expiry, --max-lifetime or both.', $this->wp( 'keysmith', 'policy', 'set' ) );
		self::assertFailedWith( 'Invalid duration "soon".', $this->wp( 'keysmith', 'policy', 'set', '--max-lifetime=soon' ) );
		self::assertFailedWith( 'The default expiry (1 week) is longer than the maximum lifetime (1 day).', $this->wp( 'keysmith', 'policy', 'set', '--max-lifetime=1d' ) );
		self::assertFailedWith( 'The maximum lifetime must be between one minute and ten years (got "600w").', $this->wp( 'keysmith', 'policy', 'set', '--max-lifetime=600w' ) );
		self::assertSame( '{"default_expiry":"1w","max_lifetime":"none"}' . "\n", $this->wp( 'keysmith', 'policy', 'get', '--format=json' )['stdout'] );
	}

	public function test_create_gets_the_default_and_is_refused_beyond_the_maximum(): void {
		self::assertSucceeded( $this->wp( 'keysmith', 'policy', 'set', '--default-expiry=30d', '--max-lifetime=60d' ) );
		$key = $this->create_keys( 'admin' )[0];
		self::assertEqualsWithDelta( time() + 30 * DAY_IN_SECONDS, strtotime( $key['expires_at'] . ' UTC' ), 10 );

		$before = self::snapshot();
		self::assertFailedWith( 'The key-lifetime policy lets keys live at most 60 days: choose an expiry no later than ', $this->wp( 'keysmith', 'create', '--owner=admin', '--expires=never' ) );
		self::assertFailedWith( 'The key-lifetime policy lets keys live at most 60 days', $this->wp( 'keysmith', 'create', '--owner=admin', '--expires=+61 days' ) );
		self::assertFailedWith( 'The key-lifetime policy lets keys live at most 60 days', $this->wp( 'keysmith', 'update', (string) $key['key_id'], '--no-expiry' ) );
		self::assertSame( $before, self::snapshot() );
	}

	public function test_update_apply_policy_dry_runs_asks_and_applies(): void {
		$keys = array_column( $this->create_keys( 'admin', 3 ), 'key_id' );
		self::force_expiry( $keys[2], gmdate( 'Y-m-d H:i:s', time() + 3600 ) );
		self::assertFailedWith( 'No key-lifetime policy is set, so there is nothing to apply.', $this->wp( 'keysmith', 'update', '--apply-policy', '--all' ) );
		self::assertSucceeded( $this->wp( 'keysmith', 'policy', 'set', '--default-expiry=7d' ) );

		self::assertFailedWith( 'Give the IDs of the keys to change, or --all.', $this->wp( 'keysmith', 'update', '--apply-policy' ) );
		self::assertFailedWith( '--apply-policy sets the expiry from the key-lifetime policy', $this->wp( 'keysmith', 'update', (string) $keys[0], '--apply-policy', '--permissions=read' ) );
		$before = self::snapshot();
		$dry    = $this->wp( 'keysmith', 'update', '--apply-policy', '--all', '--dry-run' );
		self::assertSame( "Dry run: would make 2 keys expire earlier: {$keys[0]} {$keys[1]}\n", $dry['stdout'] );
		$no = $this->wp_with_stdin( "n\n", 'keysmith', 'update', '--apply-policy', '--all' );
		self::assertSame( 0, $no['exit'] );
		self::assertMatchesRegularExpression( '/^Make 2 keys expire by \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\? \[y\/n\] $/', $no['stdout'] );
		self::assertSame( $before, self::snapshot(), 'nothing written without a yes' );

		$done = $this->wp( 'keysmith', 'update', (string) $keys[0], (string) $keys[2], '--apply-policy', '--yes' );
		self::assertSame( "Success: Applied the key-lifetime policy: 1 of 2 keys expire earlier now. (1 already expires sooner.)\n", $done['stdout'] );
		$listed = array_column( json_decode( $this->wp( 'keysmith', 'list', '--format=json', '--fields=key_id,expires_at' )['stdout'], true ), 'expires_at', 'key_id' );
		self::assertEqualsWithDelta( time() + 7 * DAY_IN_SECONDS, strtotime( $listed[ $keys[0] ] . ' UTC' ), 10 );
		self::assertNull( $listed[ $keys[1] ], 'not asked for' );
	}
}
