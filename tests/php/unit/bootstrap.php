<?php
/**
 * Bootstrap for the WordPress-free unit suite: the plugin's autoloader (which also loads the
 * twin), the WooCommerce reference used to generate the vectors, and the test helpers.
 *
 * @package Keysmith
 */

declare(strict_types=1);

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
