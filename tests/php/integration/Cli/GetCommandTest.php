<?php
/**
 * `wp keysmith get <key_id>`: one key with every field `list` knows, as WP-CLI's entity commands
 * print one item (a Field/Value table, or --field / --fields / --format); never a secret.
 *
 * @package Keysmith\Tests\Integration
 */

declare(strict_types=1);

namespace Keysmith\Tests\Integration\Cli;

final class GetCommandTest extends CliTestCase {

	public function test_every_field_of_one_key_and_no_secret(): void {
		$key = $this->create_keys( 'shopmanager', 1, '--description=ERP sync', '--permissions=read_write', '--expires=2099-06-01' )[0];

		$run = $this->wp( 'keysmith', 'get', (string) $key['key_id'], '--format=json' );
		self::assertSucceeded( $run );
		$item = json_decode( $run['stdout'], true );
		self::assertSame(
			array( 'key_id', 'owner', 'user_id', 'description', 'permissions', 'truncated_key', 'last_access', 'created_at', 'created_by', 'expires_at', 'last_ip', 'rotated_from', 'source', 'app_name', 'failures_24h', 'last_failure', 'last_failure_ip', 'last_failure_reason' ),
			array_keys( $item ),
			'the ID and owner first, then every field of the list'
		);
		self::assertSame( array( $key['key_id'], 'shopmanager', 'ERP sync', 'read_write', '2099-06-01 00:00:00', 'keysmith' ), array( $item['key_id'], $item['owner'], $item['description'], $item['permissions'], $item['expires_at'], $item['source'] ) );
		self::assertSame( substr( $key['consumer_key'], -7 ), $item['truncated_key'] );
		self::assertStringNotContainsString( $key['consumer_secret'], $run['stdout'] );

		$table = $this->wp( 'keysmith', 'get', (string) $key['key_id'] );
		self::assertStringStartsWith( "Field\tValue\nkey_id\t{$key['key_id']}\nowner\tshopmanager\n", $table['stdout'], 'WP-CLI\'s item table (piped: tab-separated)' );
		self::assertSame( "2099-06-01 00:00:00\n", $this->wp( 'keysmith', 'get', (string) $key['key_id'], '--field=expires_at' )['stdout'] );
		self::assertSame( '{"key_id":' . $key['key_id'] . ',"failures_24h":0}' . "\n", $this->wp( 'keysmith', 'get', (string) $key['key_id'], '--fields=key_id,failures_24h', '--format=json' )['stdout'] );
	}

	public function test_the_refusals_of_a_failing_key(): void {
		$key = $this->create_keys( 'admin' )[0];
		self::refuse_requests( $key['consumer_key'], 3 );

		$item = json_decode( $this->wp( 'keysmith', 'get', (string) $key['key_id'], '--format=json' )['stdout'], true );
		self::assertSame( array( 3, '127.0.0.1', 'Invalid signature - provided signature does not match.' ), array( $item['failures_24h'], $item['last_failure_ip'], $item['last_failure_reason'] ) );
	}

	public function test_a_key_that_does_not_exist_is_an_error(): void {
		self::assertFailedWith( 'Invalid key ID: 999999.', $this->wp( 'keysmith', 'get', '999999' ) );
		self::assertFailedWith( 'Invalid key ID: abc.', $this->wp( 'keysmith', 'get', 'abc' ) );
		self::assertFailedWith( 'Invalid field: consumer_secret.', $this->wp( 'keysmith', 'get', (string) $this->create_keys( 'admin' )[0]['key_id'], '--fields=key_id,consumer_secret' ) );
	}
}
