<?php
/**
 * The one expiry rule (Keys\Expiry): a key stops working AT its expiry second, never before, and a
 * key without an expiry never stops. Times are written out by hand, not computed by the rule.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Tests\Unit\Keys;

use Keysmith\Keys\Expiry;
use PHPUnit\Framework\TestCase;

final class ExpiryTest extends TestCase {

	/** 2023-11-14 22:13:20 UTC. */
	private const NOW = 1700000000;

	public function test_a_key_without_expiry_never_expires(): void {
		$this->assertFalse( Expiry::has_passed( null, self::NOW ) );
		$this->assertFalse( Expiry::has_passed( null, PHP_INT_MAX ) );
	}

	public function test_a_key_expires_at_its_expiry_second(): void {
		$this->assertTrue( Expiry::has_passed( '2023-11-14 22:13:20', self::NOW ), 'at the second itself' );
		$this->assertTrue( Expiry::has_passed( '2023-11-14 22:13:19', self::NOW ), 'one second before' );
		$this->assertFalse( Expiry::has_passed( '2023-11-14 22:13:21', self::NOW ), 'one second after' );
	}

	public function test_across_day_month_and_year_boundaries(): void {
		$this->assertTrue( Expiry::has_passed( '2023-11-13 23:59:59', self::NOW ) );
		$this->assertFalse( Expiry::has_passed( '2023-11-15 00:00:00', self::NOW ) );
		$this->assertFalse( Expiry::has_passed( '2024-01-01 00:00:00', self::NOW ) );
		$this->assertTrue( Expiry::has_passed( '2022-12-31 23:59:59', self::NOW ) );
		$this->assertTrue( Expiry::has_passed( '1970-01-01 00:00:00', 0 ) );
		$this->assertFalse( Expiry::has_passed( '1970-01-01 00:00:01', 0 ) );
	}

	public function test_the_cutoff_is_the_stored_utc_form_of_now(): void {
		$this->assertSame( '2023-11-14 22:13:20', Expiry::cutoff( self::NOW ) );
		$this->assertSame( '1970-01-01 00:00:00', Expiry::cutoff( 0 ) );
	}

	public function test_the_sql_condition_compares_the_same_way(): void {
		$this->assertSame( 'm.expires_at <= %s', Expiry::sql_has_passed( 'm.expires_at' ) );
	}
}
