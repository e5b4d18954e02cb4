<?php
/**
 * TEST STAND-IN for WP_CLI\Fetchers\User, which resolves the global --user=<id|login|email>:
 * a numeric value is an ID (with a warning when a login is that same number), a value that looks
 * like an email is an email and then a login, anything else a login; WP_CLI_FORCE_USER_LOGIN=1
 * forces login. Not found: "Error: Invalid user ID, email or login: '<value>'".
 *
 * @package Keysmith\Tests\Cli
 */

declare(strict_types=1);

namespace Keysmith\Tests\Cli;

use WP_CLI;

final class UserFetcher {

	public static function get_check( mixed $value ): \WP_User {
		$message = "Invalid user ID, email or login: '%s'";
		if ( getenv( 'WP_CLI_FORCE_USER_LOGIN' ) ) {
			$message = "Invalid user login: '%s'";
			$user    = get_user_by( 'login', $value );
		} elseif ( is_numeric( $value ) ) {
			$by_login = get_user_by( 'login', $value );
			$user     = get_user_by( 'id', $value );
			if ( $by_login && $user ) {
				WP_CLI::warning( sprintf( "Ambiguous user match detected (both ID and user_login exist for identifier '%d'). WP-CLI will default to the ID, but you can force user_login instead with WP_CLI_FORCE_USER_LOGIN=1.", $value ) );
			}
		} elseif ( is_email( $value ) ) {
			$user = get_user_by( 'email', $value ) ?: get_user_by( 'login', $value );
		} else {
			$user = get_user_by( 'login', $value );
		}
		if ( ! $user ) {
			WP_CLI::error( sprintf( $message, $value ) );
		}
		return $user;
	}
}
