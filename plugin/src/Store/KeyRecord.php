<?php
/**
 * Read model of one key: WooCommerce's columns (never the secret, the hash or the nonces) plus
 * Keysmith's metadata and its refused requests of the last 24 hours (KeyFailures). Keys Keysmith
 * found rather than saw made (source unknown) have no creation time or creator (null / 0).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

use Keysmith\Keys\Expiry;

final class KeyRecord {

	/**
	 * @param int         $key_id        WooCommerce key_id.
	 * @param int         $user_id       Owner.
	 * @param string      $description   Description ('' when NULL).
	 * @param string      $permissions   read | write | read_write.
	 * @param string      $truncated_key Last 7 characters of the plaintext consumer key.
	 * @param string|null $last_access   Site-local 'Y-m-d H:i:s' as WooCommerce stores it, null = never used.
	 * @param string|null $created_at    UTC 'Y-m-d H:i:s', null = unknown (made outside Keysmith).
	 * @param int         $created_by    User who created it (0 = unknown / WP-CLI without --user).
	 * @param string|null $expires_at    UTC 'Y-m-d H:i:s', null = never expires.
	 * @param string|null $last_ip       Last client IP seen by Keysmith's auth path.
	 * @param int|null    $rotated_from  Key id this key replaced by rotation.
	 * @param string      $source        Where the key was made (KeySource: keysmith, woocommerce, wc-auth, unknown).
	 * @param string|null $app_name      The app a wc-auth key was made for.
	 * @param int         $failures_24h  Requests with this key refused in the last 24 hours (see KeyFailures).
	 * @param string|null $last_failure  UTC 'Y-m-d H:i:s' of the latest of them, null = none.
	 * @param string|null $last_failure_ip     The address it came from.
	 * @param string|null $last_failure_reason The refusal's message (never a credential).
	 */
	public function __construct(
		public readonly int $key_id,
		public readonly int $user_id,
		public readonly string $description,
		public readonly string $permissions,
		public readonly string $truncated_key,
		public readonly ?string $last_access,
		public readonly ?string $created_at,
		public readonly int $created_by,
		public readonly ?string $expires_at,
		public readonly ?string $last_ip,
		public readonly ?int $rotated_from,
		public readonly string $source = KeySource::UNKNOWN,
		public readonly ?string $app_name = null,
		public readonly int $failures_24h = 0,
		public readonly ?string $last_failure = null,
		public readonly ?string $last_failure_ip = null,
		public readonly ?string $last_failure_reason = null
	) {}

	/** Builds a record from a joined DB row (object or array). */
	public static function from_row( object|array $row ): self {
		$row = (array) $row;
		return new self(
			(int) $row['key_id'],
			(int) $row['user_id'],
			(string) ( $row['description'] ?? '' ),
			(string) $row['permissions'],
			(string) $row['truncated_key'],
			self::nullable( $row['last_access'] ?? null ),
			self::nullable( $row['created_at'] ?? null ),
			(int) ( $row['created_by'] ?? 0 ),
			self::nullable( $row['expires_at'] ?? null ),
			self::nullable( $row['last_ip'] ?? null ),
			isset( $row['rotated_from'] ) ? (int) $row['rotated_from'] : null,
			KeySource::of( $row['source'] ?? null ),
			self::nullable( $row['app_name'] ?? null )
		);
	}

	/**
	 * The same record with its failure figures (one entry of KeyFailures::for_keys(), or none).
	 *
	 * @param array{failures_24h: int, last_failure: string, last_failure_ip: string, last_reason: string}|null $figures
	 */
	public function with_failures( ?array $figures ): self {
		if ( null === $figures ) {
			return $this;
		}
		$fields                        = get_object_vars( $this );
		$fields['failures_24h']        = $figures['failures_24h'];
		$fields['last_failure']        = self::nullable( $figures['last_failure'] );
		$fields['last_failure_ip']     = self::nullable( $figures['last_failure_ip'] );
		$fields['last_failure_reason'] = self::nullable( $figures['last_reason'] );
		return new self( ...$fields );
	}

	/** Whether the key's expiry has passed at $now (Unix time, default now). */
	public function is_expired( ?int $now = null ): bool {
		return Expiry::has_passed( $this->expires_at, $now ?? time() );
	}

	/** @return array<string, int|string|null> Public fields, for JSON / WP-CLI format_items. */
	public function to_array(): array {
		return get_object_vars( $this );
	}

	private static function nullable( mixed $value ): ?string {
		return null === $value || '' === $value || '0000-00-00 00:00:00' === $value ? null : (string) $value;
	}
}
