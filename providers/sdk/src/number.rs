//! Numbers of the configuration language: an exact integer or a 64-bit float.
//!
//! Terraform keeps every number as an arbitrary-precision binary float (cty's 512-bit
//! `big.Float`), so an AWS account id, a 64-bit hash or `9223372036854775807` survives parsing,
//! arithmetic and printing digit for digit. Plinth keeps integers exactly instead: every integer
//! in `[-2^63, 2^64)` (the range of `i64` and `u64`, what JSON, YAML and providers exchange) is
//! held as an integer, and only other numbers are `f64`. The two forms are canonical: an `f64`
//! that is a whole number in that range is always turned into the integer, so equality and
//! ordering are by value (`1 == 1.0`) and a value has one printed form.
//!
//! Arithmetic on integers is exact (checked, in `i128`); a result outside the integer range
//! falls back to `f64`. Fractional arithmetic is `f64`, with one correction so that results print
//! as Terraform prints them: Terraform's 512-bit arithmetic gives `0.1 + 0.2 = 0.3` where `f64`
//! gives `0.30000000000000004`, so an operator's fractional result that lies within one unit in
//! the last place of a decimal of at most 15 significant digits is taken to be that decimal (see
//! [`snap_decimal`]). Printing follows Terraform's `big.Float.Text('f', -1)`: no exponent, no
//! trailing `.0`, the shortest digits that read back as the same number.
//!
//! This module knows nothing of [`Value`](crate::Value); the value module wraps a [`Number`].

use std::cmp::Ordering;
use std::fmt;

/// The smallest integer kept exactly: `i64::MIN`.
const INT_MIN: i128 = i64::MIN as i128;
/// The largest integer kept exactly: `u64::MAX`.
const INT_MAX: i128 = u64::MAX as i128;

/// A number: an exact integer in `[-2^63, 2^64)` or an `f64` (which is then not such an integer).
#[derive(Clone, Copy)]
pub struct Number(Repr);

#[derive(Clone, Copy, Debug)]
enum Repr {
    /// Always within `INT_MIN..=INT_MAX`.
    Int(i128),
    /// Never a whole number within the integer range (those are `Int`), never `-0.0`.
    Float(f64),
}

impl Number {
    /// The number `n`, kept exactly when it lies in `[-2^63, 2^64)`, otherwise as the nearest `f64`.
    pub fn from_i128(n: i128) -> Number {
        if (INT_MIN..=INT_MAX).contains(&n) {
            Number(Repr::Int(n))
        } else {
            Number(Repr::Float(n as f64))
        }
    }

    /// The number `x`; a whole `x` within the integer range becomes an exact integer (so `2.0`
    /// and `2` are one number), and `-0.0` becomes `0`.
    pub fn from_f64(x: f64) -> Number {
        // `as i128` saturates, and INT_MAX + 1 = 2^64 is exactly representable: the bounds test
        // is done on the float so a value just past the range is not clamped into it.
        if x.fract() == 0.0 && x >= INT_MIN as f64 && x < 18_446_744_073_709_551_616.0 {
            Number(Repr::Int(x as i128))
        } else {
            Number(Repr::Float(x))
        }
    }

    /// Parses a number as Terraform reads one from a string (`tonumber`, numeric strings in
    /// arithmetic): decimal, optional sign, fraction and exponent. Integers, including ones
    /// written with a fraction of zeros or an exponent (`1e3`, `2.50e1`), are read exactly.
    pub fn parse(text: &str) -> Option<Number> {
        let body = text.strip_prefix(['+', '-']).unwrap_or(text);
        let first = body.chars().next()?;
        if !(first.is_ascii_digit() || first == '.') {
            return None;
        }
        if !body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
        {
            return None;
        }
        if let Some(n) = parse_exact_integer(text) {
            return Some(Number::from_i128(n));
        }
        text.parse::<f64>().ok().filter(|x| x.is_finite()).map(Number::from_f64)
    }

    /// The number as an `f64` (rounded when it is an integer beyond 2^53).
    pub fn as_f64(self) -> f64 {
        match self.0 {
            Repr::Int(n) => n as f64,
            Repr::Float(x) => x,
        }
    }

    /// The number as an `i64`, when it is a whole number that fits.
    pub fn as_i64(self) -> Option<i64> {
        self.as_i128().and_then(|n| i64::try_from(n).ok())
    }

    /// The number as a `u64`, when it is a whole number that fits.
    pub fn as_u64(self) -> Option<u64> {
        self.as_i128().and_then(|n| u64::try_from(n).ok())
    }

