<?php
/**
 * `wp keysmith`: WooCommerce REST API keys from the shell, one class for the command group as in
 * wp-cli/entity-command. Every subcommand is a thin adapter: it turns arguments into a store call
 * (Store\KeyService) and the answer into WP-CLI output; all rules live in the store.
 *
 * WP-CLI's global `--user=<id|login|email>` sets the acting user (recorded in the audit log and
 * checked by WooCommerce's owner rule); the key owner is therefore `--owner`, never `--user`.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Cli;

use Keysmith\Plugin;
use Keysmith\Store\Actor;
use Keysmith\Store\AuditLog;
use Keysmith\Store\BulkResult;
use Keysmith\Store\Dates;
use Keysmith\Store\KeyFilter;
use Keysmith\Store\KeyRecord;
use Keysmith\Store\KeyService;
use Keysmith\Store\KeySpec;
use Keysmith\Store\UserResolver;
use WP_CLI\Formatter;
use WP_CLI\Utils;
use WP_CLI;
use WP_Error;

/**
 * Manages WooCommerce REST API keys in bulk: create, list, revoke, update, rotate and verify keys,
 * read the audit trail, and check or benchmark the Keysmith extension.
 *
 * ## EXAMPLES
 *
 *     # Ten read/write keys for the user "shopbot" that expire in 90 days.
 *     $ wp keysmith create --owner=shopbot --count=10 --permissions=read_write --expires="+90 days" --porcelain
 *
 *     # Revoke every key nobody used for six months, without a prompt.
 *     $ wp keysmith revoke --unused-since="-6 months" --yes
 */
final class KeysmithCommand {

	/** Fields `list` shows by default. */
	private const LIST_FIELDS = array( 'key_id', 'owner', 'description', 'permissions', 'truncated_key', 'last_access', 'expires_at' );

	/** Fields shown for keys just created or rotated (the only time the secret exists outside the DB). */
	private const NEW_KEY_FIELDS = array( 'key_id', 'owner', 'description', 'permissions', 'consumer_key', 'consumer_secret', 'expires_at' );

	/** Fields `audit` shows by default. */
	private const AUDIT_FIELDS = array( 'audit_id', 'occurred_at', 'actor', 'source', 'action', 'key_id', 'truncated_key', 'owner', 'details' );

	/** Keys read per query when listing everything. */
	private const PAGE = 1000;

	private KeyService $service;

	public function __construct() {
		$this->service = new KeyService();
	}

