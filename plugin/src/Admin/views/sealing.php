<?php
/**
 * The sealed secrets view: the state (Sealing\Report, as Site Health and `wp keysmith sealing
 * status` show it), what is wrong with its fixes, and the on / off control.
 *
 * @var \Keysmith\Sealing\Report $report
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Admin;

defined( 'ABSPATH' ) || exit;

$keysmith_on       = $report->state['enabled'];
$keysmith_can      = current_user_can( Screen::SEALING_CAPABILITY );
$keysmith_has_key  = $report->key->configured;
$keysmith_cli_only = $report->key->in_extension && $report->counts['sealed'] > 0;
?>
<div class="keysmith-sealing">
	<p class="keysmith-muted">
		<?php esc_html_e( 'Sealing encrypts every consumer secret in the database with a key kept outside it, so a backup, copy or leak of the database hands out no working API credentials. Keys keep working as before; Keysmith checks them.', 'keysmith' ); ?>
	</p>
	<table class="widefat striped keysmith-sealing-facts">
		<tbody>
			<tr><th scope="row"><?php esc_html_e( 'Sealing', 'keysmith' ); ?></th><td data-fact="state"><?php echo esc_html( $report->state_label() ); ?></td></tr>
			<tr><th scope="row"><?php esc_html_e( 'Key', 'keysmith' ); ?></th><td data-fact="key"><?php echo esc_html( $report->key_label() ); ?></td></tr>
			<tr><th scope="row"><?php esc_html_e( 'Secrets', 'keysmith' ); ?></th><td data-fact="secrets"><?php echo esc_html( $report->counts_label() ); ?></td></tr>
		</tbody>
	</table>
	<?php foreach ( $report->problems() as $keysmith_problem ) : ?>
		<div class="notice notice-<?php echo 'critical' === $keysmith_problem['level'] ? 'error' : 'warning'; ?> inline">
			<p><?php echo esc_html( $keysmith_problem['message'] ); ?></p>
			<p><strong><?php esc_html_e( 'Fix:', 'keysmith' ); ?></strong> <?php echo esc_html( $keysmith_problem['fix'] ); ?></p>
		</div>
	<?php endforeach; ?>
	<?php if ( ! $keysmith_can ) : ?>
		<p><?php esc_html_e( 'Only administrators may turn sealing on or off.', 'keysmith' ); ?></p>
	<?php else : ?>
		<?php wp_nonce_field( SealingControl::NONCE_ACTION, BulkActions::NONCE_FIELD ); ?>
		<p>
			<?php if ( ! $keysmith_on || $report->counts['plaintext'] > 0 ) : ?>
				<button type="submit" class="button button-primary" name="keysmith_sealing" value="on" <?php disabled( ! $keysmith_has_key ); ?>>
					<?php echo esc_html( $keysmith_on ? __( 'Seal the remaining secrets', 'keysmith' ) : __( 'Turn sealing on', 'keysmith' ) ); ?>
				</button>
			<?php endif; ?>
			<?php if ( $keysmith_on || $report->counts['sealed'] > 0 ) : ?>
				<button type="submit" class="button" name="keysmith_sealing" value="off">
					<?php esc_html_e( 'Turn sealing off (unseal every secret)', 'keysmith' ); ?>
				</button>
			<?php endif; ?>
		</p>
		<?php if ( ! $keysmith_has_key ) : ?>
			<p class="description"><?php esc_html_e( 'Sealing needs a key first: run wp keysmith sealing generate-key <path> on the server and name the file in the PHP configuration (keysmith.sealing_key_file) or in wp-config.php (KEYSMITH_SEALING_KEY_FILE).', 'keysmith' ); ?></p>
		<?php endif; ?>
		<?php if ( $keysmith_cli_only ) : ?>
			<p class="description"><?php esc_html_e( 'The key is held by the keysmith extension, which opens sealed secrets for the command line only: turn sealing off with wp keysmith sealing off on the server (deactivating Keysmith needs that first, too).', 'keysmith' ); ?></p>
		<?php endif; ?>
	<?php endif; ?>
</div>
