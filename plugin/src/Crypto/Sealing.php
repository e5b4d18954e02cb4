<?php
/**
 * The door to the sealing functions (README, "Sealed secrets"): the extension's when it holds the
 * sealing key (its ini setting `keysmith.sealing_key_file` is set, and the extension is usable),
 * else the twin's, whose key comes from KEYSMITH_SEALING_KEY_FILE in wp-config.php. Unlike
 * Crypto's choice, this one does not follow KEYSMITH_FORCE_FALLBACK: only the extension can use
 * a key it read at start-up, so forcing the twin must not make that key unreachable.
 *
 * Decided once per request, on first use; reset() for tests.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Crypto;

use Keysmith\Fallback;

final class Sealing {

	/** Which implementation holds the key: null until first use. */
	private static ?bool $extension = null;

	/** Whether the extension holds the key (its ini setting names a key file). */
	public static function in_extension(): bool {
		if ( null === self::$extension ) {
			self::$extension = Crypto::native_available() && null !== ( \Keysmith\sealing_status()['source'] ?? null );
		}
		return self::$extension;
	}

	/** Forgets the decision (tests). */
	public static function reset(): void {
		self::$extension = null;
	}

	/**
	 * The status of the key in the implementation that holds it: configured, source ('ini' or
	 * 'constant', null when neither is set), key_file, fingerprint, error, previous.
	 *
	 * @return array{configured: bool, source: ?string, key_file: ?string, fingerprint: ?string, error: ?string, previous: ?array{key_file: ?string, fingerprint: ?string, error: ?string}}
	 */
	public static function status(): array {
		return self::in_extension() ? \Keysmith\sealing_status() : Fallback\sealing_status();
	}

	public static function seal( #[\SensitiveParameter] string $secret, string $ad ): string {
		return self::in_extension() ? \Keysmith\seal( $secret, $ad ) : Fallback\seal( $secret, $ad );
	}

	public static function equals( string $sealed, string $ad, #[\SensitiveParameter] string $presented ): bool {
		return self::in_extension() ? \Keysmith\sealed_equals( $sealed, $ad, $presented ) : Fallback\sealed_equals( $sealed, $ad, $presented );
	}

	/** @param array<array-key, mixed> $params */
	public static function oauth_verify( string $http_method, string $url, array $params, string $sealed, string $ad ): bool {
		return self::in_extension()
			? \Keysmith\sealed_oauth_verify( $http_method, $url, $params, $sealed, $ad )
			: Fallback\sealed_oauth_verify( $http_method, $url, $params, $sealed, $ad );
	}

	/**
	 * Whether this process may turn sealed values back into secrets: always on the command line;
	 * in a web request only when the key is in PHP's memory anyway (the twin's constant), never
	 * when the extension holds it.
	 */
	public static function can_unseal(): bool {
		return 'cli' === PHP_SAPI || ! self::in_extension();
	}

	/**
	 * The secret of a sealed value (see can_unseal()); a ValueError when no key opens it.
	 *
	 * With the twin's key, a web request (turning sealing off from the admin screen, deactivating
	 * the plugin) opens the value through the twin's key holder directly: its `unseal()` keeps the
	 * extension's rule, but the key it holds is in this process's memory already, so refusing
	 * would protect nothing and would leave sealed secrets behind.
	 */
	public static function unseal( string $sealed, string $ad ): string {
		if ( self::in_extension() || 'cli' === PHP_SAPI ) {
			return self::in_extension() ? \Keysmith\unseal( $sealed, $ad ) : Fallback\unseal( $sealed, $ad );
		}
		$secret = Fallback\open_sealed( Fallback\sealed_raw( $sealed, 'unseal', 1 ), $ad, 'unseal' );
		if ( null === $secret ) {
			throw new \ValueError( 'Keysmith\\unseal(): Argument #1 ($sealed) could not be opened: it was sealed with another key, for another key row, or altered' );
		}
		return $secret;
	}
}
