<?php
/**
 * Registers the store's hooks: schema upgrade check, expiry cron, user-deletion cleanup.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

final class StoreModule {

	public static function register(): void {
		// Runs at plugins_loaded (Plugin::boot), so CLI, REST and cron requests upgrade too, not
		// only admin page loads; it costs one autoloaded option read.
		Schema::maybe_upgrade();
		ExpiryCron::register();
		UserCleanup::register();
	}
}
