<?php
/**
 * Thrown inside a store transaction when a statement fails; Transaction turns it into a rollback
 * and a WP_Error. Internal to the store.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

final class DbFailure extends \RuntimeException {

	/** MySQL/MariaDB error numbers after which the whole transaction may be tried again. */
	private const RETRYABLE = array(
		1205, // ER_LOCK_WAIT_TIMEOUT: the statement is rolled back; the transaction is ours to roll back.
		1213, // ER_LOCK_DEADLOCK: the server rolled the whole transaction back (its victim).
	);

	/**
	 * @param string $message The server's message (in the server's language: lc_messages).
	 * @param int    $errno   The server's error number, 0 when unknown.
	 */
	public function __construct( string $message, private readonly int $errno = 0 ) {
		parent::__construct( $message );
	}

	/** The failure of the statement $wpdb ran last. */
	public static function from_wpdb( \wpdb $wpdb ): self {
		$connection = $wpdb->dbh; // Protected, readable through wpdb::__get().
		$errno      = $connection instanceof \mysqli ? mysqli_errno( $connection ) : 0;
		return new self( '' !== $wpdb->last_error ? $wpdb->last_error : 'Query failed.', $errno );
	}

	/**
	 * Whether retrying the whole transaction may succeed (deadlock victim, lock wait timeout). Read
	 * from the error number: the message is translated on servers set to another language.
	 */
	public function is_retryable(): bool {
		return in_array( $this->errno, self::RETRYABLE, true );
	}
}
