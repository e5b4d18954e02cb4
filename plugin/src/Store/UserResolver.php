<?php
/**
 * Turns the users people type (an ID, a login or an email, or a list of them) into user IDs, and
 * user IDs back into logins: one behaviour for the admin screen, WP-CLI and the store's owner checks
 * (which the REST API's integer owners go through).
 *
 * A term is looked up the way WP-CLI looks up its global --user (WP_CLI\Fetchers\User::get()),
 * so `--owner=x` and `--user=x` name the same user: by ID when it is numeric (is_numeric, as
 * WP-CLI: "7" and "7.0"); by email when it looks like one, then by login (a login may be an email
 * address); else by login. (WP-CLI also warns when a numeric term is both an ID and a login; the
 * ID wins there too.) Whether a user may own a key is not decided here: the store checks that
 * (Actor).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

use WP_Error;
use WP_User;

final class UserResolver {

	/** Most users one typed list may name (each gets its own keys; the store caps the keys). */
	public const MAX_USERS = 100;

	/** Logins already looked up in this request, by user ID. @var array<int, string> */
	private static array $logins = array();

	/** One user by ID, email or login; null when none matches. */
	public static function find( string $term ): ?WP_User {
		$term = trim( $term );
		if ( '' === $term ) {
			return null;
		}
		if ( is_numeric( $term ) ) {
			$user = get_user_by( 'id', $term ); // WordPress casts a numeric ID to int itself.
		} elseif ( is_email( $term ) ) {
			$user = get_user_by( 'email', $term ) ?: get_user_by( 'login', $term );
		} else {
			$user = get_user_by( 'login', $term );
		}
		return $user instanceof WP_User ? $user : null;
	}

	/**
	 * One user by ID, email or login, or the error naming what was typed.
	 *
	 * @return WP_User|WP_Error Code keysmith_unknown_user.
	 */
	public static function user( string $term ): WP_User|WP_Error {
		return self::find( $term ) ?? self::unknown( $term );
	}

	/**
	 * User IDs for a typed list: IDs, emails or logins separated by commas or new lines; blank
	 * entries are skipped.
	 *
	 * @return list<int>|WP_Error IDs in the order given, without duplicates. Codes:
	 *                            keysmith_invalid_user (no user, or more than MAX_USERS),
	 *                            keysmith_unknown_user (the first entry that matches nobody).
	 */
	public static function ids( string $list ): array|WP_Error {
		$terms = array_values( array_filter( array_map( 'trim', preg_split( '/[,\n]+/', $list ) ?: array() ), 'strlen' ) );
		if ( array() === $terms ) {
			return new WP_Error( 'keysmith_invalid_user', __( 'User is missing.', 'keysmith' ), array( 'status' => 400 ) );
		}
		if ( count( $terms ) > self::MAX_USERS ) {
			/* translators: %d: maximum number of users. */
			return new WP_Error( 'keysmith_invalid_user', sprintf( __( 'Name at most %d users at once.', 'keysmith' ), self::MAX_USERS ), array( 'status' => 400 ) );
		}
		$ids = array();
		foreach ( $terms as $term ) {
			$user = self::find( $term );
			if ( null === $user ) {
				return self::unknown( $term );
			}
			$ids[ $user->ID ] = (int) $user->ID;
		}
		return array_values( $ids );
	}

	/**
	 * The logins of the users that exist among $ids, in one query.
	 *
	 * @param list<int> $ids
	 * @return array<int, string> User ID => user_login; missing users are left out.
	 */
	public static function logins( array $ids ): array {
		global $wpdb;
		if ( array() === $ids ) {
			return array();
		}
		$rows = $wpdb->get_results(
			$wpdb->prepare( "SELECT ID, user_login FROM {$wpdb->users} WHERE ID IN (" . implode( ',', array_fill( 0, count( $ids ), '%d' ) ) . ')', $ids ), // phpcs:ignore WordPress.DB.PreparedSQL -- placeholders built here.
			ARRAY_A
		);
		$logins = array();
		foreach ( (array) $rows as $row ) {
			$logins[ (int) $row['ID'] ] = (string) $row['user_login'];
		}
		return $logins;
	}

	/** The login of a user ID, '' when there is none (0 = nobody, e.g. WP-CLI without --user). */
	public static function login( int $user_id ): string {
		if ( ! isset( self::$logins[ $user_id ] ) ) {
			$user                     = $user_id > 0 ? get_userdata( $user_id ) : false;
			self::$logins[ $user_id ] = $user instanceof WP_User ? $user->user_login : '';
		}
		return self::$logins[ $user_id ];
	}

	/** The error for a typed user that matches nobody, worded as WP-CLI words it. */
	private static function unknown( string $term ): WP_Error {
		/* translators: %s: what was typed. */
		return new WP_Error( 'keysmith_unknown_user', sprintf( __( "Invalid user ID, email or login: '%s'", 'keysmith' ), trim( $term ) ), array( 'status' => 400 ) );
	}
}
