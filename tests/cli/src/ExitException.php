<?php
/**
 * TEST STAND-IN: WP-CLI throws this instead of exit() when it runs a command in-process
 * (WP_CLI::$capture_exit); the code is the exit status.
 *
 * @package Keysmith\Tests\Cli
 */

declare(strict_types=1);

namespace WP_CLI;

class ExitException extends \Exception {}
