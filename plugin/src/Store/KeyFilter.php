<?php
/**
 * Which keys an operation applies to, plus list ordering. Immutable; build it with from_array(),
 * which validates everything and returns a WP_Error on bad input.
 *
 * Destructive operations (revoke, update, rotate) refuse an empty filter unless it was built with
 * `'all' => true`, so a forgotten flag never revokes every key.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

use WP_Error;

final class KeyFilter {

	public const PERMISSIONS = array( 'read', 'write', 'read_write' );
	public const ORDERBY     = array( 'key_id', 'description', 'user_id', 'permissions', 'last_access', 'created_at', 'expires_at' );

	/**
	 * @param list<int>    $ids            Only these key ids.
	 * @param list<int>    $user_ids       Only keys owned by these users.
	 * @param list<string> $permissions    Only keys with one of these permissions.
	 * @param string       $search         Substring of the description, or of the key ending (truncated_key).
	 * @param bool         $never_used     Only keys with last_access NULL.
	 * @param string|null  $unused_since   UTC: keys never used or last used before this instant.
	 * @param string|null  $created_after  UTC: keys created at or after (keys without metadata never match).
	 * @param string|null  $created_before UTC: keys created before (keys without metadata never match).
	 * @param string|null  $expires_before UTC: keys with an expiry before this instant (includes expired).
	 * @param bool         $expired        Only keys whose expiry has passed.
	 * @param bool         $all            Explicitly every key (required for a destructive op without criteria).
	 * @param string       $orderby        One of self::ORDERBY.
	 * @param string       $order          'ASC' | 'DESC'.
	 */
	private function __construct(
		public readonly array $ids,
		public readonly array $user_ids,
		public readonly array $permissions,
		public readonly string $search,
		public readonly bool $never_used,
		public readonly ?string $unused_since,
		public readonly ?string $created_after,
		public readonly ?string $created_before,
		public readonly ?string $expires_before,
		public readonly bool $expired,
		public readonly bool $all,
		public readonly string $orderby,
		public readonly string $order
	) {}

	/**
	 * Validates and builds a filter.
	 *
	 * Keys: ids int[]|int, user_ids int[]|int, permissions string|string[], search string,
	 * never_used bool, unused_since/created_after/created_before/expires_before date strings
	 * (see Dates::parse_utc), expired bool, all bool, orderby, order (asc|desc).
	 * Numeric strings are accepted for ids (they arrive from forms and the CLI); unknown keys are an error.
	 *
	 * @param array<string, mixed> $args
	 */
	public static function from_array( array $args ): self|WP_Error {
		// TODO: implemented in the next commit.
		return new WP_Error( 'keysmith_todo', 'Not implemented yet.' );
	}

	/** A filter matching only the given key ids. */
	public static function by_ids( array $ids ): self|WP_Error {
		return self::from_array( array( 'ids' => $ids ) );
	}

	/** Whether any criterion narrows the selection (else it is the whole table). */
	public function has_criteria(): bool {
		return array() !== $this->ids || array() !== $this->user_ids || array() !== $this->permissions
			|| '' !== $this->search || $this->never_used || $this->expired
			|| null !== $this->unused_since || null !== $this->created_after
			|| null !== $this->created_before || null !== $this->expires_before;
	}
}
