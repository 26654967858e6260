//! Numbers and values: DynamoDB's precision, range, set and nesting rules.

use std::collections::BTreeSet;

use awstin_core::json::to_json;
use awstin_core::{Binary, BinaryBuf, Error, Null, Number, Value};

fn n(text: &str) -> Result<Number, Error> {
    text.parse()
}

fn json(v: &dyn awstin_core::Encode) -> Result<String, Error> {
    let mut s = String::new();
    to_json(v, &mut s)?;
    Ok(s)
}

#[test]
fn numbers_are_normalised_and_compare_by_value() -> Result<(), Error> {
    assert_eq!(n("1.50")?, n("1.5")?);
    assert_eq!(n("-0")?, Number::ZERO);
    assert_eq!(n("000120.00")?.to_string(), "120");
    assert_eq!(n("1e3")?.to_string(), "1000");
    assert_eq!(n("+7E-3")?.to_string(), "0.007");
    assert_eq!(n("1.5e-9")?.to_string(), "1.5E-9");
    assert_eq!(
        n("12345678901234567890123")?.to_string(),
        "1.2345678901234567890123E+22"
    );
    assert!(n("0.1")? < n("0.10000000000000000000000000000000000001")?);
    assert!(n("-2")? < n("-1.5")?);
    assert!(n("-1")? < Number::ZERO && Number::ZERO < n("1e-130")?);
    Ok(())
}

#[test]
fn thirty_eight_significant_digits_fit_and_thirty_nine_do_not() -> Result<(), Error> {
    let max = "9".repeat(38);
    assert_eq!(n(&max)?.significant_digits(), 38);
    assert_eq!(
        n(&format!("{max}9")),
        Err(Error::NumberPrecision {
            digits: 39,
            max: 38
        })
    );
    // Trailing zeros are not significant.
    assert_eq!(n(&format!("1{}", "0".repeat(100)))?.significant_digits(), 1);
    assert_eq!(
        Number::try_from(u128::MAX),
        Err(Error::NumberPrecision {
            digits: 39,
            max: 38
        })
    );
    assert_eq!(Number::from(i64::MIN).to_string(), "-9223372036854775808");
    Ok(())
}

#[test]
fn magnitude_range_is_1e_minus_130_to_below_1e126() -> Result<(), Error> {
    assert!(n("1e-130").is_ok());
    assert_eq!(
        n("1e-131"),
        Err(Error::NumberOutOfRange {
            exponent: -131,
            min: -130,
            max: 125
        })
    );
    assert!(n(&format!("9.{}E+125", "9".repeat(37))).is_ok());
    assert_eq!(
        n("1e126"),
        Err(Error::NumberOutOfRange {
            exponent: 126,
            min: -130,
            max: 125
        })
    );
    assert_eq!(
        Number::try_from(1e300_f64),
        Err(Error::NumberOutOfRange {
            exponent: 300,
            min: -130,
            max: 125
        })
    );
    assert_eq!(
        Number::try_from(1e-200_f64),
        Err(Error::NumberOutOfRange {
            exponent: -200,
            min: -130,
            max: 125
        })
    );
    Ok(())
}

#[test]
fn floats_keep_their_shortest_decimal_form_and_nan_is_refused() -> Result<(), Error> {
    assert_eq!(Number::try_from(0.1_f64)?.to_string(), "0.1");
    assert_eq!(Number::try_from(5.5_f64)?.to_string(), "5.5");
    assert_eq!(Number::try_from(0.1_f32)?.to_string(), "0.1");
    assert_eq!(Number::try_from(-0.0_f64)?, Number::ZERO);
    assert_eq!(Number::try_from(f64::NAN), Err(Error::NotFinite));
    assert_eq!(Number::try_from(f64::INFINITY), Err(Error::NotFinite));
    assert_eq!(Number::try_from(f32::NEG_INFINITY), Err(Error::NotFinite));
    Ok(())
}

#[test]
fn text_that_is_not_a_number_is_refused() {
    for bad in [
        "", "-", "+", ".", "1e", "1e+", "1.2.3", "abc", "1,5", "0x10", " 1", "1 ", "e5", "--1",
        "1e5.5",
    ] {
        assert_eq!(n(bad), Err(Error::InvalidNumber), "{bad:?}");
    }
}

