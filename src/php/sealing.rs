//! The sealing key as this PHP process holds it, and the `Keysmith\*` functions that use it.
//!
//! The key files are named by two `PHP_INI_SYSTEM` settings, `keysmith.sealing_key_file` and
//! `keysmith.sealing_previous_key_file`, and read once, when the module starts (MINIT). Under
//! PHP-FPM that is the master process, before it starts workers under their own user: the key
//! file can be readable by root only. A value set later (a pool's `php_admin_value`) is never
//! read; the setting belongs in php.ini or conf.d, and a reload reads the files again.
//!
//! The key never leaves this module: no function returns it, and the only function that returns
//! a plaintext secret, `unseal()`, refuses to outside the CLI SAPI (unsealing everything is a
//! command-line job; web requests only ever compare and verify).

#![allow(clippy::needless_pass_by_value)] // ext-php-rs hands arguments over by value.

use std::path::Path;
use std::sync::{PoisonError, RwLock};

use ext_php_rs::boxed::ZBox;
use ext_php_rs::exception::PhpException;
use ext_php_rs::flags::IniEntryPermission;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendCallable, ZendHashTable};
use ext_php_rs::zend::{ExecutorGlobals, IniEntryDef, IniEntryDefs};

use crate::compare;
use crate::error::Error;
use crate::oauth::signature::{signed_with, verify};
use crate::sealing::format::{self, Plaintext, MAX_SECRET_LEN};
use crate::sealing::key::{KeyError, Keyring, SealingKey};

use super::args::{ArrayArg, StrArg};
use super::errors::{core_error, engine_error, no_sealing_key, not_cli, ArgInfo};
use super::params::PhpParams;
use super::zval::PhpBytes;

/// The setting naming the current key's file.
const CURRENT_SETTING: &str = "keysmith.sealing_key_file";
/// The setting naming the previous key's file (during a rotation).
const PREVIOUS_SETTING: &str = "keysmith.sealing_previous_key_file";

/// The settings, registered at module start-up (the engine keeps the table for the process).
static INI: IniEntryDefs<3> = IniEntryDefs::new([
    IniEntryDef::new(
        c"keysmith.sealing_key_file",
        c"",
        IniEntryPermission::System,
    ),
    IniEntryDef::new(
        c"keysmith.sealing_previous_key_file",
        c"",
        IniEntryPermission::System,
    ),
    IniEntryDef::end(),
]);

/// One configured key file and what reading it gave.
struct Slot {
    path: String,
    loaded: Result<[u8; 16], KeyError>,
}

/// The keys read at start-up, and what to report about them.
#[derive(Default)]
struct State {
    keyring: Keyring,
    current: Option<Slot>,
    previous: Option<Slot>,
}

/// Replaced as a whole at each module start-up (a SAPI may start the module again).
static STATE: RwLock<Option<State>> = RwLock::new(None);

/// MINIT: registers the settings and reads the key files they name.
pub extern "C" fn startup(_type: i32, module_number: i32) -> i32 {
    IniEntryDef::register(INI.as_slice(), module_number);
    let ini = ExecutorGlobals::get().ini_values();
    let setting = |name: &str| ini.get(name).cloned().flatten().filter(|p| !p.is_empty());
    let mut state = State::default();
    if let Some(path) = setting(CURRENT_SETTING) {
        let (key, slot) = read(path);
        state.keyring.current = key;
        state.current = Some(slot);
    }
    if let Some(path) = setting(PREVIOUS_SETTING) {
        let (key, slot) = read(path);
        state.keyring.previous = key;
        state.previous = Some(slot);
    }
    *STATE.write().unwrap_or_else(PoisonError::into_inner) = Some(state);
    0 // SUCCESS: a missing key is reported by sealing_status(), never a failed start.
}

fn read(path: String) -> (Option<SealingKey>, Slot) {
    match SealingKey::from_file(Path::new(&path)) {
        Ok(key) => {
            let fingerprint = *key.fingerprint();
            (
                Some(key),
                Slot {
                    path,
                    loaded: Ok(fingerprint),
                },
            )
        }
        Err(e) => (
            None,
            Slot {
                path,
                loaded: Err(e),
            },
        ),
    }
}

