<?php
/**
 * Part of the pure-PHP twin of the `keysmith` extension (see functions.php and sealing.php): the
 * sealing key the twin holds, and the only code that touches its bytes.
 *
 * The twin reads its key files from the constants KEYSMITH_SEALING_KEY_FILE and (during a
 * rotation) KEYSMITH_SEALING_PREVIOUS_KEY_FILE in wp-config.php, on first use, once per request.
 * Unlike the extension's key (read by PHP-FPM's master before workers start, and never in PHP's
 * memory), this one lives in the worker's PHP memory for the request: weaker, yet every dump and
 * backup of the database is still worthless without the file.
 *
 * Sealing is ChaCha20-Poly1305 (IETF) from libsodium, the same algorithm and bytes as the
 * extension's (ring); tests/vectors/sealing.json holds what both produce.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Fallback;

/**
 * @internal The twin's sealing functions are the interface; this class is their key holder.
 */
final class SealingKeys {

	/** Length of a key (ChaCha20). */
	public const KEY_LEN = 32;

	/** Length of a nonce (IETF ChaCha20-Poly1305). */
	public const NONCE_LEN = 12;

	/** The message whose HMAC-SHA256 under the key is its fingerprint (first 8 bytes, hex). */
	public const FINGERPRINT_LABEL = 'keysmith sealing key fingerprint v1';

	/**
	 * The configured key files and what reading them gave, or null until first use.
	 *
	 * @var array{source: ?string, current: ?array{path: string, key: ?string, fingerprint: ?string, error: ?string}, previous: ?array{path: string, key: ?string, fingerprint: ?string, error: ?string}}|null
	 */
	private static ?array $state = null;

	/**
	 * Reads the key files now, in place of the constants (scripts and tests that run without
	 * wp-config.php). Null: not configured.
	 */
	public static function configure( ?string $current_file, ?string $previous_file = null ): void {
		self::$state = array(
			'source'   => null === $current_file ? null : 'constant',
			'current'  => null === $current_file ? null : self::read( $current_file ),
			'previous' => null === $previous_file ? null : self::read( $previous_file ),
		);
	}

	/**
	 * What sealing_status() reports: never a key.
	 *
	 * @return array{configured: bool, source: ?string, key_file: ?string, fingerprint: ?string, error: ?string, previous: ?array{key_file: ?string, fingerprint: ?string, error: ?string}}
	 */
	public static function status(): array {
		$state   = self::state();
		$current = $state['current'];
		return array(
			'configured' => null !== $current && null !== $current['key'],
		) + array( 'source' => $state['source'] ) + self::public_fields( $current ) + array(
			'previous' => null === $state['previous'] ? null : self::public_fields( $state['previous'] ),
		);
	}

	/** Whether there is a current key to seal and open with. */
	public static function available(): bool {
		return null !== ( self::state()['current']['key'] ?? null );
	}

	/** nonce ‖ ciphertext ‖ tag of $secret under the current key; null without one. */
	public static function seal( #[\SensitiveParameter] string $secret, string $ad, ?string $nonce = null ): ?string {
		$key = self::state()['current']['key'] ?? null;
		if ( null === $key ) {
			return null;
		}
		$nonce ??= random_bytes( self::NONCE_LEN );
		return $nonce . sodium_crypto_aead_chacha20poly1305_ietf_encrypt( $secret, $ad, $nonce, $key );
	}

	/**
	 * The secret in nonce ‖ ciphertext ‖ tag, opened with the current key, else the previous one;
	 * null when neither opens it with this associated data.
	 */
	public static function open( string $raw, string $ad ): ?string {
		$state = self::state();
		foreach ( array( $state['current'], $state['previous'] ) as $slot ) {
			if ( null === ( $slot['key'] ?? null ) ) {
				continue;
			}
			$secret = sodium_crypto_aead_chacha20poly1305_ietf_decrypt( substr( $raw, self::NONCE_LEN ), $ad, substr( $raw, 0, self::NONCE_LEN ), $slot['key'] );
			if ( false !== $secret ) {
				return $secret;
			}
		}
		return null;
	}

