<?php
/**
 * `wp keysmith audit`: the audit trail from the shell, newest first. A thin adapter over
 * Store\AuditLog: options become its filters (users resolved by Store\UserResolver, dates parsed
 * by Store\Dates), its rows become WP-CLI output.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Cli;

use Keysmith\Store\AuditLog;
use Keysmith\Store\Dates;
use Keysmith\Store\UserResolver;
use WP_CLI\Formatter;
use WP_CLI\Utils;
use WP_Error;

final class AuditCommand {

	/** Fields shown by default. */
	private const FIELDS = array( 'audit_id', 'occurred_at', 'actor', 'source', 'action', 'key_id', 'truncated_key', 'owner', 'details' );

	/** Events read per query. */
	private const PAGE = 1000;

	/**
	 * Shows the audit trail: who created, changed, rotated or revoked which key, newest first.
	 *
	 * ## OPTIONS
	 *
	 * [--key=<key_id>]
	 * : Only events about this key ID.
	 *
	 * [--owner=<user>]
	 * : Only events about keys of this user (ID, login or email).
	 *
	 * [--actor=<user>]
	 * : Only events done by this user (ID, login or email).
	 *
	 * [--action=<action>]
	 * : Only this action (create, update, rotate, revoke, expire, user_deleted, ...).
	 *
	 * [--source=<source>]
	 * : Only events from this source: a Keysmith front end (admin, cli, rest), its jobs (cron) or authentication path (auth), or a change made outside Keysmith (woocommerce: WooCommerce's key screen; wc-auth: app authorization; reconcile: found by comparing the tables).
	 * ---
	 * options:
	 *   - admin
	 *   - cli
	 *   - rest
	 *   - cron
	 *   - auth
	 *   - woocommerce
	 *   - wc-auth
	 *   - reconcile
	 * ---
	 *
	 * [--since=<date>]
	 * : Only events at or after this date (UTC, or relative such as "-7 days").
	 *
	 * [--until=<date>]
	 * : Only events before this date.
	 *
	 * [--limit=<number>]
	 * : At most this many events (--format=count counts at most this many too).
	 * ---
	 * default: 100
	 * ---
	 *
	 * [--field=<field>]
	 * : Prints the value of a single field for each event.
	 *
	 * [--fields=<fields>]
	 * : Limit the output to specific fields.
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
	 *   - count
	 * ---
	 *
	 * ## AVAILABLE FIELDS
	 *
	 * These fields are shown by default: audit_id, occurred_at, actor, source, action, key_id, truncated_key, owner, details.
	 *
	 * These fields are optionally available: actor_id, key_owner (the owner's user ID).
	 *
	 * occurred_at is UTC.
	 *
	 * ## EXAMPLES
	 *
	 *     # The last five events, newest first.
	 *     $ wp keysmith audit --limit=5 --fields=occurred_at,actor,source,action,key_id
	 *     +---------------------+-------+--------+--------+--------+
	 *     | occurred_at         | actor | source | action | key_id |
	 *     +---------------------+-------+--------+--------+--------+
	 *     | 2026-11-26 09:03:39 |       | cli    | revoke | 1      |
	 *     | 2026-11-26 09:03:38 |       | cli    | rotate | 3      |
	 *     | 2026-11-26 09:03:38 |       | cli    | create | 4      |
	 *     | 2026-11-26 09:03:36 |       | cli    | update | 1      |
	 *     | 2026-11-26 09:03:32 | admin | cli    | create | 1      |
	 *     +---------------------+-------+--------+--------+--------+
	 *
	 *     # What the rotation of key 3 did: its successor and grace period (seconds).
	 *     $ wp keysmith audit --key=3 --action=rotate --field=details
	 *     {"new_key_id":4,"grace_seconds":86400}
	 */
	public function __invoke( array $args, array $assoc_args ): void {
		Halt::without_woocommerce( 'audit' );
		$filters = self::audit_filters( $assoc_args );
		Halt::on_error( $filters );
		$limit = Arguments::positive_int( Utils\get_flag_value( $assoc_args, 'limit', '100' ), 'limit' );
		Halt::on_error( $limit );
		$formatter = new Formatter( $assoc_args, self::FIELDS );
		if ( 'count' === $formatter->format ) {
			// How many events the other formats would list: --limit applies to the count too.
			echo (int) min( $limit, AuditLog::query( $filters, 1, 1 )['total'] ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- CLI output, an integer.
			return;
		}
		$rows = array();
		for ( $page = 1; count( $rows ) < $limit; $page++ ) {
			$found = AuditLog::query( $filters, $page, min( self::PAGE, $limit ) );
			foreach ( $found['items'] as $event ) {
				$rows[] = $event + array(
					'actor' => UserResolver::login( $event['actor_id'] ),
					'owner' => UserResolver::login( $event['key_owner'] ),
				);
			}
			if ( count( $found['items'] ) < min( self::PAGE, $limit ) ) {
				break;
			}
		}
		$formatter->display_items( array_slice( $rows, 0, $limit ) );
	}

	/**
	 * Audit filters from the options.
	 *
	 * @return array<string, int|string>|WP_Error
	 */
	private static function audit_filters( array $assoc_args ): array|WP_Error {
		$filters = array();
		if ( isset( $assoc_args['key'] ) ) {
			$key = Arguments::positive_int( $assoc_args['key'], 'key' );
			if ( $key instanceof WP_Error ) {
				return $key;
			}
			$filters['key_id'] = $key;
		}
		foreach ( array( 'action', 'source' ) as $field ) {
			if ( isset( $assoc_args[ $field ] ) ) {
				$filters[ $field ] = (string) $assoc_args[ $field ];
			}
		}
		$users = self::audit_users( $assoc_args );
		$dates = $users instanceof WP_Error ? $users : self::audit_dates( $assoc_args );
		return $dates instanceof WP_Error ? $dates : $filters + $users + $dates;
	}

	/**
	 * --owner and --actor as user IDs (audit rows store IDs; people type logins and emails).
	 *
	 * @return array{key_owner?: int, actor_id?: int}|WP_Error
	 */
	private static function audit_users( array $assoc_args ): array|WP_Error {
		$filters = array();
		foreach ( array( 'owner' => 'key_owner', 'actor' => 'actor_id' ) as $option => $field ) {
			if ( ! isset( $assoc_args[ $option ] ) ) {
				continue;
			}
			$user = UserResolver::user( (string) $assoc_args[ $option ] );
			if ( $user instanceof WP_Error ) {
				return $user;
			}
			$filters[ $field ] = $user->ID;
		}
		return $filters;
	}

	/**
	 * --since and --until in UTC, as the audit table stores occurred_at.
	 *
	 * @return array{since?: string, until?: string}|WP_Error
	 */
	private static function audit_dates( array $assoc_args ): array|WP_Error {
		$filters = array();
		foreach ( array( 'since', 'until' ) as $field ) {
			if ( isset( $assoc_args[ $field ] ) ) {
				$date = Dates::parse_utc( (string) $assoc_args[ $field ], '--' . $field );
				if ( $date instanceof WP_Error ) {
					return $date;
				}
				$filters[ $field ] = $date;
			}
		}
		return $filters;
	}
}
