<?php
/**
 * TEST STAND-IN for cli\Table as WP-CLI's Formatter uses it.
 *
 * On a terminal (STDOUT not piped): ASCII borders, one space of padding, columns as wide as
 * their widest cell (display width) but shrunk to fit the terminal width (Shell::columns()),
 * cells wider than their column wrapped onto extra lines; values are printed as PHP casts them
 * to strings (true "1", false and null empty); tabs become four spaces.
 * Piped: no borders, cells joined by tabs, one line per row (null and false are empty, 0 is
 * "0"); a cell with line breaks continues on extra lines — in the LAST column only, as
 * php-cli-tools' Tabular renderer does it.
 *
 * @package Keysmith\Tests\Cli
 */

declare(strict_types=1);

namespace Keysmith\Tests\Cli;

final class Table {

	/** @var list<int> Display width of each column. */
	private array $widths = array();

	/** @var list<mixed> */
	private array $headers = array();

	/** @var list<list<mixed>> */
	private array $rows = array();

	private bool $ascii;

	public function __construct() {
		$this->ascii = ! Shell::is_piped();
	}

	public function set_headers( array $headers ): void {
		$this->headers = $this->measure( array_values( $headers ) );
	}

	public function add_row( array $row ): void {
		$this->rows[] = $this->measure( array_values( $row ) );
	}

	private function measure( array $row ): array {
		foreach ( $row as $column => $cell ) {
			$width = Colors::width( (string) $cell );
			if ( ! isset( $this->widths[ $column ] ) || $width > $this->widths[ $column ] ) {
				$this->widths[ $column ] = $width;
			}
		}
		return $row;
	}

	/** @return list<string> */
	public function lines(): array {
		if ( ! $this->ascii ) {
			$out = array( $this->tabular_row( $this->headers ) );
			foreach ( $this->rows as $row ) {
				$out = array_merge( $out, explode( PHP_EOL, $this->tabular_row( $row ) ) );
			}
			return $out;
		}
		$widths = $this->fit( $this->widths, Shell::columns() );
		$border = '+';
		foreach ( $widths as $width ) {
			$border .= str_repeat( '-', $width + 2 ) . '+';
		}
		$out = array( $border, $this->ascii_row( $this->headers, $widths ), $border );
		foreach ( $this->rows as $row ) {
			$out = array_merge( $out, explode( PHP_EOL, $this->ascii_row( $row, $widths ) ) );
		}
		$out[] = $border;
		return $out;
	}

	/**
	 * cli\table\Ascii::setWidths(): when the columns need more than the terminal has, columns
	 * wider than the average share are cut to the average plus an even share of what the narrow
	 * ones leave over, and the last of them takes whatever remains.
	 *
	 * @param list<int> $widths
	 * @return list<int>
	 */
	private function fit( array $widths, int $columns ): array {
		$count = count( $widths );
		$max   = $columns - ( $count ? $count - 1 : 0 ) - 2 - $count * 2;
		if ( ! $widths || ! $max || array_sum( $widths ) <= $max ) {
			return $widths;
		}
		$avg   = (int) floor( $max / $count );
		$wide  = array();
		$extra = 0;
		foreach ( $widths as $width ) {
			if ( $width > $avg ) {
				$wide[] = $width;
			} else {
				$extra += $avg - $width;
			}
		}
		if ( array() === $wide || ! $extra ) {
			return $widths;
		}
		$share = (int) floor( $extra / count( $wide ) );
		foreach ( $widths as $i => $width ) {
			// phpcs:ignore WordPress.PHP.StrictInArray.MissingTrueStrict -- as php-cli-tools.
			if ( in_array( $width, $wide ) ) {
				$widths[ $i ] = $avg + $share;
				array_shift( $wide );
				if ( array() === $wide ) {
					$widths[ $i ] = 0;
					$widths[ $i ] = $max - array_sum( $widths );
				}
			}
		}
		return $widths;
	}

	/** cli\table\Ascii::row(). */
	private function ascii_row( array $row, array $widths ): string {
		$extra      = array_fill( 0, count( $row ), array() );
		$extra_rows = 0;
		foreach ( $row as $column => $value ) {
			$value = $value ?: '';
			$value = (string) $value;
			$width = $widths[ $column ];
			if ( $width && ( Colors::width( $value ) > $width || str_contains( $value, "\n" ) ) ) {
				$pieces = array();
				foreach ( (array) preg_split( '/\r\n|\n/', $value ) as $line ) {
					do {
						$piece = Colors::prefix_of_width( (string) $line, $width );
						if ( Colors::width( $piece ) ) {
							$pieces[] = $piece;
							$line     = Colors::drop( (string) $line, Colors::length( $piece ) );
						}
					} while ( '' !== (string) $line && '0' !== (string) $line && Colors::width( $piece ) );
				}
				$row[ $column ] = array_shift( $pieces );
				foreach ( $pieces as $piece ) {
					$extra[ $column ][] = $piece;
					++$extra_rows;
				}
			}
		}
		$out = $this->join_padded( $row, $widths );
		if ( $extra_rows ) {
			do {
				$cells = array();
				$more  = false;
				foreach ( $extra as $column => &$pieces ) {
					$cells[ $column ] = array() !== $pieces ? array_shift( $pieces ) : '';
					if ( count( $pieces ) ) {
						$more = true;
					}
				}
				unset( $pieces );
				$out .= PHP_EOL . $this->join_padded( $cells, $widths );
			} while ( $more );
		}
		return $out;
	}

	private function join_padded( array $cells, array $widths ): string {
		$padded = array();
		foreach ( $cells as $column => $cell ) {
			$padded[] = ' ' . Colors::pad( str_replace( "\t", '    ', (string) $cell ), $widths[ $column ] ) . ' ';
		}
		return '|' . implode( '|', $padded ) . '|';
	}

	/** cli\table\Tabular::row(). */
	private function tabular_row( array $row ): string {
		$lines  = array();
		$column = null;
		$rest   = array();
		foreach ( $row as $column => $value ) {
			$value          = isset( $value ) ? (string) $value : '';
			$rest           = (array) preg_split( '/\r\n|\n/', str_replace( "\t", '    ', $value ) );
			$row[ $column ] = array_shift( $rest );
		}
		$lines[] = $row;
		foreach ( $rest as $i => $line ) {
			if ( ! isset( $lines[ $i + 1 ] ) ) {
				$lines[ $i + 1 ] = array_fill_keys( array_keys( $row ), '' );
			}
			$lines[ $i + 1 ][ $column ] = $line;
		}
		$out = '';
		foreach ( $lines as $line ) {
			$out .= implode( "\t", $line ) . PHP_EOL;
		}
		return rtrim( $out, PHP_EOL );
	}
}
