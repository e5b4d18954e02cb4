//! WooCommerce's `parse_header()` for `Authorization: OAuth ...` (wc-contract.md §3.4).
//!
//! WooCommerce applies `preg_match_all('/(oauth_[a-z_-]*)=(:?"([^"]*)"|([^,]*))/', ...)`
//! and `urldecode()`s each value. The pattern is simple enough to match by hand, which
//! keeps the crate free of a regex engine and makes its quirks explicit:
//! * only lowercase `oauth_[a-z_-]*` names, anywhere in the header (no word boundary);
//! * the `(:?` typo: an optional literal `:` may precede a quoted value;
//! * a quoted value runs to the next `"`; without a closing quote the unquoted branch
//!   takes everything up to the next `,` (quotes included);
//! * a quoted value that PHP finds `empty()` (`""` or `"0"`) is replaced by the unquoted
//!   group, which did not participate and is therefore `""`;
//! * a repeated name keeps its first position and its last value (PHP array assignment).
//!
//! Nothing is trimmed: the header must start with exactly `OAuth ` (case-sensitive).

use crate::encoding::urldecode;

/// One regex match: the parameter name and the raw (still encoded) value.
struct Match<'h> {
    name: &'h [u8],
    value: &'h [u8],
    end: usize,
}

/// Whether the byte belongs to `[a-z_-]`.
const fn is_name_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b == b'_' || b == b'-'
}

/// Tries the pattern at exactly `start`.
fn match_at(header: &[u8], start: usize) -> Option<Match<'_>> {
    let rest = header.get(start..)?;
    if !rest.starts_with(b"oauth_") {
        return None;
    }
    let name_len = 6 + rest[6..].iter().take_while(|&&b| is_name_byte(b)).count();
    if rest.get(name_len) != Some(&b'=') {
        return None;
    }
    let value_start = start + name_len + 1;
    let after = &header[value_start..];

    // Branch 1: :?"([^"]*)"   (`:?` is greedy, so a leading ':' is tried first).
    let quote_at = match after {
        [b':', b'"', ..] => Some(1),
        [b'"', ..] => Some(0),
        _ => None,
    };
    if let Some(q) = quote_at {
        let body = &after[q + 1..];
        if let Some(close) = body.iter().position(|&b| b == b'"') {
            let quoted = &body[..close];
            // empty($matches[3][$i]) picks the unquoted group, which is "" here.
            let value: &[u8] = if quoted.is_empty() || quoted == b"0" {
                b""
            } else {
                quoted
            };
            return Some(Match {
                name: &rest[..name_len],
                value,
                end: value_start + q + 1 + close + 1,
            });
        }
    }

    // Branch 2: ([^,]*)
    let len = after.iter().position(|&b| b == b',').unwrap_or(after.len());
    Some(Match {
        name: &rest[..name_len],
        value: &after[..len],
        end: value_start + len,
    })
}

/// `WC_REST_Authentication::parse_header($header)`: ordered `name => urldecoded value`.
#[must_use]
pub fn parse_header(header: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut params: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    if !header.starts_with(b"OAuth ") {
        return params;
    }
    let mut pos = 0;
    while pos < header.len() {
        let Some(found) = match_at(header, pos) else {
            pos += 1;
            continue;
        };
        let value = urldecode(found.value);
        match params.iter_mut().find(|(name, _)| name == found.name) {
            Some(existing) => existing.1 = value,
            None => params.push((found.name.to_vec(), value)),
        }
        // A match is never empty ("oauth_=" at least), so this always advances.
        pos = found.end;
    }
    params
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(h: &str) -> Vec<(String, String)> {
        parse_header(h.as_bytes())
            .into_iter()
            .map(|(k, v)| {
                (
                    String::from_utf8_lossy(&k).into_owned(),
                    String::from_utf8_lossy(&v).into_owned(),
                )
            })
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect()
    }

    #[test]
    fn typical_header() {
        assert_eq!(
            parse(
                r#"OAuth realm="x", oauth_consumer_key="ck_1", oauth_signature="a%2Bb%3D", oauth_nonce=n+1"#
            ),
            pairs(&[
                ("oauth_consumer_key", "ck_1"),
                ("oauth_signature", "a+b="),
                ("oauth_nonce", "n 1"),
            ])
        );
    }

    #[test]
    fn prefix_is_exact() {
        assert!(parse(r#" OAuth oauth_nonce="1""#).is_empty());
        assert!(parse(r#"oauth oauth_nonce="1""#).is_empty());
        assert!(parse("OAuth").is_empty());
        assert!(parse("").is_empty());
    }

    #[test]
    fn quirks() {
        // Colon typo, empty-ish quoted values, unterminated quotes, uppercase names,
        // names glued to other text, repeats.
        assert_eq!(
            parse(
                r#"OAuth oauth_a=:"x", oauth_b="0", oauth_c="", oauth_d="open, oauth_E="1", xoauth_f=2,oauth_a="y""#
            ),
            pairs(&[
                ("oauth_a", "y"),
                ("oauth_b", ""),
                ("oauth_c", ""),
                ("oauth_d", "open, oauth_E="),
                ("oauth_f", "2"),
            ])
        );
        assert_eq!(
            parse(r#"OAuth oauth_d="open, oauth_e=2"#),
            pairs(&[("oauth_d", "\"open"), ("oauth_e", "2")])
        );
        assert_eq!(parse("OAuth oauth_x=:y"), pairs(&[("oauth_x", ":y")]));
        assert_eq!(parse("OAuth oauth_=1"), pairs(&[("oauth_", "1")]));
        assert_eq!(parse("OAuth oauth_x"), pairs(&[]));
    }
}
