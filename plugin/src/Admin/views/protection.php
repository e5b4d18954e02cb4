<?php
/**
 * Protection: early refusals and the failure throttle (settings), resetting the throttle, and who
 * keeps failing (read-only): keys that ended but are still tried, addresses trying unknown keys.
 *
 * @var array{ks_early_refusals: bool, ks_throttle_enabled: bool, ks_max_failures: string, ks_max_unknown: string, ks_window: string} $values
 * @var bool $confirm_reset Whether to ask for the reset's confirmation.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Admin;

use Keysmith\Auth\EarlyGate;
use Keysmith\Auth\Settings;
use Keysmith\Auth\Throttle;
use Keysmith\Store\Durations;

defined( 'ABSPATH' ) || exit;

$keysmith_forgotten = ProtectionReport::forgotten_keys();
$keysmith_unknown   = ProtectionReport::unknown_key_addresses();
?>
<div id="keysmith-protection" class="keysmith-protection">
<p><?php esc_html_e( 'Most refused API requests come from integrations still polling with revoked or expired keys, misconfigured clients and bots trying keys. Keysmith can refuse them before WooCommerce loads, and slow down clients that keep failing.', 'keysmith' ); ?></p>
<?php if ( ! Settings::auth_enabled() ) : ?>
	<div class="notice notice-warning inline"><p><?php esc_html_e( 'Keysmith\'s authentication path is off on this site: WooCommerce verifies API keys alone, so neither early refusals nor throttling apply.', 'keysmith' ); ?></p></div>
<?php endif; ?>
<table class="form-table" role="presentation">
	<tbody>
		<tr>
			<th scope="row"><?php esc_html_e( 'Early refusals', 'keysmith' ); ?></th>
			<td>
				<label for="ks_early_refusals"><input type="checkbox" name="ks_early_refusals" id="ks_early_refusals" value="1" <?php checked( $values['ks_early_refusals'] ); ?> /> <?php esc_html_e( 'Refuse API requests with bad credentials before WooCommerce loads', 'keysmith' ); ?></label>
				<p class="description"><?php esc_html_e( 'Same status, error code and message as a refusal after WooCommerce loads, at a fraction of the cost. Keysmith decides early only where that gives the same answer; other requests are decided later, as before.', 'keysmith' ); ?></p>
				<?php if ( EarlyGate::enabled() !== EarlyGate::setting_on() ) : ?>
					<p class="description" id="keysmith-early-filtered"><strong>
						<?php
						echo esc_html(
							EarlyGate::enabled()
								? __( 'The keysmith_early_refusals filter turns early refusals on on this site, whatever this setting.', 'keysmith' )
								: __( 'The keysmith_early_refusals filter turns early refusals off on this site, whatever this setting.', 'keysmith' )
						);
						?>
					</strong></p>
				<?php endif; ?>
			</td>
		</tr>
		<tr>
			<th scope="row"><?php esc_html_e( 'Throttling', 'keysmith' ); ?></th>
			<td>
				<label for="ks_throttle_enabled"><input type="checkbox" name="ks_throttle_enabled" id="ks_throttle_enabled" value="1" <?php checked( $values['ks_throttle_enabled'] ); ?> /> <?php esc_html_e( 'Make clients that keep failing wait (HTTP 429 with Retry-After)', 'keysmith' ); ?></label>
				<p class="description"><?php esc_html_e( 'Failures are counted per client address and key either way; a valid key from the same address is never held back by another key\'s failures.', 'keysmith' ); ?></p>
			</td>
		</tr>
		<tr>
			<th scope="row"><label for="ks_max_failures"><?php esc_html_e( 'Failures allowed per key', 'keysmith' ); ?></label></th>
			<td>
				<input type="number" name="ks_max_failures" id="ks_max_failures" class="small-text" min="<?php echo esc_attr( (string) Throttle::LIMITS['max_failures'][0] ); ?>" max="<?php echo esc_attr( (string) Throttle::LIMITS['max_failures'][1] ); ?>" value="<?php echo esc_attr( $values['ks_max_failures'] ); ?>" />
				<p class="description"><?php esc_html_e( 'Refusals of one key from one address within the window before that address waits for the window to end (max_failures).', 'keysmith' ); ?></p>
			</td>
		</tr>
		<tr>
			<th scope="row"><label for="ks_max_unknown"><?php esc_html_e( 'Failures allowed for unknown keys', 'keysmith' ); ?></label></th>
			<td>
				<input type="number" name="ks_max_unknown" id="ks_max_unknown" class="small-text" min="<?php echo esc_attr( (string) Throttle::LIMITS['max_unknown'][0] ); ?>" max="<?php echo esc_attr( (string) Throttle::LIMITS['max_unknown'][1] ); ?>" value="<?php echo esc_attr( $values['ks_max_unknown'] ); ?>" />
				<p class="description"><?php esc_html_e( 'Refusals of keys nobody knows from one address, all keys together, before that address waits (max_unknown).', 'keysmith' ); ?></p>
			</td>
		</tr>
		<tr>
			<th scope="row"><label for="ks_window"><?php esc_html_e( 'Window', 'keysmith' ); ?></label></th>
			<td>
				<input type="text" name="ks_window" id="ks_window" class="small-text" value="<?php echo esc_attr( $values['ks_window'] ); ?>" />
				<p class="description">
					<?php
					echo esc_html(
						sprintf(
							/* translators: 1: shortest window (e.g. "10 seconds"), 2: longest window (e.g. "1 day"). */
							__( 'Counting starts at a client\'s first failure; a blocked client waits until this window ends, then starts again from zero. Seconds or a number with a unit: 90s, 15m, 1h (%1$s to %2$s; window).', 'keysmith' ),
							Durations::describe( Throttle::LIMITS['window'][0] ),
							Durations::describe( Throttle::LIMITS['window'][1] )
						)
					);
					?>
				</p>
			</td>
		</tr>
	</tbody>
