<?php
/**
 * What state Keysmith's crypto is in on this server, as facts: which implementation answers, the
 * loaded extension's version and the PHP API / thread safety it was built for, and whether it
 * still computes what PHP computes. Site Health, Debug Info and the admin notice all read this one
 * assessment, so they can never disagree.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Health;

use Keysmith\Crypto\Crypto;

final class ExtensionStatus {

	/** Native extension active and correct. */
	public const GOOD = 'good';
	/** The pure-PHP twin answers: correct, only slower. */
	public const TWIN = 'twin';
	/** The extension is loaded but unusable (wrong version, wrong PHP API, wrong answers). */
	public const BROKEN = 'broken';

	/**
	 * @param string               $state           One of GOOD, TWIN, BROKEN.
	 * @param string               $mode            Crypto::MODE_NATIVE or Crypto::MODE_FALLBACK.
	 * @param string|null          $fallback_reason Crypto::REASON_* when the twin answers.
	 * @param array<string,string> $extension_info  The extension's phpinfo() rows (empty when not loaded).
	 * @param string|null          $problem         Why the state is BROKEN, for people.
	 */
	private function __construct(
		public readonly string $state,
		public readonly string $mode,
		public readonly ?string $fallback_reason,
		public readonly ?string $extension_version,
		public readonly string $required_version,
		public readonly array $extension_info,
		public readonly string $runtime_php_api,
		public readonly ?string $problem
	) {}

	/** Assesses the running PHP now (a handful of hashes; meant for Site Health, not every request). */
	public static function current(): self {
		$loaded  = extension_loaded( 'keysmith' );
		$info    = $loaded ? self::extension_info() : array();
		$runtime = self::runtime_php_api();
		$reason  = Crypto::fallback_reason();
		return self::from_facts( Crypto::mode(), $reason, Crypto::native_version(), Crypto::required_version(), $info, $runtime, self::find_problem( $loaded, $reason, $info, $runtime ) );
	}

	/**
	 * The assessment of given facts: broken when there is a problem, else good on native, else twin.
	 * (Also how tests describe a server this one is not, e.g. one without the extension.)
	 *
	 * @param array<string,string> $extension_info
	 */
	public static function from_facts( string $mode, ?string $fallback_reason, ?string $extension_version, string $required_version, array $extension_info, string $runtime_php_api, ?string $problem ): self {
		$state = null !== $problem ? self::BROKEN : ( Crypto::MODE_NATIVE === $mode ? self::GOOD : self::TWIN );
		return new self( $state, $mode, $fallback_reason, $extension_version, $required_version, $extension_info, $runtime_php_api, $problem );
	}

	/** The PHP API the loaded extension says it was built for, or null. */
	public function built_for_php_api(): ?string {
		return $this->extension_info['built for PHP API'] ?? null;
	}

	/** "NTS" / "ZTS" as the extension reports it, else as this PHP is. */
	public function thread_safety(): string {
		$reported = $this->extension_info['thread safety'] ?? '';
		if ( '' !== $reported ) {
			return str_starts_with( $reported, 'ZTS' ) ? 'ZTS' : 'NTS';
		}
		return PHP_ZTS ? 'ZTS' : 'NTS';
	}

	/** Null when nothing is broken, else a sentence saying what is. */
	private static function find_problem( bool $loaded, ?string $reason, array $info, string $runtime_api ): ?string {
		if ( ! $loaded ) {
			return null;
		}
		if ( Crypto::REASON_VERSION === $reason ) {
			return sprintf(
				/* translators: 1: version of the loaded extension, 2: major.minor version the plugin needs. */
				__( 'The loaded keysmith extension is version %1$s, but this version of the plugin needs %2$s.x. Keysmith uses its pure-PHP twin until they match.', 'keysmith' ),
				Crypto::native_version() ?? __( 'unknown', 'keysmith' ),
				Crypto::required_version()
			);
		}
		$built_for = $info['built for PHP API'] ?? '';
		if ( '' !== $built_for && 'unknown' !== $built_for && '' !== $runtime_api && $built_for !== $runtime_api ) {
			return sprintf(
				/* translators: 1: PHP API number the extension was built for, 2: PHP API number of the running PHP. */
				__( 'The keysmith extension reports it was built for PHP API %1$s, but this PHP is API %2$s.', 'keysmith' ),
				$built_for,
				$runtime_api
			);
		}
		return SelfCheck::run_native();
	}

	/**
	 * The extension's rows of phpinfo() (the `php --ri keysmith` table), e.g.
	 * ['version' => '0.1.0', 'built for PHP API' => '20220829', 'thread safety' => 'NTS (...)'].
	 *
	 * @return array<string,string>
	 */
	public static function extension_info(): array {
		try {
			$extension = new \ReflectionExtension( 'keysmith' );
		} catch ( \ReflectionException $e ) {
			return array();
		}
		ob_start();
		$extension->info();
		return self::parse_info_rows( (string) ob_get_clean() );
	}

	/** The running PHP's API number (phpinfo's "PHP API"), e.g. "20220829". */
	public static function runtime_php_api(): string {
		ob_start();
		phpinfo( INFO_GENERAL ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions.prevent_path_disclosure_phpinfo -- parsed, never shown.
		$rows = self::parse_info_rows( (string) ob_get_clean() );
		return $rows['PHP API'] ?? '';
	}

	/**
	 * phpinfo() prints "name => value" lines on the CLI and HTML table rows elsewhere (php-fpm).
	 *
	 * @return array<string,string>
	 */
	public static function parse_info_rows( string $output ): array {
		$rows = array();
		if ( str_contains( $output, '<td' ) ) {
			preg_match_all( '#<tr><td class="e">(.*?)</td><td class="v">(.*?)</td></tr>#s', $output, $matches, PREG_SET_ORDER );
			foreach ( $matches as $match ) {
				$rows[ trim( html_entity_decode( wp_strip_all_tags( $match[1] ) ) ) ] = trim( html_entity_decode( wp_strip_all_tags( $match[2] ) ) );
			}
			return $rows;
		}
		foreach ( explode( "\n", $output ) as $line ) {
			$parts = explode( ' => ', $line, 2 );
			if ( 2 === count( $parts ) ) {
				$rows[ trim( $parts[0] ) ] = trim( $parts[1] );
			}
		}
		return $rows;
	}
}
