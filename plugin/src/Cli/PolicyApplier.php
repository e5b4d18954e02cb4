<?php
/**
 * `wp keysmith update --apply-policy`: gives existing keys the expiry the key-lifetime policy gives
 * new keys, unless they expire sooner (Store\KeyService::apply_policy()). Kept apart from
 * KeysCommand::update(), which only hands over when the flag is there.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Cli;

use Keysmith\Store\Actor;
use Keysmith\Store\KeyPolicy;
use Keysmith\Store\KeyService;
use WP_CLI;
use WP_CLI\Utils;

final class PolicyApplier {

	/** Options of `update` that name a change: --apply-policy is a change of its own. */
	private const OTHER_CHANGES = array( 'permissions', 'owner', 'description', 'expires', 'expiry' );

	/**
	 * @param list<string>         $ids        Positional key IDs (none with --all).
	 * @param array<string, mixed> $assoc_args
	 */
	public static function run( array $ids, array $assoc_args ): void {
		if ( array() !== array_intersect( self::OTHER_CHANGES, array_keys( $assoc_args ) ) ) {
			WP_CLI::error( __( '--apply-policy sets the expiry from the key-lifetime policy: give it without --permissions, --owner, --description, --expires or --no-expiry.', 'keysmith' ) );
		}
		$filter = Arguments::filter( $ids, array_intersect_key( $assoc_args, array( 'all' => true ) ) );
		Halt::on_error( $filter );
		$service = new KeyService();
		$actor   = Actor::current( 'cli' );
		$probe   = $service->apply_policy( $filter, $actor, true );
		Halt::on_error( $probe );
		if ( Utils\get_flag_value( $assoc_args, 'dry-run', false ) ) {
			KeyOutput::dry_run( $probe );
			return;
		}
		if ( $probe->matched > 0 ) {
			$when = (string) KeyPolicy::current()->expiry_for_new_key( time() );
			/* translators: 1: number of keys, 2: a UTC date. */
			WP_CLI::confirm( sprintf( _n( 'Make %1$d key expire by %2$s UTC?', 'Make %1$d keys expire by %2$s UTC?', $probe->matched, 'keysmith' ), $probe->matched, $when ), $assoc_args );
		}
		$result = $service->apply_policy( $filter, $actor );
		Halt::on_error( $result );
		KeyOutput::result( $result, trim( $result->message() . ' ' . $result->unchanged_note() ) );
	}
}
