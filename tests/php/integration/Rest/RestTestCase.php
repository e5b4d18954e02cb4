<?php
/**
 * Base for keysmith/v1 tests: real HTTP requests to the harness site over HTTPS, authenticated
 * with WordPress application passwords made for the test (or with nothing, or a login cookie).
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Rest;

use Keysmith\Tests\Integration\TestCase;

abstract class RestTestCase extends TestCase {

	/** @var array<string, string> login => Authorization header */
	private array $auth = array();

	protected function tearDown(): void {
		$this->auth = array();
		parent::tearDown();
	}

	/**
	 * A request to keysmith/v1 as $login (null: no credentials).
	 *
	 * @param array<string, mixed>|null $body JSON body.
	 * @param array<string, mixed>      $args Extra wp_remote_request() args.
	 * @return array{status:int, headers:array<string,mixed>, body:string, json:mixed}
	 */
	protected function api( string $method, string $path, ?array $body = null, int|string|null $login = 'admin', array $args = array() ): array {
		$headers = $args['headers'] ?? array();
		if ( null !== $login ) {
			$headers['Authorization'] = $this->authorization( $login );
		}
		if ( null !== $body ) {
			$headers['Content-Type'] = 'application/json';
			$args['body']            = wp_json_encode( $body );
		}
		return self::http( $method, '/wp-json/keysmith/v1' . $path, array( 'site' => 'tls', 'headers' => $headers ) + $args );
	}

	/** Basic credentials with a fresh application password of $login (a login name or a user ID). */
	protected function authorization( int|string $login ): string {
		$user = is_int( $login ) ? get_userdata( $login ) : get_user_by( 'login', $login );
		$this->assertInstanceOf( \WP_User::class, $user );
		if ( ! isset( $this->auth[ $user->user_login ] ) ) {
			$this->auth[ $user->user_login ] = 'Basic ' . base64_encode( $user->user_login . ':' . $this->application_password( $user->ID ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- HTTP Basic.
		}
		return $this->auth[ $user->user_login ];
	}

	/** One response header, case-insensitively; repeated headers joined with ", ". */
	protected static function header( array $response, string $name ): string {
		foreach ( $response['headers'] as $key => $value ) {
			if ( 0 === strcasecmp( (string) $key, $name ) ) {
				return is_array( $value ) ? implode( ', ', $value ) : (string) $value;
			}
		}
		return '';
	}

	protected static function assertStatus( int $status, array $response ): void {
		self::assertSame( $status, $response['status'], $response['body'] );
	}

	/** A 400 rest_invalid_param naming $field, with WordPress's per-field details. */
	protected static function assertInvalidParam( string $field, array $response, ?string $detail_code = null ): void {
		self::assertStatus( 400, $response );
		self::assertSame( 'rest_invalid_param', $response['json']['code'] );
		self::assertArrayHasKey( $field, $response['json']['data']['params'] );
		self::assertArrayHasKey( $field, $response['json']['data']['details'] );
		if ( null !== $detail_code ) {
			self::assertSame( $detail_code, $response['json']['data']['details'][ $field ]['code'] );
		}
	}


	/**
	 * Creates keys through POST /keys as admin.
	 *
	 * @param array<string, mixed> $spec
	 * @return list<array<string, mixed>>
	 */
	protected function create_keys( array $spec ): array {
		$response = $this->api( 'POST', '/keys', $spec );
		self::assertStatus( 201, $response );
		return $response['json'];
	}

	protected static function force_expiry( int $key_id, string $utc ): void {
		global $wpdb;
		$wpdb->query( $wpdb->prepare( "INSERT INTO {$wpdb->prefix}keysmith_key_meta (key_id, expires_at) VALUES (%d, %s) ON DUPLICATE KEY UPDATE expires_at = VALUES(expires_at)", $key_id, $utc ) ); // phpcs:ignore WordPress.DB.PreparedSQL
	}
}
