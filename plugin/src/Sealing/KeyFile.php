<?php
/**
 * Sealing key files from the command line: making a new one, and reading one's fingerprint (for
 * `rotate-key`, which must be told the key it re-seals under) or how exposed it is (the doctor).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Sealing;

use Keysmith\Fallback\SealingKeys;
use WP_Error;

// phpcs:disable WordPress.WP.AlternativeFunctions -- a local key file on the server, written and checked from WP-CLI, where WP_Filesystem's abstraction (FTP and all) has no place.

final class KeyFile {

	/**
	 * Writes 32 new random bytes to $path, readable by its owner only (0600), and never over an
	 * existing file: the file is created exclusively, and made private before the key is written.
	 *
	 * @return string|WP_Error The new key's fingerprint.
	 */
	public static function generate( string $path ): string|WP_Error {
		if ( '' === $path ) {
			return self::error( __( 'Give the path of the key file to write.', 'keysmith' ) );
		}
		if ( file_exists( $path ) || is_link( $path ) ) {
			/* translators: %s: a file path. */
			return self::error( sprintf( __( '%s already exists; a sealing key is never overwritten (the secrets it sealed would be lost). Choose another path.', 'keysmith' ), $path ) );
		}
		if ( ! is_dir( dirname( $path ) ) ) {
			/* translators: %s: a directory path. */
			return self::error( sprintf( __( 'The directory %s does not exist.', 'keysmith' ), dirname( $path ) ) );
		}
		if ( ! is_writable( dirname( $path ) ) ) {
			/* translators: %s: a directory path. */
			return self::error( sprintf( __( 'This process may not write to %s.', 'keysmith' ), dirname( $path ) ) );
		}
		$handle = fopen( $path, 'xb' );
		if ( false === $handle ) {
			/* translators: %s: a file path. */
			return self::error( sprintf( __( 'Could not create %s (permission denied, or it appeared meanwhile).', 'keysmith' ), $path ) );
		}
		chmod( $path, 0600 );
		$key     = random_bytes( SealingKeys::KEY_LEN );
		$written = fwrite( $handle, $key );
		$closed  = fclose( $handle );
		if ( SealingKeys::KEY_LEN !== $written || ! $closed ) {
			unlink( $path );
			/* translators: %s: a file path. */
			return self::error( sprintf( __( 'Could not write the key to %s.', 'keysmith' ), $path ) );
		}
		$fingerprint = SealingKeys::fingerprint( $key );
		sodium_memzero( $key );
		return $fingerprint;
	}

	/**
	 * The fingerprint of the key in $path.
	 *
	 * @return string|WP_Error The fingerprint, or why the file gives no key.
	 */
	public static function fingerprint( string $path ): string|WP_Error {
		$found = SealingKeys::inspect( $path );
		return null !== $found['fingerprint'] ? $found['fingerprint'] : self::error( (string) $found['error'] );
	}

	/**
	 * How readable the file is beyond its owner, e.g. "0644", or null when it is private (or this
	 * process cannot tell: a root-only file read by PHP-FPM's master is out of the CLI's sight).
	 */
	public static function exposure( string $path ): ?string {
		$perms = file_exists( $path ) ? fileperms( $path ) : false;
		if ( false === $perms || 0 === ( $perms & 0077 ) ) {
			return null;
		}
		return sprintf( '%04o', $perms & 0777 );
	}

	private static function error( string $message ): WP_Error {
		return new WP_Error( 'keysmith_sealing_key_file', $message, array( 'status' => 400 ) );
	}
}
