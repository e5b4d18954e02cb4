<?php
/**
 * The Sealed secrets view of Keysmith's screen, over real HTTP with real logins: it shows the
 * state, key and counts to whoever may use the screen, and turns sealing on or off only for an
 * administrator (manage_options) with the view's nonce; a shop manager's valid nonce, a forged one
 * or none change nothing.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Sealing;

use Keysmith\Admin\BulkActions;
use Keysmith\Admin\SealingControl;
use Keysmith\Sealing\SealedStore;

final class ScreenControlTest extends SealingTestCase {

	private const VIEW = '/wp-admin/admin.php?page=wc-settings&tab=advanced&section=keysmith&view=sealing';

	public function test_only_an_administrator_with_the_nonce_turns_sealing_on_and_off(): void {
		$admin   = self::login( 'admin' ); // Before anything caches the user's sessions in this process.
		$manager = self::login( 'shopmanager' );
		$keys    = $this->make_keys( 3 );
		$post    = static fn( array $cookies, string $nonce, string $action ): array => self::http(
			'POST',
			self::VIEW,
			array(
				'cookies' => $cookies,
				'body'    => array(
					'keysmith_sealing'       => $action,
					BulkActions::NONCE_FIELD => $nonce,
				),
			)
		);

		$view = self::http( 'GET', self::VIEW, array( 'cookies' => $manager ) );
		$this->assertSame( 200, $view['status'] );
		$this->assertMatchesRegularExpression( '#<td data-fact="state">off</td>#', $view['body'] );
		$this->assertStringContainsString( '0 sealed, 3 in plaintext', $view['body'] );
		$this->assertStringContainsString( 'Only administrators may turn sealing on or off.', $view['body'], 'a shop manager sees the state, not the control' );
		$this->assertStringNotContainsString( 'name="keysmith_sealing"', $view['body'] );

		$this->assertSame( 403, $post( $admin, 'forged1234', 'on' )['status'] );
		$this->assertSame( 403, $post( $admin, self::nonce_for( $admin, BulkActions::NONCE_ACTION ), 'on' )['status'], 'another form\'s nonce' );
		$refused = $post( $manager, self::nonce_for( $manager, SealingControl::NONCE_ACTION ), 'on' );
		$this->assertStringContainsString( 'Only administrators may turn sealing on or off.', $refused['body'] );
		$this->assertSame( 0, SealedStore::counts()['sealed'], 'nothing sealed by any of them' );

		$on = $post( $admin, self::nonce_for( $admin, SealingControl::NONCE_ACTION ), 'on' );
		$this->assertSame( 200, $on['status'] );
		$this->assertStringContainsString( 'Sealing is on: sealed 3 secrets; every secret is now sealed.', $on['body'] );
		$this->assertStringContainsString( '3 sealed, 0 in plaintext', $on['body'] );
		$this->assert_all_sealed( self::fingerprint_of( self::key_file( 'current' ) ) );
		$this->assert_keys_work( $keys, 'sealed from the screen' );

		$off = $post( $admin, self::nonce_for( $admin, SealingControl::NONCE_ACTION ), 'off' );
		if ( self::native() ) {
			// The extension opens sealed values for the command line only.
			$this->assertStringContainsString( 'Run `wp keysmith sealing off` on the server.', $off['body'] );
			$this->assertSame( 3, SealedStore::counts()['sealed'] );
		} else {
			$this->assertStringContainsString( 'Sealing is off: unsealed 3 secrets', $off['body'] );
			$this->assertSame( 0, SealedStore::counts()['sealed'] );
		}
		$this->assert_keys_work( $keys, 'after turning off' );
	}
}
