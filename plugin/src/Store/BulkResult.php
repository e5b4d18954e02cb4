<?php
/**
 * Outcome of a bulk change (revoke, update, expiry) or of a dry run (revoke, update, rotate): what
 * was asked, found and changed.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

final class BulkResult {

	/**
	 * @param string    $action    'revoke' | 'update' | 'rotate' | 'expire'.
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
			default:
				/* translators: 1: keys updated, 2: keys requested. */
				$format = _n( 'Updated %1$d of %2$d key.', 'Updated %1$d of %2$d keys.', $this->requested, 'keysmith' );
		}
		return sprintf( $format, $this->changed, $this->requested );
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
