<?php
/**
 * Thrown inside the authentication path when Keysmith cannot reproduce WooCommerce's answer
 * (input shapes WooCommerce itself chokes on, a database error, an unreadable nonce store).
 * The authenticator then steps aside and WooCommerce judges the request alone.
 *
 * @package Keysmith
 */

declare(strict_types=1);

namespace Keysmith\Auth;

final class CannotDecide extends \RuntimeException {
}
