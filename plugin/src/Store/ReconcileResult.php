<?php
/**
 * What a reconciliation found (Store\Reconciler::run()): keys that had no Keysmith record and got
 * one, and records whose key had gone and were removed; in a dry run, what it would do.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

final class ReconcileResult {

	/**
	 * @param list<int> $found    Keys recorded now (dry run: that would be recorded).
	 * @param list<int> $vanished Keys recorded as removed (dry run: that would be).
	 */
	public function __construct(
		public readonly array $found,
		public readonly array $vanished,
		public readonly bool $dry_run
	) {}

	/** One sentence for the screen and the command line. */
	public function message(): string {
		$found    = count( $this->found );
		$vanished = count( $this->vanished );
		if ( $this->dry_run ) {
			return sprintf(
				/* translators: 1: number of keys, 2: their ids, 3: number of keys, 4: their ids. */
				__( 'Dry run: would record keys changed outside Keysmith: %1$d new (%2$s), %3$d removed (%4$s).', 'keysmith' ),
				$found,
				array() === $this->found ? '-' : implode( ' ', $this->found ),
				$vanished,
				array() === $this->vanished ? '-' : implode( ' ', $this->vanished )
			);
		}
		return sprintf(
			/* translators: 1: number of keys, 2: number of keys. */
			__( 'Recorded keys changed outside Keysmith: %1$d new, %2$d removed.', 'keysmith' ),
			$found,
			$vanished
		);
	}

	/** @return array{found: list<int>, vanished: list<int>, dry_run: bool, message: string} */
	public function to_array(): array {
		return array(
			'found'    => $this->found,
			'vanished' => $this->vanished,
			'dry_run'  => $this->dry_run,
			'message'  => $this->message(),
		);
	}
}
