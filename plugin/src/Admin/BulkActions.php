<?php
/**
 * The bulk actions of the key list: their labels, the parameters each needs, and their execution
 * through the store's KeyService (which validates, runs all or nothing, and audits).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Admin;

use Keysmith\Store\Actor;
use Keysmith\Store\BulkResult;
use Keysmith\Store\KeyFilter;
use Keysmith\Store\KeyService;
use Keysmith\Store\UserResolver;
use WP_Error;

final class BulkActions {

	public const NONCE_ACTION = 'keysmith-bulk';
	public const NONCE_FIELD  = 'keysmith_nonce';

	/** Grace periods offered for rotation, in seconds (0 = revoke the old key at once). */
	public const GRACE_CHOICES = array( 0, HOUR_IN_SECONDS, DAY_IN_SECONDS, WEEK_IN_SECONDS, 30 * DAY_IN_SECONDS );

	public function __construct( private readonly KeyService $service ) {}

	/** @return array<string, string> action => label, in menu order. */
	public static function labels(): array {
		return array(
			'revoke'       => __( 'Revoke', 'keysmith' ),
			'permissions'  => __( 'Change permissions', 'keysmith' ),
			'owner'        => __( 'Reassign owner', 'keysmith' ),
			'expiry'       => __( 'Set expiry', 'keysmith' ),
			'clear_expiry' => __( 'Clear expiry', 'keysmith' ),
			'rotate'       => __( 'Rotate', 'keysmith' ),
			'apply_policy' => __( 'Apply key-lifetime policy', 'keysmith' ),
		);
	}

	public static function is_action( string $action ): bool {
		return array_key_exists( $action, self::labels() );
	}

	/** Grace period choices as seconds => label. @return array<int, string> */
	public static function grace_labels(): array {
		return array(
			0                       => __( 'None: revoke the old keys now', 'keysmith' ),
			HOUR_IN_SECONDS         => __( '1 hour', 'keysmith' ),
			DAY_IN_SECONDS          => __( '1 day', 'keysmith' ),
			WEEK_IN_SECONDS         => __( '7 days', 'keysmith' ),
			30 * DAY_IN_SECONDS     => __( '30 days', 'keysmith' ),
		);
	}

	/** How many existing keys the selection matches right now (the number the confirmation shows). */
	public function count( Selection $selection ): int|WP_Error {
		$filter = $selection->to_filter();
		return $filter instanceof WP_Error ? $filter : $this->service->count( $filter );
	}

	/**
	 * What applying the key-lifetime policy to the selection would change (a dry run): the keys
	 * that would expire earlier, or the store's refusal (no policy, keys the user may not change).
	 */
	public function policy_preview( Selection $selection ): BulkResult|WP_Error {
		$filter = $selection->to_filter();
		return $filter instanceof WP_Error ? $filter : $this->service->apply_policy( $filter, Actor::current( 'admin' ), true );
	}

	/**
	 * The first keys of the selection, for the confirmation page.
	 *
	 * @return list<\Keysmith\Store\KeyRecord>
	 */
	public function preview( Selection $selection, int $limit = 10 ): array {
		$filter = $selection->to_filter();
		return $filter instanceof KeyFilter ? $this->service->query( $filter, 1, $limit )['items'] : array();
	}

	/**
	 * Revoke or update. Returns the store's result, or its WP_Error (shown to the admin as is:
	 * e.g. "You do not have permission to assign API Keys to the selected user.").
	 *
	 * @param array<string, mixed> $fields Unslashed confirmation-form fields.
	 */
	public function change( string $action, Selection $selection, array $fields ): BulkResult|WP_Error {
		$filter = $selection->to_filter();
		if ( $filter instanceof WP_Error ) {
			return $filter;
		}
		$actor = Actor::current( 'admin' );
		if ( 'revoke' === $action ) {
			return $this->service->revoke( $filter, $actor );
		}
		if ( 'apply_policy' === $action ) {
			return $this->service->apply_policy( $filter, $actor );
		}
		$changes = self::changes( $action, $fields );
		return $changes instanceof WP_Error ? $changes : $this->service->update( $filter, $changes, $actor );
	}

	/**
	 * Rotates the selection. Returns the new keys with their secrets (to be shown once) and the
	 * summary message.
	 *
	 * @param array<string, mixed> $fields
	 * @return array{keys: list<array<string, mixed>>, message: string}|WP_Error
	 */
	public function rotate( Selection $selection, array $fields ): array|WP_Error {
		$filter = $selection->to_filter();
		if ( $filter instanceof WP_Error ) {
			return $filter;
		}
		// Digits only: (int) would turn "abc" into 0, which means "revoke the old keys now".
		$raw   = $fields['ks_grace'] ?? null;
		$grace = is_string( $raw ) && 1 === preg_match( '/^\d{1,9}$/', $raw ) ? (int) $raw : -1;
		if ( ! in_array( $grace, self::GRACE_CHOICES, true ) ) {
			return new WP_Error( 'keysmith_invalid_grace', __( 'Choose a grace period.', 'keysmith' ) );
		}
		$rotation = $this->service->rotate( $filter, Actor::current( 'admin' ), $grace );
		if ( $rotation instanceof WP_Error ) {
			return $rotation;
		}
		return array(
			'keys'    => $rotation->keys,
			'message' => $rotation->message(),
		);
	}

	/**
	 * The update() changes an action asks for, from the confirmation form.
	 *
	 * @param array<string, mixed> $fields
	 * @return array<string, mixed>|WP_Error
	 */
	private static function changes( string $action, array $fields ): array|WP_Error {
		$text = static fn( string $name ): string => is_string( $fields[ $name ] ?? null ) ? trim( sanitize_text_field( $fields[ $name ] ) ) : '';
		switch ( $action ) {
			case 'permissions':
				return array( 'permissions' => $text( 'ks_new_permissions' ) );
			case 'owner':
				if ( '' === $text( 'ks_owner' ) ) {
					return new WP_Error( 'keysmith_invalid_user', __( 'User is missing.', 'keysmith' ) );
				}
				$user = UserResolver::user( $text( 'ks_owner' ) );
				return $user instanceof WP_Error ? $user : array( 'user_id' => (int) $user->ID );
			case 'expiry':
				if ( '' === $text( 'ks_expires_at' ) ) {
					return new WP_Error( 'keysmith_invalid_date', __( 'Enter the new expiry date.', 'keysmith' ) );
				}
				return array( 'expires_at' => $text( 'ks_expires_at' ) );
			case 'clear_expiry':
				return array( 'expires_at' => null );
		}
		return new WP_Error( 'keysmith_invalid_action', __( 'Unknown bulk action.', 'keysmith' ) );
	}
}
