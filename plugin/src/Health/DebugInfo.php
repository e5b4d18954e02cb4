<?php
/**
 * The `keysmith` section of Tools > Site Health > Info (filter `debug_information`): what a host
 * or support person needs to see at a glance, and what "Copy site info" pastes into a ticket.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Health;

use Keysmith\Auth\EarlyGate;
use Keysmith\Auth\Settings;
use Keysmith\Auth\Throttle;
use Keysmith\Crypto\Crypto;
use Keysmith\Sealing\Report;

final class DebugInfo {

	public const SECTION = 'keysmith';

	/**
	 * @param array<string,array<string,mixed>> $info
	 * @return array<string,array<string,mixed>>
	 */
	public static function add_section( array $info ): array {
		$info[ self::SECTION ] = self::section( ExtensionStatus::current() );
		return $info;
	}

	/** @return array{label: string, description: string, fields: array<string,array{label: string, value: string, debug: string}>} */
	public static function section( ExtensionStatus $status ): array {
		$not_loaded = __( 'not loaded', 'keysmith' );
		$keys       = self::key_count();
		$auth       = Settings::auth_enabled();
		$early      = EarlyGate::enabled();
		$throttle   = Throttle::settings();
		return array(
			'label'       => __( 'Keysmith', 'keysmith' ),
			'description' => __( 'The keysmith PHP extension, which implementation of Keysmith\'s crypto answers, and the keys it manages.', 'keysmith' ),
			'fields'      => array(
				'extension_version' => self::field( __( 'Extension version', 'keysmith' ), $status->extension_version ?? $not_loaded, $status->extension_version ?? 'not loaded' ),
				'required_version'  => self::field( __( 'Extension version required', 'keysmith' ), $status->required_version . '.x' ),
				'php_api'           => self::field(
					__( 'PHP API (extension built for / this PHP)', 'keysmith' ),
					( $status->built_for_php_api() ?? '-' ) . ' / ' . $status->runtime_php_api
				),
				'thread_safety'     => self::field( __( 'Thread safety', 'keysmith' ), $status->thread_safety() ),
				'mode'              => self::field( __( 'Mode in use', 'keysmith' ), self::mode_label( $status ), self::mode_debug( $status ) ),
				'state'             => self::field( __( 'State', 'keysmith' ), self::state_label( $status ), $status->state . ( null !== $status->problem ? ': ' . $status->problem : '' ) ),
				'key_count'         => self::field( __( 'REST API keys', 'keysmith' ), null === $keys ? __( 'unknown', 'keysmith' ) : number_format_i18n( $keys ), null === $keys ? 'unknown' : (string) $keys ),
				'auth_enabled'      => self::field( __( 'Authentication path', 'keysmith' ), $auth ? __( 'on', 'keysmith' ) : __( 'off', 'keysmith' ), $auth ? 'on' : 'off' ),
				'early_refusals'    => self::field( __( 'Early refusals', 'keysmith' ), $early ? __( 'on', 'keysmith' ) : __( 'off', 'keysmith' ), $early ? 'on' : 'off' ),
				'throttle'          => self::field(
					__( 'Throttle', 'keysmith' ),
					$throttle['enabled']
						/* translators: 1: failures per key and address, 2: failures of unknown keys per address, 3: seconds. */
						? sprintf( __( 'on: %1$d failures per key and address, %2$d for unknown keys, per %3$d s', 'keysmith' ), $throttle['max_failures'], $throttle['max_unknown'], $throttle['window'] )
						: __( 'off', 'keysmith' ),
					$throttle['enabled'] ? sprintf( 'on %d/%d/%ds', $throttle['max_failures'], $throttle['max_unknown'], $throttle['window'] ) : 'off'
				),
			) + self::sealing_fields(),
		);
	}

	/**
	 * Sealing: on or off, where the key comes from (never the key), how the secrets are stored.
	 *
	 * @return array<string,array{label: string, value: string, debug: string}>
	 */
	private static function sealing_fields(): array {
		$report = Report::now();
		$key    = $report->key;
		$counts = $report->counts;
		return array(
			'sealing'         => self::field( __( 'Sealed secrets', 'keysmith' ), $report->state_label(), ( $report->state['enabled'] ? 'on' : 'off' ) . ( null === $report->state['pending'] ? '' : ' (pending ' . $report->state['pending'] . ')' ) ),
			'sealing_key'     => self::field( __( 'Sealing key', 'keysmith' ), $report->key_label(), null === $key->source ? 'none' : $key->source . ' ' . $key->key_file . ' ' . ( $key->fingerprint ?? 'error: ' . $key->error ) ),
			'sealing_secrets' => self::field( __( 'Secrets sealed / in plaintext', 'keysmith' ), $report->counts_label(), sprintf( 'sealed %d, plaintext %d, orphaned %d', $counts['sealed'], $counts['plaintext'], $counts['orphaned'] ) ),
		);
	}

	/** @return array{label: string, value: string, debug: string} */
	private static function field( string $label, string $value, ?string $debug = null ): array {
		return array(
			'label' => $label,
			'value' => $value,
			'debug' => $debug ?? $value,
		);
	}

	private static function mode_label( ExtensionStatus $status ): string {
		if ( Crypto::MODE_NATIVE === $status->mode ) {
			return __( 'native extension', 'keysmith' );
		}
		/* translators: %s: why the twin is used, e.g. not_loaded or forced_constant. */
		return sprintf( __( 'pure-PHP twin (%s)', 'keysmith' ), (string) $status->fallback_reason );
	}

	private static function mode_debug( ExtensionStatus $status ): string {
		return Crypto::MODE_NATIVE === $status->mode ? 'native' : 'fallback (' . $status->fallback_reason . ')';
	}

	private static function state_label( ExtensionStatus $status ): string {
		switch ( $status->state ) {
			case ExtensionStatus::GOOD:
				return __( 'good', 'keysmith' );
			case ExtensionStatus::BROKEN:
				/* translators: %s: what is wrong with the extension. */
				return sprintf( __( 'broken: %s', 'keysmith' ), (string) $status->problem );
			default:
				return __( 'working on the twin', 'keysmith' );
		}
	}

	/**
	 * Rows in WooCommerce's key table. COUNT(*) on InnoDB walks the smallest index: a few
	 * milliseconds even at 100,000 keys, and only when Site Health's Info tab is open.
	 */
	public static function key_count(): ?int {
		global $wpdb;
		$suppress = $wpdb->suppress_errors( true );
		$count    = $wpdb->get_var( "SELECT COUNT(*) FROM `{$wpdb->prefix}woocommerce_api_keys`" ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery -- a live count is the point; no user input.
		$wpdb->suppress_errors( $suppress );
		return null === $count ? null : (int) $count;
	}
}
