<?php
/**
 * Generates the IDE / static-analysis stub of the keysmith extension from the loaded
 * extension itself (ReflectionExtension), so names and types can never drift from the binary.
 *
 * Usage:
 *   php -d extension=target/release/libkeysmith.so scripts/gen-stubs.php > plugin/stubs/keysmith.stub.php
 *   php -d extension=target/release/libkeysmith.so scripts/gen-stubs.php --check plugin/stubs/keysmith.stub.php
 *
 * Function and parameter names, parameter types and return types come from reflection. Only the
 * prose comes from the DOCS table below; a function or parameter the table does not describe
 * (or describes but the extension lacks) is an error, so adding a function to the extension
 * without documenting it fails `make test-stubs`.
 *
 * Exit codes: 0 ok; 1 --check found a difference; 2 usage or documentation error.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Scripts;

/**
 * Prose for each function: summary, details, parameter descriptions, return and throws.
 * Keys are function names without the namespace.
 */
const DOCS = array(
	'version'            => array(
		'summary' => 'The version of the loaded keysmith extension.',
		'params'  => array(),
		'return'  => 'Semantic version, e.g. "0.1.0".',
		'throws'  => array(),
	),
	'generate_key'       => array(
		'summary' => 'Generates one WooCommerce REST API key pair the way WooCommerce does.',
		'details' => array(
			'consumer_key / consumer_secret are "ck_" / "cs_" followed by 40 lowercase hex characters',
			'from 20 bytes of the operating system\'s CSPRNG each (wc_rand_hash()); key_hash is',
			'wc_api_hash(consumer_key), the value WooCommerce stores in its consumer_key column;',
			'truncated_key is substr(consumer_key, -7).',
		),
		'params'  => array(),
		'return'  => 'array{consumer_key: string, consumer_secret: string, key_hash: string, truncated_key: string}',
		'throws'  => array( '\\Exception If the operating system cannot provide random bytes.' ),
	),
	'generate_keys'      => array(
		'summary' => 'Generates $count key records like generate_key(), drawing randomness in batches.',
		'params'  => array( 'count' => 'Number of keys, 1 to 1,000,000.' ),
		'return'  => 'list<array{consumer_key: string, consumer_secret: string, key_hash: string, truncated_key: string}>',
		'throws'  => array(
			'\\TypeError If $count is not an int (no coercion).',
			'\\ValueError If $count is outside 1..1000000.',
			'\\Exception If the operating system cannot provide random bytes.',
		),
	),
	'api_hash'           => array(
		'summary' => 'WooCommerce\'s wc_api_hash(): HMAC-SHA256 of $data keyed with "wc-api", lowercase hex.',
		'params'  => array( 'data' => 'Any bytes, typically a plaintext consumer key "ck_...".' ),
		'return'  => '64 lowercase hex characters.',
		'throws'  => array( '\\TypeError If $data is not a string (no coercion).' ),
	),
	'api_hashes'         => array(
		'summary' => 'api_hash() of every value of $data, keys preserved.',
		'params'  => array( 'data' => 'Array of strings.' ),
		'return'  => 'array<array-key, string>',
		'throws'  => array( '\\TypeError If $data is not an array or a value is not a string (the message names the key).' ),
	),
	'oauth_base_string'  => array(
		'summary' => 'WooCommerce\'s OAuth 1.0a string to sign (WC_REST_Authentication::check_oauth_signature()).',
		'details' => array(
			'METHOD&rawurlencode(url)&pairs, with WooCommerce\'s quirks: oauth_signature is dropped;',
			'top-level keys are sorted raw with strcmp before encoding; keys and values are',
			'rawurlencode()d, inner keys of nested arrays are not, and each key=value pair is encoded',
			'again; nested keys become parent%5Binner%5D unless the parent key is "" or "0"; empty',
			'arrays give no pair; pairs are joined with a literal %26.',
		),
		'params'  => array(
			'http_method' => 'HTTP method; upper-cased (ASCII).',
			'url'         => 'The URL WooCommerce signs: home URL + request path, no query string.',
			'params'      => 'Request parameters as PHP parsed them: string|int|array values, at most 64 levels deep.',
		),
		'return'  => 'The string to sign (binary-safe).',
		'throws'  => array(
			'\\TypeError If an argument or a parameter value has the wrong type (no coercion).',
			'\\ValueError If $params is nested deeper than 64 levels.',
		),
	),
	'oauth_signature'    => array(
		'summary' => 'base64 of HMAC-SHA1 / HMAC-SHA256 of $base_string keyed with $consumer_secret . "&".',
		'params'  => array(
			'base_string'      => 'String to sign, e.g. from oauth_base_string().',
			'consumer_secret'  => 'Plaintext consumer secret "cs_...".',
			'signature_method' => 'Exactly "HMAC-SHA1" or "HMAC-SHA256".',
		),
		'return'  => 'The OAuth signature (base64).',
		'throws'  => array(
			'\\TypeError If an argument is not a string (no coercion).',
			'\\ValueError If $signature_method is not HMAC-SHA1 or HMAC-SHA256.',
		),
	),
	'oauth_verify'       => array(
		'summary' => 'Whether $params[\'oauth_signature\'] is WooCommerce\'s signature of the request.',
		'details' => array(
			'The method is $params[\'oauth_signature_method\']; the provided signature is read as',
			'rawurldecode(str_replace(\' \', \'+\', $sig)) and compared in constant time.',
		),
		'params'  => array(
			'http_method'     => 'HTTP method of the request.',
			'url'             => 'The URL WooCommerce signs: home URL + request path, no query string.',
			'params'          => 'All request parameters including oauth_signature and oauth_signature_method.',
			'consumer_secret' => 'Plaintext consumer secret of the key named by oauth_consumer_key.',
		),
		'return'  => 'True when the signature matches.',
		'throws'  => array(
			'\\TypeError If an argument or a parameter value has the wrong type (no coercion).',
			'\\ValueError If oauth_signature / oauth_signature_method are missing or not strings, the method is not HMAC-SHA1 or HMAC-SHA256, or $params is nested deeper than 64 levels.',
		),
	),
	'parse_oauth_header' => array(
		'summary' => 'WooCommerce\'s parse_header() of an "Authorization: OAuth ..." value.',
		'details' => array(
			'No trimming: returns [] unless $authorization starts with "OAuth "; takes oauth_[a-z_-]*',
			'names, quoted or unquoted values (regex quirks included) and urldecode()s each value.',
		),
		'params'  => array( 'authorization' => 'The header value without "Authorization: ".' ),
		'return'  => 'array<string, string>',
		'throws'  => array( '\\TypeError If $authorization is not a string (no coercion).' ),
	),
	'equals'             => array(
		'summary' => 'Constant-time string comparison with hash_equals() semantics.',
		'params'  => array(
			'known' => 'The secret or expected value.',
			'user'  => 'The value to check.',
		),
		'return'  => 'True when both strings are identical.',
		'throws'  => array( '\\TypeError If an argument is not a string (no coercion).' ),
	),
	'seal'                => array(
		'summary' => 'Seals a consumer secret: "ksv1:" + base64(nonce ‖ ciphertext ‖ tag), ChaCha20-Poly1305 (IETF).',
		'details' => array(
			'Uses the current key read at start-up from keysmith.sealing_key_file and a fresh random',
			'96-bit nonce; $ad (the key row\'s stored consumer_key hash) is bound to the value, so it',
			'opens for that row only.',
		),
		'params'  => array(
			'secret' => 'The plaintext secret, at most 64 bytes.',
			'ad'     => 'Associated data: the key row\'s stored consumer_key hash.',
		),
		'return'  => 'The sealed value, at most 129 characters.',
		'throws'  => array(
			'\\TypeError If an argument is not a string (no coercion).',
			'\\ValueError If $secret is longer than 64 bytes.',
			'\\Exception If no sealing key is available (see sealing_status()).',
		),
	),
	'sealed_equals'       => array(
		'summary' => 'Whether $presented is the secret sealed in $sealed, compared in constant time.',
		'details' => array(
			'Opens with the current key, then the previous one; a value no key opens for this',
			'associated data (another key, another row, altered) matches nothing.',
		),
		'params'  => array(
			'sealed'    => 'A sealed value (seal()).',
			'ad'        => 'The key row\'s stored consumer_key hash.',
			'presented' => 'The secret a client presented.',
		),
		'return'  => 'True when the secrets are identical.',
		'throws'  => array(
			'\\TypeError If an argument is not a string (no coercion).',
			'\\ValueError If $sealed is not in the sealed format.',
			'\\Exception If no sealing key is available (see sealing_status()).',
		),
	),
	'sealed_oauth_verify' => array(
		'summary' => 'oauth_verify() against the secret sealed in $sealed, opened inside the extension.',
		'details' => array(
			'The plaintext secret never reaches PHP. A value no key opens for this associated data',
			'verifies nothing.',
		),
		'params'  => array(
			'http_method' => 'HTTP method; upper-cased (ASCII).',
			'url'         => 'The URL WooCommerce signs.',
			'params'      => 'Parameters as for oauth_verify(), with oauth_signature and oauth_signature_method.',
			'sealed'      => 'A sealed value (seal()).',
			'ad'          => 'The key row\'s stored consumer_key hash.',
		),
		'return'  => 'Whether the signature matches.',
		'throws'  => array(
			'\\TypeError As oauth_verify().',
			'\\ValueError As oauth_verify(), or if $sealed is not in the sealed format.',
			'\\Exception If no sealing key is available (see sealing_status()).',
		),
	),
	'unseal'              => array(
		'summary' => 'The plaintext secret of a sealed value: under the CLI SAPI only.',
		'details' => array(
			'For turning sealing off and re-sealing under a new key from the command line. Any',
			'other SAPI (php-fpm, Apache) gets an \\Error before anything is read.',
		),
		'params'  => array(
			'sealed' => 'A sealed value (seal()).',
			'ad'     => 'The key row\'s stored consumer_key hash.',
		),
		'return'  => 'The secret.',
		'throws'  => array(
			'\\Error Outside the CLI SAPI.',
			'\\TypeError If an argument is not a string (no coercion).',
			'\\ValueError If $sealed is not in the sealed format or no key opens it.',
			'\\Exception If no sealing key is available (see sealing_status()).',
		),
	),
	'sealing_status'      => array(
		'summary' => 'Where the sealing key comes from and whether it works; never the key itself.',
		'details' => array(
			'configured: a current key was read; source: "ini" when keysmith.sealing_key_file is set',
			'(null otherwise); key_file, fingerprint (16 hex: HMAC-SHA256 of a fixed label under the',
			'key, truncated) and error (why the file gives no key); previous: the same for',
			'keysmith.sealing_previous_key_file, or null.',
		),
		'params'  => array(),
		'return'  => 'array{configured: bool, source: ?string, key_file: ?string, fingerprint: ?string, error: ?string, previous: ?array{key_file: ?string, fingerprint: ?string, error: ?string}}',
		'throws'  => array(),
	),
);

