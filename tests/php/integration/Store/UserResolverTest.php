<?php
/**
 * The one user resolver (Store\UserResolver) of the admin screen, WP-CLI and the store: IDs,
 * logins and emails, comma or newline lists, and one error for a user that does not exist.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Store;

use Keysmith\Admin\AuditRequest;
use Keysmith\Admin\ListRequest;
use Keysmith\Store\UserResolver;
use Keysmith\Tests\Integration\TestCase;
use WP_Error;
use WP_User;

final class UserResolverTest extends TestCase {

	public function test_user_lookup_by_id_login_or_email(): void {
		$admin = self::user_id( 'admin' );
		$this->assertSame( array( $admin, self::user_id( 'customer' ) ), UserResolver::ids( " $admin, customer@example.test\nadmin " ) );
		$this->assertInstanceOf( WP_Error::class, UserResolver::ids( ' , ' ) );
		$unknown = UserResolver::ids( 'admin, ghost' );
		$this->assertInstanceOf( WP_Error::class, $unknown );
		$this->assertStringContainsString( "'ghost'", $unknown->get_error_message() );
	}

	public function test_one_user_by_id_email_or_login(): void {
		$id   = $this->create_user( 'shop_manager', array( 'user_email' => 'resolver.' . getmypid() . '@example.test' ) );
		$user = get_userdata( $id );
		foreach ( array( (string) $id, " $id ", $user->user_email, $user->user_login ) as $term ) {
			$found = UserResolver::find( $term );
			$this->assertInstanceOf( WP_User::class, $found, $term );
			$this->assertSame( $id, $found->ID, $term );
		}
		$this->assertNull( UserResolver::find( '' ) );
		$this->assertNull( UserResolver::find( 'nobody-like-this' ) );
		$this->assertNull( UserResolver::find( '987654321' ), 'digits are an ID, never a login' );
	}

	/**
	 * WP-CLI's own rule for --user (WP_CLI\Fetchers\User::get()): a numeric term (is_numeric, so
	 * "7.0" too) is an ID; an email-like term is an email, else a login (a login may be an email
	 * address); anything else is a login.
	 */
	public function test_terms_are_read_as_wp_cli_reads_user(): void {
		$pid   = getmypid();
		$alias = $this->create_user( 'customer', array( 'user_login' => "alias.$pid@example.test", 'user_email' => "real.$pid@example.test" ) );
		$other = $this->create_user( 'customer' );

		$this->assertSame( $alias, UserResolver::find( "alias.$pid@example.test" )?->ID, 'an email-like login nobody has as email' );
		$this->assertSame( $alias, UserResolver::find( "real.$pid@example.test" )?->ID );
		$this->assertSame( $other, UserResolver::find( "$other.0" )?->ID, 'is_numeric: an ID' );
		$this->assertSame( $other, UserResolver::find( "0$other" )?->ID );
		$this->assertNull( UserResolver::find( "ghost.$pid@example.test" ) );
	}

	public function test_errors_say_what_was_typed(): void {
		$ghost = UserResolver::user( ' ghost ' );
		$this->assertInstanceOf( WP_Error::class, $ghost );
		$this->assertSame( array( 'keysmith_unknown_user', "Invalid user ID, email or login: 'ghost'" ), array( $ghost->get_error_code(), $ghost->get_error_message() ) );

		$missing = UserResolver::ids( "\n , \n" );
		$this->assertSame( array( 'keysmith_invalid_user', 'User is missing.' ), array( $missing->get_error_code(), $missing->get_error_message() ) );

		$first_unknown = UserResolver::ids( 'admin,ghost-one,ghost-two' );
		$this->assertSame( "Invalid user ID, email or login: 'ghost-one'", $first_unknown->get_error_message() );

		$too_many = UserResolver::ids( implode( ',', array_fill( 0, 101, 'admin' ) ) );
		$this->assertSame( array( 'keysmith_invalid_user', 'Name at most 100 users at once.' ), array( $too_many->get_error_code(), $too_many->get_error_message() ) );
		$this->assertSame( array( self::user_id( 'admin' ) ), UserResolver::ids( implode( "\n", array_fill( 0, 100, 'admin' ) ) ) );
	}

	public function test_the_admin_screen_answers_as_wp_cli_does(): void {
		$_GET = array( 'ks_user' => 'ghost' );
		$this->assertSame( "Invalid user ID, email or login: 'ghost'", ListRequest::from_get()->to_filter()->get_error_message() );
		$_GET = array( 'ks_actor' => 'ghost' );
		$this->assertSame( "Invalid user ID, email or login: 'ghost'", AuditRequest::from_get()->to_query()->get_error_message() );
		$_GET = array();
	}

	public function test_logins_by_id(): void {
		$admin = self::user_id( 'admin' );
		$this->assertSame( array( $admin => 'admin' ), UserResolver::logins( array( $admin, 987654321 ) ) );
		$this->assertSame( array(), UserResolver::logins( array() ) );
		$this->assertSame( 'admin', UserResolver::login( $admin ) );
		$this->assertSame( '', UserResolver::login( 0 ), 'nobody: WP-CLI without --user, cron' );
		$this->assertSame( '', UserResolver::login( 987654321 ) );
	}
}
