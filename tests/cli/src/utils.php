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
 * WP-CLI draws a bar on a terminal and returns a no-op when piped. The stand-in never draws; it
 * counts ticks so a test can see the bar was driven to the end.
 */
function make_progress_bar( $message, $count, $interval = 100 ): ProgressBar {
	$bar                       = new ProgressBar( (string) $message, (int) $count );
	ProgressBar::$last_created = $bar;
	return $bar;
}

final class ProgressBar {

	public static ?ProgressBar $last_created = null;

	public int $ticks = 0;

	public bool $finished = false;

	public function __construct( public readonly string $message, public readonly int $count ) {}

	public function tick( $increment = 1, $msg = null ): void {
		$this->ticks += (int) $increment;
	}

	public function finish(): void {
		$this->finished = true;
	}
}
