<?php
/**
 * `wp keysmith`: WooCommerce REST API keys from the shell. This class holds the key subcommands
 * (create, list, get, revoke, update, rotate, verify); the other groups have a class each,
 * as wp-cli/entity-command gives each command group its own class (CliModule registers them all).
 * Every subcommand is a thin adapter: Arguments turns options into a store call (Store\KeyService),
 * KeyOutput prints the answer; all rules live in the store.
 *
 * Longer than the project's 450 lines on purpose: WP-CLI reads each subcommand's help (options,
 * defaults, examples) from its docblock, and that help is about two thirds of this file.
 *
 * WP-CLI reads the `---` blocks as YAML with Spyc's rules, where an unquoted " #" starts a
 * comment: a default holding " #" is quoted (create's `--description`).
 *
 * WP-CLI's global `--user=<id|login|email>` sets the acting user (recorded in the audit log and
 * checked by WooCommerce's owner rule); the key owner is therefore `--owner`, never `--user`.
 * `create` without `--owner` makes the keys for the acting user, as WooCommerce's "Add key" screen
 * defaults a key's user to the current user.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Cli;

use Keysmith\Store\Actor;
use Keysmith\Store\KeyFilter;
use Keysmith\Store\KeyRecord;
use Keysmith\Store\KeyService;
use Keysmith\Store\KeySpec;
use WP_CLI;
use WP_CLI\Formatter;
use WP_CLI\Utils;
use WP_Error;

/**
 * Manages WooCommerce REST API keys in bulk.
 *
 * Creates, lists, revokes, updates, rotates and verifies keys, shows the audit trail, and checks or benchmarks the Keysmith extension. The keys are ordinary WooCommerce keys: they keep working without Keysmith.
 *
 * ## EXAMPLES
 *
 *     # Ten read/write keys for "shopbot" that expire in 90 days, to a file.
 *     $ wp keysmith create --owner=shopbot --count=10 --permissions=read_write --expires="+90 days" --porcelain > shopbot-keys.txt
 *
 *     # Revoke every key nobody used for six months, without a prompt.
 *     $ wp keysmith revoke --unused-since="-6 months" --yes
 *     Success: Revoked 12 of 12 keys.
 */
final class KeysCommand {

	/** Fields `list` shows by default. */
	private const LIST_FIELDS = array( 'key_id', 'owner', 'description', 'permissions', 'truncated_key', 'last_access', 'expires_at' );

	/** Keys read per query when listing everything. */
	private const PAGE = 1000;

	private KeyService $service;

	public function __construct() {
		$this->service = new KeyService();
	}