#[test]
fn every_dynamodb_type_encodes_to_its_wire_form() -> Result<(), Error> {
    assert_eq!(json(&"a\"b")?, r#"{"S":"a\"b"}"#);
    assert_eq!(json(&42u8)?, r#"{"N":"42"}"#);
    assert_eq!(json(&Binary(b"\x00\xff"))?, r#"{"B":"AP8="}"#);
    assert_eq!(json(&true)?, r#"{"BOOL":true}"#);
    assert_eq!(json(&Null)?, r#"{"NULL":true}"#);
    assert_eq!(json(&vec![1, 2])?, r#"{"L":[{"N":"1"},{"N":"2"}]}"#);
    assert_eq!(
        json(&std::collections::BTreeMap::from([("k", 1)]))?,
        r#"{"M":{"k":{"N":"1"}}}"#
    );
    assert_eq!(json(&BTreeSet::from(["b", "a"]))?, r#"{"SS":["a","b"]}"#);
    assert_eq!(json(&BTreeSet::from([3i64, 1]))?, r#"{"NS":["1","3"]}"#);
    assert_eq!(
        json(&BTreeSet::from([BinaryBuf(vec![1])]))?,
        r#"{"BS":["AQ=="]}"#
    );
    assert_eq!(json(&Option::<u8>::None)?, r#"{"NULL":true}"#);
    Ok(())
}

#[test]
fn sets_must_be_non_empty_and_free_of_duplicates() {
    let mut validated = String::new();
    let empty: BTreeSet<String> = BTreeSet::new();
    // The validator runs when a value is rendered; the JSON writer shares the set rules.
    assert_eq!(
        awstin_core::json::to_json(&empty, &mut validated).and_then(|_| render_value(&empty)),
        Err(Error::EmptySet)
    );
    assert_eq!(
        render_value(&Value::SS(&["a", "a"])),
        Err(Error::DuplicateSetElement)
    );
    assert_eq!(
        render_value(&Value::NS(&[Number::from(1u8), Number::from(1u8)])),
        Err(Error::DuplicateSetElement)
    );
    assert_eq!(render_value(&Value::NS(&[])), Err(Error::EmptySet));
}

#[test]
fn values_nested_deeper_than_32_levels_are_refused() {
    fn nest(depth: usize) -> Value<'static> {
        let mut v = Value::N(Number::from(1u8));
        for _ in 0..depth {
            v = Value::L(Box::leak(Box::new([v])));
        }
        v
    }
    // The value itself is level 1: 31 lists put the number at level 32, 32 lists at 33.
    assert_eq!(render_value(&nest(31)), Ok(()));
    assert_eq!(
        render_value(&nest(32)),
        Err(Error::NestingTooDeep { depth: 33, max: 32 })
    );
}

#[test]
fn a_nan_deep_inside_a_value_is_refused() {
    let v = vec![vec![1.0, f64::NAN]];
    assert_eq!(render_value(&v), Err(Error::NotFinite));
}

/// Renders `doc == value` on a dynamic attribute, which validates the value.
fn render_value<V: awstin_core::Encode + awstin_core::DynamoType>(value: &V) -> Result<(), Error>
where
    V::Kind: awstin_core::kind::Fits<awstin_core::kind::Any>,
{
    use awstin_core_tests::Thing;
    use awstin_macros::cond;
    let c = Thing::expr(cond!(doc == value));
    awstin_core_tests::condition_text(&c).map(|_| ())
}

#[test]
fn number_addition_is_exact_with_carries_borrows_and_cancellation() -> Result<(), Error> {
    let n = |t: &str| t.parse::<Number>().expect("a test number");
    let cases = [
        ("9.99", "0.01", "10"),
        ("-1.5", "1", "-0.5"),
        ("1", "-1.5", "-0.5"),
        ("123.456", "-123.456", "0"),
        ("0", "-7", "-7"),
        ("1e-130", "1e-130", "2E-130"),
        ("99999999999999999999999999999999999999", "1", "1E+38"),
        ("1E+38", "-1", "9.9999999999999999999999999999999999999E+37"),
        ("0.1", "0.2", "0.3"),
        ("1e20", "1e-17", "100000000000000000000.00000000000000001"),
    ];
    for (a, b, sum) in cases {
        assert_eq!(n(a).checked_add(n(b))?.to_string(), sum, "{a} + {b}");
        assert_eq!(n(sum).checked_sub(n(b))?, n(a), "{sum} - {b}");
    }
    Ok(())
}

#[test]
fn number_addition_refuses_results_that_need_rounding_or_leave_the_range() {
    let n = |t: &str| t.parse::<Number>().expect("a test number");
    assert_eq!(
        n("1e20").checked_add(n("1e-18")),
        Err(Error::NumberPrecision {
            digits: 39,
            max: 38
        })
    );
    assert_eq!(
        n("1e125").checked_add(n("1e-130")),
        Err(Error::NumberPrecision {
            digits: 256,
            max: 38
        })
    );
    assert_eq!(
        n("9e125").checked_add(n("9e125")),
        Err(Error::NumberOutOfRange {
            exponent: 126,
            min: -130,
            max: 125
        })
    );
    assert_eq!(
        n("-9e125").checked_sub(n("9e125")),
        Err(Error::NumberOutOfRange {
            exponent: 126,
            min: -130,
            max: 125
        })
    );
    assert_eq!(
        n("2e-130").checked_sub(n("1.5e-130")),
        Err(Error::NumberOutOfRange {
            exponent: -131,
            min: -130,
            max: 125
        })
    );
}

#[test]
fn number_parts_at_the_ends_of_i64_are_errors_not_overflows() {
    for (mantissa, exponent) in [
        (1, i64::MAX),
        (10, i64::MAX),
        (1, i64::MIN),
        (100, i64::MAX - 1),
    ] {
        assert!(
            matches!(
                Number::from_parts(false, mantissa, exponent),
                Err(Error::NumberOutOfRange { .. })
            ),
            "{mantissa}E{exponent}"
        );
    }
}

#[test]
fn negative_i128_values_keep_their_sign() {
    for (v, text) in [(-1i128, "-1"), (-123_456, "-123456"), (42, "42"), (0, "0")] {
        let n = Number::try_from(v).expect("fits 38 digits");
        assert_eq!(n.to_string(), text);
        assert_eq!(n.is_negative(), v < 0);
    }
    assert!(Number::try_from(i128::MIN).is_err(), "39 digits");
}

#[test]
fn a_number_exposes_its_mantissa_and_exponent() -> Result<(), Error> {
    let price = n("-12.50")?;
    assert_eq!((price.mantissa(), price.exponent()), (125, -1));
    let thousands = Number::from(1500u32);
    assert_eq!((thousands.mantissa(), thousands.exponent()), (15, 2));
    let tiny = n("7e-130")?;
    assert_eq!((tiny.mantissa(), tiny.exponent()), (7, -130));
    Ok(())
}

#[test]
fn lossy_f64_and_exact_i128_conversions() -> Result<(), Error> {
    assert_eq!(n("-12.5")?.to_f64_lossy(), -12.5);
    assert_eq!(n("2.5e-7")?.to_f64_lossy(), 2.5e-7);
    assert_eq!(n("-42")?.to_i128(), Some(-42));
    assert_eq!(n("1.5e3")?.to_i128(), Some(1500));
    assert_eq!(n("0.5")?.to_i128(), None);
    Ok(())
}

/// Plain digits up to 21 digits before the point and down to 1e-7, else the exponent form.
#[test]
fn canonical_text_switches_to_an_exponent_at_1e21() -> Result<(), Error> {
    assert_eq!(n("1e20")?.to_string(), "100000000000000000000");
    assert_eq!(n("1e21")?.to_string(), "1E+21");
    // And below 1e-7.
    assert_eq!(n("-1e-7")?.to_string(), "-0.0000001");
    assert_eq!(n("1e-8")?.to_string(), "1E-8");
    // The longest canonical text, 47 bytes, is written whole, allocated once.
    let longest = format!("-0.000000{}", "1".repeat(38));
    assert_eq!(n(&longest)?.to_string(), longest);
    assert_eq!(n(&longest)?.to_text(), longest);
    assert_eq!(n("-9.9e125")?.to_text(), "-9.9E+125");
    Ok(())
}

#[test]
fn forty_digits_are_refused_counting_each() -> Result<(), Error> {
    assert_eq!(
        n(&"1".repeat(40)),
        Err(Error::NumberPrecision {
            digits: 39,
            max: 38
        })
    );
    // Zeros inside count once a later digit makes them significant.
    assert_eq!(
        n(&format!("1{}1", "0".repeat(36)))?.significant_digits(),
        38
    );
    assert_eq!(
        n(&format!("1{}12", "0".repeat(36))),
        Err(Error::NumberPrecision {
            digits: 39,
            max: 38
        })
    );
    assert_eq!(
        n(&format!("1{}1", "0".repeat(37))),
        Err(Error::NumberPrecision {
            digits: 39,
            max: 38
        })
    );
    Ok(())
}

#[test]
fn numbers_debug_as_their_canonical_text() -> Result<(), Error> {
    assert_eq!(format!("{:?}", n("1.50")?), "Number(1.5)");
    Ok(())
}

/// A time to live is whole epoch seconds: written as an integer `N`, built from a time by
/// rounding a fraction up (the item lives at least that long), and refused, when built and
/// when read, past the year 5138, where a value is milliseconds or finer.
#[test]
fn a_time_to_live_is_whole_epoch_seconds_and_milliseconds_are_refused() -> Result<(), Error> {
    use awstin_core::Ttl;
    use awstin_core::decode::{DecodeErrorKind, DecodeFrom};
    use std::time::{Duration, UNIX_EPOCH};

    let at = Ttl::from_secs(1_754_000_000)?;
    assert_eq!(json(&at)?, r#"{"N":"1754000000"}"#);
    assert_eq!(Ttl::from_secs(Ttl::MAX_SECS)?.secs(), 99_999_999_999);
    for (value, looks_like) in [
        (1_754_000_000_000, "milliseconds"),
        (1_754_000_000_000_000, "microseconds"),
        (1_754_000_000_000_000_000, "nanoseconds"),
        (Ttl::MAX_SECS + 1, "milliseconds"),
    ] {
        match Ttl::from_secs(value) {
            Err(Error::TtlNotSeconds {
                value: v,
                looks_like: l,
            }) => {
                assert_eq!((v, l), (value, looks_like));
            }
            other => panic!("{value} was taken: {other:?}"),
        }
    }
    // From a time: a fraction of a second rounds up, whole seconds stay.
    assert_eq!(
        Ttl::at(UNIX_EPOCH + Duration::from_millis(1_754_000_000_001))?.secs(),
        1_754_000_001
    );
    assert_eq!(
        Ttl::at(UNIX_EPOCH + Duration::from_secs(1_754_000_000))?.secs(),
        1_754_000_000
    );
    assert_eq!(Ttl::at(UNIX_EPOCH - Duration::from_secs(5))?.secs(), 0);
    assert!(Ttl::at(UNIX_EPOCH + Duration::from_secs(200_000_000_000)).is_err());
    assert!(Ttl::after(Duration::from_secs(60))? > Ttl::at(std::time::SystemTime::now())?);
    assert!(Ttl::after(Duration::MAX).is_err());
    assert!(at.expired_at(1_754_000_001) && !at.expired_at(1_754_000_000));

    // Read back: whole seconds decode; milliseconds, fractions, negatives and text do not.
    let read = |v: Value<'_>| <Ttl as DecodeFrom<Value<'_>>>::decode(v);
    assert_eq!(read(Value::N(n("1754000000")?)), Ok(at));
    for refused in ["1754000000000", "1754000000.5", "-1"] {
        let e = read(Value::N(n(refused)?)).expect_err(refused);
        assert!(
            matches!(e.kind, DecodeErrorKind::OutOfRange { .. }),
            "{refused}: {e}"
        );
    }
    assert!(matches!(
        read(Value::S("1754000000")).map_err(|e| e.kind),
        Err(DecodeErrorKind::WrongType { .. })
    ));
    Ok(())
}