	/**
	 * Creates API keys and prints each new consumer key and secret, once.
	 *
	 * The keys are ordinary WooCommerce keys (they keep working without Keysmith). WooCommerce keeps
	 * only a hash of the consumer key, so this output is the only time it can be copied. All keys are
	 * created in one transaction: either all of them exist afterwards or none does. For more than
	 * 500 keys, the table output on a terminal shows a progress bar first.
	 *
	 * ## OPTIONS
	 *
	 * --owner=<user>
	 * : The user the keys act as: ID, login or email. Several users, comma-separated, get --count keys each.
	 *
	 * [--count=<number>]
	 * : How many keys per owner (at most 10000 in all).
	 * ---
	 * default: 1
	 * ---
	 *
	 * [--permissions=<permissions>]
	 * : What the keys may do.
	 * ---
	 * default: read
	 * options:
	 *   - read
	 *   - write
	 *   - read_write
	 * ---
	 *
	 * [--description=<template>]
	 * : Description of each key. {n} is replaced by 1..count, {user} by the owner's login, {date} by today's UTC date.
	 * ---
	 * default: Keysmith {date} #{n}
	 * ---
	 *
	 * [--expires=<date>]
	 * : When the keys stop working: YYYY-MM-DD, "YYYY-MM-DD HH:MM:SS" (UTC), ISO 8601, or relative such as "+90 days". Default: never.
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
	 * [--porcelain]
	 * : Output only "<consumer_key> <consumer_secret>", one key per line.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp --user=admin keysmith create --owner=shopmanager --count=2 --description="ERP sync {n}" --expires=2027-01-01
	 *     +--------+-------------+-------------+-------------+---------------------------------------------+---------------------------------------------+---------------------+
	 *     | key_id | owner       | description | permissions | consumer_key                                | consumer_secret                             | expires_at          |
	 *     +--------+-------------+-------------+-------------+---------------------------------------------+---------------------------------------------+---------------------+
	 *     | 1      | shopmanager | ERP sync 1  | read        | ck_746842e66d406189a4075b8c59f5630b4f5eafdc | cs_877887a74023c947170b3128f5711ec884226c01 | 2027-01-01 00:00:00 |
	 *     | 2      | shopmanager | ERP sync 2  | read        | ck_42350333210f61afce14daf6b648470c52f0a66e | cs_33ff00aeb5bb101ab6374e17084b0db16e54ba62 | 2027-01-01 00:00:00 |
	 *     +--------+-------------+-------------+-------------+---------------------------------------------+---------------------------------------------+---------------------+
	 *     Success: Created 2 keys. Copy the consumer keys and secrets now: they are not shown again.
	 *
	 *     $ wp keysmith create --owner=admin --permissions=read_write --porcelain
	 *     ck_5e79b5fd72ddf62d76d62bf4eb55bd6fa10341d7 cs_f11f80fc213d40c0ab2cc6c5c02951c1b42a347f
	 */
	public function create( array $args, array $assoc_args ): void {
		self::needs_woocommerce( 'create' );
		$owners = UserResolver::ids( (string) Utils\get_flag_value( $assoc_args, 'owner', '' ) );
		$count  = Arguments::positive_int( Utils\get_flag_value( $assoc_args, 'count', '1' ), 'count' );
		self::halt_on_error( $owners );
		self::halt_on_error( $count );
		$progress = Progress::for_output( __( 'Creating keys', 'keysmith' ), $assoc_args );
		$created  = $this->service->create(
			array(
				'user_ids'    => $owners,
				'count'       => $count,
				'permissions' => Utils\get_flag_value( $assoc_args, 'permissions', 'read' ),
				'description' => Utils\get_flag_value( $assoc_args, 'description', KeySpec::DEFAULT_DESCRIPTION ),
				'expires_at'  => Arguments::expiry( Utils\get_flag_value( $assoc_args, 'expires' ) ),
			),
			Actor::current( 'cli' ),
			$progress
		);
		$progress->finish( ! $created instanceof WP_Error );
		self::halt_on_error( $created );
		$this->show_new_keys( $created, $assoc_args );
		if ( ! Utils\get_flag_value( $assoc_args, 'porcelain', false ) && 'table' === Utils\get_flag_value( $assoc_args, 'format', 'table' ) ) {
			/* translators: %d: number of keys. */
			WP_CLI::success( sprintf( _n( 'Created %d key. Copy the consumer key and secret now: they are not shown again.', 'Created %d keys. Copy the consumer keys and secrets now: they are not shown again.', count( $created ), 'keysmith' ), count( $created ) ) );
		}
	}