	/**
	 * Creates API keys and prints each new consumer key and secret, once.
	 *
	 * The keys are ordinary WooCommerce keys (they keep working without Keysmith). WooCommerce keeps only a hash of the consumer key, so this output is the only time it can be copied.
	 *
	 * All keys are created in one transaction: either all of them exist afterwards or none does. For more than 500 keys, the table output on a terminal shows a progress bar first.
	 *
	 * ## OPTIONS
	 *
	 * [--owner=<user>]
	 * : The user the keys act as: ID, login or email. Several users, comma-separated, get --count keys each. Default: the acting user (WP-CLI's --user).
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
	 * default: "Keysmith {date} #{n}"
	 * ---
	 *
	 * [--expires=<date>]
	 * : When the keys stop working: YYYY-MM-DD, "YYYY-MM-DD HH:MM:SS" (UTC), ISO 8601, relative such as "+90 days", or "never". Default: the key-lifetime policy's default expiry (`wp keysmith policy get`), else never.
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
	 *     # Two keys for the shop manager that expire at the start of 2027, as YAML.
	 *     $ wp --user=admin keysmith create --owner=shopmanager --count=2 --description="ERP sync {n}" --expires=2027-01-01 --format=yaml
	 *     ---
	 *     -
	 *       key_id: 1
	 *       owner: shopmanager
	 *       description: ERP sync 1
	 *       permissions: read
	 *       consumer_key: ck_746842e66d406189a4075b8c59f5630b4f5eafdc
	 *       consumer_secret: cs_877887a74023c947170b3128f5711ec884226c01
	 *       expires_at: 2027-01-01 00:00:00
	 *     -
	 *       key_id: 2
	 *       owner: shopmanager
	 *       description: ERP sync 2
	 *       permissions: read
	 *       consumer_key: ck_42350333210f61afce14daf6b648470c52f0a66e
	 *       consumer_secret: cs_33ff00aeb5bb101ab6374e17084b0db16e54ba62
	 *       expires_at: 2027-01-01 00:00:00
	 *
	 *     # Three keys for the acting user (no --owner), to a file.
	 *     $ wp --user=admin keysmith create --count=3 --porcelain > admin-keys.txt
	 *
	 *     # One read/write key for admin, its key and secret kept in shell variables.
	 *     $ read CK CS < <(wp keysmith create --owner=admin --permissions=read_write --porcelain)
	 *     $ echo "$CK"
	 *     ck_5e79b5fd72ddf62d76d62bf4eb55bd6fa10341d7
	 */
	public function create( array $args, array $assoc_args ): void {
		Halt::without_woocommerce( 'create' );
		$owners  = Arguments::owners( $assoc_args );
		$count   = Arguments::positive_int( Utils\get_flag_value( $assoc_args, 'count', '1' ), 'count' );
		$expires = Arguments::new_key_expiry( $assoc_args ); // Without --expires: the key-lifetime policy's default.
		Halt::on_error( $owners );
		Halt::on_error( $count );
		Halt::on_error( $expires );
		$progress = Progress::for_output( __( 'Creating keys', 'keysmith' ), $assoc_args );
		$created  = $this->service->create(
			array(
				'user_ids'    => $owners,
				'count'       => $count,
				'permissions' => Utils\get_flag_value( $assoc_args, 'permissions', 'read' ),
				'description' => Utils\get_flag_value( $assoc_args, 'description', KeySpec::DEFAULT_DESCRIPTION ),
			) + $expires,
			Actor::current( 'cli' ),
			$progress
		);
		$progress->finish( ! $created instanceof WP_Error );
		Halt::on_error( $created );
		KeyOutput::new_keys( $created, $assoc_args );
		if ( ! Utils\get_flag_value( $assoc_args, 'porcelain', false ) && 'table' === Utils\get_flag_value( $assoc_args, 'format', 'table' ) ) {
			/* translators: %d: number of keys. */
			WP_CLI::success( sprintf( _n( 'Created %d key. Copy the consumer key and secret now: they are not shown again.', 'Created %d keys. Copy the consumer keys and secrets now: they are not shown again.', count( $created ), 'keysmith' ), count( $created ) ) );
		}
	}

	/**
	 * Lists API keys. Secrets and key hashes are never shown.
	 *
	 * Newest keys first (key_id descending), as WooCommerce's own key list, Keysmith's screen and GET /keysmith/v1/keys show them; --orderby and --order change that.
	 *
	 * ## OPTIONS
	 *
	 * [--owner=<user>]
	 * : Only keys of these users (ID, login or email; comma-separated).
	 *
	 * [--permissions=<permissions>]
	 * : Only keys with these permissions (read, write, read_write; comma-separated).
	 *
	 * [--source=<source>]
	 * : Only keys made this way: keysmith, woocommerce (WooCommerce's Add key screen), wc-auth (app authorization) or unknown (found in the table; comma-separated).
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
	 * [--failing]
	 * : Only keys with requests refused in the last 24 hours (wrong secret, bad signature, expired...).
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
	 * default: desc
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
	 * These fields are shown by default: key_id, owner, description, permissions, truncated_key, last_access, expires_at.
	 *
	 * These fields are optionally available: user_id, created_at, created_by, last_ip, rotated_from, source, app_name, failures_24h, last_failure, last_failure_ip, last_failure_reason.
	 *
	 * last_access is WooCommerce's site-local time; created_at, expires_at and last_failure are UTC. failures_24h counts the requests with the key that were refused in the last 24 hours; last_failure, last_failure_ip and last_failure_reason describe the latest of them.
	 *
	 * ## EXAMPLES
	 *
	 *     # Four of the fields, newest key first.
	 *     $ wp keysmith list --fields=key_id,owner,description,expires_at
	 *     +--------+-------------+------------------------+---------------------+
	 *     | key_id | owner       | description            | expires_at          |
	 *     +--------+-------------+------------------------+---------------------+
	 *     | 3      | admin       | Keysmith 2026-11-26 #1 |                     |
	 *     | 2      | shopmanager | ERP sync 2             | 2027-01-01 00:00:00 |
	 *     | 1      | shopmanager | ERP sync 1             | 2027-01-01 00:00:00 |
	 *     +--------+-------------+------------------------+---------------------+
	 *
	 *     # The IDs of the keys nobody has used yet, oldest first.
	 *     $ wp keysmith list --never-used --order=asc --format=ids
	 *     1 2 3
	 *
	 *     # How many keys may write.
	 *     $ wp keysmith list --permissions=read_write --format=count
	 *     1
	 *
	 *     # The shop manager's keys as JSON.
	 *     $ wp keysmith list --owner=shopmanager --fields=key_id,permissions --format=json
	 *     [{"key_id":2,"permissions":"read"},{"key_id":1,"permissions":"read"}]
	 *
	 *     # Keys refused in the last 24 hours, and where the requests came from.
	 *     $ wp keysmith list --failing --fields=key_id,failures_24h,last_failure_ip
	 *     +--------+--------------+-----------------+
	 *     | key_id | failures_24h | last_failure_ip |
	 *     +--------+--------------+-----------------+
	 *     | 2      | 41           | 203.0.113.7     |
	 *     +--------+--------------+-----------------+
	 *
	 * @subcommand list
	 */
	public function list_( array $args, array $assoc_args ): void {
		Halt::without_woocommerce( 'list' );
		$filter = Arguments::filter( array(), self::list_defaults( $assoc_args ) );
		Halt::on_error( $filter );
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
		$formatter->display_items( array_map( array( KeyOutput::class, 'list_row' ), $records ) );
	}

