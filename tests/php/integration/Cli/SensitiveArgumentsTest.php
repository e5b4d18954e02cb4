<?php
/**
 * A secret given to `wp keysmith verify` on the command line never shows up in the arguments of
 * Keysmith's own stack frames, so an exception's trace (printed by WP-CLI with --debug, or logged)
 * cannot leak it from there.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Cli;

final class SensitiveArgumentsTest extends CliTestCase {

	public function test_verify_keeps_the_secret_out_of_keysmith_frames(): void {
		$key    = $this->create_keys( 'admin' )[0];
		$ignore = ini_set( 'zend.exception_ignore_args', '0' ); // Traces carry arguments, as with development settings.
		$fail   = static function ( string $query ): string {
			throw new \RuntimeException( 'database unavailable' );
		};
		add_filter( 'query', $fail );
		try {
			$this->wp( 'keysmith', 'verify', $key['consumer_key'], $key['consumer_secret'] );
			self::fail( 'the query failure propagates' );
		} catch ( \RuntimeException $e ) {
			$frames = array_filter( $e->getTrace(), static fn( array $frame ): bool => str_starts_with( $frame['class'] ?? '', 'Keysmith\\' ) && ! str_starts_with( $frame['class'], 'Keysmith\\Tests\\' ) );
			self::assertContains( 'verify', array_column( $frames, 'function' ) );
			self::assertStringNotContainsString( $key['consumer_secret'], print_r( array_column( $frames, 'args' ), true ) ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_print_r
		} finally {
			remove_filter( 'query', $fail );
			ini_set( 'zend.exception_ignore_args', (string) $ignore );
		}
	}
}