</table>
<?php wp_nonce_field( ProtectionForm::NONCE_ACTION, BulkActions::NONCE_FIELD, false ); ?>
<p class="keysmith-submit">
	<button type="submit" class="button button-primary" name="<?php echo esc_attr( ProtectionForm::SAVE ); ?>" value="1" id="keysmith-protection-save"><?php esc_html_e( 'Save protection settings', 'keysmith' ); ?></button>
</p>

<h3 id="keysmith-reset-heading"><?php esc_html_e( 'Reset throttling', 'keysmith' ); ?></h3>
<?php if ( $confirm_reset ) : ?>
	<div class="notice notice-warning inline keysmith-reset-confirm" id="keysmith-reset-confirm">
		<p><?php esc_html_e( 'Lift every throttling block? Every blocked client may try again at once. The failures of the last 24 hours stay listed on the key list and below.', 'keysmith' ); ?></p>
		<p>
			<button type="submit" class="button button-primary keysmith-danger" name="<?php echo esc_attr( ProtectionForm::RESET ); ?>" value="1" id="keysmith-reset-execute"><?php esc_html_e( 'Reset throttling', 'keysmith' ); ?></button>
			<a class="button" href="<?php echo esc_url( Screen::url( 'protection' ) ); ?>"><?php esc_html_e( 'Cancel', 'keysmith' ); ?></a>
		</p>
	</div>
<?php else : ?>
	<p><?php esc_html_e( 'Lets every blocked client try again at once (after fixing a misconfigured integration, say). The failures of the last 24 hours stay listed.', 'keysmith' ); ?></p>
	<p><a class="button" id="keysmith-reset" href="<?php echo esc_url( Screen::url( 'protection', array( 'ks_confirm_reset' => 1 ) ) ); ?>"><?php esc_html_e( 'Reset throttling…', 'keysmith' ); ?></a></p>
<?php endif; ?>

