<?php
/**
 * The server-rendered one-time view (create / rotate without JavaScript): its CSV text must read
 * back, with any RFC 4180 parser, as the same keys the page shows, whatever the description holds.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Admin;

use Keysmith\Tests\Integration\TestCase;

final class OneTimeViewTest extends TestCase {

	public function test_csv_text_reads_back_as_the_keys_shown(): void {
		$descriptions = array( 'plain', 'say \\"hi\\" to C:\\', 'comma, "quote"', '=formula' );
		$keys         = array();
		foreach ( $descriptions as $i => $description ) {
			$keys[] = array(
				'key_id'          => $i + 1,
				'user_id'         => 1,
				'user_login'      => 'admin',
				'description'     => $description,
				'permissions'     => 'read',
				'consumer_key'    => 'ck_' . str_repeat( (string) $i, 40 ),
				'consumer_secret' => 'cs_' . str_repeat( (string) $i, 40 ),
				'truncated_key'   => str_repeat( (string) $i, 7 ),
				'expires_at'      => null,
				'rotated_from'    => null,
			);
		}

		$rows = self::csv_rows( self::render( $keys ) );

		$this->assertCount( 1 + count( $keys ), $rows );
		$this->assertSame( 'description', $rows[0][3] );
		foreach ( $keys as $i => $key ) {
			$expected = '=' === $key['description'][0] ? "'" . $key['description'] : $key['description']; // Formula guard.
			$this->assertSame( $expected, $rows[ $i + 1 ][3], 'description ' . $key['description'] );
			$this->assertSame( $key['consumer_secret'], $rows[ $i + 1 ][6] );
		}
	}

	/** @param list<array<string, mixed>> $keys */
	private static function render( array $keys ): string {
		$origin = 'create';
		ob_start();
		include dirname( __DIR__, 4 ) . '/plugin/src/Admin/views/onetime.php';
		return (string) ob_get_clean();
	}

	/**
	 * The textarea's CSV, parsed as RFC 4180 says (a quote inside a quoted field is doubled; a
	 * backslash is an ordinary character).
	 *
	 * @return list<list<string>>
	 */
	private static function csv_rows( string $html ): array {
		preg_match( '#<textarea id="keysmith-csv-text"[^>]*>(.*?)</textarea>#s', $html, $match );
		$csv    = html_entity_decode( $match[1] ?? '', ENT_QUOTES );
		$handle = fopen( 'php://memory', 'r+' );
		fwrite( $handle, $csv );
		rewind( $handle );
		$rows = array();
		while ( false !== ( $row = fgetcsv( $handle, null, ',', '"', '' ) ) ) {
			$rows[] = $row;
		}
		fclose( $handle );
		return $rows;
	}
}
