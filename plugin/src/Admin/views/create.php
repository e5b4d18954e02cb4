<?php
/**
 * Bulk create form. With JavaScript it posts to admin-ajax and renders the one-time result in the
 * page; without, it posts the settings form and the result page comes back in the response.
 *
 * @var array<string, string> $values Field values.
 * @var string                $token  Single-use form token.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Admin;

use Keysmith\Store\Durations;
use Keysmith\Store\KeyPolicy;
use Keysmith\Store\KeySpec;

defined( 'ABSPATH' ) || exit;

$keysmith_users  = '' === $values['ks_users'] ? wp_get_current_user()->user_login : $values['ks_users'];
$keysmith_policy = KeyPolicy::current();
?>
<div id="keysmith-create" class="keysmith-create" data-max="<?php echo esc_attr( (string) KeySpec::MAX_CREATE ); ?>">
<table class="form-table" role="presentation">
	<tbody>
		<tr>
			<th scope="row"><label for="ks_count"><?php esc_html_e( 'How many keys', 'keysmith' ); ?></label></th>
			<td>
				<input type="number" min="1" max="<?php echo esc_attr( (string) KeySpec::MAX_CREATE ); ?>" step="1" name="ks_count" id="ks_count" class="small-text" required value="<?php echo esc_attr( $values['ks_count'] ); ?>" />
				<p class="description">
					<?php
					/* translators: %s: maximum number of keys. */
					echo esc_html( sprintf( __( 'Keys per user; at most %s keys in all.', 'keysmith' ), number_format_i18n( KeySpec::MAX_CREATE ) ) );
					?>
				</p>
			</td>
		</tr>
		<tr>
			<th scope="row"><label for="ks_users"><?php esc_html_e( 'User(s)', 'keysmith' ); ?></label></th>
			<td>
				<textarea name="ks_users" id="ks_users" rows="2" cols="50" class="regular-text" required><?php echo esc_textarea( $keysmith_users ); ?></textarea>
				<p class="description"><?php esc_html_e( 'User IDs, logins or emails, separated by commas. Assigning keys to another user needs permission to edit that user.', 'keysmith' ); ?></p>
			</td>
		</tr>
		<tr>
			<th scope="row"><label for="ks_permissions"><?php esc_html_e( 'Permissions', 'keysmith' ); ?></label></th>
			<td>
				<select name="ks_permissions" id="ks_permissions">
					<?php foreach ( Labels::permissions() as $keysmith_value => $keysmith_label ) : ?>
						<option value="<?php echo esc_attr( $keysmith_value ); ?>" <?php selected( $keysmith_value, $values['ks_permissions'] ); ?>><?php echo esc_html( $keysmith_label ); ?></option>
					<?php endforeach; ?>
				</select>
			</td>
		</tr>
		<tr>
			<th scope="row"><label for="ks_description"><?php esc_html_e( 'Description', 'keysmith' ); ?></label></th>
			<td>
				<input type="text" name="ks_description" id="ks_description" class="regular-text" maxlength="<?php echo esc_attr( (string) KeySpec::MAX_DESCRIPTION ); ?>" required value="<?php echo esc_attr( $values['ks_description'] ); ?>" />
				<p class="description"><?php esc_html_e( 'Template: {n} is the number of the key (1, 2, 3…), {user} the owner’s login, {date} today’s date (UTC).', 'keysmith' ); ?></p>
			</td>
		</tr>
		<tr>
			<th scope="row"><label for="ks_expires"><?php esc_html_e( 'Expires', 'keysmith' ); ?></label></th>
			<td>
				<input type="text" name="ks_expires" id="ks_expires" class="regular-text" value="<?php echo esc_attr( $values['ks_expires'] ); ?>" placeholder="<?php echo esc_attr( null === $keysmith_policy->new_key_lifetime() ? __( 'Never', 'keysmith' ) : Durations::describe( $keysmith_policy->new_key_lifetime() ) ); ?>" />
				<p class="description"><?php esc_html_e( 'Optional. YYYY-MM-DD or YYYY-MM-DD HH:MM (UTC), a relative time such as +90 days, or never. Left empty, the key-lifetime policy decides. Keysmith refuses expired keys and revokes them hourly.', 'keysmith' ); ?></p>
				<p class="description keysmith-policy-summary"><?php echo esc_html( $keysmith_policy->describe() ); ?></p>
			</td>
		</tr>
	</tbody>
</table>
<?php
wp_nonce_field( CreateKeys::NONCE_ACTION, BulkActions::NONCE_FIELD, false );
?>
<input type="hidden" name="<?php echo esc_attr( FormToken::FIELD ); ?>" value="<?php echo esc_attr( $token ); ?>" />
<p class="keysmith-submit">
	<button type="submit" class="button button-primary" name="keysmith_create" value="1" id="keysmith-create-submit"><?php esc_html_e( 'Generate API keys', 'keysmith' ); ?></button>
</p>
<div class="keysmith-progress" id="keysmith-progress" hidden>
	<progress aria-describedby="keysmith-progress-text"></progress>
	<span id="keysmith-progress-text"></span>
</div>
<noscript><p class="description"><?php esc_html_e( 'Without JavaScript the new keys are shown on the next page, once; copy them from there.', 'keysmith' ); ?></p></noscript>
</div>
<div id="keysmith-result"></div>
