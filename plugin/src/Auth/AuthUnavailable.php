<?php
/**
 * Thrown inside the authentication path when Keysmith cannot check a request because something it
 * depends on failed (a database error in the key lookup or the nonce store). The request is then
 * refused (Errors::unavailable()), never handed to a weaker check: WooCommerce alone would not
 * enforce expiry, and its nonce check lets concurrent replays through.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Auth;

final class AuthUnavailable extends \RuntimeException {
}
