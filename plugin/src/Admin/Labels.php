<?php
/**
 * Translated labels and date formatting shared by the admin views.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Admin;

final class Labels {

	/** @return array<string, string> permissions value => label, as WooCommerce shows them. */
	public static function permissions(): array {
		return array(
			'read'       => __( 'Read', 'keysmith' ),
			'write'      => __( 'Write', 'keysmith' ),
			'read_write' => __( 'Read/Write', 'keysmith' ),
		);
	}

	public static function permission( string $value ): string {
		return self::permissions()[ $value ] ?? '';
	}

	/** @return array<string, string> key source (Store\KeySource) => label. */
	public static function sources(): array {
		return array(
			'keysmith'    => __( 'Keysmith', 'keysmith' ),
			'woocommerce' => __( 'WooCommerce', 'keysmith' ),
			'wc-auth'     => __( 'App authorization', 'keysmith' ),
			'unknown'     => __( 'Unknown', 'keysmith' ),
		);
	}

	public static function source( string $value ): string {
		return self::sources()[ $value ] ?? $value;
	}

	/** How a key that no longer works ended (Store\EndedKeys: revoke, expire, rotate, user_deleted). */
	public static function ended_by( string $value ): string {
		$labels = array(
			'revoke'       => __( 'Revoked', 'keysmith' ),
			'expire'       => __( 'Expired', 'keysmith' ),
			'rotate'       => __( 'Rotated out', 'keysmith' ),
			'user_deleted' => __( 'Owner deleted', 'keysmith' ),
		);
		return $labels[ $value ] ?? $value;
	}

	/** A UTC 'Y-m-d H:i:s' from Keysmith's tables, shown in the site's time zone and formats. */
	public static function utc_datetime( string $utc ): string {
		$stamp = strtotime( $utc . ' UTC' );
		if ( false === $stamp ) {
			return $utc;
		}
		/* translators: 1: date, 2: time. */
		return sprintf( __( '%1$s at %2$s', 'keysmith' ), wp_date( self::date_format(), $stamp ), wp_date( self::time_format(), $stamp ) );
	}

	/** WooCommerce's date format when it is loaded, else WordPress's. */
	public static function date_format(): string {
		return function_exists( 'wc_date_format' ) ? (string) wc_date_format() : (string) get_option( 'date_format', 'Y-m-d' );
	}

	public static function time_format(): string {
		return function_exists( 'wc_time_format' ) ? (string) wc_time_format() : (string) get_option( 'time_format', 'H:i' );
	}

	/** Name of the user behind an audit row or a key; "System" for user 0. */
	public static function user_name( int $user_id ): string {
		if ( 0 === $user_id ) {
			return __( 'System', 'keysmith' );
		}
		$user = get_userdata( $user_id );
		/* translators: %d: user id. */
		return $user instanceof \WP_User ? $user->display_name : sprintf( __( 'Deleted user #%d', 'keysmith' ), $user_id );
	}
}
