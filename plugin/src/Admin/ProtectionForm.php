<?php
/**
 * The Protection view's settings form: early refusals (Auth\EarlyGate) and the failure throttle
 * (Auth\Throttle, which validates its settings for this screen and `wp keysmith throttle set`
 * alike; the window is typed as a duration, in the syntax of Store\Durations).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Admin;

use Keysmith\Auth\EarlyGate;
use Keysmith\Auth\Throttle;
use Keysmith\Store\Durations;
use WP_Error;

final class ProtectionForm {

	public const NONCE_ACTION = 'keysmith-protection';

	/** The submit button's name: its presence says the fields below were posted. */
	public const SAVE = 'keysmith_protection_save';

	/** The reset button's name (same form, same nonce). */
	public const RESET = 'keysmith_throttle_reset';

	/**
	 * The form's values: the submitted ones (shown again after an error; an unticked box is not
	 * posted at all), else the settings in force.
	 *
	 * @param array<string, mixed> $fields Unslashed.
	 * @return array{ks_early_refusals: bool, ks_throttle_enabled: bool, ks_max_failures: string, ks_max_unknown: string, ks_window: string}
	 */
	public static function values( array $fields ): array {
		$throttle = Throttle::settings();
		$shown    = array(
			'ks_early_refusals'   => EarlyGate::setting_on(),
			'ks_throttle_enabled' => $throttle['enabled'],
			'ks_max_failures'     => (string) $throttle['max_failures'],
			'ks_max_unknown'      => (string) $throttle['max_unknown'],
			'ks_window'           => Durations::format( $throttle['window'] ),
		);
		if ( ! isset( $fields[ self::SAVE ] ) ) {
			return $shown;
		}
		$shown['ks_early_refusals']   = isset( $fields['ks_early_refusals'] );
		$shown['ks_throttle_enabled'] = isset( $fields['ks_throttle_enabled'] );
		foreach ( array( 'ks_max_failures', 'ks_max_unknown', 'ks_window' ) as $name ) {
			$shown[ $name ] = is_string( $fields[ $name ] ?? null ) ? trim( sanitize_text_field( $fields[ $name ] ) ) : '';
		}
		return $shown;
	}

	/**
	 * Saves every setting of the form, or none: the throttle refuses a bad value before anything
	 * is written, and early refusals are set only once the throttle's settings are saved.
	 *
	 * @param array<string, mixed> $fields Unslashed.
	 * @return array{enabled: bool, max_failures: int, max_unknown: int, window: int}|WP_Error The throttle's settings now.
	 */
	public static function save( array $fields ): array|WP_Error {
		$values = self::values( $fields );
		$window = Durations::parse( $values['ks_window'], 'keysmith_invalid_throttle' );
		if ( $window instanceof WP_Error ) {
			return $window;
		}
		$settings = Throttle::update_settings(
			array(
				'enabled'      => $values['ks_throttle_enabled'],
				'max_failures' => self::number( $values['ks_max_failures'] ),
				'max_unknown'  => self::number( $values['ks_max_unknown'] ),
				'window'       => $window,
			)
		);
		if ( ! $settings instanceof WP_Error ) {
			EarlyGate::set_enabled( $values['ks_early_refusals'] );
		}
		return $settings;
	}

	/**
	 * Digits as a number; anything else as typed, for Throttle::update_settings() to refuse with
	 * its rule (the one place that says what a valid count is).
	 */
	private static function number( string $typed ): int|string {
		return 1 === preg_match( '/^\d{1,9}$/', $typed ) ? (int) $typed : $typed;
	}
}
