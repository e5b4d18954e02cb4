<?php
/**
 * TEST STAND-IN for `wp help <command>` (WP-CLI's Help_Command), rendered as WP-CLI renders it:
 *
 * NAME, DESCRIPTION (the short description: the docblock's first line only), SYNOPSIS, ALIAS,
 * SUBCOMMANDS (name padded, then three tabs and the short description), then the long
 * description and the GLOBAL PARAMETERS section. Then:
 * - "<param>\n: <desc>" definition lists become the parameter indented by one tab and its
 *   description by two (up to the next empty line);
 * - every line that does not start with a space, a tab or "##" gets a tab;
 * - tabs become two spaces;
 * - each line is word-wrapped (PHP's wordwrap()) to the terminal width minus its indent, the
 *   continuation lines indented like the first: a docblock line hard-wrapped at some width
 *   therefore renders as its own short line (the "ragged" look);
 * - subcommand lines are wrapped with the description column as indent;
 * - "## NAME" headers become "NAME" (bold when colouring).
 * Written to STDOUT through the pager (PAGER; transcripts use `cat`, which changes nothing).
 * Markdown reference links in the description head become numbered footnotes.
 *
 * @package Keysmith\Tests\Cli
 */

declare(strict_types=1);

namespace Keysmith\Tests\Cli;

use Keysmith\Tests\Cli\Dispatcher\CompositeCommand;
use WP_CLI;

final class Help {

	public static function show( CompositeCommand $command ): void {
		$out = self::man_page( $command );

		$subcommands = '';
		$columns     = '[ \t]+[^\t]+\t+';
		if ( preg_match( '/(^## SUBCOMMANDS[^\n]*\n+' . $columns . '.+?)(?:^##|\z)/ms', $out, $m, PREG_OFFSET_CAPTURE ) ) {
			$subcommands = $m[1][0];
			$out         = substr_replace( $out, "## SUBCOMMANDS\n", $m[1][1], strlen( $subcommands ) );
		}

		$out .= self::footnote_links( $command->longdesc() );
		$out  = (string) preg_replace_callback(
			'/([^\n]+)\n: (.+?)(\n\n|$)/s',
			static fn( array $d ): string => "\t{$d[1]}\n\t\t" . str_replace( "\n", "\n\t\t", $d[2] ) . "\n\n",
			$out
		);
		$out  = (string) preg_replace( '/^((?! |\t|##).)/m', "\t$1", $out );
		$out  = str_replace( "\t", '  ', $out );

		$width = Shell::columns();
		$out   = (string) preg_replace_callback(
			'/^( *)([^\n]+)\n/m',
			static fn( array $l ): string => $l[1] . str_replace( "\n", "\n{$l[1]}", wordwrap( $l[2], $width - strlen( $l[1] ) ) ) . "\n",
			$out
		);

		if ( '' !== $subcommands ) {
			$subcommands = (string) preg_replace_callback(
				'/^(' . $columns . ')([^\n]+)\n/m',
				static function ( array $l ) use ( $width ): string {
					$lead = str_replace( "\t", '  ', $l[1] );
					$pad  = str_repeat( ' ', strlen( $lead ) );
					return $lead . str_replace( "\n", "\n$pad", wordwrap( str_replace( "\t", '  ', $l[2] ), $width - strlen( $lead ) ) ) . "\n";
				},
				$subcommands
			);
			$out         = str_replace( "## SUBCOMMANDS\n", $subcommands, $out );
		}

		$out = (string) preg_replace( '/^## ([A-Z ]+)/m', WP_CLI::colorize( '%9\1%n' ), $out );
		Streams::out( $out );
	}

	/** WP-CLI's man.mustache filled in. */
	private static function man_page( CompositeCommand $command ): string {
		$name = $command->path();
		$out  = "## NAME\n\n\t$name\n\n";
		if ( '' !== $command->shortdesc() ) {
			$out .= "## DESCRIPTION\n\n\t{$command->shortdesc()}\n\n";
		}
		$out .= "## SYNOPSIS\n\n\t$name {$command->synopsis()}\n\n";
		if ( '' !== $command->alias() ) {
			$out .= "## ALIAS\n\n\t{$command->alias()}\n\n";
		}
		if ( $command->can_have_subcommands() ) {
			$names = array_keys( $command->subcommands() );
			$width = array() === $names ? 0 : max( array_map( 'strlen', array_map( 'strval', $names ) ) );
			$out  .= "## SUBCOMMANDS\n\n";
			foreach ( $command->subcommands() as $sub_name => $sub ) {
				$out .= "\t" . str_pad( (string) $sub_name, $width ) . "\t\t\t" . $sub->shortdesc() . "\n";
			}
			$out .= "\n";
		}
		return $out;
	}

	/** "[text](https://…)" in the description head becomes "[text][1]" plus a footnote list. */
	private static function footnote_links( string $longdesc ): string {
		$head = '';
		foreach ( explode( "\n", $longdesc ) as $line ) {
			if ( str_starts_with( $line, '#' ) ) {
				break;
			}
			$head .= $line . "\n";
		}
		if ( '' === $head ) {
			return $longdesc;
		}
		$links = array();
		$new   = (string) preg_replace_callback(
			'/\[.+?\]\((https?:\/\/.+?)\)/',
			static function ( array $m ) use ( &$links ): string {
				$links[] = $m[1];
				return str_replace( '(' . $m[1] . ')', '[' . count( $links ) . ']', $m[0] );
			},
			$head
		);
		if ( array() === $links ) {
			return $longdesc;
		}
		$notes = '';
		foreach ( $links as $i => $url ) {
			$notes .= '[' . ( $i + 1 ) . '] ' . $url . "\n";
		}
		return str_replace( trim( $head ), trim( trim( $new ) . "\n\n---\n" . $notes ), $longdesc );
	}
}
