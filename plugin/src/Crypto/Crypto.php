<?php
/**
 * The one door to Keysmith's crypto: the `keysmith` extension when it is loaded and its version
 * fits, else its pure-PHP twin (Keysmith\Fallback). Both give the same bytes, so callers never
 * care which one answered; mode() says which did (for Site Health, CLI and tests).
 *
 * The choice is made once per request, on first use, and cached: the answer must not change
 * between, say, building and checking a signature. Tests call reset() to choose again.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Crypto;

use Keysmith\Fallback;

final class Crypto {

	/** The extension's major.minor this plugin is written for, when KEYSMITH_VERSION is not defined. */
	public const REQUIRED_EXTENSION = '0.1';

	public const MODE_NATIVE   = 'native';
	public const MODE_FALLBACK = 'fallback';

	/** Why the twin answers: the extension is not loaded / has the wrong version / was turned off. */
	public const REASON_NOT_LOADED      = 'not_loaded';
	public const REASON_VERSION         = 'version_mismatch';
	public const REASON_FORCED_CONSTANT = 'forced_constant';
	public const REASON_FORCED_ENV      = 'forced_env';
	public const REASON_FORCED_FILTER   = 'forced_filter';

	/** Functions the extension must export for Keysmith to use it. */
	private const NATIVE_FUNCTIONS = array(
		'version',
		'generate_key',
		'generate_keys',
		'api_hash',
		'api_hashes',
		'oauth_base_string',
		'oauth_signature',
		'oauth_verify',
		'parse_oauth_header',
		'equals',
		'seal',
		'sealed_equals',
		'sealed_oauth_verify',
		'unseal',
		'sealing_status',
	);

	/** Cached decision: null until first use. */
	private static ?bool $use_native = null;

	/** Cached reason for the twin, null when native answers. */
	private static ?string $reason = null;

	/** 'native' or 'fallback': which implementation answers in this request. */
	public static function mode(): string {
		return self::use_native() ? self::MODE_NATIVE : self::MODE_FALLBACK;
	}

	/** Why the twin answers (one of the REASON_* constants), or null when native answers. */
	public static function fallback_reason(): ?string {
		self::use_native();
		return self::$reason;
	}

	/** Whether a usable extension is loaded (right version, all functions), forced off or not. */
	public static function native_available(): bool {
		return null === self::native_problem();
	}

	/** The loaded extension's version, or null when it is not loaded. */
	public static function native_version(): ?string {
		return function_exists( 'Keysmith\\version' ) ? \Keysmith\version() : null;
	}

	/** The major.minor version of the extension this plugin needs. */
	public static function required_version(): string {
		$required = defined( 'KEYSMITH_VERSION' ) ? self::major_minor( (string) constant( 'KEYSMITH_VERSION' ) ) : self::REQUIRED_EXTENSION;
		if ( ! function_exists( 'apply_filters' ) ) {
			return $required;
		}
		/**
		 * Filters the extension major.minor this plugin needs (the version handshake). A value
		 * the loaded extension does not have makes Keysmith use the twin and report the mismatch
		 * (Site Health, admin notice); the Health tests use it to stage a mismatch.
		 *
		 * @since 0.1.0
		 *
		 * @param string $required For example "0.1".
		 */
		return (string) apply_filters( 'keysmith_required_extension_version', $required );
	}

	/** Forgets the cached decision so the next call decides again (tests only). */
	public static function reset(): void {
		self::$use_native = null;
		self::$reason     = null;
	}

	/** Version of the implementation that answers. */
	public static function version(): string {
		return self::use_native() ? \Keysmith\version() : Fallback\version();
	}

	/** @return array{consumer_key: string, consumer_secret: string, key_hash: string, truncated_key: string} */
	public static function generate_key(): array {
		return self::use_native() ? \Keysmith\generate_key() : Fallback\generate_key();
	}

	/** @return list<array{consumer_key: string, consumer_secret: string, key_hash: string, truncated_key: string}> */
	public static function generate_keys( int $count ): array {
		return self::use_native() ? \Keysmith\generate_keys( $count ) : Fallback\generate_keys( $count );
	}

	public static function api_hash( string $data ): string {
		return self::use_native() ? \Keysmith\api_hash( $data ) : Fallback\api_hash( $data );
	}

	/**
	 * @param array<array-key, string> $data
	 * @return array<array-key, string>
	 */
	public static function api_hashes( array $data ): array {
		return self::use_native() ? \Keysmith\api_hashes( $data ) : Fallback\api_hashes( $data );
	}

	/** @param array<array-key, mixed> $params */
	public static function oauth_base_string( string $http_method, string $url, array $params ): string {
		return self::use_native()
			? \Keysmith\oauth_base_string( $http_method, $url, $params )
			: Fallback\oauth_base_string( $http_method, $url, $params );
	}

	public static function oauth_signature( string $base_string, #[\SensitiveParameter] string $consumer_secret, string $signature_method ): string {
		return self::use_native()
			? \Keysmith\oauth_signature( $base_string, $consumer_secret, $signature_method )
			: Fallback\oauth_signature( $base_string, $consumer_secret, $signature_method );
	}

	/** @param array<array-key, mixed> $params */
	public static function oauth_verify( string $http_method, string $url, array $params, #[\SensitiveParameter] string $consumer_secret ): bool {
		return self::use_native()
			? \Keysmith\oauth_verify( $http_method, $url, $params, $consumer_secret )
			: Fallback\oauth_verify( $http_method, $url, $params, $consumer_secret );
	}

	/** @return array<string, string> */
	public static function parse_oauth_header( string $authorization ): array {
		return self::use_native() ? \Keysmith\parse_oauth_header( $authorization ) : Fallback\parse_oauth_header( $authorization );
	}

	public static function equals( #[\SensitiveParameter] string $known, #[\SensitiveParameter] string $user ): bool {
		return self::use_native() ? \Keysmith\equals( $known, $user ) : Fallback\equals( $known, $user );
	}

	/** The cached decision, made on first use. */
	private static function use_native(): bool {
		if ( null === self::$use_native ) {
			self::$reason     = self::decide();
			self::$use_native = null === self::$reason;
		}
		return self::$use_native;
	}

	/** Null when native should answer, else the reason for the twin. */
	private static function decide(): ?string {
		$problem = self::native_problem();
		if ( null !== $problem ) {
			return $problem;
		}
		if ( defined( 'KEYSMITH_FORCE_FALLBACK' ) && (bool) constant( 'KEYSMITH_FORCE_FALLBACK' ) ) {
			return self::REASON_FORCED_CONSTANT;
		}
		if ( '1' === getenv( 'KEYSMITH_FORCE_FALLBACK' ) ) {
			return self::REASON_FORCED_ENV;
		}
		// Outside WordPress (unit tests, scripts) there are no filters.
		if ( function_exists( 'apply_filters' ) ) {
			/**
			 * Whether Keysmith may use the `keysmith` extension. Return false to use the pure-PHP
			 * twin even though the extension is loaded (e.g. to compare, or to rule it out).
			 *
			 * @since 0.1.0
			 *
			 * @param bool $use_native True: the extension is loaded and fits.
			 */
			if ( true !== (bool) apply_filters( 'keysmith_use_native', true ) ) {
				return self::REASON_FORCED_FILTER;
			}
		}
		return null;
	}

	/** Null when a fitting extension is loaded, else why not. */
	private static function native_problem(): ?string {
		if ( ! extension_loaded( 'keysmith' ) ) {
			return self::REASON_NOT_LOADED;
		}
		foreach ( self::NATIVE_FUNCTIONS as $function ) {
			if ( ! function_exists( 'Keysmith\\' . $function ) ) {
				return self::REASON_VERSION;
			}
		}
		if ( self::major_minor( \Keysmith\version() ) !== self::required_version() ) {
			return self::REASON_VERSION;
		}
		return null;
	}

	/** "0.1.3" and "0.1.3-dev" -> "0.1". */
	private static function major_minor( string $version ): string {
		$parts = explode( '.', $version );
		return $parts[0] . '.' . ( isset( $parts[1] ) ? (int) $parts[1] : 0 );
	}
}
