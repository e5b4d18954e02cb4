<?php
/**
 * The one-time view of new secrets, rendered in the POST response of the JavaScript-free create
 * and rotate flows (sent with Cache-Control: no-store). With JavaScript, assets/keysmith-admin.js
 * renders the same view from the admin-ajax response instead.
 *
 * @var list<array<string, mixed>> $keys   New keys with consumer_key / consumer_secret.
 * @var string                     $origin create|rotate.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Admin;

defined( 'ABSPATH' ) || exit;

$keysmith_columns = array( 'key_id', 'user_id', 'user_login', 'description', 'permissions', 'consumer_key', 'consumer_secret', 'truncated_key', 'expires_at', 'rotated_from' );
$keysmith_csv     = fopen( 'php://memory', 'r+' );
// RFC 4180 like the browser-built CSV: quotes doubled, no backslash escape (PHP's default
// escape would leave `\"` undoubled), CRLF line ends.
fputcsv( $keysmith_csv, $keysmith_columns, ',', '"', '', "\r\n" );
foreach ( $keys as $keysmith_key ) {
	$keysmith_row = array();
	foreach ( $keysmith_columns as $keysmith_column ) {
		$keysmith_cell = (string) ( $keysmith_key[ $keysmith_column ] ?? '' );
		// Spreadsheet formula guard, as in the browser-built CSV.
		$keysmith_row[] = 1 === preg_match( '/^[=+\-@\t\r]/', $keysmith_cell ) ? "'" . $keysmith_cell : $keysmith_cell;
	}
	fputcsv( $keysmith_csv, $keysmith_row, ',', '"', '', "\r\n" );
}
rewind( $keysmith_csv );
$keysmith_csv_text = (string) stream_get_contents( $keysmith_csv );
fclose( $keysmith_csv );
?>
<div class="keysmith-onetime" id="keysmith-onetime" data-origin="<?php echo esc_attr( $origin ); ?>">
	<div class="notice notice-warning inline keysmith-secret-warning">
		<p><strong><?php esc_html_e( 'Copy or download these keys now. The secrets are not stored anywhere else by Keysmith and will not be shown again.', 'keysmith' ); ?></strong></p>
	</div>
	<p class="keysmith-downloads" hidden>
		<button type="button" class="button button-primary" data-keysmith-download="csv"><?php esc_html_e( 'Download CSV', 'keysmith' ); ?></button>
		<button type="button" class="button" data-keysmith-download="json"><?php esc_html_e( 'Download JSON', 'keysmith' ); ?></button>
	</p>
	<table class="widefat striped keysmith-secrets">
		<thead>
			<tr>
				<th><?php esc_html_e( 'Description', 'keysmith' ); ?></th>
				<th><?php esc_html_e( 'User', 'keysmith' ); ?></th>
				<th><?php esc_html_e( 'Permissions', 'keysmith' ); ?></th>
				<th><?php esc_html_e( 'Consumer key', 'keysmith' ); ?></th>
				<th><?php esc_html_e( 'Consumer secret', 'keysmith' ); ?></th>
			</tr>
		</thead>
		<tbody>
		<?php foreach ( $keys as $keysmith_key ) : ?>
			<tr>
				<td><?php echo esc_html( (string) $keysmith_key['description'] ); ?></td>
				<td><?php echo esc_html( (string) $keysmith_key['user_login'] ); ?></td>
				<td><?php echo esc_html( Labels::permission( (string) $keysmith_key['permissions'] ) ); ?></td>
				<td><code class="keysmith-ck"><?php echo esc_html( (string) $keysmith_key['consumer_key'] ); ?></code></td>
				<td><code class="keysmith-cs"><?php echo esc_html( (string) $keysmith_key['consumer_secret'] ); ?></code></td>
			</tr>
		<?php endforeach; ?>
		</tbody>
	</table>
	<p>
		<label for="keysmith-csv-text"><?php esc_html_e( 'The same keys as CSV, to copy:', 'keysmith' ); ?></label><br />
		<textarea id="keysmith-csv-text" class="large-text code" rows="6" readonly><?php echo esc_textarea( $keysmith_csv_text ); ?></textarea>
	</p>
	<script type="application/json" id="keysmith-onetime-data"><?php echo wp_json_encode( array_values( $keys ), JSON_HEX_TAG | JSON_HEX_AMP | JSON_UNESCAPED_SLASHES ); ?></script>
	<p><a class="button" href="<?php echo esc_url( Screen::url( 'list' ) ); ?>"><?php esc_html_e( 'Done: back to the key list', 'keysmith' ); ?></a></p>
</div>