	/**
	 * What a key file gives, without keeping the key: its fingerprint, or why it gives none (the
	 * extension's words). For `wp keysmith sealing rotate-key` and the doctor.
	 *
	 * @return array{fingerprint: ?string, error: ?string}
	 */
	public static function inspect( string $path ): array {
		$slot = self::read( $path );
		return array(
			'fingerprint' => $slot['fingerprint'],
			'error'       => $slot['error'],
		);
	}

	/** The fingerprint of key bytes. */
	public static function fingerprint( #[\SensitiveParameter] string $key ): string {
		return substr( hash_hmac( 'sha256', self::FINGERPRINT_LABEL, $key ), 0, 16 );
	}

	/** The state, read from the constants on first use. */
	private static function state(): array {
		if ( null === self::$state ) {
			$current  = defined( 'KEYSMITH_SEALING_KEY_FILE' ) ? (string) constant( 'KEYSMITH_SEALING_KEY_FILE' ) : '';
			$previous = defined( 'KEYSMITH_SEALING_PREVIOUS_KEY_FILE' ) ? (string) constant( 'KEYSMITH_SEALING_PREVIOUS_KEY_FILE' ) : '';
			self::configure( '' === $current ? null : $current, '' === $previous ? null : $previous );
		}
		return self::$state;
	}

	/**
	 * One key file, read as the extension reads it (same sentences for the same problems).
	 *
	 * @return array{path: string, key: ?string, fingerprint: ?string, error: ?string}
	 */
	private static function read( string $path ): array {
		$slot = array(
			'path'        => $path,
			'key'         => null,
			'fingerprint' => null,
			'error'       => null,
		);
		if ( ! function_exists( 'sodium_crypto_aead_chacha20poly1305_ietf_encrypt' ) ) {
			$slot['error'] = 'PHP\'s sodium extension is missing: the pure-PHP twin cannot seal or open secrets.';
			return $slot;
		}
		// phpcs:disable WordPress.WP.AlternativeFunctions -- a local key file, read once, before WordPress's filesystem API exists.
		if ( is_dir( $path ) ) {
			$slot['error'] = sprintf( 'The sealing key file %s cannot be read.', $path );
			return $slot;
		}
		if ( ! file_exists( $path ) ) {
			$slot['error'] = sprintf( 'The sealing key file %s does not exist.', $path );
			return $slot;
		}
		$handle = is_readable( $path ) ? fopen( $path, 'rb' ) : false;
		if ( false === $handle ) {
			$slot['error'] = sprintf( 'The sealing key file %s is not readable by this process (permission denied).', $path );
			return $slot;
		}
		$bytes = fread( $handle, self::KEY_LEN + 1 );
		fclose( $handle );
		// phpcs:enable
		if ( false === $bytes ) {
			$slot['error'] = sprintf( 'The sealing key file %s cannot be read.', $path );
			return $slot;
		}
		if ( self::KEY_LEN !== strlen( $bytes ) ) {
			$size          = strlen( $bytes ) > self::KEY_LEN ? (int) filesize( $path ) : strlen( $bytes );
			$slot['error'] = sprintf( 'The sealing key file %s holds %d bytes; a sealing key is exactly %d bytes.', $path, $size, self::KEY_LEN );
			return $slot;
		}
		$slot['key']         = $bytes;
		$slot['fingerprint'] = self::fingerprint( $bytes );
		return $slot;
	}

	/**
	 * @param array{path: string, key: ?string, fingerprint: ?string, error: ?string}|null $slot
	 * @return array{key_file: ?string, fingerprint: ?string, error: ?string}
	 */
	private static function public_fields( ?array $slot ): array {
		return array(
			'key_file'    => $slot['path'] ?? null,
			'fingerprint' => $slot['fingerprint'] ?? null,
			'error'       => $slot['error'] ?? null,
		);
	}
}
