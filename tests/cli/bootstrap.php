<?php
/**
 * TEST STAND-IN for WP-CLI 2.12's runtime (WP-CLI cannot be installed from the registries CI
 * uses). Loads a re-implementation of what Keysmith's commands rely on — WP_CLI::*,
 * WP_CLI\Utils\*, WP_CLI\Formatter, WP_CLI\ExitException, WP_CLI\NoOp — and of how WP-CLI parses
 * arguments, reads docblocks (Spyc YAML included), validates, renders tables, YAML, help and
 * progress bars. Written from reading WP-CLI 2.12's source, not copied; its fidelity is checked
 * byte for byte against transcripts recorded from the real WP-CLI (tests/cli/transcripts,
 * tests/cli/README.md). plugin/src/Cli only calls the real API, so it runs under real `wp`.
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
$keysmith_cli_files = array(
	'ExitException', 'Streams', 'Shell', 'Colors', 'Yaml', 'DocParser', 'Synopsis', 'GlobalParameters',
	'Dispatcher/CompositeCommand', 'Dispatcher/RootCommand', 'Dispatcher/Subcommand', 'Dispatcher/CommandFactory',
	'Table', 'Formatter', 'ProgressBar', 'utils', 'UserFetcher', 'Help', 'WP_CLI', 'Runner',
);
foreach ( $keysmith_cli_files as $keysmith_cli_file ) {
	require_once __DIR__ . "/src/$keysmith_cli_file.php";
}
unset( $keysmith_cli_file, $keysmith_cli_files );
