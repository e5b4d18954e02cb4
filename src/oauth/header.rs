//! WooCommerce's `parse_header()` for `Authorization: OAuth ...`
//! (docs/woocommerce-compatibility.md §3.4).
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

use std::collections::HashMap;

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

/// Walks the header the way `preg_match_all()` walks the pattern, in linear time even on
/// hostile input (a 10 MB header of `oauth_oauth_...` or of unterminated quotes).
struct Scanner<'h> {
    header: &'h [u8],
    pos: usize,
    /// Last closing-quote search: it started at `.0` and found `.1` (`None`: no quote).
    /// A later search from inside `.0..=.1` has the same answer.
    quote_cache: Option<(usize, Option<usize>)>,
}

impl<'h> Scanner<'h> {
    /// Position of the first `"` at or after `from`.
    fn closing_quote(&mut self, from: usize) -> Option<usize> {
        if let Some((start, found)) = self.quote_cache {
            if from >= start && found.is_none_or(|at| from <= at) {
                return found;
            }
        }
        let found = self.header[from..]
            .iter()
            .position(|&b| b == b'"')
            .map(|i| from + i);
        self.quote_cache = Some((from, found));
        found
    }

    /// Next match at or after the current position.
    fn next_match(&mut self) -> Option<Match<'h>> {
        let header = self.header;
        while self.pos < header.len() {
            let start = self.pos;
            if !header[start..].starts_with(b"oauth_") {
                self.pos += 1;
                continue;
            }
            let name_end = start
                + 6
                + header[start + 6..]
                    .iter()
                    .take_while(|&&b| is_name_byte(b))
                    .count();
            if header.get(name_end) != Some(&b'=') {
                // Any `oauth_` starting inside this run of name bytes ends its name at the
                // same byte, which is not '=': none of them can match either.
                self.pos = name_end.max(start + 1);
                continue;
            }
            let name = &header[start..name_end];
            let value_start = name_end + 1;
            return Some(self.value(name, value_start));
        }
        None
    }

    /// The value after `name=` starting at `at`; moves past the match.
    fn value(&mut self, name: &'h [u8], at: usize) -> Match<'h> {
        let header = self.header;
        // Branch 1: :?"([^"]*)"   (`:?` is greedy, so a leading ':' is tried first).
        let open = match &header[at..] {
            [b':', b'"', ..] => Some(at + 1),
            [b'"', ..] => Some(at),
            _ => None,
        };
        if let Some(open) = open {
            if let Some(close) = self.closing_quote(open + 1) {
                let quoted = &header[open + 1..close];
                // empty($matches[3][$i]) picks the unquoted group, which is "" here.
                let value: &[u8] = if quoted.is_empty() || quoted == b"0" {
                    b""
                } else {
                    quoted
                };
                self.pos = close + 1;
                return Match {
                    name,
                    value,
                    end: close + 1,
                };
            }
        }
        // Branch 2: ([^,]*)
        let len = header[at..]
            .iter()
            .position(|&b| b == b',')
            .unwrap_or(header.len() - at);
        self.pos = at + len;
        Match {
            name,
            value: &header[at..at + len],
            end: at + len,
        }
    }
}

/// `WC_REST_Authentication::parse_header($header)`: ordered `name => urldecoded value`.
#[must_use]
pub fn parse_header(header: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut params: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    if !header.starts_with(b"OAuth ") {
        return params;
    }
    // Name -> index in `params`, so a header with a million distinct names stays linear.
    let mut index: HashMap<&[u8], usize> = HashMap::new();
    let mut scanner = Scanner {
        header,
        pos: 0,
        quote_cache: None,
    };
    while let Some(found) = scanner.next_match() {
        debug_assert!(found.end > 0);
        let value = urldecode(found.value);
        match index.get(found.name) {
            Some(&at) => params[at].1 = value,
            None => {
                index.insert(found.name, params.len());
                params.push((found.name.to_vec(), value));
            }
        }
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
        assert_eq!(
            parse("OAuth oauth_oauth_a=1, oauth_b=\"x\""),
            pairs(&[("oauth_oauth_a", "1"), ("oauth_b", "x")])
        );
    }

    #[test]
    fn hostile_headers_parse_in_linear_time() {
        // 2 MB of each pattern: linear parsing takes milliseconds, a quadratic scan hours.
        // The bound is loose so that a busy machine or a debug build cannot trip it.
        let n = 2_000_000;
        let mut distinct = b"OAuth ".to_vec();
        let mut i = 0u32;
        while distinct.len() < n {
            distinct.extend_from_slice(b"oauth_");
            for digit in i.to_string().bytes() {
                distinct.push(b'a' + (digit - b'0'));
            }
            distinct.extend_from_slice(b"=1,");
            i += 1;
        }
        for unit in ["oauth_", "oauth_a=\"", "oauth_a=:\"x,", "oauth_a=,", ""] {
            let mut header = b"OAuth ".to_vec();
            while !unit.is_empty() && header.len() < n {
                header.extend_from_slice(unit.as_bytes());
            }
            if unit.is_empty() {
                header.clone_from(&distinct);
            }
            let started = std::time::Instant::now();
            let _ = parse_header(&header);
            assert!(
                started.elapsed() < std::time::Duration::from_secs(10),
                "{unit} took {:?}",
                started.elapsed()
            );
        }
    }
}
