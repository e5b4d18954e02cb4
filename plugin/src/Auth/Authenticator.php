<?php
/**
 * Authenticates WooCommerce REST API keys on determine_current_user (priority 14, just before
 * WooCommerce's 15) with the extension, giving WooCommerce's answer for every request it would
 * judge (wc-contract.md §3.3-§3.6), except where Keysmith is deliberately stricter (expired keys;
 * a nonce accepted exactly once).
 *
 * Keysmith's decision is final: once made (success, failure, or "no credentials"), the request no
 * longer looks like a WooCommerce REST request to WooCommerce (filter
 * `woocommerce_rest_is_request_to_rest_api`, last priority), so WooCommerce's own authenticate()
 * and authentication_fallback() do nothing and cannot re-judge a request Keysmith refused (a
 * replay, an expired key). Where Keysmith cannot reproduce WooCommerce's answer it steps aside and
 * WooCommerce judges alone.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Auth;

use Keysmith\Crypto\Crypto;
use WP_Error;

final class Authenticator {

	private static ?self $instance = null;

	/** Null until Keysmith decided for this request. */
	private ?Decision $decision = null;

	/** True once Keysmith stepped aside for this request (WooCommerce judges it). */
	private bool $stepped_aside = false;

	public static function instance(): self {
		return self::$instance ??= new self();
	}

	public function decision(): ?Decision {
		return $this->decision;
	}

	/** Forgets the decision: a new request starts (used by tests that simulate many requests). */
	public function reset(): void {
		$this->decision      = null;
		$this->stepped_aside = false;
	}

	/** Keysmith stays out of this request; WooCommerce judges it. */
	public function step_aside(): void {
		$this->stepped_aside = true;
	}

	/**
	 * Filter determine_current_user (14).
	 *
	 * @param int|false|null $user_id A user already identified (cookie), or empty.
	 * @return int|false|null
	 */
	public function determine_current_user( $user_id ) {
		if ( ! empty( $user_id ) || $this->stepped_aside ) {
			return $user_id;
		}
		if ( null !== $this->decision ) {
			if ( $this->judges_again() ) {
				$this->decision = $this->judge_again();
			}
			return $this->decision->user_id ? $this->decision->user_id : $user_id;
		}
		if ( ! Settings::auth_enabled() || ! RestScope::is_wc_request() ) {
			return $user_id;
		}
		try {
			$this->decision = $this->decide( time() );
		} catch ( CannotDecide | \TypeError | \ValueError $e ) {
			$this->stepped_aside = true;

			/**
			 * Fires when Keysmith leaves a request to WooCommerce because it cannot reproduce
			 * WooCommerce's answer (odd input shapes, a database error). Never carries a secret.
			 *
			 * @param string $reason Short reason.
			 */
			do_action( 'keysmith_auth_stepped_aside', $e instanceof CannotDecide ? $e->getMessage() : get_class( $e ) );
			return $user_id;
		}
		return $this->decision->user_id ? $this->decision->user_id : $user_id;
	}

	/**
	 * Asked for the user again after accepting a key whose owner does not exist: WordPress's
	 * WP_REST_Server::serve_request() forgets such a user and asks again (from a later
	 * rest_authentication_errors callback or the route's permission check), and WooCommerce then
	 * authenticates the request a second time.
	 */
	private function judges_again(): bool {
		return null !== $this->decision->key && ! self::user_exists( $this->decision->key->user_id );
	}

	/**
	 * WooCommerce's second pass: Basic accepts the key again; OAuth finds its own nonce used, and
	 * the error it sets then is never reported (its check_authentication_error() already ran), so
	 * the request simply has no user and no key: the route refuses it, no access is recorded.
	 */
	private function judge_again(): Decision {
		try {
			$again = $this->decide( time() );
		} catch ( CannotDecide | \TypeError | \ValueError $e ) {
			return Decision::nothing();
		}
		return null !== $again->key ? $again : Decision::nothing();
	}

	/** Whether a key's owner is a user of this site's user table (cached by WordPress per request). */
	public static function user_exists( int $user_id ): bool {
		return false !== get_userdata( $user_id );
	}

	/**
	 * Filter woocommerce_rest_is_request_to_rest_api (last): once Keysmith decided, WooCommerce's
	 * authenticator must not judge the request again.
	 *
	 * @param mixed $is_wc_request Earlier answer.
	 * @return mixed
	 */
	public function hide_from_woocommerce( $is_wc_request ) {
		return null === $this->decision ? $is_wc_request : false;
	}

	/** WooCommerce's authenticate(): Basic over TLS first, then OAuth 1.0a. */
	private function decide( int $now ): Decision {
		$earlier = null;
		if ( is_ssl() ) {
			$basic = $this->basic( $now );
			if ( false !== $basic->user_id ) {
				return $basic;
			}
			$earlier = $basic->error;
		}
		$oauth = $this->oauth( $now, null === $earlier );
		return null === $oauth->error && false === $oauth->user_id && null !== $earlier
			? Decision::refuse( $earlier )
			: $oauth->with_earlier_error( $earlier );
	}

	/** WooCommerce's perform_basic_authentication(), plus the expiry check. */
	private function basic( int $now ): Decision {
		$credentials = Credentials::basic();
		if ( null === $credentials ) {
			return Decision::nothing();
		}
		list( $consumer_key, $secret ) = $credentials;
		$key                           = KeyLookup::cached_or_db( KeyLookup::hash_of( $consumer_key ) );
		if ( null === $key ) {
			return Decision::nothing();
		}
		if ( ! is_string( $secret ) ) {
			throw new CannotDecide( 'secret is not a string' );
		}
		$matches = null === $key->consumer_secret
			? Crypto::equals( $key->secret_verifier, KeyRow::verifier( $secret ) )
			: Crypto::equals( $key->consumer_secret, $secret );
		if ( ! $matches ) {
			return Decision::refuse( Errors::secret_invalid() );
		}
		if ( $key->is_expired( $now ) ) {
			return Decision::refuse( Errors::key_expired() );
		}
		return Decision::accept( $key );
	}

	/** WooCommerce's perform_oauth_authentication(), with the expiry check and the atomic nonce. */
	private function oauth( int $now, bool $may_fold_access ): Decision {
		$params  = Credentials::oauth_parameters();
		$missing = Credentials::missing_oauth( $params );
		if ( count( $missing ) === count( Credentials::OAUTH_REQUIRED ) ) {
			return Decision::nothing();
		}
		if ( array() !== $missing ) {
			return Decision::refuse( Errors::missing_parameters( $missing ) );
		}
		foreach ( Credentials::OAUTH_REQUIRED as $name ) {
			if ( ! is_string( $params[ $name ] ) ) {
				throw new CannotDecide( 'non-string OAuth parameter' );
			}
		}

		$key = KeyLookup::from_db( KeyLookup::hash_of( $params['oauth_consumer_key'] ) );
		if ( null === $key ) {
			return Decision::refuse( Errors::key_invalid() );
		}
		$signature = $this->check_signature( $key, $params );
		if ( true !== $signature ) {
			return Decision::refuse( $signature );
		}
		if ( $key->is_expired( $now ) ) {
			return Decision::refuse( Errors::key_expired() );
		}
		$timestamp = $params['oauth_timestamp'];
		// Loose comparison of the string with an int, as WooCommerce does it (its quirks included).
		if ( ( $timestamp < $now - NonceLedger::WINDOW ) || ( $timestamp > $now + NonceLedger::WINDOW ) ) {
			return Decision::refuse( Errors::timestamp_invalid() );
		}
		return $this->claim_nonce( $key, $timestamp, $params['oauth_nonce'], $now, $may_fold_access );
	}

	/**
	 * WooCommerce's check_oauth_signature() through the extension.
	 *
	 * @param array<int|string, mixed> $params
	 */
	private function check_signature( KeyRow $key, array $params ): bool|WP_Error { // true|WP_Error; `true` alone is a PHP 8.2 type and the plugin supports 8.1.
		$method = $params['oauth_signature_method'];
		if ( 'HMAC-SHA1' !== $method && 'HMAC-SHA256' !== $method ) {
			return Errors::signature_method_invalid();
		}
		$http_method = isset( $_SERVER['REQUEST_METHOD'] ) ? $_SERVER['REQUEST_METHOD'] : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- signed as sent.
		if ( ! is_string( $http_method ) ) {
			throw new CannotDecide( 'REQUEST_METHOD is not a string' );
		}
		$valid = Crypto::oauth_verify( strtoupper( $http_method ), self::signed_url(), $params, (string) $key->consumer_secret );
		return $valid ? true : Errors::signature_mismatch();
	}

	/**
	 * The URL WooCommerce signs: the request path (raw, as in REQUEST_URI) re-rooted on the home
	 * URL, scheme forced by is_ssl(); the Host header plays no part.
	 */
	public static function signed_url(): string {
		$uri  = isset( $_SERVER['REQUEST_URI'] ) ? $_SERVER['REQUEST_URI'] : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- signed as sent (still slashed, as WooCommerce reads it).
		$path = is_string( $uri ) ? wp_parse_url( $uri, PHP_URL_PATH ) : null;
		if ( ! is_string( $path ) ) {
			throw new CannotDecide( 'request path unreadable' );
		}
		$base = get_home_url( null, '/', 'relative' );
		if ( substr( $path, 0, strlen( $base ) ) === $base ) {
			$path = substr( $path, strlen( $base ) );
		}
		return get_home_url( null, $path, is_ssl() ? 'https' : 'http' );
	}

	private function claim_nonce( KeyRow $key, string $timestamp, string $nonce, int $now, bool $may_fold_access ): Decision {
		$decision    = Decision::accept( $key );
		$fold        = $may_fold_access && AccessLog::predict( $key, $decision );
		$last_access = $fold ? current_time( 'mysql' ) : null;

		$outcome = NonceLedger::claim( $key->key_id, $key->nonces, $timestamp, $nonce, $last_access, $now );
		if ( NonceLedger::REPLAYED === $outcome ) {
			return Decision::refuse( Errors::nonce_used() );
		}
		if ( NonceLedger::GONE === $outcome ) {
			return Decision::refuse( Errors::key_invalid() );
		}
		if ( $fold ) {
			$decision->access_folded = true;
			AccessLog::record_ip( $key );
		}
		return $decision;
	}
}
