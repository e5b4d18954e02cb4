<?php
/**
 * Authenticates WooCommerce REST API keys on determine_current_user (priority 14, just before
 * WooCommerce's 15), giving WooCommerce's answer for every request it would judge
 * (docs/woocommerce-compatibility.md §3.3-§3.6), except where Keysmith is deliberately stricter
 * (expired keys; a nonce accepted exactly once; absurd nonces and timestamps).
 *
 * Fail closed: Keysmith decides every request in WooCommerce's scope itself, and its decision is
 * final. WooCommerce knows nothing of expiry and its nonce check lets concurrent replays through,
 * so handing a request to WooCommerce could only ever be weaker: once Keysmith decided (accepted,
 * refused, or "no credentials"), the request no longer looks like a WooCommerce REST request to
 * WooCommerce (filter `woocommerce_rest_is_request_to_rest_api`, last priority), and its
 * authenticate() and authentication_fallback() do nothing. When Keysmith cannot check a request
 * (its database fails), it refuses it (Errors::unavailable()). What reaches WooCommerce's own
 * judgement anyway (the path switched off) still meets Keysmith's rules: see KeyRuleGuard.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Auth;

use Keysmith\Sealing\SealingUnavailable;
use WP_Error;

final class Authenticator {

	private static ?self $instance = null;

	/** Null until Keysmith decided for this request. */
	private ?Decision $decision = null;

	public static function instance(): self {
		return self::$instance ??= new self();
	}

	public function decision(): ?Decision {
		return $this->decision;
	}

	/** Forgets the decision: a new request starts (used by tests that simulate many requests). */
	public function reset(): void {
		$this->decision = null;
	}

	/**
	 * Decides the current request now (EarlyGate, while Keysmith's plugin file loads) and keeps the
	 * decision for the later hooks, which reuse it.
	 */
	public function decide_now(): Decision {
		$this->decision = self::decide( time() );
		self::count_failure( $this->decision, time() );
		return $this->decision;
	}

	/** A permission refusal (a read key writing) counts for the throttle, once per request. */
	public function count_permission_refusal( WP_Error $refusal ): void {
		if ( null === $this->decision || null === $this->decision->key || $this->decision->failure_counted ) {
			return;
		}
		$this->decision->refused_at_dispatch = true;
		$this->decision->failure_counted     = true;
		Throttle::record_failure( $this->decision->key->key_id, $refusal->get_error_message(), time() );
	}

	/**
	 * Once WooCommerce has loaded (AuthModule::register()): a request decided early is hidden from
	 * WooCommerce's authenticator like any other (hide_from_woocommerce() reads the decision), and
	 * its fallback is unhooked from it.
	 */
	public function after_woocommerce_loaded(): void {
		if ( null !== $this->decision ) {
			self::retire_woocommerce_fallback();
		}
	}

	/**
	 * Filter determine_current_user (14).
	 *
	 * @param int|false|null $user_id A user already identified (cookie), or empty.
	 * @return int|false|null
	 */
	public function determine_current_user( $user_id ) {
		if ( ! empty( $user_id ) ) {
			return $user_id;
		}
		if ( null === $this->decision ) {
			if ( ! self::in_scope() ) {
				return $user_id;
			}
			$this->decision = self::decide( time() );
			self::count_failure( $this->decision, time() );
			self::retire_woocommerce_fallback();
		} elseif ( $this->judges_again() ) {
			$this->decision = $this->judge_again();
		}
		return $this->decision->user_id ? $this->decision->user_id : $user_id;
	}

	/**
	 * Filter rest_authentication_errors (9, before WooCommerce's own fallback at 10): WooCommerce's
	 * authentication_fallback() for a request whose user was determined before any authenticator
	 * was hooked and not asked for again. Keysmith decides it, so WooCommerce's fallback (which
	 * then sees no WooCommerce request) cannot judge it alone.
	 *
	 * @param mixed $error Result of earlier callbacks.
	 * @return mixed
	 */
	public function fallback( $error ) {
		if ( ! empty( $error ) || null !== $this->decision || 0 !== get_current_user_id() || ! self::in_scope() ) {
			return $error;
		}
		$this->decision = self::decide( time() );
		self::count_failure( $this->decision, time() );
		self::retire_woocommerce_fallback();
		if ( $this->decision->user_id ) {
			wp_set_current_user( $this->decision->user_id );
			return true;
		}
		return $error;
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

	/**
	 * Unhooks WooCommerce's authentication_fallback() from a request Keysmith decided. It exists for
	 * requests WooCommerce never got to judge, and it recognises them by WooCommerce's own state
	 * (no auth method tried yet), which stays empty when Keysmith judges instead. Left in place, it
	 * asks WordPress for the current user at rest_authentication_errors 10, earlier than anything
	 * does when WooCommerce judges alone (WordPress's cookie check at 100), so WordPress's
	 * application-password check runs before its error is collected at 90: Basic credentials that
	 * are no API key (an unknown ck_…, a wrong application password) then got 401 invalid_username
	 * or incorrect_password instead of WooCommerce's answer. Found by name, so it works for
	 * WooCommerce's singleton and for older versions that made a plain instance.
	 */
	private static function retire_woocommerce_fallback(): void {
		global $wp_filter;
		foreach ( $wp_filter['rest_authentication_errors']->callbacks[10] ?? array() as $hook ) {
			$callback = $hook['function'];
			if ( is_array( $callback ) && $callback[0] instanceof \WC_REST_Authentication && 'authentication_fallback' === $callback[1] ) {
				remove_filter( 'rest_authentication_errors', $callback, 10 );
			}
		}
	}

	/** Whether a key's owner is a user of this site's user table (cached by WordPress per request). */
	public static function user_exists( int $user_id ): bool {
		return false !== get_userdata( $user_id );
	}

	/** Whether Keysmith judges this request: its path is on and WooCommerce would judge it. */
	private static function in_scope(): bool {
		return Settings::auth_enabled() && RestScope::is_wc_request();
	}

	/** WooCommerce's authenticate(): Basic over TLS first, then OAuth 1.0a. */
	private static function decide( int $now ): Decision {
		try {
			$basic = is_ssl() ? BasicAuthentication::decide( $now ) : Decision::nothing();
			if ( false !== $basic->user_id || $basic->retry_after > 0 ) {
				return $basic;
			}
			$oauth = OAuthAuthentication::decide( $now );
		} catch ( AuthUnavailable $e ) {
			/**
			 * Fires when Keysmith refuses a request because it could not check it (a database
			 * failure in the part named by $part). Never carries a credential.
			 *
			 * @param string $part 'key lookup', 'nonce store' or 'sealing key'.
			 */
			do_action( 'keysmith_auth_unavailable', $e->getMessage() );
			return Decision::refuse( Errors::unavailable(), null );
		} catch ( SealingUnavailable $e ) {
			/** This action is documented above; $part is 'sealing key' here. */
			do_action( 'keysmith_auth_unavailable', 'sealing key' );
			return Decision::refuse( Errors::sealing_unavailable(), null );
		}
		$oauth_said_nothing = null === $oauth->error && false === $oauth->user_id && null === $oauth->failed_key_id;
		return $oauth_said_nothing ? $basic : $oauth->with_earlier_error( $basic->error );
	}

	/** Counts the decision's failure for the throttle, once per request. */
	private static function count_failure( Decision $decision, int $now ): void {
		if ( null === $decision->failed_key_id || $decision->failure_counted ) {
			return;
		}
		$decision->failure_counted = true;
		Throttle::record_failure( $decision->failed_key_id, $decision->failure_reason(), $now );
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
		$again = self::decide( time() );
		return null !== $again->key ? $again : Decision::nothing();
	}
}
