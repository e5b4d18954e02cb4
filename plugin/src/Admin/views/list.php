<?php
/**
 * The key list: views (all / failing keys), filters (GET URLs), the table, bulk actions.
 *
 * @var KeyListTable $table
 * @var ListRequest  $request
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Admin;

defined( 'ABSPATH' ) || exit;

$keysmith_select = static function ( string $name, array $options, string $current, string $label ): void {
	printf( '<label for="%1$s" class="screen-reader-text">%2$s</label><select name="%1$s" id="%1$s">', esc_attr( $name ), esc_html( $label ) );
	foreach ( $options as $value => $text ) {
		printf( '<option value="%s"%s>%s</option>', esc_attr( (string) $value ), selected( (string) $value, $current, false ), esc_html( $text ) );
	}
	echo '</select>';
};
$table->views();
?>
<br class="clear" />
<div class="keysmith-filters" role="search">
	<label for="keysmith-search" class="screen-reader-text"><?php esc_html_e( 'Search keys', 'keysmith' ); ?></label>
	<input type="search" id="keysmith-search" name="s" value="<?php echo esc_attr( $request->get( 's' ) ); ?>" placeholder="<?php esc_attr_e( 'Description or key ending', 'keysmith' ); ?>" />
	<label for="keysmith-user" class="screen-reader-text"><?php esc_html_e( 'User', 'keysmith' ); ?></label>
	<input type="text" id="keysmith-user" name="ks_user" value="<?php echo esc_attr( $request->get( 'ks_user' ) ); ?>" placeholder="<?php esc_attr_e( 'User ID, login or email', 'keysmith' ); ?>" />
	<?php
	$keysmith_select( 'ks_permissions', array( '' => __( 'All permissions', 'keysmith' ) ) + Labels::permissions(), $request->get( 'ks_permissions' ), __( 'Permissions', 'keysmith' ) );
	$keysmith_select( 'ks_source', array( '' => __( 'Made anywhere', 'keysmith' ) ) + Labels::sources(), $request->get( 'ks_source' ), __( 'Made with', 'keysmith' ) );
	$keysmith_select(
		'ks_usage',
		array(
			''             => __( 'Any last use', 'keysmith' ),
			'never'        => __( 'Never used', 'keysmith' ),
			'unused_since' => __( 'Not used since…', 'keysmith' ),
		),
		$request->get( 'ks_usage' ),
		__( 'Usage', 'keysmith' )
	);
	?>
	<label for="ks_unused_since" class="screen-reader-text"><?php esc_html_e( 'Not used since (UTC date)', 'keysmith' ); ?></label>
	<input type="date" id="ks_unused_since" name="ks_unused_since" value="<?php echo esc_attr( $request->get( 'ks_unused_since' ) ); ?>" />
	<?php
	$keysmith_select(
		'ks_expiry',
		array(
			''        => __( 'Any expiry', 'keysmith' ),
			'expired' => __( 'Expired', 'keysmith' ),
			'before'  => __( 'Expiring before…', 'keysmith' ),
		),
		$request->get( 'ks_expiry' ),
		__( 'Expiry', 'keysmith' )
	);
	?>
	<label for="ks_expires_before" class="screen-reader-text"><?php esc_html_e( 'Expiring before (UTC date)', 'keysmith' ); ?></label>
	<input type="date" id="ks_expires_before" name="ks_expires_before" value="<?php echo esc_attr( $request->get( 'ks_expires_before' ) ); ?>" />
	<?php if ( $request->failing() ) : ?>
		<input type="hidden" name="ks_failing" value="<?php echo esc_attr( ListRequest::FAILING ); ?>" />
	<?php endif; ?>
	<?php if ( '' !== $request->get( 'orderby' ) ) : ?>
		<input type="hidden" name="orderby" value="<?php echo esc_attr( $request->get( 'orderby' ) ); ?>" />
		<input type="hidden" name="order" value="<?php echo esc_attr( $request->get( 'order' ) ); ?>" />
	<?php endif; ?>
	<button type="submit" class="button" name="keysmith_filter" value="1" id="keysmith-filter-submit"><?php esc_html_e( 'Filter', 'keysmith' ); ?></button>
	<?php if ( $request->is_filtered() ) : ?>
		<a class="button-link keysmith-reset" href="<?php echo esc_url( Screen::url( 'list' ) ); ?>"><?php esc_html_e( 'Reset filters', 'keysmith' ); ?></a>
	<?php endif; ?>
</div>
<p class="keysmith-policy-summary description">
	<?php echo esc_html( \Keysmith\Store\KeyPolicy::current()->describe() ); ?>
	<a href="<?php echo esc_url( Screen::url( 'policy' ) ); ?>"><?php esc_html_e( 'Key-lifetime policy', 'keysmith' ); ?></a>
</p>
<p class="keysmith-count" id="keysmith-count" data-total="<?php echo esc_attr( (string) $table->total() ); ?>">
	<?php
	echo esc_html(
		$request->is_filtered()
			/* translators: %s: number of keys. */
			? sprintf( _n( '%s key matches the filters.', '%s keys match the filters.', $table->total(), 'keysmith' ), number_format_i18n( $table->total() ) )
			/* translators: %s: number of keys. */
			: sprintf( _n( '%s key in all.', '%s keys in all.', $table->total(), 'keysmith' ), number_format_i18n( $table->total() ) )
	);
	?>
</p>
<?php
wp_nonce_field( BulkActions::NONCE_ACTION, BulkActions::NONCE_FIELD, false );
$table->display();
