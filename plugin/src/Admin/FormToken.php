<?php
/**
 * Single-use tokens for the forms whose result page is rendered in the POST response (the
 * JavaScript-free create and rotate flows, and every confirmed bulk change). Reloading such a
 * page makes the browser resubmit the form; the token makes the second submission a no-op
 * instead of creating or rotating the keys again.
 *
 * A token is random, not secret, and tied to nothing but itself; a used token is remembered for a
 * day as a transient (the database, or the shared object cache where there is one, so every web
 * server sees it), written with "add" semantics so that two racing submissions cannot both claim
 * it. The nonce still does the authentication work.
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
		return self::add_transient( 'keysmith_form_' . md5( get_current_user_id() . '|' . $token ) );
	}

	/**
	 * Stores the transient $name unless it exists, in one atomic step; false when it existed.
	 * get_transient() then set_transient() would leave a window between the read and the write in
	 * which a double-clicked submit, served by two PHP processes, passes twice. WordPress has no
	 * "add transient", so this writes what set_transient() writes (same group or rows, so WordPress
	 * expires and cleans them up), with an insert that fails on an existing name.
	 */
	private static function add_transient( string $name ): bool {
		if ( wp_using_ext_object_cache() ) {
			return wp_cache_add( $name, 1, 'transient', DAY_IN_SECONDS );
		}
		global $wpdb;
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery -- an atomic add has no WordPress API.
		$inserted = $wpdb->query(
			$wpdb->prepare(
				"INSERT IGNORE INTO {$wpdb->options} (option_name, option_value, autoload) VALUES (%s, %s, 'no'), (%s, '1', 'no')",
				'_transient_timeout_' . $name,
				(string) ( time() + DAY_IN_SECONDS ),
				'_transient_' . $name
			)
		);
		return 2 === $inserted;
	}
}
