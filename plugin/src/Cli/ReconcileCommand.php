<?php
/**
 * `wp keysmith reconcile` (the long description below is one line per paragraph: WP-CLI prints
 * docblock lines as they are): brings Keysmith's records in step with WooCommerce's key table now,
 * as the hourly job does (Store\Reconciler). A thin adapter: the store finds and records, this
 * prints its answer.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Cli;

use Keysmith\Store\Actor;
use Keysmith\Store\Reconciler;
use WP_CLI;
use WP_CLI\Utils;

final class ReconcileCommand {

	/**
	 * Records keys made or removed outside Keysmith (direct SQL, another plugin).
	 *
	 * A key in WooCommerce's table without Keysmith's record gets one (source "unknown") and a "create" event; a record whose key is gone is deleted with a "revoke" event. Both events have the source "reconcile". The hourly job does the same; keys made or revoked on WooCommerce's own screens are recorded as it happens.
	 *
	 * ## OPTIONS
	 *
	 * [--dry-run]
	 * : Show which keys would be recorded; change nothing.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp keysmith reconcile --dry-run
	 *     Dry run: would record keys changed outside Keysmith: 2 new (41 42), 1 removed (7).
	 *
	 *     $ wp keysmith reconcile
	 *     Success: Recorded keys changed outside Keysmith: 2 new, 1 removed.
	 */
	public function __invoke( array $args, array $assoc_args ): void {
		Halt::without_woocommerce( 'reconcile' );
		$dry_run = (bool) Utils\get_flag_value( $assoc_args, 'dry-run', false );
		$result  = ( new Reconciler() )->run( Actor::reconcile(), $dry_run );
		Halt::on_error( $result );
		if ( $dry_run ) {
			WP_CLI::log( $result->message() );
			return;
		}
		WP_CLI::success( $result->message() );
	}
}
