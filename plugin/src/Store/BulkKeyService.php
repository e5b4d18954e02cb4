<?php
/**
 * The one engine every front end (admin screen, WP-CLI, REST) calls to create, list, change and
 * revoke WooCommerce REST API keys in bulk.
 *
 * Rows in {prefix}woocommerce_api_keys are written exactly as WooCommerce writes them
 * (wc-contract.md §1–2); what WooCommerce has no column for goes to Keysmith's own tables.
 * Every write runs in one transaction (all or nothing), invalidates KeyCache and is audited.
 *
 * The service checks WooCommerce's ownership rule (Actor::can_assign_to) but not the front end's
 * capability (`manage_woocommerce`) or nonce: those belong to the screen / command / route.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

use WP_Error;

final class BulkKeyService {

	/** Most keys one create() call makes (count per user × number of users). */
	public const MAX_CREATE = 10000;

	/** Longest description WooCommerce's column holds (varchar(200)). */
	public const MAX_DESCRIPTION = 200;

	/** Description template used when the spec gives none. */
	public const DEFAULT_DESCRIPTION = 'Keysmith {date} #{n}';

	/**
	 * Creates keys for one or several users, all or nothing.
	 *
	 * Spec:
	 * - user_ids     int[] (or user_id int): owners; each must exist and be assignable by $actor.
	 * - count        int, keys PER USER; count × number of users must be within 1–10,000 (MAX_CREATE).
	 * - permissions  'read' | 'write' | 'read_write' (required; anything else is an error, unlike
	 *                WooCommerce's silent fallback to read).
	 * - description  template (default DEFAULT_DESCRIPTION): {n} = 1..count within each user,
	 *                {user} = the owner's user_login, {date} = today's UTC date Y-m-d. Sanitized with
	 *                sanitize_text_field; more than 200 characters after expansion is an error.
	 * - expires_at   ?string (see Dates::parse_utc), must be in the future; null = never.
	 *
	 * @param array<string, mixed> $spec
	 * @return list<array{key_id:int, user_id:int, description:string, permissions:string, consumer_key:string, consumer_secret:string, truncated_key:string, created_at:string, expires_at:?string}>|WP_Error
	 *         The created keys with their PLAINTEXT consumer_key and consumer_secret. This is the only
	 *         time the pair is available: show / download it, never log or store it.
	 */
	public function create( array $spec, Actor $actor ): array|WP_Error {
		return new WP_Error( 'keysmith_todo', 'Not implemented yet.' );
	}

	/**
	 * One page of keys matching $filter, in the filter's order.
	 *
	 * @param int $page     1-based.
	 * @param int $per_page 1–1000.
	 * @return array{items: list<KeyRecord>, total: int}
	 */
	public function query( KeyFilter $filter, int $page = 1, int $per_page = 20 ): array {
		return array( 'items' => array(), 'total' => 0 );
	}

	/** Number of keys matching $filter. */
	public function count( KeyFilter $filter ): int {
		return 0;
	}

	/** One key, or null when it does not exist. */
	public function find( int $key_id ): ?KeyRecord {
		return null;
	}

	/**
	 * Revokes (hard-deletes, as WooCommerce does) every key matching $filter, with its metadata.
	 * Idempotent: revoking an already revoked key changes nothing and is not an error.
	 * An empty filter needs `all => true`.
	 *
	 * @param bool $dry_run Count and list what would be revoked, write nothing.
	 */
	public function revoke( KeyFilter $filter, Actor $actor, bool $dry_run = false ): BulkResult|WP_Error {
		return new WP_Error( 'keysmith_todo', 'Not implemented yet.' );
	}

	/**
	 * Changes many keys at once, all or nothing.
	 *
	 * Changes (at least one): permissions 'read'|'write'|'read_write'; user_id int (must exist and be
	 * assignable by $actor); description string (plain, ≤ 200 chars after sanitize_text_field);
	 * expires_at ?string (date; null clears the expiry).
	 *
	 * @param array<string, mixed> $changes
	 */
	public function update( KeyFilter $filter, array $changes, Actor $actor ): BulkResult|WP_Error {
		return new WP_Error( 'keysmith_todo', 'Not implemented yet.' );
	}

	/**
	 * Rotates every key matching $filter: a new key for the same owner, permissions and description
	 * (meta rotated_from = old key id, same expiry as the old key had); the old key keeps working for
	 * $grace_seconds, then expires (its expires_at = now + grace, or stays if already earlier).
	 * $grace_seconds = 0 revokes the old key at once. At most MAX_CREATE keys per call.
	 *
	 * @return list<array{key_id:int, user_id:int, description:string, permissions:string, consumer_key:string, consumer_secret:string, truncated_key:string, created_at:string, expires_at:?string, rotated_from:int}>|WP_Error
	 *         New keys with their plaintext pair (shown once).
	 */
	public function rotate( KeyFilter $filter, Actor $actor, int $grace_seconds ): array|WP_Error {
		return new WP_Error( 'keysmith_todo', 'Not implemented yet.' );
	}

	/** Revokes every key whose expiry has passed (the hourly cron job). Returns how many. */
	public function revoke_expired(): int {
		return 0;
	}

	/**
	 * Deletes every key of $user_id with its metadata and audits it (action user_deleted). Called on
	 * delete_user by UserCleanup. Returns how many keys were deleted.
	 */
	public function delete_user_keys( int $user_id, Actor $actor ): int {
		return 0;
	}

	/**
	 * Checks a plaintext pair against the store, as `wp keysmith verify` does: the key must exist,
	 * the secret must match (constant time) and the key must not be expired.
	 *
	 * @return true|WP_Error Codes keysmith_unknown_key, keysmith_wrong_secret, keysmith_key_expired.
	 */
	public function verify_pair( string $consumer_key, #[\SensitiveParameter] string $consumer_secret ): true|WP_Error {
		return new WP_Error( 'keysmith_todo', 'Not implemented yet.' );
	}
}
