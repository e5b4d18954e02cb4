<?php
/**
 * JSON schemas of the resources keysmith/v1 returns (served by OPTIONS requests and used to
 * filter responses by context).
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Rest;

use Keysmith\Store\KeyFilter;
use Keysmith\Store\KeySource;

final class Schema {

	/** A WooCommerce REST API key as Keysmith shows it. */
	public static function key(): array {
		$both = array( 'view', 'edit' );
		return array(
			'$schema'    => 'http://json-schema.org/draft-04/schema#',
			'title'      => 'keysmith-key',
			'type'       => 'object',
			'properties' => array(
				'key_id'          => self::field( 'integer', __( 'Unique identifier (WooCommerce key_id).', 'keysmith' ), $both, true ),
				'user_id'         => self::field( 'integer', __( 'Owner: the user the key acts as.', 'keysmith' ), $both ),
				'description'     => self::field( 'string', __( 'Description.', 'keysmith' ), $both ),
				'permissions'     => self::field( 'string', __( 'read, write or read_write.', 'keysmith' ), $both ) + array( 'enum' => KeyFilter::PERMISSIONS ),
				'truncated_key'   => self::field( 'string', __( 'Last 7 characters of the consumer key.', 'keysmith' ), $both, true ),
				'last_access'     => self::field( array( 'string', 'null' ), __( 'Last use, in the site\'s time zone as WooCommerce records it; null if never used.', 'keysmith' ), $both, true ) + array( 'format' => 'date-time' ),
				'created_at'      => self::field( array( 'string', 'null' ), __( 'Creation time (UTC); null when unknown (source unknown).', 'keysmith' ), $both, true ) + array( 'format' => 'date-time' ),
				'created_by'      => self::field( 'integer', __( 'User who created the key (0: unknown or WP-CLI without --user).', 'keysmith' ), $both, true ),
				'expires_at'      => self::field( array( 'string', 'null' ), __( 'Expiry (UTC); null: never.', 'keysmith' ), $both ) + array( 'format' => 'date-time' ),
				'last_ip'         => self::field( array( 'string', 'null' ), __( 'Last client IP seen by Keysmith\'s authentication path.', 'keysmith' ), array( 'edit' ), true ),
				'rotated_from'    => self::field( array( 'integer', 'null' ), __( 'Key this key replaced by rotation.', 'keysmith' ), $both, true ),
				'source'          => self::field( 'string', __( 'Where the key was made: keysmith, woocommerce (WooCommerce\'s Add key screen), wc-auth (app authorization) or unknown (found in the table).', 'keysmith' ), $both, true ) + array( 'enum' => KeySource::ALL ),
				'app_name'        => self::field( array( 'string', 'null' ), __( 'The app a wc-auth key was made for.', 'keysmith' ), $both, true ),
				'failures_24h'    => self::field( 'integer', __( 'Requests with this key refused in the last 24 hours (wrong secret, bad signature, expired, revoked...).', 'keysmith' ), $both, true ),
				'last_failure'    => self::field( array( 'string', 'null' ), __( 'The latest refused request with this key (UTC); null: none in the last 24 hours.', 'keysmith' ), $both, true ) + array( 'format' => 'date-time' ),
				'last_failure_ip' => self::field( array( 'string', 'null' ), __( 'The client address of the latest refused request (an IPv6 client as its /64 network).', 'keysmith' ), array( 'edit' ), true ),
				'last_failure_reason' => self::field( array( 'string', 'null' ), __( 'Why the latest request was refused: the error message the client got.', 'keysmith' ), $both, true ),
				'consumer_key'    => self::field( 'string', __( 'The consumer key (ck_…). Only in the response that creates the key.', 'keysmith' ), array( 'edit' ), true ),
				'consumer_secret' => self::field( 'string', __( 'The consumer secret (cs_…). Only in the response that creates the key.', 'keysmith' ), array( 'edit' ), true ),
			),
		);
	}

	/** One audit event. */
	public static function audit_event(): array {
		$both = array( 'view', 'edit' );
		return array(
			'$schema'    => 'http://json-schema.org/draft-04/schema#',
			'title'      => 'keysmith-audit-event',
			'type'       => 'object',
			'properties' => array(
				'audit_id'      => self::field( 'integer', __( 'Unique identifier.', 'keysmith' ), $both, true ),
				'occurred_at'   => self::field( 'string', __( 'When it happened (UTC).', 'keysmith' ), $both, true ) + array( 'format' => 'date-time' ),
				'actor_id'      => self::field( 'integer', __( 'User who did it (0: system or WP-CLI without --user).', 'keysmith' ), $both, true ),
				'source'        => self::field( 'string', __( 'Where the change came from: admin, cli, rest, cron or auth (Keysmith), woocommerce (WooCommerce\'s key screen), wc-auth (app authorization) or reconcile (found by comparing the tables).', 'keysmith' ), $both, true ),
				'action'        => self::field( 'string', __( 'What happened: create, update, rotate, revoke, expire, user_deleted, ...', 'keysmith' ), $both, true ),
				'key_id'        => self::field( 'integer', __( 'The key.', 'keysmith' ), $both, true ),
				'truncated_key' => self::field( 'string', __( 'Last 7 characters of the key.', 'keysmith' ), $both, true ),
				'key_owner'     => self::field( 'integer', __( 'The key\'s owner at the time.', 'keysmith' ), $both, true ),
				'details'       => self::field( 'object', __( 'Details (never a secret).', 'keysmith' ), $both, true ),
			),
		);
	}

	private static function field( string|array $type, string $description, array $context, bool $readonly = false ): array {
		return array(
			'description' => $description,
			'type'        => $type,
			'context'     => $context,
			'readonly'    => $readonly,
		);
	}
}
