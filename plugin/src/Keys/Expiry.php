<?php
/**
 * When a key stops working: the one expiry rule of the store, the auth path and `wp keysmith verify`.
 *
 * WooCommerce keys never expire (docs/woocommerce-compatibility.md §7); Keysmith keeps an expiry in
 * its own table as UTC 'Y-m-d H:i:s' (null = never) and is stricter: a key stops working AT its
 * expiry second. Stored dates have a fixed width, so comparing the strings compares the instants,
 * with no date parsing on the authentication path.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Keys;

use Keysmith\Store\Dates;

final class Expiry {

	/**
	 * Whether a key with this expiry no longer works at $now.
	 *
	 * @param string|null $expires_at UTC 'Y-m-d H:i:s' as stored; null = never expires.
	 * @param int         $now        Unix time.
	 */
	public static function has_passed( ?string $expires_at, int $now ): bool {
		return null !== $expires_at && $expires_at <= self::cutoff( $now );
	}

	/**
	 * The same rule as a SQL condition on a column holding stored expiries, with one %s
	 * placeholder for cutoff(): prepare it with that value.
	 */
	public static function sql_has_passed( string $column ): string {
		return $column . ' <= %s';
	}

	/** The stored value an expiry is compared with at $now. */
	public static function cutoff( int $now ): string {
		return gmdate( Dates::FORMAT, $now );
	}
}
