<?php
/**
 * The audit log view.
 *
 * @var AuditListTable $table
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Admin;

use Keysmith\Store\Actor;

defined( 'ABSPATH' ) || exit;

$keysmith_audit = AuditRequest::from_get();
?>
<div class="keysmith-filters" role="search">
	<label for="ks_audit_action" class="screen-reader-text"><?php esc_html_e( 'Action', 'keysmith' ); ?></label>
	<select name="ks_audit_action" id="ks_audit_action">
		<option value=""><?php esc_html_e( 'All actions', 'keysmith' ); ?></option>
		<?php foreach ( AuditRequest::ACTIONS as $keysmith_action ) : ?>
			<option value="<?php echo esc_attr( $keysmith_action ); ?>" <?php selected( $keysmith_action, $keysmith_audit->get( 'ks_audit_action' ) ); ?>><?php echo esc_html( AuditListTable::action_label( $keysmith_action ) ); ?></option>
		<?php endforeach; ?>
	</select>
	<label for="ks_source" class="screen-reader-text"><?php esc_html_e( 'Source', 'keysmith' ); ?></label>
	<select name="ks_source" id="ks_source">
		<option value=""><?php esc_html_e( 'All sources', 'keysmith' ); ?></option>
		<?php foreach ( Actor::SOURCES as $keysmith_source ) : ?>
			<option value="<?php echo esc_attr( $keysmith_source ); ?>" <?php selected( $keysmith_source, $keysmith_audit->get( 'ks_source' ) ); ?>><?php echo esc_html( $keysmith_source ); ?></option>
		<?php endforeach; ?>
	</select>
	<label for="ks_key_id" class="screen-reader-text"><?php esc_html_e( 'Key ID', 'keysmith' ); ?></label>
	<input type="text" inputmode="numeric" name="ks_key_id" id="ks_key_id" size="8" value="<?php echo esc_attr( $keysmith_audit->get( 'ks_key_id' ) ); ?>" placeholder="<?php esc_attr_e( 'Key ID', 'keysmith' ); ?>" />
	<label for="ks_actor" class="screen-reader-text"><?php esc_html_e( 'By user', 'keysmith' ); ?></label>
	<input type="text" name="ks_actor" id="ks_actor" value="<?php echo esc_attr( $keysmith_audit->get( 'ks_actor' ) ); ?>" placeholder="<?php esc_attr_e( 'By user (ID, login or email; 0: system)', 'keysmith' ); ?>" />
	<label for="ks_since"><?php esc_html_e( 'From', 'keysmith' ); ?></label>
	<input type="date" name="ks_since" id="ks_since" value="<?php echo esc_attr( $keysmith_audit->get( 'ks_since' ) ); ?>" />
	<label for="ks_until"><?php esc_html_e( 'to', 'keysmith' ); ?></label>
	<input type="date" name="ks_until" id="ks_until" value="<?php echo esc_attr( $keysmith_audit->get( 'ks_until' ) ); ?>" />
	<button type="submit" class="button" name="keysmith_audit_filter" value="1" id="keysmith-audit-filter-submit"><?php esc_html_e( 'Filter', 'keysmith' ); ?></button>
	<?php if ( array() !== $keysmith_audit->values ) : ?>
		<a class="button-link keysmith-reset" href="<?php echo esc_url( Screen::url( 'audit' ) ); ?>"><?php esc_html_e( 'Reset filters', 'keysmith' ); ?></a>
	<?php endif; ?>
</div>
<p class="description"><?php esc_html_e( 'Times are shown in the site’s time zone; the date filters are UTC days.', 'keysmith' ); ?></p>
<?php
$table->display();
