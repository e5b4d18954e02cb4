<?php
/**
 * Where a key was made, as Keysmith records it in its metadata (column `source`). Every key gets
 * one: Keysmith's own operations write `keysmith`; WooCommerce's own screens and app authorization
 * are noticed by the WooCommerce module (`woocommerce`, `wc-auth`); keys that appeared any other way
 * (direct SQL, another plugin, before Keysmith was installed) are `unknown`. NULL in the table means
 * "not recorded yet": the reconciler fills it in.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

final class KeySource {

	public const KEYSMITH    = 'keysmith';
	public const WOOCOMMERCE = 'woocommerce';
	public const WC_AUTH     = 'wc-auth';
	public const UNKNOWN     = 'unknown';

	/** Every value, in the order screens list them. */
	public const ALL = array( self::KEYSMITH, self::WOOCOMMERCE, self::WC_AUTH, self::UNKNOWN );

	/** The stored value as shown: NULL (not recorded yet) reads as unknown. */
	public static function of( ?string $stored ): string {
		return null === $stored || '' === $stored ? self::UNKNOWN : $stored;
	}
}
