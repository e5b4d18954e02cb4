<?php
/**
 * The key/secret pair check shared by Basic authentication and `wp keysmith verify`, so both give
 * the same answer for the same pair.
 *
 * WooCommerce finds a key by the hash of the presented key after sanitize_text_field() (its
 * get_user_data_by_consumer_key()), then compares the presented secret with the stored plaintext in
 * constant time, unsanitized (docs/woocommerce-compatibility.md §3.3.1, §3.6). Keysmith adds its
 * expiry (Expiry), judged only once the secret is proven: someone guessing secrets learns nothing
 * about a key's expiry.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Keys;

use Keysmith\Crypto\Crypto;

final class PairCheck {

	/** judge(): the secret matches and the key has not expired. */
	public const VALID = 'valid';

	/** judge(): the secret does not match (WooCommerce's "Consumer secret is invalid."). */
	public const WRONG_SECRET = 'wrong_secret';

	/** judge(): the secret matches but the key's expiry has passed (Keysmith only). */
	public const EXPIRED = 'expired';

	/**
	 * The stored consumer_key (hash) to look a presented key up by. A value that is not a string
	 * (e.g. `consumer_key[]=` in a query) sanitizes to '', as in WooCommerce.
	 *
	 * @param mixed $consumer_key The key as presented.
	 */
	public static function lookup_hash( mixed $consumer_key ): string {
		return Crypto::api_hash( sanitize_text_field( $consumer_key ) );
	}

	/**
	 * Judges a presented secret against the key found by lookup_hash().
	 *
	 * $known and $presented are compared in constant time, byte for byte. The caller passes the
	 * stored plaintext secret and the presented one, or the same keyed hash of each (a cached row
	 * holds no secret).
	 *
	 * @param string      $known      The key's secret (or its keyed hash).
	 * @param string      $presented  The secret presented (or the same keyed hash of it).
	 * @param string|null $expires_at The key's expiry (see Expiry), null = never.
	 * @param int         $now        Unix time.
	 * @return string self::VALID, self::WRONG_SECRET or self::EXPIRED.
	 */
	public static function judge( #[\SensitiveParameter] string $known, #[\SensitiveParameter] string $presented, ?string $expires_at, int $now ): string {
		return self::verdict( Crypto::equals( $known, $presented ), $expires_at, $now );
	}

	/**
	 * judge() for a key whose secret is sealed: the sealed value is opened and compared where the
	 * key is held (the extension, or the twin), in constant time.
	 *
	 * @return string self::VALID, self::WRONG_SECRET or self::EXPIRED.
	 * @throws \Keysmith\Sealing\SealingUnavailable When this server does not hold the key that sealed it.
	 */
	public static function judge_sealed( SealedSecret $known, #[\SensitiveParameter] string $presented, ?string $expires_at, int $now ): string {
		return self::verdict( $known->equals( $presented ), $expires_at, $now );
	}

	/** The verdict once the secret is judged: expiry counts only for a proven secret. */
	private static function verdict( bool $secret_matches, ?string $expires_at, int $now ): string {
		if ( ! $secret_matches ) {
			return self::WRONG_SECRET;
		}
		return Expiry::has_passed( $expires_at, $now ) ? self::EXPIRED : self::VALID;
	}
}
