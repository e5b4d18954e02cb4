<?php
/**
 * One API key as the authentication path needs it: WooCommerce's columns (not `nonces`: Keysmith
 * keeps nonces in its own table, see NonceStore) plus Keysmith's expiry and last IP. The secret
 * is present only when the row came from the database; cached rows carry
 * a keyed hash of it instead (the secret itself never leaves WooCommerce's column).
 *
 * A sealed key (README, "Sealed secrets") carries its sealed secret instead, from the database or
 * the cache alike: a cached row cannot hold a keyed hash of a secret PHP never sees (the extension
 * opens it), and the sealed value is as safe in the object cache as in the database.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Auth;

use Keysmith\Keys\Expiry;
use Keysmith\Keys\PairCheck;
use Keysmith\Keys\SealedSecret;

final class KeyRow {

	/**
	 * @param array{window_start: int, window_failures: int}|null $failures This client's failure
	 *        counter for the key, read with a database row (null for a cached row).
	 * @param SealedSecret|null                                   $sealed   The sealed secret of a
	 *        sealed key (then $consumer_secret and $secret_verifier are null).
	 */
	public function __construct(
		public readonly int $key_id,
		public readonly int $user_id,
		public readonly string $permissions,
		public readonly string $consumer_key,
		#[\SensitiveParameter] public readonly ?string $consumer_secret,
		public readonly ?string $secret_verifier,
		public readonly ?string $last_access,
		public readonly ?string $expires_at,
		public readonly ?string $last_ip,
		public readonly ?array $failures = null,
		public readonly ?SealedSecret $sealed = null
	) {}

	public static function from_db( object $row ): self {
		$sealed = SealedSecret::from_columns( $row->sealed_secret ?? null, $row->sealed_with ?? null, (string) $row->consumer_key );
		return new self(
			(int) $row->key_id,
			(int) $row->user_id,
			(string) $row->permissions,
			(string) $row->consumer_key,
			null === $sealed ? (string) $row->consumer_secret : null, // A sealed key's column holds a marker, never its secret.
			null, // Computed when the row is cached (to_cache()).
			self::nullable( $row->last_access ?? null ),
			self::nullable( $row->expires_at ?? null ),
			self::nullable( $row->last_ip ?? null ),
			array(
				'window_start'    => (int) ( $row->window_start ?? 0 ),
				'window_failures' => (int) ( $row->window_failures ?? 0 ),
			),
			$sealed
		);
	}

	/**
	 * Rebuilds a row from its cache entry (see to_cache()); null if the entry is malformed.
	 *
	 * @param array<string, mixed> $entry
	 */
	public static function from_cache( array $entry ): ?self {
		if ( ! isset( $entry['key_id'], $entry['user_id'], $entry['permissions'], $entry['consumer_key'] ) ) {
			return null;
		}
		$sealed = SealedSecret::from_columns( $entry['sealed_secret'] ?? null, $entry['sealed_with'] ?? null, (string) $entry['consumer_key'] );
		if ( null === $sealed && ! isset( $entry['secret_mac'] ) ) {
			return null;
		}
		return new self(
			(int) $entry['key_id'],
			(int) $entry['user_id'],
			(string) $entry['permissions'],
			(string) $entry['consumer_key'],
			null,
			null === $sealed ? (string) $entry['secret_mac'] : null,
			self::nullable( $entry['last_access'] ?? null ),
			self::nullable( $entry['expires_at'] ?? null ),
			self::nullable( $entry['last_ip'] ?? null ),
			null,
			$sealed
		);
	}

	/**
	 * What may be cached: no secret (OAuth always reads the row from the database); a sealed
	 * key's sealed secret.
	 *
	 * @return array<string, mixed>
	 */
	public function to_cache(): array {
		$secret = null !== $this->sealed
			? array(
				'sealed_secret' => $this->sealed->sealed,
				'sealed_with'   => $this->sealed->sealed_with,
			)
			// Named anew when its key changed (now the wp-config.php salt): entries of the old kind are malformed, so misses.
			: array( 'secret_mac' => $this->secret_verifier ?? self::verifier( (string) $this->consumer_secret ) );
		return array(
			'key_id'       => $this->key_id,
			'user_id'      => $this->user_id,
			'permissions'  => $this->permissions,
			'consumer_key' => $this->consumer_key,
		) + $secret + array(
			'last_access' => $this->last_access,
			'expires_at'  => $this->expires_at,
			'last_ip'     => $this->last_ip,
		);
	}

	/** Keysmith is stricter than WooCommerce: a key past its expiry (UTC) no longer works. */
	public function is_expired( int $now ): bool {
		return Expiry::has_passed( $this->expires_at, $now );
	}

	/**
	 * The store's pair check (secret in constant time, then expiry): against the sealed secret of
	 * a sealed key, else against the secret itself when the row came from the database, else
	 * against its keyed hash.
	 *
	 * @return string PairCheck::VALID, WRONG_SECRET or EXPIRED.
	 * @throws \Keysmith\Sealing\SealingUnavailable When the key is sealed and this server cannot open it.
	 */
	public function judge_pair( #[\SensitiveParameter] string $secret, int $now ): string {
		if ( null !== $this->sealed ) {
			return PairCheck::judge_sealed( $this->sealed, $secret, $this->expires_at, $now );
		}
		return null === $this->consumer_secret
			? PairCheck::judge( (string) $this->secret_verifier, (string) self::verifier( $secret ), $this->expires_at, $now )
			: PairCheck::judge( $this->consumer_secret, $secret, $this->expires_at, $now );
	}

	/**
	 * A keyed hash of the secret, so a cached row can check a Basic secret without holding it.
	 * Secrets are 160 random bits: the hash cannot be reversed; the site's salt keeps it site-bound
	 * and keeps a weak secret (made outside WooCommerce) from being guessed from a cache dump.
	 *
	 * @return string|null Null while no salt can be read (see verifier_key()): no cached check then.
	 */
	public static function verifier( #[\SensitiveParameter] string $secret ): ?string {
		$key = self::verifier_key();
		return null === $key ? null : hash_hmac( 'sha256', $secret, $key );
	}

	/**
	 * The auth salt from wp-config.php when it defines one, as wp_salt( 'auth' ) reads it: the
	 * constants exist from the start, so an early decision (Auth\EarlyGate, before WordPress loads
	 * its pluggable functions) can use cached rows too. Without them, wp_salt() itself (it reads or
	 * makes the salt options), which only exists after the plugins have loaded.
	 */
	public static function verifier_available(): bool {
		return null !== self::verifier_key();
	}

	private static function verifier_key(): ?string {
		$placeholder = 'put your unique phrase here'; // wp-config-sample.php's value, which wp_salt() ignores too.
		if ( defined( 'AUTH_KEY' ) && defined( 'AUTH_SALT' ) && '' !== AUTH_KEY && '' !== AUTH_SALT && $placeholder !== AUTH_KEY && $placeholder !== AUTH_SALT ) {
			return AUTH_KEY . AUTH_SALT;
		}
		return function_exists( 'wp_salt' ) ? wp_salt( 'auth' ) : null;
	}

	private static function nullable( mixed $value ): ?string {
		return null === $value || '' === $value ? null : (string) $value;
	}
}
