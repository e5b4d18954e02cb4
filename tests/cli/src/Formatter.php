<?php
/**
 * TEST STAND-IN for WP_CLI\Formatter: the formats WP-CLI's Formatter renders — table (cli\Table's
 * ASCII borders), csv (fputcsv with a header row), json, yaml, ids (space-separated, no newline),
 * count (a number, no newline) — plus --field (one value per line; a JSON list with
 * --format=json) and --fields. Unknown fields and formats fail as in WP-CLI ("Invalid field: x.",
 * "Invalid format: x"). YAML follows Spyc's layout closely enough for reading, not byte for byte.
 *
 * @package Keysmith\Tests\Cli
 */

declare(strict_types=1);

namespace WP_CLI;

use WP_CLI;

// phpcs:disable WordPress.WP.AlternativeFunctions, WordPress.Security.EscapeOutput -- a terminal program's output.

class Formatter {

	/** @var array{format:string, fields:list<string>, field:?string} */
	private array $args;

	public function __construct( &$assoc_args, $fields = null, $prefix = false ) {
		$format_args = array(
			'format' => 'table',
			'fields' => $fields,
			'field'  => null,
		);
		foreach ( array( 'format', 'fields', 'field' ) as $key ) {
			if ( isset( $assoc_args[ $key ] ) ) {
				$format_args[ $key ] = $assoc_args[ $key ];
				unset( $assoc_args[ $key ] );
			}
		}
		if ( is_string( $format_args['fields'] ) ) {
			$format_args['fields'] = explode( ',', $format_args['fields'] );
		}
		$format_args['fields'] = array_map( 'trim', (array) $format_args['fields'] );
		$this->args            = $format_args;
	}

	public function __get( $key ) {
		return $this->args[ $key ];
	}

	public function display_items( $items ): void {
		$items = is_array( $items ) ? array_values( $items ) : iterator_to_array( $items, false );
		if ( $this->args['field'] ) {
			$this->show_single_field( $items, $this->args['field'] );
			return;
		}
		if ( in_array( $this->args['format'], array( 'csv', 'json', 'table' ), true ) && isset( $items[0] ) ) {
			foreach ( $this->args['fields'] as $field ) {
				self::find_item_key( $items[0], $field );
			}
		}
		if ( in_array( $this->args['format'], array( 'table', 'csv' ), true ) ) {
			$items = array_map( array( $this, 'stringify' ), $items );
		}
		$this->format( $items );
	}

	public function display_item( $item ): void {
		if ( isset( $this->args['field'] ) ) {
			$item = (array) $item;
			WP_CLI::print_value( $item[ self::find_item_key( $item, $this->args['field'] ) ], array( 'format' => $this->args['format'] ) );
			return;
		}
		$item = array_intersect_key( (array) $item, array_flip( $this->args['fields'] ) );
		if ( in_array( $this->args['format'], array( 'table', 'csv' ), true ) ) {
			$rows = array();
			foreach ( $item as $field => $value ) {
				$rows[] = array(
					'Field' => $field,
					'Value' => is_string( $value ) ? $value : json_encode( $value ),
				);
			}
			'table' === $this->args['format'] ? self::show_table( $rows, array( 'Field', 'Value' ) ) : self::write_csv( $rows, array( 'Field', 'Value' ) );
			return;
		}
		WP_CLI::print_value( $item, array( 'format' => $this->args['format'] ) );
	}

	private function format( array $items ): void {
		$fields = $this->args['fields'];
		switch ( $this->args['format'] ) {
			case 'count':
				echo count( $items );
				break;
			case 'ids':
				echo implode( ' ', $items );
				break;
			case 'table':
				self::show_table( $items, $fields );
				break;
			case 'csv':
				self::write_csv( $items, $fields );
				break;
			case 'json':
			case 'yaml':
				$out = array_map( static fn( $item ): array => Utils\pick_fields( $item, $fields ), $items );
				echo 'json' === $this->args['format'] ? json_encode( $out, JSON_PARTIAL_OUTPUT_ON_ERROR ) : self::yaml( $out );
				break;
			default:
				WP_CLI::error( 'Invalid format: ' . $this->args['format'] );
		}
	}

