<?php
/**
 * TEST STAND-IN for the WP_CLI\Utils functions plugin/src/Cli calls, with WP-CLI's signatures.
 *
 * @package Keysmith\Tests\Cli
 */

declare(strict_types=1);

namespace WP_CLI\Utils;

use WP_CLI\Formatter;

function format_items( $format, $items, $fields ): void {
	$assoc_args = array(
		'format' => $format,
		'fields' => $fields,
	);
	( new Formatter( $assoc_args ) )->display_items( $items );
}

function get_flag_value( $assoc_args, $flag, $default = null ) {
	return isset( $assoc_args[ $flag ] ) ? $assoc_args[ $flag ] : $default;
}

function pick_fields( $item, $fields ): array {
	$item   = (array) $item;
	$values = array();
	foreach ( $fields as $field ) {
		$values[ $field ] = isset( $item[ $field ] ) ? $item[ $field ] : null;
	}
	return $values;
}

/**
 * WP-CLI's isPiped(): whether STDOUT goes to a pipe or file rather than a terminal. The
 * SHELL_PIPE environment variable, when set, decides (SHELL_PIPE=0: "a terminal").
 */
function isPiped(): bool { // phpcs:ignore WordPress.NamingConventions.ValidFunctionName.FunctionNameInvalid -- WP-CLI's name.
	$shell_pipe = getenv( 'SHELL_PIPE' );
	if ( false !== $shell_pipe ) {
		return filter_var( $shell_pipe, FILTER_VALIDATE_BOOLEAN );
	}
	return function_exists( 'posix_isatty' ) && ! posix_isatty( STDOUT );
}

/**
 * As WP-CLI: when STDOUT is piped, a bar that draws nothing (WP-CLI returns WP_CLI\NoOp); on a
 * terminal, a bar drawn on STDOUT as cli\progress\Bar does (cli\Streams::out: "\r" before each
 * redraw, a newline after finish()). Either way it counts ticks, so a test can see it was driven
 * to the end.
 */
function make_progress_bar( $message, $count, $interval = 100 ): ProgressBar {
	$bar                       = new ProgressBar( (string) $message, (int) $count, ! isPiped() );
	ProgressBar::$last_created = $bar;
	return $bar;
}

final class ProgressBar {

	public static ?ProgressBar $last_created = null;

	public int $ticks = 0;

	public bool $finished = false;

	public function __construct( public readonly string $message, public readonly int $count, public readonly bool $draws = false ) {}

	/** cli\Progress::increment(): the count never passes the total. */
	public function tick( $increment = 1, $msg = null ): void {
		$this->ticks = min( $this->count, $this->ticks + (int) $increment );
		$this->draw( "\r" );
	}

	public function finish(): void {
		$this->ticks    = $this->count;
		$this->finished = true;
		$this->draw( "\r" );
		$this->draw( "\n", false );
	}

	/** "<msg>  <pct>% [====>   ] <elapsed> / <estimated>", the layout of cli\progress\Bar (timing left out). */
	private function draw( string $prefix, bool $bar = true ): void {
		if ( ! $this->draws ) {
			return;
		}
		$percent = $this->count > 0 ? (int) floor( 100 * $this->ticks / $this->count ) : 100;
		$filled  = intdiv( 40 * $percent, 100 );
		echo $prefix; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- a terminal program's output.
		if ( $bar ) {
			printf( '%s  %s%% [%s]', $this->message, str_pad( (string) $percent, 3 ), str_pad( str_repeat( '=', $filled ) . ( $filled < 40 ? '>' : '' ), 40 ) ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped
		}
	}
}