	/**
	 * Lists API keys. Secrets and key hashes are never shown.
	 *
	 * ## OPTIONS
	 *
	 * [--owner=<user>]
	 * : Only keys of these users (ID, login or email; comma-separated).
	 *
	 * [--permissions=<permissions>]
	 * : Only keys with these permissions (read, write, read_write; comma-separated).
	 *
	 * [--search=<text>]
	 * : Only keys whose description or last 7 key characters contain this text.
	 *
	 * [--unused-since=<date>]
	 * : Only keys never used, or last used before this date (e.g. 2026-01-01 or "-90 days").
	 *
	 * [--never-used]
	 * : Only keys that were never used.
	 *
	 * [--expired]
	 * : Only keys whose expiry has passed.
	 *
	 * [--expires-before=<date>]
	 * : Only keys that expire before this date (expired ones included).
	 *
	 * [--created-after=<date>]
	 * : Only keys created at or after this date (keys made by WooCommerce itself have no creation date).
	 *
	 * [--created-before=<date>]
	 * : Only keys created before this date.
	 *
	 * [--orderby=<field>]
	 * : Sort by this field.
	 * ---
	 * default: key_id
	 * options:
	 *   - key_id
	 *   - description
	 *   - user_id
	 *   - permissions
	 *   - last_access
	 *   - created_at
	 *   - expires_at
	 * ---
	 *
	 * [--order=<order>]
	 * : Sort direction.
	 * ---
	 * default: asc
	 * options:
	 *   - asc
	 *   - desc
	 * ---
	 *
	 * [--field=<field>]
	 * : Prints the value of a single field for each key.
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
	 *   - ids
	 *   - count
	 * ---
	 *
	 * ## AVAILABLE FIELDS
	 *
	 * These fields are shown by default: key_id, owner, description, permissions, truncated_key,
	 * last_access, expires_at.
	 *
	 * These fields are optionally available: user_id, created_at, created_by, last_ip, rotated_from.
	 *
	 * last_access is WooCommerce's site-local time; created_at and expires_at are UTC.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp keysmith list
	 *     +--------+-------------+------------------------+-------------+---------------+-------------+---------------------+
	 *     | key_id | owner       | description            | permissions | truncated_key | last_access | expires_at          |
	 *     +--------+-------------+------------------------+-------------+---------------+-------------+---------------------+
	 *     | 1      | shopmanager | ERP sync 1             | read        | f5eafdc       |             | 2027-01-01 00:00:00 |
	 *     | 2      | shopmanager | ERP sync 2             | read        | 2f0a66e       |             | 2027-01-01 00:00:00 |
	 *     | 3      | admin       | Keysmith 2026-11-26 #1 | read_write  | 10341d7       |             |                     |
	 *     +--------+-------------+------------------------+-------------+---------------+-------------+---------------------+
	 *
	 *     $ wp keysmith list --never-used --format=ids
	 *     1 2 3
	 *
	 *     $ wp keysmith list --permissions=read_write --format=count
	 *     1
	 *
	 *     $ wp keysmith list --format=json --fields=key_id,owner,expires_at
	 *     [{"key_id":1,"owner":"shopmanager","expires_at":"2027-01-01 00:00:00"},{"key_id":2,"owner":"shopmanager","expires_at":"2027-01-01 00:00:00"},{"key_id":3,"owner":"admin","expires_at":null}]
	 *
	 * @subcommand list
	 */
	public function list_( array $args, array $assoc_args ): void {
		self::needs_woocommerce( 'list' );
		$filter = Arguments::filter( array(), self::list_defaults( $assoc_args ) );
		self::halt_on_error( $filter );
		$formatter = new Formatter( $assoc_args, self::LIST_FIELDS );
		if ( 'count' === $formatter->format ) {
			echo (int) $this->service->count( $filter ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- CLI output, an integer.
			return;
		}
		$records = $this->all_records( $filter );
		if ( 'ids' === $formatter->format ) {
			echo implode( ' ', array_map( static fn( KeyRecord $key ): int => $key->key_id, $records ) ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- CLI output, integers.
			return;
		}
		$formatter->display_items( array_map( array( self::class, 'key_row' ), $records ) );
	}

	/**
	 * Revokes API keys: deletes them as WooCommerce does, with their Keysmith metadata.
	 *
	 * Give key IDs, or filters, or --all. Asks for confirmation unless --yes. Exits with 1 when some
	 * requested keys could not be revoked (e.g. they no longer exist); the others are revoked.
	 *
	 * ## OPTIONS
	 *
	 * [<key_id>...]
	 * : IDs of the keys to revoke.
	 *
	 * [--owner=<user>]
	 * : Only keys of these users (ID, login or email; comma-separated).
	 *
	 * [--unused-since=<date>]
	 * : Only keys never used, or last used before this date (e.g. "-6 months").
	 *
	 * [--never-used]
	 * : Only keys that were never used.
	 *
	 * [--expired]
	 * : Only keys whose expiry has passed.
	 *
	 * [--permissions=<permissions>]
	 * : Only keys with these permissions (comma-separated).
	 *
	 * [--all]
	 * : Revoke every key (needed when no ID or filter is given).
	 *
	 * [--dry-run]
	 * : Show what would be revoked; change nothing.
	 *
	 * [--yes]
	 * : Answer yes to the confirmation message.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp keysmith revoke --owner=shopmanager --dry-run
	 *     Dry run: would revoke 1 key: 2
	 *
	 *     $ wp keysmith revoke --owner=shopmanager
	 *     Revoke 1 key? [y/n] y
	 *     Success: Revoked 1 of 1 key.
	 *
	 *     $ wp keysmith revoke 1 99 --yes
	 *     Error: Revoked 1 of 2 keys. Not found: 99.
	 */
	public function revoke( array $args, array $assoc_args ): void {
		self::needs_woocommerce( 'revoke' );
		$filter = Arguments::filter( $args, $assoc_args );
		self::halt_on_error( $filter );
		if ( ! $filter->has_criteria() && ! $filter->all ) {
			WP_CLI::error( __( 'Give key IDs, a filter (--owner, --unused-since, --never-used, --expired, --permissions) or --all.', 'keysmith' ) );
		}
		$actor = Actor::current( 'cli' );
		$probe = $this->service->revoke( $filter, $actor, true );
		self::halt_on_error( $probe );
		if ( Utils\get_flag_value( $assoc_args, 'dry-run', false ) ) {
			self::report_dry_run( $probe );
			return;
		}
		if ( $probe->matched > 0 ) {
			/* translators: %d: number of keys. */
			WP_CLI::confirm( sprintf( _n( 'Revoke %d key?', 'Revoke %d keys?', $probe->matched, 'keysmith' ), $probe->matched ), $assoc_args );
		}
		$result = $this->service->revoke( $filter, $actor );
		self::halt_on_error( $result );
		self::report( $result, $result->message() );
	}

	/**
	 * Changes the permissions, owner, description or expiry of API keys, all or nothing.
	 *
	 * ## OPTIONS
	 *
	 * <key_id>...
	 * : IDs of the keys to change.
	 *
	 * [--permissions=<permissions>]
	 * : New permissions.
	 * ---
	 * options:
	 *   - read
	 *   - write
	 *   - read_write
	 * ---
	 *
	 * [--owner=<user>]
	 * : New owner: ID, login or email.
	 *
	 * [--description=<description>]
	 * : New description (plain text, at most 200 characters).
	 *
	 * [--expires=<date>]
	 * : New expiry (a future date, or "never").
	 *
	 * [--[no-]expiry]
	 * : With --no-expiry, remove the expiry: the keys never expire.
	 *
	 * [--dry-run]
	 * : Check the changes as for real (owner, permissions, expiry) and show which keys they would apply to; change nothing.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp keysmith update 2 --permissions=read_write --expires="+30 days"
	 *     Success: Updated 1 of 1 key.
	 *
	 *     $ wp keysmith update 1 --no-expiry
	 *     Success: Updated 1 of 1 key.
	 *
	 *     $ wp keysmith update 1 2 --owner=customer --expires="+30 days" --dry-run
	 *     Dry run: would update 2 keys: 1 2
	 */
	public function update( array $args, array $assoc_args ): void {
		self::needs_woocommerce( 'update' );
		$changes = self::changes( $assoc_args );
		self::halt_on_error( $changes );
		$filter = KeyFilter::by_ids( $args );
		self::halt_on_error( $filter );
		$dry_run = (bool) Utils\get_flag_value( $assoc_args, 'dry-run', false );
		$result  = $this->service->update( $filter, $changes, Actor::current( 'cli' ), $dry_run );
		self::halt_on_error( $result );
		if ( $dry_run ) {
			self::report_dry_run( $result );
			return;
		}
		self::report( $result, trim( $result->message() . ' ' . $result->unchanged_note() ) );
	}

	/**
	 * Replaces API keys by new ones with the same owner, permissions, description and expiry.
	 *
	 * Prints each new consumer key and secret, once. The old key keeps working for the grace
	 * period, then expires; with no grace period it is revoked at once. For more than 500 keys, the
	 * table output on a terminal shows a progress bar first.
	 *
	 * ## OPTIONS
	 *
	 * <key_id>...
	 * : IDs of the keys to rotate.
	 *
	 * [--grace=<duration>]
	 * : How long the old keys keep working: seconds, or e.g. 15m, 12h, 7d, 2w (at most a year).
	 * ---
	 * default: 0
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
	 * [--porcelain]
	 * : Output only "<consumer_key> <consumer_secret>", one key per line.
	 *
	 * [--dry-run]
	 * : Check as for real (owners, grace period) and show which keys would be rotated; change nothing.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp keysmith rotate 3 --grace=1d --porcelain
	 *     ck_086d4a1da230da51722b946cda2e1ede0f0bf7a8 cs_5649af1f9ee43a3c41667216aae4a8315443020a
	 *
	 *     $ wp keysmith rotate 1 2 3 --dry-run
	 *     Dry run: would rotate 2 keys: 1 2 Not rotated (unknown, expired or already rotated): 3.
	 */
	public function rotate( array $args, array $assoc_args ): void {
		self::needs_woocommerce( 'rotate' );
		$grace = Arguments::duration( (string) Utils\get_flag_value( $assoc_args, 'grace', '0' ) );
		self::halt_on_error( $grace );
		$filter = KeyFilter::by_ids( $args );
		self::halt_on_error( $filter );
		if ( Utils\get_flag_value( $assoc_args, 'dry-run', false ) ) {
			$probe = $this->service->rotate( $filter, Actor::current( 'cli' ), $grace, dry_run: true );
			self::halt_on_error( $probe );
			self::report_dry_run( $probe->summary );
			return;
		}
		$progress = Progress::for_output( __( 'Rotating keys', 'keysmith' ), $assoc_args );
		$rotation = $this->service->rotate( $filter, Actor::current( 'cli' ), $grace, $progress );
		$progress->finish( ! $rotation instanceof WP_Error );
		self::halt_on_error( $rotation );
		$this->show_new_keys( $rotation->keys, $assoc_args );
		self::report_rotation( $rotation->summary, $assoc_args );
	}

	/**
	 * After the new pairs are shown: an error (exit 1) naming the requested keys that got no
	 * successor, else success for the table output (machine formats stay parseable).
	 */
	private static function report_rotation( BulkResult $summary, array $assoc_args ): void {
		if ( array() !== $summary->failed ) {
			WP_CLI::error( $summary->message() . ' ' . $summary->failure_note() );
		}
		if ( ! Utils\get_flag_value( $assoc_args, 'porcelain', false ) && 'table' === Utils\get_flag_value( $assoc_args, 'format', 'table' ) ) {
			WP_CLI::success( $summary->message() );
		}
	}

	/**
	 * Checks a consumer key and secret against this site: exits with 0 when the pair is valid, else
	 * with 1 and the reason (unknown key, wrong secret, expired).
	 *
	 * Leave out the secret to read it from STDIN (keeps it out of the shell history and the process
	 * list); it is never printed.
	 *
	 * ## OPTIONS
	 *
	 * <consumer_key>
	 * : The consumer key (ck_…).
	 *
	 * [<consumer_secret>]
	 * : The consumer secret (cs_…). Read from STDIN when omitted.
	 *
	 * ## EXAMPLES
	 *
	 *     $ printf '%s' "$CS" | wp keysmith verify ck_5e79b5fd72ddf62d76d62bf4eb55bd6fa10341d7
	 *     Success: Valid: the key …341d7 and its secret match, and the key has not expired.
	 *
	 *     $ printf 'cs_wrong' | wp keysmith verify ck_5e79b5fd72ddf62d76d62bf4eb55bd6fa10341d7
	 *     Error: Consumer secret is invalid.
	 */
	public function verify( #[\SensitiveParameter] array $args, array $assoc_args ): void { // $args[1] may be the secret.
		self::needs_woocommerce( 'verify' );
		$consumer_key = trim( (string) $args[0] );
		$secret       = isset( $args[1] ) ? (string) $args[1] : SecretInput::read( __( 'Consumer secret: ', 'keysmith' ) );
		$valid        = $this->service->verify_pair( $consumer_key, rtrim( $secret, "\r\n" ) );
		unset( $secret );
		self::halt_on_error( $valid );
		/* translators: %s: last characters of the consumer key. */
		WP_CLI::success( sprintf( __( 'Valid: the key …%s and its secret match, and the key has not expired.', 'keysmith' ), substr( $consumer_key, -5 ) ) );
	}

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
	 * : Only events from this front end.
	 * ---
	 * options:
	 *   - admin
	 *   - cli
	 *   - rest
	 *   - cron
	 *   - auth
	 * ---
	 *
	 * [--since=<date>]
	 * : Only events at or after this date (UTC, or relative such as "-7 days").
	 *
	 * [--until=<date>]
	 * : Only events before this date.
	 *
	 * [--limit=<number>]
	 * : At most this many events.
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
	 * Default: audit_id, occurred_at, actor, source, action, key_id, truncated_key, owner, details.
	 * Also available: actor_id, key_owner (the owner's user ID). occurred_at is UTC.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp keysmith audit --fields=occurred_at,actor,source,action,key_id,details
	 *     +---------------------+-------+--------+--------+--------+-------------------------------------------------------------------+
	 *     | occurred_at         | actor | source | action | key_id | details                                                           |
	 *     +---------------------+-------+--------+--------+--------+-------------------------------------------------------------------+
	 *     | 2026-11-26 09:03:39 |       | cli    | revoke | 1      | []                                                                |
	 *     | 2026-11-26 09:03:38 |       | cli    | rotate | 3      | {"new_key_id":4,"grace_seconds":86400}                            |
	 *     | 2026-11-26 09:03:38 |       | cli    | create | 4      | {"permissions":"read_write","rotated_from":3}                     |
	 *     | 2026-11-26 09:03:36 |       | cli    | update | 1      | {"changes":{"expires_at":["2027-01-01 00:00:00",null]}}           |
	 *     | 2026-11-26 09:03:32 | admin | cli    | create | 1      | {"permissions":"read","expires_at":"2027-01-01 00:00:00"}         |
	 *     +---------------------+-------+--------+--------+--------+-------------------------------------------------------------------+
	 */
	public function audit( array $args, array $assoc_args ): void {
		self::needs_woocommerce( 'audit' );
		$filters = self::audit_filters( $assoc_args );
		self::halt_on_error( $filters );
		$limit = Arguments::positive_int( Utils\get_flag_value( $assoc_args, 'limit', '100' ), 'limit' );
		self::halt_on_error( $limit );
		$formatter = new Formatter( $assoc_args, self::AUDIT_FIELDS );
		$rows      = array();
		for ( $page = 1; count( $rows ) < $limit; $page++ ) {
			$found = AuditLog::query( $filters, $page, min( self::PAGE, $limit ) );
			if ( 'count' === $formatter->format ) {
				echo (int) $found['total']; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- CLI output, an integer.
				return;
			}
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
	public function doctor( array $args, array $assoc_args ): void {
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

	/**
	 * Measures the native extension against the pure-PHP twin on this server.
	 *
	 * Runs key generation, key hashing, OAuth signing and verification with both implementations
	 * (the native one only when the extension is loaded) and prints the time per operation.
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
	public function bench( array $args, array $assoc_args ): void {
		self::needs_woocommerce( 'bench' );
		$count = Arguments::positive_int( Utils\get_flag_value( $assoc_args, 'count', '2000' ), 'count' );
		self::halt_on_error( $count );
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

	// ----------------------------------------------------------------------------------------------
	// Helpers.

	/**
	 * Ends the command when WooCommerce is not active. The command is registered without it so
	 * that `doctor` can say what is wrong; everything else works on WooCommerce's keys and stops.
	 */
	private static function needs_woocommerce( string $subcommand ): void {
		if ( ! Plugin::woocommerce_is_active() ) {
			/* translators: %s: subcommand name, e.g. create. */
			WP_CLI::error( sprintf( __( 'WooCommerce is not active: `wp keysmith %s` needs it. Activate WooCommerce (wp plugin activate woocommerce); `wp keysmith doctor` shows what else is missing.', 'keysmith' ), $subcommand ) );
		}
	}

	/** Ends the command with WP_CLI::error() when $value is a WP_Error. */
	private static function halt_on_error( mixed $value ): void {
		if ( $value instanceof WP_Error ) {
			WP_CLI::error( $value->get_error_message() );
		}
	}

	/**
	 * Prints keys just created or rotated.
	 *
	 * @param list<array<string, mixed>> $keys
	 */
	private function show_new_keys( #[\SensitiveParameter] array $keys, array $assoc_args ): void {
		if ( Utils\get_flag_value( $assoc_args, 'porcelain', false ) ) {
			foreach ( $keys as $key ) {
				WP_CLI::line( $key['consumer_key'] . ' ' . $key['consumer_secret'] );
			}
			return;
		}
		$rows = array();
		foreach ( $keys as $key ) {
			$rows[] = $key + array( 'owner' => UserResolver::login( (int) $key['user_id'] ) );
		}
		$fields = self::NEW_KEY_FIELDS;
		if ( isset( $keys[0] ) && null !== $keys[0]['rotated_from'] ) {
			array_splice( $fields, 1, 0, array( 'rotated_from' ) );
		}
		Utils\format_items( (string) Utils\get_flag_value( $assoc_args, 'format', 'table' ), $rows, $fields );
	}

	/** Defaults for `list` when WP-CLI's docblock defaults did not apply them. */
	private static function list_defaults( array $assoc_args ): array {
		unset( $assoc_args['format'], $assoc_args['fields'], $assoc_args['field'] );
		return $assoc_args + array(
			'orderby' => 'key_id',
			'order'   => 'asc',
		);
	}

	/**
	 * Every key matching $filter, PAGE rows per query.
	 *
	 * @return list<KeyRecord>
	 */
	private function all_records( KeyFilter $filter ): array {
		$records = array();
		for ( $page = 1; ; $page++ ) {
			$found   = $this->service->query( $filter, $page, self::PAGE );
			$records = array_merge( $records, $found['items'] );
			if ( count( $found['items'] ) < self::PAGE || count( $records ) >= $found['total'] ) {
				return $records;
			}
		}
	}

	/** @return array<string, int|string|null> */
	private static function key_row( KeyRecord $key ): array {
		return $key->to_array() + array( 'owner' => UserResolver::login( $key->user_id ) );
	}

	/**
	 * The update() changes the options ask for.
	 *
	 * @return array<string, mixed>|WP_Error
	 */
	private static function changes( array $assoc_args ): array|WP_Error {
		$changes = array();
		foreach ( array( 'permissions', 'description' ) as $field ) {
			if ( isset( $assoc_args[ $field ] ) ) {
				$changes[ $field ] = (string) $assoc_args[ $field ];
			}
		}
		if ( isset( $assoc_args['owner'] ) ) {
			$owner = UserResolver::ids( (string) $assoc_args['owner'] );
			if ( $owner instanceof WP_Error ) {
				return $owner;
			}
			$changes['user_id'] = $owner;
		}
		$expiry = self::expiry_change( $assoc_args );
		if ( $expiry instanceof WP_Error ) {
			return $expiry;
		}
		$changes += $expiry;
		if ( array() === $changes ) {
			return new WP_Error( 'keysmith_invalid_changes', __( 'Nothing to change: give --permissions, --owner, --description, --expires or --no-expiry.', 'keysmith' ) );
		}
		return $changes;
	}

	/**
	 * The expiry part of an update: --expires=<date> sets it, --no-expiry removes it. WP-CLI parses
	 * --no-expiry as expiry => false (hence the [--[no-]expiry] synopsis), so a bare --expiry is
	 * refused rather than guessed at.
	 *
	 * @return array{expires_at?: ?string}|WP_Error Empty when the expiry does not change.
	 */
	private static function expiry_change( array $assoc_args ): array|WP_Error {
		$expires = isset( $assoc_args['expires'] ) ? array( 'expires_at' => Arguments::expiry( $assoc_args['expires'] ) ) : array();
		if ( ! array_key_exists( 'expiry', $assoc_args ) ) {
			return $expires;
		}
		if ( false !== $assoc_args['expiry'] ) {
			return new WP_Error( 'keysmith_invalid_changes', __( 'Use --expires=<date> to set an expiry, or --no-expiry to remove it.', 'keysmith' ) );
		}
		if ( array() !== $expires ) {
			return new WP_Error( 'keysmith_invalid_changes', __( 'Give either --expires or --no-expiry, not both.', 'keysmith' ) );
		}
		return array( 'expires_at' => null );
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

	/** Success when every requested key was handled; error (exit 1) when some were not. */
	private static function report( BulkResult $result, string $message ): void {
		if ( array() !== $result->failed ) {
			WP_CLI::error( $message . ' ' . $result->failure_note() );
		}
		WP_CLI::success( $message );
	}

	/** "Dry run: would <action> N keys: <ids>", plus the requested keys it would not touch. */
	private static function report_dry_run( BulkResult $probe ): void {
		$formats = array(
			/* translators: 1: number of keys, 2: their IDs. */
			'revoke' => _n( 'Dry run: would revoke %1$d key: %2$s', 'Dry run: would revoke %1$d keys: %2$s', $probe->matched, 'keysmith' ),
			/* translators: 1: number of keys, 2: their IDs. */
			'update' => _n( 'Dry run: would update %1$d key: %2$s', 'Dry run: would update %1$d keys: %2$s', $probe->matched, 'keysmith' ),
			/* translators: 1: number of keys, 2: their IDs. */
			'rotate' => _n( 'Dry run: would rotate %1$d key: %2$s', 'Dry run: would rotate %1$d keys: %2$s', $probe->matched, 'keysmith' ),
		);
		$line    = sprintf( $formats[ $probe->action ], $probe->matched, implode( ' ', $probe->ids ) );
		WP_CLI::log( rtrim( $line . ' ' . $probe->failure_note() ) );
	}
}
