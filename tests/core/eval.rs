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

/// `doc == attr(x)` with `doc` holding `stored`: two stored attributes compared, as DynamoDB
/// compares them.
fn doc_equals(stored: Value<'static>, other: &'static str) -> Result<bool, Error> {
    let item = Value::M(Box::leak(Box::new([
        ("doc", stored),
        ("tags", Value::SS(&["red", "blue"])),
        ("scores", Value::NS(&[])),
        ("labels", Value::M(&[("k", Value::S("v"))])),
        ("matrix", Value::L(&[Value::N(Number::ZERO), Value::S("x")])),
        ("status", Value::Null),
        ("flag", Value::Bool(true)),
        ("name", Value::S("n")),
    ])));
    match other {
        "tags" => Thing::expr(cond!(doc == attr(tags))).eval(item),
        "labels" => Thing::expr(cond!(doc == attr(labels))).eval(item),
        "matrix" => Thing::expr(cond!(doc == attr(matrix))).eval(item),
        "status" => Thing::expr(cond!(doc == attr(status))).eval(item),
        "flag" => Thing::expr(cond!(doc == attr(flag))).eval(item),
        _ => Thing::expr(cond!(doc == attr(name))).eval(item),
    }
}

#[test]
fn two_stored_attributes_are_equal_by_type_and_content() -> Result<(), Error> {
    // Sets: the same elements in any order; a different element or size is unequal.
    assert!(doc_equals(Value::SS(&["blue", "red"]), "tags")?);
    assert!(!doc_equals(Value::SS(&["blue", "green"]), "tags")?);
    assert!(!doc_equals(Value::SS(&["blue"]), "tags")?);
    // A list of the same strings is not the string set.
    assert!(!doc_equals(
        Value::L(&[Value::S("red"), Value::S("blue")]),
        "tags"
    )?);
    // Maps: member by member.
    assert!(doc_equals(Value::M(&[("k", Value::S("v"))]), "labels")?);
    assert!(!doc_equals(Value::M(&[("k", Value::S("w"))]), "labels")?);
    assert!(!doc_equals(Value::M(&[("j", Value::S("v"))]), "labels")?);
    // Lists: in order.
    assert!(doc_equals(
        Value::L(&[Value::N(Number::ZERO), Value::S("x")]),
        "matrix"
    )?);
    assert!(!doc_equals(
        Value::L(&[Value::S("x"), Value::N(Number::ZERO)]),
        "matrix"
    )?);
    assert!(!doc_equals(Value::L(&[Value::N(Number::ZERO)]), "matrix")?);
    // NULL equals NULL; booleans by value; a different type is unequal.
    assert!(doc_equals(Value::Null, "status")?);
    assert!(!doc_equals(Value::Bool(false), "status")?);
    assert!(doc_equals(Value::Bool(true), "flag")?);
    assert!(!doc_equals(Value::Bool(false), "flag")?);
    assert!(doc_equals(Value::S("n"), "name")?);
    assert!(!doc_equals(Value::S("m"), "name")?);
    Ok(())
}

#[test]
fn a_stored_value_equals_a_given_one_by_type_and_content() -> Result<(), Error> {
    let item = Value::M(&[
        ("tags", Value::SS(&["red", "blue"])),
        ("doc", Value::B(&[1, 2])),
        ("status", Value::Null),
        ("matrix", Value::L(&[Value::S("red"), Value::S("blue")])),
    ]);
    // A given set of the same size with a different element is unequal.
    let (same, other) = (
        std::collections::BTreeSet::from(["blue".to_string(), "red".to_string()]),
        std::collections::BTreeSet::from(["blue".to_string(), "green".to_string()]),
    );
    assert!(Thing::expr(cond!(tags == same)).eval(item)?);
    assert!(!Thing::expr(cond!(tags == other)).eval(item)?);
    // Binary by bytes.
    let (bytes, others) = (
        awstin_core::BinaryBuf(vec![1, 2]),
        awstin_core::BinaryBuf(vec![2, 1]),
    );
    assert!(Thing::expr(cond!(doc == bytes)).eval(item)?);
    assert!(!Thing::expr(cond!(doc == others)).eval(item)?);
    // NULL equals a given NULL, and only that.
    let null = awstin_core::Null;
    assert!(Thing::expr(cond!(status == null)).eval(item)?);
    assert!(!Thing::expr(cond!(doc == null)).eval(item)?);
    // A given string set is not a stored list of the same strings.
    let as_set = Value::SS(&["red", "blue"]);
    assert!(!Thing::expr(cond!(doc == as_set)).eval(Value::M(&[(
        "doc",
        Value::L(&[Value::S("red"), Value::S("blue")])
    )]))?);
    Ok(())
}

#[test]
fn stored_values_compare_as_dynamodb_compares_them() -> Result<(), Error> {
    use awstin_core::eval::stored_values_equal;
    assert!(stored_values_equal(n("1.50"), n("1.5"))?);
    assert!(!stored_values_equal(n("1.5"), n("1.51"))?);
    assert!(stored_values_equal(
        Value::SS(&["a", "b"]),
        Value::SS(&["b", "a"])
    )?);
    assert!(!stored_values_equal(Value::S("1.5"), n("1.5"))?);
    Ok(())
}

#[test]
fn a_given_value_nested_past_32_levels_is_refused_when_compared() {
    fn nest(levels: usize) -> Value<'static> {
        (1..levels).fold(Value::Null, |v, _| Value::L(Box::leak(Box::new([v]))))
    }
    let stored = Value::M(Box::leak(Box::new([("doc", nest(34))])));
    let given = nest(34);
    assert_eq!(
        Thing::expr(cond!(doc == given)).eval(stored),
        Err(Error::NestingTooDeep { depth: 33, max: 32 })
    );
}

#[test]
fn and_or_and_not_follow_their_truth_tables() -> Result<(), Error> {
    // `flag` is true and `name` is not "x" in the item.
    let (t, x) = (true, "x");
    assert!(eval(Thing::expr(cond!(flag == t && name != x)))?);
    assert!(!eval(Thing::expr(cond!(flag == t && name == x)))?);
    assert!(!eval(Thing::expr(cond!(flag != t && name != x)))?);
    assert!(eval(Thing::expr(cond!(flag != t || name != x)))?);
    assert!(eval(Thing::expr(cond!(flag == t || name == x)))?);
    assert!(!eval(Thing::expr(cond!(flag != t || name == x)))?);
    assert!(eval(Thing::expr(cond!(!(name == x))))?);
    assert!(!eval(Thing::expr(cond!(!(flag == t))))?);
    Ok(())
}
