//! Hands an oracle's PHP array to the crate under test, as the crate's parameter type (the
//! flat, depth-first list the PHP binding builds). Only the input crosses here; nothing
//! the tests compare is computed with the crate's help.

use keysmith::oauth::params::{Key, Params, Value};

use super::php_array::{PhpArray, PhpKey, PhpValue};

/// The crate's form of `array`, borrowing its keys and values.
pub fn params(array: &PhpArray) -> Params<'_> {
    let mut out = Params::default();
    push_all(array, &mut out);
    out
}

fn push_all<'a>(array: &'a PhpArray, out: &mut Params<'a>) {
    for (key, value) in &array.0 {
        let key = match key {
            PhpKey::Int(n) => Key::Int(*n),
            PhpKey::Str(s) => Key::Str(s),
        };
        match value {
            PhpValue::Str(s) => out.push(key, Value::Str(s)),
            PhpValue::Int(n) => out.push(key, Value::Int(*n)),
            PhpValue::Array(inner) => {
                out.push(
                    key,
                    Value::Array {
                        children: inner.0.len(),
                        descendants: descendants(inner),
                    },
                );
                push_all(inner, out);
            }
        }
    }
}

/// All elements below `array`, at every level.
fn descendants(array: &PhpArray) -> usize {
    array
        .0
        .iter()
        .map(|(_, value)| match value {
            PhpValue::Array(inner) => 1 + descendants(inner),
            _ => 1,
        })
        .sum()
}
