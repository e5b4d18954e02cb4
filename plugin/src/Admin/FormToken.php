<?php
/**
 * Single-use tokens for the forms whose result page is rendered in the POST response (the
 * JavaScript-free create and rotate flows, and every confirmed bulk change). Reloading such a
 * page makes the browser resubmit the form; the token makes the second submission a no-op
 * instead of creating or rotating the keys again.
 *
 * A token is random, not secret, and tied to nothing but itself; a used token is remembered for a
 * day as a transient (the database, or the shared object cache where there is one, so every web
 * server sees it). The nonce still does the authentication work.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Admin;

final class FormToken {

	public const FIELD = 'ks_token';

	public static function create(): string {
		return wp_generate_password( 32, false, false );
	}

	/**
	 * Marks the submitted token used. False when it is missing, malformed or already used.
	 *
	 * @param array<string, mixed> $fields Unslashed form fields.
	 */
	public static function claim( array $fields ): bool {
		$token = $fields[ self::FIELD ] ?? '';
		if ( ! is_string( $token ) || 1 !== preg_match( '/^[A-Za-z0-9]{32}$/', $token ) ) {
			return false;
		}
		$name = 'keysmith_form_' . md5( get_current_user_id() . '|' . $token );
		if ( false !== get_transient( $name ) ) {
			return false;
		}
		set_transient( $name, 1, DAY_IN_SECONDS );
		return true;
	}
}
