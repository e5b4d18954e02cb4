<?php
/**
 * Bulk creation from the admin screen: reads the form, asks the store to create the keys (one call,
 * all or nothing), and hands the plaintext pairs back to the caller to show ONCE.
 *
 * Nothing here keeps a secret: no transient, option, log or file. The pairs live in this request's
 * memory and in the response only.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Admin;

use Keysmith\Store\Actor;
use Keysmith\Store\KeyService;
use Keysmith\Store\KeySpec;
use Keysmith\Store\UserResolver;
use WP_Error;

final class CreateKeys {

	public const NONCE_ACTION = 'keysmith-create';

	/** The create form's fields with their defaults. */
	public const FIELDS = array(
		'ks_count'       => '1',
		'ks_users'       => '',
		'ks_permissions' => 'read',
		'ks_description' => KeySpec::DEFAULT_DESCRIPTION,
		'ks_expires'     => '',
	);

	public function __construct( private readonly KeyService $service ) {}

	/**
	 * The form values from submitted fields (for re-display after an error), else the defaults.
	 *
	 * @param array<string, mixed> $fields Unslashed.
	 * @return array<string, string>
	 */
	public static function values( array $fields ): array {
		$values = array();
		foreach ( self::FIELDS as $name => $default ) {
			$value           = $fields[ $name ] ?? $default;
			$values[ $name ] = is_string( $value ) ? $value : $default;
		}
		return $values;
	}

	/**
	 * Creates the keys the form asks for.
	 *
	 * @param array<string, mixed> $fields Unslashed form fields.
	 * @return array{keys: list<array<string, mixed>>, message: string}|WP_Error
	 */
	public function create( array $fields ): array|WP_Error {
		$values = self::values( $fields );
		$count  = trim( $values['ks_count'] );
		if ( 1 !== preg_match( '/^\d{1,5}$/', $count ) || (int) $count < 1 || (int) $count > KeySpec::MAX_CREATE ) {
			/* translators: %s: maximum number of keys. */
			return new WP_Error( 'keysmith_invalid_count', sprintf( __( 'How many keys: enter a number from 1 to %s.', 'keysmith' ), number_format_i18n( KeySpec::MAX_CREATE ) ) );
		}
		$users = UserResolver::ids( $values['ks_users'] );
		if ( $users instanceof WP_Error ) {
			return $users;
		}
		$spec    = array(
			'user_ids'    => $users,
			'count'       => (int) $count,
			'permissions' => $values['ks_permissions'],
			'description' => $values['ks_description'],
		);
		$expires = trim( $values['ks_expires'] );
		// Empty: the key-lifetime policy's default (the store applies it); "never": no expiry.
		if ( '' !== $expires ) {
			$spec['expires_at'] = in_array( strtolower( $expires ), array( 'never', 'none' ), true ) ? null : $expires;
		}
		$keys = $this->service->create( $spec, Actor::current( 'admin' ) );
		if ( $keys instanceof WP_Error ) {
			return $keys;
		}
		return array(
			'keys'    => self::with_user_logins( $keys ),
			/* translators: %s: number of keys. */
			'message' => sprintf( _n( 'Created %s key.', 'Created %s keys.', count( $keys ), 'keysmith' ), number_format_i18n( count( $keys ) ) ),
		);
	}

	/**
	 * Adds each owner's login, so the downloads say whose key it is.
	 *
	 * @param list<array<string, mixed>> $keys
	 * @return list<array<string, mixed>>
	 */
	public static function with_user_logins( array $keys ): array {
		foreach ( $keys as $i => $key ) {
			$keys[ $i ]['user_login'] = UserResolver::login( (int) $key['user_id'] );
		}
		return $keys;
	}
}
