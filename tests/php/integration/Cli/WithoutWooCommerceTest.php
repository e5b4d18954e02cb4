<?php
/**
 * `wp keysmith` on a site where WooCommerce is not active: `doctor` still runs and names the
 * problem with its fix; every other subcommand refuses clearly and changes nothing. Runs as real
 * processes through tests/cli/wp with KEYSMITH_CLI_WITHOUT_WOOCOMMERCE=1 (WooCommerce listed as
 * active but its files gone, so the contract fixture stands down and WC_VERSION is undefined).
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Cli;

final class WithoutWooCommerceTest extends CliTestCase {

	protected function setUp(): void {
		parent::setUp();
		putenv( 'KEYSMITH_CLI_WITHOUT_WOOCOMMERCE=1' );
	}

	protected function tearDown(): void {
		putenv( 'KEYSMITH_CLI_WITHOUT_WOOCOMMERCE' );
		parent::tearDown();
	}

	public function test_doctor_runs_and_names_the_missing_woocommerce_with_its_fix(): void {
		$run = self::shell( '', 'keysmith', 'doctor', '--format=json' );

		self::assertSame( 1, $run['exit'], $run['stderr'] );
		self::assertSame( "Error: 1 check failed; see its fix above.\n", $run['stderr'] );
		$checks = array_column( json_decode( $run['stdout'], true, 512, JSON_THROW_ON_ERROR ), null, 'check' );
		self::assertSame(
			array( 'check' => 'woocommerce', 'status' => 'error', 'detail' => 'WooCommerce is not active.', 'fix' => 'wp plugin install woocommerce --activate' ),
			$checks['woocommerce'],
			'the harness has no WooCommerce files, so activating alone would not do'
		);
		self::assertSame( 'ok', $checks['tables']['status'] );
		self::assertSame( extension_loaded( 'keysmith' ) ? 'ok' : 'warning', $checks['extension']['status'], 'the other checks still run' );
	}

	/** @return array<string, array{0: list<string>}> */
	public static function other_subcommands(): array {
		return array(
			'create' => array( array( '--user=admin', 'keysmith', 'create', '--owner=admin', '--porcelain' ) ),
			'list'   => array( array( 'keysmith', 'list', '--format=count' ) ),
			'revoke' => array( array( 'keysmith', 'revoke', '--all', '--yes' ) ),
			'update' => array( array( 'keysmith', 'update', 'KEY', '--permissions=write' ) ),
			'rotate' => array( array( 'keysmith', 'rotate', 'KEY', '--grace=1h', '--porcelain' ) ),
			'verify' => array( array( 'keysmith', 'verify', 'ck_' . str_repeat( 'a', 40 ), 'cs_' . str_repeat( 'b', 40 ) ) ),
			'audit'  => array( array( 'keysmith', 'audit', '--format=count' ) ),
			'bench'  => array( array( 'keysmith', 'bench', '--count=5' ) ),
		);
	}

	/**
	 * @dataProvider other_subcommands
	 * @param list<string> $argv
	 */
	public function test_every_other_subcommand_refuses_and_changes_nothing( array $argv ): void {
		putenv( 'KEYSMITH_CLI_WITHOUT_WOOCOMMERCE' );
		$key = (string) $this->create_keys( 'admin' )[0]['key_id'];
		putenv( 'KEYSMITH_CLI_WITHOUT_WOOCOMMERCE=1' );
		$before     = self::snapshot();
		$subcommand = $argv[ array_search( 'keysmith', $argv, true ) + 1 ];

		$run = self::shell( '', ...array_map( static fn( string $arg ): string => 'KEY' === $arg ? $key : $arg, $argv ) );

		self::assertSame( 1, $run['exit'], $run['stdout'] );
		self::assertSame( "Error: WooCommerce is not active: `wp keysmith $subcommand` needs it. Activate WooCommerce (wp plugin activate woocommerce); `wp keysmith doctor` shows what else is missing.\n", $run['stderr'] );
		self::assertSame( '', $run['stdout'] );
		self::assertSame( $before, self::snapshot() );
	}
}
