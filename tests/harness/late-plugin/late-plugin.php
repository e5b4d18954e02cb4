<?php
/**
 * Plugin Name: Keysmith harness: a plugin that loads after Keysmith (test only, never shipped)
 * Description: Loads after Keysmith (plugins load in path order, and this one sorts after
 * "keysmith/"). When the option keysmith_harness_late_home_filter is set it filters the home URL, as
 * multilingual or domain-mapping plugins do, so tests can show that Keysmith never decides early
 * what such a plugin changes (tests/php/integration/Auth/EarlyRefusalTest.php).
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

if ( get_option( 'keysmith_harness_late_home_filter' ) ) {
	add_filter(
		'home_url',
		static fn( string $url ): string => (string) preg_replace( '#^(https?://[^/]+)#', '$1/filtered', $url )
	);
}
