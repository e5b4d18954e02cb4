<?php
/**
 * Keysmith's own tables. WooCommerce's {prefix}woocommerce_api_keys is never altered.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

final class Schema {

	/**
	 * Bump when the CREATE TABLE statements change; maybe_upgrade() then re-runs install(). 4: the
	 * ended-keys table; 5: meta.sealed_secret and meta.sealed_with (Sealing\SealedStore); 6:
	 * meta.source and meta.app_name (where each key was made), audit.source widened for the
	 * sources of changes made outside Keysmith (woocommerce, wc-auth, reconcile).
	 */
	public const VERSION = '6';

	public const VERSION_OPTION  = 'keysmith_schema_version';
	public const SETTINGS_OPTION = 'keysmith_settings';

	public static function meta_table(): string {
		global $wpdb;
		return $wpdb->prefix . 'keysmith_key_meta';
	}

	/** OAuth nonces accepted on the authentication path (Auth\NonceStore). */
	public static function nonce_table(): string {
		global $wpdb;
		return $wpdb->prefix . 'keysmith_nonces';
	}

	/** Keys that no longer exist, by their stored hash, for 90 days (EndedKeys). */
	public static function ended_table(): string {
		global $wpdb;
		return $wpdb->prefix . 'keysmith_ended_keys';
	}

	/** Authentication failures per client address and key (Auth\Throttle). */
	public static function failure_table(): string {
		global $wpdb;
		return $wpdb->prefix . 'keysmith_failures';
	}

	public static function audit_table(): string {
		global $wpdb;
		return $wpdb->prefix . 'keysmith_audit';
	}

	/**
	 * Keysmith's own tables (dropped on uninstall).
	 *
	 * @return list<string>
	 */
	public static function tables(): array {
		return array( self::meta_table(), self::audit_table(), self::nonce_table(), self::failure_table(), self::ended_table() );
	}

	/** WooCommerce's key table (read and written, never altered). */
	public static function wc_table(): string {
		global $wpdb;
		return $wpdb->prefix . 'woocommerce_api_keys';
	}

	/** Creates or upgrades the tables (dbDelta), migrates their rows, records the schema version. */
	public static function install(): void {
		global $wpdb;
		$had_sources = self::has_column( self::meta_table(), 'source' );
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		$collate = $wpdb->get_charset_collate();
		// dbDelta wants two spaces after PRIMARY KEY and one definition per line.
		// meta.created_at is NULL-able on purpose: the auth path records last_ip for keys
		// WooCommerce made, and for those the creation time is unknown, not "now". A sealed
		// secret lives in meta.sealed_secret (WooCommerce's column is char(43), a sealed value
		// about 100 characters) with the fingerprint of the key that sealed it; no index on the
		// fingerprint: only whole-table runs read by it, and sealing 100,000 keys writes it.
		// meta.source is NULL until the key's origin is recorded (Store\KeySource, Store\Reconciler).
		dbDelta(
			array(
				'CREATE TABLE ' . self::meta_table() . " (
  key_id bigint(20) unsigned NOT NULL,
  created_at datetime NULL DEFAULT NULL,
  created_by bigint(20) unsigned NOT NULL DEFAULT 0,
  expires_at datetime NULL DEFAULT NULL,
  last_ip varchar(45) NULL DEFAULT NULL,
  rotated_from bigint(20) unsigned NULL DEFAULT NULL,
  sealed_secret varchar(160) NULL DEFAULT NULL,
  sealed_with char(16) NULL DEFAULT NULL,
  source varchar(20) NULL DEFAULT NULL,
  app_name varchar(200) NULL DEFAULT NULL,
  PRIMARY KEY  (key_id),
  KEY expires_at (expires_at),
  KEY created_at (created_at),
  KEY rotated_from (rotated_from)
) $collate;",
				'CREATE TABLE ' . self::audit_table() . " (
  audit_id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  occurred_at datetime NOT NULL,
  actor_id bigint(20) unsigned NOT NULL DEFAULT 0,
  source varchar(20) NOT NULL,
  action varchar(32) NOT NULL,
  key_id bigint(20) unsigned NOT NULL DEFAULT 0,
  truncated_key char(7) NOT NULL DEFAULT '',
  key_owner bigint(20) unsigned NOT NULL DEFAULT 0,
  details text NULL,
  PRIMARY KEY  (audit_id),
  KEY key_id (key_id),
  KEY occurred_at (occurred_at),
  KEY actor_id (actor_id)
) $collate;",
				// One row per accepted nonce: the primary key makes accepting one an atomic insert;
				// the nonce is compared as raw bytes, as WooCommerce compares it (strict in_array).
				'CREATE TABLE ' . self::nonce_table() . " (
  key_id bigint(20) unsigned NOT NULL,
  nonce varbinary(255) NOT NULL,
  valid_until int(10) unsigned NOT NULL,
  PRIMARY KEY  (key_id,nonce),
  KEY valid_until (valid_until)
) $collate;",
				// One row per (client address, key) with a failure in the last 24 hours; key_id 0
				// counts the keys nobody knows. Times are Unix seconds.
				'CREATE TABLE ' . self::failure_table() . " (
  address varchar(50) NOT NULL,
  key_id bigint(20) unsigned NOT NULL,
  window_start int(10) unsigned NOT NULL,
  window_failures int(10) unsigned NOT NULL,
  day_start int(10) unsigned NOT NULL,
  day_failures int(10) unsigned NOT NULL,
  last_failure_at int(10) unsigned NOT NULL,
  last_reason varchar(191) NOT NULL DEFAULT '',
  PRIMARY KEY  (address,key_id),
  KEY key_id (key_id,last_failure_at),
  KEY last_failure_at (last_failure_at)
) $collate;",
				'CREATE TABLE ' . self::ended_table() . " (
  consumer_key char(64) NOT NULL,
  key_id bigint(20) unsigned NOT NULL,
  truncated_key char(7) NOT NULL DEFAULT '',
  user_id bigint(20) unsigned NOT NULL DEFAULT 0,
  ended_at datetime NOT NULL,
  ended_by varchar(20) NOT NULL DEFAULT '',
  PRIMARY KEY  (consumer_key),
  KEY ended_at (ended_at)
) $collate;",
			)
		);
		if ( ! $had_sources ) {
			self::record_sources();
		}
		update_option( self::VERSION_OPTION, self::VERSION, true );
		// Read on every API request (Auth\Settings asks whether sealing is engaged): autoloaded, so
		// a site that never turned sealing on does not pay a query for a missing option.
		add_option( 'keysmith_sealing', array( 'enabled' => false, 'pending' => null ), '', true ); // Sealing\State::OPTION.
	}

	/**
	 * The rows of the schema that added meta.source (version 6), run when that column was just
	 * added (decided by the column, not the version number, so it runs once whatever number the
	 * version has): keys Keysmith made (a creation time) get source `keysmith`; every other key
	 * already in WooCommerce's table gets its record now, as `unknown`, without an audit event: it
	 * was there before Keysmith could notice it, and a store with thousands of keys would otherwise
	 * get thousands of "found" events on upgrade. Keys made from then on are recorded as they appear.
	 */
	private static function record_sources(): void {
		global $wpdb;
		$wpdb->query( $wpdb->prepare( 'UPDATE ' . self::meta_table() . ' SET source = %s WHERE source IS NULL AND created_at IS NOT NULL', KeySource::KEYSMITH ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- table name is ours.
		Reconciler::adopt_existing();
	}

	/** Whether $table exists and has $column. */
	private static function has_column( string $table, string $column ): bool {
		global $wpdb;
		$suppressed = $wpdb->suppress_errors( true ); // The table may not exist yet.
		$found      = $wpdb->get_var( $wpdb->prepare( "SHOW COLUMNS FROM `$table` LIKE %s", $column ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table names are ours.
		$wpdb->suppress_errors( $suppressed );
		return null !== $found;
	}

	/**
	 * Re-runs install() when the stored version differs (plugin updated without re-activation).
	 *
	 * @return bool Whether the tables were installed or upgraded now.
	 */
	public static function maybe_upgrade(): bool {
		if ( self::VERSION === get_option( self::VERSION_OPTION ) ) {
			return false;
		}
		self::install();
		return true;
	}

	/**
	 * Drops Keysmith's tables and options (uninstall). Never touches WooCommerce's table.
	 *
	 * @param bool $keep_meta Keep the metadata table (it still holds sealed secrets that could not
	 *                        be unsealed: dropping it would lose those keys for good).
	 */
	public static function drop( bool $keep_meta = false ): void {
		global $wpdb;
		foreach ( self::tables() as $table ) {
			if ( $keep_meta && self::meta_table() === $table ) {
				continue;
			}
			$wpdb->query( "DROP TABLE IF EXISTS `$table`" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table names are ours.
		}
		delete_option( self::VERSION_OPTION );
		delete_option( self::SETTINGS_OPTION );
		// KeyPolicy::OPTION, Auth\NonceHandover::OPTION and Auth\EarlyContext::OPTION (the plugin is not loaded on uninstall).
		delete_option( 'keysmith_key_policy' );
		delete_option( 'keysmith_nonce_keeper' );
		delete_option( 'keysmith_early_context' );
		if ( ! $keep_meta ) {
			delete_option( 'keysmith_sealing' ); // Sealing\State::OPTION.
		}
	}
}
