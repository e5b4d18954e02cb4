<?php
/**
 * Site Health's `keysmith_extension` check (Tools > Site Health > Status; a "direct test" in
 * WordPress's terms): good when the native extension answers, recommended (with what to ask the
 * host) when the pure-PHP twin does, critical when an extension is loaded but unusable. Result
 * shape as WordPress expects from a direct test: label, status, badge{label,color}, description,
 * actions, test.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Health;

use Keysmith\Crypto\Crypto;

final class SiteHealthCheck {

	public const TEST = 'keysmith_extension';

	/**
	 * Filter `site_status_tests`: adds the direct test.
	 *
	 * @param array<string,array<string,mixed>> $tests
	 * @return array<string,array<string,mixed>>
	 */
	public static function register_test( array $tests ): array {
		$tests['direct'][ self::TEST ] = array(
			'label' => __( 'Keysmith extension', 'keysmith' ),
			'test'  => array( self::class, 'run' ),
		);
		return $tests;
	}

	/** @return array{label: string, status: string, badge: array{label: string, color: string}, description: string, actions: string, test: string} */
	public static function run(): array {
		return self::result_for( ExtensionStatus::current() );
	}

	/** @return array{label: string, status: string, badge: array{label: string, color: string}, description: string, actions: string, test: string} */
	public static function result_for( ExtensionStatus $status ): array {
		switch ( $status->state ) {
			case ExtensionStatus::GOOD:
				return self::result(
					'good',
					__( 'Keysmith uses its native PHP extension', 'keysmith' ),
					self::paragraph(
						sprintf(
							/* translators: 1: extension version, 2: NTS or ZTS. */
							__( 'The keysmith extension %1$s (%2$s) is active: REST API keys are generated, hashed and verified in native code.', 'keysmith' ),
							(string) $status->extension_version,
							$status->thread_safety()
						)
					),
					''
				);
			case ExtensionStatus::BROKEN:
				return self::result(
					'critical',
					__( 'The keysmith PHP extension is loaded but cannot be trusted', 'keysmith' ),
					self::paragraph( (string) $status->problem ) . self::paragraph( self::broken_consequence( $status ) ) . self::host_instructions( $status ),
					self::debug_info_link()
				);
			default:
				return self::result(
					'recommended',
					__( 'Keysmith runs on its pure-PHP twin', 'keysmith' ),
					self::paragraph( self::twin_reason( $status ) ) . self::paragraph( __( 'Everything works and gives the same results, but generating, hashing and verifying REST API keys runs in PHP, several times slower than with the native extension.', 'keysmith' ) ) . ( self::is_forced( $status ) ? '' : self::host_instructions( $status ) ),
					self::debug_info_link()
				);
		}
	}

	/** @return array{label: string, status: string, badge: array{label: string, color: string}, description: string, actions: string, test: string} */
	private static function result( string $status, string $label, string $description, string $actions ): array {
		return array(
			'label'       => $label,
			'status'      => $status,
			'badge'       => array(
				'label' => __( 'Performance', 'keysmith' ),
				'color' => 'critical' === $status ? 'red' : 'blue',
			),
			'description' => $description,
			'actions'     => $actions,
			'test'        => self::TEST,
		);
	}

	private static function is_forced( ExtensionStatus $status ): bool {
		return in_array( $status->fallback_reason, array( Crypto::REASON_FORCED_CONSTANT, Crypto::REASON_FORCED_ENV, Crypto::REASON_FORCED_FILTER ), true );
	}

	private static function twin_reason( ExtensionStatus $status ): string {
		switch ( $status->fallback_reason ) {
			case Crypto::REASON_FORCED_CONSTANT:
				return __( 'The keysmith extension is loaded, but the constant KEYSMITH_FORCE_FALLBACK turns it off. Remove that constant (usually from wp-config.php) to use it.', 'keysmith' );
			case Crypto::REASON_FORCED_ENV:
				return __( 'The keysmith extension is loaded, but the environment variable KEYSMITH_FORCE_FALLBACK=1 turns it off. Remove it from the PHP-FPM pool or web server environment to use it.', 'keysmith' );
			case Crypto::REASON_FORCED_FILTER:
				return __( 'The keysmith extension is loaded, but code on this site turns it off through the keysmith_use_native filter.', 'keysmith' );
			default:
				return __( 'The keysmith PHP extension is not installed on this server.', 'keysmith' );
		}
	}

	private static function broken_consequence( ExtensionStatus $status ): string {
		if ( Crypto::MODE_FALLBACK === $status->mode ) {
			return __( 'Keysmith does not use it: the pure-PHP twin answers instead, so keys keep working, only slower. Install the extension that matches this plugin and this PHP:', 'keysmith' );
		}
		return __( 'Keysmith still uses it. Turn it off now by adding define( \'KEYSMITH_FORCE_FALLBACK\', true ); to wp-config.php (the pure-PHP twin then answers), and reinstall the extension for this PHP:', 'keysmith' );
	}

	/** What a host runs, with this server's values filled in. */
	private static function host_instructions( ExtensionStatus $status ): string {
		$php      = PHP_MAJOR_VERSION . '.' . PHP_MINOR_VERSION;
		$artifact = self::artifact_name();
		$items    = array(
			sprintf(
				/* translators: %s: a shell command. */
				__( 'From the Keysmith source (needs Rust, libclang and the PHP development package): %s', 'keysmith' ),
				'<code>make install</code>'
			),
			sprintf(
				/* translators: %s: a shell command. */
				__( 'With PIE, the PHP extension installer: %s', 'keysmith' ),
				'<code>pie install keysmith/keysmith</code>'
			),
			sprintf(
				/* translators: 1: file name of a prebuilt extension, 2: a directory, 3: an ini line. */
				__( 'From a prebuilt release: copy %1$s to %2$s as keysmith.so and add %3$s to PHP\'s configuration.', 'keysmith' ),
				'<code>' . esc_html( $artifact ) . '</code>',
				'<code>' . esc_html( (string) ini_get( 'extension_dir' ) ) . '</code>',
				'<code>extension=keysmith.so</code>'
			),
		);
		return self::paragraph(
			sprintf(
				/* translators: 1: required extension version, 2: PHP version such as 8.2, 3: NTS or ZTS. */
				__( 'Ask your host to install keysmith %1$s.x for PHP %2$s (%3$s) in one of these ways, then reload PHP-FPM:', 'keysmith' ),
				$status->required_version,
				$php,
				PHP_ZTS ? 'ZTS' : 'NTS'
			)
		) . '<ul><li>' . implode( '</li><li>', array_map( array( self::class, 'kses_code' ), $items ) ) . '</li></ul>';
	}

	/** The release artifact built for this server (scripts/build-artifact.sh naming). */
	public static function artifact_name(): string {
		$machine = strtolower( php_uname( 'm' ) );
		$machine = array( 'amd64' => 'x86_64', 'arm64' => 'aarch64' )[ $machine ] ?? $machine;
		$system  = array(
			'Linux'  => 'unknown-linux-gnu',
			'Darwin' => 'apple-darwin',
			'BSD'    => 'unknown-freebsd',
		)[ PHP_OS_FAMILY ] ?? strtolower( PHP_OS_FAMILY );
		return sprintf( 'php%d.%d-%s-%s-%s-keysmith.so', PHP_MAJOR_VERSION, PHP_MINOR_VERSION, PHP_ZTS ? 'zts' : 'nts', $machine, $system );
	}

	/** A paragraph of text in which only <code> survives. */
	private static function paragraph( string $html ): string {
		return '<p>' . self::kses_code( $html ) . '</p>';
	}

	private static function kses_code( string $html ): string {
		return wp_kses( $html, array( 'code' => array() ) );
	}

	private static function debug_info_link(): string {
		return sprintf(
			'<p><a href="%s">%s</a></p>',
			esc_url( admin_url( 'site-health.php?tab=debug' ) ),
			esc_html__( 'See the Keysmith section of the Site Health info', 'keysmith' )
		);
	}
}
