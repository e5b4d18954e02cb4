<?php
/**
 * Bulk create: rows exactly as WooCommerce writes them, metadata, audit, and every bad input
 * refused with nothing written.
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Store;

require_once __DIR__ . '/StoreTestCase.php';

use Keysmith\Store\Actor;
use Keysmith\Store\AuditLog;
use WP_Error;

final class CreateTest extends StoreTestCase {

	public function test_rows_are_written_exactly_as_woocommerce_writes_them(): void {
		$actor   = $this->admin_actor();
		$owner   = $this->make_user( 'shop_manager' );
		$created = $this->create( array( 'user_ids' => array( $owner ), 'count' => 3, 'permissions' => 'read_write' ), $actor );

		$this->assertCount( 3, $created );
		foreach ( $created as $key ) {
			$this->assertMatchesRegularExpression( '/^ck_[0-9a-f]{40}$/', $key['consumer_key'] );
			$this->assertMatchesRegularExpression( '/^cs_[0-9a-f]{40}$/', $key['consumer_secret'] );
			$row = $this->wc_row( $key['key_id'] );
			$this->assertSame( (string) $owner, $row['user_id'] );
			$this->assertSame( 'read_write', $row['permissions'] );
			$this->assertSame( hash_hmac( 'sha256', $key['consumer_key'], 'wc-api' ), $row['consumer_key'] );
			$this->assertSame( wc_api_hash( $key['consumer_key'] ), $row['consumer_key'] );
			$this->assertSame( $key['consumer_secret'], $row['consumer_secret'], 'the secret is stored in plaintext, as WooCommerce does' );
			$this->assertSame( substr( $key['consumer_key'], -7 ), $row['truncated_key'] );
			$this->assertNull( $row['nonces'] );
			$this->assertNull( $row['last_access'] );
		}
		$this->assertCount( 3, array_unique( array_column( $created, 'consumer_key' ) ) );
	}

	public function test_a_created_key_authenticates_through_woocommerces_own_code(): void {
		$actor   = $this->admin_actor();
		$owner   = $this->make_user( 'shop_manager' );
		$created = $this->create( array( 'user_ids' => array( $owner ), 'permissions' => 'read' ), $actor );

		$server = $_SERVER;
		$get    = $_GET;
		try {
			$_SERVER['HTTPS']       = 'on';
			$_SERVER['REQUEST_URI'] = '/wp-json/wc/v3/keysmith-test';
			$_GET['consumer_key']    = $created[0]['consumer_key'];
			$_GET['consumer_secret'] = $created[0]['consumer_secret'];
			$auth                    = \WC_REST_Authentication::instance();
			keysmith_wc_contract_reset_auth();
			$this->assertSame( $owner, (int) $auth->authenticate( false ) );

			keysmith_wc_contract_reset_auth();
			$_GET['consumer_secret'] = 'cs_' . str_repeat( '0', 40 );
			$this->assertFalse( $auth->authenticate( false ) );
		} finally {
			$_SERVER = $server;
			$_GET    = $get;
			keysmith_wc_contract_reset_auth();
		}
	}

	public function test_metadata_and_one_audit_row_per_key(): void {
		$actor   = $this->admin_actor();
		$owner   = $this->make_user();
		$before  = time();
		$created = $this->create( array( 'user_id' => $owner, 'count' => 2, 'expires_at' => '+30 days' ), $actor );

		foreach ( $created as $key ) {
			$meta = self::meta_row( $key['key_id'] );
			$this->assertSame( $actor->user_id, $meta['created_by'] );
			$this->assertEqualsWithDelta( $before, strtotime( $meta['created_at'] . ' UTC' ), 5 );
			$this->assertEqualsWithDelta( $before + 30 * DAY_IN_SECONDS, strtotime( $meta['expires_at'] . ' UTC' ), 5 );
			$this->assertSame( $meta['expires_at'], $key['expires_at'] );
			$this->assertNull( $meta['rotated_from'] );
			$this->assertSame( 'keysmith', $meta['source'], 'Keysmith records where the key was made' );

			$audit = $this->audit_for( $key['key_id'] );
			$this->assertCount( 1, $audit );
			$this->assertSame( 'create', $audit[0]['action'] );
			$this->assertSame( 'admin', $audit[0]['source'] );
			$this->assertSame( $actor->user_id, $audit[0]['actor_id'] );
			$this->assertSame( $owner, $audit[0]['key_owner'] );
			$this->assertSame( $key['truncated_key'], $audit[0]['truncated_key'] );
		}
		$this->assertSame( array( 'wc' => 2, 'meta' => 2, 'audit' => 2 ), $this->counts() );
	}

	public function test_secrets_never_reach_keysmiths_tables(): void {
		global $wpdb;
		$created = $this->create( array( 'user_ids' => array( $this->make_user() ), 'count' => 5 ), $this->admin_actor() );
		$dump    = wp_json_encode( $wpdb->get_results( 'SELECT * FROM ' . \Keysmith\Store\Schema::audit_table() ) ) . wp_json_encode( $wpdb->get_results( 'SELECT * FROM ' . \Keysmith\Store\Schema::meta_table() ) );
		foreach ( $created as $key ) {
			$this->assertStringNotContainsString( $key['consumer_secret'], $dump );
			$this->assertStringNotContainsString( $key['consumer_key'], $dump );
		}
	}

	public function test_description_template_and_several_users(): void {
		$actor = $this->admin_actor();
		$a     = $this->make_user();
		$b     = $this->make_user();
		$created = $this->create( array( 'user_ids' => array( $a, $b ), 'count' => 2, 'description' => 'POS {user} #{n} <b>{date}</b>' ), $actor );

		$this->assertCount( 4, $created );
		$date  = gmdate( 'Y-m-d' );
		$login = static fn( int $id ): string => get_userdata( $id )->user_login;
		$this->assertSame(
			array( "POS {$login($a)} #1 $date", "POS {$login($a)} #2 $date", "POS {$login($b)} #1 $date", "POS {$login($b)} #2 $date" ),
			array_column( $created, 'description' )
		);
		$this->assertSame( array( $a, $a, $b, $b ), array_column( $created, 'user_id' ) );
		$this->assertSame( $created[3]['description'], $this->wc_row( $created[3]['key_id'] )['description'] );
	}

	public function test_a_percent_template_is_sanitized_per_key(): void {
		$created = $this->create( array( 'user_ids' => array( $this->make_user() ), 'count' => 12, 'description' => 'x%{n}y' ), $this->admin_actor() );
		// sanitize_text_field strips %xx octets: "x%10y" becomes "xy" and "x%1y" stays.
		$this->assertSame( 'x%1y', $created[0]['description'] );
		$this->assertSame( 'xy', $created[9]['description'] );
		$this->assertSame( sanitize_text_field( 'x%12y' ), $created[11]['description'] );
	}

	public function test_ten_thousand_keys_in_one_call_all_distinct(): void {
		$created = $this->create( array( 'user_ids' => array( $this->make_user(), $this->make_user() ), 'count' => 5000 ), $this->admin_actor() );
		$this->assertCount( 10000, $created );
		$this->assertCount( 10000, array_unique( array_column( $created, 'key_id' ) ) );
		$this->assertSame( array( 'wc' => 10000, 'meta' => 10000, 'audit' => 10000 ), $this->counts() );
		// Ids map to the right rows even across chunks.
		foreach ( array( 0, 999, 1000, 5001, 9999 ) as $i ) {
			$this->assertSame( wc_api_hash( $created[ $i ]['consumer_key'] ), $this->wc_row( $created[ $i ]['key_id'] )['consumer_key'] );
		}
	}

	public function test_ids_are_found_by_hash_where_auto_increment_may_interleave(): void {
		global $wpdb;
		$actor = $this->admin_actor();
		$owner = $this->make_user();
		$consecutive = static fn(): bool => false; // As with innodb_autoinc_lock_mode=2 or Galera.
		add_filter( 'keysmith_consecutive_insert_ids', $consecutive );
		$lookups = 0;
		$count   = static function ( string $q ) use ( &$lookups ): string {
			$lookups += (int) str_contains( $q, 'AND consumer_key IN (' );
			return $q;
		};
		add_filter( 'query', $count );
		try {
			$created = $this->create( array( 'user_ids' => array( $owner ), 'count' => 1500, 'expires_at' => '+1 day' ), $actor );
		} finally {
			remove_filter( 'keysmith_consecutive_insert_ids', $consecutive );
			remove_filter( 'query', $count );
		}
		$this->assertSame( 2, $lookups, 'one lookup by hash per chunk' );
		foreach ( array( 0, 999, 1000, 1499 ) as $i ) {
			$this->assertSame( wc_api_hash( $created[ $i ]['consumer_key'] ), $this->wc_row( $created[ $i ]['key_id'] )['consumer_key'] );
			$this->assertSame( $created[ $i ]['expires_at'], self::meta_row( $created[ $i ]['key_id'] )['expires_at'] );
			$this->assertSame( 'create', $this->audit_for( $created[ $i ]['key_id'] )[0]['action'] );
		}
		$this->assertSame( array( 'wc' => 1500, 'meta' => 1500, 'audit' => 1500 ), $this->counts() );
		$this->assertSame( 0, (int) $wpdb->get_var( 'SELECT COUNT(*) FROM ' . \Keysmith\Store\Schema::meta_table() . ' m LEFT JOIN ' . \Keysmith\Store\Schema::wc_table() . ' k USING (key_id) WHERE k.key_id IS NULL' ) );
	}

	/** @return array<string, array{0: array<string, mixed>, 1: string}> */
	public static function bad_specs(): array {
		return array(
			'unknown user'          => array( array( 'user_ids' => array( 987654321 ) ), 'keysmith_unknown_user' ),
			'no user'               => array( array( 'user_ids' => array() ), 'keysmith_invalid_user' ),
			'user id not a number'  => array( array( 'user_ids' => array( 'bob' ) ), 'keysmith_invalid_user' ),
			'bad permission'        => array( array( 'permissions' => 'admin' ), 'keysmith_invalid_permissions' ),
			'permission wrong case' => array( array( 'permissions' => 'READ' ), 'keysmith_invalid_permissions' ),
			'empty permission'      => array( array( 'permissions' => '' ), 'keysmith_invalid_permissions' ),
			'count zero'            => array( array( 'count' => 0 ), 'keysmith_invalid_count' ),
			'count negative'        => array( array( 'count' => -1 ), 'keysmith_invalid_count' ),
			'count too large'       => array( array( 'count' => 10001 ), 'keysmith_invalid_count' ),
			'count not a number'    => array( array( 'count' => '5 keys' ), 'keysmith_invalid_count' ),
			'bad date'              => array( array( 'expires_at' => 'tomorrow-ish' ), 'keysmith_invalid_date' ),
			'impossible date'       => array( array( 'expires_at' => '2030-02-31' ), 'keysmith_invalid_date' ),
			'past date'             => array( array( 'expires_at' => '2001-01-01' ), 'keysmith_invalid_date' ),
			'date not a string'     => array( array( 'expires_at' => 1893456000 ), 'keysmith_invalid_date' ),
			'description too long'  => array( array( 'description' => str_repeat( 'd', 201 ) ), 'keysmith_description_too_long' ),
			'template too long'     => array( array( 'description' => str_repeat( 'd', 199 ) . '{n}', 'count' => 10 ), 'keysmith_description_too_long' ),
			'empty description'     => array( array( 'description' => ' <br> ' ), 'keysmith_invalid_description' ),
			'unknown field'         => array( array( 'secret' => 'x' ), 'keysmith_invalid_spec' ),
		);
	}

	/**
	 * @dataProvider bad_specs
	 * @param array<string, mixed> $override
	 */
	public function test_bad_input_is_refused_and_nothing_is_written( array $override, string $code ): void {
		$actor = $this->admin_actor();
		$spec  = array_merge( array( 'user_ids' => array( $this->make_user() ), 'count' => 2, 'permissions' => 'read' ), $override );
		$result = $this->service->create( $spec, $actor );
		$this->assertInstanceOf( WP_Error::class, $result );
		$this->assertSame( $code, $result->get_error_code() );
		$this->assertNotSame( '', $result->get_error_message() );
		$this->assertSame( array( 'wc' => 0, 'meta' => 0, 'audit' => 0 ), $this->counts() );
	}

	public function test_total_over_ten_thousand_across_users_is_refused(): void {
		$result = $this->service->create( array( 'user_ids' => array( $this->make_user(), $this->make_user(), $this->make_user() ), 'count' => 4000, 'permissions' => 'read' ), $this->admin_actor() );
		$this->assertSame( 'keysmith_invalid_count', $result->get_error_code() );
		$this->assertSame( 0, $this->counts()['wc'] );
	}

	public function test_exactly_two_hundred_characters_is_accepted(): void {
		$created = $this->create( array( 'user_ids' => array( $this->make_user() ), 'description' => str_repeat( 'é', 200 ) ), $this->admin_actor() );
		$this->assertSame( str_repeat( 'é', 200 ), $this->wc_row( $created[0]['key_id'] )['description'] );
	}

	public function test_woocommerces_ownership_rule(): void {
		$manager = $this->make_user( 'shop_manager' );
		$admin   = $this->make_user( 'administrator' );
		$other   = $this->make_user( 'customer' );

		wp_set_current_user( $manager );
		$own = $this->service->create( array( 'user_ids' => array( $manager ), 'permissions' => 'read' ), Actor::current( 'admin' ) );
		$this->assertIsArray( $own, 'a user may always assign a key to themselves' );

		$refused = $this->service->create( array( 'user_ids' => array( $other, $admin ), 'permissions' => 'read' ), Actor::current( 'rest' ) );
		$this->assertInstanceOf( WP_Error::class, $refused );
		$this->assertSame( 'keysmith_cannot_assign', $refused->get_error_code() );
		$this->assertSame( 'You do not have permission to assign API Keys to the selected user.', $refused->get_error_message() );
		$this->assertSame( 1, $this->counts()['wc'] );

		wp_set_current_user( 0 );
		$this->assertIsArray( $this->service->create( array( 'user_ids' => array( $admin ), 'permissions' => 'read' ), Actor::current( 'cli' ) ), 'WP-CLI without --user may assign to anyone' );
		$this->assertInstanceOf( WP_Error::class, $this->service->create( array( 'user_ids' => array( $admin ), 'permissions' => 'read' ), Actor::current( 'rest' ) ) );
	}

	public function test_audit_log_query_filters(): void {
		$actor = $this->admin_actor();
		$this->create( array( 'user_ids' => array( $this->make_user() ), 'count' => 3 ), $actor );
		$page = AuditLog::query( array( 'action' => 'create', 'actor_id' => $actor->user_id ), 1, 2 );
		$this->assertSame( 3, $page['total'] );
		$this->assertCount( 2, $page['items'] );
		$this->assertSame( 0, AuditLog::query( array( 'action' => 'revoke' ) )['total'] );
	}
}
