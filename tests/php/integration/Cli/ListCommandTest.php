<?php
/**
 * `wp keysmith list`: every output format as WP-CLI renders it, and each filter.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Cli;

final class ListCommandTest extends CliTestCase {

	/** @var list<int> admin read ×2, shopmanager read_write ×1 (used), customer write ×1 (WooCommerce-made) */
	private array $ids;

	protected function setUp(): void {
		parent::setUp();
		$admin      = $this->create_keys( 'admin', 2, '--description=nightly {n}' );
		$manager    = $this->create_keys( 'shopmanager', 1, '--permissions=read_write', '--description=erp', '--expires=2099-06-01' );
		$wc         = $this->create_wc_key( self::user_id( 'customer' ), 'write', 'made by WooCommerce' );
		$this->ids  = array( $admin[0]['key_id'], $admin[1]['key_id'], $manager[0]['key_id'], $wc['key_id'] );
		global $wpdb;
		$wpdb->update( $wpdb->prefix . 'woocommerce_api_keys', array( 'last_access' => '2026-01-02 03:04:05' ), array( 'key_id' => $this->ids[2] ) );
	}

	public function test_table_is_wp_clis_ascii_table_with_the_default_fields_and_no_secrets(): void {
		self::on_terminal( 200 );
		$run = $this->wp( 'keysmith', 'list' );

		self::assertSucceeded( $run );
		$lines = explode( "\n", rtrim( $run['stdout'] ) );
		self::assertCount( 8, $lines, 'border, header, border, 4 rows, border' );
		self::assertSame( $lines[0], $lines[2] );
		self::assertSame( $lines[0], $lines[7] );
		self::assertMatchesRegularExpression( '/^\| key_id \| owner +\| description +\| permissions \| truncated_key \| last_access +\| expires_at +\|$/', $lines[1] );
		self::assertStringContainsString( '2026-01-02 03:04:05', $lines[4] );
		self::assertStringContainsString( '2099-06-01 00:00:00', $lines[4] );
		self::assertDoesNotMatchRegularExpression( '/c[sk]_[0-9a-f]{40}/', $run['stdout'] );
	}

	public function test_piped_table_is_tab_separated_with_empty_cells_for_null(): void {
		$run = $this->wp( 'keysmith', 'list', '--fields=key_id,owner,description,last_access,expires_at' );

		self::assertSucceeded( $run );
		self::assertSame(
			"key_id\towner\tdescription\tlast_access\texpires_at\n"
			. "{$this->ids[3]}\tcustomer\tmade by WooCommerce\t\t\n"
			. "{$this->ids[2]}\tshopmanager\terp\t2026-01-02 03:04:05\t2099-06-01 00:00:00\n"
			. "{$this->ids[1]}\tadmin\tnightly 2\t\t\n"
			. "{$this->ids[0]}\tadmin\tnightly 1\t\t\n",
			$run['stdout']
		);
	}

	/**
	 * Newest keys first, as WooCommerce's own key list (ORDER BY key_id DESC), the admin screen and
	 * GET /keys list them.
	 */
	public function test_default_order_is_newest_first_as_woocommerce_and_the_rest_api(): void {
		$newest_first = array_reverse( $this->ids );
		self::assertSame( implode( ' ', $newest_first ), $this->wp( 'keysmith', 'list', '--format=ids' )['stdout'] );
		self::assertSame( implode( ' ', $this->ids ), $this->wp( 'keysmith', 'list', '--format=ids', '--order=asc' )['stdout'] );

		wp_set_current_user( self::user_id( 'admin' ) );
		$rest = rest_do_request( new \WP_REST_Request( 'GET', '/keysmith/v1/keys' ) );
		self::assertSame( $newest_first, array_column( $rest->get_data(), 'key_id' ) );
	}

	public function test_ids_count_field_and_fields(): void {
		self::assertSame( '4', $this->wp( 'keysmith', 'list', '--format=count' )['stdout'] );
		self::assertSame( "admin\nadmin\nshopmanager\ncustomer\n", $this->wp( 'keysmith', 'list', '--field=owner', '--order=asc' )['stdout'] );
		self::assertSame( '["nightly 1","nightly 2","erp","made by WooCommerce"]', $this->wp( 'keysmith', 'list', '--field=description', '--format=json', '--order=asc' )['stdout'] );

		$json = json_decode( $this->wp( 'keysmith', 'list', '--fields=key_id,created_at,rotated_from', '--format=json' )['stdout'], true );
		self::assertSame( array( 'key_id', 'created_at', 'rotated_from' ), array_keys( $json[0] ) );
		self::assertNull( $json[0]['created_at'], 'a key WooCommerce made has no creation date' );

		$csv = explode( "\n", trim( $this->wp( 'keysmith', 'list', '--fields=key_id,permissions', '--format=csv', '--order=asc' )['stdout'] ) );
		self::assertSame( array( 'key_id,permissions', $this->ids[0] . ',read', $this->ids[1] . ',read', $this->ids[2] . ',read_write', $this->ids[3] . ',write' ), $csv );

		self::assertStringStartsWith( "---\n- \n  key_id: {$this->ids[0]}\n  owner: admin\n", $this->wp( 'keysmith', 'list', '--format=yaml', '--order=asc' )['stdout'] );
		self::assertSame( '[{"key_id":' . $this->ids[0] . '}]', $this->wp( 'keysmith', 'list', '--search=nightly 1', '--fields=key_id', '--json' )['stdout'], '--json is WP-CLI\'s old spelling of --format=json' );
	}

	public function test_filters(): void {
		$ids = fn( string ...$args ): string => $this->wp( 'keysmith', 'list', '--format=ids', '--order=asc', ...$args )['stdout'];

		self::assertSame( "{$this->ids[0]} {$this->ids[1]}", $ids( '--owner=admin' ) );
		self::assertSame( "{$this->ids[2]} {$this->ids[3]}", $ids( '--owner=shopmanager,customer@example.test' ) );
		self::assertSame( "{$this->ids[2]} {$this->ids[3]}", $ids( '--permissions=read_write,write' ) );
		self::assertSame( (string) $this->ids[1], $ids( '--search=nightly 2' ) );
		self::assertSame( "{$this->ids[0]} {$this->ids[1]} {$this->ids[3]}", $ids( '--never-used' ) );
		self::assertSame( implode( ' ', $this->ids ), $ids( '--unused-since=2026-02-01' ) );
		self::assertSame( "{$this->ids[0]} {$this->ids[1]} {$this->ids[3]}", $ids( '--unused-since=2026-01-01' ) );
		self::assertSame( (string) $this->ids[2], $ids( '--expires-before=2100-01-01' ) );
		self::assertSame( '', $ids( '--expired' ) );
		self::force_expiry( $this->ids[0], '2020-01-01 00:00:00' );
		self::assertSame( (string) $this->ids[0], $ids( '--expired' ) );
		self::assertSame( "{$this->ids[3]} {$this->ids[2]} {$this->ids[1]} {$this->ids[0]}", $this->wp( 'keysmith', 'list', '--format=ids', '--order=desc' )['stdout'] );
		self::assertSame( "{$this->ids[2]} {$this->ids[3]} {$this->ids[0]} {$this->ids[1]}", $ids( '--orderby=description' ) );
		self::assertSame( "{$this->ids[0]} {$this->ids[1]} {$this->ids[2]}", $ids( '--created-after=-1 hour' ) );
	}

	public function test_bad_input_fails_with_wp_clis_messages(): void {
		self::assertFailedWith( 'Invalid field: secret.', $this->wp( 'keysmith', 'list', '--fields=key_id,secret' ) );
		self::assertFailedWith( "Invalid value specified for 'format'", $this->wp( 'keysmith', 'list', '--format=xml' ) );
		self::assertFailedWith( 'Invalid date for --unused-since: "yesterday"', $this->wp( 'keysmith', 'list', '--unused-since=yesterday' ) );
		self::assertFailedWith( 'Invalid date for --expires-before: "soon"', $this->wp( 'keysmith', 'list', '--expires-before=soon' ) );
		self::assertFailedWith( 'Invalid date for --created-after: "soon"', $this->wp( 'keysmith', 'list', '--created-after=soon' ) );
		self::assertFailedWith( 'Invalid date for --created-before: "soon"', $this->wp( 'keysmith', 'list', '--created-before=soon' ) );
		self::assertFailedWith( "Invalid user ID, email or login: 'ghost'", $this->wp( 'keysmith', 'list', '--owner=ghost' ) );
		self::assertFailedWith( "Invalid value specified for 'orderby'", $this->wp( 'keysmith', 'list', '--orderby=consumer_secret' ) );
	}

	public function test_source_is_a_field_and_a_filter(): void {
		global $wpdb;
		// The WooCommerce-made key was recorded as made by app authorization; a second one has no record yet.
		$wpdb->insert( $wpdb->prefix . 'keysmith_key_meta', array( 'key_id' => $this->ids[3], 'source' => 'wc-auth', 'app_name' => 'Zapier' ) );
		$unseen = $this->create_wc_key( self::user_id( 'customer' ) )['key_id'];

		self::assertSame(
			"key_id\tsource\tapp_name\n{$this->ids[0]}\tkeysmith\t\n{$this->ids[1]}\tkeysmith\t\n{$this->ids[2]}\tkeysmith\t\n{$this->ids[3]}\twc-auth\tZapier\n$unseen\tunknown\t\n",
			$this->wp( 'keysmith', 'list', '--fields=key_id,source,app_name', '--order=asc' )['stdout']
		);
		self::assertSame( (string) $this->ids[3], $this->wp( 'keysmith', 'list', '--source=wc-auth', '--format=ids' )['stdout'] );
		self::assertSame( (string) $unseen, $this->wp( 'keysmith', 'list', '--source=unknown', '--format=ids' )['stdout'], 'no record reads as unknown' );
		self::assertSame( '4', $this->wp( 'keysmith', 'list', '--source=keysmith,wc-auth', '--format=count' )['stdout'] );
		self::assertFailedWith( 'Invalid source "nonsense": expected keysmith, woocommerce, wc-auth, unknown.', $this->wp( 'keysmith', 'list', '--source=nonsense' ) );
	}

	public function test_failing_keys_fields_and_filter(): void {
		$failing = $this->create_keys( 'admin', 1, '--description=polls with an old secret' )[0];
		self::refuse_requests( $failing['consumer_key'], 2 );

		self::assertSame( (string) $failing['key_id'], $this->wp( 'keysmith', 'list', '--failing', '--format=ids' )['stdout'] );
		self::assertSame( '1', $this->wp( 'keysmith', 'list', '--failing', '--format=count' )['stdout'] );
		$rows = json_decode( $this->wp( 'keysmith', 'list', '--fields=key_id,failures_24h,last_failure,last_failure_ip,last_failure_reason', '--format=json' )['stdout'], true );
		$rows = array_column( $rows, null, 'key_id' );
		self::assertSame( array( 2, '127.0.0.1', 'Invalid signature - provided signature does not match.' ), array( $rows[ $failing['key_id'] ]['failures_24h'], $rows[ $failing['key_id'] ]['last_failure_ip'], $rows[ $failing['key_id'] ]['last_failure_reason'] ) );
		self::assertEqualsWithDelta( time(), strtotime( $rows[ $failing['key_id'] ]['last_failure'] . ' UTC' ), 10, 'UTC, as created_at' );
		self::assertSame( array( 0, null, null, null ), array_values( array_diff_key( $rows[ $this->ids[0] ], array( 'key_id' => 0 ) ) ), 'keys nobody was refused with' );
		self::assertSame( '', $this->wp( 'keysmith', 'list', '--failing', '--owner=shopmanager', '--format=ids' )['stdout'], 'combines with the other filters' );
	}
}
