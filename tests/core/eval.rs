//! Local evaluation of conditions with DynamoDB's semantics, on borrowed values (no server,
//! no allocation), one rule per test.

use awstin_core::Condition;
use awstin_core::{Error, Number, Value};
use awstin_core_tests::Thing;
use awstin_macros::cond;

fn n(text: &str) -> Value<'static> {
    Value::N(text.parse().expect("a test number"))
}

/// An item with every type, as DynamoDB would return it.
fn item() -> Value<'static> {
    Value::M(&[
        ("id", Value::S("i-1")),
        ("name", Value::S("The Big New Movie")),
        ("size", Value::N(Number::ZERO)),
        ("data", Value::B(&[0x00, 0xff, 0x10])),
        ("flag", Value::Bool(true)),
        ("tags", Value::SS(&["red", "blue"])),
        ("scores", Value::NS(&[])),
        (
            "labels",
            Value::M(&[
                ("release-date", Value::S("2015-01-01")),
                ("a.b", Value::S("dot")),
            ]),
        ),
        (
            "matrix",
            Value::L(&[Value::L(&[Value::N(Number::ZERO)]), Value::L(&[])]),
        ),
        ("status", Value::Null),
        ("doc", Value::S("2015-01-01")),
    ])
}

fn eval<C: Condition>(c: C) -> Result<bool, Error> {
    c.eval(item())
}

#[test]
fn a_missing_attribute_makes_equality_false_and_inequality_true() -> Result<(), Error> {
    let x = 1u64;
    assert!(!eval(Thing::expr(cond!(ttl == x)))?);
    assert!(eval(Thing::expr(cond!(ttl != x)))?);
    assert!(!eval(Thing::expr(cond!(ttl < x)))? && !eval(Thing::expr(cond!(ttl >= x)))?);
    assert!(!eval(Thing::expr(cond!(ttl between 0..=9)))?);
    assert!(!eval(Thing::expr(cond!(ttl in [x, 2])))?);
    assert!(eval(Thing::expr(cond!(
        attribute_not_exists(ttl) && attribute_exists(name)
    )))?);
    Ok(())
}

#[test]
fn a_type_mismatch_is_false_not_an_error() -> Result<(), Error> {
    // Typed attributes cannot be compared with values of another type (that does not compile);
    // a dynamic document can hold anything.
    assert!(!eval(Thing::expr(cond!(doc == 2015)))?, "S = N is false");
    assert!(eval(Thing::expr(cond!(doc != 2015)))?, "S <> N is true");
    assert!(!eval(Thing::expr(cond!(doc > 0)))? && !eval(Thing::expr(cond!(doc < 0)))?);
    let two = awstin_core::BinaryBuf(vec![0x32]);
    assert!(
        !eval(Thing::expr(cond!(begins_with(doc, two))))?,
        "S does not begin with B"
    );
    Ok(())
}

#[test]
fn numbers_compare_as_38_digit_decimals() -> Result<(), Error> {
    let just_above: Number = "0.00000000000000000000000000000000000001".parse()?;
    assert!(eval(Thing::expr(cond!(size < just_above)))?);
    assert!(eval(Thing::expr(cond!(size == 0.0)))?, "0 = 0.0");
    let item = Value::M(&[("size", n("12345678901234567890123456789012345678"))]);
    let bigger: Number = "12345678901234567890123456789012345679".parse()?;
    assert!(
        Thing::expr(cond!(size < bigger)).eval(item)?,
        "differs in the 38th digit, where f64 would not"
    );
    Ok(())
}

#[test]
fn strings_compare_by_utf8_bytes_and_binaries_unsigned() -> Result<(), Error> {
    let item = Value::M(&[("name", Value::S("Z")), ("data", Value::B(&[0x80]))]);
    assert!(
        Thing::expr(cond!(name < "a")).eval(item)?,
        "'Z' (0x5A) < 'a' (0x61)"
    );
    assert!(
        Thing::expr(cond!(name < "é")).eval(item)?,
        "'é' is 0xC3 0xA9 in UTF-8"
    );
    let low = awstin_core::BinaryBuf(vec![0x7f]);
    assert!(
        Thing::expr(cond!(data > low)).eval(item)?,
        "0x80 > 0x7f unsigned"
    );
    Ok(())
}