    /// The number as an exact integer, when it is one of the integers kept exactly.
    pub fn as_i128(self) -> Option<i128> {
        match self.0 {
            Repr::Int(n) => Some(n),
            Repr::Float(_) => None,
        }
    }

    /// Whether the number is a whole number (an exact integer, or a float without fraction
    /// beyond the integer range).
    pub fn is_whole(self) -> bool {
        match self.0 {
            Repr::Int(_) => true,
            Repr::Float(x) => x.is_finite() && x.fract() == 0.0,
        }
    }

    pub fn is_finite(self) -> bool {
        match self.0 {
            Repr::Int(_) => true,
            Repr::Float(x) => x.is_finite(),
        }
    }

    pub fn is_zero(self) -> bool {
        matches!(self.0, Repr::Int(0))
    }

    /// Whether the number is below zero.
    pub fn is_negative(self) -> bool {
        match self.0 {
            Repr::Int(n) => n < 0,
            Repr::Float(x) => x < 0.0,
        }
    }

    /// The operands as integers when both are, else as floats.
    fn pair(self, other: Number) -> Result<(i128, i128), (f64, f64)> {
        match (self.0, other.0) {
            (Repr::Int(a), Repr::Int(b)) => Ok((a, b)),
            _ => Err((self.as_f64(), other.as_f64())),
        }
    }

    /// An operator's result: exact when the integer operation did not overflow, else `f64`
    /// arithmetic, snapped to a short decimal.
    fn arith(self, other: Number, int: impl Fn(i128, i128) -> Option<i128>, float: impl Fn(f64, f64) -> f64) -> Number {
        match self.pair(other) {
            Ok((a, b)) => match int(a, b) {
                Some(n) => Number::from_i128(n),
                None => Number::from_f64(snap_decimal(float(a as f64, b as f64))),
            },
            Err((a, b)) => Number::from_f64(snap_decimal(float(a, b))),
        }
    }

    /// `|self|`.
    pub fn abs(self) -> Number {
        if self.is_negative() { -self } else { self }
    }

    /// The smallest whole number not below `self`.
    pub fn ceil(self) -> Number {
        match self.0 {
            Repr::Int(_) => self,
            Repr::Float(x) => Number::from_f64(x.ceil()),
        }
    }

    /// The largest whole number not above `self`.
    pub fn floor(self) -> Number {
        match self.0 {
            Repr::Int(_) => self,
            Repr::Float(x) => Number::from_f64(x.floor()),
        }
    }

    /// `self` raised to `exp`: exact for an integer base and a non-negative integer exponent
    /// while the result stays in the integer range, else `f64` (as Terraform's `pow`, which uses
    /// Go's `math.Pow`).
    pub fn pow(self, exp: Number) -> Number {
        if let (Some(base), Some(e)) = (self.as_i128(), exp.as_i128())
            && let Ok(e) = u32::try_from(e)
            && let Some(n) = base.checked_pow(e)
        {
            return Number::from_i128(n);
        }
        Number::from_f64(self.as_f64().powf(exp.as_f64()))
    }

    /// A total order (by value; NaN after everything), for sorting sets.
    pub fn total_cmp(&self, other: &Number) -> Ordering {
        match (self.0, other.0) {
            (Repr::Int(a), Repr::Int(b)) => a.cmp(&b),
            (Repr::Float(a), Repr::Float(b)) => a.total_cmp(&b),
            (Repr::Int(a), Repr::Float(b)) => cmp_int_float(a, b),
            (Repr::Float(a), Repr::Int(b)) => cmp_int_float(b, a).reverse(),
        }
    }

    /// JSON for the number: integers as JSON integers, digit for digit; other finite numbers as
    /// JSON floats; NaN and infinities (which JSON cannot hold) as `null`.
    pub fn to_json(self) -> serde_json::Value {
        match self.0 {
            Repr::Int(n) => match (i64::try_from(n), u64::try_from(n)) {
                (Ok(i), _) => serde_json::Value::from(i),
                (_, Ok(u)) => serde_json::Value::from(u),
                // Unreachable by the invariant; a float keeps the value approximately.
                _ => serde_json::Value::from(n as f64),
            },
            Repr::Float(x) => serde_json::Number::from_f64(x)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
        }
    }

