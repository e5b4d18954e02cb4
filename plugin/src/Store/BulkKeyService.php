<?php
/**
 * The store's former name for KeyService, kept only for callers written before the store was
 * split (tests/php/integration/Auth/WooCommerceAloneTest.php). Delete this file once they use
 * KeyService.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

class_alias( KeyService::class, BulkKeyService::class );
