//! Rendering rules: placeholders, parentheses, paths and every limit DynamoDB enforces.

use awstin_core::render::Placeholder;
use awstin_core::{Condition, Document, Error, ExpressionKind, Projection, Request, Update};
use awstin_core_tests::{Counter, Movie, MovieByGenre, Shown, Thing, condition_text, update_text};
use awstin_macros::{cond, dynamo_model, project, update};
use std::collections::BTreeSet;

#[test]
fn every_name_and_value_goes_through_a_placeholder() -> Result<(), Error> {
    let name = "x\" OR attribute_exists(secret) OR \"";
    let c = Thing::expr(cond!(name == name));
    assert_eq!(condition_text(&c)?, "#n0 = :v0");
    Ok(())
}

#[test]
fn names_are_shared_and_deduplicated_across_a_request() -> Result<(), Error> {
    let (y, lo, hi, r) = (1992u32, "A", "L", 5.0);
    let key = Movie::expr(cond!(year == y && title between lo..hi));
    let filter = Movie::expr(cond!(info.rating >= r));
    let projection = Movie::expr(project!(year, title, info.rating));
    let text = Shown::new()
        .key(&key)?
        .filter(&filter)?
        .projection(&projection)?
        .finish();
    assert_eq!(
        text,
        "KeyConditionExpression: #n0 = :v0 AND #n1 BETWEEN :v1 AND :v2\n\
         FilterExpression: #n2.#n3 >= :v3\n\
         ProjectionExpression: #n0, #n1, #n2.#n3\n\
         #n0 = \"year\"\n#n1 = \"title\"\n#n2 = \"info\"\n#n3 = \"rating\"\n\
         :v0 = {\"N\":\"1992\"}\n:v1 = {\"S\":\"A\"}\n:v2 = {\"S\":\"L\"}\n:v3 = {\"N\":\"5\"}\n"
    );
    Ok(())
}

#[test]
fn rendering_is_deterministic() -> Result<(), Error> {
    let t = "x";
    let render = || -> Result<String, Error> {
        let c = Thing::expr(
            cond!(name == t || (size > 3 && !attribute_exists(status)) || name in [t, t]),
        );
        Ok(Shown::new().condition(&c)?.finish())
    };
    assert_eq!(render()?, render()?);
    Ok(())
}

#[test]
fn parentheses_only_where_precedence_needs_them() -> Result<(), Error> {
    let t = "x";
    let cases: Vec<(String, &str)> = vec![
        (
            condition_text(&Thing::expr(cond!((name == t))))?,
            "#n0 = :v0",
        ),
        (
            condition_text(&Thing::expr(cond!((name == t))))?,
            "#n0 = :v0",
        ),
        (
            condition_text(&Thing::expr(cond!((name == t && size > 1) && flag == true)))?,
            "#n0 = :v0 AND #n1 > :v1 AND #n2 = :v2",
        ),
        (
            condition_text(&Thing::expr(cond!(name == t && (size > 1 || flag == true))))?,
            "#n0 = :v0 AND (#n1 > :v1 OR #n2 = :v2)",
        ),
        (
            condition_text(&Thing::expr(cond!(name == t || size > 1 && flag == true)))?,
            "#n0 = :v0 OR #n1 > :v1 AND #n2 = :v2",
        ),
        (
            condition_text(&Thing::expr(cond!(!(name == t))))?,
            "NOT #n0 = :v0",
        ),
        (
            condition_text(&Thing::expr(cond!(!(!(name == t)))))?,
            "NOT (NOT #n0 = :v0)",
        ),
        (
            condition_text(&Thing::expr(cond!(!(name == t || flag == true))))?,
            "NOT (#n0 = :v0 OR #n1 = :v1)",
        ),
        (
            condition_text(&Thing::expr(cond!(!attribute_exists(name) && flag == true)))?,
            "NOT attribute_exists(#n0) AND #n1 = :v0",
        ),
    ];
    for (got, want) in cases {
        assert_eq!(got, want);
        assert!(!got.contains("(("), "redundant parentheses in {got}");
    }
    Ok(())
}

#[test]
fn paths_render_members_elements_and_keys_with_any_characters() -> Result<(), Error> {
    let (key, i, v) = ("release.date", 2usize, 1u8);
    let c = Thing::expr(cond!(
        matrix[1][i] == v && labels[key] == key && labels["a b"] == key
    ));
    assert_eq!(
        condition_text(&c)?,
        "#n0[1][2] = :v0 AND #n1.#n2 = :v1 AND #n1.#n3 = :v1"
    );
    Ok(())
}

#[test]
fn paths_deeper_than_32_levels_are_refused() -> Result<(), Error> {
    let v = 1u32;
    let ok = Thing::expr(cond!(
        deep.next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .value
            == v
    ));
    assert_eq!(condition_text(&ok)?.matches('#').count(), 32);
    let too_deep = Thing::expr(cond!(
        deep.next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .value
            == v
    ));
    assert_eq!(
        condition_text(&too_deep),
        Err(Error::PathTooDeep { depth: 33, max: 32 })
    );
    Ok(())
}

#[test]
fn empty_names_and_map_keys_are_refused() {
    let (empty, v) = ("", "x");
    let c = Thing::expr(cond!(labels[empty] == v));
    assert_eq!(condition_text(&c), Err(Error::EmptyName));
}