    /// The number from a JSON number: integers (`i64`/`u64`) exactly, others as `f64`.
    pub fn from_json(n: &serde_json::Number) -> Number {
        if let Some(i) = n.as_i64() {
            Number::from(i)
        } else if let Some(u) = n.as_u64() {
            Number::from(u)
        } else {
            Number::from_f64(n.as_f64().unwrap_or(f64::NAN))
        }
    }
}

/// Orders an exact integer against a float that is not one (by the invariant the float is not a
/// whole number inside the integer range, so they are never equal unless the float is NaN).
fn cmp_int_float(a: i128, b: f64) -> Ordering {
    if b.is_nan() {
        return Ordering::Less;
    }
    // Beyond ±2^64 the float is outside the integer range entirely; inside, comparing with its
    // floor (exact in i128) decides.
    if b >= 18_446_744_073_709_551_616.0 {
        Ordering::Less
    } else if b < INT_MIN as f64 {
        Ordering::Greater
    } else {
        let fl = b.floor() as i128;
        if a <= fl { Ordering::Less } else { Ordering::Greater }
    }
}

/// The integer `text` spells, read without a float round trip: digits with an optional sign,
/// fraction and exponent, when the value is whole and fits in `i128`.
fn parse_exact_integer(text: &str) -> Option<i128> {
    let (neg, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (mantissa, exp) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], body[i + 1..].parse::<i32>().ok()?),
        None => (body, 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    if !int_part.bytes().chain(frac_part.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut digits: String = format!("{int_part}{frac_part}");
    let mut scale = i64::from(exp) - frac_part.len() as i64;
    while scale < 0 && digits.ends_with('0') {
        digits.pop();
        scale += 1;
    }
    if scale < 0 {
        return None;
    }
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return Some(0);
    }
    if digits.len() as i64 + scale > 38 {
        return None;
    }
    let mut n: i128 = digits.parse().ok()?;
    for _ in 0..scale {
        n = n.checked_mul(10)?;
    }
    Some(if neg { -n } else { n })
}

/// `x`, or the decimal of at most 15 significant digits nearest to it when that decimal lies
/// within one unit in the last place (ulp) of `x`.
///
/// Why: Terraform does arithmetic in 512-bit precision, so `0.1 + 0.2` is `0.3` and `0.1 * 1.5`
/// is `0.15`. In `f64` those are `0.30000000000000004` and `0.15000000000000002`: one ulp from
/// the decimal answer, the rounding error of one operation on decimal operands. Fifteen digits is
/// the most every decimal keeps through an `f64` round trip. A result genuinely needing more
/// digits (`1 / 3`) is several ulps from its 15-digit rounding and is kept as it is, so `1 / 3 *
/// 3` is still `1`.
pub fn snap_decimal(x: f64) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    let Ok(short) = format!("{x:.14e}").parse::<f64>() else {
        return x;
    };
    if short == x {
        return x;
    }
    let a = x.abs();
    let ulp = f64::from_bits(a.to_bits() + 1) - a;
    if (short - x).abs() <= ulp { short } else { x }
}

/// `+`: exact for integers (falling back to `f64` past the integer range), else `f64` snapped
/// to a short decimal.
impl std::ops::Add for Number {
    type Output = Number;
    fn add(self, other: Number) -> Number {
        self.arith(other, i128::checked_add, |a, b| a + b)
    }
}

/// `-` (binary), as `+`.
impl std::ops::Sub for Number {
    type Output = Number;
    fn sub(self, other: Number) -> Number {
        self.arith(other, i128::checked_sub, |a, b| a - b)
    }
}

/// `*`, as `+`.
impl std::ops::Mul for Number {
    type Output = Number;
    fn mul(self, other: Number) -> Number {
        self.arith(other, i128::checked_mul, |a, b| a * b)
    }
}

/// `/`: an integer when the division is exact (`10 / 2` is `5`), else a float (`5 / 2` is
/// `2.5`). Dividing by zero gives an infinity; callers that must refuse it check
/// [`Number::is_zero`] first.
impl std::ops::Div for Number {
    type Output = Number;
    fn div(self, other: Number) -> Number {
        self.arith(
            other,
            |a, b| if b != 0 && a % b == 0 { a.checked_div(b) } else { None },
            |a, b| a / b,
        )
    }
}

/// `%`: the remainder of truncating division, with the sign of the dividend, as Terraform's.
impl std::ops::Rem for Number {
    type Output = Number;
    fn rem(self, other: Number) -> Number {
        self.arith(other, i128::checked_rem, |a, b| a % b)
    }
}

