//! Kubernetes resource quantities (`500m`, `1`, `1Gi`, `1024Mi`, `1e3`) compared by value.
//!
//! The API server stores a quantity in its canonical form (`1000m` reads back as `1`, `0.5` as
//! `500m`), so the text a configuration wrote and the text the server returns differ while the
//! amounts agree. [`same`] tells whether two texts are one amount, exactly (no floating point):
//! the fields mapping then keeps the configuration's spelling and the plan shows no change.
//!
//! This is a small exact parser rather than a dependency: the crates that parse quantities pull in
//! a decimal library and pin their own `k8s-openapi`, for the one question "are these equal".

/// An amount as `mantissa × 10^pow10 × 2^pow2` (non-negative exponents of two only: binary
/// suffixes are multipliers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Amount {
    negative: bool,
    mantissa: u128,
    pow10: i32,
    pow2: u32,
}

/// Parses a quantity (`<sign><digits>[.<digits>][suffix]`, suffix a binary `Ki`..`Ei`, a decimal
/// `n u m k M G T P E` or an exponent `e3`/`E-2`). `None` when it is not one.
fn parse(text: &str) -> Option<Amount> {
    let s = text.trim();
    let (negative, s) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let number_end = s.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(s.len());
    let (number, suffix) = s.split_at(number_end);
    let (whole, frac) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && frac.is_empty() || frac.contains('.') {
        return None;
    }
    let mut mantissa: u128 = 0;
    for b in whole.bytes().chain(frac.bytes()) {
        mantissa = mantissa.checked_mul(10)?.checked_add(u128::from(b - b'0'))?;
    }
    let mut pow10 = -i32::try_from(frac.len()).ok()?;
    let mut pow2 = 0;
    match suffix {
        "" => {}
        "Ki" => pow2 = 10,
        "Mi" => pow2 = 20,
        "Gi" => pow2 = 30,
        "Ti" => pow2 = 40,
        "Pi" => pow2 = 50,
        "Ei" => pow2 = 60,
        "n" => pow10 -= 9,
        "u" => pow10 -= 6,
        "m" => pow10 -= 3,
        "k" => pow10 += 3,
        "M" => pow10 += 6,
        "G" => pow10 += 9,
        "T" => pow10 += 12,
        "P" => pow10 += 15,
        "E" => pow10 += 18,
        e if e.starts_with(['e', 'E']) => {
            let exp: i32 = e[1..].parse().ok()?;
            pow10 = pow10.checked_add(exp)?;
        }
        _ => return None,
    }
    Some(Amount {
        negative: negative && mantissa != 0,
        mantissa,
        pow10,
        pow2,
    })
}

/// `m × 10^e` as an integer, `None` when it overflows.
fn scale10(m: u128, e: u32) -> Option<u128> {
    m.checked_mul(10u128.checked_pow(e)?)
}

impl Amount {
    /// Both amounts over a common denominator: `(numerator of self, numerator of other)`.
    fn common(self, other: Amount) -> Option<(u128, u128)> {
        let low10 = self.pow10.min(other.pow10);
        let low2 = self.pow2.min(other.pow2);
        let num = |a: Amount| -> Option<u128> {
            let m = scale10(a.mantissa, u32::try_from(a.pow10 - low10).ok()?)?;
            m.checked_mul(1u128.checked_shl(a.pow2 - low2)?)
        };
        Some((num(self)?, num(other)?))
    }
}

/// Whether `a` and `b` are the same quantity (`"1000m"` and `"1"`, `"1Gi"` and `"1024Mi"`).
/// Text that is not a quantity is equal only to the same text.
pub fn same(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    match (parse(a), parse(b)) {
        (Some(x), Some(y)) => {
            if x.mantissa == 0 && y.mantissa == 0 {
                return true;
            }
            x.negative == y.negative && x.common(y).is_some_and(|(p, q)| p == q)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_servers_canonical_forms_equal_what_was_written() {
        for (a, b) in [
            ("1000m", "1"),
            ("0.5", "500m"),
            (".5", "500m"),
            ("1Gi", "1024Mi"),
            ("1Mi", "1048576"),
            ("1k", "1000"),
            ("1e3", "1k"),
            ("1.5Gi", "1536Mi"),
            ("100", "100"),
            ("0", "0m"),
            ("2E-3", "2m"),
            ("+1", "1"),
            ("1G", "1000M"),
            ("250000u", "250m"),
        ] {
            assert!(same(a, b), "{a} = {b}");
            assert!(same(b, a), "{b} = {a}");
        }
    }

    #[test]
    fn different_amounts_or_non_quantities_differ() {
        for (a, b) in [
            ("1", "2"),
            ("1Gi", "1G"),
            ("100m", "1"),
            ("-1", "1"),
            ("1x", "1"),
            ("", "0"),
            ("abc", "abd"),
            ("1.2.3", "1"),
            ("1e999", "1"),
        ] {
            assert!(!same(a, b), "{a} != {b}");
        }
        assert!(
            same("abc", "abc"),
            "identical text is equal even when it is no quantity"
        );
    }

    #[test]
    fn parse_reads_mantissa_and_exponents() {
        assert_eq!(
            parse("1.5Gi"),
            Some(Amount {
                negative: false,
                mantissa: 15,
                pow10: -1,
                pow2: 30
            })
        );
        assert_eq!(parse("Gi"), None);
        assert_eq!(parse("."), None);
    }
}
