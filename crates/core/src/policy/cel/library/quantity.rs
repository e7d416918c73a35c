//! Kubernetes' quantity library: `quantity()`, `isQuantity()` and the
//! comparisons and arithmetic of `resource.Quantity`.
//!
//! A quantity is held exactly, as `coefficient × 10^exponent` (binary
//! suffixes are whole multiples, so they convert exactly); values whose
//! digits do not fit in 30 decimal places are refused as out of range.

use std::cmp::Ordering;

use cel::common::types::{CelDouble, CelInt, INT_TYPE, STRING_TYPE};
use cel::common::value::CowVal;
use cel::{DeclarationError, Env};

use super::support::{arg, bool_out, fail, int_arg, int_out, opaque_value, string_arg, Out};

/// An exact decimal: `coefficient × 10^exponent`, with no trailing zeros in
/// the coefficient (so equal values are equal structs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Quantity {
    coefficient: i128,
    exponent: i32,
}

opaque_value!(Quantity, QUANTITY_TYPE, "kubernetes.Quantity");

/// Coefficients stay below 10^30, so that two aligned ones still fit in an i128.
const MAX_COEFFICIENT: i128 = 1_000_000_000_000_000_000_000_000_000_000;
const MAX_EXPONENT: i32 = 60;

impl Quantity {
    fn new(coefficient: i128, exponent: i32) -> Option<Quantity> {
        let (mut coefficient, mut exponent) = (coefficient, i64::from(exponent));
        while coefficient != 0 && coefficient % 10 == 0 {
            coefficient /= 10;
            exponent += 1;
        }
        if coefficient == 0 {
            exponent = 0;
        }
        let exponent = i32::try_from(exponent).ok().filter(|e| e.unsigned_abs() <= MAX_EXPONENT as u32)?;
        (coefficient.unsigned_abs() < MAX_COEFFICIENT as u128).then_some(Quantity { coefficient, exponent })
    }