#[test]
fn in_takes_1_to_100_values() -> Result<(), Error> {
    // DynamoDB: "The maximum number of operands for the IN comparator is 100."
    let values: Vec<u64> = (0..100).collect();
    assert!(condition_text(&Thing::expr(cond!(size in values)))?.ends_with(":v99)"));
    let too_many: Vec<u64> = (0..101).collect();
    assert_eq!(
        condition_text(&Thing::expr(cond!(size in too_many))),
        Err(Error::InValues {
            count: 101,
            max: 100
        })
    );
    let none: Vec<u64> = Vec::new();
    assert_eq!(
        condition_text(&Thing::expr(cond!(size in none))),
        Err(Error::InValues { count: 0, max: 100 })
    );
    Ok(())
}

#[test]
fn expressions_over_4096_bytes_are_refused_with_their_length() {
    let values: Vec<u64> = (0..99).collect();
    let c = Thing::expr(cond!(
        size in values || size in values || size in values || size in values
            || size in values || size in values || size in values || size in values
    ));
    let mut out = String::new();
    match Request::<8, 1024>::new().condition(&c, &mut out) {
        Err(Error::ExpressionTooLong {
            expression: ExpressionKind::Condition,
            len,
            max: 4096,
        }) => assert!(len > 4096),
        other => panic!("expected ExpressionTooLong, got {other:?}"),
    }
    // The renderer stops writing at the limit: an expression refused for its length leaves
    // at most 4,096 bytes in the output, however long it would have grown.
    assert!(out.len() <= 4096, "{} bytes written", out.len());
    assert!(!out.is_empty(), "what fits is written before the refusal");
}

#[test]
fn more_than_300_operators_are_refused() {
    // 76 terms of 3 operators (two size() and ==) joined by 75 ANDs: 303 operators.
    let c = Thing::expr(cond!(
        size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
    ));
    assert_eq!(
        condition_text(&c),
        Err(Error::TooManyOperators {
            expression: ExpressionKind::Condition,
            count: 303,
            max: 300
        })
    );
}

#[test]
fn a_64_term_condition_compiles_and_renders() -> Result<(), Error> {
    let c = Thing::expr(cond!(
        size == 0
            || size == 1
            || size == 2
            || size == 3
            || size == 4
            || size == 5
            || size == 6
            || size == 7
            || size == 8
            || size == 9
            || size == 10
            || size == 11
            || size == 12
            || size == 13
            || size == 14
            || size == 15
            || size == 16
            || size == 17
            || size == 18
            || size == 19
            || size == 20
            || size == 21
            || size == 22
            || size == 23
            || size == 24
            || size == 25
            || size == 26
            || size == 27
            || size == 28
            || size == 29
            || size == 30
            || size == 31
            || size == 32
            || size == 33
            || size == 34
            || size == 35
            || size == 36
            || size == 37
            || size == 38
            || size == 39
            || size == 40
            || size == 41
            || size == 42
            || size == 43
            || size == 44
            || size == 45
            || size == 46
            || size == 47
            || size == 48
            || size == 49
            || size == 50
            || size == 51
            || size == 52
            || size == 53
            || size == 54
            || size == 55
            || size == 56
            || size == 57
            || size == 58
            || size == 59
            || size == 60
            || size == 61
            || size == 62
            || size == 63
    ));
    let text = condition_text(&c)?;
    assert_eq!(text.matches(" OR ").count(), 63);
    assert!(text.ends_with("#n0 = :v63"));
    Ok(())
}

#[test]
fn key_values_must_be_non_empty_and_within_size_limits() {
    let render = |r: Result<Shown<'_>, Error>| r.map(|s| s.finish());
    let empty = "";
    let k = Counter::expr(cond!(name == empty));
    assert_eq!(
        render(Shown::new().key(&k)).unwrap_err(),
        Error::EmptyKeyValue { attribute: "name" }
    );
    let long = "p".repeat(2049);
    let k = Counter::expr(cond!(name == long));
    assert_eq!(
        render(Shown::new().key(&k)).unwrap_err(),
        Error::KeyValueTooLong {
            attribute: "name",
            len: 2049,
            max: 2048
        }
    );
    let fits = "p".repeat(2048);
    let k = Counter::expr(cond!(name == fits));
    assert!(render(Shown::new().key(&k)).is_ok());
    let (y, sort) = (1999u32, "s".repeat(1025));
    let k = Movie::expr(cond!(year == y && title == sort));
    assert_eq!(
        render(Shown::new().key(&k)).unwrap_err(),
        Error::KeyValueTooLong {
            attribute: "title",
            len: 1025,
            max: 1024
        }
    );
    let k = Movie::expr(cond!(year == y && title between empty.."z"));
    assert_eq!(
        render(Shown::new().key(&k)).unwrap_err(),
        Error::EmptyKeyValue { attribute: "title" }
    );
    // A begins_with prefix is a sort key value too.
    let k = Movie::expr(cond!(year == y && begins_with(title, empty)));
    assert_eq!(
        render(Shown::new().key(&k)).unwrap_err(),
        Error::EmptyKeyValue { attribute: "title" }
    );
    let k = Movie::expr(cond!(year == y && begins_with(title, sort)));
    assert_eq!(
        render(Shown::new().key(&k)).unwrap_err(),
        Error::KeyValueTooLong {
            attribute: "title",
            len: 1025,
            max: 1024
        }
    );
}

