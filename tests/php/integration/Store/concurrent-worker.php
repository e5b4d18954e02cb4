<?php
/**
 * A second PHP process for ConcurrencyTest: loads the harness's WordPress, waits for a shared start
 * instant, runs one store operation and prints its outcome as JSON.
 *
 * Usage: php concurrent-worker.php <wp-load.php> <op> <json args> <start unix time (float)>
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

if ( PHP_SAPI !== 'cli' || $argc !== 5 ) {
	fwrite( STDERR, "usage: php concurrent-worker.php <wp-load.php> <op> <json args> <start>\n" );
	exit( 2 );
}
list( , $wp_load, $op, $json, $start_at ) = $argv;

$_SERVER['HTTP_HOST']   = $_SERVER['HTTP_HOST'] ?? '127.0.0.1';
$_SERVER['REQUEST_URI'] = '/';
require $wp_load;

use Keysmith\Store\Actor;
use Keysmith\Store\BulkResult;
use Keysmith\Store\KeyFilter;
use Keysmith\Store\KeyService;
use Keysmith\Store\Reconciler;
use Keysmith\Store\ReconcileResult;
use Keysmith\Store\RotationResult;

$args    = json_decode( $json, true );
$service = new KeyService();
$actor   = new Actor( 0, 'cli' );
$filter  = isset( $args['filter'] ) ? KeyFilter::from_array( $args['filter'] ) : null;

while ( microtime( true ) < (float) $start_at ) {
	usleep( 500 );
}

$result = match ( $op ) {
	'create'    => $service->create( $args['spec'], $actor ),
	'revoke'    => $service->revoke( $filter, $actor ),
	'update'    => $service->update( $filter, $args['changes'], $actor ),
	'rotate'    => $service->rotate( $filter, $actor, (int) $args['grace'] ),
	'reconcile' => ( new Reconciler() )->run( new Actor( 0, 'reconcile' ) ),
	default     => new WP_Error( 'usage', 'unknown op ' . $op ),
};

if ( $result instanceof WP_Error ) {
	echo wp_json_encode( array( 'error' => $result->get_error_code(), 'message' => $result->get_error_message() ) );
} elseif ( $result instanceof BulkResult || $result instanceof ReconcileResult ) {
	echo wp_json_encode( $result->to_array() );
} else {
	// Created keys: ids and plaintext keys only, to check the id mapping; never printed elsewhere.
	$created = $result instanceof RotationResult ? $result->keys : $result;
	echo wp_json_encode( array( 'created' => array_map( static fn( array $k ): array => array( $k['key_id'], $k['consumer_key'] ), $created ) ) );
}
