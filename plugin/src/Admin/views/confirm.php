<?php
/**
 * Confirmation step of a bulk action: the exact count, a preview, the action's parameters.
 * Nothing has changed when this page shows.
 *
 * @var string                          $action
 * @var Selection                       $selection
 * @var int                             $count
 * @var list<\Keysmith\Store\KeyRecord> $preview
 * @var array<string, mixed>            $fields    Submitted fields (to keep typed parameters).
 * @var \Keysmith\Store\BulkResult|null $policy    apply_policy: its dry run (the keys that would expire earlier).
 * @var string                          $token
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Admin;

defined( 'ABSPATH' ) || exit;

$keysmith_field = static fn( string $name, string $default = '' ): string => is_string( $fields[ $name ] ?? null ) ? sanitize_text_field( $fields[ $name ] ) : $default;
$keysmith_count = number_format_i18n( $count );
$keysmith_texts = array(
	/* translators: %s: number of keys. */
	'revoke'       => _n( 'Permanently revoke %s key? Apps using it stop working at once. This cannot be undone.', 'Permanently revoke %s keys? Apps using them stop working at once. This cannot be undone.', $count, 'keysmith' ),
	/* translators: %s: number of keys. */
	'permissions'  => _n( 'Change the permissions of %s key to:', 'Change the permissions of %s keys to:', $count, 'keysmith' ),
	/* translators: %s: number of keys. */
	'owner'        => _n( 'Reassign %s key to another user:', 'Reassign %s keys to another user:', $count, 'keysmith' ),
	/* translators: %s: number of keys. */
	'expiry'       => _n( 'Set the expiry of %s key to:', 'Set the expiry of %s keys to:', $count, 'keysmith' ),
	/* translators: %s: number of keys. */
	'clear_expiry' => _n( 'Remove the expiry of %s key (it never expires)?', 'Remove the expiry of %s keys (they never expire)?', $count, 'keysmith' ),
	/* translators: %s: number of keys. */
	'rotate'       => _n( 'Rotate %s key: a new key and secret replace it (same owner, permissions and description). The new secret is shown once.', 'Rotate %s keys: a new key and secret replace each (same owner, permissions and description). The new secrets are shown once.', $count, 'keysmith' ),
	/* translators: %s: number of keys. */
	'apply_policy' => _n( 'Apply the key-lifetime policy to %s key: it expires when a key made now would, unless it expires sooner.', 'Apply the key-lifetime policy to %s keys: each expires when a key made now would, unless it expires sooner.', $count, 'keysmith' ),
);
$keysmith_buttons = array(
	/* translators: %s: number of keys. */
	'revoke'       => _n( 'Revoke %s key', 'Revoke %s keys', $count, 'keysmith' ),
	/* translators: %s: number of keys. */
	'permissions'  => _n( 'Change %s key', 'Change %s keys', $count, 'keysmith' ),
	/* translators: %s: number of keys. */
	'owner'        => _n( 'Reassign %s key', 'Reassign %s keys', $count, 'keysmith' ),
	/* translators: %s: number of keys. */
	'expiry'       => _n( 'Set expiry of %s key', 'Set expiry of %s keys', $count, 'keysmith' ),
	/* translators: %s: number of keys. */
	'clear_expiry' => _n( 'Clear expiry of %s key', 'Clear expiry of %s keys', $count, 'keysmith' ),
	/* translators: %s: number of keys. */
	'rotate'       => _n( 'Rotate %s key', 'Rotate %s keys', $count, 'keysmith' ),
	/* translators: %s: number of keys. */
	'apply_policy' => _n( 'Apply the policy to %s key', 'Apply the policy to %s keys', $count, 'keysmith' ),
);
?>
<div class="keysmith-confirm" id="keysmith-confirm" data-action="<?php echo esc_attr( $action ); ?>" data-count="<?php echo esc_attr( (string) $count ); ?>"<?php echo 'rotate' === $action ? ' data-keysmith-onetime="rotate"' : ''; ?>>
	<h3><?php echo esc_html( BulkActions::labels()[ $action ] ); ?></h3>
	<?php if ( 0 === $count ) : ?>
		<p><?php esc_html_e( 'No keys match this selection any more. Nothing to do.', 'keysmith' ); ?></p>
		<p><a class="button" href="<?php echo esc_url( Screen::url( 'list', $selection->filters->query_args() ) ); ?>"><?php esc_html_e( 'Back to the list', 'keysmith' ); ?></a></p>
	<?php else : ?>
		<p class="keysmith-confirm-text"><strong><?php echo esc_html( sprintf( $keysmith_texts[ $action ], $keysmith_count ) ); ?></strong></p>
		<?php if ( $selection->all ) : ?>
			<p class="description"><?php esc_html_e( 'This applies to every key matching the filters when you confirm.', 'keysmith' ); ?></p>
		<?php endif; ?>

		<?php if ( 'permissions' === $action ) : ?>
			<p>
				<label for="ks_new_permissions" class="screen-reader-text"><?php esc_html_e( 'New permissions', 'keysmith' ); ?></label>
				<select name="ks_new_permissions" id="ks_new_permissions">
					<?php foreach ( Labels::permissions() as $keysmith_value => $keysmith_label ) : ?>
						<option value="<?php echo esc_attr( $keysmith_value ); ?>" <?php selected( $keysmith_value, $keysmith_field( 'ks_new_permissions', 'read' ) ); ?>><?php echo esc_html( $keysmith_label ); ?></option>
					<?php endforeach; ?>
				</select>
			</p>
		<?php elseif ( 'owner' === $action ) : ?>
			<p>
				<label for="ks_owner"><?php esc_html_e( 'New owner (user ID, login or email)', 'keysmith' ); ?></label><br />
				<input type="text" name="ks_owner" id="ks_owner" class="regular-text" required value="<?php echo esc_attr( $keysmith_field( 'ks_owner' ) ); ?>" />
			</p>
		<?php elseif ( 'expiry' === $action ) : ?>
			<p>
				<label for="ks_expires_at"><?php esc_html_e( 'Expires (YYYY-MM-DD or YYYY-MM-DD HH:MM, UTC, or e.g. +30 days)', 'keysmith' ); ?></label><br />
				<input type="text" name="ks_expires_at" id="ks_expires_at" class="regular-text" required value="<?php echo esc_attr( $keysmith_field( 'ks_expires_at' ) ); ?>" />
			</p>
		<?php elseif ( 'apply_policy' === $action && null !== $policy ) : ?>
			<p class="keysmith-policy-summary"><?php echo esc_html( \Keysmith\Store\KeyPolicy::current()->describe() ); ?></p>
			<p class="keysmith-policy-dry-run" id="keysmith-policy-dry-run">
				<?php
				echo esc_html(
					sprintf(
						/* translators: 1: number of keys that would change, 2: number of keys selected, 3: a UTC date. */
						_n( 'Dry run: %1$s of these %2$s key would expire earlier, by %3$s UTC; the others already expire sooner.', 'Dry run: %1$s of these %2$s keys would expire earlier, by %3$s UTC; the others already expire sooner.', $count, 'keysmith' ),
						number_format_i18n( $policy->matched ),
						$keysmith_count,
						(string) \Keysmith\Store\KeyPolicy::current()->expiry_for_new_key( time() )
					)
				);
				?>
			</p>
		<?php elseif ( 'rotate' === $action ) : ?>
			<p>
				<label for="ks_grace"><?php esc_html_e( 'The old keys keep working for', 'keysmith' ); ?></label>
				<select name="ks_grace" id="ks_grace">
					<?php foreach ( BulkActions::grace_labels() as $keysmith_seconds => $keysmith_label ) : ?>
						<option value="<?php echo esc_attr( (string) $keysmith_seconds ); ?>" <?php selected( (string) $keysmith_seconds, $keysmith_field( 'ks_grace', (string) DAY_IN_SECONDS ) ); ?>><?php echo esc_html( $keysmith_label ); ?></option>
					<?php endforeach; ?>
				</select>
			</p>
		<?php endif; ?>

		<table class="widefat striped keysmith-preview">
			<caption class="screen-reader-text"><?php esc_html_e( 'Keys affected', 'keysmith' ); ?></caption>
			<thead><tr><th><?php esc_html_e( 'Description', 'keysmith' ); ?></th><th><?php esc_html_e( 'Key ending in', 'keysmith' ); ?></th><th><?php esc_html_e( 'User', 'keysmith' ); ?></th><th><?php esc_html_e( 'Permissions', 'keysmith' ); ?></th></tr></thead>
			<tbody>
			<?php foreach ( $preview as $keysmith_key ) : ?>
				<tr>
					<td><?php echo esc_html( '' === $keysmith_key->description ? __( 'API key', 'keysmith' ) : $keysmith_key->description ); ?></td>
					<td><code>&hellip;<?php echo esc_html( $keysmith_key->truncated_key ); ?></code></td>
					<td><?php echo esc_html( Labels::user_name( $keysmith_key->user_id ) ); ?></td>
					<td><?php echo esc_html( Labels::permission( $keysmith_key->permissions ) ); ?></td>
				</tr>
			<?php endforeach; ?>
			</tbody>
		</table>
		<?php if ( $count > count( $preview ) ) : ?>
			<p class="description">
				<?php
				/* translators: %s: number of further keys. */
				echo esc_html( sprintf( _n( '… and %s more key.', '… and %s more keys.', $count - count( $preview ), 'keysmith' ), number_format_i18n( $count - count( $preview ) ) ) );
				?>
			</p>
		<?php endif; ?>

		<?php foreach ( $selection->hidden_fields() as $keysmith_name => $keysmith_value ) : ?>
			<input type="hidden" name="<?php echo esc_attr( $keysmith_name ); ?>" value="<?php echo esc_attr( $keysmith_value ); ?>" />
		<?php endforeach; ?>
		<input type="hidden" name="ks_action" value="<?php echo esc_attr( $action ); ?>" />
		<input type="hidden" name="<?php echo esc_attr( FormToken::FIELD ); ?>" value="<?php echo esc_attr( $token ); ?>" />
		<?php wp_nonce_field( BulkActions::NONCE_ACTION, BulkActions::NONCE_FIELD, false ); ?>
		<p class="keysmith-submit">
			<button type="submit" class="button button-primary<?php echo 'revoke' === $action ? ' keysmith-danger' : ''; ?>" name="keysmith_execute" value="1" id="keysmith-execute"><?php echo esc_html( sprintf( $keysmith_buttons[ $action ], $keysmith_count ) ); ?></button>
			<a class="button" href="<?php echo esc_url( Screen::url( 'list', $selection->filters->query_args() ) ); ?>" id="keysmith-cancel"><?php esc_html_e( 'Cancel', 'keysmith' ); ?></a>
		</p>
		<div class="keysmith-progress" id="keysmith-progress" hidden>
			<progress aria-describedby="keysmith-progress-text"></progress>
			<span id="keysmith-progress-text"></span>
		</div>
	<?php endif; ?>
</div>
<div id="keysmith-result"></div>