#[test]
fn update_paths_may_not_overlap_or_conflict() -> Result<(), Error> {
    let (r, p) = (1.0, "plot");
    assert_eq!(
        update_text(&Movie::expr(update!(info.rating = r, info.rating = r))),
        Err(Error::PathsOverlap {
            first: 0,
            second: 1
        })
    );
    let info = awstin_core_tests::Info::default();
    assert_eq!(
        update_text(&Movie::expr(update!(info.plot = p, info = info))),
        Err(Error::PathsOverlap {
            first: 0,
            second: 1
        })
    );
    assert_eq!(
        update_text(&Movie::expr(update!(
            info.plot = p,
            remove(info.actors[0]),
            remove(info)
        ))),
        Err(Error::PathsOverlap {
            first: 0,
            second: 2
        })
    );
    let doc = awstin_core::Value::Null;
    assert_eq!(
        update_text(&Thing::expr(update!(doc["a"] = doc, doc[1] = doc))),
        Err(Error::PathsConflict {
            first: 0,
            second: 1
        })
    );
    // Siblings and different list elements are fine.
    assert_eq!(
        update_text(&Movie::expr(update!(
            info.plot = p,
            info.rating = r,
            remove(info.actors[0]),
            remove(info.actors[1])
        )))?,
        "SET #n0.#n1 = :v0, #n0.#n2 = :v1 REMOVE #n0.#n3[0], #n0.#n3[1]"
    );
    Ok(())
}

#[test]
fn projection_paths_may_not_overlap() {
    let p = Movie::expr(project!(info, info.rating));
    assert!(matches!(
        Shown::new().projection(&p),
        Err(Error::PathsOverlap {
            first: 0,
            second: 1
        })
    ));
}

#[test]
fn full_tables_and_outputs_are_errors_not_panics() {
    let (a, b) = ("a", "b");
    let c = Thing::expr(cond!(name == a && status == b));
    let mut out = String::new();
    assert_eq!(
        Request::<1, 8>::new().condition(&c, &mut out),
        Err(Error::Capacity {
            table: awstin_core::Table::Names,
            capacity: 1
        })
    );
    let mut out = String::new();
    assert_eq!(
        Request::<8, 1>::new().condition(&c, &mut out),
        Err(Error::Capacity {
            table: awstin_core::Table::Values,
            capacity: 1
        })
    );
    let mut small = heapless::String::<4>::new();
    assert_eq!(
        Request::<8, 8>::new().condition(&c, &mut small),
        Err(Error::Output)
    );
}

#[test]
fn placeholders_stay_far_below_255_bytes() {
    assert_eq!(Placeholder::value(usize::MAX).as_str().len(), 22);
    assert!(
        Placeholder::name(usize::MAX).as_str().len() <= awstin_core::render::MAX_PLACEHOLDER_BYTES
    );
}

#[test]
fn between_with_low_above_high_is_refused() -> Result<(), Error> {
    let (lo, hi) = (1959u32, 1950u32);
    assert_eq!(
        condition_text(&Movie::expr(cond!(year between lo..hi))),
        Err(Error::BetweenBounds)
    );
    assert_eq!(
        condition_text(&Movie::expr(cond!(title between "L".."A"))),
        Err(Error::BetweenBounds)
    );
    // Equal bounds are a valid inclusive range (one variable twice: one placeholder).
    assert_eq!(
        condition_text(&Movie::expr(cond!(year between hi..=hi)))?,
        "#n0 BETWEEN :v0 AND :v0"
    );
    Ok(())
}

#[test]
fn explicit_model_forms_build_without_inference() -> Result<(), Error> {
    let y = 1985u32;
    let c = cond!(Movie: year == y);
    let u = update!(awstin_core_tests::Movie: info.rating += 1);
    let p = project!(Movie: title, info.plot);
    let fields = <Movie as Document>::FIELDS;
    let text = Shown::new()
        .condition(&c(fields))?
        .update(&u(fields))?
        .projection(&p(fields))?
        .finish();
    assert!(text.starts_with(
        "ConditionExpression: #n0 = :v0\nUpdateExpression: SET #n1.#n2 = #n1.#n2 + :v1\nProjectionExpression: #n3, #n1.#n4\n"
    ));
    Ok(())
}

