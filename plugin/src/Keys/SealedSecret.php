<?php
/**
 * A key's secret in its sealed form (Keysmith's metadata: `sealed_secret`, and `sealed_with`, the
 * fingerprint of the key that sealed it), checked without ever handing the plaintext to PHP when
 * the extension holds the key. The associated data is the row's stored consumer_key hash: a value
 * moved to another row does not open there, and matches nothing.
 *
 * Shared by Basic and OAuth authentication and `wp keysmith verify`, so every path that checks a
 * sealed secret fails the same way when the key is missing: SealingUnavailable, never "wrong
 * secret".
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Keys;

use Keysmith\Crypto\Sealing;
use Keysmith\Sealing\KeyStatus;
use Keysmith\Sealing\SealingUnavailable;

final class SealedSecret {

	public function __construct(
		public readonly string $sealed,
		public readonly string $sealed_with,
		public readonly string $key_hash
	) {}

	/** The sealed secret of a row, or null when the row holds its secret in plaintext. */
	public static function from_columns( mixed $sealed, mixed $sealed_with, string $key_hash ): ?self {
		return is_string( $sealed ) && '' !== $sealed ? new self( $sealed, (string) $sealed_with, $key_hash ) : null;
	}

	/**
	 * Whether $presented is the secret, in constant time.
	 *
	 * @throws SealingUnavailable When this process does not hold the key that sealed it.
	 */
	public function equals( #[\SensitiveParameter] string $presented ): bool {
		$this->need_key();
		try {
			return Sealing::equals( $this->sealed, $this->key_hash, $presented );
		} catch ( \ValueError $e ) {
			return false; // Not in the sealed format: altered, so it matches nothing.
		}
	}

	/**
	 * WooCommerce's OAuth signature check against the secret.
	 *
	 * @param array<array-key, mixed> $params
	 * @throws SealingUnavailable When this process does not hold the key that sealed it.
	 * @throws \ValueError|\TypeError For parameters no signature can be verified over (as oauth_verify()).
	 */
	public function oauth_verify( string $http_method, string $url, array $params ): bool {
		$this->need_key();
		return Sealing::oauth_verify( $http_method, $url, $params, $this->sealed, $this->key_hash );
	}

	/** @throws SealingUnavailable */
	private function need_key(): void {
		$key = KeyStatus::current();
		if ( ! $key->holds( $this->sealed_with ) ) {
			throw new SealingUnavailable( $key->problem() ?? sprintf( 'The secret was sealed with the key %s, which this server does not hold.', $this->sealed_with ) );
		}
	}
}
