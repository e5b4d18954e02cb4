<?php
/**
 * `wp keysmith bench`: the native extension against its pure-PHP twin on this server; the
 * measuring is Bench's.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Cli;

use WP_CLI;
use WP_CLI\Utils;

final class BenchCommand {

	/**
	 * Measures the native extension against the pure-PHP twin on this server.
	 *
	 * Runs key generation, key hashing, OAuth signing and verification with both implementations (the native one only when the extension is loaded) and prints the time per operation, in microseconds.
	 *
	 * ## OPTIONS
	 *
	 * [--count=<number>]
	 * : Operations per measurement.
	 * ---
	 * default: 2000
	 * ---
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
	 *     $ wp keysmith bench --count=5000
	 *     +-------------------+-------+-----------+-------------+---------+
	 *     | operation         | count | native_us | fallback_us | speedup |
	 *     +-------------------+-------+-----------+-------------+---------+
	 *     | generate_keys     | 5000  | 0.55      | 2.93        | 5.3x    |
	 *     | api_hash          | 5000  | 0.19      | 3.06        | 16.0x   |
	 *     | oauth_base_string | 5000  | 0.42      | 1.68        | 4.0x    |
	 *     | oauth_signature   | 5000  | 1.33      | 1.99        | 1.5x    |
	 *     | oauth_verify      | 5000  | 0.89      | 4.83        | 5.5x    |
	 *     +-------------------+-------+-----------+-------------+---------+
	 */
	public function __invoke( array $args, array $assoc_args ): void {
		Halt::without_woocommerce( 'bench' );
		$count = Arguments::positive_int( Utils\get_flag_value( $assoc_args, 'count', '2000' ), 'count' );
		Halt::on_error( $count );
		if ( $count > 1000000 ) {
			WP_CLI::error( __( '--count must be at most 1000000.', 'keysmith' ) );
		}
		if ( ! Bench::native_loaded() ) {
			WP_CLI::warning( __( 'The keysmith extension is not loaded: only the pure-PHP twin is measured.', 'keysmith' ) );
		}
		$format = (string) Utils\get_flag_value( $assoc_args, 'format', 'table' );
		$rows   = Bench::run( $count, 'table' === $format );
		Utils\format_items( $format, $rows, array( 'operation', 'count', 'native_us', 'fallback_us', 'speedup' ) );
	}
}
