<?php
/**
 * Outcome of a rotation: the new keys with their plaintext pairs (shown once, never stored) and the
 * summary every front end reports (a BulkResult: requested, rotated, skipped, message).
 *
 * A dry run has the summary only. The summary never holds a secret, so it may be logged or sent
 * as it is; the keys may only be shown to the person who asked.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

final class RotationResult {

	/**
	 * @param BulkResult                 $summary Action 'rotate'; ids = the rotated keys (the old ids),
	 *                                            failed = requested ids that were not rotated.
	 * @param list<array<string, mixed>> $keys    New keys as KeyService::create() returns them, plus
	 *                                            rotated_from, in old key id order; empty in a dry run.
	 */
	private function __construct(
		public readonly BulkResult $summary,
		#[\SensitiveParameter] public readonly array $keys
	) {}

	/**
	 * A rotation that happened.
	 *
	 * @param KeyFilter                  $filter What was asked for.
	 * @param list<array<string, mixed>> $keys   The new keys, each with rotated_from.
	 */
	public static function rotated( KeyFilter $filter, #[\SensitiveParameter] array $keys ): self {
		$rotated   = array_map( 'intval', array_column( $keys, 'rotated_from' ) );
		$requested = array() === $filter->ids ? count( $keys ) : count( $filter->ids );
		$summary   = new BulkResult( 'rotate', $requested, count( $keys ), count( $keys ), $rotated, array_values( array_diff( $filter->ids, $rotated ) ) );
		return new self( $summary, $keys );
	}

	/**
	 * What a rotation would do, nothing written.
	 *
	 * @param list<int> $ids Keys that would get a successor, ascending.
	 */
	public static function dry_run( KeyFilter $filter, array $ids ): self {
		return new self( BulkResult::dry_run( 'rotate', $filter, $ids ), array() );
	}

	/** The summary's message, e.g. "Rotated 2 of 3 keys." */
	public function message(): string {
		return $this->summary->message();
	}

	/**
	 * The summary as the REST API returns it (no keys, no secrets).
	 *
	 * @return array<string, mixed>
	 */
	public function to_array(): array {
		return $this->summary->to_array();
	}
}
