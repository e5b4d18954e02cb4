<?php
/**
 * The key-lifetime policy: what it is now, and the form that changes it.
 *
 * @var array{ks_default_expiry: string, ks_max_lifetime: string} $values
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Admin;

use Keysmith\Store\KeyPolicy;

defined( 'ABSPATH' ) || exit;
?>
<div id="keysmith-policy" class="keysmith-policy">
<p class="keysmith-policy-summary" id="keysmith-policy-summary"><strong><?php echo esc_html( KeyPolicy::current()->describe() ); ?></strong></p>
<p><?php esc_html_e( 'The policy applies to keys made from now on: on this screen, with WP-CLI and the REST API when no expiry is chosen, and to keys made with WooCommerce\'s Add key screen and by app authorization. An expiry chosen beyond the maximum lifetime is refused. Existing keys keep their expiry until you apply the policy to them (bulk action "Apply key-lifetime policy" on the list).', 'keysmith' ); ?></p>
<table class="form-table" role="presentation">
	<tbody>
		<tr>
			<th scope="row"><label for="ks_default_expiry"><?php esc_html_e( 'Default expiry', 'keysmith' ); ?></label></th>
			<td>
				<input type="text" name="ks_default_expiry" id="ks_default_expiry" class="regular-text" value="<?php echo esc_attr( $values['ks_default_expiry'] ); ?>" placeholder="<?php esc_attr_e( 'Never', 'keysmith' ); ?>" />
				<p class="description"><?php esc_html_e( 'How long new keys live when no expiry is chosen: e.g. 90d, 12h, 2w or "36 hours" (one minute to ten years). Empty: they never expire.', 'keysmith' ); ?></p>
			</td>
		</tr>
		<tr>
			<th scope="row"><label for="ks_max_lifetime"><?php esc_html_e( 'Maximum lifetime', 'keysmith' ); ?></label></th>
			<td>
				<input type="text" name="ks_max_lifetime" id="ks_max_lifetime" class="regular-text" value="<?php echo esc_attr( $values['ks_max_lifetime'] ); ?>" placeholder="<?php esc_attr_e( 'None', 'keysmith' ); ?>" />
				<p class="description"><?php esc_html_e( 'The longest a new key may be made to live. Empty: no maximum.', 'keysmith' ); ?></p>
			</td>
		</tr>
	</tbody>
</table>
<?php wp_nonce_field( PolicyForm::NONCE_ACTION, BulkActions::NONCE_FIELD, false ); ?>
<p class="keysmith-submit">
	<button type="submit" class="button button-primary" name="keysmith_policy_save" value="1" id="keysmith-policy-save"><?php esc_html_e( 'Save policy', 'keysmith' ); ?></button>
</p>
</div>
