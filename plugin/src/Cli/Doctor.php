<?php
/**
 * The checks behind `wp keysmith doctor`: one row per fact, each with what to do when it is wrong.
 * Extension facts come from Health\ExtensionStatus (the same assessment Site Health shows), so the
 * dashboard and the shell never disagree.
 *
 * Note that WP-CLI runs on the CLI's PHP, which may differ from the web server's (php-fpm):
 * the extension rows describe the PHP that runs this command.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Cli;

use Keysmith\Crypto\Crypto;
use Keysmith\Health\ExtensionStatus;
use Keysmith\Sealing\KeyFile;
use Keysmith\Sealing\Report;
use Keysmith\Store\ExpiryCron;
use Keysmith\Store\Schema;

final class Doctor {

	public const OK      = 'ok';
	public const WARNING = 'warning';
	public const ERROR   = 'error';

	/** Oldest WooCommerce the plugin declares (keysmith.php "WC requires at least"). */
	private const MIN_WOOCOMMERCE = '8.0';

	/** How to reinstall Keysmith's tables and cron job: activation runs Schema::install(). */
	private const REACTIVATE = 'wp plugin deactivate keysmith && wp plugin activate keysmith';

	/**
	 * Runs every check.
	 *
	 * @return list<array{check:string, status:string, detail:string, fix:string}>
	 */
	public static function run(): array {
		return array_merge( self::extension(), array( self::implementation() ), self::storage(), array( self::woocommerce(), self::cron() ), self::sealing() );
	}

	/**
	 * Sealing: on or off and the secrets' state, where the key comes from, then each problem
	 * (Sealing\Report, as Site Health shows it) with its fix; a key file others may read.
	 *
	 * @return list<array{check:string, status:string, detail:string, fix:string}>
	 */
	private static function sealing(): array {
		global $wpdb;
		if ( Schema::VERSION !== get_option( Schema::VERSION_OPTION ) || Schema::wc_table() !== $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->esc_like( Schema::wc_table() ) ) ) ) {
			return array(); // The tables rows above say what to do first.
		}
		$report = Report::now();
		/* translators: 1: on or off, 2: how many secrets are sealed and in plaintext. */
		$rows   = array( self::row( 'sealing', self::OK, sprintf( __( '%1$s: %2$s.', 'keysmith' ), $report->state_label(), $report->counts_label() ), '' ) );
		$key    = $report->key;
		$rows[] = self::row( 'sealing key', self::OK, $report->key_label(), '' );
		foreach ( $report->problems() as $problem ) {
			$rows[] = self::row( 'sealing', Report::CRITICAL === $problem['level'] ? self::ERROR : self::WARNING, $problem['message'], $problem['fix'] );
		}
		$exposed = null !== $key->key_file && $key->configured ? KeyFile::exposure( $key->key_file ) : null;
		if ( null !== $exposed ) {
			/* translators: 1: file path, 2: file mode such as 0644. */
			$rows[] = self::row( 'sealing key', self::WARNING, sprintf( __( 'The key file %1$s may be read by others than its owner (mode %2$s).', 'keysmith' ), (string) $key->key_file, $exposed ), sprintf( 'chmod 600 %s', (string) $key->key_file ) );
		}
		return $rows;
	}

	/** @return list<array{check:string, status:string, detail:string, fix:string}> */
	private static function extension(): array {
		$status  = ExtensionStatus::current();
		$install = sprintf(
			/* translators: 1: extension major.minor version, 2: PHP version, 3: NTS or ZTS. */
			__( 'Install keysmith %1$s.x for PHP %2$s %3$s (make install, or pie install keysmith/keysmith), then reload PHP-FPM.', 'keysmith' ),
			$status->required_version,
			PHP_MAJOR_VERSION . '.' . PHP_MINOR_VERSION,
			PHP_ZTS ? 'ZTS' : 'NTS'
		);
		if ( ! extension_loaded( 'keysmith' ) ) {
			return array( self::row( 'extension', self::WARNING, __( 'Not loaded in this PHP: the pure-PHP twin answers (same results, slower).', 'keysmith' ), $install ) );
		}
		$built_for = (string) ( $status->built_for_php_api() ?? '' );
		$rows      = array(
			/* translators: 1: PHP_BINARY path. */
			self::row( 'extension', self::OK, sprintf( __( 'Loaded in %s.', 'keysmith' ), PHP_BINARY ), '' ),
			self::compare( 'extension version', (string) $status->extension_version, $status->required_version . '.x', Crypto::REASON_VERSION !== $status->fallback_reason, $install ),
			self::compare( 'PHP API', $built_for, $status->runtime_php_api, '' === $built_for || $built_for === $status->runtime_php_api, $install ),
			self::compare( 'thread safety', $status->thread_safety(), PHP_ZTS ? 'ZTS' : 'NTS', $status->thread_safety() === ( PHP_ZTS ? 'ZTS' : 'NTS' ), $install ),
		);
		if ( ExtensionStatus::BROKEN === $status->state && null !== $status->problem ) {
			$rows[] = self::row( 'self-test', self::ERROR, (string) $status->problem, __( "Add define( 'KEYSMITH_FORCE_FALLBACK', true ); to wp-config.php now, then reinstall the extension.", 'keysmith' ) . ' ' . $install );
		} else {
			$rows[] = self::row( 'self-test', self::OK, __( 'The extension computes what PHP computes.', 'keysmith' ), '' );
		}
		return $rows;
	}

	/** Row comparing what the extension has with what this PHP / plugin needs. */
	private static function compare( string $check, string $has, string $needs, bool $fits, string $fix ): array {
		/* translators: 1: what the extension has, 2: what is needed. */
		$detail = sprintf( __( '%1$s (needs %2$s)', 'keysmith' ), '' === $has ? __( 'unknown', 'keysmith' ) : $has, $needs );
		return self::row( $check, $fits ? self::OK : self::ERROR, $detail, $fits ? '' : $fix );
	}

	private static function implementation(): array {
		$mode   = Crypto::mode();
		$reason = Crypto::fallback_reason();
		if ( Crypto::MODE_NATIVE === $mode ) {
			return self::row( 'implementation', self::OK, __( 'native (the keysmith extension)', 'keysmith' ), '' );
		}
		$fixes = array(
			Crypto::REASON_FORCED_CONSTANT => __( 'Remove KEYSMITH_FORCE_FALLBACK from wp-config.php to use the extension.', 'keysmith' ),
			Crypto::REASON_FORCED_ENV      => __( 'Unset the environment variable KEYSMITH_FORCE_FALLBACK to use the extension.', 'keysmith' ),
			Crypto::REASON_FORCED_FILTER   => __( 'A plugin returns false from the keysmith_use_native filter.', 'keysmith' ),
		);
		/* translators: %s: why the twin is used (a code such as not_loaded). */
		$detail = sprintf( __( 'fallback: the pure-PHP twin (%s)', 'keysmith' ), (string) $reason );
		return self::row( 'implementation', self::WARNING, $detail, $fixes[ $reason ] ?? __( 'See the extension rows above.', 'keysmith' ) );
	}

	/** @return list<array{check:string, status:string, detail:string, fix:string}> */
	private static function storage(): array {
		global $wpdb;
		$missing = array();
		$tables = array_merge( array( Schema::wc_table() ), Schema::tables() );
		foreach ( $tables as $table ) {
			if ( $table !== $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->esc_like( $table ) ) ) ) {
				$missing[] = $table;
			}
		}
		$version = (string) get_option( Schema::VERSION_OPTION, '' );
		return array(
			array() === $missing
				/* translators: %s: table names. */
				? self::row( 'tables', self::OK, sprintf( __( 'Present: %s', 'keysmith' ), implode( ', ', $tables ) ), '' )
				/* translators: %s: table names. */
				: self::row( 'tables', self::ERROR, sprintf( __( 'Missing: %s', 'keysmith' ), implode( ', ', $missing ) ), in_array( Schema::wc_table(), $missing, true ) ? __( 'Reinstall or repair WooCommerce (its API key table is missing).', 'keysmith' ) : self::REACTIVATE ),
			self::compare( 'schema version', $version, Schema::VERSION, Schema::VERSION === $version, self::REACTIVATE ),
		);
	}

	private static function woocommerce(): array {
		if ( ! defined( 'WC_VERSION' ) ) {
			// Activating needs the files; a deleted or never-installed WooCommerce needs installing.
			$installed = file_exists( WP_PLUGIN_DIR . '/woocommerce/woocommerce.php' );
			return self::row( 'woocommerce', self::ERROR, __( 'WooCommerce is not active.', 'keysmith' ), $installed ? 'wp plugin activate woocommerce' : 'wp plugin install woocommerce --activate' );
		}
		$version = (string) constant( 'WC_VERSION' );
		if ( defined( 'KEYSMITH_WC_CONTRACT_FIXTURE' ) ) {
			/* translators: %s: WooCommerce version. */
			return self::row( 'woocommerce', self::WARNING, sprintf( __( '%s, but this is Keysmith\'s WooCommerce contract fixture (a test stand-in), not WooCommerce.', 'keysmith' ), $version ), __( 'Fine for tests; install the real WooCommerce on a store.', 'keysmith' ) );
		}
		if ( version_compare( $version, self::MIN_WOOCOMMERCE, '<' ) ) {
			/* translators: 1: installed version, 2: minimum version. */
			return self::row( 'woocommerce', self::ERROR, sprintf( __( '%1$s is older than %2$s.', 'keysmith' ), $version, self::MIN_WOOCOMMERCE ), 'wp plugin update woocommerce' );
		}
		return self::row( 'woocommerce', self::OK, $version, '' );
	}

	private static function cron(): array {
		$next = wp_next_scheduled( ExpiryCron::HOOK );
		if ( false === $next ) {
			/* translators: %s: cron hook name. */
			return self::row( 'cron', self::ERROR, sprintf( __( '%s is not scheduled: expired keys are refused but never removed.', 'keysmith' ), ExpiryCron::HOOK ), self::REACTIVATE );
		}
		/* translators: 1: cron hook name, 2: UTC date. */
		$detail = sprintf( __( '%1$s next runs %2$s UTC.', 'keysmith' ), ExpiryCron::HOOK, gmdate( 'Y-m-d H:i:s', $next ) );
		if ( $next < time() - HOUR_IN_SECONDS ) {
			return self::row( 'cron', self::WARNING, $detail . ' ' . __( 'It is overdue: WP-Cron does not seem to run.', 'keysmith' ), __( 'Run `wp cron event run --due-now` from the system crontab every few minutes.', 'keysmith' ) );
		}
		if ( defined( 'DISABLE_WP_CRON' ) && DISABLE_WP_CRON ) {
			return self::row( 'cron', self::WARNING, $detail . ' ' . __( 'DISABLE_WP_CRON is set.', 'keysmith' ), __( 'Make sure a system cron runs `wp cron event run --due-now`.', 'keysmith' ) );
		}
		return self::row( 'cron', self::OK, $detail, '' );
	}

	/** @return array{check:string, status:string, detail:string, fix:string} */
	private static function row( string $check, string $status, string $detail, string $fix ): array {
		return compact( 'check', 'status', 'detail', 'fix' );
	}
}
