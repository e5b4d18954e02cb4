<?php
/**
 * `wp keysmith throttle`: the throttle's settings and counters from the shell. A thin adapter over
 * Auth\Throttle (which validates and stores the settings, and owns the counters).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Cli;

use Keysmith\Auth\Throttle;
use WP_CLI;
use WP_CLI\Utils;

/**
 * Manages the throttle: clients that keep failing to authenticate wait before they may try again.
 *
 * ## EXAMPLES
 *
 *     # Allow 20 failures per key and address within 15 minutes.
 *     $ wp keysmith throttle set --max-failures=20 --window=15m
 *     Success: Throttle: on, 20 failures per key and address, 30 for unknown keys, window 900 s.
 *
 *     # Let a client blocked on key 42 try again now.
 *     $ wp keysmith throttle reset --key=42
 *     Success: Emptied 1 throttling count.
 */
final class ThrottleCommand {

	/**
	 * Shows the throttle's settings.
	 *
	 * Clients that keep failing to authenticate get 429 until their window ends: after
	 * max_failures refusals of one key from one address, or max_unknown refusals of keys nobody
	 * knows from one address, within window seconds.
	 *
	 * ## OPTIONS
	 *
	 * [--format=<format>]
	 * : Render output in a particular format.
	 * ---
	 * default: table
	 * options:
	 *   - table
	 *   - json
	 *   - yaml
	 *   - csv
	 * ---
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp keysmith throttle get --format=json
	 *     {"enabled":true,"max_failures":10,"max_unknown":30,"window":600}
	 *
	 * @param list<string>          $args       Positional arguments (none).
	 * @param array<string, string> $assoc_args Options.
	 */
	public function get( array $args, array $assoc_args ): void {
		Halt::without_woocommerce( 'throttle get' );
		$settings = Throttle::settings();
		$format   = $assoc_args['format'] ?? 'table';
		if ( 'json' === $format ) {
			WP_CLI::line( (string) wp_json_encode( $settings ) );
			return;
		}
		$rows = array();
		foreach ( $settings as $name => $value ) {
			$rows[] = array(
				'setting' => $name,
				'value'   => is_bool( $value ) ? ( $value ? 'on' : 'off' ) : $value,
			);
		}
		Utils\format_items( $format, $rows, array( 'setting', 'value' ) );
	}

	/**
	 * Changes the throttle's settings; the others keep their value.
	 *
	 * ## OPTIONS
	 *
	 * [--enabled=<on|off>]
	 * : Turn the throttle on or off (failures are counted either way).
	 *
	 * [--max-failures=<number>]
	 * : Refusals of one key from one address before that address waits for the window to end.
	 *
	 * [--max-unknown=<number>]
	 * : Refusals of keys nobody knows from one address before it waits.
	 *
	 * [--window=<duration>]
	 * : How long a window lasts from its first failure: seconds or a number with a unit (90s, 15m, 1h).
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp keysmith throttle set --max-failures=20 --window=15m
	 *     Success: Throttle: on, 20 failures per key and address, 30 for unknown keys, window 900 s.
	 *
	 * @param list<string>          $args       Positional arguments (none).
	 * @param array<string, string> $assoc_args Options.
	 */
	public function set( array $args, array $assoc_args ): void {
		Halt::without_woocommerce( 'throttle set' );
		$changes = array();
		if ( isset( $assoc_args['enabled'] ) ) {
			$switch = strtolower( (string) $assoc_args['enabled'] );
			if ( ! in_array( $switch, array( 'on', 'off', 'yes', 'no', '1', '0', 'true', 'false' ), true ) ) {
				WP_CLI::error( __( '--enabled takes on or off.', 'keysmith' ) );
			}
			$changes['enabled'] = in_array( $switch, array( 'on', 'yes', '1', 'true' ), true );
		}
		foreach ( array( 'max-failures' => 'max_failures', 'max-unknown' => 'max_unknown' ) as $option => $setting ) {
			if ( isset( $assoc_args[ $option ] ) ) {
				$count = Arguments::positive_int( $assoc_args[ $option ], $option );
				Halt::on_error( $count );
				$changes[ $setting ] = $count;
			}
		}
		if ( isset( $assoc_args['window'] ) ) {
			$window = Arguments::duration( (string) $assoc_args['window'] );
			Halt::on_error( $window );
			$changes['window'] = $window;
		}
		if ( array() === $changes ) {
			WP_CLI::error( __( 'Nothing to change: give --enabled, --max-failures, --max-unknown or --window.', 'keysmith' ) );
		}
		$settings = Throttle::update_settings( $changes );
		Halt::on_error( $settings );
		WP_CLI::success(
			sprintf(
				/* translators: 1: on or off, 2: failures per key and address, 3: failures of unknown keys per address, 4: seconds. */
				__( 'Throttle: %1$s, %2$d failures per key and address, %3$d for unknown keys, window %4$d s.', 'keysmith' ),
				$settings['enabled'] ? __( 'on', 'keysmith' ) : __( 'off', 'keysmith' ),
				$settings['max_failures'],
				$settings['max_unknown'],
				$settings['window']
			)
		);
	}

	/**
	 * Lifts throttling blocks, so the clients they blocked may try again at once.
	 *
	 * Empties the throttling counts; the failures of the last 24 hours stay listed (wp keysmith list --failing). Without options every count is emptied (asks for confirmation unless --yes).
	 *
	 * ## OPTIONS
	 *
	 * [--key=<key_id>]
	 * : Only the counts of this key (0: keys nobody knows).
	 *
	 * [--address=<ip>]
	 * : Only the counts of this client address (an IPv6 address counts for its /64).
	 *
	 * [--yes]
	 * : Empty every count without asking.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp keysmith throttle reset --key=42
	 *     Success: Emptied 2 throttling counts.
	 *
	 * @param list<string>          $args       Positional arguments (none).
	 * @param array<string, string> $assoc_args Options.
	 */
	public function reset( array $args, array $assoc_args ): void {
		Halt::without_woocommerce( 'throttle reset' );
		$key_id = null;
		if ( isset( $assoc_args['key'] ) ) {
			if ( 1 !== preg_match( '/^\d{1,19}$/', (string) $assoc_args['key'] ) ) {
				WP_CLI::error( __( '--key must be a key ID (0 for keys nobody knows).', 'keysmith' ) );
			}
			$key_id = (int) $assoc_args['key'];
		}
		$address = null;
		if ( isset( $assoc_args['address'] ) ) {
			$ip = (string) $assoc_args['address'];
			if ( false === filter_var( $ip, FILTER_VALIDATE_IP ) ) {
				/* translators: %s: what the user typed. */
				WP_CLI::error( sprintf( __( 'Invalid address "%s".', 'keysmith' ), $ip ) );
			}
			$address = Throttle::address_of( $ip );
		}
		if ( null === $key_id && null === $address ) {
			WP_CLI::confirm( __( 'Empty every throttling count?', 'keysmith' ), $assoc_args );
		}
		$reset = Throttle::reset( $key_id, $address );
		/* translators: %d: number of counters. */
		WP_CLI::success( sprintf( _n( 'Emptied %d throttling count.', 'Emptied %d throttling counts.', $reset, 'keysmith' ), $reset ) );
	}
}
