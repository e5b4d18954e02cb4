<?php
/**
 * A WP-CLI progress bar driven by the store's ( done, total ) progress callback, for the large
 * creates and rotations that take long enough for a person to wonder.
 *
 * WP-CLI's bar (WP_CLI\Utils\make_progress_bar, cli\progress\Bar) is drawn on STDOUT, and only
 * when STDOUT is a terminal (it is a no-op when piped). So it is used only for the human table
 * output: with --porcelain or another --format the output is meant for a program or a file, and
 * a bar there would end up in what gets copied.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Cli;

use WP_CLI;
use WP_CLI\Utils;

final class Progress {

	/** Operations on more keys than this get a bar; smaller ones finish before it would matter. */
	public const THRESHOLD = 500;

	/** @var object|null cli\progress\Bar or WP_CLI\NoOp, made at the first report. */
	private ?object $bar = null;

	private int $shown = 0;

	private function __construct( private readonly string $message, private readonly bool $enabled ) {}

	/** A bar for the output $assoc_args ask for: only the default table, never --porcelain. */
	public static function for_output( string $message, array $assoc_args ): self {
		$human = ! Utils\get_flag_value( $assoc_args, 'porcelain', false ) && 'table' === Utils\get_flag_value( $assoc_args, 'format', 'table' );
		return new self( $message, $human );
	}

	/**
	 * The store's progress callback. The bar is made at the first report, when the total is known
	 * (a rotation learns it only once it has locked the keys).
	 */
	public function __invoke( int $done, int $total ): void {
		if ( ! $this->enabled || $total <= self::THRESHOLD ) {
			return;
		}
		$this->bar ??= Utils\make_progress_bar( $this->message, $total );
		// A retried transaction (deadlock) reports from its first chunk again: never tick backwards.
		if ( $done > $this->shown ) {
			$this->bar->tick( $done - $this->shown );
			$this->shown = $done;
		}
	}

	/**
	 * Ends the bar: full when the operation succeeded; on a failure only the line is ended, so the
	 * error does not follow a bar that claims more than was kept (everything was rolled back).
	 */
	public function finish( bool $succeeded ): void {
		if ( null === $this->bar ) {
			return;
		}
		if ( $succeeded ) {
			$this->bar->finish();
		} elseif ( ! Utils\isPiped() ) {
			WP_CLI::line();
		}
		$this->bar = null;
	}
}