    /// Reads a quantity as Kubernetes writes them: a signed decimal number and
    /// a suffix (`Ki`..`Ei`, `n` `u` `m` `k` `M` `G` `T` `P` `E`, or `e`/`E`
    /// and a signed exponent).
    pub(crate) fn parse(text: &str) -> Result<Quantity, &'static str> {
        const WRONG: &str =
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
        let bytes = text.as_bytes();
        let mut at = 0;
        let mut negative = false;
        if let Some(&sign) = bytes.first() {
            if sign == b'+' || sign == b'-' {
                negative = sign == b'-';
                at = 1;
            }
        }
        let mut coefficient: i128 = 0;
        let mut exponent: i32 = 0;
        let mut digits = 0;
        let mut seen_point = false;
        while let Some(&byte) = bytes.get(at) {
            match byte {
                b'0'..=b'9' => {
                    digits += 1;
                    if coefficient < MAX_COEFFICIENT {
                        coefficient = coefficient * 10 + i128::from(byte - b'0');
                        if seen_point {
                            exponent -= 1;
                        }
                    } else if !seen_point {
                        exponent += 1;
                    }
                }
                b'.' if !seen_point => seen_point = true,
                _ => break,
            }
            at += 1;
        }
        if digits == 0 {
            return Err(WRONG);
        }
        let suffix = text.get(at..).ok_or(WRONG)?;
        let (multiplier, shift) = match suffix {
            "" => (1, 0),
            "Ki" => (1 << 10, 0),
            "Mi" => (1 << 20, 0),
            "Gi" => (1 << 30, 0),
            "Ti" => (1 << 40, 0),
            "Pi" => (1 << 50, 0),
            "Ei" => (1 << 60, 0),
            "n" => (1, -9),
            "u" => (1, -6),
            "m" => (1, -3),
            "k" => (1, 3),
            "M" => (1, 6),
            "G" => (1, 9),
            "T" => (1, 12),
            "P" => (1, 15),
            "E" => (1, 18),
            _ => {
                let rest = suffix.strip_prefix(['e', 'E']).ok_or("unable to parse quantity's suffix")?;
                let digits = rest.strip_prefix(['+', '-']).unwrap_or(rest);
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return Err("unable to parse quantity's suffix");
                }
                let shift: i32 = rest.parse().map_err(|_| "quantity is out of range")?;
                (1, shift)
            }
        };
        let coefficient = coefficient.checked_mul(multiplier).ok_or("quantity is out of range")?;
        let exponent = exponent.checked_add(shift).ok_or("quantity is out of range")?;
        Quantity::new(if negative { -coefficient } else { coefficient }, exponent).ok_or("quantity is out of range")
    }

    fn compare(&self, other: &Quantity) -> Ordering {
        match align(self, other) {
            Some((a, b)) => a.cmp(&b),
            None => self.approximate().partial_cmp(&other.approximate()).unwrap_or(Ordering::Equal),
        }
    }

    fn approximate(&self) -> f64 {
        self.coefficient as f64 * 10f64.powi(self.exponent)
    }

    /// The value as an int64, when it is a whole number that fits.
    fn as_integer(&self) -> Option<i64> {
        if self.exponent < 0 {
            return None;
        }
        let scaled = self.coefficient.checked_mul(10i128.checked_pow(self.exponent as u32)?)?;
        i64::try_from(scaled).ok()
    }

    fn plus(&self, other: &Quantity, function: &str) -> Result<Quantity, cel::ExecutionError> {
        let (a, b) = align(self, other).ok_or_else(|| fail(function, "quantity is out of range"))?;
        let exponent = self.exponent.min(other.exponent);
        a.checked_add(b)
            .and_then(|sum| Quantity::new(sum, exponent))
            .ok_or_else(|| fail(function, "quantity is out of range"))
    }

    fn negated(&self) -> Quantity {
        Quantity { coefficient: -self.coefficient, exponent: self.exponent }
    }
}

/// The two coefficients at the smaller of the two exponents.
fn align(a: &Quantity, b: &Quantity) -> Option<(i128, i128)> {
    let exponent = a.exponent.min(b.exponent);
    let scale = |q: &Quantity| q.coefficient.checked_mul(10i128.checked_pow((q.exponent - exponent) as u32)?);
    Some((scale(a)?, scale(b)?))
}

fn quantity_arg(args: &[CowVal<'_, '_>], index: usize) -> Result<Quantity, cel::ExecutionError> {
    arg::<Quantity>(args, index).copied()
}

fn quantity<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    let text = string_arg(&args, 0)?;
    Quantity::parse(text).map(CowVal::owned).map_err(|message| fail("quantity", message))
}

fn is_quantity<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    bool_out(Quantity::parse(string_arg(&args, 0)?).is_ok())
}

fn sign<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    int_out(quantity_arg(&args, 0)?.coefficient.signum() as i64)
}

fn compare_to<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    int_out(match quantity_arg(&args, 0)?.compare(&quantity_arg(&args, 1)?) {
        Ordering::Less => -1,
        Ordering::Equal => 0,
        Ordering::Greater => 1,
    })
}

fn is_greater_than<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    bool_out(quantity_arg(&args, 0)?.compare(&quantity_arg(&args, 1)?) == Ordering::Greater)
}

fn is_less_than<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    bool_out(quantity_arg(&args, 0)?.compare(&quantity_arg(&args, 1)?) == Ordering::Less)
}

fn add<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    Ok(CowVal::owned(quantity_arg(&args, 0)?.plus(&quantity_arg(&args, 1)?, "add")?))
}

fn add_int<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    let other = Quantity::new(int_arg(&args, 1)?.into(), 0).ok_or_else(|| fail("add", "quantity is out of range"))?;
    Ok(CowVal::owned(quantity_arg(&args, 0)?.plus(&other, "add")?))
}

