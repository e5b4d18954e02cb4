<?php
/**
 * The rules Keysmith enforces on a key whose credentials are proven, beyond WooCommerce's: today
 * expiry (which is also how a key rotated out ends, when its grace period is over; the rule itself
 * is Keys\Expiry, shared with the store and `verify`). One place, so every path that lets a key in
 * asks the same question: Keysmith's own Basic and OAuth checks, and KeyRuleGuard for keys
 * WooCommerce judged alone.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Auth;

use WP_Error;

final class KeyRules {

	/** Why Keysmith refuses this key now, or null when it may be used. */
	public static function violation( KeyRow $key, int $now ): ?WP_Error {
		return $key->is_expired( $now ) ? Errors::key_expired() : null;
	}
}
