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
	 * Looks at the keysmith PHP extension (loaded, version against the plugin's, PHP API, thread safety, whether it answers correctly), which implementation is in use, Keysmith's tables and schema version, the WooCommerce version and the expiry cron job.
	 *
	 * Each check has a status (ok, warning or error), a detail and, when it is not ok, a fix. Exits with 1 when a check fails.
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
	 *     # Every check and its status (the detail and fix columns left out).
	 *     $ wp keysmith doctor --format=csv | cut -d, -f1,2
	 *     check,status
	 *     extension,ok
	 *     "extension version",ok
	 *     "PHP API",ok
	 *     "thread safety",ok
	 *     self-test,ok
	 *     implementation,ok
	 *     tables,ok
	 *     "schema version",ok
	 *     woocommerce,ok
	 *     cron,ok
	 *
	 *     # Without the extension (Keysmith runs on its twin), how to install it.
	 *     $ wp keysmith doctor --format=json | jq -r '.[0].fix'
	 *     Install keysmith 0.1.x for PHP 8.2 NTS (make install, or pie install keysmith/keysmith), then reload PHP-FPM.
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
