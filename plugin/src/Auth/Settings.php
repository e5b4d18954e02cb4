<?php
/**
 * Whether Keysmith's accelerated authentication path is on.
 *
 * Option `keysmith_settings['auth_enabled']` (default true) and filter `keysmith_auth_enabled`.
 * When off, Keysmith adds nothing to the request path and WooCommerce alone authenticates.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Auth;

final class Settings {

	public const OPTION = 'keysmith_settings';

	public static function auth_enabled(): bool {
		$settings = get_option( self::OPTION, array() );
		$enabled  = ! is_array( $settings ) || ! array_key_exists( 'auth_enabled', $settings ) || (bool) $settings['auth_enabled'];

		/**
		 * Filters whether Keysmith authenticates WooCommerce REST API keys itself.
		 *
		 * @param bool $enabled From the keysmith_settings option (default true).
		 */
		return (bool) apply_filters( 'keysmith_auth_enabled', $enabled );
	}
}
