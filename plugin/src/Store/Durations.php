<?php
/**
 * Durations as people type them, the one syntax of `rotate --grace` and the key-lifetime policy:
 * seconds ("3600"), or a number and a unit ("90s", "15m", "12h", "7d", "2w", "36 hours", "1 day").
 * And back: the shortest exact way to write a number of seconds in that syntax.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

use WP_Error;

final class Durations {

	/** Units, in seconds; the first of each size is what format() writes. */
	private const UNITS = array(
		'w'      => 604800,
		'week'   => 604800,
		'd'      => 86400,
		'day'    => 86400,
		'h'      => 3600,
		'hour'   => 3600,
		'm'      => 60,
		'min'    => 60,
		'minute' => 60,
		's'      => 1,
		'sec'    => 1,
		'second' => 1,
	);

	/**
	 * @param string $code Error code for a value that is no duration (the caller's field).
	 * @return int|WP_Error Seconds.
	 */
	public static function parse( string $value, string $code ): int|WP_Error {
		$value = strtolower( trim( $value ) );
		if ( 1 === preg_match( '/^\d{1,9}$/', $value ) ) {
			return (int) $value;
		}
		if ( 1 === preg_match( '/^(\d{1,6})\s*([a-z]+?)s?$/', $value, $m ) && isset( self::UNITS[ $m[2] ] ) ) {
			return (int) $m[1] * self::UNITS[ $m[2] ];
		}
		return new WP_Error(
			$code,
			/* translators: %s: what the user typed. */
			sprintf( __( 'Invalid duration "%s". Use seconds or a number with a unit, e.g. 90s, 15m, 12h, 7d, 2w or "36 hours".', 'keysmith' ), $value ),
			array( 'status' => 400 )
		);
	}

	/** Seconds in the largest unit that divides them exactly: 7776000 → "90d", 1209600 → "2w". */
	public static function format( int $seconds ): string {
		foreach ( array( 'w', 'd', 'h', 'm' ) as $unit ) {
			if ( $seconds > 0 && 0 === $seconds % self::UNITS[ $unit ] ) {
				return ( $seconds / self::UNITS[ $unit ] ) . $unit;
			}
		}
		return $seconds . 's';
	}

	/** For people: "90 days", "2 weeks", "12 hours". */
	public static function describe( int $seconds ): string {
		$units = array(
			'w' => static fn( int $n ): string => sprintf( /* translators: %d: number of weeks. */ _n( '%d week', '%d weeks', $n, 'keysmith' ), $n ),
			'd' => static fn( int $n ): string => sprintf( /* translators: %d: number of days. */ _n( '%d day', '%d days', $n, 'keysmith' ), $n ),
			'h' => static fn( int $n ): string => sprintf( /* translators: %d: number of hours. */ _n( '%d hour', '%d hours', $n, 'keysmith' ), $n ),
			'm' => static fn( int $n ): string => sprintf( /* translators: %d: number of minutes. */ _n( '%d minute', '%d minutes', $n, 'keysmith' ), $n ),
		);
		foreach ( $units as $unit => $text ) {
			if ( $seconds > 0 && 0 === $seconds % self::UNITS[ $unit ] ) {
				return $text( intdiv( $seconds, self::UNITS[ $unit ] ) );
			}
		}
		/* translators: %d: number of seconds. */
		return sprintf( _n( '%d second', '%d seconds', $seconds, 'keysmith' ), $seconds );
	}
}