/** Fails with a message on stderr and exit code 2. */
function fail( string $message ): never {
	fwrite( STDERR, 'gen-stubs: ' . $message . "\n" );
	exit( 2 );
}

/** PHP source of a reflected type, or '' when untyped. */
function type_source( ?\ReflectionType $type ): string {
	return null === $type ? '' : (string) $type;
}

/** The docblock and declaration of one function. */
function render_function( \ReflectionFunction $function ): string {
	$name = $function->getShortName();
	if ( ! isset( DOCS[ $name ] ) ) {
		fail( "Keysmith\\$name() is not documented in scripts/gen-stubs.php DOCS" );
	}
	$doc   = DOCS[ $name ];
	$lines = array( $doc['summary'] );
	if ( isset( $doc['details'] ) ) {
		$lines[] = '';
		array_push( $lines, ...$doc['details'] );
	}
	$lines[]    = '';
	$params     = array();
	$documented = $doc['params'];
	foreach ( $function->getParameters() as $param ) {
		$param_name = $param->getName();
		if ( ! isset( $documented[ $param_name ] ) ) {
			fail( "parameter \$$param_name of Keysmith\\$name() is not documented" );
		}
		$type     = type_source( $param->getType() );
		$lines[]  = sprintf( '@param %s $%s %s', $type, $param_name, $documented[ $param_name ] );
		$params[] = ltrim( $type . ' $' . $param_name );
		unset( $documented[ $param_name ] );
	}
	if ( array() !== $documented ) {
		fail( "Keysmith\\$name() has no parameter(s) " . implode( ', ', array_keys( $documented ) ) . ' that DOCS describes' );
	}
	$return  = type_source( $function->getReturnType() );
	$lines[] = sprintf( '@return %s', str_starts_with( $doc['return'], 'array' ) || str_starts_with( $doc['return'], 'list' ) ? $doc['return'] : $return . ' ' . $doc['return'] );
	foreach ( $doc['throws'] as $throws ) {
		$lines[] = '@throws ' . $throws;
	}

	$out = "/**\n";
	foreach ( $lines as $line ) {
		$out .= rtrim( ' * ' . $line ) . "\n";
	}
	$out .= " */\n";
	$out .= sprintf( "function %s(%s)%s {}\n", $name, implode( ', ', $params ), '' === $return ? '' : ': ' . $return );
	return $out;
}

