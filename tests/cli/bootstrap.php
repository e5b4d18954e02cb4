<?php
/**
 * TEST STAND-IN for WP-CLI's runtime (WP-CLI cannot be installed here). Loads a small
 * re-implementation of the parts of WP-CLI's public API that plugin/src/Cli calls — WP_CLI::*,
 * WP_CLI\Utils\*, WP_CLI\Formatter, WP_CLI\ExitException — plus a Runner that parses argv and
 * dispatches like WP-CLI. Written from WP-CLI's documented behaviour (wp-cli/wp-cli php/), not
 * copied. Never shipped; plugin/src/Cli only ever calls the real API, so it runs under real `wp`.
 *
 * @package Keysmith\Tests\Cli
 */

declare(strict_types=1);

if ( class_exists( 'WP_CLI', false ) && ! defined( 'KEYSMITH_WP_CLI_STANDIN' ) ) {
	return; // The real WP-CLI is loaded: never shadow it.
}
if ( ! defined( 'KEYSMITH_WP_CLI_STANDIN' ) ) {
	define( 'KEYSMITH_WP_CLI_STANDIN', true );
}
// WP_CLI (the constant) is defined by tests/cli/wp.php only: in-process tests register the
// command themselves, so code that checks the constant (e.g. Store\UserCleanup) keeps behaving
// as in a web request for the other suites sharing the PHPUnit process.
require_once __DIR__ . '/src/ExitException.php';
require_once __DIR__ . '/src/WP_CLI.php';
require_once __DIR__ . '/src/Formatter.php';
require_once __DIR__ . '/src/utils.php';
require_once __DIR__ . '/src/Synopsis.php';
require_once __DIR__ . '/src/Runner.php';
