<?php
/**
 * The one paging rule of Keysmith's lists (keys and audit events, for the admin screen, WP-CLI
 * and the REST API): page N of S rows starts after (N - 1) × S rows.
 *
 * A page that cannot exist is empty, never another page: page 0 or below, and a page whose first
 * row would not fit an integer (in PHP, (N - 1) × S overflows to a float, which the database
 * layer turns into 0: page 1). Whether a page lies past the last one is WordPress core's rule
 * (WP_REST_Posts_Controller::get_items()): only when there are rows at all.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

final class Paging {

	/** Most rows one page may hold. */
	public const MAX_PER_PAGE = 1000;

	/** @param int $per_page 1–MAX_PER_PAGE. */
	private function __construct(
		public readonly int $page,
		public readonly int $per_page
	) {}

	/** Page $page (1-based) of $per_page rows, $per_page clamped to 1–MAX_PER_PAGE. */
	public static function of( int $page, int $per_page ): self {
		return new self( $page, max( 1, min( self::MAX_PER_PAGE, $per_page ) ) );
	}

	/** Rows before this page's first row, or null when the page cannot exist (see above). */
	public function offset(): ?int {
		if ( $this->page < 1 || $this->page - 1 > intdiv( PHP_INT_MAX, $this->per_page ) ) {
			return null;
		}
		return ( $this->page - 1 ) * $this->per_page;
	}

	/** Pages that $total rows fill. */
	public function pages( int $total ): int {
		return $total > 0 ? intdiv( $total - 1, $this->per_page ) + 1 : 0;
	}

	/** Whether this page lies past the last page of $total rows (never when there are none). */
	public function is_past_last( int $total ): bool {
		return $total > 0 && $this->page > $this->pages( $total );
	}
}
