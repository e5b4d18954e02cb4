<?php
/**
 * What `wp help keysmith …` shows under WP-CLI 2.12 (the stand-in renders help as WP-CLI does;
 * TranscriptTest proves it against real WP-CLI):
 *
 * - WP-CLI's short description is the docblock's first line, nothing more, so that line must be
 *   a whole sentence;
 * - WP-CLI does not re-flow the long description: each source line stays a line, so a paragraph
 *   hard-wrapped in the docblock renders as short, ragged lines;
 * - WP-CLI word-wraps every line of EXAMPLES to the terminal width, so a table or a comment
 *   wider than an 80-column terminal (less the 4-space indent) breaks apart.
 *
 * Rendered with COLUMNS=1000 so WP-CLI's own word wrap plays no part, except where a test says.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Cli;

final class HelpTextTest extends CliTestCase {

	/** @return list<string> "keysmith" and "keysmith <subcommand>" for every subcommand. */
	private function commands(): array {
		$usage = $this->wp( 'keysmith' );
		self::assertSucceeded( $usage );
		preg_match_all( '/^(?:usage|   or): wp (keysmith \S+)/m', $usage['stdout'], $m );
		self::assertNotEmpty( $m[1] );
		return array_merge( array( 'keysmith' ), $m[1] );
	}

	/** @return array{description: string, paragraphs: list<list<string>>} */
	private function help( string $command ): array {
		putenv( 'COLUMNS=1000' );
		$run = $this->wp( 'help', ...explode( ' ', $command ) );
		self::assertSucceeded( $run );
		self::assertMatchesRegularExpression( '/^NAME\n\n  wp ' . preg_quote( $command, '/' ) . '\n\nDESCRIPTION\n\n  (.*)\n\nSYNOPSIS\n\n  [^\n]*\n\n/', $run['stdout'] );
		preg_match( '/^DESCRIPTION\n\n  (.*)\n\nSYNOPSIS\n\n  [^\n]*\n\n(.*?)(?=^[A-Z ]+\n)/ms', $run['stdout'], $m );
		$paragraphs = array();
		foreach ( preg_split( '/\n\n+/', trim( $m[2] ?? '' ) ) as $paragraph ) {
			if ( '' !== $paragraph ) {
				$paragraphs[] = explode( "\n", $paragraph );
			}
		}
		return array(
			'description' => $m[1],
			'paragraphs'  => $paragraphs,
		);
	}

	public function test_every_short_description_is_a_whole_sentence(): void {
		$cut = array();
		foreach ( $this->commands() as $command ) {
			if ( ! str_ends_with( $this->help( $command )['description'], '.' ) ) {
				$cut[] = $command;
			}
		}
		self::assertSame( array(), $cut, 'short descriptions cut mid-sentence (WP-CLI shows the first docblock line only)' );
	}

	public function test_long_descriptions_are_not_hard_wrapped(): void {
		$ragged = array();
		foreach ( $this->commands() as $command ) {
			foreach ( $this->help( $command )['paragraphs'] as $lines ) {
				if ( count( $lines ) > 1 ) {
					$ragged[] = "$command: \"" . trim( $lines[0] ) . '"';
				}
			}
		}
		self::assertSame( array(), $ragged, 'paragraphs wrapped by hand in the docblock (WP-CLI does not re-flow them)' );
	}

	public function test_example_tables_and_comments_fit_an_80_column_terminal(): void {
		$wide = array();
		foreach ( $this->commands() as $command ) {
			putenv( 'COLUMNS=1000' );
			$run = $this->wp( 'help', ...explode( ' ', $command ) );
			self::assertSucceeded( $run );
			preg_match( '/^EXAMPLES\n\n(.*?)\n(?=^[A-Z ]+\n)/ms', $run['stdout'], $m );
			foreach ( explode( "\n", $m[1] ?? '' ) as $line ) {
				// WP-CLI indents examples by 4 columns and wraps each line at the terminal width: a
				// wrapped table row falls apart, a wrapped comment goes on without its "#".
				if ( 1 === preg_match( '/^    [+|#]/', $line ) && mb_strlen( $line ) > 80 ) {
					$wide[] = "$command: " . trim( $line );
				}
			}
		}
		self::assertSame( array(), $wide, 'example tables and comments that WP-CLI would break apart on an 80-column terminal' );
	}
}
