<?php
/**
 * Shared helpers for the store's integration tests: fresh tables, users, actors, row counts.
 *
 * The base TestCase empties Keysmith's and WooCommerce's key tables before each test (the store
 * commits its own transactions, and the concurrency tests run other PHP processes against the same
 * database, so a wrapping transaction could not isolate them).
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Store;

use Keysmith\Store\Actor;
use Keysmith\Store\KeyFilter;
use Keysmith\Store\KeyService;
use Keysmith\Store\Schema;
use Keysmith\Tests\Integration\TestCase;

abstract class StoreTestCase extends TestCase {

	protected KeyService $service;

	protected function setUp(): void {
		parent::setUp();
		Schema::install(); // The uninstall test drops the tables; every other test needs them.
		$this->service = new KeyService();
	}

	/** A new user with $role, deleted (with their keys) after the test. */
	protected function make_user( string $role = 'administrator' ): int {
		return $this->create_user( $role );
	}

	protected function admin_actor(): Actor {
		$admin = $this->make_user();
		wp_set_current_user( $admin );
		return Actor::current( 'admin' );
	}

	/** @return array{wc:int, meta:int, audit:int} */
	protected function counts(): array {
		global $wpdb;
		return array(
			'wc'    => (int) $wpdb->get_var( 'SELECT COUNT(*) FROM ' . Schema::wc_table() ),
			'meta'  => (int) $wpdb->get_var( 'SELECT COUNT(*) FROM ' . Schema::meta_table() ),
			'audit' => (int) $wpdb->get_var( 'SELECT COUNT(*) FROM ' . Schema::audit_table() ),
		);
	}

	/** @param array<string, mixed> $args */
	protected function filter( array $args ): KeyFilter {
		$filter = KeyFilter::from_array( $args );
		$this->assertInstanceOf( KeyFilter::class, $filter, $filter instanceof \WP_Error ? $filter->get_error_message() : '' );
		return $filter;
	}

	/**
	 * Creates keys and asserts it worked.
	 *
	 * @param array<string, mixed> $spec
	 * @return list<array<string, mixed>>
	 */
	protected function create( array $spec, Actor $actor ): array {
		$created = $this->service->create( $spec + array( 'permissions' => 'read' ), $actor );
		$this->assertIsArray( $created, $created instanceof \WP_Error ? $created->get_error_message() : '' );
		return $created;
	}

	/**
	 * Keysmith's metadata row of a key, typed (null when there is none).
	 *
	 * @return array{key_id:int, created_at:?string, created_by:int, expires_at:?string, last_ip:?string, rotated_from:?int, source:?string, app_name:?string}|null
	 */
	protected static function meta_row( int $key_id ): ?array {
		global $wpdb;
		$row = $wpdb->get_row( $wpdb->prepare( 'SELECT * FROM ' . Schema::meta_table() . ' WHERE key_id = %d', $key_id ), ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
		if ( ! is_array( $row ) ) {
			return null;
		}
		return array(
			'key_id'       => (int) $row['key_id'],
			'created_at'   => $row['created_at'] ?: null,
			'created_by'   => (int) $row['created_by'],
			'expires_at'   => $row['expires_at'] ?: null,
			'last_ip'      => $row['last_ip'] ?: null,
			'rotated_from' => null === $row['rotated_from'] ? null : (int) $row['rotated_from'],
			'source'       => $row['source'],
			'app_name'     => $row['app_name'],
		);
	}

	/** @return array<string, string|null> The raw WooCommerce row. */
	protected function wc_row( int $key_id ): ?array {
		global $wpdb;
		return $wpdb->get_row( $wpdb->prepare( 'SELECT * FROM ' . Schema::wc_table() . ' WHERE key_id = %d', $key_id ), ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
	}

	/** @return list<array<string, mixed>> Audit rows for a key, oldest first. */
	protected function audit_for( int $key_id ): array {
		return array_reverse( \Keysmith\Store\AuditLog::query( array( 'key_id' => $key_id ) )['items'] );
	}
}