/// Runs `f` with the keyring, or throws for `function` when there is no current key.
fn with_keys<T>(
    function: &'static str,
    f: impl FnOnce(&Keyring) -> Result<T, PhpException>,
) -> Result<T, PhpException> {
    let guard = STATE.read().unwrap_or_else(PoisonError::into_inner);
    match guard.as_ref() {
        Some(state) if state.keyring.current.is_some() => f(&state.keyring),
        _ => Err(no_sealing_key(function)),
    }
}

/// The sealed form of `$secret` for the key row whose stored `consumer_key` hash is `$ad`.
#[php_function]
#[php(name = "Keysmith\\seal")]
pub fn seal(secret: StrArg, ad: StrArg) -> Result<PhpBytes<Vec<u8>>, PhpException> {
    const F: &str = "seal";
    let arg = ArgInfo::new(F, 1, "secret");
    let secret = secret.bytes(arg)?;
    let ad = ad.bytes(ArgInfo::new(F, 2, "ad"))?;
    if secret.len() > MAX_SECRET_LEN {
        return Err(core_error(F, Some(arg), &Error::SecretTooLong));
    }
    with_keys(F, |keys| {
        let key = keys.current.as_ref().ok_or_else(|| no_sealing_key(F))?;
        format::seal(key, secret, ad)
            .map(PhpBytes)
            .map_err(|e| core_error(F, Some(arg), &e))
    })
}

/// Whether `$presented` is the secret sealed in `$sealed` (constant time). A value no key
/// opens for this row matches nothing.
#[php_function]
#[php(name = "Keysmith\\sealed_equals")]
pub fn sealed_equals(sealed: StrArg, ad: StrArg, presented: StrArg) -> Result<bool, PhpException> {
    const F: &str = "sealed_equals";
    let arg = ArgInfo::new(F, 1, "sealed");
    let sealed = sealed.bytes(arg)?;
    let ad = ad.bytes(ArgInfo::new(F, 2, "ad"))?;
    let presented = presented.bytes(ArgInfo::new(F, 3, "presented"))?;
    let decoded = format::decode(sealed).map_err(|e| core_error(F, Some(arg), &e))?;
    with_keys(F, |keys| {
        Ok(match format::open_decoded(keys.openers(), &decoded, ad) {
            Ok(secret) => compare::equals(secret.as_bytes(), presented),
            Err(_) => false,
        })
    })
}

/// `oauth_verify()` against the secret sealed in `$sealed`, opened and dropped inside the
/// extension. A value no key opens for this row verifies nothing.
#[php_function]
#[php(name = "Keysmith\\sealed_oauth_verify")]
pub fn sealed_oauth_verify(
    http_method: StrArg,
    url: StrArg,
    params: ArrayArg,
    sealed: StrArg,
    ad: StrArg,
) -> Result<bool, PhpException> {
    const F: &str = "sealed_oauth_verify";
    let http_method = http_method.bytes(ArgInfo::new(F, 1, "http_method"))?;
    let url = url.bytes(ArgInfo::new(F, 2, "url"))?;
    let params_arg = ArgInfo::new(F, 3, "params");
    let params = params.array(params_arg)?;
    let sealed_arg = ArgInfo::new(F, 4, "sealed");
    let sealed = sealed.bytes(sealed_arg)?;
    let ad = ad.bytes(ArgInfo::new(F, 5, "ad"))?;
    let params = PhpParams::from_array(params, params_arg)?;
    let params = params.params();
    signed_with(&params).map_err(|e| core_error(F, Some(params_arg), &e))?;
    let decoded = format::decode(sealed).map_err(|e| core_error(F, Some(sealed_arg), &e))?;
    with_keys(F, |keys| {
        match format::open_decoded(keys.openers(), &decoded, ad) {
            Ok(secret) => verify(http_method, url, &params, secret.as_bytes())
                .map_err(|e| core_error(F, Some(params_arg), &e)),
            Err(_) => Ok(false),
        }
    })
}

