<?php
/**
 * A second PHP process for ConcurrencyTest: loads the harness's WordPress, waits for a shared start
 * instant, runs one store operation and prints its outcome as JSON, with a trace of its SQL
 * statements (when each was sent).
 *
 * With a control directory, the worker also takes part in the test's barrier: the first worker
 * whose statement matching <pause after> has completed (its locks are held, or its rows written)
 * claims the pause (mkdir, atomic), says so (file "paused", holding its pid), and waits inside its transaction until
 * the test creates the file "go". Every statement is also appended to "trace-<pid>" as it is sent,
 * so the test can see how far the other worker got.
 *
 * Usage: php concurrent-worker.php <wp-load.php> <op> <json args> <start unix time (float)> [<control dir> <pause after>]
 *
 * @package Keysmith\Tests
 */

declare(strict_types=1);

if ( PHP_SAPI !== 'cli' || ( 5 !== $argc && 7 !== $argc ) ) {
	fwrite( STDERR, "usage: php concurrent-worker.php <wp-load.php> <op> <json args> <start> [<control dir> <pause after>]\n" );
	exit( 2 );
}
list( , $wp_load, $op, $json, $start_at ) = $argv;
$control     = $argv[5] ?? null;
$pause_after = $argv[6] ?? null;

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

$trace  = array();
$paused = false;
add_filter(
	'query',
	static function ( string $query ) use ( &$trace, &$paused, $control, $pause_after ): string {
		$previous = end( $trace );
		if ( null !== $control && ! $paused && false !== $previous && str_contains( $previous[1], $pause_after ) && ! is_file( "$control/go" ) && @mkdir( "$control/pauser" ) ) { // phpcs:ignore Generic.PHP.NoSilencedErrors.Discouraged -- losing the race to claim the pause is expected.
			// The statement before this one completed: hold what it locked or wrote until told to go.
			$paused = true;
			file_put_contents( "$control/paused", (string) getmypid() );
			for ( $i = 0; $i < 600 && ! is_file( "$control/go" ); $i++ ) {
				usleep( 50000 );
			}
		}
		// The statement's start, and its locking clause (at the end of a long id list).
		$label   = substr( $query, 0, 80 ) . ( str_ends_with( $query, ' FOR UPDATE' ) ? ' … FOR UPDATE' : '' );
		$trace[] = array( microtime( true ), $label );
		if ( null !== $control ) {
			file_put_contents( "$control/trace-" . getmypid(), sprintf( "%.6F %s\n", microtime( true ), $label ), FILE_APPEND );
		}
		return $query;
	}
);

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

$out = array(
	'pid'    => getmypid(),
	'paused' => $paused,
	'trace'  => $trace,
);
if ( $result instanceof WP_Error ) {
	$out += array( 'error' => $result->get_error_code(), 'message' => $result->get_error_message() );
} elseif ( $result instanceof BulkResult || $result instanceof ReconcileResult ) {
	$out += $result->to_array();
} else {
	// Created keys: ids and plaintext keys only, to check the id mapping; never printed elsewhere.
	$created        = $result instanceof RotationResult ? $result->keys : $result;
	$out['created'] = array_map( static fn( array $k ): array => array( $k['key_id'], $k['consumer_key'] ), $created );
}
echo wp_json_encode( $out );
