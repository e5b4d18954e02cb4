<?php
/**
 * TEST STAND-IN for the WP_CLI\Utils functions commands call, with WP-CLI 2.12's signatures and
 * behaviour, and WP_CLI\NoOp (the progress bar you get when STDOUT is piped).
 *
 * @package Keysmith\Tests\Cli
 */

declare(strict_types=1);

namespace WP_CLI\Utils {

	use Keysmith\Tests\Cli\ProgressBar;
	use Keysmith\Tests\Cli\Shell;
	use Keysmith\Tests\Cli\Streams;
	use WP_CLI\Formatter;
	use WP_CLI\NoOp;

	function format_items( $format, $items, $fields ) {
		$assoc_args = array(
			'format' => $format,
			'fields' => $fields,
		);
		( new Formatter( $assoc_args ) )->display_items( $items );
	}

	/** isset(), not array_key_exists(): a parameter set to null reads as absent. */
	function get_flag_value( $assoc_args, $flag, $default = null ) {
		return isset( $assoc_args[ $flag ] ) ? $assoc_args[ $flag ] : $default;
	}

	function pick_fields( $item, $fields ) {
		$values = array();
		foreach ( $fields as $field ) {
			if ( is_object( $item ) ) {
				$values[ $field ] = isset( $item->$field ) ? $item->$field : null;
			} else {
				$values[ $field ] = isset( $item[ $field ] ) ? $item[ $field ] : null;
			}
		}
		return $values;
	}

	/** CSV to $fd; the process's STDOUT means the stand-in's STDOUT (captured in-process). */
	function write_csv( $fd, $rows, $headers = array() ) {
		$out = STDOUT === $fd ? fopen( 'php://memory', 'w+' ) : $fd;
		if ( ! empty( $headers ) ) {
			$headers = array_map( __NAMESPACE__ . '\escape_csv_value', $headers );
			fputcsv( $out, $headers, ',', '"', '\\' );
		}
		foreach ( $rows as $row ) {
			if ( ! empty( $headers ) ) {
				$row = pick_fields( $row, $headers );
			}
			fputcsv( $out, array_values( array_map( __NAMESPACE__ . '\escape_csv_value', (array) $row ) ), ',', '"', '\\' );
		}
		if ( STDOUT === $fd ) {
			rewind( $out );
			Streams::out( (string) stream_get_contents( $out ) );
			fclose( $out );
		}
	}

	function escape_csv_value( $value ) {
		if ( null === $value ) {
			return '';
		}
		$value = (string) $value;
		return in_array( substr( $value, 0, 1 ), array( '=', '+', '-', '@', "\t", "\r" ), true ) ? "'{$value}" : $value;
	}

	function isPiped() { // phpcs:ignore WordPress.NamingConventions.ValidFunctionName.FunctionNameInvalid -- WP-CLI's name.
		return Shell::is_piped();
	}

	function make_progress_bar( $message, $count, $interval = 100 ) {
		return Shell::is_piped() ? new NoOp() : new ProgressBar( (string) $message, (int) $count, (int) $interval );
	}

	/** A known word within $threshold edits of $target (or a fixed synonym), else ''. */
	function get_suggestion( $target, array $options, $threshold = 2 ) {
		$synonyms = array(
			'add'        => 'create',
			'check'      => 'check-update',
			'capability' => 'cap',
			'clear'      => 'flush',
			'decrement'  => 'decr',
			'del'        => 'delete',
			'directory'  => 'dir',
			'exec'       => 'eval',
			'exec-file'  => 'eval-file',
			'increment'  => 'incr',
			'language'   => 'locale',
			'lang'       => 'locale',
			'new'        => 'create',
			'number'     => 'count',
			'remove'     => 'delete',
			'regen'      => 'regenerate',
			'rep'        => 'replace',
			'repl'       => 'replace',
			'trash'      => 'delete',
			'v'          => 'version',
		);
		if ( isset( $synonyms[ $target ] ) && in_array( $synonyms[ $target ], $options, true ) ) {
			return $synonyms[ $target ];
		}
		if ( empty( $options ) ) {
			return '';
		}
		$distances = array();
		foreach ( $options as $option ) {
			$distances[ $option ] = levenshtein( (string) $option, (string) $target );
		}
		asort( $distances );
		$best = (string) key( $distances );
		return $distances[ key( $distances ) ] <= $threshold && $best !== (string) $target ? $best : '';
	}
}

namespace WP_CLI {

	/** Does nothing, whatever is called on it. */
	final class NoOp {

		public function __set( $key, $value ) {}

		public function __get( $key ) {
			return null;
		}

		public function __call( $method, $args ) {}
	}
}
