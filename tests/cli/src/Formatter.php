<?php
/**
 * TEST STAND-IN for WP_CLI\Formatter (what Utils\format_items() uses), with WP-CLI 2.12's output:
 *
 * - table: Table (ASCII borders on a terminal, tab-separated when piped), every line through
 *   WP_CLI::line(); array/object values as JSON; colouring switched off while it is drawn.
 * - csv: a header row then one row per item (fputcsv, `"` quoting, `\` escape); values starting
 *   with = + - @ tab or CR get a leading ' (WP-CLI's guard against spreadsheet formulas);
 *   null is empty, true is 1, false is empty.
 * - json: json_encode() of the picked fields, no flags, no newline after it.
 * - yaml: Yaml::dump() (Spyc), which ends with a newline.
 * - ids: the items joined with spaces, count: their number; neither ends with a newline.
 * - --field=<f>: one WP_CLI::print_value() per item (a JSON list with --format=json).
 * - An unknown field: "Error: Invalid field: x." (checked on every item for table and csv, on the
 *   first for json); an unknown format: "Error: Invalid format: x".
 *
 * @package Keysmith\Tests\Cli
 */

declare(strict_types=1);

namespace WP_CLI;

use Keysmith\Tests\Cli\Colors;
use Keysmith\Tests\Cli\Streams;
use Keysmith\Tests\Cli\Table;
use Keysmith\Tests\Cli\Yaml;
use WP_CLI;

class Formatter {

	/** @var array{format: mixed, fields: list<string>, field: mixed} */
	private array $args;

	public function __construct( &$assoc_args, $fields = null, private $prefix = false ) {
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
		if ( ! is_array( $format_args['fields'] ) ) {
			$format_args['fields'] = explode( ',', (string) $format_args['fields'] );
		}
		$format_args['fields'] = array_map( 'trim', $format_args['fields'] );
		$this->args            = $format_args;
	}

	public function __get( $key ) {
		return $this->args[ $key ];
	}

	public function display_items( $items, $ascii_pre_colorized = false ) {
		if ( $this->args['field'] ) {
			$this->show_single_field( $items, $this->args['field'] );
			return;
		}
		if ( in_array( $this->args['format'], array( 'csv', 'json', 'table' ), true ) ) {
			$item = is_array( $items ) && ! empty( $items ) ? array_shift( $items ) : false;
			if ( $item && ! empty( $this->args['fields'] ) ) {
				foreach ( $this->args['fields'] as &$field ) {
					$field = $this->find_item_key( $item, $field );
				}
				unset( $field );
				array_unshift( $items, $item );
			}
		}
		if ( in_array( $this->args['format'], array( 'table', 'csv' ), true ) ) {
			$items = is_array( $items ) ? array_map( array( $this, 'transform_item_values_to_json' ), $items ) : array_map( array( $this, 'transform_item_values_to_json' ), iterator_to_array( $items, false ) );
		}
		$this->format( $items );
	}

	public function display_item( $item, $ascii_pre_colorized = false ) {
		if ( isset( $this->args['field'] ) ) {
			$item  = (object) $item;
			$key   = $this->find_item_key( $item, $this->args['field'] );
			$value = $item->$key;
			if ( in_array( $this->args['format'], array( 'table', 'csv' ), true ) && ( is_object( $value ) || is_array( $value ) ) ) {
				$value = json_encode( $value );
			}
			WP_CLI::print_value( $value, array( 'format' => $this->args['format'] ) );
			return;
		}
		$this->show_multiple_fields( $item, $this->args['format'] );
	}

	private function format( $items ): void {
		$fields = $this->args['fields'];
		switch ( $this->args['format'] ) {
			case 'count':
				Streams::out( (string) count( is_array( $items ) ? $items : iterator_to_array( $items ) ) );
				break;
			case 'ids':
				Streams::out( implode( ' ', is_array( $items ) ? $items : iterator_to_array( $items ) ) );
				break;
			case 'table':
				self::show_table( $items, $fields );
				break;
			case 'csv':
				Utils\write_csv( STDOUT, $items, $fields );
				break;
			case 'json':
			case 'yaml':
				$out = array();
				foreach ( $items as $item ) {
					$out[] = Utils\pick_fields( $item, $fields );
				}
				Streams::out( 'json' === $this->args['format'] ? (string) json_encode( $out, JSON_PARTIAL_OUTPUT_ON_ERROR ) : Yaml::dump( $out ) );
				break;
			default:
				WP_CLI::error( 'Invalid format: ' . $this->args['format'] );
		}
	}

	private function show_single_field( $items, $field ): void {
		$key    = null;
		$values = array();
		foreach ( $items as $item ) {
			$item = (object) $item;
			if ( null === $key ) {
				$key = $this->find_item_key( $item, $field );
			}
			if ( 'json' === $this->args['format'] ) {
				$values[] = $item->$key;
			} else {
				WP_CLI::print_value( $item->$key, array( 'format' => $this->args['format'] ) );
			}
		}
		if ( 'json' === $this->args['format'] ) {
			Streams::out( (string) json_encode( $values ) );
		}
	}

	private function find_item_key( $item, $field ) {
		foreach ( array( $field, $this->prefix . '_' . $field ) as $maybe ) {
			if ( ( is_object( $item ) && ( property_exists( $item, $maybe ) || isset( $item->$maybe ) ) ) || ( is_array( $item ) && array_key_exists( $maybe, $item ) ) ) {
				return $maybe;
			}
		}
		WP_CLI::error( "Invalid field: $field." );
	}

	private function show_multiple_fields( $data, $format ): void {
		$keep = array();
		foreach ( $this->args['fields'] as $field ) {
			$keep[] = $this->find_item_key( $data, $field );
		}
		foreach ( $data as $key => $value ) {
			if ( ! in_array( $key, $keep, true ) ) {
				if ( is_array( $data ) ) {
					unset( $data[ $key ] );
				} elseif ( is_object( $data ) ) {
					unset( $data->$key );
				}
			}
		}
		switch ( $format ) {
			case 'table':
			case 'csv':
				$rows = array();
				foreach ( $data as $field => $value ) {
					$rows[] = (object) array(
						'Field' => $field,
						'Value' => is_string( $value ) ? $value : json_encode( $value ),
					);
				}
				'table' === $format ? self::show_table( $rows, array( 'Field', 'Value' ) ) : Utils\write_csv( STDOUT, $rows, array( 'Field', 'Value' ) );
				break;
			case 'yaml':
			case 'json':
				WP_CLI::print_value( $data, array( 'format' => $format ) );
				break;
			default:
				WP_CLI::error( 'Invalid format: ' . $format );
		}
	}

	private static function show_table( $items, array $fields ): void {
		$table   = new Table();
		$colored = WP_CLI::in_color();
		if ( $colored ) {
			Colors::$enabled = false;
		}
		$table->set_headers( $fields );
		foreach ( $items as $item ) {
			$table->add_row( array_values( Utils\pick_fields( $item, $fields ) ) );
		}
		foreach ( $table->lines() as $line ) {
			WP_CLI::line( $line );
		}
		if ( $colored ) {
			Colors::$enabled = true;
		}
	}

	public function transform_item_values_to_json( $item ) {
		foreach ( $this->args['fields'] as $field ) {
			$true_field = $this->find_item_key( $item, $field );
			$value      = is_object( $item ) ? $item->$true_field : $item[ $true_field ];
			if ( is_array( $value ) || is_object( $value ) ) {
				if ( is_object( $item ) ) {
					$item->$true_field = json_encode( $value );
				} else {
					$item[ $true_field ] = json_encode( $value );
				}
			}
		}
		return $item;
	}
}
