<?php
/**
 * Key rotation, which WooCommerce does not have (docs/woocommerce-compatibility.md §7): each old
 * key gets a successor with the same owner, description, permissions and expiry, linked by
 * rotated_from, and the old key keeps working for a grace period, then expires (or is revoked at
 * once without one). Called by KeyService::rotate(), which checks the filter and grace period first.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

use Keysmith\Crypto\Crypto;
use Keysmith\Keys\Expiry;
use WP_Error;

final class Rotation {

	public function __construct( private readonly KeyWriter $writer ) {}

	/**
	 * Rotates the keys matching $filter in one transaction.
	 *
	 * @param (callable(int, int): void)|null $on_progress See KeyService::create().
	 */
	public function run( KeyFilter $filter, Actor $actor, int $grace_seconds, ?callable $on_progress ): RotationResult|WP_Error {
		$done = Transaction::run(
			fn() => $this->rotate_locked( $filter, $actor, $grace_seconds, $on_progress ),
			__( 'rotating keys', 'keysmith' )
		);
		if ( $done instanceof WP_Error ) {
			return $done;
		}
		KeyCache::forget_rows( $done['old'] ); // After COMMIT, so no reader re-caches the old state.
		return RotationResult::rotated( $filter, $done['created'] );
	}

	/** What run() would do: the same checks on the same rows, read without locking them. */
	public function dry_run( KeyFilter $filter, Actor $actor ): RotationResult|WP_Error {
		$old = Transaction::run( fn() => $this->candidates( $filter, $actor, false ), __( 'rotating keys', 'keysmith' ) );
		return $old instanceof WP_Error ? $old : RotationResult::dry_run( $filter, array_map( 'intval', array_column( $old, 'key_id' ) ) );
	}

	/**
	 * Rotation inside the transaction: lock the old keys, create their successors, shorten or end
	 * the old keys' lives, audit.
	 *
	 * @return array{created: list<array<string, mixed>>, old: list<array<string, string|null>>}|WP_Error
	 */
	private function rotate_locked( KeyFilter $filter, Actor $actor, int $grace_seconds, ?callable $on_progress ): array|WP_Error {
		$old = $this->candidates( $filter, $actor, true );
		if ( $old instanceof WP_Error ) {
			return $old;
		}
		if ( array() === $old ) {
			return array(
				'created' => array(),
				'old'     => array(),
			);
		}
		$created = $this->writer->insert( self::successor_rows( $old ), $actor, $on_progress );
		$old_ids = array_map( 'intval', array_column( $old, 'key_id' ) );
		if ( 0 === $grace_seconds ) {
			$this->writer->delete( $old_ids, 'rotate' );
		} else {
			$this->writer->expire_by( $old_ids, Dates::now_utc( time() + $grace_seconds ) );
		}
		$new_ids = array_column( $created, 'key_id', 'rotated_from' );
		$audit   = array_map(
			static fn( array $key ): array => $key + array(
				'details' => array(
					'new_key_id'    => $new_ids[ (int) $key['key_id'] ],
					'grace_seconds' => $grace_seconds,
				),
			),
			$old
		);
		$this->writer->audit( $actor, 'rotate', $audit );
		return array(
			'created' => $created,
			'old'     => $old,
		);
	}

	/**
	 * The keys a rotation would replace, in key id order, after its checks: at most
	 * KeySpec::MAX_CREATE matches, and the actor may assign keys to every owner (the successors are
	 * new keys for them). With $lock the rows are read FOR UPDATE, as the real rotation needs.
	 *
	 * @return list<array<string, string|null>>|WP_Error
	 */
	private function candidates( KeyFilter $filter, Actor $actor, bool $lock ): array|WP_Error {
		$old = Transaction::rows( ( new KeyQuery( $filter ) )->select( KeySpec::MAX_CREATE + 1, 0, $lock ) );
		if ( count( $old ) > KeySpec::MAX_CREATE ) {
			/* translators: %d: maximum number of keys. */
			return new WP_Error( 'keysmith_invalid_count', sprintf( __( 'At most %d keys can be rotated at once.', 'keysmith' ), KeySpec::MAX_CREATE ), array( 'status' => 400 ) );
		}
		$old = self::rotatable( $old, $lock );
		foreach ( array_unique( array_map( 'intval', array_column( $old, 'user_id' ) ) ) as $owner ) {
			if ( ! $actor->can_assign_to( $owner ) ) {
				return KeySpec::cannot_assign();
			}
		}
		usort( $old, static fn( array $a, array $b ): int => (int) $a['key_id'] <=> (int) $b['key_id'] );
		return $old;
	}

	/**
	 * The rows that may be rotated: not expired (a successor would inherit a past expiry) and not
	 * rotated before (each key has at most one successor; a second rotation would give the new key
	 * the old one's grace-period expiry). With $lock the successor check is a locking read made
	 * after the old rows are locked, so a concurrent rotation of the same key that committed first
	 * is seen; a dry run reads without locks.
	 *
	 * @param list<array<string, string|null>> $old
	 * @return list<array<string, string|null>>
	 */
	private static function rotatable( array $old, bool $lock ): array {
		$now = time();
		$old = array_values( array_filter( $old, static fn( array $key ): bool => ! Expiry::has_passed( $key['expires_at'], $now ) ) );
		if ( array() === $old ) {
			return array();
		}
		$rotated = array();
		foreach ( array_chunk( array_column( $old, 'key_id' ), KeyWriter::CHUNK ) as $ids ) {
			$found   = Transaction::rows( KeyQuery::where_ids( 'SELECT rotated_from FROM ' . Schema::meta_table(), $ids, 'rotated_from' ) . ( $lock ? ' FOR UPDATE' : '' ) );
			$rotated = array_merge( $rotated, array_column( $found, 'rotated_from' ) );
		}
		$rotated = array_flip( $rotated );
		return array_values( array_filter( $old, static fn( array $key ): bool => ! isset( $rotated[ $key['key_id'] ] ) ) );
	}

	/**
	 * New keys for the old ones: same owner, description, permissions and expiry (brought within
	 * the key-lifetime policy's maximum: a successor is a new key), linked by rotated_from, with
	 * fresh key material.
	 *
	 * @param list<array<string, string|null>> $old
	 * @return list<array<string, mixed>>
	 */
	private static function successor_rows( array $old ): array {
		$pairs  = Crypto::generate_keys( count( $old ) );
		$policy = KeyPolicy::current();
		$now    = time();
		$rows   = array();
		foreach ( $old as $i => $key ) {
			$rows[] = array(
				'user_id'      => (int) $key['user_id'],
				'description'  => (string) $key['description'],
				'permissions'  => (string) $key['permissions'],
				'expires_at'   => $policy->cap( $key['expires_at'], $now ),
				'rotated_from' => (int) $key['key_id'],
			) + $pairs[ $i ];
		}
		return $rows;
	}
}
