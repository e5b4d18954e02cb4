<?php
/**
 * Hourly WP-Cron job: reconciles Keysmith's records with WooCommerce's key table (keys made or
 * removed without Keysmith, Store\Reconciler), then revokes expired keys. The auth path refuses an
 * expired key at once; this job only removes the rows, as a revoke would.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

final class ExpiryCron {

	public const HOOK = 'keysmith_revoke_expired';

	/** Hooks the job and schedules it if it is not scheduled yet. */
	public static function register(): void {
		add_action( self::HOOK, array( self::class, 'run' ) );
		if ( false === wp_next_scheduled( self::HOOK ) ) {
			wp_schedule_event( time() + 60, 'hourly', self::HOOK );
		}
	}

	/** Deactivation and uninstall: removes every scheduled run. */
	public static function unschedule(): void {
		wp_clear_scheduled_hook( self::HOOK );
	}

	/** The job itself. Returns how many expired keys it revoked. */
	public static function run(): int {
		( new Reconciler() )->run( Actor::reconcile() );
		$revoked = ( new KeyService() )->revoke_expired();
		EndedKeys::prune();
		return $revoked;
	}
}
