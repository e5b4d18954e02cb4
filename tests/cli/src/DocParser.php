<?php
/**
 * TEST STAND-IN for WP_CLI\DocParser: what WP-CLI reads from a command's docblock.
 *
 * - The short description is the FIRST LINE of the docblock text, whatever follows it: a
 *   sentence wrapped onto a second line is cut there, and the rest starts the long description.
 * - The long description is everything after that line up to the first line starting with `@`,
 *   trimmed.
 * - `@subcommand`, `@alias`, `@when` tags ([a-z-_0-9]+ values) and `@synopsis`.
 * - A parameter's description is the `: ` line right after its line; its `---` block (up to the
 *   first empty line after the parameter line) is YAML read by Yaml::load() (Spyc's rules).
 *
 * @package Keysmith\Tests\Cli
 */

declare(strict_types=1);

namespace Keysmith\Tests\Cli;

final class DocParser {

	private string $text;

	public function __construct( string $doc_comment ) {
		$doc_comment = str_replace( "\r\n", "\n", $doc_comment );
		$doc_comment = (string) preg_replace( '|^/\*\*[\r\n]+|', '', $doc_comment );
		$doc_comment = (string) preg_replace( '|\n[\t ]*\*/$|', '', $doc_comment );
		$this->text  = (string) preg_replace( '|^[\t ]*\* ?|m', '', $doc_comment );
	}

	public function shortdesc(): string {
		return preg_match( '|^([^@][^\n]+)\n*|', $this->text, $m ) ? $m[1] : '';
	}

	public function longdesc(): string {
		$short = $this->shortdesc();
		if ( '' === $short ) {
			return '';
		}
		$lines = array();
		foreach ( explode( "\n", substr( $this->text, strlen( $short ) ) ) as $line ) {
			if ( str_starts_with( $line, '@' ) ) {
				break;
			}
			$lines[] = $line;
		}
		return trim( implode( "\n", $lines ) );
	}

	public function tag( string $name ): string {
		return preg_match( '|^@' . $name . '\s+([a-z-_0-9]+)|m', $this->text, $m ) ? $m[1] : '';
	}

	public function synopsis_tag(): string {
		return preg_match( '|^@synopsis\s+(.+)|m', $this->text, $m ) ? $m[1] : '';
	}

	public function param_desc( int|string $name ): string {
		return preg_match( "/\\[?--{$name}=.+\n: (.+?)(\n|$)/", $this->text, $m ) ? $m[1] : '';
	}

	/** The YAML block of `<name>`, or null. */
	public function arg_args( string $name ): ?array {
		return $this->yaml_block( "/^\\[?<{$name}>.*/" );
	}

	/** The YAML block of `--name=…`, or null. */
	public function param_args( string $name ): ?array {
		return $this->yaml_block( "/^\\[?--{$name}=.*/" );
	}

	/**
	 * Lines from the first `---` after the parameter's line up to the first empty line (the
	 * closing `---` does not end the block: an empty line does), parsed as YAML.
	 */
	private function yaml_block( string $line_pattern ): ?array {
		$in_param = false;
		$in_yaml  = false;
		$block    = array();
		foreach ( explode( "\n", $this->text ) as $line ) {
			if ( preg_match( $line_pattern, $line ) ) {
				$in_param = true;
			}
			if ( $in_param && '---' === $line ) {
				$in_yaml = true;
			}
			if ( $in_yaml ) {
				$block[] = $line;
			}
			if ( $in_param && '' === $line ) {
				break;
			}
		}
		return array() === $block ? null : Yaml::load( implode( "\n", $block ) );
	}
}
