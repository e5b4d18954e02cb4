<?php
/**
 * The sealing key as this PHP process holds it (from Crypto\Sealing::status(): the extension's
 * ini setting or the twin's constant), read once per request: whether it is configured and works,
 * where it comes from, and the fingerprints of the current and previous keys. Never the key.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Sealing;

use Keysmith\Crypto\Sealing;

final class KeyStatus {

	private static ?self $current = null;

	/**
	 * @param array{key_file: ?string, fingerprint: ?string, error: ?string}|null $previous
	 */
	public function __construct(
		public readonly bool $configured,
		public readonly ?string $source,
		public readonly ?string $key_file,
		public readonly ?string $fingerprint,
		public readonly ?string $error,
		public readonly ?array $previous,
		public readonly bool $in_extension
	) {}

	/** This process's key, read on first use. */
	public static function current(): self {
		if ( null === self::$current ) {
			$status        = Sealing::status();
			self::$current = new self(
				(bool) $status['configured'],
				$status['source'],
				$status['key_file'],
				$status['fingerprint'],
				$status['error'],
				$status['previous'],
				Sealing::in_extension()
			);
		}
		return self::$current;
	}

	/** Forgets what was read (tests; after the twin's key files were configured anew). */
	public static function reset(): void {
		self::$current = null;
		Sealing::reset();
	}

	/** The fingerprint of the previous key, when one is configured and readable. */
	public function previous_fingerprint(): ?string {
		return $this->previous['fingerprint'] ?? null;
	}

	/** Whether this process can open a value the key with this fingerprint sealed. */
	public function holds( string $fingerprint ): bool {
		return $this->configured && ( $fingerprint === $this->fingerprint || $fingerprint === $this->previous_fingerprint() );
	}

	/** Where the key comes from, in a sentence. */
	public function where(): string {
		if ( null === $this->source ) {
			return __( 'No sealing key is configured (neither keysmith.sealing_key_file in the PHP configuration nor KEYSMITH_SEALING_KEY_FILE in wp-config.php).', 'keysmith' );
		}
		$where = 'ini' === $this->source
			/* translators: %s: a file path. */
			? __( 'keysmith.sealing_key_file in the PHP configuration, read by the keysmith extension when PHP starts: %s (the key never enters PHP).', 'keysmith' )
			/* translators: %s: a file path. */
			: __( 'KEYSMITH_SEALING_KEY_FILE in wp-config.php, read by PHP on each request: %s.', 'keysmith' );
		return sprintf( $where, (string) $this->key_file );
	}

	/** Why there is no usable key, or null when there is one. */
	public function problem(): ?string {
		if ( $this->configured ) {
			return null;
		}
		return $this->error ?? __( 'No sealing key is configured.', 'keysmith' );
	}

	/** How to give this server its key (the same words for the screen, Site Health and doctor). */
	public static function fix(): string {
		return __( 'Give the server its sealing key: restore the key file (from your backup) where keysmith.sealing_key_file (php.ini, for PHP-FPM and the CLI, then reload PHP-FPM) or KEYSMITH_SEALING_KEY_FILE (wp-config.php) points, readable by PHP (mode 0600 for its user). `wp keysmith sealing generate-key <path>` makes a new key, for a site without sealed secrets.', 'keysmith' );
	}
}
