//! Applying updates locally with DynamoDB's semantics (no server), one rule per test.

use std::collections::BTreeSet;

use awstin_core::{
    DecodeFrom, Document, Error, Number, Update, UpdateFailure, Value, ValueBuf, ValueBufRef,
};
use awstin_macros::{dynamo_model, update};

/// `item` after `update`, as `awstin::dynamodb::apply` computes it: the item built as an
/// owned value, the update applied, the result read back as the model.
fn apply<M, F, U>(item: &M, update: F) -> Result<M, Error>
where
    M: Document + awstin_core::Encode + for<'a> DecodeFrom<ValueBufRef<'a>>,
    F: FnOnce(&'static M::Fields) -> U,
    U: Update<Model = M>,
{
    let update = update(M::FIELDS);
    let new = update.apply(ValueBuf::from_item(item)?.read())?;
    Ok(M::decode(new.read()).expect("the updated item reads as the model"))
}

dynamo_model! {
    /// An item with optional attributes, so any of them can be missing or removed.
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct Rec {
        table "Recs";
        /// Key.
        key id: u32;
        /// A number.
        attr n: Option<Number>;
        /// Another number.
        attr m: Option<Number>;
        /// A string.
        attr s: Option<String>;
        /// A list.
        attr list: Option<Vec<u32>>;
        /// Another list.
        attr other: Option<Vec<u32>>;
        /// A string set (absent when empty).
        attr tags: BTreeSet<String>;
        /// A document of any type.
        attr doc: Option<ValueBuf>;
    }
}

fn num(text: &str) -> Number {
    text.parse().expect("a test number")
}

fn rec() -> Rec {
    Rec {
        id: 1,
        n: Some(num("10")),
        m: Some(num("-2.5")),
        s: Some("text".into()),
        list: Some(vec![2, 3, 4, 5, 6, 7]),
        other: Some(vec![9]),
        tags: ["a", "b"].map(String::from).into(),
        doc: Some(ValueBuf::M(
            [
                ("k".to_string(), ValueBuf::S("v".into())),
                ("l".to_string(), ValueBuf::L(vec![ValueBuf::Null])),
            ]
            .into(),
        )),
    }
}

/// The failure of `result`, which must be a refused update at `action`.
fn refused<T: std::fmt::Debug>(result: Result<T, Error>, action: usize) -> UpdateFailure {
    match result {
        Err(Error::Update { action: a, failure }) if a == action => failure,
        other => panic!("expected action {action} to be refused, got {other:?}"),
    }
}

#[test]
fn every_action_reads_the_item_as_it_was_before_the_update() -> Result<(), Error> {
    let new = apply(&rec(), update!(n = attr(m), m = attr(n)))?;
    assert_eq!((new.n, new.m), (Some(num("-2.5")), Some(num("10"))));
    let new = apply(&rec(), update!(n = attr(m) + attr(n), remove(m)))?;
    assert_eq!((new.n, new.m), (Some(num("7.5")), None));
    Ok(())
}

#[test]
fn plus_and_minus_refuse_a_missing_attribute() {
    let item = Rec { n: None, ..rec() };
    let one = 1;
    assert_eq!(
        refused(apply(&item, update!(s = "x", n += one)), 1),
        UpdateFailure::MissingAttribute
    );
    assert_eq!(
        refused(apply(&item, update!(m = one - attr(n))), 0),
        UpdateFailure::MissingAttribute
    );
    let zero = 0;
    let new = apply(&item, update!(n = if_not_exists(n, zero) + one)).expect("counts from zero");
    assert_eq!(new.n, Some(num("1")));
}

#[test]
fn set_of_a_missing_attribute_is_refused() {
    let item = Rec { m: None, ..rec() };
    assert_eq!(
        refused(apply(&item, update!(n = attr(m))), 0),
        UpdateFailure::MissingAttribute
    );
}

#[test]
fn arithmetic_on_a_non_number_is_an_operand_type_error() {
    let item = Rec {
        doc: Some(ValueBuf::S("7".into())),
        ..rec()
    };
    let one = 1;
    assert_eq!(
        refused(apply(&item, update!(n = one + attr(doc))), 0),
        UpdateFailure::OperandType {
            operator: "+",
            found: awstin_core::AttributeType::S
        }
    );
    assert_eq!(
        refused(apply(&item, update!(n = attr(doc["x"]) - one)), 0),
        UpdateFailure::MissingAttribute,
        "a member of a string is missing"
    );
}

#[test]
fn if_not_exists_keeps_an_existing_value() -> Result<(), Error> {
    let fallback = num("99");
    let new = apply(
        &rec(),
        update!(
            n = if_not_exists(n, fallback),
            m = if_not_exists(m, fallback)
        ),
    )?;
    assert_eq!((new.n, new.m), (Some(num("10")), Some(num("-2.5"))));
    let new = apply(
        &Rec { m: None, ..rec() },
        update!(m = if_not_exists(m, fallback)),
    )?;
    assert_eq!(new.m, Some(num("99")));
    Ok(())
}

#[test]
fn list_append_appends_or_prepends_and_refuses_a_missing_list() -> Result<(), Error> {
    let more = vec![1u32, 0];
    let new = apply(
        &rec(),
        update!(
            list = list_append(attr(list), more),
            other = list_append(more, attr(other))
        ),
    )?;
    assert_eq!(new.list, Some(vec![2, 3, 4, 5, 6, 7, 1, 0]));
    assert_eq!(new.other, Some(vec![1, 0, 9]));
    let item = Rec {
        other: None,
        ..rec()
    };
    assert_eq!(
        refused(
            apply(&item, update!(list = list_append(attr(other), more))),
            0
        ),
        UpdateFailure::MissingAttribute
    );
    Ok(())
}

#[test]
fn set_past_the_end_of_a_list_appends_in_index_order() -> Result<(), Error> {
    let item = Rec {
        list: Some(vec![1, 2, 3]),
        ..rec()
    };
    let new = apply(
        &item,
        update!(
            list[84] = 81,
            list[37] = 82,
            list[17] = 83,
            list[50] = 84,
            list[0] = 0
        ),
    )?;
    assert_eq!(new.list, Some(vec![0, 2, 3, 83, 82, 84, 81]));
    Ok(())
}

#[test]
fn remove_of_list_elements_shifts_by_the_indices_before_the_update() -> Result<(), Error> {
    let new = apply(&rec(), update!(remove(list[1]), list[3] = 17))?;
    assert_eq!(new.list, Some(vec![2, 4, 17, 6, 7]));
    let new = apply(&rec(), update!(list[3] = 17, remove(list[1])))?;
    assert_eq!(new.list, Some(vec![2, 4, 17, 6, 7]));
    let new = apply(
        &rec(),
        update!(
            remove(list[0]),
            remove(list[2]),
            remove(list[5]),
            list[9] = 1
        ),
    )?;
    assert_eq!(new.list, Some(vec![3, 5, 6, 1]));
    Ok(())
}

#[test]
fn remove_of_something_absent_changes_nothing() -> Result<(), Error> {
    let item = Rec { s: None, ..rec() };
    let new = apply(
        &item,
        update!(remove(list[17]), remove(s), remove(doc["nope"])),
    )?;
    assert_eq!(new, item);
    Ok(())
}

#[test]
fn writing_below_a_missing_or_mistyped_parent_is_an_invalid_path() {
    let item = Rec {
        other: None,
        doc: Some(ValueBuf::S("flat".into())),
        ..rec()
    };
    for result in [
        apply(&item, update!(doc["x"] = 1)),
        apply(&item, update!(doc[0] = 1)),
        apply(&item, update!(remove(doc["x"]))),
        apply(&item, update!(other[0] = 1)),
        apply(&item, update!(remove(other[0]))),
    ] {
        assert_eq!(refused(result, 0), UpdateFailure::InvalidPath);
    }
    let item = Rec { doc: None, ..rec() };
    assert_eq!(
        refused(apply(&item, update!(s = "x", doc["a"]["b"] = 1)), 1),
        UpdateFailure::InvalidPath
    );
}

#[test]
fn add_starts_a_missing_number_at_zero_and_unites_sets() -> Result<(), Error> {
    let (five, more) = (num("5"), BTreeSet::from(["b".to_string(), "c".to_string()]));
    let new = apply(
        &Rec { n: None, ..rec() },
        update!(add(n, five), add(tags, more)),
    )?;
    assert_eq!(new.n, Some(num("5")));
    assert_eq!(new.tags, ["a", "b", "c"].map(String::from).into());
    let new = apply(&rec(), update!(add(n, five), add(m, five)))?;
    assert_eq!((new.n, new.m), (Some(num("15")), Some(num("2.5"))));
    let new = apply(
        &Rec {
            tags: BTreeSet::new(),
            ..rec()
        },
        update!(add(tags, more)),
    )?;
    assert_eq!(new.tags, more);
    Ok(())
}

#[test]
fn add_to_a_value_of_another_type_is_an_operand_type_error() {
    let five = num("5");
    let failure = refused(apply(&rec(), update!(add(doc, five))), 0);
    assert_eq!(
        failure,
        UpdateFailure::OperandType {
            operator: "ADD",
            found: awstin_core::AttributeType::M
        }
    );
    let list = ValueBuf::L(vec![]);
    let failure = refused(apply(&rec(), update!(add(doc, list))), 0);
    assert_eq!(
        failure,
        UpdateFailure::OperandType {
            operator: "ADD",
            found: awstin_core::AttributeType::L
        }
    );
}

#[test]
fn delete_takes_elements_and_drops_an_emptied_set() -> Result<(), Error> {
    let (b, ab, zz) = (
        BTreeSet::from(["b".to_string()]),
        BTreeSet::from(["a".to_string(), "b".to_string()]),
        BTreeSet::from(["zz".to_string()]),
    );
    assert_eq!(
        apply(&rec(), update!(delete(tags, b)))?.tags,
        BTreeSet::from(["a".to_string()])
    );
    assert_eq!(apply(&rec(), update!(delete(tags, zz)))?.tags, ab);
    let emptied = apply(&rec(), update!(delete(tags, ab)))?;
    assert!(emptied.tags.is_empty());
    let encoded = ValueBuf::from_encode(&emptied)?;
    let ValueBuf::M(attributes) = encoded else {
        panic!("an item is a map")
    };
    assert!(!attributes.contains_key("tags"), "no empty set is stored");
    let none = Rec {
        tags: BTreeSet::new(),
        ..rec()
    };
    assert_eq!(apply(&none, update!(delete(tags, b)))?, none);
    let set = ValueBuf::SS(vec!["v".into()]);
    assert_eq!(
        refused(apply(&rec(), update!(delete(doc, set))), 0),
        UpdateFailure::OperandType {
            operator: "DELETE",
            found: awstin_core::AttributeType::M
        }
    );
    Ok(())
}

#[test]
fn arithmetic_is_exact_and_never_rounds() -> Result<(), Error> {
    let item = Rec {
        n: Some(num("0.1")),
        m: Some(num("1e37")),
        ..rec()
    };
    let (point_two, half) = (num("0.2"), num("0.5"));
    assert_eq!(apply(&item, update!(n += point_two))?.n, Some(num("0.3")));
    assert!(matches!(
        apply(&item, update!(m += half)),
        Err(Error::NumberPrecision {
            digits: 39,
            max: 38
        })
    ));
    Ok(())
}

#[test]
fn overlapping_paths_are_refused_as_when_rendering() {
    let one = 1;
    assert!(matches!(
        apply(&rec(), update!(n = one, n += one)),
        Err(Error::PathsOverlap {
            first: 0,
            second: 1
        })
    ));
}

#[test]
fn nested_documents_are_written_in_place() -> Result<(), Error> {
    let new = apply(
        &rec(),
        update!(doc["k"] = "w", doc["new"] = 1, remove(doc["l"][0])),
    )?;
    let expected = ValueBuf::M(
        [
            ("k".to_string(), ValueBuf::S("w".into())),
            ("l".to_string(), ValueBuf::L(vec![])),
            ("new".to_string(), ValueBuf::N(num("1"))),
        ]
        .into(),
    );
    assert_eq!(new.doc, Some(expected));
    Ok(())
}

#[test]
fn updates_apply_to_borrowed_values_without_a_model_instance() -> Result<(), Error> {
    let item = Value::M(&[
        ("id", Value::N(Number::ZERO)),
        ("n", Value::N(Number::ZERO)),
    ]);
    let two = 2;
    let new = Rec::expr(update!(n -= two)).apply(item)?;
    let ValueBuf::M(attributes) = new else {
        panic!("an item is a map")
    };
    assert_eq!(attributes["n"], ValueBuf::N(num("-2")));
    Ok(())
}

#[test]
fn number_sets_unite_and_subtract_by_value() -> Result<(), Error> {
    let item = Rec {
        doc: Some(ValueBuf::NS(vec![num("1e37"), num("1")])),
        ..rec()
    };
    let same = ValueBuf::NS(vec![
        num("10000000000000000000000000000000000000"),
        num("2"),
    ]);
    let united = apply(&item, update!(add(doc, same)))?;
    assert_eq!(
        united.doc,
        Some(ValueBuf::NS(vec![num("1e37"), num("1"), num("2")]))
    );
    let rest = apply(&item, update!(delete(doc, same)))?;
    assert_eq!(rest.doc, Some(ValueBuf::NS(vec![num("1")])));
    Ok(())
}

#[test]
fn an_update_below_a_list_element_reaches_the_map_inside_it() -> Result<(), Error> {
    let rows = Rec {
        doc: Some(ValueBuf::M(
            [(
                "rows".to_string(),
                ValueBuf::L(vec![ValueBuf::M(
                    [("x".to_string(), ValueBuf::N(num("1")))].into(),
                )]),
            )]
            .into(),
        )),
        ..rec()
    };
    let five = 5;
    let new = apply(&rows, update!(doc["rows"][0]["x"] = five))?;
    let expected = ValueBuf::M(
        [(
            "rows".to_string(),
            ValueBuf::L(vec![ValueBuf::M(
                [("x".to_string(), ValueBuf::N(num("5")))].into(),
            )]),
        )]
        .into(),
    );
    assert_eq!(new.doc, Some(expected));
    Ok(())
}

#[test]
fn delete_of_a_value_that_is_not_a_set_is_refused_even_on_a_missing_attribute() {
    let missing = Rec { doc: None, ..rec() };
    let not_a_set = ValueBuf::S("x".into());
    assert_eq!(
        refused(apply(&missing, update!(delete(doc, not_a_set))), 0),
        UpdateFailure::OperandType {
            operator: "DELETE",
            found: awstin_core::AttributeType::S
        }
    );
}

#[test]
fn remove_of_a_list_index_past_the_end_changes_nothing() -> Result<(), Error> {
    // `list` holds six elements: index 6 is one past the end.
    assert_eq!(apply(&rec(), update!(remove(list[6])))?, rec());
    assert_eq!(apply(&rec(), update!(remove(list[100])))?, rec());
    assert_eq!(
        apply(&rec(), update!(remove(list[5])))?.list,
        Some(vec![2, 3, 4, 5, 6])
    );
    Ok(())
}

/// A stored item read through a hand-written [`ValueRead`]: `{ id: 1, n: <text> }`, the
/// number kept as the text the store holds.
#[derive(Clone, Copy)]
enum Raw {
    Item(&'static str),
    Id,
    N(&'static str),
}

impl awstin_core::decode::ValueRead for Raw {
    fn attribute_type(&self) -> awstin_core::AttributeType {
        match self {
            Raw::Item(_) => awstin_core::AttributeType::M,
            Raw::Id | Raw::N(_) => awstin_core::AttributeType::N,
        }
    }
    fn as_str(&self) -> Option<&str> {
        None
    }
    fn as_number(&self) -> Option<&str> {
        match self {
            Raw::Id => Some("1"),
            Raw::N(text) => Some(text),
            Raw::Item(_) => None,
        }
    }
    fn as_binary(&self) -> Option<&[u8]> {
        None
    }
    fn as_bool(&self) -> Option<bool> {
        None
    }
    fn len(&self) -> Option<usize> {
        None
    }
    fn item(&self, _: usize) -> Option<Self> {
        None
    }
    fn get(&self, key: &str) -> Option<Self> {
        match (self, key) {
            (Raw::Item(_), "id") => Some(Raw::Id),
            (Raw::Item(text), "n") => Some(Raw::N(text)),
            _ => None,
        }
    }
    fn for_each_member(
        &self,
        f: &mut dyn FnMut(&str, Self) -> Result<(), awstin_core::decode::DecodeError>,
    ) -> Result<(), awstin_core::decode::DecodeError> {
        if let Raw::Item(text) = *self {
            f("id", Raw::Id)?;
            f("n", Raw::N(text))?;
        }
        Ok(())
    }
}

#[test]
fn a_stored_number_that_does_not_parse_is_reported_as_its_number_error() {
    let m = num("1");
    let u = Rec::expr(update!(m = m));
    // Past DynamoDB's range (1E+126): the store could not hold it, so the item is refused
    // with the number's own error, not as a value of the wrong type.
    let expected = "1e200".parse::<Number>().expect_err("out of range");
    assert_eq!(u.apply(Raw::Item("1e200")), Err(expected));
    let applied = u.apply(Raw::Item("7")).expect("a readable item");
    assert_eq!(
        applied,
        ValueBuf::M(
            [
                ("id".to_string(), ValueBuf::N(num("1"))),
                ("n".to_string(), ValueBuf::N(num("7"))),
                ("m".to_string(), ValueBuf::N(num("1"))),
            ]
            .into()
        )
    );
}

/// Paths and updates written by hand: the default `is_empty` follows `len`.
#[test]
fn hand_written_paths_and_updates_with_no_segments_or_actions_are_empty() {
    use awstin_core::path::Segments;
    use awstin_core::update::Clause;
    struct NoSegments;
    impl Segments for NoSegments {
        fn each<'s>(
            &'s self,
            _: &mut dyn FnMut(awstin_core::Segment<'s>) -> Result<(), Error>,
        ) -> Result<(), Error> {
            Ok(())
        }
        fn len(&self) -> usize {
            0
        }
    }
    struct NoActions;
    impl Update for NoActions {
        type Model = Rec;
        fn len(&self) -> usize {
            0
        }
        fn clause(&self, _: usize) -> Option<Clause> {
            None
        }
        fn path(&self, _: usize) -> Option<&dyn Segments> {
            None
        }
        fn render_clause<'a>(
            &'a self,
            _: Clause,
            _: &mut awstin_core::Renderer<'_, 'a>,
            _: &mut bool,
        ) -> Result<(), Error> {
            Ok(())
        }
        fn effect(
            &self,
            _: usize,
            _: ValueBufRef<'_>,
        ) -> Result<awstin_core::update::Effect, Error> {
            Err(Error::WrongType {
                expected: "no action",
            })
        }
    }
    assert!(Segments::is_empty(&NoSegments));
    assert!(Update::is_empty(&NoActions));
}