<h3 id="keysmith-forgotten-heading"><?php esc_html_e( 'Forgotten integrations', 'keysmith' ); ?></h3>
<p><?php esc_html_e( 'Keys that were revoked, rotated out or have expired, yet were presented in the last 24 hours: usually an integration still running with its old key.', 'keysmith' ); ?></p>
<table class="widefat striped keysmith-report" id="keysmith-forgotten" aria-labelledby="keysmith-forgotten-heading">
	<thead>
		<tr>
			<th scope="col"><?php esc_html_e( 'Key ending in', 'keysmith' ); ?></th>
			<th scope="col"><?php esc_html_e( 'Owner', 'keysmith' ); ?></th>
			<th scope="col"><?php esc_html_e( 'How it ended', 'keysmith' ); ?></th>
			<th scope="col"><?php esc_html_e( 'Ended', 'keysmith' ); ?></th>
			<th scope="col"><?php esc_html_e( 'Failures (24 h)', 'keysmith' ); ?></th>
			<th scope="col"><?php esc_html_e( 'Last attempt', 'keysmith' ); ?></th>
			<th scope="col"><?php esc_html_e( 'Last address', 'keysmith' ); ?></th>
		</tr>
	</thead>
	<tbody>
		<?php if ( array() === $keysmith_forgotten ) : ?>
			<tr class="no-items"><td colspan="7"><?php esc_html_e( 'No revoked or expired key was tried in the last 24 hours.', 'keysmith' ); ?></td></tr>
		<?php endif; ?>
		<?php foreach ( $keysmith_forgotten as $keysmith_key ) : ?>
			<tr>
				<td><code>&hellip;<?php echo esc_html( $keysmith_key['truncated_key'] ); ?></code> <a href="<?php echo esc_url( Screen::url( 'audit', array( 'ks_key_id' => $keysmith_key['key_id'] ) ) ); ?>"><?php esc_html_e( 'Audit log', 'keysmith' ); ?></a></td>
				<td><?php echo esc_html( Labels::user_name( $keysmith_key['user_id'] ) ); ?></td>
				<td><?php echo esc_html( Labels::ended_by( $keysmith_key['ended_by'] ) ); ?></td>
				<td><?php echo esc_html( Labels::utc_datetime( $keysmith_key['ended_at'] ) ); ?></td>
				<td><?php echo esc_html( number_format_i18n( $keysmith_key['failures_24h'] ) ); ?></td>
				<td><?php echo '' === $keysmith_key['last_failure'] ? '&mdash;' : esc_html( Labels::utc_datetime( $keysmith_key['last_failure'] ) ); ?></td>
				<td><code><?php echo esc_html( $keysmith_key['last_failure_ip'] ); ?></code></td>
			</tr>
		<?php endforeach; ?>
	</tbody>
</table>

<h3 id="keysmith-unknown-heading"><?php esc_html_e( 'Addresses trying unknown keys', 'keysmith' ); ?></h3>
<p>
	<?php
	/* translators: %d: number of addresses shown at most. */
	echo esc_html( sprintf( __( 'The %d addresses that presented the most keys nobody knows in the last 24 hours (an IPv6 address counts for its /64).', 'keysmith' ), ProtectionReport::ROWS ) );
	?>
</p>
<table class="widefat striped keysmith-report" id="keysmith-unknown" aria-labelledby="keysmith-unknown-heading">
	<thead>
		<tr>
			<th scope="col"><?php esc_html_e( 'Address', 'keysmith' ); ?></th>
			<th scope="col"><?php esc_html_e( 'Failures (24 h)', 'keysmith' ); ?></th>
			<th scope="col"><?php esc_html_e( 'Last attempt', 'keysmith' ); ?></th>
		</tr>
	</thead>
	<tbody>
		<?php if ( array() === $keysmith_unknown ) : ?>
			<tr class="no-items"><td colspan="3"><?php esc_html_e( 'No unknown key was tried in the last 24 hours.', 'keysmith' ); ?></td></tr>
		<?php endif; ?>
		<?php foreach ( $keysmith_unknown as $keysmith_address ) : ?>
			<tr>
				<td><code><?php echo esc_html( $keysmith_address['address'] ); ?></code></td>
				<td><?php echo esc_html( number_format_i18n( $keysmith_address['failures_24h'] ) ); ?></td>
				<td><?php echo esc_html( Labels::utc_datetime( $keysmith_address['last_failure'] ) ); ?></td>
			</tr>
		<?php endforeach; ?>
	</tbody>
</table>
<p class="description"><?php esc_html_e( 'Times are shown in the site’s time zone.', 'keysmith' ); ?></p>
</div>