/// Unary `-`.
impl std::ops::Neg for Number {
    type Output = Number;
    fn neg(self) -> Number {
        match self.0 {
            Repr::Int(n) => Number::from_i128(-n),
            Repr::Float(x) => Number::from_f64(-x),
        }
    }
}

impl PartialEq for Number {
    /// By value: `1 == 1.0` (both are the integer 1). NaN equals nothing.
    fn eq(&self, other: &Number) -> bool {
        match (self.0, other.0) {
            (Repr::Int(a), Repr::Int(b)) => a == b,
            (Repr::Float(a), Repr::Float(b)) => a == b,
            _ => false,
        }
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Number) -> Option<Ordering> {
        match (self.0, other.0) {
            (Repr::Float(a), _) if a.is_nan() => None,
            (_, Repr::Float(b)) if b.is_nan() => None,
            _ => Some(self.total_cmp(other)),
        }
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

impl fmt::Display for Number {
    /// As Terraform prints a number (`big.Float.Text('f', -1)`): integers digit for digit, other
    /// numbers in the shortest decimal that reads back as the same `f64`, never in exponent
    /// notation (so 2^64, a float, is `18446744073709552000`, as Terraform prints a float64 2^64);
    /// infinities as Go writes them (`+Inf`, `-Inf`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Repr::Int(n) => write!(f, "{n}"),
            Repr::Float(x) if x.is_nan() => write!(f, "NaN"),
            Repr::Float(x) if x.is_infinite() => write!(f, "{}", if x > 0.0 { "+Inf" } else { "-Inf" }),
            // Rust's `{}` for f64 is the shortest round-trip digits, without exponent.
            Repr::Float(x) => write!(f, "{x}"),
        }
    }
}

impl From<i64> for Number {
    fn from(n: i64) -> Number {
        Number(Repr::Int(i128::from(n)))
    }
}

impl From<u64> for Number {
    fn from(n: u64) -> Number {
        Number(Repr::Int(i128::from(n)))
    }
}

impl From<i32> for Number {
    fn from(n: i32) -> Number {
        Number(Repr::Int(i128::from(n)))
    }
}

impl From<u32> for Number {
    fn from(n: u32) -> Number {
        Number(Repr::Int(i128::from(n)))
    }
}

impl From<usize> for Number {
    fn from(n: usize) -> Number {
        Number::from_i128(n as i128)
    }
}

