<?php
/**
 * Who performs a store operation, and through which front end. Recorded in every audit row.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Store;

final class Actor {

	/**
	 * Sources an audit row may name: Keysmith's front ends (admin, cli, rest), its jobs (cron), its
	 * authentication path (auth), and where changes made outside Keysmith came from: WooCommerce's
	 * own key screen (woocommerce), its app authorization (wc-auth), or neither, found by comparing
	 * the tables (reconcile).
	 */
	public const SOURCES = array( 'admin', 'cli', 'rest', 'cron', 'auth', 'woocommerce', 'wc-auth', 'reconcile' );

	/**
	 * @param int    $user_id WordPress user acting (0 = nobody logged in: WP-CLI without --user, cron).
	 * @param string $source  One of self::SOURCES.
	 * @throws \InvalidArgumentException On an unknown source or a negative user id (programming errors).
	 */
	public function __construct(
		public readonly int $user_id,
		public readonly string $source
	) {
		if ( ! in_array( $source, self::SOURCES, true ) ) {
			throw new \InvalidArgumentException( sprintf( 'Unknown actor source "%s"; expected one of %s.', $source, implode( ', ', self::SOURCES ) ) );
		}
		if ( $user_id < 0 ) {
			throw new \InvalidArgumentException( 'Actor user id must not be negative.' );
		}
	}

	/** The current WordPress user acting through $source (one of self::SOURCES). */
	public static function current( string $source ): self {
		return new self( get_current_user_id(), $source );
	}

	/** The system itself (WP-Cron jobs, user-deletion cleanup run without a user). */
	public static function system(): self {
		return new self( 0, 'cron' );
	}

	/** The reconciliation finding changes nobody told Keysmith about (Store\Reconciler::run()). */
	public static function reconcile(): self {
		return new self( get_current_user_id(), 'reconcile' );
	}

	/**
	 * WooCommerce's rule (WC_AJAX::update_api_key): a key may be assigned to the acting user, or to a
	 * user the actor may edit (`edit_user`). WooCommerce narrows `edit_user` by the role of the
	 * CURRENT user (docs/woocommerce-compatibility.md §4.6): the acting user must be the logged-in
	 * one, as it is for every front end (Actor::current()).
	 *
	 * A user that does not exist (a key's owner deleted behind WooCommerce's back) is nobody the
	 * actor may edit. Asked anyway, WooCommerce's check ends in a TypeError for a shop manager.
	 *
	 * Deliberate extension: an actor with no user (user 0) from a trusted shell source (cli, cron) may
	 * assign to anyone. Whoever runs WP-CLI without --user can already write the database
	 * (`wp db query`), so refusing would protect nothing and would break provisioning scripts. Admin,
	 * REST and auth actors always have a user, and user 0 there is refused.
	 */
	public function can_assign_to( int $owner_id ): bool {
		if ( 0 === $this->user_id ) {
			return in_array( $this->source, array( 'cli', 'cron' ), true );
		}
		if ( $owner_id === $this->user_id ) {
			return true;
		}
		return false !== get_userdata( $owner_id ) && user_can( $this->user_id, 'edit_user', $owner_id );
	}

	/**
	 * WooCommerce's rule for changing or revoking a key that already exists: its bulk revoke needs
	 * `remove_users`; its single revoke and edit form need the key to be the actor's own or its owner
	 * to be a user the actor may edit. So an actor with `remove_users` (an administrator) may act on
	 * any key, and one without it (a shop manager) only on keys of users it may edit. User 0 from a
	 * shell source follows can_assign_to() for the same reason.
	 */
	public function can_manage_keys_of( int $owner_id ): bool {
		if ( 0 !== $this->user_id && user_can( $this->user_id, 'remove_users' ) ) {
			return true;
		}
		return $this->can_assign_to( $owner_id );
	}
}
