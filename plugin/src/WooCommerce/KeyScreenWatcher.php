<?php
/**
 * WooCommerce's own REST API keys screen (docs/woocommerce-compatibility.md §2.5.1, §4.2) writes
 * the key table directly and fires no hook. This watches the three requests that change keys there
 * and records them in the same request (§11):
 *
 * - Add key / Save changes: admin-ajax `woocommerce_update_api_key`. Before WooCommerce's handler
 *   (priority 1 of the same action), note the highest key id (a new key) or the key's row (an
 *   edit); at shutdown, record the new key (source `woocommerce`, creator, the key-lifetime policy's
 *   expiry, a `create` event) or the edit (an `update` event, cache forgotten).
 * - Revoke link and bulk Revoke: `admin_init` on the keys section, where WooCommerce's handler runs
 *   at priority 10. At priority 1, note the rows of the keys named (`revoke-key`, or `key[]` with
 *   `action=revoke`); at shutdown, those that are gone get a `revoke` event and lose Keysmith's rows.
 *
 * Nothing here decides whether WooCommerce's request is allowed: WooCommerce checks its nonce and
 * capabilities, and whatever it did not change is not recorded.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\WooCommerce;

use Keysmith\Store\Actor;
use Keysmith\Store\KeySource;
use Keysmith\Store\Reconciler;

final class KeyScreenWatcher {

	/** WooCommerce's AJAX action that saves the key form. */
	public const AJAX_ACTION = 'woocommerce_update_api_key';

	public static function register(): void {
		add_action( 'wp_ajax_' . self::AJAX_ACTION, array( self::class, 'before_save' ), 1 );
		add_action( 'admin_init', array( self::class, 'before_revoke' ), 1 );
	}

	/** wp_ajax_woocommerce_update_api_key, priority 1: what the save is about to change. */
	public static function before_save(): void {
		// phpcs:disable WordPress.Security.NonceVerification.Missing -- only read here; WooCommerce checks the nonce.
		$key_id = isset( $_POST['key_id'] ) && is_scalar( $_POST['key_id'] ) ? absint( $_POST['key_id'] ) : 0;
		if ( $key_id > 0 ) {
			$before = Reconciler::snapshot( array( $key_id ) );
			RequestWatch::at_shutdown( static fn() => ( new Reconciler() )->record_changes( $before, Actor::current( 'woocommerce' ) ) );
			return;
		}
		// What WooCommerce will store (WC_AJAX::update_api_key normalises these ways), to tell
		// this request's key from one another request makes at the same moment.
		$user        = isset( $_POST['user'] ) && is_scalar( $_POST['user'] ) ? absint( $_POST['user'] ) : 0;
		$description = isset( $_POST['description'] ) && is_string( $_POST['description'] ) ? sanitize_text_field( wp_unslash( $_POST['description'] ) ) : '';
		$permissions = isset( $_POST['permissions'] ) ? wp_unslash( $_POST['permissions'] ) : '';
		// phpcs:enable
		$permissions = in_array( $permissions, array( 'read', 'write', 'read_write' ), true ) ? $permissions : 'read';
		$after       = RequestWatch::highest_key_id();
		RequestWatch::at_shutdown(
			static function () use ( $after, $user, $description, $permissions ): void {
				global $wpdb;
				$key_id = RequestWatch::new_key( $after, $wpdb->prepare( 'k.user_id = %d AND k.description = %s AND k.permissions = %s', $user, $description, $permissions ) );
				if ( null !== $key_id ) {
					NewKeyRecorder::record( $key_id, KeySource::WOOCOMMERCE, null );
				}
			}
		);
	}

	/** admin_init, priority 1: the keys WooCommerce's revoke link or bulk Revoke is about to delete. */
	public static function before_revoke(): void {
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- only read here; WooCommerce checks the nonce.
		if ( 'wc-settings' !== ( $_GET['page'] ?? '' ) || 'advanced' !== ( $_GET['tab'] ?? '' ) || 'keys' !== ( $_GET['section'] ?? '' ) ) {
			return;
		}
		$ids = array();
		if ( isset( $_REQUEST['revoke-key'] ) && is_scalar( $_REQUEST['revoke-key'] ) ) {
			$ids[] = absint( $_REQUEST['revoke-key'] );
		}
		if ( isset( $_REQUEST['action'], $_REQUEST['key'] ) && 'revoke' === $_REQUEST['action'] ) {
			$ids = array_merge( $ids, array_map( 'absint', array_filter( (array) $_REQUEST['key'], 'is_scalar' ) ) );
		}
		// phpcs:enable
		$ids = array_values( array_unique( array_filter( $ids ) ) );
		if ( array() === $ids ) {
			return;
		}
		$before = Reconciler::snapshot( $ids );
		RequestWatch::at_shutdown( static fn() => ( new Reconciler() )->forget( $before, Actor::current( 'woocommerce' ) ) );
	}
}
