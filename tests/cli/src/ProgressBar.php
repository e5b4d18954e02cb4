<?php
/**
 * TEST STAND-IN for cli\progress\Bar, what WP_CLI\Utils\make_progress_bar() returns on a
 * terminal (piped, it returns WP_CLI\NoOp, which draws nothing).
 *
 * Drawn on STDOUT: "\r" then "<message>  <percent>% [<bar>] <elapsed> / <estimated>", where
 * percent is floor(100 * done / total) padded to three characters, the bar fills the terminal
 * width (Shell::columns()) left after the message and timing with "=" for the part done and a
 * ">" tip, and times are m:ss. A tick redraws only at the first tick and when more than the
 * interval (100 ms) passed since the last draw; finish() redraws at 100% and ends the line.
 * The estimate is total / speed, where speed is only measured once more than a second passed
 * (before that it shows 0:00), as php-cli-tools does.
 *
 * @package Keysmith\Tests\Cli
 */

declare(strict_types=1);

namespace Keysmith\Tests\Cli;

final class ProgressBar {

	private int $current = 0;

	private ?float $timer = null;

	private ?int $start = null;

	private ?float $tick_time = null;

	private int $iteration = 0;

	private float $speed = 0.0;

	private int $total;

	public function __construct( private string $message, int $total, private int $interval = 100 ) {
		if ( $total < 0 ) {
			throw new \InvalidArgumentException( 'Maximum value out of range, must be positive.' );
		}
		$this->total = $total;
	}

	public function tick( $increment = 1, $msg = null ): void {
		if ( $msg ) {
			$this->message = (string) $msg;
		}
		$this->current = min( $this->total, $this->current + (int) $increment );
		if ( $this->should_update() ) {
			Streams::out( "\r" );
			$this->display();
		}
	}

	public function finish(): void {
		$this->current = $this->total;
		Streams::out( "\r" );
		$this->display();
		Streams::out( "\n" );
	}

	public function setTotal( $total ): void { // phpcs:ignore WordPress.NamingConventions.ValidFunctionName.MethodNameInvalid -- php-cli-tools' name.
		$this->total = (int) $total;
	}

	private function should_update(): bool {
		$now = microtime( true ) * 1000;
		if ( null === $this->timer ) {
			$this->timer = $now;
			$this->start = (int) ( $now / 1000 );
			return true;
		}
		if ( ( $now - $this->timer ) > $this->interval ) {
			$this->timer = $now;
			return true;
		}
		return false;
	}

	private function display(): void {
		$fraction  = 0 === $this->total ? 1 : $this->current / $this->total;
		$percent   = str_pad( (string) floor( $fraction * 100 ), 3 );
		$msg       = self::render( "{$this->message}  {$percent}% [" );
		$estimated = self::minutes( $this->estimated() );
		$elapsed   = str_pad( self::minutes( $this->elapsed() ), strlen( $estimated ) );
		$timing    = self::render( "] $elapsed / $estimated" );
		$size      = max( 0, Shell::columns() - strlen( $msg . $timing ) );
		$bar       = substr( str_pad( str_repeat( '=', (int) floor( $fraction * $size ) ) . '>', $size ), 0, $size );
		Streams::out( self::render( $msg . $bar . $timing ) );
	}

	/** cli\Streams::render() of a filled-in template: colour tokens applied when colouring. */
	private static function render( string $text ): string {
		return Colors::should_colorize() ? Colors::colorize( $text ) : $text;
	}

	private function elapsed(): int {
		return null === $this->start ? 0 : time() - $this->start;
	}

	private function estimated(): int {
		if ( null === $this->start ) {
			return 0;
		}
		$this->tick_time ??= (float) $this->start;
		$now               = microtime( true );
		$span              = $now - $this->tick_time;
		if ( $span > 1 ) {
			++$this->iteration;
			$this->tick_time = $now;
			$this->speed     = ( $this->current / $this->iteration ) / $span;
		}
		if ( ! $this->speed || ! $this->elapsed() ) {
			return 0;
		}
		return (int) round( $this->total / $this->speed );
	}

	private static function minutes( int $seconds ): string {
		return floor( $seconds / 60 ) . ':' . str_pad( (string) ( $seconds % 60 ), 2, '0', STR_PAD_LEFT );
	}
}