/// The plaintext secret of `$sealed`: for the command line only (unsealing every key when
/// sealing is turned off, or re-sealing under a new key). Anywhere else: an `Error`.
#[php_function]
#[php(name = "Keysmith\\unseal")]
pub fn unseal(sealed: StrArg, ad: StrArg) -> Result<PhpBytes<Plaintext>, PhpException> {
    const F: &str = "unseal";
    let sapi = sapi_name();
    if sapi.as_deref() != Some("cli") {
        return Err(not_cli(F, sapi.as_deref().unwrap_or("unknown")));
    }
    let arg = ArgInfo::new(F, 1, "sealed");
    let sealed = sealed.bytes(arg)?;
    let ad = ad.bytes(ArgInfo::new(F, 2, "ad"))?;
    let decoded = format::decode(sealed).map_err(|e| core_error(F, Some(arg), &e))?;
    with_keys(F, |keys| {
        // Copied once, into the PHP string; the opened buffer is zeroed when it is dropped.
        format::open_decoded(keys.openers(), &decoded, ad)
            .map(PhpBytes)
            .map_err(|e| core_error(F, Some(arg), &e))
    })
}

/// The name of the SAPI this process runs under, as `php_sapi_name()` gives it; `None` (which
/// counts as "not the CLI") when it cannot be asked.
fn sapi_name() -> Option<String> {
    let callable = ZendCallable::try_from_name("php_sapi_name").ok()?;
    callable.try_call(vec![]).ok()?.string()
}

/// Where the key comes from and whether it works: never the key itself.
#[php_function]
#[php(name = "Keysmith\\sealing_status")]
pub fn sealing_status() -> Result<ZBox<ZendHashTable>, PhpException> {
    const F: &str = "sealing_status";
    let guard = STATE.read().unwrap_or_else(PoisonError::into_inner);
    let state = guard.as_ref();
    let current = state.and_then(|s| s.current.as_ref());
    let previous = state.and_then(|s| s.previous.as_ref());
    let engine = |e: ext_php_rs::error::Error| engine_error(F, &e);
    let mut out = ZendHashTable::with_capacity(6);
    out.insert(
        "configured",
        current.is_some_and(|slot| slot.loaded.is_ok()),
    )
    .map_err(engine)?;
    out.insert("source", current.map(|_| "ini"))
        .map_err(engine)?;
    slot_fields(&mut out, current).map_err(engine)?;
    match previous {
        None => out.insert("previous", ()).map_err(engine)?,
        Some(slot) => {
            let mut inner = ZendHashTable::with_capacity(3);
            slot_fields(&mut inner, Some(slot)).map_err(engine)?;
            out.insert("previous", inner).map_err(engine)?;
        }
    }
    Ok(out)
}

/// `key_file`, `fingerprint` and `error` of a slot (all null when it is not configured).
fn slot_fields(
    out: &mut ZendHashTable,
    slot: Option<&Slot>,
) -> Result<(), ext_php_rs::error::Error> {
    out.insert("key_file", slot.map(|s| s.path.clone()))?;
    let fingerprint = slot
        .and_then(|s| s.loaded.as_ref().ok())
        .map(|f| String::from_utf8_lossy(f).into_owned());
    out.insert("fingerprint", fingerprint)?;
    let error = slot.and_then(|s| s.loaded.as_ref().err().map(|e| e.describe(&s.path)));
    out.insert("error", error)?;
    Ok(())
}

/// The `php --ri keysmith` rows about the keys: where each comes from and its fingerprint, or
/// why it is unusable.
pub fn info_rows() -> [(&'static str, String); 2] {
    let guard = STATE.read().unwrap_or_else(PoisonError::into_inner);
    let state = guard.as_ref();
    let describe = |slot: Option<&Slot>, setting: &str| match slot {
        None => format!("not configured ({setting})"),
        Some(Slot {
            path,
            loaded: Ok(fingerprint),
        }) => format!(
            "{path} (fingerprint {})",
            String::from_utf8_lossy(fingerprint)
        ),
        Some(Slot {
            path,
            loaded: Err(e),
        }) => e.describe(path),
    };
    [
        (
            "sealing key",
            describe(state.and_then(|s| s.current.as_ref()), CURRENT_SETTING),
        ),
        (
            "previous sealing key",
            describe(state.and_then(|s| s.previous.as_ref()), PREVIOUS_SETTING),
        ),
    ]
}

/// Adds the sealing functions and the start-up that reads the keys.
pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module
        .startup_function(startup)
        .function(wrap_function!(seal))
        .function(wrap_function!(sealed_equals))
        .function(wrap_function!(sealed_oauth_verify))
        .function(wrap_function!(unseal))
        .function(wrap_function!(sealing_status))
}
