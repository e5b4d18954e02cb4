<?php
/**
 * The later hooks of a request Keysmith decided: reports its refusal on rest_authentication_errors
 * (as WooCommerce's check_authentication_error() does), applies WooCommerce 11.1's scope guard,
 * on rest_pre_dispatch checks the key's permission for the REST method (a refusal counts for the
 * throttle) and records the access, and adds Retry-After to a throttled client's answer.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Auth;

final class RequestGuard {

	public function __construct( private Authenticator $authenticator ) {}

	/**
	 * Filter rest_authentication_errors (15): an earlier error wins, else Keysmith's.
	 *
	 * @param mixed $error Result of earlier callbacks.
	 * @return mixed
	 */
	public function report_error( $error ) {
		if ( ! empty( $error ) ) {
			return $error;
		}
		$decision = $this->authenticator->decision();
		return null !== $decision && null !== $decision->error ? $decision->error : $error;
	}

	/**
	 * Filter rest_authentication_errors (20): WooCommerce 11.1+'s reject_out_of_scope_route() for a
	 * key Keysmith authenticated (WooCommerce's own guard no longer sees the key).
	 *
	 * @param mixed $result Result of earlier callbacks.
	 * @return mixed
	 */
	public function reject_out_of_scope_route( $result ) {
		$decision = $this->authenticator->decision();
		if ( null === $decision || null === $decision->key || ! RestScope::wc_has_route_resolution() ) {
			return $result;
		}
		return RestScope::resolved_route_in_scope() ? $result : Errors::out_of_scope();
	}

	/**
	 * Filter rest_post_dispatch: a request Keysmith refused is never cached, and a throttled client
	 * is told when to come back (the same headers as an early answer, EarlyGate).
	 *
	 * @param mixed $response The response.
	 * @return mixed
	 */
	public function add_refusal_headers( $response ) {
		$decision = $this->authenticator->decision();
		$refused = null !== $decision && ( null !== $decision->error || $decision->refused_at_dispatch );
		if ( $refused && $response instanceof \WP_REST_Response && $response->is_error() ) {
			foreach ( self::refusal_headers( $decision->retry_after ) as $name => $value ) {
				$response->header( $name, $value );
			}
		}
		return $response;
	}

	/**
	 * The headers of a refusal: WordPress's no-cache headers (wp_get_nocache_headers(), which the
	 * REST server itself sends once a user is logged in), and Retry-After when throttled.
	 *
	 * @return array<string, string>
	 */
	public static function refusal_headers( int $retry_after ): array {
		$headers = array_filter( wp_get_nocache_headers(), 'is_string' );
		if ( $retry_after > 0 ) {
			$headers['Retry-After'] = (string) $retry_after;
		}
		return $headers;
	}

	/**
	 * Filter rest_pre_dispatch (10): WooCommerce's check_user_permissions().
	 *
	 * @param mixed $result  Response to replace the requested one with.
	 * @param mixed $server  WP_REST_Server.
	 * @param mixed $request WP_REST_Request.
	 * @return mixed
	 */
	public function check_user_permissions( $result, $server, $request ) {
		$decision = $this->authenticator->decision();
		if ( null === $decision || null === $decision->key || ! $request instanceof \WP_REST_Request ) {
			return $result;
		}
		$allowed = AccessLog::check_permission( $decision->key->permissions, $request->get_method() );
		if ( true !== $allowed ) {
			$this->authenticator->count_permission_refusal( $allowed );
			return $allowed;
		}
		AccessLog::on_dispatch( $decision->key, $request );
		return $result;
	}
}