/** The whole stub file. */
function render_stub( \ReflectionExtension $extension ): string {
	$functions = $extension->getFunctions();
	$names     = array();
	foreach ( $functions as $function ) {
		if ( 'Keysmith' !== $function->getNamespaceName() ) {
			fail( 'unexpected function outside namespace Keysmith: ' . $function->getName() );
		}
		$names[] = $function->getShortName();
	}
	foreach ( array_keys( DOCS ) as $documented ) {
		if ( ! in_array( $documented, $names, true ) ) {
			fail( "DOCS describes Keysmith\\$documented(), which the extension does not define" );
		}
	}

	$out  = "<?php\n";
	$out .= "/**\n";
	$out .= " * Stub of the keysmith PHP extension for IDEs and static analysis. Never loaded at run time.\n";
	$out .= " *\n";
	$out .= " * Generated by scripts/gen-stubs.php from the extension itself; do not edit. Regenerate with\n";
	$out .= " * `make stubs`; `make test-stubs` fails when this file and the extension disagree.\n";
	$out .= " *\n";
	$out .= " * @package Keysmith\n";
	$out .= " */\n\n";
	$out .= "namespace Keysmith;\n";
	foreach ( $functions as $function ) {
		$out .= "\n" . render_function( $function );
	}
	return $out;
}