fn sub<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    Ok(CowVal::owned(quantity_arg(&args, 0)?.plus(&quantity_arg(&args, 1)?.negated(), "sub")?))
}

fn sub_int<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    let other =
        Quantity::new(-i128::from(int_arg(&args, 1)?), 0).ok_or_else(|| fail("sub", "quantity is out of range"))?;
    Ok(CowVal::owned(quantity_arg(&args, 0)?.plus(&other, "sub")?))
}

fn as_integer<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    quantity_arg(&args, 0)?
        .as_integer()
        .map(|value| CowVal::owned(CelInt::from(value)))
        .ok_or_else(|| fail("asInteger", "cannot convert value to integer"))
}

fn is_integer<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    bool_out(quantity_arg(&args, 0)?.as_integer().is_some())
}

fn as_approximate_float<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Out<'b, 'v> {
    Ok(CowVal::owned(CelDouble::from(quantity_arg(&args, 0)?.approximate())))
}

/// Registers the quantity library.
pub(super) fn register(env: &mut Env) -> Result<(), DeclarationError> {
    let q = || QUANTITY_TYPE.to_owned();
    env.add_type(q())?;
    env.add_overload("quantity", "string_to_quantity", vec![STRING_TYPE], quantity)?;
    env.add_overload("isQuantity", "is_quantity_string", vec![STRING_TYPE], is_quantity)?;
    env.add_member_overload("sign", "quantity_sign", q(), vec![], sign)?;
    env.add_member_overload("compareTo", "quantity_compare_to", q(), vec![q()], compare_to)?;
    env.add_member_overload("isGreaterThan", "quantity_is_greater_than", q(), vec![q()], is_greater_than)?;
    env.add_member_overload("isLessThan", "quantity_is_less_than", q(), vec![q()], is_less_than)?;
    env.add_member_overload("add", "quantity_add", q(), vec![q()], add)?;
    env.add_member_overload("add", "quantity_add_int", q(), vec![INT_TYPE], add_int)?;
    env.add_member_overload("sub", "quantity_sub", q(), vec![q()], sub)?;
    env.add_member_overload("sub", "quantity_sub_int", q(), vec![INT_TYPE], sub_int)?;
    env.add_member_overload("asInteger", "quantity_as_integer", q(), vec![], as_integer)?;
    env.add_member_overload("isInteger", "quantity_is_integer", q(), vec![], is_integer)?;
    env.add_member_overload("asApproximateFloat", "quantity_as_float", q(), vec![], as_approximate_float)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Quantity;

    fn q(text: &str) -> Quantity {
        Quantity::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn suffixes_read_exactly() {
        assert_eq!(q("1Gi"), q("1024Mi"));
        assert_eq!(q("1k"), q("1000"));
        assert_eq!(q("500m"), q("0.5"));
        assert_eq!(q("1.5Gi").as_integer(), Some(1_610_612_736));
        assert_eq!(q("1e3"), q("1k"));
        assert_eq!(q("1E"), q("1e18"));
        assert_eq!(q(".5"), q("500m"));
        assert_eq!(q("-2"), q("-2000m"));
        assert_eq!(q("100n").as_integer(), None);
        for bad in
            ["", "abc", "1Ki1", "1 Gi", "1e", "--1", "1.2.3", "Mi", "1e-2147483648", "10e2147483647", "1e99999999999"]
        {
            assert!(Quantity::parse(bad).is_err(), "{bad} should not parse");
        }
    }

    #[test]
    fn comparisons_and_sums() {
        assert!(q("2Gi").compare(&q("2G")).is_gt());
        assert!(q("100m").compare(&q("1")).is_lt());
        assert_eq!(q("1").plus(&q("500m"), "add").unwrap(), q("1.5"));
        assert_eq!(q("1Gi").plus(&q("-1024Mi"), "add").unwrap(), q("0"));
    }
}
