<?php
/**
 * plugin/readme.txt follows the WordPress plugin readme format (what the plugin directory and the
 * Plugins screen read): the name line, the header fields, a short description of at most 150
 * characters, the standard sections in order, and facts that agree with the plugin itself (the
 * Stable tag is the plugin's version, the requirements are the plugin header's, the changelog has
 * an entry for this version).
 *
 * @package Keysmith\Tests\Unit
 */

declare(strict_types=1);

namespace Keysmith\Tests\Unit;

use PHPUnit\Framework\TestCase;

final class ReadmeTxtTest extends TestCase {

	private const PLUGIN = __DIR__ . '/../../../plugin';

	/** Header fields the format expects, in its order. */
	private const HEADERS = array( 'Contributors', 'Tags', 'Requires at least', 'Tested up to', 'Requires PHP', 'Stable tag', 'License', 'License URI' );

	/** Sections the format knows, in its order; the first four are there for every plugin. */
	private const SECTIONS = array( 'Description', 'Installation', 'Frequently Asked Questions', 'Screenshots', 'Changelog', 'Upgrade Notice' );

	/** @return array{name: string, headers: array<string, string>, short: string, sections: array<string, string>} */
	private static function readme(): array {
		$text = (string) file_get_contents( self::PLUGIN . '/readme.txt' );
		self::assertStringNotContainsString( "\r", $text, 'Unix line endings' );
		self::assertMatchesRegularExpression( '/^=== (.+) ===\n/', $text, 'the first line names the plugin' );
		preg_match( '/^=== ([^\n]+) ===\n((?:[A-Za-z ]+: [^\n]*\n)+)\n([^\n]+)\n\n(.*)$/s', $text, $m );
		self::assertNotEmpty( $m, 'name, header lines, a blank line, the short description, a blank line, the sections' );
		$headers = array();
		foreach ( explode( "\n", trim( $m[2] ) ) as $line ) {
			list( $field, $value ) = explode( ': ', $line, 2 );
			$headers[ $field ]      = trim( $value );
		}
		$sections = array();
		foreach ( preg_split( '/^== (.+) ==$/m', "\n" . $m[4], -1, PREG_SPLIT_DELIM_CAPTURE | PREG_SPLIT_NO_EMPTY ) as $i => $part ) {
			if ( 0 === $i && '' === trim( $part ) ) {
				continue;
			}
			$sections[] = $part;
		}
		$named = array();
		for ( $i = 0; $i + 1 < count( $sections ); $i += 2 ) {
			$named[ trim( $sections[ $i ] ) ] = $sections[ $i + 1 ];
		}
		return array(
			'name'     => $m[1],
			'headers'  => $headers,
			'short'    => $m[3],
			'sections' => $named,
		);
	}

	/** @return array<string, string> The plugin header of keysmith.php. */
	private static function plugin_header(): array {
		preg_match_all( '/^ \* ([A-Za-z ]+):\s+(.+)$/m', (string) file_get_contents( self::PLUGIN . '/keysmith.php' ), $m, PREG_SET_ORDER );
		return array_column( array_map( static fn( array $x ): array => array( trim( $x[1] ), trim( $x[2] ) ), $m ), 1, 0 );
	}

	public function test_the_name_headers_and_short_description_follow_the_format(): void {
		$readme = self::readme();
		$this->assertSame( 'Keysmith', $readme['name'] );
		$this->assertSame( self::plugin_header()['Plugin Name'], $readme['name'] );
		$this->assertSame( array(), array_diff( self::HEADERS, array_keys( $readme['headers'] ) ), 'every header field' );
		$order = array_values( array_intersect( array_keys( $readme['headers'] ), self::HEADERS ) );
		$this->assertSame( self::HEADERS, $order, 'in the format\'s order' );
		$this->assertLessThanOrEqual( 5, count( explode( ',', $readme['headers']['Tags'] ) ), 'the directory shows five tags at most' );
		$this->assertMatchesRegularExpression( '/^\d+\.\d+$/', $readme['headers']['Tested up to'], 'Tested up to is a major WordPress version' );
		$this->assertMatchesRegularExpression( '/^https:\/\//', $readme['headers']['License URI'] );
		$this->assertLessThanOrEqual( 150, mb_strlen( $readme['short'] ), 'the directory cuts the short description at 150 characters' );
		$this->assertStringNotContainsString( '=', $readme['short'] );
	}

	public function test_the_stable_tag_and_requirements_are_the_plugins(): void {
		$readme = self::readme()['headers'];
		$header = self::plugin_header();
		$this->assertSame( $header['Version'], $readme['Stable tag'] );
		preg_match( "/define\\( 'KEYSMITH_VERSION', '([^']+)' \\);/", (string) file_get_contents( self::PLUGIN . '/keysmith.php' ), $m );
		$this->assertSame( $header['Version'], $m[1] ?? null, 'KEYSMITH_VERSION' );
		foreach ( array( 'Requires at least', 'Requires PHP', 'Requires Plugins', 'WC requires at least', 'WC tested up to', 'License' ) as $field ) {
			$this->assertSame( $header[ $field ], $readme[ $field ] ?? null, $field );
		}
		$this->assertGreaterThanOrEqual( 0, version_compare( $readme['Tested up to'], $readme['Requires at least'] ) );
	}

	public function test_the_sections_are_the_standard_ones_in_order(): void {
		$sections = self::readme()['sections'];
		$this->assertSame( array_slice( self::SECTIONS, 0, 3 ), array_slice( array_keys( $sections ), 0, 3 ) );
		$this->assertSame( array_keys( $sections ), array_values( array_intersect( self::SECTIONS, array_keys( $sections ) ) ), 'only sections the format knows, in its order' );
		$this->assertArrayHasKey( 'Changelog', $sections );
		$this->assertStringContainsString( '= ' . self::plugin_header()['Version'] . " =\n", $sections['Changelog'], 'a changelog entry for this version' );
		foreach ( $sections as $name => $body ) {
			$this->assertNotSame( '', trim( $body ), "$name is not empty" );
		}
		$this->assertMatchesRegularExpression( '/^= .+ =$/m', $sections['Frequently Asked Questions'], 'questions as = Question = lines' );
	}
}
