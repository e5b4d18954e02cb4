<?php
/**
 * What the Protection view reports of failed authentications, from Store\KeyFailures: the keys
 * that ended but are still tried (a forgotten integration), and the addresses trying keys nobody
 * knows. Read-only.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Admin;

use Keysmith\Store\KeyFailures;

final class ProtectionReport {

	/** Rows each table shows at most. */
	public const ROWS = 20;

	/**
	 * Revoked, rotated-out and expired keys (removed by the hourly job or not yet) tried in the
	 * last 24 hours, most tried first.
	 *
	 * @return list<array{key_id: int, truncated_key: string, user_id: int, ended_by: string, ended_at: string, failures_24h: int, last_failure: string, last_failure_ip: string}>
	 */
	public static function forgotten_keys(): array {
		return KeyFailures::forgotten_keys( self::ROWS );
	}

	/**
	 * Addresses that presented keys nobody knows in the last 24 hours, most first.
	 *
	 * @return list<array{address: string, failures_24h: int, last_failure: string}>
	 */
	public static function unknown_key_addresses(): array {
		return KeyFailures::unknown_keys_by_address( self::ROWS );
	}
}
