<?php
/**
 * A new sealing key: `wp keysmith sealing generate-key` writes one (0600, never over a file), and
 * `rotate-key` re-seals every secret under it once it is the configured key, with the old one as
 * the previous key; it refuses while the configuration does not say so. Each step runs as the
 * command line would, in a PHP holding the keys the step's configuration names.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Sealing;

use Keysmith\Sealing\SealingService;
use Keysmith\Store\Actor;
use Keysmith\Store\AuditLog;

final class RotationTest extends SealingTestCase {

	public function test_rotate_key_reseals_everything_under_the_new_key(): void {
		$keys = $this->make_keys( 3 );
		( new SealingService() )->turn_on( new Actor( 0, 'cli' ) );
		$old     = self::key_file( 'current' );
		$new     = self::key_file( 'other' );
		$markers = array_column( self::stored(), 0 );
		$before  = self::snapshot();

		$mistake = self::wp( array( 'keysmith', 'sealing', 'rotate-key', "--new-key-file=$old" ), $new, $old );
		$this->assertSame( 1, $mistake['exit'] );
		$this->assertStringContainsString( "Error: The key in $old (fingerprint " . self::fingerprint_of( $old ) . ") is not this server's current sealing key (" . self::fingerprint_of( $new ) . ')', $mistake['stderr'] );
		$this->assertSame( $before, self::snapshot(), 'nothing changed' );

		$not_yet = self::wp( array( 'keysmith', 'sealing', 'rotate-key', "--new-key-file=$new" ), $old );
		$this->assertSame( 1, $not_yet['exit'], 'the new key is not configured yet' );
		$this->assertSame( $before, self::snapshot() );

		$status = self::wp( array( 'keysmith', 'sealing', 'status' ), $new, $old );
		$this->assertSame( 0, $status['exit'], 'the previous key opens them meanwhile: nothing is broken' );
		$this->assertStringContainsString( '3 secrets are still sealed with the previous key ' . self::fingerprint_of( $old ), $status['stderr'] );

		$rotated = self::wp( array( 'keysmith', 'sealing', 'rotate-key', "--new-key-file=$new" ), $new, $old );
		$this->assertSame( 0, $rotated['exit'], $rotated['stderr'] );
		$this->assertSame( 'Success: Re-sealed 3 secrets under the key ' . self::fingerprint_of( $new ) . ". No secret needs the previous key now: remove it from the configuration.\n", $rotated['stdout'] );
		$this->assert_all_sealed( self::fingerprint_of( $new ) );
		$this->assertSame( $markers, array_column( self::stored(), 0 ), "WooCommerce's column is untouched" );

		$again = self::wp( array( 'keysmith', 'sealing', 'rotate-key', "--new-key-file=$new" ), $new, $old );
		$this->assertSame( 'Success: Re-sealed 0 secrets under the key ' . self::fingerprint_of( $new ) . ". No secret needs the previous key now: remove it from the configuration.\n", $again['stdout'], 'a second run has nothing left to do' );

		foreach ( $keys as $key ) {
			$with_new = self::wp( array( 'keysmith', 'verify', $key['consumer_key'] ), $new, null, $key['consumer_secret'] );
			$this->assertSame( 0, $with_new['exit'], "key {$key['key_id']} opens with the new key alone: " . $with_new['stderr'] );
			$with_old = self::wp( array( 'keysmith', 'verify', $key['consumer_key'] ), $old, null, $key['consumer_secret'] );
			$this->assertSame( 1, $with_old['exit'], 'no longer with the old key alone' );
			$this->assertStringContainsString( 'sealing key', $with_old['stderr'] );
		}
		$event = AuditLog::query( array( 'action' => 'sealing_rotate' ) )['items'][1] ?? null;
		$this->assertSame( array( 'secrets' => 3, 'key' => self::fingerprint_of( $new ) ), $event['details'] ?? null );
	}

	public function test_generate_key_writes_a_private_key_and_never_overwrites(): void {
		$dir  = sys_get_temp_dir() . '/keysmith-generate-' . getmypid();
		$path = "$dir/sealing.key";
		is_dir( $dir ) || mkdir( $dir );
		try {
			$made = self::wp( array( 'keysmith', 'sealing', 'generate-key', $path ), null );
			$this->assertSame( 0, $made['exit'], $made['stderr'] );
			clearstatcache();
			$this->assertSame( 32, filesize( $path ) );
			$this->assertSame( '0600', sprintf( '%04o', fileperms( $path ) & 0777 ) );
			$this->assertStringContainsString( 'Success: Wrote a new sealing key to ' . $path . ' (fingerprint ' . self::fingerprint_of( $path ) . ', mode 0600).', $made['stdout'] );
			$this->assertStringContainsString( 'keysmith.sealing_key_file = ' . $path, $made['stdout'] );
			$key = (string) file_get_contents( $path );

			$again = self::wp( array( 'keysmith', 'sealing', 'generate-key', $path ), null );
			$this->assertSame( 1, $again['exit'] );
			$this->assertStringContainsString( 'already exists; a sealing key is never overwritten', $again['stderr'] );
			$this->assertSame( $key, (string) file_get_contents( $path ), 'the key is untouched' );

			$other = self::wp( array( 'keysmith', 'sealing', 'generate-key', "$dir/second.key" ), null );
			$this->assertSame( 0, $other['exit'] );
			$this->assertNotSame( $key, (string) file_get_contents( "$dir/second.key" ), 'a new key each time' );
		} finally {
			array_map( 'unlink', glob( "$dir/*" ) );
			rmdir( $dir );
		}
	}
}
