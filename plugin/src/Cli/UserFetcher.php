<?php
/**
 * Finds users the way WP-CLI's own Fetchers\User does: by ID when numeric, by email when it looks
 * like one, else by login. Used for --owner and --actor, whose values come from people.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Cli;

use WP_Error;
use WP_User;

final class UserFetcher {

	/** The user for an ID, email or login, or null. */
	public static function get( string $id_email_or_login ): ?WP_User {
		$value = trim( $id_email_or_login );
		if ( '' === $value ) {
			return null;
		}
		if ( ctype_digit( $value ) ) {
			$user = get_user_by( 'id', (int) $value );
		} elseif ( is_email( $value ) ) {
			$user = get_user_by( 'email', $value );
		} else {
			$user = get_user_by( 'login', $value );
		}
		return $user instanceof WP_User ? $user : null;
	}

	/**
	 * User IDs for a comma-separated list ("12,shop-bot,ops@example.com").
	 *
	 * @return list<int>|WP_Error The first value that matches nobody is the error.
	 */
	public static function ids( string $list ): array|WP_Error {
		$ids = array();
		foreach ( explode( ',', $list ) as $value ) {
			$user = self::get( $value );
			if ( null === $user ) {
				/* translators: %s: what the user typed. */
				return new WP_Error( 'keysmith_invalid_user', sprintf( __( "Invalid user ID, email or login: '%s'", 'keysmith' ), trim( $value ) ) );
			}
			$ids[ $user->ID ] = $user->ID;
		}
		return array_values( $ids );
	}

	/** The login of a user ID, '' when there is none (0 = nobody, e.g. WP-CLI without --user). */
	public static function login( int $user_id ): string {
		static $logins = array();
		if ( ! isset( $logins[ $user_id ] ) ) {
			$user                = $user_id > 0 ? get_userdata( $user_id ) : false;
			$logins[ $user_id ] = $user instanceof WP_User ? $user->user_login : '';
		}
		return $logins[ $user_id ];
	}
}