/** A small line diff (enough to see what drifted). */
function line_diff( string $expected, string $actual ): string {
	$a   = explode( "\n", $expected );
	$b   = explode( "\n", $actual );
	$out = '';
	$max = max( count( $a ), count( $b ) );
	for ( $i = 0; $i < $max; $i++ ) {
		$left  = $a[ $i ] ?? null;
		$right = $b[ $i ] ?? null;
		if ( $left === $right ) {
			continue;
		}
		$out .= sprintf( "@@ line %d\n", $i + 1 );
		if ( null !== $left ) {
			$out .= '- ' . $left . "\n";
		}
		if ( null !== $right ) {
			$out .= '+ ' . $right . "\n";
		}
	}
	return $out;
}

if ( ! extension_loaded( 'keysmith' ) ) {
	fail( 'the keysmith extension is not loaded; run with php -d extension=target/release/libkeysmith.so' );
}

$stub = render_stub( new \ReflectionExtension( 'keysmith' ) );
$args = array_slice( $argv, 1 );

if ( array() === $args ) {
	echo $stub;
	exit( 0 );
}
if ( 2 === count( $args ) && '--check' === $args[0] ) {
	$file = $args[1];
	if ( ! is_file( $file ) ) {
		fwrite( STDERR, "gen-stubs: $file does not exist; generate it with `make stubs`\n" );
		exit( 1 );
	}
	$current = (string) file_get_contents( $file );
	if ( $current === $stub ) {
		echo "gen-stubs: $file matches the extension\n";
		exit( 0 );
	}
	fwrite( STDERR, "gen-stubs: $file differs from the loaded extension (- file, + extension); run `make stubs`\n" );
	fwrite( STDERR, line_diff( $current, $stub ) );
	exit( 1 );
}
fail( 'usage: gen-stubs.php [--check FILE]' );
