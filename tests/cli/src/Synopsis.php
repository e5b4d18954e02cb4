<?php
/**
 * TEST STAND-IN for WP-CLI's synopsis handling (DocParser + SynopsisParser + SynopsisValidator):
 * reads a subcommand's `## OPTIONS` docblock, applies `default:` values and checks arguments the
 * way WP-CLI does before it calls the command, with WP-CLI's messages ("Parameter errors:",
 * "unknown --x parameter", "missing --x parameter", "Invalid value specified for 'x'",
 * "Too many positional arguments: …"). A command whose docblock lies fails here as under real `wp`.
 *
 * @package Keysmith\Tests\Cli
 */

declare(strict_types=1);

namespace Keysmith\Tests\Cli;

use WP_CLI;

final class Synopsis {

	/** @var list<array{type:string, name:string, optional:bool, repeating:bool, needs_value:bool, default:?string, options:?list<string>}> */
	public array $params = array();

	public function __construct( string $docblock ) {
		$lines = array_map( static fn( string $l ): string => preg_replace( '/^\s*\*\s?/', '', $l ), explode( "\n", $docblock ) );
		$in    = false;
		$count = count( $lines );
		for ( $i = 0; $i < $count; $i++ ) {
			$line = rtrim( $lines[ $i ] );
			if ( str_starts_with( $line, '## ' ) ) {
				$in = '## OPTIONS' === $line;
				continue;
			}
			if ( ! $in || 1 !== preg_match( '/^\[?(--[a-z\[]|<)/', $line ) ) {
				continue;
			}
			$param = self::parse_token( $line );
			// A YAML block (--- ... ---) after the description line holds default: and options:.
			if ( isset( $lines[ $i + 2 ] ) && '---' === trim( $lines[ $i + 2 ] ) ) {
				for ( $j = $i + 3; $j < $count && '---' !== trim( $lines[ $j ] ); $j++ ) {
					if ( preg_match( '/^default:\s*(.*)$/', trim( $lines[ $j ] ), $m ) ) {
						$param['default'] = trim( $m[1], "\"'" );
					} elseif ( preg_match( '/^-\s*(.+)$/', trim( $lines[ $j ] ), $m ) ) {
						$param['options'][] = trim( $m[1] );
					}
				}
			}
			$this->params[] = $param;
		}
	}

	private static function parse_token( string $token ): array {
		$optional  = str_starts_with( $token, '[' );
		$inner     = $optional ? substr( $token, 1, strrpos( $token, ']' ) - 1 ) : $token;
		$repeating = str_ends_with( rtrim( $token, ']' ), '...' );
		$inner     = preg_replace( '/\.\.\.$/', '', $inner );
		$param     = array(
			'optional'    => $optional,
			'repeating'   => $repeating,
			'needs_value' => false,
			'default'     => null,
			'options'     => null,
		);
		if ( preg_match( '/^<([a-zA-Z0-9_-]+)>$/', $inner, $m ) ) {
			return array( 'type' => 'positional', 'name' => $m[1] ) + $param;
		}
		if ( preg_match( '/^--(?:\[no-\])?([a-z0-9_-]+)=</', $inner, $m ) ) {
			return array( 'type' => 'assoc', 'name' => $m[1], 'needs_value' => true ) + $param;
		}
		preg_match( '/^--(?:\[no-\])?([a-z0-9_-]+)/', $inner, $m );
		return array( 'type' => 'flag', 'name' => $m[1] ?? $inner ) + $param;
	}

	/**
	 * Applies defaults and validates; calls WP_CLI::error() (exit 1) on a parameter error.
	 *
	 * @param list<string>         $args
	 * @param array<string, mixed> $assoc_args
	 * @return array{0: list<string>, 1: array<string, mixed>}
	 */
	public function validate( string $command, array $args, array $assoc_args ): array {
		$positionals = array_values( array_filter( $this->params, static fn( array $p ): bool => 'positional' === $p['type'] ) );
		$required    = count( array_filter( $positionals, static fn( array $p ): bool => ! $p['optional'] ) );
		$repeating   = array() !== array_filter( $positionals, static fn( array $p ): bool => $p['repeating'] );
		if ( count( $args ) < $required ) {
			WP_CLI::error( "usage: wp $command " . $this->usage() );
		}
		if ( ! $repeating && count( $args ) > count( $positionals ) ) {
			WP_CLI::error( 'Too many positional arguments: ' . implode( ' ', array_slice( $args, count( $positionals ) ) ) );
		}
		$errors = array();
		$known  = array();
		foreach ( $this->params as $param ) {
			if ( 'positional' === $param['type'] ) {
				continue;
			}
			$name    = $param['name'];
			$known[] = $name;
			if ( ! isset( $assoc_args[ $name ] ) && null !== $param['default'] ) {
				$assoc_args[ $name ] = $param['default'];
			}
			if ( ! isset( $assoc_args[ $name ] ) ) {
				if ( ! $param['optional'] ) {
					$errors[] = "missing --$name parameter";
				}
				continue;
			}
			if ( $param['needs_value'] && true === $assoc_args[ $name ] ) {
				$errors[] = "--$name parameter needs a value";
				continue;
			}
			if ( null !== $param['options'] && ! self::allowed( (string) $assoc_args[ $name ], $param['options'] ) ) {
				$errors[] = "Invalid value specified for '$name'";
			}
		}
		foreach ( array_diff( array_keys( $assoc_args ), $known ) as $unknown ) {
			$errors[] = "unknown --$unknown parameter";
		}
		if ( array() !== $errors ) {
			WP_CLI::error( "Parameter errors:\n " . implode( "\n ", $errors ) );
		}
		return array( $args, $assoc_args );
	}

	/** A value in the options, or a comma-separated list of them (WP-CLI accepts both). */
	private static function allowed( string $value, array $options ): bool {
		return array() === array_diff( array_map( 'trim', explode( ',', $value ) ), $options );
	}

	private function usage(): string {
		$parts = array();
		foreach ( $this->params as $p ) {
			$token   = 'positional' === $p['type'] ? "<{$p['name']}>" : "--{$p['name']}" . ( $p['needs_value'] ? "=<{$p['name']}>" : '' );
			$token  .= $p['repeating'] ? '...' : '';
			$parts[] = $p['optional'] ? "[$token]" : $token;
		}
		return implode( ' ', $parts );
	}
}
