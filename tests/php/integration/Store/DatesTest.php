<?php
/**
 * The date formats users may type, stored as UTC; everything else refused.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Store;

require_once __DIR__ . '/StoreTestCase.php';

use Keysmith\Store\Dates;
use WP_Error;

final class DatesTest extends StoreTestCase {

	private const NOW = 1893456000; // 2030-01-01 00:00:00 UTC.

	/** @return array<string, array{0: string, 1: string}> */
	public static function accepted(): array {
		return array(
			'date'                => array( '2031-02-03', '2031-02-03 00:00:00' ),
			'date and time'       => array( '2031-02-03 04:05:06', '2031-02-03 04:05:06' ),
			'date and minutes'    => array( '2031-02-03 04:05', '2031-02-03 04:05:00' ),
			'ISO 8601 Z'          => array( '2031-02-03T04:05:06Z', '2031-02-03 04:05:06' ),
			'ISO 8601 offset'     => array( '2031-02-03T04:05:06+02:00', '2031-02-03 02:05:06' ),
			'ISO 8601 no offset'  => array( '2031-02-03T04:05', '2031-02-03 04:05:00' ),
			'ISO 8601 fraction'   => array( '2031-02-03T04:05:06.789-01:30', '2031-02-03 05:35:06' ),
			'relative days'       => array( '+30 days', '2030-01-31 00:00:00' ),
			'relative hours'      => array( '+2 hours', '2030-01-01 02:00:00' ),
			'relative singular'   => array( '+1 week', '2030-01-08 00:00:00' ),
			'relative past'       => array( '-1 day', '2029-12-31 00:00:00' ),
			'spaces around'       => array( '  2031-02-03 ', '2031-02-03 00:00:00' ),
			'leap day'            => array( '2032-02-29', '2032-02-29 00:00:00' ),
		);
	}

	/** @dataProvider accepted */
	public function test_accepted_formats_are_stored_as_utc( string $input, string $utc ): void {
		$this->assertSame( $utc, Dates::parse_utc( $input, 'expires_at', self::NOW ) );
	}

	/** @return array<string, array{0: string}> */
	public static function refused(): array {
		return array(
			'empty'            => array( '' ),
			'words'            => array( 'next tuesday' ),
			'bare number'      => array( '10' ),
			'no sign'          => array( '30 days' ),
			'impossible day'   => array( '2031-02-30' ),
			'not a leap year'  => array( '2031-02-29' ),
			'impossible hour'  => array( '2031-02-03 25:00:00' ),
			'day first'        => array( '03/02/2031' ),
			'unix timestamp'   => array( '@1893456000' ),
			'unknown unit'     => array( '+3 fortnights' ),
			'trailing garbage' => array( '2031-02-03; DROP TABLE' ),
		);
	}

	/** @dataProvider refused */
	public function test_other_input_is_an_error_naming_the_field( string $input ): void {
		$result = Dates::parse_utc( $input, 'expires_at', self::NOW );
		$this->assertInstanceOf( WP_Error::class, $result );
		$this->assertSame( 'keysmith_invalid_date', $result->get_error_code() );
		$this->assertStringContainsString( 'expires_at', $result->get_error_message() );
	}
}
