<?php
/**
 * Bootstrap for the WordPress-free unit suite: the plugin's autoloader (which also loads the
 * twin), the WooCommerce reference used to generate the vectors, and the test helpers.
 *
 * @package Keysmith
 */

declare(strict_types=1);

// The twin's sealing keys, as wp-config.php would name them: the vectors' test keys, the same files
// run-unit.sh gives the extension (keysmith.sealing_key_file, keysmith.sealing_previous_key_file).
define( 'KEYSMITH_SEALING_KEY_FILE', dirname( __DIR__, 2 ) . '/vectors/sealing/current.key' );
define( 'KEYSMITH_SEALING_PREVIOUS_KEY_FILE', dirname( __DIR__, 2 ) . '/vectors/sealing/previous.key' );

require_once dirname( __DIR__, 3 ) . '/plugin/src/Autoloader.php';
\Keysmith\Autoloader::register( dirname( __DIR__, 3 ) . '/plugin/src' );

// Only defines functions: generate.php writes files only when executed as a script.
require_once dirname( __DIR__, 2 ) . '/vectors/generate.php';

require_once __DIR__ . '/Support/Implementations.php';
require_once __DIR__ . '/Support/ParityTestCase.php';
require_once __DIR__ . '/Support/ChildProcess.php';
require_once __DIR__ . '/Support/RequestGenerator.php';
require_once __DIR__ . '/Support/BadInputs.php';
require_once dirname( __DIR__ ) . '/Seeds.php';