	/**
	 * Gets details about an API key.
	 *
	 * Shows every field `wp keysmith list` knows, for one key; never its secret.
	 *
	 * ## OPTIONS
	 *
	 * <key_id>
	 * : The key's ID.
	 *
	 * [--field=<field>]
	 * : Instead of returning the whole key, returns the value of a single field.
	 *
	 * [--fields=<fields>]
	 * : Limit the output to specific fields. Defaults to all fields.
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
	 *     # Why key 2 keeps failing.
	 *     $ wp keysmith get 2 --fields=key_id,owner,failures_24h,last_failure,last_failure_reason --format=json
	 *     {"key_id":2,"owner":"shopmanager","failures_24h":41,"last_failure":"2026-12-05 08:14:02","last_failure_reason":"Invalid signature - provided signature does not match."}
	 *
	 *     # Only its expiry.
	 *     $ wp keysmith get 2 --field=expires_at
	 *     2027-01-01 00:00:00
	 */
	public function get( array $args, array $assoc_args ): void {
		Halt::without_woocommerce( 'get' );
		$id  = 1 === preg_match( '/^[1-9]\d{0,18}$/', trim( (string) $args[0] ) ) ? (int) $args[0] : 0;
		$key = $this->service->find( $id );
		if ( null === $key ) {
			/* translators: %s: the key ID as given. */
			WP_CLI::error( sprintf( __( 'Invalid key ID: %s.', 'keysmith' ), $args[0] ) );
		}
		$full = KeyOutput::list_row( $key );
		$row  = array(
			'key_id' => $full['key_id'],
			'owner'  => $full['owner'],
		) + $full; // The ID and owner first, as in the list.
		( new Formatter( $assoc_args, array_keys( $row ) ) )->display_item( $row );
	}

	/**
	 * Revokes API keys: deletes them as WooCommerce does, with their Keysmith metadata.
	 *
	 * Give key IDs, or filters, or --all. Asks for confirmation unless --yes. Exits with 1 when some requested keys could not be revoked (e.g. they no longer exist); the others are revoked.
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
	 * : Show what would be revoked; change nothing. Exits with 1 where the real run would.
	 *
	 * [--yes]
	 * : Answer yes to the confirmation message.
	 *
	 * ## EXAMPLES
	 *
	 *     # Which keys the filter selects; nothing is revoked.
	 *     $ wp keysmith revoke --owner=shopmanager --dry-run
	 *     Dry run: would revoke 1 key: 2
	 *
	 *     # Revoke them, after a confirmation.
	 *     $ wp keysmith revoke --owner=shopmanager
	 *     Revoke 1 key? [y/n] y
	 *     Success: Revoked 1 of 1 key.
	 *
	 *     # Key 99 does not exist: key 1 is revoked, and the command exits with 1.
	 *     $ wp keysmith revoke 1 99 --yes
	 *     Error: Revoked 1 of 2 keys. Not found: 99.
	 */
	public function revoke( array $args, array $assoc_args ): void {
		Halt::without_woocommerce( 'revoke' );
		$filter = Arguments::filter( $args, $assoc_args );
		Halt::on_error( $filter );
		if ( ! $filter->has_criteria() && ! $filter->all ) {
			WP_CLI::error( __( 'Give key IDs, a filter (--owner, --unused-since, --never-used, --expired, --permissions) or --all.', 'keysmith' ) );
		}
		$actor = Actor::current( 'cli' );
		$probe = $this->service->revoke( $filter, $actor, true );
		Halt::on_error( $probe );
		if ( Utils\get_flag_value( $assoc_args, 'dry-run', false ) ) {
			KeyOutput::dry_run( $probe );
			return;
		}
		if ( $probe->matched > 0 ) {
			/* translators: %d: number of keys. */
			WP_CLI::confirm( sprintf( _n( 'Revoke %d key?', 'Revoke %d keys?', $probe->matched, 'keysmith' ), $probe->matched ), $assoc_args );
		}
		$result = $this->service->revoke( $filter, $actor );
		Halt::on_error( $result );
		KeyOutput::result( $result, $result->message() );
	}

