<?php
/**
 * admin-ajax endpoints of the JavaScript flows that show secrets: bulk create and rotate. Same
 * checks as WooCommerce's own key AJAX (nonce, then manage_woocommerce; docs/woocommerce-compatibility.md §2.5),
 * JSON answers in WordPress's envelope, and never a cached response.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Admin;

use Keysmith\Store\KeyService;
use WP_Error;

final class Ajax {

	public const CREATE = 'keysmith_create_keys';
	public const ROTATE = 'keysmith_rotate_keys';

	public function __construct( private readonly KeyService $service ) {}

	public function register(): void {
		add_action( 'wp_ajax_' . self::CREATE, array( $this, 'create' ) );
		add_action( 'wp_ajax_' . self::ROTATE, array( $this, 'rotate' ) );
	}

	public function create(): void {
		$this->guard( CreateKeys::NONCE_ACTION );
		$this->respond( ( new CreateKeys( $this->service ) )->create( wp_unslash( $_POST ) ) ); // phpcs:ignore WordPress.Security.NonceVerification.Missing -- guard() checked it.
	}

	public function rotate(): void {
		$this->guard( BulkActions::NONCE_ACTION );
		$fields    = wp_unslash( $_POST ); // phpcs:ignore WordPress.Security.NonceVerification.Missing -- guard() checked it.
		$selection = Selection::from_fields( $fields, ListRequest::from_post( $fields ) );
		$this->respond( $selection instanceof WP_Error ? $selection : ( new BulkActions( $this->service ) )->rotate( $selection, $fields ) );
	}

	/** Nonce first, then capability; a failure ends the request with 403 and changes nothing. */
	private function guard( string $nonce_action ): void {
		NoStore::send();
		if ( false === check_ajax_referer( $nonce_action, BulkActions::NONCE_FIELD, false ) ) {
			wp_send_json_error( array( 'message' => __( 'Your session has expired or the request was forged. Reload the page and try again.', 'keysmith' ) ), 403 );
		}
		if ( ! Screen::user_can() ) {
			wp_send_json_error( array( 'message' => __( 'Sorry, you are not allowed to manage API keys.', 'keysmith' ) ), 403 );
		}
	}

	/** @param array{keys: list<array<string, mixed>>, message: string}|WP_Error $result */
	private function respond( array|WP_Error $result ): void {
		if ( $result instanceof WP_Error ) {
			$data   = $result->get_error_data();
			$status = is_array( $data ) && isset( $data['status'] ) ? (int) $data['status'] : 400;
			wp_send_json_error(
				array(
					'code'    => $result->get_error_code(),
					'message' => $result->get_error_message(),
				),
				$status
			);
		}
		wp_send_json_success(
			array(
				'message' => $result['message'],
				'keys'    => CreateKeys::with_user_logins( $result['keys'] ),
			)
		);
	}
}
