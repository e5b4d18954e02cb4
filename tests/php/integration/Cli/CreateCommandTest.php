<?php
/**
 * `wp keysmith create`: output formats, owners by ID/login/email, and refusals that change nothing.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Cli;

final class CreateCommandTest extends CliTestCase {

	public function test_table_output_shows_each_new_pair_once_and_matches_what_woocommerce_stores(): void {
		self::on_terminal( 250 ); // ASCII borders, wide enough not to wrap the keys.
		$run = $this->wp( 'keysmith', 'create', '--owner=shopmanager', '--count=2', '--description=ERP {n}', '--permissions=read_write' );

		self::assertSucceeded( $run );
		self::assertMatchesRegularExpression( '/^\+-+\+/', $run['stdout'] );
		self::assertStringContainsString( '| key_id | owner       | description | permissions | consumer_key', $run['stdout'] );
		self::assertStringContainsString( "\033[32;1mSuccess:\033[0m Created 2 keys.", $run['stdout'], 'the label is coloured on a terminal' );
		preg_match_all( '/\| (\d+) +\| shopmanager \| (ERP \d) +\| read_write +\| (ck_[0-9a-f]{40}) \| (cs_[0-9a-f]{40}) \|/', $run['stdout'], $rows, PREG_SET_ORDER );
		self::assertCount( 2, $rows, $run['stdout'] );
		foreach ( $rows as $i => list( , $key_id, $description, $ck, $cs ) ) {
			$stored = self::wc_key_row( (int) $key_id );
			self::assertSame( 'ERP ' . ( $i + 1 ), $description );
			self::assertSame( hash_hmac( 'sha256', $ck, 'wc-api' ), $stored['consumer_key'], 'WooCommerce stores the hash of the printed key' );
			self::assertSame( $cs, $stored['consumer_secret'] );
			self::assertSame( (string) self::user_id( 'shopmanager' ), $stored['user_id'] );
		}
	}

	public function test_porcelain_prints_only_key_and_secret_lines(): void {
		$run = $this->wp( 'keysmith', 'create', '--owner=admin', '--count=3', '--porcelain' );

		self::assertSucceeded( $run );
		$lines = explode( "\n", rtrim( $run['stdout'], "\n" ) );
		self::assertCount( 3, $lines );
		foreach ( $lines as $line ) {
			self::assertMatchesRegularExpression( '/^ck_[0-9a-f]{40} cs_[0-9a-f]{40}$/', $line );
		}
		self::assertSame( 3, self::count_rows( 'woocommerce_api_keys' ) );
	}

	public function test_json_csv_and_yaml_carry_the_same_fields_and_nothing_else_on_stdout(): void {
		$keys = $this->create_keys( 'customer', 2, '--expires=2099-01-01' );
		self::assertSame( array( 'key_id', 'owner', 'description', 'permissions', 'consumer_key', 'consumer_secret', 'expires_at' ), array_keys( $keys[0] ) );
		self::assertSame( '2099-01-01 00:00:00', $keys[0]['expires_at'] );
		self::assertSame( 'read', $keys[1]['permissions'], 'default permissions' );

		$csv = $this->wp( 'keysmith', 'create', '--owner=customer', '--format=csv' );
		self::assertSucceeded( $csv );
		$lines = explode( "\n", trim( $csv['stdout'] ) );
		self::assertSame( 'key_id,owner,description,permissions,consumer_key,consumer_secret,expires_at', $lines[0] );
		self::assertCount( 2, $lines );

		$yaml = $this->wp( 'keysmith', 'create', '--owner=customer', '--format=yaml' );
		self::assertSucceeded( $yaml );
		self::assertStringStartsWith( "---\n- \n  key_id: ", $yaml['stdout'], 'Spyc writes "- " and a newline before a nested item' );
		self::assertStringNotContainsString( 'Success', $yaml['stdout'] );
	}

	public function test_piped_table_output_is_tab_separated(): void {
		$run = $this->wp( 'keysmith', 'create', '--owner=shopmanager', '--description=ERP', '--expires=2099-01-01' );

		self::assertSucceeded( $run );
		$lines = explode( "\n", $run['stdout'] );
		self::assertSame( "key_id\towner\tdescription\tpermissions\tconsumer_key\tconsumer_secret\texpires_at", $lines[0] );
		self::assertMatchesRegularExpression( "/^\\d+\tshopmanager\tERP\tread\tck_[0-9a-f]{40}\tcs_[0-9a-f]{40}\t2099-01-01 00:00:00$/", $lines[1] );
		self::assertStringStartsWith( 'Success: Created 1 key.', $lines[2] );
	}

	public function test_a_bare_expires_is_dropped_with_wp_clis_warning(): void {
		$run = $this->wp( 'keysmith', 'create', '--owner=admin', '--expires', '--format=json' );

		self::assertSucceeded( $run );
		self::assertSame( "Warning: --expires parameter needs a value\n", $run['stderr'], 'WP-CLI warns and runs the command without the option' );
		self::assertNull( json_decode( $run['stdout'], true )[0]['expires_at'] );
	}

	/**
	 * Without --description, each key is "Keysmith <today> #<n>" (the documented default), so
	 * every key gets its own description. WP-CLI reads the `default:` line as YAML (Spyc), where an
	 * unquoted " #" starts a comment: the default must reach the command whole.
	 */
	public function test_default_description_numbers_each_key(): void {
		$keys  = $this->create_keys( 'admin', 2 );
		$today = gmdate( 'Y-m-d' );

		self::assertSame( array( "Keysmith $today #1", "Keysmith $today #2" ), array_column( $keys, 'description' ) );
	}

	public function test_owners_by_id_login_and_email_each_get_count_keys(): void {
		$owner = $this->create_user( 'customer' );
		$email = get_userdata( $owner )->user_email;
		$keys  = $this->create_keys( self::user_id( 'admin' ) . ',shopmanager,' . $email, 2, '--description={user} #{n}' );

		self::assertCount( 6, $keys );
		$descriptions = array_column( $keys, 'description' );
		self::assertSame( array( 'admin #1', 'admin #2', 'shopmanager #1', 'shopmanager #2' ), array_slice( $descriptions, 0, 4 ) );
		self::assertSame( get_userdata( $owner )->user_login, $keys[5]['owner'] );
	}

	public function test_refusals_change_nothing(): void {
		$this->create_keys( 'admin' );
		$before = self::snapshot();

		self::assertFailedWith( "Invalid user ID, email or login: 'nobody'", $this->wp( 'keysmith', 'create', '--owner=admin,nobody' ) );
		self::assertFailedWith( 'Invalid date for --expires: "next tuesday"', $this->wp( 'keysmith', 'create', '--owner=admin', '--expires=next tuesday' ) );
		self::assertFailedWith( 'The expiry 2001-01-01 is not in the future.', $this->wp( 'keysmith', 'create', '--owner=admin', '--expires=2001-01-01' ) );
		self::assertFailedWith( '--count must be a positive whole number.', $this->wp( 'keysmith', 'create', '--owner=admin', '--count=0' ) );
		self::assertFailedWith( 'The number of keys must be between 1 and 10000 in all (count per user × 2 users).', $this->wp( 'keysmith', 'create', '--owner=admin,shopmanager', '--count=6000' ) );
		self::assertSame( "Error: The number of keys must be between 1 and 10000.\n", $this->wp( 'keysmith', 'create', '--owner=admin', '--count=10001' )['stderr'], 'one owner: no "× 1 users"' );
		self::assertFailedWith( "Parameter errors:\n Invalid value specified for 'permissions'", $this->wp( 'keysmith', 'create', '--owner=admin', '--permissions=admin' ) );
		self::assertFailedWith( 'Give --owner=<user>, or run the command as a user: wp --user=<user> keysmith create', $this->wp( 'keysmith', 'create' ) );
		self::assertFailedWith( "Parameter errors:\n unknown --user_id parameter", $this->wp( 'keysmith', 'create', '--owner=admin', '--user_id=3' ) );
		self::assertFailedWith( 'The description is longer than 200 characters.', $this->wp( 'keysmith', 'create', '--owner=admin', '--description=' . str_repeat( 'x', 201 ) ) );

		self::assertSame( $before, self::snapshot() );
	}

	/**
	 * Without --owner the keys are the acting user's (WP-CLI's --user, resolved as WP-CLI
	 * resolves it), as WooCommerce's "Add key" screen defaults the key's user to the current user.
	 */
	public function test_without_owner_the_keys_are_the_acting_users(): void {
		$admin = $this->create_keys_as( '--user=admin', '--count=3' );
		self::assertSame( array( 'admin', 'admin', 'admin' ), array_column( $admin, 'owner' ) );
		foreach ( $admin as $key ) {
			self::assertSame( (string) self::user_id( 'admin' ), self::wc_key_row( $key['key_id'] )['user_id'] );
		}

		$manager = get_userdata( self::user_id( 'shopmanager' ) );
		foreach ( array( (string) $manager->ID, $manager->user_email, 'shopmanager' ) as $who ) {
			self::assertSame( array( 'shopmanager' ), array_column( $this->create_keys_as( "--user=$who" ), 'owner' ), "--user=$who" );
		}
	}

	/**
	 * --owner reads a user as WP-CLI reads --user (the stand-in's --user is proved against real
	 * WP-CLI by the fixture-user-* transcripts): the same term names the same user both ways.
	 */
	public function test_owner_is_resolved_as_wp_cli_resolves_user(): void {
		$pid  = getmypid();
		$user = get_userdata( $this->create_user( 'customer', array( 'user_login' => "login.$pid@example.test", 'user_email' => "mail.$pid@example.test" ) ) );
		foreach ( array( (string) $user->ID, "$user->ID.0", "login.$pid@example.test", "mail.$pid@example.test" ) as $term ) {
			$as_user  = array_column( $this->create_keys_as( "--user=$term" ), 'owner' );
			$as_owner = array_column( $this->create_keys( $term ), 'owner' );
			self::assertSame( array( $user->user_login ), $as_user, "--user=$term" );
			self::assertSame( $as_user, $as_owner, "--owner=$term" );
		}
	}

	/** @return list<array<string, mixed>> */
	private function create_keys_as( string ...$argv ): array {
		$run = $this->wp( $argv[0], 'keysmith', 'create', '--format=json', ...array_slice( $argv, 1 ) );
		self::assertSucceeded( $run );
		return json_decode( $run['stdout'], true );
	}

	public function test_global_user_is_the_actor_and_woocommerces_owner_rule_applies(): void {
		$before = self::snapshot();
		$run    = $this->wp( '--user=shopmanager', 'keysmith', 'create', '--owner=admin' );
		self::assertFailedWith( 'You do not have permission to assign API Keys to the selected user.', $run );
		self::assertSame( $before, self::snapshot(), 'a shop manager cannot give keys to an administrator' );

		$customer = $this->create_user( 'customer' );
		$keys     = $this->create_keys( (string) $customer, 1, '--user=shopmanager' );
		$audit = \Keysmith\Store\AuditLog::query( array( 'key_id' => $keys[0]['key_id'] ) )['items'][0];
		self::assertSame( self::user_id( 'shopmanager' ), $audit['actor_id'] );
		self::assertSame( 'cli', $audit['source'] );
		self::assertSame( 'create', $audit['action'] );
	}
}
