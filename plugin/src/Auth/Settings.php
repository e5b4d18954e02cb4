<?php
/**
 * Whether Keysmith's authentication path is on.
 *
 * Option `keysmith_settings['auth_enabled']` (default true) and filter `keysmith_auth_enabled`.
 * When off, Keysmith does not judge requests and WooCommerce verifies credentials alone; Keysmith's
 * key rules (expiry) still hold (KeyRuleGuard). While sealing is engaged the path is on, whatever
 * the setting and the filter say.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Auth;

use Keysmith\Sealing\State;

final class Settings {

	public const OPTION = 'keysmith_settings';

	/**
	 * The admin's setting (what the screen and WP-CLI change), on whatever it says while sealing is
	 * engaged: WooCommerce alone cannot verify a sealed secret (Sealing\State).
	 */
	public static function auth_path_on(): bool {
		if ( State::engaged() ) {
			return true;
		}
		$settings = get_option( self::OPTION, array() );
		return ! is_array( $settings ) || ! array_key_exists( 'auth_enabled', $settings ) || (bool) $settings['auth_enabled'];
	}

	/**
	 * The setting, through the filter: whether Keysmith judges the current request. Always while
	 * sealing is engaged: the filter cannot hand a sealed key to WooCommerce, which would refuse it.
	 */
	public static function auth_enabled(): bool {
		if ( State::engaged() ) {
			return true;
		}
		/**
		 * Filters whether Keysmith authenticates WooCommerce REST API keys itself.
		 *
		 * @param bool $enabled From the keysmith_settings option (default true).
		 */
		return (bool) apply_filters( 'keysmith_auth_enabled', self::auth_path_on() );
	}
}