#[test]
fn a_repeated_first_operand_is_refused() {
    let refused = |r: Result<String, Error>, op: &str| matches!(r, Err(Error::OperandRepeated { operator }) if operator == op);
    assert!(refused(
        condition_text(&Thing::expr(cond!(size == attr(size)))),
        "="
    ));
    assert!(refused(
        condition_text(&Thing::expr(cond!(size < attr(size)))),
        "<"
    ));
    assert!(refused(
        condition_text(&Thing::expr(cond!(name between attr(name).."z"))),
        "BETWEEN"
    ));
    assert!(refused(
        condition_text(&Thing::expr(cond!(name between "a"..attr(name)))),
        "BETWEEN"
    ));
    assert!(refused(
        condition_text(&Thing::expr(cond!(contains(name, attr(name))))),
        "contains"
    ));
    assert!(refused(
        condition_text(&Thing::expr(cond!(name in [attr(name), "x"]))),
        "IN"
    ));
    // Another attribute, or the same name nested elsewhere, is fine.
    assert_eq!(
        condition_text(&Thing::expr(cond!(name == attr(r#type)))),
        Ok("#n0 = #n1".to_string())
    );
}

#[test]
fn in_lists_of_attributes_and_values_render_count_and_evaluate() -> Result<(), Error> {
    let c = Thing::expr(cond!(name in [attr(status), "x", attr(r#type)]));
    assert_eq!(condition_text(&c)?, "#n0 IN (#n1, :v0, #n2)");
    let item = awstin_core::Value::M(&[
        ("name", awstin_core::Value::S("t")),
        ("status", awstin_core::Value::S("s")),
        ("type", awstin_core::Value::S("t")),
    ]);
    assert!(c.eval(item)?);
    let other = awstin_core::Value::M(&[("name", awstin_core::Value::S("x"))]);
    assert!(c.eval(other)?);
    let none = awstin_core::Value::M(&[("name", awstin_core::Value::S("q"))]);
    assert!(!c.eval(none)?);
    Ok(())
}

#[test]
fn index_keys_are_never_set_to_null_or_empty() {
    dynamo_model! {
        pub struct Film { table "Films"; key id: String; index_key genre: Option<String>; index_key code: Option<awstin_core::BinaryBuf>; }
    }
    let (empty, none, blank) = ("", None::<String>, awstin_core::BinaryBuf(vec![]));
    let refused = |r: Result<String, Error>, what: &str| matches!(r, Err(Error::IndexKeyValue { found, .. }) if found == what);
    assert!(refused(
        update_text(&Film::expr(update!(genre = empty))),
        "an empty string"
    ));
    assert!(refused(
        update_text(&Film::expr(update!(genre = none))),
        "NULL"
    ));
    assert!(refused(
        update_text(&Film::expr(update!(code = blank))),
        "an empty binary"
    ));
    let drama = "Drama";
    assert_eq!(
        update_text(&Film::expr(update!(genre = drama))),
        Ok("SET #n0 = :v0".to_string())
    );
    assert_eq!(
        update_text(&Film::expr(update!(remove(genre)))),
        Ok("REMOVE #n0".to_string())
    );
}

#[test]
fn an_in_list_with_attributes_takes_at_most_100_operands() {
    // One attribute and 99 values: 100 operands, the limit.
    let at_limit = Thing::expr(
        cond!(name in [attr(status), "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v"]),
    );
    assert!(condition_text(&at_limit).is_ok());
    let over = Thing::expr(
        cond!(name in [attr(status), "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "v", "w"]),
    );
    assert_eq!(
        condition_text(&over),
        Err(Error::InValues {
            count: 101,
            max: 100
        })
    );
}

#[test]
fn in_values_know_when_they_are_empty() {
    use awstin_core::cond::InSlice;
    use awstin_core::cond::InValues;
    let (one, none): (Vec<u32>, Vec<u32>) = (vec![1], vec![]);
    assert_eq!((InSlice(&one).len(), InSlice(&one).is_empty()), (1, false));
    assert_eq!((InSlice(&none).len(), InSlice(&none).is_empty()), (0, true));
}

#[test]
fn a_value_operand_does_not_show_its_value_in_debug_output() {
    let secret = awstin_core::cond::Val("hunter2");
    assert_eq!(format!("{secret:?}"), "Val(..)");
}

#[test]
fn exactly_300_operators_are_accepted() {
    // 74 terms of 3 operators, one BETWEEN of three size() (4), and 74 ANDs: 300 operators.
    let c = Thing::expr(cond!(
        size(tags) between size(scores)..size(labels)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
            && size(tags) == size(scores)
    ));
    assert!(condition_text(&c).is_ok());
}

#[test]
fn list_indexes_up_to_i32_max_are_accepted() {
    let x = 0u8;
    let at_max = Thing::expr(cond!(matrix[2147483647][0] == x));
    assert_eq!(
        condition_text(&at_max),
        Ok("#n0[2147483647][0] = :v0".to_string())
    );
    let over = Thing::expr(cond!(matrix[2147483648][0] == x));
    assert_eq!(
        condition_text(&over),
        Err(Error::ListIndexTooLarge {
            index: 2_147_483_648,
            max: 2_147_483_647
        })
    );
}

#[test]
fn paths_and_updates_report_their_length() {
    use awstin_core::path::Segments;
    use awstin_core::update::Update;
    let (x, y) = (1u64, true);
    let u = Thing::expr(update!(size = x, flag = y, remove(status)));
    assert_eq!((Update::len(&u), Update::is_empty(&u)), (3, false));
    let cell = Thing::expr(|f| {
        use awstin_core::PathExt;
        f.matrix.index(1usize).index(2usize)
    });
    assert_eq!(
        (Segments::len(&cell), Segments::is_empty(&cell)),
        (3, false)
    );
}

#[test]
fn a_query_filter_refuses_key_attributes() {
    let i = "i";
    let c = Thing::expr(cond!(id == i));
    let mut out = String::new();
    assert_eq!(
        Request::<8, 8>::new().query_filter(&c, &mut out),
        Err(Error::KeyInFilter { attribute: "id" })
    );
    let n = "n";
    let c = Thing::expr(cond!(name == n));
    assert!(Request::<8, 8>::new().query_filter(&c, &mut out).is_ok());
}

#[test]
fn updates_take_paths_of_up_to_32_levels() {
    let v = 1u32;
    let at_limit = Thing::expr(update!(
        deep.next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .value = v
    ));
    assert_eq!(
        update_text(&at_limit).map(|t| t.starts_with("SET ")),
        Ok(true)
    );
    let over = Thing::expr(update!(
        deep.next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .next
            .value = v
    ));
    assert_eq!(
        update_text(&over),
        Err(Error::PathTooDeep { depth: 33, max: 32 })
    );
}

#[test]
fn an_expression_of_exactly_4096_bytes_is_accepted() {
    // Six IN lists: the last two lists' lengths are chosen so that the text is 4,096 bytes.
    // Four lists of their own: one list four times would be one set of placeholders.
    let full: Vec<u64> = (0..99).collect();
    let (f1, f2, f3, f4) = (full.clone(), full.clone(), full.clone(), full);
    let render = |a: &Vec<u64>, b: &Vec<u64>| {
        let c = Thing::expr(cond!(
            size in f1 || size in f2 || size in f3 || size in f4 || size in a || size in b
        ));
        let mut out = String::new();
        Request::<8, 1024>::new()
            .condition(&c, &mut out)
            .map(|()| out.len())
    };
    let fit = (1..=99u64)
        .flat_map(|a| (1..=99u64).map(move |b| (a, b)))
        .find_map(|(a, b)| {
            let (va, vb): (Vec<u64>, Vec<u64>) = ((0..a).collect(), (0..b).collect());
            (render(&va, &vb) == Ok(4096)).then_some((va, vb))
        });
    let Some((a, mut b)) = fit else {
        panic!("no pair of list lengths renders exactly 4,096 bytes");
    };
    b.push(0);
    assert!(matches!(
        render(&a, &b),
        Err(Error::ExpressionTooLong { len, max: 4096, .. }) if len > 4096
    ));
}

/// `Placeholder::to_text`: the constant texts of the first 16, and any index past them.
#[test]
fn placeholders_as_owned_text() {
    for (index, name, value) in [
        (0, "#n0", ":v0"),
        (7, "#n7", ":v7"),
        (15, "#n15", ":v15"),
        (16, "#n16", ":v16"),
        (1234, "#n1234", ":v1234"),
    ] {
        assert_eq!(Placeholder::name(index).to_text(), name);
        assert_eq!(Placeholder::value(index).to_text(), value);
    }
}

/// `Request::truncate` forgets the names and values past the counts given, and keeps the
/// others; `extend_from` copies another request's names and values after its own, and a
/// table that cannot hold them is `Error::Capacity`.
#[test]
fn requests_truncate_and_extend_their_tables() -> Result<(), Error> {
    let (y, t) = (1992u32, "Rush");
    let c = Movie::expr(cond!(year == y && title == t));
    let mut request = Request::<4, 4>::new();
    request.filter(&c, &mut String::new())?;
    assert_eq!((request.names().count(), request.values().count()), (2, 2));
    request.truncate(1, 0);
    assert_eq!(
        request.names().map(|(_, n)| n).collect::<Vec<_>>(),
        ["year"]
    );
    assert_eq!(request.values().count(), 0);

    let mut small = Request::<2, 2>::new();
    small.filter(&c, &mut String::new())?;
    let rated = Movie::expr(cond!(info.rating > y));
    let mut large = Request::<8, 8>::new();
    large.filter(&rated, &mut String::new())?;
    large.extend_from(&small)?;
    assert_eq!(
        large.names().map(|(_, n)| n).collect::<Vec<_>>(),
        ["info", "rating", "year", "title"]
    );
    assert_eq!(large.values().count(), 3);
    let mut tiny = Request::<1, 8>::new();
    assert!(matches!(
        tiny.extend_from(&small),
        Err(Error::Capacity { capacity: 1, .. })
    ));
    let mut no_values = Request::<8, 1>::new();
    assert!(matches!(
        no_values.extend_from(&small),
        Err(Error::Capacity { capacity: 1, .. })
    ));
    Ok(())
}

/// One value written twice (the same variable or field, which the macros borrow at each use)
/// is one placeholder; a value computed at each use, or a copy, is a value of its own.
#[test]
fn one_value_written_twice_is_one_placeholder() {
    let (x, y) = (7u64, 9u64);
    let copy = x;
    let c = Thing::expr(cond!(size == x || size in [x, y, x] || size < copy || size > (x * 2)));
    let mut text = String::new();
    let mut request = Request::<8, 8>::new();
    request.condition(&c, &mut text).expect("renders");
    assert_eq!(
        text,
        "#n0 = :v0 OR #n0 IN (:v0, :v1, :v0) OR #n0 < :v2 OR #n0 > :v3"
    );
    assert_eq!(request.values().count(), 4);
    // Fields of one struct are values of their own, though the first sits at its address.
    #[derive(Clone, Copy)]
    struct Pair {
        a: u64,
        b: u64,
    }
    let p = Pair { a: 1, b: 2 };
    let c = Thing::expr(cond!(size == p.a || size == p.b || size == p.a));
    assert_eq!(
        awstin_core_tests::condition_text(&c).expect("renders"),
        "#n0 = :v0 OR #n0 = :v1 OR #n0 = :v0"
    );
}

/// A value and its first field sit at one address, and a one-field document is the size of
/// its field: they are two values all the same (their types differ), never one placeholder.
#[test]
fn a_document_and_its_only_field_are_two_values() {
    dynamo_model! {
        #[derive(Debug, Clone, Copy, PartialEq)]
        pub struct One { attr v: u64; }
    }
    dynamo_model! {
        pub struct Holder { table "Holders"; key id: String; attr one: One; attr n: u64; }
    }
    let w = One { v: 7 };
    assert_eq!(
        std::ptr::addr_of!(w).cast::<u8>(),
        std::ptr::addr_of!(w.v).cast::<u8>()
    );
    assert_eq!(std::mem::size_of_val(&w), std::mem::size_of_val(&w.v));
    let c = Holder::expr(cond!(one == w && n == w.v));
    let mut text = String::new();
    let mut request = Request::<4, 4>::new();
    request.condition(&c, &mut text).expect("renders");
    assert_eq!(text, "#n0 = :v0 AND #n1 = :v1");
    assert_eq!(request.values().count(), 2);
}

/// Checks that `$c` has a plan and that a request following it writes what the renderer
/// writes: the text, the names and the values, alone, after a key condition (whose names
/// and values come first, so the plan's placeholders are renumbered as they are copied), and
/// as a write's condition. Counts the cases in `$n`.
macro_rules! planned_as_rendered {
    ($n:ident, $model:ident: $($c:tt)+) => {{
        planned_as_rendered(&$model::expr(cond!($($c)+)), stringify!($($c)+));
        $n += 1;
    }};
}

/// One case of `planned_as_rendered!`, in a function of its own (one stack frame for all).
fn planned_as_rendered<C: Condition<Model = M>, M>(c: &C, written: &str) {
    let plan = c.plan().unwrap_or_else(|| panic!("no plan for {written}"));
    let planned = Shown::new().filter(c).expect("renders").finish();
    let rendered = Shown::rendered().filter(c).expect("renders").finish();
    assert_eq!(planned, rendered, "{written}");
    // The request's text is the plan's, its placeholders' numbers aside (renumbered where two
    // paths end in one name).
    let digitless = |t: &str| t.replace(|c: char| c.is_ascii_digit(), "");
    let line = planned.lines().next().unwrap_or_default();
    assert_eq!(
        digitless(line),
        digitless(&format!("FilterExpression: {}", plan.text())),
        "{written}"
    );
    let (y, a) = (1999u32, "A");
    let key = Movie::expr(cond!(year == y && title >= a));
    let key_planned = Shown::new().key(&key).expect("renders");
    let key_rendered = Shown::rendered().key(&key).expect("renders");
    assert_eq!(
        key_planned.filter(c).expect("renders").finish(),
        key_rendered.filter(c).expect("renders").finish(),
        "after a key condition: {written}"
    );
    assert_eq!(
        Shown::new().condition(c).expect("renders").finish(),
        Shown::rendered().condition(c).expect("renders").finish(),
        "{written}"
    );
}

/// Every form of `cond!` with a fixed shape has a plan whose text, names and values are the
/// renderer's: comparisons, `between`, `in` lists, each function, `size`, `!`, groups that
/// need parentheses and groups that do not, nested and indexed paths, map keys, renamed
/// attributes, other attributes as operands, a variable and a path written twice, two paths
/// ending in one name.
#[test]
fn plans_write_what_the_renderer_writes() {
    let (y, z, t, r) = (1992u32, 2001u32, "The", 7.5f64);
    let (n, s, k) = (3u64, "x", 10u32);
    let names = ["a".to_string(), "b".to_string()];
    let mut cases = 0;
    planned_as_rendered!(cases, Movie: info.rating > r);
    planned_as_rendered!(cases, Movie: info.rating >= r && info.rank <= k && info.plot != s);
    planned_as_rendered!(cases, Movie: info.rating < r || info.rating == r);
    planned_as_rendered!(cases, Movie: info.rank between k..k);
    planned_as_rendered!(cases, Movie: info.rank between 1..=(k + 1));
    planned_as_rendered!(cases, Movie: info.rank in [1, 2, k]);
    planned_as_rendered!(cases, Movie: info.plot in [s, s, t]);
    planned_as_rendered!(cases, Movie: info.plot in [attr(info.release_date), s]);
    planned_as_rendered!(cases, Movie: attribute_exists(info.plot) && attribute_not_exists(info.rank));
    planned_as_rendered!(cases, Movie: attribute_type(info.rating, N) || attribute_type(info.actors, L));
    planned_as_rendered!(cases, Movie: begins_with(info.plot, t) && contains(info.actors, s));
    planned_as_rendered!(cases, Movie: contains(info.plot, attr(info.release_date)));
    planned_as_rendered!(cases, Movie: size(info.actors) > n && size(info.plot) between 1..n);
    planned_as_rendered!(cases, Movie: info.rank < size(info.actors));
    planned_as_rendered!(cases, Movie: !(info.rank == k) && !attribute_exists(info.plot));
    planned_as_rendered!(cases, Movie: !(!(info.rank == k)));
    planned_as_rendered!(cases, Movie: !(info.rank == k || info.rating > r));
    planned_as_rendered!(cases, Movie: (info.rank == k || info.rating > r) && info.plot == s);
    planned_as_rendered!(cases, Movie: info.rank == k || info.rating > r && info.plot == s);
    planned_as_rendered!(cases, Movie: ((info.rank == k)) && ((info.rating > r && info.plot == s)));
    planned_as_rendered!(cases, Movie: (info.rank == k || (info.rating > r || (info.plot == s && size(info.genres) > n))));
    planned_as_rendered!(cases, Movie: info.actors[0] == s && info.actors[12] != t);
    planned_as_rendered!(cases, Movie: info.directors[1] == attr(info.actors[1]));
    planned_as_rendered!(cases, Thing: labels["k"] == s && labels["other key"] == t && labels["k"] != t);
    planned_as_rendered!(cases, Thing: ttl > n && r#type == s);
    planned_as_rendered!(cases, Thing: deep.next.value == k && deep.value == k && deep.next.next.value > k);
    planned_as_rendered!(cases, Thing: matrix[0][1] == 3 && size(matrix[2]) > n);
    planned_as_rendered!(cases, Thing: flag == true || size == n || name == (names[1].as_str()));
    planned_as_rendered!(cases, Thing: name == (names[0].as_str()) || name == {names[1].clone()});
    planned_as_rendered!(cases, Movie: year == y || year == z || year < y);
    planned_as_rendered!(cases, MovieByGenre: genre == s && year between y..z && title > t);
    assert_eq!(cases, 31);
    assert_eq!(awstin_core::plan::fallbacks(), 0);
}

/// A condition whose shape is known only at run time has no plan and is rendered: `in` over
/// a slice, a list index held in a variable.
#[test]
fn conditions_shaped_at_run_time_are_rendered() -> Result<(), Error> {
    let (values, i) = (vec![1u64, 2, 3], 2usize);
    let by_slice = Thing::expr(cond!(size in values));
    assert!(by_slice.plan().is_none());
    assert_eq!(condition_text(&by_slice)?, "#n0 IN (:v0, :v1, :v2)");
    let by_index = Thing::expr(cond!(matrix[i][0] == 1 && size > 2));
    assert!(by_index.plan().is_none());
    assert_eq!(condition_text(&by_index)?, "#n0[2][0] = :v0 AND #n1 > :v1");
    Ok(())
}

/// A plan's request is checked as the renderer's: full tables, a key in a Query's filter,
/// a value DynamoDB refuses, the same path on both sides, each an error before anything is
/// written, and the tables as they were.
#[test]
fn a_plan_refuses_what_the_renderer_refuses() {
    let (k, s) = (3u32, "x");
    let c = Movie::expr(cond!(info.rank == k && info.plot == s));
    assert!(c.plan().is_some());
    let mut out = String::new();
    assert!(matches!(
        Request::<1, 8>::new().filter(&c, &mut out),
        Err(Error::Capacity { capacity: 1, .. })
    ));
    assert!(matches!(
        Request::<8, 1>::new().filter(&c, &mut out),
        Err(Error::Capacity { capacity: 1, .. })
    ));
    assert_eq!(out, "");
    let on_key = Movie::expr(cond!(info.rank == k || title == s));
    assert!(on_key.plan().is_some());
    assert_eq!(
        Request::<8, 8>::new().query_filter(&on_key, &mut out),
        Err(Error::KeyInFilter { attribute: "title" })
    );
    let r = f64::NAN;
    let nan = Movie::expr(cond!(info.rating > r));
    assert!(nan.plan().is_some());
    assert_eq!(condition_text(&nan), Err(Error::NotFinite));
    let huge = 1e300;
    assert!(condition_text(&Movie::expr(cond!(info.rating > huge))).is_err());
    let same = Movie::expr(cond!(info.rank == attr(info.rank)));
    assert!(same.plan().is_some());
    assert_eq!(
        condition_text(&same),
        Err(Error::OperandRepeated { operator: "=" })
    );
    assert_eq!(awstin_core::plan::fallbacks(), 0);
}

/// A condition of 100 terms `info.directors[i] == attr(info.actors[i])` (199 operators).
macro_rules! hundred_comparisons {
    ($($i:literal)*) => {
        cond!($( info.directors[$i] == attr(info.actors[$i]) )||*)
    };
}

/// A planned expression longer than DynamoDB's 4,096 bytes is refused as a rendered one is,
/// with its length.
#[test]
fn a_long_plan_is_refused_with_its_length() {
    let c = Movie::expr(hundred_comparisons!(
        2000000000 2000000001 2000000002 2000000003 2000000004 2000000005 2000000006 2000000007 2000000008 2000000009 2000000010 2000000011 2000000012 2000000013 2000000014 2000000015 2000000016 2000000017 2000000018 2000000019 2000000020 2000000021 2000000022 2000000023 2000000024 2000000025 2000000026 2000000027 2000000028 2000000029 2000000030 2000000031 2000000032 2000000033 2000000034 2000000035 2000000036 2000000037 2000000038 2000000039 2000000040 2000000041 2000000042 2000000043 2000000044 2000000045 2000000046 2000000047 2000000048 2000000049 2000000050 2000000051 2000000052 2000000053 2000000054 2000000055 2000000056 2000000057 2000000058 2000000059 2000000060 2000000061 2000000062 2000000063 2000000064 2000000065 2000000066 2000000067 2000000068 2000000069 2000000070 2000000071 2000000072 2000000073 2000000074 2000000075 2000000076 2000000077 2000000078 2000000079 2000000080 2000000081 2000000082 2000000083 2000000084 2000000085 2000000086 2000000087 2000000088 2000000089 2000000090 2000000091 2000000092 2000000093 2000000094 2000000095 2000000096 2000000097 2000000098 2000000099
    ));
    assert!(c.plan().is_some());
    let planned = condition_text(&c);
    let mut rendered = String::new();
    let rendered = Request::<64, 256>::new()
        .rendered()
        .condition(&c, &mut rendered)
        .map(|()| rendered);
    assert_eq!(planned, rendered);
    assert!(
        matches!(
            planned,
            Err(Error::ExpressionTooLong {
                len: 4496,
                max: 4096,
                ..
            })
        ),
        "{planned:?}"
    );
    assert_eq!(awstin_core::plan::fallbacks(), 0);
}

/// A projection has a plan: its text, names and values are the renderer's, alone and after a
/// key condition and a filter that name some of its attributes (the request's names come
/// first, so its placeholders are renumbered).
#[test]
fn projection_plans_write_what_the_renderer_writes() -> Result<(), Error> {
    let (y, a, r) = (1999u32, "A", 7.5);
    let key = Movie::expr(cond!(year == y && title >= a));
    let filter = Movie::expr(cond!(info.rating > r));
    let projections = [Movie::expr(project!(
        year,
        title,
        info.rating,
        info.actors[0],
        info.directors[12]
    ))];
    let by_key = Thing::expr(project!(
        labels["k"],
        labels["other"],
        deep.next.value,
        deep.value
    ));
    assert!(by_key.plan().is_some());
    assert_eq!(
        Shown::new().projection(&by_key)?.finish(),
        Shown::rendered().projection(&by_key)?.finish()
    );
    for p in &projections {
        assert!(p.plan().is_some());
        assert_eq!(
            Shown::new().projection(p)?.finish(),
            Shown::rendered().projection(p)?.finish()
        );
        let planned = Shown::new()
            .key(&key)?
            .filter(&filter)?
            .projection(p)?
            .finish();
        let rendered = Shown::rendered()
            .key(&key)?
            .filter(&filter)?
            .projection(p)?
            .finish();
        assert_eq!(planned, rendered);
        assert!(
            planned.contains("ProjectionExpression: #n0, #n1, #n2.#n3, #n2.#n4[0], #n2.#n5[12]\n")
        );
    }
    assert_eq!(awstin_core::plan::fallbacks(), 0);
    Ok(())
}

/// One case of `update_planned_as_rendered!`: the update has a plan, and a request following
/// it writes what the renderer writes, alone and followed by a write's condition (whose
/// names and values come after the update's).
fn update_planned_as_rendered<U: Update<Model = Thing>>(u: &U, written: &str) {
    assert!(u.plan().is_some(), "no plan for {written}");
    let (s, n) = ("x", 3u64);
    let c = Thing::expr(cond!(name == s && size > n));
    assert_eq!(
        Shown::new().update(u).expect("renders").finish(),
        Shown::rendered().update(u).expect("renders").finish(),
        "{written}"
    );
    assert_eq!(
        Shown::new()
            .update(u)
            .expect("renders")
            .condition(&c)
            .expect("renders")
            .finish(),
        Shown::rendered()
            .update(u)
            .expect("renders")
            .condition(&c)
            .expect("renders")
            .finish(),
        "with a condition: {written}"
    );
}

macro_rules! update_planned_as_rendered {
    ($n:ident, $($u:tt)+) => {{
        update_planned_as_rendered(&Thing::expr(update!($($u)+)), stringify!($($u)+));
        $n += 1;
    }};
}

/// Every form of `update!` has a plan whose text (its actions grouped by clause), names and
/// values are the renderer's: `=`, `+=`, `-=`, `a + b`, `a - b`, `if_not_exists`,
/// `list_append` both ways, `set`, `remove`, `add`, `delete`, a variable written twice, nested
/// paths ending in one name.
#[test]
fn update_plans_write_what_the_renderer_writes() {
    let (s, t, n, k) = ("x", "y", 3u64, 7u32);
    let tags: BTreeSet<String> = ["a".to_string()].into();
    let scores: BTreeSet<i64> = [1, 2].into();
    let rows = vec![vec![1u8], vec![2]];
    let mut cases = 0;
    update_planned_as_rendered!(cases, name = s);
    update_planned_as_rendered!(cases, name = s, status = t, size = n);
    update_planned_as_rendered!(cases, size += 1);
    update_planned_as_rendered!(cases, size -= n);
    update_planned_as_rendered!(cases, size = attr(size) + n);
    update_planned_as_rendered!(cases, size = n - attr(size));
    update_planned_as_rendered!(cases, status = if_not_exists(status, s));
    update_planned_as_rendered!(cases, matrix = list_append(attr(matrix), rows));
    update_planned_as_rendered!(cases, matrix = list_append(rows, attr(matrix)));
    update_planned_as_rendered!(cases, set(name, s), set(r#type, t));
    update_planned_as_rendered!(
        cases,
        remove(status),
        remove(matrix[0]),
        remove(labels["k"])
    );
    update_planned_as_rendered!(cases, add(tags, tags), delete(scores, scores));
    update_planned_as_rendered!(cases, add(size, n));
    update_planned_as_rendered!(
        cases,
        remove(status),
        size += 1,
        add(tags, tags),
        name = s,
        delete(scores, scores),
        r#type = s
    );
    update_planned_as_rendered!(
        cases,
        deep.value = k,
        deep.next.value = k,
        deep.next.next.value = k
    );
    update_planned_as_rendered!(cases, labels["a"] = s, labels["b"] = t, ttl = n);
    assert_eq!(cases, 16);
    assert_eq!(awstin_core::plan::fallbacks(), 0);
}

/// An update followed by one with no actions (what a write that derives nothing renders)
/// has the first update's plan; followed by actions, none (the renderer writes it).
#[test]
fn an_update_then_nothing_keeps_its_plan() {
    use awstin_core::update::UpdateExt;
    let (s, n) = ("x", 3u64);
    let u = Thing::expr(update!(name = s, size += 1));
    let more = Thing::expr(update!(size = n));
    let nothing = Some(&more).filter(|_| false);
    let text = u.plan().map(|p| p.text());
    assert!(text.is_some());
    assert_eq!((&u).then(nothing).plan().map(|p| p.text()), text);
    assert!((&u).then(Some(&more)).plan().is_none());
    assert_eq!(
        Shown::new()
            .update(&(&u).then(nothing))
            .expect("renders")
            .finish(),
        Shown::rendered().update(&u).expect("renders").finish()
    );
}