	/**
	 * Changes the permissions, owner, description or expiry of API keys.
	 *
	 * The changes are checked first: when one is refused (an unknown owner, one you may not assign keys to, a past date), no key is changed. The keys that exist are then changed together, in one transaction. Requested IDs that do not exist are reported and the command exits with 1, as revoke does; the others are changed.
	 *
	 * With --apply-policy, the keys get the expiry the key-lifetime policy gives new keys (`wp keysmith policy get`), unless they already expire sooner; it asks for confirmation unless --yes.
	 *
	 * ## OPTIONS
	 *
	 * [<key_id>...]
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
	 * [--apply-policy]
	 * : Set the expiry from the key-lifetime policy (the only change then).
	 *
	 * [--all]
	 * : Change every key (needed when no key ID is given).
	 *
	 * [--dry-run]
	 * : Check the changes as for real (owner, permissions, expiry) and show which keys they would apply to; change nothing. Exits with 1 where the real run would.
	 *
	 * [--yes]
	 * : Answer yes to the confirmation of --apply-policy.
	 *
	 * ## EXAMPLES
	 *
	 *     # Read/write for key 2, for 30 more days.
	 *     $ wp keysmith update 2 --permissions=read_write --expires="+30 days"
	 *     Success: Updated 1 of 1 key.
	 *
	 *     # Key 1 never expires.
	 *     $ wp keysmith update 1 --no-expiry
	 *     Success: Updated 1 of 1 key.
	 *
	 *     # Check a change of owner on keys 1 and 2; nothing is changed.
	 *     $ wp keysmith update 1 2 --owner=customer --expires="+30 days" --dry-run
	 *     Dry run: would update 2 keys: 1 2
	 *
	 *     # Key 99 does not exist: key 1 is changed, and the command exits with 1.
	 *     $ wp keysmith update 1 99 --description="nightly export"
	 *     Error: Updated 1 of 2 keys. Not found: 99.
	 *
	 *     # What the key-lifetime policy would shorten; nothing changes.
	 *     $ wp keysmith update --apply-policy --all --dry-run
	 *     Dry run: would make 2 keys expire earlier: 1 3
	 */
	public function update( array $args, array $assoc_args ): void {
		Halt::without_woocommerce( 'update' );
		if ( array() === $args && ! Utils\get_flag_value( $assoc_args, 'all', false ) ) {
			WP_CLI::error( __( 'Give the IDs of the keys to change, or --all.', 'keysmith' ) );
		}
		if ( Utils\get_flag_value( $assoc_args, 'apply-policy', false ) ) {
			PolicyApplier::run( $args, $assoc_args );
			return;
		}
		$changes = Arguments::changes( $assoc_args );
		Halt::on_error( $changes );
		$filter = Arguments::filter( $args, array_intersect_key( $assoc_args, array( 'all' => true ) ) );
		Halt::on_error( $filter );
		$dry_run = (bool) Utils\get_flag_value( $assoc_args, 'dry-run', false );
		$result  = $this->service->update( $filter, $changes, Actor::current( 'cli' ), $dry_run );
		Halt::on_error( $result );
		if ( $dry_run ) {
			KeyOutput::dry_run( $result );
			return;
		}
		KeyOutput::result( $result, trim( $result->message() . ' ' . $result->unchanged_note() ) );
	}

