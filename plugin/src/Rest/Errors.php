<?php
/**
 * Turns the store's WP_Errors into WordPress REST errors: a refused value becomes the same
 * `rest_invalid_param` (400, with `params` and `details` per field) that argument validation
 * gives, so clients handle one shape; other errors keep their code and status.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Rest;

use WP_Error;

final class Errors {

	/** Store error code => the request field it is about. */
	private const FIELDS = array(
		'keysmith_invalid_user'          => 'owner',
		'keysmith_invalid_count'         => 'count',
		'keysmith_invalid_permissions'   => 'permissions',
		'keysmith_invalid_date'          => 'expires_at',
		'keysmith_expiry_over_policy'    => 'expires_at',
		'keysmith_invalid_description'   => 'description',
		'keysmith_description_too_long'  => 'description',
		'keysmith_invalid_grace'         => 'grace',
		'keysmith_invalid_filter'        => 'filter',
		'keysmith_empty_filter'          => 'filter',
		'keysmith_invalid_changes'       => 'changes',
		'keysmith_invalid_spec'          => 'owner',
		'keysmith_unknown_user'          => 'owner',
	);

	/**
	 * @param string|null $nested_in The object field the values sat in ('changes' for a batch
	 *                               update), blamed instead of the top-level field name.
	 */
	public static function from_store( WP_Error $error, ?string $nested_in = null ): WP_Error {
		$code   = (string) $error->get_error_code();
		$data   = $error->get_error_data();
		$status = is_array( $data ) && isset( $data['status'] ) ? (int) $data['status'] : 500;
		if ( 400 !== $status || ! isset( self::FIELDS[ $code ] ) ) {
			return new WP_Error( $code, $error->get_error_message(), array( 'status' => $status ) );
		}
		$field = self::FIELDS[ $code ];
		if ( null !== $nested_in && ! in_array( $field, array( 'filter', 'grace' ), true ) ) {
			$field = $nested_in;
		}
		return self::invalid_param( $field, $error->get_error_message(), $code );
	}

	/** A filter the store refused (KeyFilter::from_array), whatever the value was. */
	public static function bad_filter( WP_Error $error, string $field = 'filter' ): WP_Error {
		return self::invalid_param( $field, $error->get_error_message(), (string) $error->get_error_code() );
	}

	/** WordPress's own shape for a bad argument (WP_REST_Request::has_valid_params()). */
	public static function invalid_param( string $field, string $message, string $code = 'rest_invalid_param' ): WP_Error {
		return new WP_Error(
			'rest_invalid_param',
			/* translators: %s: list of invalid parameters. */
			sprintf( __( 'Invalid parameter(s): %s' ), $field ), // phpcs:ignore WordPress.WP.I18n.MissingArgDomain -- WordPress core's own string.
			array(
				'status'  => 400,
				'params'  => array( $field => $message ),
				'details' => array(
					$field => array(
						'code'    => $code,
						'message' => $message,
						'data'    => null,
					),
				),
			)
		);
	}
}