	private function show_single_field( array $items, string $field ): void {
		$values = array();
		foreach ( $items as $item ) {
			$item = (array) $item;
			$key  = self::find_item_key( $item, $field );
			if ( 'json' === $this->args['format'] ) {
				$values[] = $item[ $key ];
			} else {
				WP_CLI::print_value( $item[ $key ], array( 'format' => $this->args['format'] ) );
			}
		}
		if ( 'json' === $this->args['format'] ) {
			echo json_encode( $values );
		}
	}

	private static function find_item_key( $item, string $field ): string {
		$item = (array) $item;
		if ( ! array_key_exists( $field, $item ) ) {
			WP_CLI::error( "Invalid field: $field." );
		}
		return $field;
	}

	/** Arrays and objects become JSON, booleans "true"/"false" (WP-CLI's transform_item_values_to_json). */
	public function stringify( $item ): array {
		$item = (array) $item;
		foreach ( $this->args['fields'] as $field ) {
			$value = $item[ $field ] ?? null;
			if ( is_array( $value ) || is_object( $value ) ) {
				$item[ $field ] = json_encode( $value );
			} elseif ( is_bool( $value ) ) {
				$item[ $field ] = $value ? 'true' : 'false';
			}
		}
		return $item;
	}

	/** cli\Table with its ASCII renderer: +---+ borders, one space of padding, left-aligned. */
	private static function show_table( array $items, array $fields ): void {
		$rows   = array_map( static fn( $item ): array => array_map( 'strval', array_values( Utils\pick_fields( $item, $fields ) ) ), $items );
		$widths = array_map( 'mb_strwidth', $fields );
		foreach ( $rows as $row ) {
			foreach ( $row as $i => $cell ) {
				$widths[ $i ] = max( $widths[ $i ], mb_strwidth( $cell ) );
			}
		}
		$border = '+' . implode( '+', array_map( static fn( int $w ): string => str_repeat( '-', $w + 2 ), $widths ) ) . '+';
		$line   = static function ( array $cells ) use ( $widths ): string {
			$out = array();
			foreach ( $cells as $i => $cell ) {
				$out[] = ' ' . $cell . str_repeat( ' ', $widths[ $i ] - mb_strwidth( $cell ) ) . ' ';
			}
			return '|' . implode( '|', $out ) . '|';
		};
		WP_CLI::line( $border );
		WP_CLI::line( $line( $fields ) );
		WP_CLI::line( $border );
		foreach ( $rows as $row ) {
			WP_CLI::line( $line( $row ) );
		}
		WP_CLI::line( $border );
	}

	private static function write_csv( array $rows, array $headers ): void {
		$out = fopen( 'php://output', 'w' );
		fputcsv( $out, $headers );
		foreach ( $rows as $row ) {
			fputcsv( $out, array_values( Utils\pick_fields( $row, $headers ) ) );
		}
		fclose( $out );
	}

	/** YAML in Spyc's layout: a "---" document marker, two-space indents, "-" list items. */
	public static function yaml( $value ): string {
		return "---\n" . self::yaml_lines( $value, 0 );
	}

	private static function yaml_lines( $value, int $indent ): string {
		$pad = str_repeat( ' ', $indent );
		$out = '';
		$list = is_array( $value ) && array_is_list( $value );
		foreach ( (array) $value as $key => $item ) {
			$label = $list ? '-' : $key . ':';
			if ( is_array( $item ) || is_object( $item ) ) {
				$out .= $pad . $label . "\n" . self::yaml_lines( $item, $indent + 2 );
			} else {
				$out .= $pad . $label . ' ' . self::yaml_scalar( $item ) . "\n";
			}
		}
		return $out;
	}

	private static function yaml_scalar( $value ): string {
		if ( null === $value ) {
			return '';
		}
		if ( is_bool( $value ) ) {
			return $value ? 'true' : 'false';
		}
		$value = (string) $value;
		return 1 === preg_match( '/^[\w .\/@+-]*$/u', $value ) && ! preg_match( '/^[\s-]|\s$|^(true|false|null|~|\d[\d.]*e\d+)$/i', $value ) ? $value : '"' . addcslashes( $value, "\"\\\n" ) . '"';
	}
}