	/**
	 * Replaces API keys by new ones with the same owner, permissions, description and expiry.
	 *
	 * Prints each new consumer key and secret, once. The old key keeps working for the grace period given with --grace, then expires; --grace=0 revokes it at once. There is no default: a rotation never revokes old keys unless asked to.
	 *
	 * For more than 500 keys, the table output on a terminal shows a progress bar first.
	 *
	 * ## OPTIONS
	 *
	 * <key_id>...
	 * : IDs of the keys to rotate.
	 *
	 * --grace=<duration>
	 * : How long the old keys keep working: seconds, or e.g. 15m, 12h, 7d, 2w (at most a year); 0 revokes them at once.
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
	 * : Check as for real (owners, grace period) and show which keys would be rotated; change nothing. Exits with 1 where the real run would.
	 *
	 * ## EXAMPLES
	 *
	 *     # A new key for key 3, as YAML; key 3 keeps working for one more day.
	 *     $ wp keysmith rotate 3 --grace=1d --format=yaml
	 *     ---
	 *     -
	 *       key_id: 4
	 *       rotated_from: 3
	 *       owner: admin
	 *       description: 'Keysmith 2026-11-26 #1'
	 *       permissions: read_write
	 *       consumer_key: ck_086d4a1da230da51722b946cda2e1ede0f0bf7a8
	 *       consumer_secret: cs_5649af1f9ee43a3c41667216aae4a8315443020a
	 *       expires_at: null
	 *
	 *     # Which keys would get a successor (key 3 has one already: exit 1).
	 *     $ wp keysmith rotate 1 2 3 --grace=1d --dry-run
	 *     Dry run: would rotate 2 keys: 1 2
	 *     Error: Not rotated (unknown, expired or already rotated): 3.
	 */
	public function rotate( array $args, array $assoc_args ): void {
		Halt::without_woocommerce( 'rotate' );
		$grace = Arguments::duration( (string) Utils\get_flag_value( $assoc_args, 'grace', '' ) ); // Required: WP-CLI checks it is given.
		Halt::on_error( $grace );
		$filter = KeyFilter::by_ids( $args );
		Halt::on_error( $filter );
		if ( Utils\get_flag_value( $assoc_args, 'dry-run', false ) ) {
			$probe = $this->service->rotate( $filter, Actor::current( 'cli' ), $grace, dry_run: true );
			Halt::on_error( $probe );
			KeyOutput::dry_run( $probe->summary );
			return;
		}
		$progress = Progress::for_output( __( 'Rotating keys', 'keysmith' ), $assoc_args );
		$rotation = $this->service->rotate( $filter, Actor::current( 'cli' ), $grace, $progress );
		$progress->finish( ! $rotation instanceof WP_Error );
		Halt::on_error( $rotation );
		if ( array() !== $rotation->keys ) { // Nothing rotated: the error alone, no empty table.
			KeyOutput::new_keys( $rotation->keys, $assoc_args );
		}
		KeyOutput::rotation( $rotation->summary, $assoc_args );
	}

	/**
	 * Checks a consumer key and secret against this site.
	 *
	 * Exits with 0 when the pair is valid, else with 1 and the reason (unknown key, wrong secret, expired).
	 *
	 * Leave out the secret to read it from STDIN (keeps it out of the shell history and the process list); it is never printed.
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
	 *     # The pair made by `create` above, the secret read from STDIN.
	 *     $ printf '%s' "$CS" | wp keysmith verify "$CK"
	 *     Success: Valid: the key …341d7 and its secret match, and the key has not expired.
	 *
	 *     # A wrong secret: the command exits with 1.
	 *     $ printf 'cs_wrong' | wp keysmith verify "$CK"
	 *     Error: Consumer secret is invalid.
	 */
	public function verify( #[\SensitiveParameter] array $args, array $assoc_args ): void {
		// SensitiveParameter: $args[1] may be the secret.
		Halt::without_woocommerce( 'verify' );
		$consumer_key = trim( (string) $args[0] );
		$secret       = isset( $args[1] ) ? (string) $args[1] : SecretInput::read( __( 'Consumer secret: ', 'keysmith' ) );
		$valid        = $this->service->verify_pair( $consumer_key, rtrim( $secret, "\r\n" ) );
		unset( $secret );
		Halt::on_error( $valid );
		/* translators: %s: last characters of the consumer key. */
		WP_CLI::success( sprintf( __( 'Valid: the key …%s and its secret match, and the key has not expired.', 'keysmith' ), substr( $consumer_key, -5 ) ) );
	}

	// ----------------------------------------------------------------------------------------------
	// Helpers.

	/** Defaults for `list` when WP-CLI's docblock defaults did not apply them. */
	private static function list_defaults( array $assoc_args ): array {
		unset( $assoc_args['format'], $assoc_args['fields'], $assoc_args['field'] );
		return $assoc_args + array(
			'orderby' => 'key_id',
			'order'   => 'desc',
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
}
