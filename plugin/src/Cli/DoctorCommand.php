<?php
/**
 * `wp keysmith doctor`: whether Keysmith can work on this server, one row per check (Doctor), and
 * exit 1 when one fails. Runs without WooCommerce: that is when it is needed most.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Cli;

use WP_CLI;
use WP_CLI\Utils;

final class DoctorCommand {

	/**
	 * Checks that Keysmith can work on this server and says how to fix what is wrong.
	 *
	 * Looks at the keysmith PHP extension (loaded, version against the plugin's, PHP API, thread
	 * safety, whether it answers correctly), which implementation is in use, Keysmith's tables and
	 * schema version, the WooCommerce version and the expiry cron job. Exits with 1 when a check fails.
	 *
	 * ## OPTIONS
	 *
	 * [--format=<format>]
	 * : Render output in a particular format.
	 * ---
	 * default: table
	 * options:
	 *   - table
	 *   - csv
	 *   - json
	 *   - yaml
	 * ---
	 *
	 * ## EXAMPLES
	 *
	 *     # On the test harness (WooCommerce is its contract fixture there).
	 *     $ wp keysmith doctor --format=csv
	 *     check,status,detail,fix
	 *     extension,ok,"Loaded in /usr/bin/php8.2.",
	 *     "extension version",ok,"0.1.0 (needs 0.1.x)",
	 *     "PHP API",ok,"20220829 (needs 20220829)",
	 *     "thread safety",ok,"NTS (needs NTS)",
	 *     self-test,ok,"The extension computes what PHP computes.",
	 *     implementation,ok,"native (the keysmith extension)",
	 *     tables,ok,"Present: wp_woocommerce_api_keys, wp_keysmith_key_meta, wp_keysmith_audit",
	 *     "schema version",ok,"1 (needs 1)",
	 *     woocommerce,warning,"11.2.0, but this is Keysmith's WooCommerce contract fixture (a test stand-in), not WooCommerce.","Fine for tests; install the real WooCommerce on a store."
	 *     cron,ok,"keysmith_revoke_expired next runs 2026-11-26 09:04:21 UTC.",
	 *
	 *     # The same PHP without the extension: Keysmith still works, on its pure-PHP twin.
	 *     $ wp keysmith doctor --format=csv | head -3
	 *     check,status,detail,fix
	 *     extension,warning,"Not loaded in this PHP: the pure-PHP twin answers (same results, slower).","Install keysmith 0.1.x for PHP 8.2 NTS (make install, or pie install keysmith/keysmith), then reload PHP-FPM."
	 *     implementation,warning,"fallback: the pure-PHP twin (not_loaded)","See the extension rows above."
	 */
	public function __invoke( array $args, array $assoc_args ): void {
		$checks = Doctor::run();
		Utils\format_items( (string) Utils\get_flag_value( $assoc_args, 'format', 'table' ), $checks, array( 'check', 'status', 'detail', 'fix' ) );
		$failed   = count( array_filter( $checks, static fn( array $c ): bool => Doctor::ERROR === $c['status'] ) );
		$warnings = count( array_filter( $checks, static fn( array $c ): bool => Doctor::WARNING === $c['status'] ) );
		if ( $failed > 0 ) {
			/* translators: %d: number of failed checks. */
			WP_CLI::error( sprintf( _n( '%d check failed; see its fix above.', '%d checks failed; see their fixes above.', $failed, 'keysmith' ), $failed ) );
		}
		if ( 'table' !== Utils\get_flag_value( $assoc_args, 'format', 'table' ) ) {
			return; // Machine-readable output stays parseable.
		}
		/* translators: %d: number of warnings. */
		WP_CLI::success( 0 === $warnings ? __( 'Keysmith is ready.', 'keysmith' ) : sprintf( _n( 'Keysmith is ready (%d warning).', 'Keysmith is ready (%d warnings).', $warnings, 'keysmith' ), $warnings ) );
	}
}
