<?php
/**
 * TEST STAND-IN for WP_CLI\Dispatcher\RootCommand: `wp`, the parent of every command.
 *
 * @package Keysmith\Tests\Cli
 */

declare(strict_types=1);

namespace Keysmith\Tests\Cli\Dispatcher;

use Keysmith\Tests\Cli\DocParser;

final class RootCommand extends CompositeCommand {

	public function __construct() {
		parent::__construct( null, 'wp', new DocParser( '' ) );
		$this->shortdesc = 'Manage WordPress through the command-line.';
	}
}
