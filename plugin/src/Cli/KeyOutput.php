<?php
/**
 * What the key commands print: new key pairs (the only time they are shown), list rows, and the
 * store's results as WP-CLI success, error (exit 1) or dry-run lines. The sentences themselves
 * come from the results (Store\BulkResult); this only decides how and where they are printed.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Cli;

use Keysmith\Store\BulkResult;
use Keysmith\Store\KeyRecord;
use Keysmith\Store\UserResolver;
use WP_CLI;
use WP_CLI\Utils;

final class KeyOutput {

	/** Fields shown for keys just created or rotated (the only time the secret exists outside the DB). */
	private const NEW_KEY_FIELDS = array( 'key_id', 'owner', 'description', 'permissions', 'consumer_key', 'consumer_secret', 'expires_at' );

	/**
	 * Prints keys just created or rotated.
	 *
	 * @param list<array<string, mixed>> $keys
	 */
	public static function new_keys( #[\SensitiveParameter] array $keys, array $assoc_args ): void {
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

	/** @return array<string, int|string|null> One `wp keysmith list` row: the record and its owner's login. */
	public static function list_row( KeyRecord $key ): array {
		return $key->to_array() + array( 'owner' => UserResolver::login( $key->user_id ) );
	}

	/** Success when every requested key was handled; error (exit 1) when some were not. */
	public static function result( BulkResult $result, string $message ): void {
		if ( array() !== $result->failed ) {
			WP_CLI::error( $message . ' ' . $result->failure_note() );
		}
		WP_CLI::success( $message );
	}

	/**
	 * "Dry run: would <action> N keys: <ids>" on STDOUT; then, when some requested keys would not
	 * be touched, an error naming them (exit 1), exactly where the real run exits with 1.
	 */
	public static function dry_run( BulkResult $probe ): void {
		if ( 0 === $probe->matched ) {
			$none = array(
				'revoke'       => __( 'Dry run: no key would be revoked.', 'keysmith' ),
				'update'       => __( 'Dry run: no key would be updated.', 'keysmith' ),
				'rotate'       => __( 'Dry run: no key would be rotated.', 'keysmith' ),
				'apply_policy' => __( 'Dry run: no key would expire earlier.', 'keysmith' ),
			);
			WP_CLI::log( $none[ $probe->action ] );
		} else {
			$formats = array(
				/* translators: 1: number of keys, 2: their IDs. */
				'revoke'       => _n( 'Dry run: would revoke %1$d key: %2$s', 'Dry run: would revoke %1$d keys: %2$s', $probe->matched, 'keysmith' ),
				/* translators: 1: number of keys, 2: their IDs. */
				'update'       => _n( 'Dry run: would update %1$d key: %2$s', 'Dry run: would update %1$d keys: %2$s', $probe->matched, 'keysmith' ),
				/* translators: 1: number of keys, 2: their IDs. */
				'rotate'       => _n( 'Dry run: would rotate %1$d key: %2$s', 'Dry run: would rotate %1$d keys: %2$s', $probe->matched, 'keysmith' ),
				/* translators: 1: number of keys, 2: their IDs. */
				'apply_policy' => _n( 'Dry run: would make %1$d key expire earlier: %2$s', 'Dry run: would make %1$d keys expire earlier: %2$s', $probe->matched, 'keysmith' ),
			);
			WP_CLI::log( sprintf( $formats[ $probe->action ], $probe->matched, implode( ' ', $probe->ids ) ) );
		}
		if ( array() !== $probe->failed ) {
			WP_CLI::error( $probe->failure_note() );
		}
	}

	/**
	 * After the new pairs are shown: an error (exit 1) naming the requested keys that got no
	 * successor, else success for the table output (machine formats stay parseable).
	 */
	public static function rotation( BulkResult $summary, array $assoc_args ): void {
		if ( array() !== $summary->failed ) {
			WP_CLI::error( $summary->message() . ' ' . $summary->failure_note() );
		}
		if ( ! Utils\get_flag_value( $assoc_args, 'porcelain', false ) && 'table' === Utils\get_flag_value( $assoc_args, 'format', 'table' ) ) {
			WP_CLI::success( $summary->message() );
		}
	}
}