impl From<f64> for Number {
    fn from(x: f64) -> Number {
        Number::from_f64(x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Number {
        Number::parse(s).unwrap_or_else(|| panic!("{s} should parse"))
    }

    #[test]
    fn integers_up_to_u64_are_exact() {
        assert_eq!(p("9223372036854775807").to_string(), "9223372036854775807");
        assert_eq!(p("-9223372036854775808").to_string(), "-9223372036854775808");
        assert_eq!(p("18446744073709551615").to_string(), "18446744073709551615");
        assert_eq!(p("9223372036854775807").as_i64(), Some(i64::MAX));
        assert_eq!(p("18446744073709551615").as_u64(), Some(u64::MAX));
        assert_eq!(p("9007199254740993").to_string(), "9007199254740993");
        assert_eq!(p("1e3").as_i64(), Some(1000));
        assert_eq!(p("2.50e1").as_i64(), Some(25));
        assert_eq!(p("12.000").as_i64(), Some(12));
        // Past u64 a number is a float: 17 significant digits, printed without exponent.
        assert_eq!(p("18446744073709551616").to_string(), "18446744073709552000");
        assert_eq!(p("1e21").to_string(), "1000000000000000000000");
    }

    #[test]
    fn integer_arithmetic_is_exact_and_falls_back_to_float_on_overflow() {
        let max = p("9223372036854775807");
        assert_eq!((max - Number::from(1)).to_string(), "9223372036854775806");
        assert_eq!((max + Number::from(1)).to_string(), "9223372036854775808");
        assert_eq!((max + max + Number::from(1)).to_string(), "18446744073709551615");
        let big = Number::from(u64::MAX) + Number::from(1);
        assert_eq!(big.to_string(), "18446744073709552000");
        assert_eq!(big.as_i128(), None);
        assert_eq!(
            (Number::from(u64::MAX) * Number::from(u64::MAX)).as_f64(),
            3.402_823_669_209_385e38
        );
    }

    #[test]
    fn division_is_integral_when_exact() {
        assert_eq!((Number::from(10) / Number::from(2)).to_string(), "5");
        assert_eq!((Number::from(5) / Number::from(2)).to_string(), "2.5");
        assert_eq!((Number::from(1) / Number::from(3)).to_string(), "0.3333333333333333");
        assert_eq!((Number::from(7) % Number::from(3)).to_string(), "1");
        assert_eq!((Number::from(-7) % Number::from(3)).to_string(), "-1");
        assert!((Number::from(1) / Number::from(0)).as_f64().is_infinite());
    }

    #[test]
    fn fractional_results_print_as_terraform_prints_them() {
        assert_eq!((p("0.1") + p("0.2")).to_string(), "0.3");
        assert_eq!((p("0.1") * p("1.5")).to_string(), "0.15");
        assert_eq!((p("0.7") + p("0.1")).to_string(), "0.8");
        assert_eq!((p("100") * p("1.1")).to_string(), "110");
        assert_eq!(p("0.1") + p("0.2"), p("0.3"));
        let third = Number::from(1) / Number::from(3);
        assert_eq!(third * Number::from(3), Number::from(1));
        assert_eq!(p("2.5").to_string(), "2.5");
        assert_eq!(p("-0.0").to_string(), "0");
        assert_eq!(p("0.0000001").to_string(), "0.0000001");
        assert_eq!(Number::from_f64(f64::INFINITY).to_string(), "+Inf");
    }

    #[test]
    fn equality_and_order_are_by_value() {
        assert_eq!(Number::from_f64(1.0), Number::from(1));
        assert_eq!(Number::from_f64(4e18), Number::from(4_000_000_000_000_000_000u64));
        assert_ne!(p("9007199254740993"), p("9007199254740992"));
        assert_eq!(Number::from(2).total_cmp(&p("2.5")), Ordering::Less);
        assert_eq!(p("2.5").total_cmp(&Number::from(2)), Ordering::Greater);
        assert_eq!(Number::from(-3).total_cmp(&p("-2.5")), Ordering::Less);
        assert_eq!(Number::from(u64::MAX).total_cmp(&p("1e20")), Ordering::Less);
        assert_eq!(Number::from(i64::MIN).total_cmp(&p("-1e20")), Ordering::Greater);
        assert!(Number::from_f64(f64::NAN).partial_cmp(&Number::from(1)).is_none());
    }

    #[test]
    fn pow_is_exact_for_integers() {
        assert_eq!(Number::from(3).pow(Number::from(39)).to_string(), "4052555153018976267");
        // As Terraform's `pow` (Go's math.Pow) prints it.
        assert_eq!(
            Number::from(2).pow(Number::from(64)).to_string(),
            "18446744073709552000"
        );
        assert_eq!(Number::from(2).pow(Number::from(63)).to_string(), "9223372036854775808");
        assert_eq!(Number::from(2).pow(Number::from(-1)).to_string(), "0.5");
        assert_eq!(p("1.5").pow(Number::from(2)).to_string(), "2.25");
    }

    #[test]
    fn json_keeps_integers_exact() {
        assert_eq!(Number::from(u64::MAX).to_json().to_string(), "18446744073709551615");
        assert_eq!(Number::from(i64::MIN).to_json().to_string(), "-9223372036854775808");
        assert_eq!(Number::from_f64(3.0).to_json().to_string(), "3");
        assert_eq!(p("2.5").to_json().to_string(), "2.5");
        let back = |s: &str| Number::from_json(&serde_json::from_str(s).expect("json")).to_string();
        assert_eq!(back("18446744073709551615"), "18446744073709551615");
        assert_eq!(back("-9223372036854775808"), "-9223372036854775808");
        assert_eq!(back("0.30000000000000004"), "0.30000000000000004");
        assert_eq!(back("1.0"), "1");
        // serde_json writes floats of 1e16 and more, or below 1e-5, with an exponent (the same number;
        // docs/language.md says so).
        assert_eq!(p("1e21").to_json().to_string(), "1e+21");
        assert_eq!(p("0.0000001").to_json().to_string(), "1e-7");
        assert_eq!(back("1e21"), "1000000000000000000000");
    }

    #[test]
    fn parse_rejects_what_terraform_rejects() {
        assert!(Number::parse("").is_none());
        assert!(Number::parse("abc").is_none());
        assert!(Number::parse("0x10").is_none());
        assert!(Number::parse("inf").is_none());
        assert!(Number::parse("1e400").is_none());
        assert_eq!(p(".5").to_string(), "0.5");
        assert_eq!(p("+7").to_string(), "7");
    }
}
