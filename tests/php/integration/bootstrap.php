<?php
/**
 * PHPUnit bootstrap for integration tests: loads the harness's real WordPress (Debian's package,
 * on the harness MariaDB, with the WooCommerce contract fixture and Keysmith active) in this process.
 *
 * Run `tests/harness/site.sh up` first (tests/harness/run-integration.sh does it for you).
 * With KEYSMITH_HARNESS_DIR set, the harness in that directory is used.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

// PHPUnit includes this file from inside a method; wp-config.php sets $table_prefix at "file scope",
// which must be the global one. (wp-settings.php declares the globals it needs itself.)
global $table_prefix;

( static function (): void {
	$harness = getenv( 'KEYSMITH_HARNESS_DIR' ) ?: dirname( __DIR__, 3 ) . '/target/harness';
	$env     = $harness . '/env.sh';
	if ( ! is_file( $harness . '/site/wp-config.php' ) || ! is_file( $env ) ) {
		fwrite( STDERR, "The integration harness is not up in $harness.\nRun: tests/harness/site.sh up   (or tests/harness/run-integration.sh)\n" );
		exit( 1 );
	}
	// site.sh up writes the harness's URLs and credentials; the caller's environment wins.
	foreach ( file( $env, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES ) as $line ) {
		if ( preg_match( '/^export (KEYSMITH_[A-Z0-9_]+)=(.*)$/', $line, $m ) && false === getenv( $m[1] ) ) {
			putenv( "{$m[1]}={$m[2]}" );
		}
	}
} )();

$keysmith_site_url = (string) getenv( 'KEYSMITH_SITE_URL' );
$keysmith_url      = parse_url( $keysmith_site_url );

// What WordPress reads in CLI as if a request had reached the site's home page.
$_SERVER['HTTP_HOST']       = $keysmith_url['host'] . ( isset( $keysmith_url['port'] ) ? ':' . $keysmith_url['port'] : '' );
$_SERVER['SERVER_NAME']     = $keysmith_url['host'];
$_SERVER['SERVER_PORT']     = (string) ( $keysmith_url['port'] ?? 80 );
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$_SERVER['REQUEST_URI']     = '/';
$_SERVER['REQUEST_METHOD']  = 'GET';
$_SERVER['REMOTE_ADDR']     = '127.0.0.1';
putenv( 'KEYSMITH_WP_HOME=' . $keysmith_site_url );

// Tests decide when cron work runs (do_action on the hook); no loopback spawn in the middle of a test.
define( 'DISABLE_WP_CRON', true );

require getenv( 'KEYSMITH_SITE_DIR' ) . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';
require_once ABSPATH . 'wp-admin/includes/user.php';
unset( $keysmith_site_url, $keysmith_url );

// The seeds of the generated corpora (shared with the unit suite).
require_once dirname( __DIR__ ) . '/Seeds.php';

// Keysmith\Tests\Integration\Foo\Bar => tests/php/integration/Foo/Bar.php
spl_autoload_register(
	static function ( string $class ): void {
		$prefix = 'Keysmith\\Tests\\Integration\\';
		if ( 0 === strncmp( $class, $prefix, strlen( $prefix ) ) ) {
			$file = __DIR__ . '/' . str_replace( '\\', '/', substr( $class, strlen( $prefix ) ) ) . '.php';
			if ( is_file( $file ) ) {
				require $file;
			}
		}
	}
);
