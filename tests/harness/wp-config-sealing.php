<?php
/**
 * The twin's sealing key constants for the harness site (loaded by $H/wp-config-local.php, which
 * tests/harness/run-integration.sh and the sealing tests write): the key file the served site holds,
 * $keysmith_sealing_key (and $keysmith_sealing_previous_key), unless a CLI child of a test names
 * others in KEYSMITH_TEST_SEALING_KEY_FILE / KEYSMITH_TEST_SEALING_PREVIOUS_KEY_FILE ("none": no
 * key). Served requests never see those variables (php-fpm clears the environment).
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

( static function ( string $current, string $previous ): void {
	$current  = getenv( 'KEYSMITH_TEST_SEALING_KEY_FILE' ) ?: $current;
	$previous = getenv( 'KEYSMITH_TEST_SEALING_PREVIOUS_KEY_FILE' ) ?: $previous;
	define( 'KEYSMITH_SEALING_KEY_FILE', 'none' === $current ? '' : $current );
	define( 'KEYSMITH_SEALING_PREVIOUS_KEY_FILE', 'none' === $previous ? '' : $previous );
} )( $keysmith_sealing_key ?? 'none', $keysmith_sealing_previous_key ?? 'none' );
unset( $keysmith_sealing_key, $keysmith_sealing_previous_key );
