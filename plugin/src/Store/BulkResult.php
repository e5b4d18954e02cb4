<?php
/**
 * Outcome of a bulk change (revoke, update, expiry) or of a dry run (revoke, update, rotate): what
 * was asked, found and changed, and every sentence the front ends say about it (so the admin
 * screen, WP-CLI and the REST API report the same numbers in the same words).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

final class BulkResult {

	/**
	 * @param string    $action    'revoke' | 'update' | 'rotate' | 'expire' | 'apply_policy'.
	 * @param int       $requested Ids asked for (filter by ids) or keys the filter matched.
	 * @param int       $matched   Keys that existed and matched when the operation ran.
	 * @param int       $changed   Keys actually changed (0 in a dry run; unchanged rows not counted).
	 * @param list<int> $ids       Key ids matched (dry run) or changed.
	 * @param list<int> $failed    Requested ids that were not changed (e.g. already revoked / unknown).
	 * @param bool      $dry_run   Whether nothing was written.
	 */
	public function __construct(
		public readonly string $action,
		public readonly int $requested,
		public readonly int $matched,
		public readonly int $changed,
		public readonly array $ids = array(),
		public readonly array $failed = array(),
		public readonly bool $dry_run = false
	) {}

	/**
	 * The result of a change that ran.
	 *
	 * @param list<int> $ids     Keys the operation matched (and changed, unless they already had
	 *                           the new values).
	 * @param int       $changed Keys actually changed.
	 */
	public static function done( string $action, KeyFilter $filter, array $ids, int $changed ): self {
		sort( $ids ); // Same order as a dry run's ids.
		$requested = array() === $filter->ids ? count( $ids ) : count( $filter->ids );
		return new self( $action, $requested, count( $ids ), $changed, $ids, array_values( array_diff( $filter->ids, $ids ) ) );
	}

	/**
	 * A dry run's answer, numbered as the real operation's result will be.
	 *
	 * @param list<int> $ids Keys the operation would change, ascending.
	 */
	public static function dry_run( string $action, KeyFilter $filter, array $ids ): self {
		$requested = array() === $filter->ids ? count( $ids ) : count( $filter->ids );
		return new self( $action, $requested, count( $ids ), 0, $ids, array_values( array_diff( $filter->ids, $ids ) ), true );
	}

	/** Human-readable, translated summary, e.g. "Revoked 37 of 37 keys." */
	public function message(): string {
		if ( $this->dry_run ) {
			/* translators: %d: number of keys. */
			return sprintf( _n( 'Dry run: %d key would be changed.', 'Dry run: %d keys would be changed.', $this->matched, 'keysmith' ), $this->matched );
		}
		switch ( $this->action ) {
			case 'revoke':
			case 'expire':
				/* translators: 1: keys revoked, 2: keys requested. */
				$format = _n( 'Revoked %1$d of %2$d key.', 'Revoked %1$d of %2$d keys.', $this->requested, 'keysmith' );
				break;
			case 'rotate':
				/* translators: 1: keys rotated, 2: keys requested. */
				$format = _n( 'Rotated %1$d of %2$d key.', 'Rotated %1$d of %2$d keys.', $this->requested, 'keysmith' );
				break;
			case 'apply_policy':
				/* translators: 1: keys given an earlier expiry, 2: keys requested. */
				$format = _n( 'Applied the key-lifetime policy: %1$d of %2$d key expires earlier now.', 'Applied the key-lifetime policy: %1$d of %2$d keys expire earlier now.', $this->requested, 'keysmith' );
				break;
			default:
				/* translators: 1: keys updated, 2: keys requested. */
				$format = _n( 'Updated %1$d of %2$d key.', 'Updated %1$d of %2$d keys.', $this->requested, 'keysmith' );
		}
		return sprintf( $format, $this->changed, $this->requested );
	}

	/**
	 * Which requested keys were not handled, or '' when all were. A rotation skips keys that exist
	 * but are expired or rotated already, so "not found" would send people looking for keys that
	 * are there.
	 */
	public function failure_note(): string {
		if ( array() === $this->failed ) {
			return '';
		}
		$ids = implode( ', ', $this->failed );
		if ( 'rotate' === $this->action ) {
			/* translators: %s: key IDs. */
			return sprintf( __( 'Not rotated (unknown, expired or already rotated): %s.', 'keysmith' ), $ids );
		}
		/* translators: %s: key IDs. */
		return sprintf( __( 'Not found: %s.', 'keysmith' ), $ids );
	}

	/** How many matched keys an update left as they were (they had the new values), or ''. */
	public function unchanged_note(): string {
		$unchanged = $this->matched - $this->changed;
		if ( ! in_array( $this->action, array( 'update', 'apply_policy' ), true ) || $this->dry_run || $unchanged < 1 ) {
			return '';
		}
		if ( 'apply_policy' === $this->action ) {
			/* translators: %d: number of keys. */
			return sprintf( _n( '(%d already expires sooner.)', '(%d already expire sooner.)', $unchanged, 'keysmith' ), $unchanged );
		}
		/* translators: %d: number of keys. */
		return sprintf( __( '(%d already had these values.)', 'keysmith' ), $unchanged );
	}

	/** @return array{action:string,requested:int,matched:int,changed:int,ids:list<int>,failed:list<int>,dry_run:bool,message:string} */
	public function to_array(): array {
		return array(
			'action'    => $this->action,
			'requested' => $this->requested,
			'matched'   => $this->matched,
			'changed'   => $this->changed,
			'ids'       => $this->ids,
			'failed'    => $this->failed,
			'dry_run'   => $this->dry_run,
			'message'   => $this->message(),
		);
	}
}