#[test]
fn set_and_document_equality_ignores_set_order() -> Result<(), Error> {
    let tags = std::collections::BTreeSet::from(["blue", "red"]);
    assert!(
        eval(Thing::expr(cond!(tags == tags)))?,
        "{{red, blue}} = {{blue, red}}"
    );
    let fewer = std::collections::BTreeSet::from(["red"]);
    assert!(!eval(Thing::expr(cond!(tags == fewer)))?);
    let nested = Value::M(&[(
        "doc",
        Value::L(&[
            Value::SS(&["a", "b"]),
            Value::M(&[("k", Value::Bool(true))]),
        ]),
    )]);
    let same = Value::L(&[
        Value::SS(&["b", "a"]),
        Value::M(&[("k", Value::Bool(true))]),
    ]);
    assert!(
        Thing::expr(cond!(doc == same)).eval(nested)?,
        "nested set order is ignored"
    );
    let other = Value::L(&[
        Value::SS(&["b", "a"]),
        Value::M(&[("k", Value::Bool(false))]),
    ]);
    assert!(!Thing::expr(cond!(doc == other)).eval(nested)?);
    let (row, rows) = (vec![0u8], vec![vec![0u8], vec![]]);
    assert!(
        eval(Thing::expr(cond!(matrix[0] == row && matrix == rows)))?,
        "lists compare in order"
    );
    Ok(())
}

#[test]
fn size_counts_per_type() -> Result<(), Error> {
    assert!(eval(Thing::expr(cond!(size(name) == 17)))?, "string: bytes");
    assert!(eval(Thing::expr(cond!(size(data) == 3)))?, "binary: bytes");
    assert!(eval(Thing::expr(cond!(size(tags) == 2)))?, "set: elements");
    assert!(eval(Thing::expr(cond!(size(labels) == 2)))?, "map: members");
    assert!(
        eval(Thing::expr(cond!(
            size(matrix) == 2 && size(matrix[1]) == 0
        )))?,
        "list: elements"
    );
    assert!(
        !eval(Thing::expr(cond!(size(deep) >= 0)))?,
        "size of a missing attribute is no number"
    );
    Ok(())
}

#[test]
fn contains_and_begins_with() -> Result<(), Error> {
    assert!(
        eval(Thing::expr(cond!(
            contains(name, "Big") && !contains(name, "big")
        )))?,
        "substring, case-sensitive"
    );
    assert!(
        eval(Thing::expr(cond!(
            contains(tags, "red") && !contains(tags, "green")
        )))?,
        "set element"
    );
    let row = vec![0u8];
    assert!(
        eval(Thing::expr(cond!(contains(matrix, row))))?,
        "list element, deep"
    );
    assert!(eval(Thing::expr(cond!(
        begins_with(name, "The ") && !begins_with(name, "Big")
    )))?);
    let prefix = awstin_core::BinaryBuf(vec![0x00, 0xff]);
    assert!(eval(Thing::expr(cond!(begins_with(data, prefix))))?);
    Ok(())
}

#[test]
fn attribute_type_in_and_between() -> Result<(), Error> {
    assert!(eval(Thing::expr(cond!(
        attribute_type(status, NULL) && attribute_type(tags, SS) && attribute_type(labels, M)
    )))?);
    assert!(!eval(Thing::expr(cond!(attribute_type(name, N))))?);
    assert!(eval(Thing::expr(
        cond!(name in ["x", "The Big New Movie"])
    ))?);
    assert!(
        eval(Thing::expr(
            cond!(size between 0..0 && name between "T"..="U")
        ))?,
        "BETWEEN is inclusive"
    );
    assert!(!eval(Thing::expr(cond!(size between 1..2)))?);
    Ok(())
}

#[test]
fn logic_and_paths_on_either_side() -> Result<(), Error> {
    assert!(eval(Thing::expr(cond!(
        !(flag == false) && (size > 1 || flag == true)
    )))?);
    assert!(eval(Thing::expr(cond!(
        labels["a.b"] == "dot" && labels["release-date"] != attr(name)
    )))?);
    assert!(eval(Thing::expr(cond!(size(tags) == size(labels))))?);
    Ok(())
}

#[test]
fn size_of_a_string_counts_utf16_code_units() -> Result<(), Error> {
    // DynamoDB and DynamoDB Local count UTF-16 code units: "é" is 1 and "𝄞" (outside the
    // Basic Multilingual Plane) is 2, so "é𝄞" is 3, where UTF-8 has 6 bytes and Rust 2 chars.
    let item = Value::M(&[("name", Value::S("é𝄞"))]);
    assert!(Thing::expr(cond!(size(name) == 3)).eval(item)?);
    let item = Value::M(&[("name", Value::S("é"))]);
    assert!(Thing::expr(cond!(size(name) == 1)).eval(item)?);
    Ok(())
}

#[test]
fn contains_on_a_binary_is_a_byte_substring_test() -> Result<(), Error> {
    let item = Value::M(&[("data", Value::B(&[1, 2, 3, 4]))]);
    let (inner, outer, empty) = (
        awstin_core::BinaryBuf(vec![2, 3]),
        awstin_core::BinaryBuf(vec![3, 2]),
        awstin_core::BinaryBuf(vec![]),
    );
    assert!(Thing::expr(cond!(contains(data, inner))).eval(item)?);
    assert!(!Thing::expr(cond!(contains(data, outer))).eval(item)?);
    assert!(Thing::expr(cond!(contains(data, empty))).eval(item)?);
    Ok(())
}
