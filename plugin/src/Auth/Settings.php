<?php
/**
 * Whether Keysmith's authentication path is on.
 *
 * Option `keysmith_settings['auth_enabled']` (default true) and filter `keysmith_auth_enabled`.
 * When off, Keysmith does not judge requests and WooCommerce verifies credentials alone; Keysmith's
 * key rules (expiry) still hold (KeyRuleGuard).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Auth;

final class Settings {

	public const OPTION = 'keysmith_settings';

	/** The admin's setting alone (what the screen and WP-CLI change). */
	public static function auth_path_on(): bool {
		$settings = get_option( self::OPTION, array() );
		return ! is_array( $settings ) || ! array_key_exists( 'auth_enabled', $settings ) || (bool) $settings['auth_enabled'];
	}

	/** The setting, through the filter: whether Keysmith judges the current request. */
	public static function auth_enabled(): bool {
		/**
		 * Filters whether Keysmith authenticates WooCommerce REST API keys itself.
		 *
		 * @param bool $enabled From the keysmith_settings option (default true).
		 */
		return (bool) apply_filters( 'keysmith_auth_enabled', self::auth_path_on() );
	}
}
