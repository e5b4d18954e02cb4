<?php
/**
 * `wp keysmith policy get|set`: the key-lifetime policy (Store\KeyPolicy) from the shell. The long
 * descriptions below are one line per paragraph: WP-CLI prints docblock lines as they are.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Cli;

use Keysmith\Store\KeyPolicy;
use WP_CLI;
use WP_CLI\Formatter;
use WP_CLI\Utils;

/**
 * Shows or sets the key-lifetime policy: a default expiry for new keys and a maximum lifetime.
 *
 * ## EXAMPLES
 *
 *     $ wp keysmith policy set --default-expiry=90d --max-lifetime=365d
 *     Success: Key-lifetime policy saved. New keys expire after 90 days unless an expiry is chosen. No key may be made to live longer than 365 days.
 *
 *     $ wp keysmith policy get --format=json
 *     {"default_expiry":"90d","max_lifetime":"365d"}
 */
final class PolicyCommand {

	private const FIELDS = array( 'default_expiry', 'max_lifetime' );

	/**
	 * Shows the key-lifetime policy.
	 *
	 * Durations are written as `rotate --grace` takes them; "never" means new keys do not expire unless an expiry is chosen, "none" that there is no maximum.
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
	 *     $ wp keysmith policy get
	 *     +----------------+-------+
	 *     | Field          | Value |
	 *     +----------------+-------+
	 *     | default_expiry | 90d   |
	 *     | max_lifetime   | 365d  |
	 *     +----------------+-------+
	 */
	public function get( array $args, array $assoc_args ): void {
		( new Formatter( $assoc_args, self::FIELDS ) )->display_item( KeyPolicy::current()->to_display() );
	}

	/**
	 * Sets the default expiry of new keys, their maximum lifetime, or both.
	 *
	 * Keys made from now on through Keysmith (screen, WP-CLI, REST API) without an expiry, through WooCommerce's Add key screen and through app authorization get the default expiry, capped by the maximum. An expiry asked for beyond the maximum is refused. Existing keys are not changed: use `wp keysmith update --apply-policy` for them.
	 *
	 * ## OPTIONS
	 *
	 * [--default-expiry=<duration>]
	 * : How long new keys live when no expiry is chosen: a duration such as 90d, 12h or 2w (one minute to ten years), or "never".
	 *
	 * [--max-lifetime=<duration>]
	 * : The longest a key may be made to live: a duration, or "none".
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp keysmith policy set --default-expiry=90d
	 *     Success: Key-lifetime policy saved. New keys expire after 90 days unless an expiry is chosen. There is no maximum lifetime.
	 *
	 *     $ wp keysmith policy set --default-expiry=never --max-lifetime=none
	 *     Success: Key-lifetime policy saved. No key-lifetime policy: new keys never expire unless an expiry is chosen.
	 */
	public function set( array $args, array $assoc_args ): void {
		$default = Utils\get_flag_value( $assoc_args, 'default-expiry' );
		$max     = Utils\get_flag_value( $assoc_args, 'max-lifetime' );
		if ( null === $default && null === $max ) {
			WP_CLI::error( __( 'Nothing to set: give --default-expiry, --max-lifetime or both.', 'keysmith' ) );
		}
		$policy = KeyPolicy::current()->with( null === $default ? null : (string) $default, null === $max ? null : (string) $max );
		Halt::on_error( $policy );
		$policy->save();
		/* translators: %s: the policy in one sentence or two. */
		WP_CLI::success( sprintf( __( 'Key-lifetime policy saved. %s', 'keysmith' ), $policy->describe() ) );
	}
}
