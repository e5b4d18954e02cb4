<?php
/**
 * Sealing for keys being made by Keysmith's store while sealing is on: each new row gets a Marker
 * for WooCommerce's column and its sealed secret for Keysmith's, written in the same transaction
 * as the key (KeyWriter). The plaintext is still returned to whoever made the key, once.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Sealing;

use Keysmith\Crypto\Sealing;
use WP_Error;

final class NewSecrets {

	/** Whether new secrets must be sealed now. */
	public static function wanted(): bool {
		return State::enabled();
	}

	/**
	 * Why new keys cannot be made now (sealing is on and this server has no usable key), or null.
	 * Checked before the store writes anything: a key is never stored in plaintext by mistake.
	 */
	public static function refuse(): ?WP_Error {
		if ( ! self::wanted() ) {
			return null;
		}
		$refused = SealingService::refuse_without_key();
		if ( null === $refused ) {
			return null;
		}
		return new WP_Error(
			'keysmith_sealing_unavailable',
			__( 'Sealing is on, and new keys are stored sealed, but this server has no usable sealing key; no key was made.', 'keysmith' ) . ' ' . $refused->get_error_message(),
			array( 'status' => 500 )
		);
	}

	/**
	 * Adds to each row its marker (`stored_secret`, what WooCommerce's column gets) and its sealed
	 * secret (`sealed_secret`, associated data the row's key hash).
	 *
	 * @param list<array<string, mixed>> $rows Rows with consumer_secret and key_hash.
	 * @return list<array<string, mixed>>
	 * @throws SealingUnavailable When there is no key (refuse() was not asked first).
	 */
	public static function seal( #[\SensitiveParameter] array $rows ): array {
		if ( ! KeyStatus::current()->configured ) {
			throw new SealingUnavailable( (string) KeyStatus::current()->problem() );
		}
		foreach ( $rows as $i => $row ) {
			$rows[ $i ]['stored_secret'] = Marker::create();
			$rows[ $i ]['sealed_secret'] = Sealing::seal( (string) $row['consumer_secret'], (string) $row['key_hash'] );
		}
		return $rows;
	}

	/**
	 * Writes the sealed secrets of rows just inserted (with their key_id).
	 *
	 * @param list<array<string, mixed>> $rows
	 */
	public static function store( array $rows ): void {
		SealedStore::write_sealed( array_column( $rows, 'sealed_secret', 'key_id' ), (string) KeyStatus::current()->fingerprint );
	}
}
