<?php
/**
 * Section header: title, sub-view links, notices.
 *
 * @var string                                        $view    Current view.
 * @var list<array{type: string, message: string}>    $notices Notices to show.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Admin;

defined( 'ABSPATH' ) || exit;

$keysmith_views = array(
	'list'       => __( 'Keys', 'keysmith' ),
	'create'     => __( 'Create keys', 'keysmith' ),
	'audit'      => __( 'Audit log', 'keysmith' ),
	'policy'     => __( 'Key-lifetime policy', 'keysmith' ),
	'protection' => __( 'Protection', 'keysmith' ),
	'sealing'    => __( 'Sealed secrets', 'keysmith' ),
);
$keysmith_active = in_array( $view, array( 'confirm', 'onetime' ), true ) ? 'list' : $view;
?>
<div class="keysmith-screen" id="keysmith-screen" data-view="<?php echo esc_attr( $view ); ?>">
<h2 class="wc-table-list-header keysmith-title">
	<?php esc_html_e( 'Bulk key management', 'keysmith' ); ?>
	<a href="<?php echo esc_url( Screen::url( 'create' ) ); ?>" class="page-title-action"><?php esc_html_e( 'Create keys', 'keysmith' ); ?></a>
	<a href="<?php echo esc_url( Screen::keys_url() ); ?>" class="page-title-action"><?php esc_html_e( 'Back to REST API keys', 'keysmith' ); ?></a>
</h2>
<ul class="subsubsub keysmith-views">
	<?php
	$keysmith_links = array();
	foreach ( $keysmith_views as $keysmith_id => $keysmith_label ) {
		$keysmith_links[] = sprintf(
			'<li><a href="%s"%s>%s</a>',
			esc_url( Screen::url( $keysmith_id ) ),
			$keysmith_id === $keysmith_active ? ' class="current" aria-current="page"' : '',
			esc_html( $keysmith_label )
		);
	}
	echo implode( ' | </li>', $keysmith_links ) . '</li>'; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- escaped above.
	?>
</ul>
<br class="clear" />
<?php foreach ( $notices as $keysmith_notice ) : ?>
	<div class="notice notice-<?php echo esc_attr( $keysmith_notice['type'] ); ?> inline keysmith-notice" role="<?php echo 'error' === $keysmith_notice['type'] ? 'alert' : 'status'; ?>">
		<p><?php echo esc_html( $keysmith_notice['message'] ); ?></p>
	</div>
<?php endforeach; ?>
<div id="keysmith-js-notices" aria-live="polite"></div>
