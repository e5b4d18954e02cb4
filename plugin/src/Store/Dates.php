<?php
/**
 * Parses the dates users type (CLI flags, REST fields, admin inputs) into UTC 'Y-m-d H:i:s'.
 *
 * Accepted: 'Y-m-d' (start of that day, UTC), 'Y-m-d H:i:s' (UTC), ISO 8601 with an offset or Z
 * (converted to UTC), and relative '+N minutes|hours|days|weeks|months|years' / '-N …' from now.
 * Anything else is an error: PHP's strtotime() accepts too much ("next tuesday", "10") to be a
 * safe input for expiry.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

use WP_Error;

final class Dates {

	public const FORMAT = 'Y-m-d H:i:s';

	private const RELATIVE = '/^([+-])\s*(\d{1,6})\s*(minute|hour|day|week|month|year)s?$/i';

	/**
	 * @param string   $input What the user typed.
	 * @param string   $field Field name for the error message.
	 * @param int|null $now   Unix time "now" for relative dates (tests).
	 * @return string|WP_Error UTC 'Y-m-d H:i:s'.
	 */
	public static function parse_utc( string $input, string $field, ?int $now = null ): string|WP_Error {
		$input = trim( $input );
		$utc   = new \DateTimeZone( 'UTC' );
		$date  = null;
		if ( 1 === preg_match( self::RELATIVE, $input, $m ) ) {
			$date = ( new \DateTimeImmutable( '@' . ( $now ?? time() ) ) )->modify( sprintf( '%s%d %s', $m[1], (int) $m[2], strtolower( $m[3] ) ) );
		} elseif ( 1 === preg_match( '/^\d{4}-\d{2}-\d{2}$/', $input ) ) {
			$date = self::strict( '!Y-m-d', $input, $utc );
		} elseif ( 1 === preg_match( '/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/', $input ) ) {
			$date = self::strict( strlen( $input ) === 16 ? '!Y-m-d H:i' : '!Y-m-d H:i:s', $input, $utc );
		} elseif ( 1 === preg_match( '/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i', $input ) ) {
			$date = self::iso8601( $input, $utc );
		}
		if ( ! $date instanceof \DateTimeImmutable ) {
			return new WP_Error(
				'keysmith_invalid_date',
				/* translators: 1: field name, 2: the value given. */
				sprintf( __( 'Invalid date for %1$s: "%2$s". Use YYYY-MM-DD, YYYY-MM-DD HH:MM:SS, ISO 8601 or a relative date such as +30 days.', 'keysmith' ), $field, $input ),
				array( 'status' => 400 )
			);
		}
		return $date->setTimezone( $utc )->format( self::FORMAT );
	}

	/** Now in UTC as stored in Keysmith's tables. */
	public static function now_utc( ?int $now = null ): string {
		return gmdate( self::FORMAT, $now ?? time() );
	}

	/** A UTC 'Y-m-d H:i:s' as the site-local time WooCommerce uses for last_access. */
	public static function utc_to_site( string $utc ): string {
		return ( new \DateTimeImmutable( $utc, new \DateTimeZone( 'UTC' ) ) )->setTimezone( wp_timezone() )->format( self::FORMAT );
	}

	/** Parses exactly $format and refuses overflowing dates such as 2026-02-31. */
	private static function strict( string $format, string $input, \DateTimeZone $tz ): ?\DateTimeImmutable {
		$date   = \DateTimeImmutable::createFromFormat( $format, $input, $tz );
		$errors = \DateTimeImmutable::getLastErrors();
		if ( false === $date || ( is_array( $errors ) && ( $errors['warning_count'] > 0 || $errors['error_count'] > 0 ) ) ) {
			return null;
		}
		return $date;
	}

	private static function iso8601( string $input, \DateTimeZone $utc ): ?\DateTimeImmutable {
		// Validate the calendar date part strictly, then let DateTime handle the time and offset.
		if ( null === self::strict( '!Y-m-d', substr( $input, 0, 10 ), $utc ) ) {
			return null;
		}
		try {
			return new \DateTimeImmutable( $input, $utc );
		} catch ( \Exception $e ) {
			return null;
		}
	}
}
