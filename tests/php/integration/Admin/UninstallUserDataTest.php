<?php
/**
 * Uninstall also removes what the admin screens stored per user: the dismissed version notice and
 * the key list's rows-per-page choice (user meta, which a dropped table does not take along).
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Admin;

use Keysmith\Admin\KeyListTable;
use Keysmith\Health\VersionNotice;
use Keysmith\Store\ExpiryCron;
use Keysmith\Store\Schema;
use Keysmith\Tests\Integration\TestCase;

final class UninstallUserDataTest extends TestCase {

	public function test_uninstall_removes_keysmiths_user_meta_of_every_user(): void {
		$users = array( self::user_id( 'admin' ), self::user_id( 'shopmanager' ) );
		foreach ( $users as $user_id ) {
			update_user_meta( $user_id, VersionNotice::USER_META, '0.0.1|0.1' );
			update_user_meta( $user_id, KeyListTable::PER_PAGE_OPTION, 50 );
		}
		update_user_meta( $users[0], 'unrelated_meta', 'kept' );

		try {
			self::run_uninstall();
			foreach ( $users as $user_id ) {
				$this->assertSame( '', get_user_meta( $user_id, VersionNotice::USER_META, true ) );
				$this->assertSame( '', get_user_meta( $user_id, KeyListTable::PER_PAGE_OPTION, true ) );
			}
			$this->assertSame( 'kept', get_user_meta( $users[0], 'unrelated_meta', true ) );
		} finally {
			delete_user_meta( $users[0], 'unrelated_meta' );
			Schema::install();
			ExpiryCron::register();
		}
	}

	/** Runs plugin/uninstall.php the way WordPress does (uninstall_plugin(): an include in a function). */
	private static function run_uninstall(): void {
		if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
			define( 'WP_UNINSTALL_PLUGIN', 'keysmith/keysmith.php' );
		}
		include dirname( __DIR__, 4 ) . '/plugin/uninstall.php';
	}
}
