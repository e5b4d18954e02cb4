<?php
/**
 * Runs store work in one database transaction: all or nothing.
 *
 * WordPress has no transaction API, so this issues START TRANSACTION / COMMIT / ROLLBACK through
 * $wpdb on its one connection. WooCommerce's and Keysmith's tables are InnoDB (dbDelta's default
 * engine), so a rollback also removes rows already inserted by earlier chunks.
 *
 * wpdb's error reporting is suppressed meanwhile: on a failed INSERT it would log the whole
 * statement, which holds plaintext consumer secrets, to the PHP error log.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

use WP_Error;

final class Transaction {

	/** Attempts for a transaction chosen as a deadlock victim before giving up. */
	private const ATTEMPTS = 3;

	private static int $depth = 0;

	/** Set when wpdb reconnected during a transaction (see refuse_reconnect()). */
	private static bool $reconnected = false;

	/**
	 * @template T
	 * @param callable(): (T|WP_Error) $work Throws DbFailure (via self::query etc.) on a failed statement.
	 * @param string                   $what Translated description for the error, e.g. "creating keys".
	 * @return T|WP_Error
	 */
	public static function run( callable $work, string $what ): mixed {
		if ( self::$depth > 0 ) {
			return $work(); // Already inside one of ours: the outer transaction decides.
		}
		global $wpdb;
		$suppressed = $wpdb->suppress_errors( true );
		try {
			for ( $attempt = 1; ; $attempt++ ) {
				$result = self::attempt( $work, $what );
				if ( ! $result instanceof DbFailure ) {
					return $result;
				}
				if ( ! $result->is_retryable() || $attempt >= self::ATTEMPTS ) {
					return new WP_Error(
						'keysmith_db_error',
						/* translators: %s: what the store was doing, e.g. "creating keys". */
						sprintf( __( 'A database error occurred while %s; nothing was changed.', 'keysmith' ), $what ),
						array( 'status' => 500, 'db_error' => self::scrub( $result->getMessage() ) )
					);
				}
				usleep( 20000 * $attempt );
			}
		} finally {
			$wpdb->suppress_errors( $suppressed );
		}
	}

	/** One try: the work's result, a WP_Error (rolled back), or the DbFailure that rolled it back. */
	private static function attempt( callable $work, string $what ): mixed {
		self::$depth++;
		add_filter( 'incompatible_sql_modes', array( self::class, 'refuse_reconnect' ) );
		try {
			self::query( 'START TRANSACTION' );
			$result = $work();
			if ( $result instanceof WP_Error ) {
				self::rollback();
				return $result;
			}
			self::query( 'COMMIT' );
			return $result;
		} catch ( DbFailure $failure ) {
			self::rollback();
			return $failure;
		} catch ( \Throwable $e ) {
			self::rollback();
			throw $e;
		} finally {
			remove_filter( 'incompatible_sql_modes', array( self::class, 'refuse_reconnect' ) );
			self::$depth--;
			if ( self::$reconnected ) {
				self::finish_reconnect();
			}
		}
	}

	/**
	 * Stops wpdb from silently reconnecting in the middle of a transaction.
	 *
	 * When the server connection is lost ("MySQL server has gone away"), wpdb::query() reconnects
	 * and runs the failed statement again on the new connection, in autocommit mode: the server
	 * has rolled back everything before it, but that statement and every later one would commit
	 * on their own, leaving exactly the partial state a transaction must prevent. wpdb applies the
	 * `incompatible_sql_modes` filter on every (re)connection before re-running the statement, so
	 * throwing here aborts the statement and the operation fails cleanly instead.
	 *
	 * @param mixed $modes Unused; never returned.
	 * @throws DbFailure Always.
	 */
	public static function refuse_reconnect( mixed $modes ): never {
		self::$reconnected = true;
		throw new DbFailure( 'The database connection was lost during the transaction.' );
	}

	/**
	 * Completes the connection setup refuse_reconnect() interrupted (SQL modes, database
	 * selection), so the rest of the request can use $wpdb normally.
	 */
	private static function finish_reconnect(): void {
		global $wpdb;
		self::$reconnected = false;
		$wpdb->set_sql_mode();
		$wpdb->select( $wpdb->dbname );
	}

	/**
	 * Runs one statement; throws DbFailure when it fails.
	 *
	 * @param string $sql Prepared; holds plaintext secrets in a create (hence SensitiveParameter).
	 * @return int Rows affected (or selected).
	 */
	public static function query( #[\SensitiveParameter] string $sql ): int {
		global $wpdb;
		$result = $wpdb->query( $sql ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- callers prepare.
		if ( false === $result ) {
			throw DbFailure::from_wpdb( $wpdb );
		}
		return (int) $result;
	}

	/**
	 * Runs a SELECT; throws DbFailure when it fails.
	 *
	 * @return list<array<string, string|null>>
	 */
	public static function rows( string $sql ): array {
		global $wpdb;
		$wpdb->last_error = '';
		$rows             = $wpdb->get_results( $sql, ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- callers prepare.
		if ( '' !== $wpdb->last_error || ! is_array( $rows ) ) {
			throw DbFailure::from_wpdb( $wpdb );
		}
		return $rows;
	}

	private static function rollback(): void {
		global $wpdb;
		$wpdb->query( 'ROLLBACK' );
	}

	/** A DB error message quotes the statement near the failure, which may hold a secret. */
	private static function scrub( string $message ): string {
		return (string) preg_replace( '/cs_[0-9a-f]{1,40}/i', 'cs_[redacted]', $message );
	}
}
