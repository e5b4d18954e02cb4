<?php
/**
 * TEST STAND-IN entry point behind tests/cli/wp: runs `wp …` as WP-CLI does — arguments parsed
 * and --require files loaded first, then the harness's WordPress with WP_CLI defined (so Keysmith
 * registers `wp keysmith` through WP_CLI::add_command, as under real WP-CLI) and --user resolved
 * on its `init` hook, then the command — with the real STDIN, STDOUT, STDERR and exit status.
 *
 * @package Keysmith\Tests\Cli
 */

declare(strict_types=1);

define( 'WP_CLI', true ); // As WP-CLI does before it loads WordPress.
require __DIR__ . '/bootstrap.php';

( static function (): void {
	$harness = getenv( 'KEYSMITH_HARNESS_DIR' ) ?: dirname( __DIR__, 2 ) . '/target/harness';
	$env     = $harness . '/env.sh';
	if ( ! is_file( $env ) ) {
		fwrite( STDERR, "Error: the test harness is not up in $harness. Run: tests/harness/site.sh up\n" );
		exit( 1 );
	}
	foreach ( file( $env, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES ) as $line ) {
		if ( preg_match( '/^export (KEYSMITH_[A-Z0-9_]+)=(.*)$/', $line, $m ) && false === getenv( $m[1] ) ) {
			putenv( "{$m[1]}={$m[2]}" );
		}
	}
} )();

$keysmith_exit = \Keysmith\Tests\Cli\Runner::before_wordpress( array_slice( $argv, 1 ) );
if ( null !== $keysmith_exit ) {
	exit( $keysmith_exit );
}

// What WordPress reads in CLI as if a request had reached the home URL (WP-CLI does the same).
$keysmith_url               = parse_url( (string) getenv( 'KEYSMITH_SITE_URL' ) );
$_SERVER['HTTP_HOST']       = $keysmith_url['host'] . ( isset( $keysmith_url['port'] ) ? ':' . $keysmith_url['port'] : '' );
$_SERVER['SERVER_NAME']     = $keysmith_url['host'];
$_SERVER['SERVER_PORT']     = (string) ( $keysmith_url['port'] ?? 80 );
$_SERVER['REQUEST_URI']     = '/';
$_SERVER['REQUEST_METHOD']  = 'GET';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
putenv( 'KEYSMITH_WP_HOME=' . getenv( 'KEYSMITH_SITE_URL' ) );
unset( $keysmith_url );

// KEYSMITH_CLI_WITHOUT_WOOCOMMERCE=1: a site whose WooCommerce is gone (folder deleted, failed
// deploy) while still listed as active. The contract fixture stands down for the listed real
// WooCommerce, WordPress skips the missing file, so nothing defines WC_VERSION. Set through
// WordPress's pre-initialised hooks ($wp_filter before plugin.php loads), as its own test suite does.
if ( '1' === getenv( 'KEYSMITH_CLI_WITHOUT_WOOCOMMERCE' ) ) {
	$GLOBALS['wp_filter']['option_active_plugins'][10][] = array(
		'function'      => static fn( $plugins ): array => array_merge( (array) $plugins, array( 'woocommerce/woocommerce.php' ) ),
		'accepted_args' => 1,
	);
}

// In the global scope, as WP-CLI loads it (WordPress's files set globals).
global $table_prefix;
try {
	require getenv( 'KEYSMITH_SITE_DIR' ) . '/wp-load.php';
} catch ( \WP_CLI\ExitException $keysmith_stop ) {
	exit( (int) $keysmith_stop->getCode() ); // e.g. an unknown --user, refused on `init`.
}
exit( \Keysmith\Tests\Cli\Runner::after_wordpress() );
