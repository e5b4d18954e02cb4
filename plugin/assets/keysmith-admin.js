/**
 * Keysmith admin screen (WooCommerce > Settings > Advanced > Bulk key management).
 *
 * Progressive enhancement only: every list, filter and bulk action works without this script.
 * What it adds:
 * - the "Bulk manage" button next to WooCommerce's "Add key" on the REST API keys section;
 * - bulk create and rotate through admin-ajax, with a progress indicator, and the one-time view of
 *   the new secrets rendered from the JSON response only (copy buttons, CSV / JSON downloads built
 *   in the browser from that response). Secrets live in this page's memory, nowhere else: no
 *   storage API, no server-side file.
 *
 * Progress: a create or rotate is ONE request because the store runs it all or nothing. Splitting
 * a batch into chunks would allow a half-done batch (chunk 3 fails after chunks 1-2 committed),
 * which the admin would then have to reconcile; one call keeps the promise "all or nothing". The
 * progress bar is therefore indeterminate, with the elapsed time (10,000 keys take seconds).
 */
( function () {
	'use strict';

	var config = window.keysmithAdmin || {};
	var s = config.strings || {};

	function el( tag, attrs, children ) {
		var node = document.createElement( tag );
		Object.keys( attrs || {} ).forEach( function ( name ) {
			if ( 'text' === name ) {
				node.textContent = attrs[ name ];
			} else if ( 'className' === name ) {
				node.className = attrs[ name ];
			} else {
				node.setAttribute( name, attrs[ name ] );
			}
		} );
		( children || [] ).forEach( function ( child ) {
			node.appendChild( child );
		} );
		return node;
	}

	function format( template, value ) {
		return String( template || '' ).replace( '%s', value );
	}

	// "Creating 1 key…" or "Creating 1,234 keys…": the count decides the sentence, not just the number.
	function progressText( many, one, count ) {
		return 1 === count ? one : format( many, count.toLocaleString() );
	}

	// --- "Bulk manage" beside WooCommerce's "Add key" -----------------------------------------

	function placeBulkManage() {
		var link = document.getElementById( 'keysmith-bulk-manage' );
		if ( ! link ) {
			return;
		}
		var candidates = document.querySelectorAll( '.wrap h1 .page-title-action, .wrap h2 .page-title-action, .wrap h2 .add-new-h2, .wrap h1 ~ .page-title-action' );
		var addKey = null;
		Array.prototype.forEach.call( candidates, function ( a ) {
			if ( ! addKey && /create-key=1/.test( a.getAttribute( 'href' ) || '' ) ) {
				addKey = a;
			}
		} );
		if ( ! addKey ) {
			return; // Keep the plain link under the list.
		}
		var button = el( 'a', { href: link.getAttribute( 'href' ), className: addKey.className + ' keysmith-bulk-manage-action', id: 'keysmith-bulk-manage-action', text: s.bulkManage || link.textContent } );
		addKey.insertAdjacentElement( 'afterend', button );
		addKey.insertAdjacentText( 'afterend', ' ' );
		link.parentNode.parentNode.removeChild( link.parentNode );
	}

	// --- One-time view of new secrets ---------------------------------------------------------

	var COLUMNS = [ 'key_id', 'user_id', 'user_login', 'description', 'permissions', 'consumer_key', 'consumer_secret', 'truncated_key', 'expires_at', 'rotated_from' ];

	function csvCell( value ) {
		var text = null === value || undefined === value ? '' : String( value );
		if ( /^[=+\-@\t\r]/.test( text ) ) {
			text = "'" + text; // Spreadsheet formula guard.
		}
		return /[",\r\n]/.test( text ) ? '"' + text.replace( /"/g, '""' ) + '"' : text;
	}

	function toCsv( keys ) {
		var lines = [ COLUMNS.join( ',' ) ];
		keys.forEach( function ( key ) {
			lines.push( COLUMNS.map( function ( c ) {
				return csvCell( key[ c ] );
			} ).join( ',' ) );
		} );
		return lines.join( '\r\n' ) + '\r\n';
	}

	function toJson( keys ) {
		return JSON.stringify( keys.map( function ( key ) {
			var out = {};
			COLUMNS.forEach( function ( c ) {
				out[ c ] = undefined === key[ c ] ? null : key[ c ];
			} );
			return out;
		} ), null, 2 ) + '\n';
	}

	function download( keys, kind ) {
		var stamp = new Date().toISOString().replace( /[-:]/g, '' ).replace( /\..*$/, '' );
		var blob = 'csv' === kind
			? new Blob( [ toCsv( keys ) ], { type: 'text/csv;charset=utf-8' } )
			: new Blob( [ toJson( keys ) ], { type: 'application/json' } );
		var url = URL.createObjectURL( blob );
		var a = el( 'a', { href: url, download: 'keysmith-keys-' + stamp + '.' + kind } );
		document.body.appendChild( a );
		a.click();
		document.body.removeChild( a );
		setTimeout( function () {
			URL.revokeObjectURL( url );
		}, 10000 );
	}

	function copy( text, button ) {
		var done = function () {
			button.textContent = s.copied || 'Copied';
			setTimeout( function () {
				button.textContent = s.copy || 'Copy';
			}, 1500 );
		};
		if ( navigator.clipboard && window.isSecureContext ) {
			navigator.clipboard.writeText( text ).then( done, function () {
				window.alert( s.copyFailed );
			} );
			return;
		}
		// http:// admin (no Clipboard API): the selection-based fallback.
		var area = el( 'textarea', { readonly: 'readonly', className: 'screen-reader-text' } );
		area.value = text;
		document.body.appendChild( area );
		area.select();
		var ok = false;
		try {
			ok = document.execCommand( 'copy' );
		} catch ( e ) {
			ok = false;
		}
		document.body.removeChild( area );
		if ( ok ) {
			done();
		} else {
			window.alert( s.copyFailed );
		}
	}

	function copyButton( text ) {
		var button = el( 'button', { type: 'button', className: 'button button-small keysmith-copy', text: s.copy || 'Copy' } );
		button.addEventListener( 'click', function () {
			copy( text, button );
		} );
		return button;
	}

	function downloadButtons( keys ) {
		var csv = el( 'button', { type: 'button', className: 'button button-primary', 'data-keysmith-download': 'csv', text: s.downloadCsv } );
		var json = el( 'button', { type: 'button', className: 'button', 'data-keysmith-download': 'json', text: s.downloadJson } );
		csv.addEventListener( 'click', function () {
			download( keys, 'csv' );
		} );
		json.addEventListener( 'click', function () {
			download( keys, 'json' );
		} );
		return el( 'p', { className: 'keysmith-downloads' }, [ csv, document.createTextNode( ' ' ), json ] );
	}

	function renderOneTime( container, keys, origin ) {
		var labels = s.permissionLabels || {};
		var tbody = el( 'tbody' );
		var fragment = document.createDocumentFragment();
		keys.forEach( function ( key ) {
			fragment.appendChild( el( 'tr', {}, [
				el( 'td', { text: key.description } ),
				el( 'td', { text: key.user_login || String( key.user_id ) } ),
				el( 'td', { text: labels[ key.permissions ] || key.permissions } ),
				el( 'td', {}, [ el( 'code', { className: 'keysmith-ck', text: key.consumer_key } ), document.createTextNode( ' ' ), copyButton( key.consumer_key ) ] ),
				el( 'td', {}, [ el( 'code', { className: 'keysmith-cs', text: key.consumer_secret } ), document.createTextNode( ' ' ), copyButton( key.consumer_secret ) ] ),
			] ) );
		} );
		tbody.appendChild( fragment );
		var head = el( 'thead', {}, [ el( 'tr', {}, [ s.description, s.user, s.permissions, s.consumerKey, s.consumerSecret ].map( function ( t ) {
			return el( 'th', { text: t } );
		} ) ) ] );
		var view = el( 'div', { className: 'keysmith-onetime', id: 'keysmith-onetime', 'data-origin': origin }, [
			el( 'div', { className: 'notice notice-warning inline keysmith-secret-warning' }, [ el( 'p', {}, [ el( 'strong', { text: s.warning } ) ] ) ] ),
			downloadButtons( keys ),
			el( 'table', { className: 'widefat striped keysmith-secrets' }, [ head, tbody ] ),
			el( 'p', {}, [ el( 'a', { className: 'button', href: config.bulkManageUrl, text: s.done } ) ] ),
		] );
		container.innerHTML = '';
		container.appendChild( view );
	}

	/** The server-rendered one-time view (no-JS flow reloaded with JS on): add downloads and copy buttons. */
	function enhanceServerOneTime() {
		var data = document.getElementById( 'keysmith-onetime-data' );
		var view = document.getElementById( 'keysmith-onetime' );
		if ( ! data || ! view ) {
			return;
		}
		var keys = JSON.parse( data.textContent );
		var placeholder = view.querySelector( '.keysmith-downloads' );
		placeholder.parentNode.replaceChild( downloadButtons( keys ), placeholder );
		Array.prototype.forEach.call( view.querySelectorAll( 'code.keysmith-ck, code.keysmith-cs' ), function ( code ) {
			code.insertAdjacentElement( 'afterend', copyButton( code.textContent ) );
			code.insertAdjacentText( 'afterend', ' ' );
		} );
	}

	// --- AJAX create / rotate -----------------------------------------------------------------

	function notice( type, message ) {
		var box = document.getElementById( 'keysmith-js-notices' );
		if ( ! box ) {
			return;
		}
		box.innerHTML = '';
		box.appendChild( el( 'div', { className: 'notice notice-' + type + ' inline keysmith-notice', role: 'error' === type ? 'alert' : 'status' }, [ el( 'p', { text: message } ) ] ) );
	}

	function fieldsOf( scope ) {
		var data = new FormData();
		Array.prototype.forEach.call( scope.querySelectorAll( 'input, select, textarea' ), function ( input ) {
			if ( ! input.name || input.disabled || ( ( 'checkbox' === input.type || 'radio' === input.type ) && ! input.checked ) ) {
				return;
			}
			data.append( input.name, input.value );
		} );
		return data;
	}

	function startProgress( text ) {
		var box = document.getElementById( 'keysmith-progress' );
		var label = document.getElementById( 'keysmith-progress-text' );
		var started = Date.now();
		box.hidden = false;
		label.textContent = text;
		var timer = setInterval( function () {
			label.textContent = text + ' ' + format( s.elapsed, Math.round( ( Date.now() - started ) / 1000 ) );
		}, 1000 );
		return function () {
			clearInterval( timer );
			box.hidden = true;
		};
	}

	function submitOneTime( scope, action, submit, progressText, origin ) {
		var data = fieldsOf( scope );
		data.append( 'action', action );
		submit.disabled = true;
		var stop = startProgress( progressText );
		fetch( config.ajaxUrl, { method: 'POST', body: data, credentials: 'same-origin', cache: 'no-store' } )
			.then( function ( response ) {
				return response.json().catch( function () {
					return { success: false, data: { message: response.status + ' ' + response.statusText } };
				} );
			} )
			.then( function ( body ) {
				stop();
				if ( ! body || ! body.success ) {
					submit.disabled = false;
					notice( 'error', ( s.failed || '' ) + ' ' + ( body && body.data && body.data.message ? body.data.message : '' ) );
					return;
				}
				scope.hidden = true;
				notice( 'success', body.data.message );
				renderOneTime( document.getElementById( 'keysmith-result' ), body.data.keys, origin );
				window.scrollTo( 0, 0 );
			} )
			.catch( function () {
				stop();
				submit.disabled = false;
				notice( 'error', s.network );
			} );
	}

	function interceptForms() {
		var screen = document.getElementById( 'keysmith-screen' );
		var form = screen ? screen.closest( 'form' ) : null;
		if ( ! form || ! window.fetch || ! window.FormData ) {
			return;
		}
		form.addEventListener( 'submit', function ( event ) {
			var submitter = event.submitter;
			if ( ! submitter ) {
				return;
			}
			var create = document.getElementById( 'keysmith-create' );
			if ( 'keysmith-create-submit' === submitter.id && create ) {
				if ( ! form.reportValidity() ) {
					return;
				}
				event.preventDefault();
				var users = ( document.getElementById( 'ks_users' ).value.split( /[,\n]+/ ).filter( function ( u ) {
					return u.trim();
				} ).length ) || 1;
				var total = ( parseInt( document.getElementById( 'ks_count' ).value, 10 ) || 0 ) * users;
				submitOneTime( create, config.createAction, submitter, progressText( s.creating, s.creatingOne, total ), 'create' );
				return;
			}
			var confirm = document.getElementById( 'keysmith-confirm' );
			if ( 'keysmith-execute' === submitter.id && confirm && 'rotate' === confirm.getAttribute( 'data-keysmith-onetime' ) ) {
				event.preventDefault();
				submitOneTime( confirm, config.rotateAction, submitter, progressText( s.rotating, s.rotatingOne, Number( confirm.getAttribute( 'data-count' ) ) ), 'rotate' );
			}
		} );
	}

	// --- Filters: show a date box only with the mode that uses it ------------------------------

	function toggleDates() {
		[ [ 'ks_usage', 'unused_since', 'ks_unused_since' ], [ 'ks_expiry', 'before', 'ks_expires_before' ] ].forEach( function ( pair ) {
			var select = document.getElementById( pair[ 0 ] );
			var input = document.getElementById( pair[ 2 ] );
			if ( ! select || ! input ) {
				return;
			}
			var sync = function () {
				input.hidden = select.value !== pair[ 1 ];
			};
			select.addEventListener( 'change', sync );
			sync();
		} );
	}

	/**
	 * WooCommerce's settings script warns "changes you made may be lost" once any input in the
	 * settings page changes, and clears the warning only for its own save button. Filter, Apply and
	 * Confirm are not unsaved settings: clear it for them too.
	 */
	function allowOwnSubmits() {
		var screen = document.getElementById( 'keysmith-screen' );
		if ( ! screen ) {
			return;
		}
		screen.addEventListener( 'click', function ( event ) {
			var target = event.target.closest ? event.target.closest( 'button[type="submit"], input[type="submit"], a' ) : null;
			if ( target ) {
				window.onbeforeunload = null;
			}
		} );
	}

	/**
	 * Leaving the page drops the secrets from the DOM, so the back/forward cache cannot bring them
	 * back: "coming back shows no secret" holds for Back as well as for reload.
	 */
	function forgetSecretsOnLeave() {
		window.addEventListener( 'pagehide', function () {
			[ 'keysmith-onetime', 'keysmith-onetime-data' ].forEach( function ( id ) {
				var node = document.getElementById( id );
				if ( node ) {
					node.parentNode.removeChild( node );
				}
			} );
			var result = document.getElementById( 'keysmith-result' );
			if ( result ) {
				result.innerHTML = '';
			}
			var create = document.getElementById( 'keysmith-create' );
			if ( create ) {
				create.hidden = false;
			}
		} );
	}

	function init() {
		forgetSecretsOnLeave();
		allowOwnSubmits();
		placeBulkManage();
		enhanceServerOneTime();
		interceptForms();
		toggleDates();
	}

	if ( 'loading' === document.readyState ) {
		document.addEventListener( 'DOMContentLoaded', init );
	} else {
		init();
	}
}() );
