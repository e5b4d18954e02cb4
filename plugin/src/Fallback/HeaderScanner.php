<?php
/**
 * Part of the pure-PHP twin of the `keysmith` extension (see functions.php): the scanner behind
 * parse_oauth_header().
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Fallback;

/**
 * Finds successive `oauth_…=` parameters the way preg_match_all() walks WooCommerce's regex.
 *
 * @internal
 */
final class HeaderScanner {

	private const NAME_CHARS = 'abcdefghijklmnopqrstuvwxyz_-';

	private int $pos = 0;

	private int $length;

	/** Start of the last search for a closing quote and its result: reused so scanning stays linear. */
	private int $quote_from = PHP_INT_MAX;

	private int|false $quote_at = false;

	public function __construct( private string $header ) {
		$this->length = strlen( $header );
	}

	/**
	 * The next match as [name, raw value], or null when there is none.
	 *
	 * @return array{0: string, 1: string}|null
	 */
	public function next(): ?array {
		while ( false !== ( $start = strpos( $this->header, 'oauth_', $this->pos ) ) ) {
			$equals = $start + 6 + strspn( $this->header, self::NAME_CHARS, $start + 6 );
			if ( $equals >= $this->length || '=' !== $this->header[ $equals ] ) {
				// Every `oauth_` that starts inside this run of name characters ends where this one
				// ends, before a byte that is not '=', so none can match: skip the whole run. This
				// keeps scanning linear on hostile input such as "oauth_oauth_oauth_…".
				$this->pos = $equals;
				continue;
			}
			$name = substr( $this->header, $start, $equals - $start );
			return array( $name, $this->value_after( $equals + 1 ) );
		}
		return null;
	}

	/** Value starting at `$at` (just after '='); advances past the match. */
	private function value_after( int $at ): string {
		$open = ( $at < $this->length && ':' === $this->header[ $at ] ) ? $at + 1 : $at;
		if ( $open < $this->length && '"' === $this->header[ $open ] ) {
			$close = $this->closing_quote( $open + 1 );
			if ( false !== $close ) {
				$this->pos = $close + 1;
				$quoted    = substr( $this->header, $open + 1, $close - $open - 1 );
				// empty( $matches[3] ) picks the unquoted group, which did not take part: "".
				return ( '' === $quoted || '0' === $quoted ) ? '' : $quoted;
			}
		}
		$length    = strcspn( $this->header, ',', $at );
		$this->pos = $at + $length;
		return substr( $this->header, $at, $length );
	}

	private function closing_quote( int $from ): int|false {
		$reusable = $from >= $this->quote_from && ( false === $this->quote_at || $from <= $this->quote_at );
		if ( ! $reusable ) {
			$this->quote_from = $from;
			$this->quote_at   = strpos( $this->header, '"', $from );
		}
		return $this->quote_at;
	}
}
