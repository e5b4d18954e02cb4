<?php
/**
 * Wires sealing: the hourly job seals any key still in the clear (keys made by SQL or another
 * plugin), and the notice of a refused deactivation. Keys WooCommerce makes on its own screens
 * (Add key, app authorization) are sealed at the end of the request that made them, once
 * WooCommerce\NewKeyRecorder has recorded them.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Sealing;

use Keysmith\Store\ExpiryCron;

final class SealingModule {

	public static function register(): void {
		add_action( ExpiryCron::HOOK, array( SealingService::class, 'catch_up' ) );
		add_action( 'admin_notices', array( Deactivation::class, 'render_notice' ) );
	}
}
