<?php
/**
 * Turns what an admin types into a user field ("12", "jane", "jane@example.com", or a comma list
 * of those) into user ids. Existence and the `edit_user` rule are checked again by the store.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Admin;

use WP_Error;
use WP_User;

final class UserLookup {

	/** Most users one create request may name (each gets `count` keys; the store caps the total). */
	public const MAX_USERS = 100;

	/**
	 * @param string $input Comma- or newline-separated ids, logins or emails.
	 * @return list<int>|WP_Error Ids in the order given, without duplicates.
	 */
	public static function ids( string $input ): array|WP_Error {
		$terms = array_filter( array_map( 'trim', preg_split( '/[,\n]+/', $input ) ?: array() ), 'strlen' );
		if ( array() === $terms ) {
			return new WP_Error( 'keysmith_invalid_user', __( 'User is missing.', 'keysmith' ) );
		}
		if ( count( $terms ) > self::MAX_USERS ) {
			/* translators: %d: maximum number of users. */
			return new WP_Error( 'keysmith_invalid_user', sprintf( __( 'Name at most %d users at once.', 'keysmith' ), self::MAX_USERS ) );
		}
		$ids = array();
		foreach ( $terms as $term ) {
			$user = self::find( $term );
			if ( ! $user instanceof WP_User ) {
				/* translators: %s: what the admin typed. */
				return new WP_Error( 'keysmith_unknown_user', sprintf( __( 'No user matches "%s".', 'keysmith' ), $term ) );
			}
			$ids[ $user->ID ] = (int) $user->ID;
		}
		return array_values( $ids );
	}

	/** One user by id, login or email; null when none matches. */
	public static function find( string $term ): ?WP_User {
		$term = trim( $term );
		if ( 1 === preg_match( '/^\d+$/', $term ) ) {
			$user = get_user_by( 'id', (int) $term );
		} elseif ( is_email( $term ) ) {
			$user = get_user_by( 'email', $term );
		} else {
			$user = get_user_by( 'login', $term );
		}
		return $user instanceof WP_User ? $user : null;
	}
}
