//! DynamoDB's rules that the library applies before sending, each checked against the
//! embedded DynamoDB where it implements the rule, through the raw SDK, so that the refusal
//! awstin makes locally is the one the service makes.
#![allow(missing_docs)] // a test model: the fields speak for themselves

use aws_sdk_dynamodb::error::ProvideErrorMetadata;
use aws_sdk_dynamodb::types::AttributeValue;
use awstin::dynamodb::{DynamoDb, Error, Refusal, Table, Written};
use awstin::testing::{LocalDynamoDb, TableSpec, create_table};
use awstin::{BinaryBuf, ValueBuf, cond, dynamo_model, update};
use awstin_tests::service_code;
use futures::TryStreamExt;

dynamo_model! {
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct Doc {
        table "Docs";
        key id: String;
        attr s: Option<String>;
        attr data: Option<BinaryBuf>;
        attr n: Option<u64>;
        attr list: Option<Vec<String>>;
        attr deep: Option<ValueBuf>;
    }
}

async fn docs() -> (LocalDynamoDb, Table<Doc>) {
    awstin_tests::local_table::<Doc>().await
}

/// The code DynamoDB answers a raw conditional delete of `id` with (`Ok` when it ran).
async fn raw_condition(
    db: &DynamoDb,
    condition: &str,
    names: &[(&str, &str)],
    values: &[(&str, AttributeValue)],
) -> Result<(), Option<String>> {
    let mut request = db
        .client()
        .delete_item()
        .table_name("Docs")
        .key("id", AttributeValue::S("d".into()))
        .condition_expression(condition);
    for (k, v) in names {
        request = request.expression_attribute_names(*k, *v);
    }
    for (k, v) in values {
        request = request.expression_attribute_values(*k, v.clone());
    }
    match request.send().await {
        Ok(_) => Ok(()),
        Err(e) if e.code() == Some("ConditionalCheckFailedException") => Ok(()),
        Err(e) => Err(e.code().map(str::to_owned)),
    }
}

#[tokio::test]
async fn size_of_a_string_counts_utf16_code_units_as_dynamodb_does() -> Result<(), Error> {
    let (_local, docs) = docs().await;
    let doc = Doc {
        id: "d".into(),
        s: Some("é𝄞".into()),
        ..Doc::default()
    };
    let three = 3;
    assert!(awstin::dynamodb::matches(&doc, cond!(size(s) == three))?);
    docs.put(&doc).await?;
    assert!(
        docs.delete("d")
            .when(cond!(size(s) == three))
            .await?
            .is_applied(),
        "the embedded DynamoDB counts 3 too"
    );
    Ok(())
}

#[tokio::test]
async fn contains_on_a_binary_finds_a_byte_substring_as_dynamodb_does() -> Result<(), Error> {
    let (_local, docs) = docs().await;
    let doc = Doc {
        id: "d".into(),
        data: Some(BinaryBuf(vec![1, 2, 3, 4])),
        ..Doc::default()
    };
    let (inner, outer) = (BinaryBuf(vec![2, 3]), BinaryBuf(vec![3, 2]));
    assert!(awstin::dynamodb::matches(
        &doc,
        cond!(contains(data, inner))
    )?);
    assert!(!awstin::dynamodb::matches(
        &doc,
        cond!(contains(data, outer))
    )?);
    docs.put(&doc).await?;
    assert!(
        !docs
            .delete("d")
            .when(cond!(contains(data, outer)))
            .await?
            .is_applied()
    );
    assert!(
        docs.delete("d")
            .when(cond!(contains(data, inner)))
            .await?
            .is_applied()
    );
    Ok(())
}

#[tokio::test]
async fn the_first_operand_must_be_distinct() -> Result<(), Error> {
    let (local, docs) = docs().await;
    for refused in [
        docs.delete("d").when(cond!(n == attr(n))).await,
        docs.delete("d").when(cond!(n < attr(n))).await,
        docs.delete("d")
            .when(cond!(contains(list, attr(list))))
            .await,
    ] {
        assert!(
            matches!(
                refused,
                Err(Error::Refused(Refusal::OperandRepeated { .. }))
            ),
            "got {refused:?}"
        );
    }
    // A different path is fine.
    let _ = docs.delete("d").when(cond!(list[0] == attr(s))).await?;
    // The embedded DynamoDB refuses the function form with DynamoDB's words.
    let n = [("#a", "list")];
    assert_eq!(
        raw_condition(local.db(), "contains(#a, #a)", &n, &[]).await,
        Err(Some("ValidationException".into()))
    );
    Ok(())
}

#[tokio::test]
async fn list_indexes_above_i32_max_are_refused() -> Result<(), Error> {
    let (_local, docs) = docs().await;
    let x = "x";
    let refused = docs.delete("d").when(cond!(list[2147483648] == x)).await;
    assert!(
        matches!(
            refused,
            Err(Error::Refused(Refusal::ListIndexTooLarge {
                index: 2_147_483_648,
                max: 2_147_483_647
            }))
        ),
        "got {refused:?}"
    );
    let _ = docs.delete("d").when(cond!(list[2147483647] == x)).await?;
    Ok(())
}

#[tokio::test]
async fn in_takes_100_values() -> Result<(), Error> {
    let (_local, docs) = docs().await;
    let hundred: Vec<u64> = (0..100).collect();
    assert_eq!(
        docs.delete("d").when(cond!(n in hundred)).await?,
        Written::NoItem
    );
    let rendered = Doc::expr(cond!(n in hundred));
    let mut text = String::new();
    awstin::Request::<4, 128>::new().condition(&rendered, &mut text)?;
    assert!(text.ends_with(":v99)"));
    Ok(())
}

/// A value whose innermost scalar stands at `level` when the value is a top-level
/// attribute's (level 1): `level - 1` lists around a number.
fn nested(level: usize) -> ValueBuf {
    (1..level).fold(ValueBuf::N(7u8.into()), |v, _| ValueBuf::L(vec![v]))
}

fn too_deep<T: std::fmt::Debug>(r: Result<T, Error>) -> bool {
    matches!(
        r,
        Err(Error::Refused(Refusal::NestingTooDeep {
            depth: 33,
            max: 32
        }))
    )
}

/// "DynamoDB supports nested attributes up to 32 levels deep", the top-level attribute's value
/// being level 1: one rule for writing, rendering, local evaluation and local updates, and
/// the embedded DynamoDB draws the line at the same place.
#[tokio::test]
async fn values_are_at_most_32_levels_deep_everywhere() -> Result<(), Error> {
    let (local, docs) = docs().await;
    let doc = |level| Doc {
        id: "d".into(),
        deep: Some(nested(level)),
        ..Doc::default()
    };
    let (ok, deep) = (nested(32), nested(33));
    // Rendering a value.
    let mut out = String::new();
    let (fits, too) = (Doc::expr(cond!(deep == ok)), Doc::expr(cond!(deep == deep)));
    awstin::Request::<4, 4>::new().condition(&fits, &mut out)?;
    let rendered = awstin::Request::<4, 4>::new()
        .condition(&too, &mut out)
        .map_err(Error::from);
    assert!(too_deep(rendered), "render");
    // Converting, evaluating, applying.
    awstin::dynamodb::to_item(&doc(32))?;
    assert!(
        too_deep(awstin::dynamodb::to_item(&doc(33)).map_err(Error::from)),
        "to_item"
    );
    assert!(awstin::dynamodb::matches(
        &doc(32),
        cond!(attribute_exists(deep))
    )?);
    assert!(
        too_deep(awstin::dynamodb::matches(
            &doc(33),
            cond!(attribute_exists(deep))
        )),
        "matches"
    );
    let one = 1;
    awstin::dynamodb::apply(&doc(32), update!(n = one))?;
    assert!(
        too_deep(awstin::dynamodb::apply(&doc(33), update!(n = one))),
        "apply"
    );
    // Writing: accepted at 32 by awstin and by the embedded DynamoDB; 33 refused by both.
    docs.put(&doc(32)).await?;
    assert!(too_deep(docs.put(&doc(33)).await), "put");
    let mut item = awstin::dynamodb::to_item(&doc(32))?;
    item.insert(
        "deep".into(),
        AttributeValue::L(vec![awstin::dynamodb::to_attribute_value(&nested(32))?]),
    );
    let refused = local
        .db()
        .client()
        .put_item()
        .table_name("Docs")
        .set_item(Some(item))
        .send()
        .await;
    assert_eq!(
        service_code(refused),
        Err(Some("ValidationException".into())),
        "the embedded DynamoDB refuses level 33 too"
    );
    Ok(())
}

/// A document far deeper than DynamoDB allows is refused as soon as it passes level 32, not
/// walked to its end: no stack overflow.
#[test]
fn a_thousand_levels_are_refused_without_overflowing_the_stack() {
    let doc = Doc {
        id: "d".into(),
        deep: Some(nested(1000)),
        ..Doc::default()
    };
    let one = 1;
    assert!(too_deep(awstin::dynamodb::apply(&doc, update!(n = one))));
    assert!(too_deep(
        awstin::dynamodb::to_item(&doc).map_err(Error::from)
    ));
    let mut levels = doc.deep;
    while let Some(ValueBuf::L(mut inner)) = levels {
        levels = inner.pop(); // dropped one level at a time
    }
}

#[test]
fn a_map_with_one_key_twice_is_refused() {
    let twice = awstin::Value::M(&[("a", awstin::Value::Bool(true)), ("a", awstin::Value::Null)]);
    assert_eq!(
        awstin::dynamodb::to_attribute_value(&twice),
        Err(Refusal::DuplicateKey)
    );
    let mut json = String::new();
    assert_eq!(
        awstin::expr::json::to_json(&twice, &mut json),
        Err(Refusal::DuplicateKey)
    );
}

/// DynamoDB answers an update it cannot apply to the stored item with `ValidationException`
/// before it looks at the condition (as Amazon's DynamoDB Local does); `apply_if` keeps that
/// order.
#[tokio::test]
async fn an_invalid_update_is_an_error_before_a_false_condition() -> Result<(), Error> {
    let (_local, docs) = docs().await;
    let doc = Doc {
        id: "d".into(),
        s: Some("text".into()),
        ..Doc::default()
    };
    docs.put(&doc).await?;
    let (one, none) = (1, "none");
    // `deep` holds a string: `deep + 1` has an operand of the wrong type, and `s == "none"`
    // is false.
    let text_doc = Doc {
        deep: Some(ValueBuf::S("x".into())),
        ..doc.clone()
    };
    docs.put(&text_doc).await?;
    let local = awstin::dynamodb::apply_if(&text_doc, update!(deep += one), cond!(s == none));
    assert!(
        matches!(local, Err(Error::Refused(Refusal::Update { .. }))),
        "got {local:?}"
    );
    // Recorded divergence: the embedded DynamoDB evaluates the condition first and answers
    // ConditionalCheckFailed, where Amazon's DynamoDB Local answers ValidationException. The
    // local order follows Amazon's engine.
    let server = docs
        .update("d", update!(deep += one))
        .when(cond!(s == none))
        .await;
    assert!(
        matches!(server, Ok(Written::ConditionFalse(_))),
        "got {server:?}"
    );
    // A valid update with a false condition is `None` on both sides.
    let text = "text";
    assert!(awstin::dynamodb::apply_if(&doc, update!(n = one), cond!(s == none))?.is_none());
    assert!(
        !docs
            .update("d", update!(n = one))
            .when(cond!(s == none))
            .await?
            .is_applied()
    );
    assert!(awstin::dynamodb::apply_if(&doc, update!(n = one), cond!(s == text))?.is_some());
    Ok(())
}

fn key_refused<T: std::fmt::Debug>(r: Result<T, Error>) -> bool {
    matches!(
        r,
        Err(Error::Refused(
            Refusal::EmptyKeyValue { .. } | Refusal::KeyValueTooLong { .. }
        ))
    )
}

/// Key values are checked on every call that carries a key, not only in key conditions:
/// string keys are not empty, a partition key is at most 2,048 bytes.
#[tokio::test]
async fn every_call_with_a_key_checks_its_size() -> Result<(), Error> {
    let (local, docs) = docs().await;
    let long = "k".repeat(2049);
    let fits = "k".repeat(2048);
    let doc = |id: &str| Doc {
        id: id.into(),
        ..Doc::default()
    };
    let one = 1;
    for (call, refused) in [
        ("put", key_refused(docs.put(&doc(&long)).await)),
        ("put empty", key_refused(docs.put(&doc("")).await)),
        ("get", key_refused(docs.get(long.as_str()).await)),
        ("delete", key_refused(docs.delete(long.as_str()).await)),
        (
            "update",
            key_refused(docs.update(long.as_str(), update!(n = one)).await),
        ),
        (
            "batch_put",
            key_refused(docs.batch_write([docs.put(&doc(&long))]).await),
        ),
        (
            "batch_get",
            key_refused(docs.batch_get([long.as_str()]).await),
        ),
        (
            "batch_delete",
            key_refused(docs.batch_write([docs.delete(long.as_str())]).await),
        ),
        (
            "transaction",
            key_refused(local.db().transact_write().write(docs.put(&doc(""))).await),
        ),
    ] {
        assert!(refused, "{call} sends an invalid key");
    }
    docs.put(&doc(&fits)).await?;
    // The embedded DynamoDB refuses the same key.
    let raw = local
        .db()
        .client()
        .put_item()
        .table_name("Docs")
        .item("id", AttributeValue::S(long))
        .send()
        .await;
    assert_eq!(service_code(raw), Err(Some("ValidationException".into())));
    Ok(())
}

/// Attribute names and map keys are at most 65,535 bytes, in values written and in paths.
#[tokio::test]
async fn attribute_names_over_65535_bytes_are_refused() -> Result<(), Error> {
    let (local, docs) = docs().await;
    let long = "n".repeat(65_536);
    let fits = "n".repeat(65_535);
    let map = |key: &str| {
        ValueBuf::M(
            [(key.to_owned(), ValueBuf::Bool(true))]
                .into_iter()
                .collect(),
        )
    };
    let doc = |deep| Doc {
        id: "d".into(),
        deep: Some(deep),
        ..Doc::default()
    };
    let too_long = |r: Result<(), Error>| {
        matches!(
            r,
            Err(Error::Refused(Refusal::NameTooLong {
                len: 65_536,
                max: 65_535
            }))
        )
    };
    assert!(too_long(docs.put(&doc(map(&long))).await), "a map key");
    docs.put(&doc(map(&fits))).await?;
    let key = long.as_str();
    assert!(
        too_long(
            docs.delete("d")
                .when(cond!(attribute_exists(deep[key])))
                .await
                .map(|_| ())
        ),
        "a path entry"
    );
    // Recorded divergence: the embedded DynamoDB does not implement this limit and stores the
    // name. awstin follows DynamoDB's documentation ("less than 64 KB").
    let raw = local
        .db()
        .client()
        .put_item()
        .table_name("Docs")
        .item("id", AttributeValue::S("r".into()))
        .item(long, AttributeValue::Bool(true))
        .send()
        .await;
    assert!(
        raw.is_ok(),
        "the emulator started enforcing the limit: {raw:?}"
    );
    Ok(())
}

/// DynamoDB takes other attributes among `IN`'s operands, and so does `cond!`.
#[tokio::test]
async fn in_lists_take_other_attributes() -> Result<(), Error> {
    let (_local, docs) = docs().await;
    let doc = Doc {
        id: "d".into(),
        s: Some("x".into()),
        list: Some(vec!["a".into()]),
        ..Doc::default()
    };
    let c = Doc::expr(cond!(s in [attr(list[0]), "x"]));
    let mut text = String::new();
    awstin::Request::<4, 4>::new().condition(&c, &mut text)?;
    assert_eq!(text, "#n0 IN (#n1[0], :v0)");
    assert!(awstin::dynamodb::matches(
        &doc,
        cond!(s in [attr(list[0]), "x"])
    )?);
    assert!(!awstin::dynamodb::matches(
        &doc,
        cond!(s in [attr(list[0]), "y"])
    )?);
    docs.put(&doc).await?;
    assert!(
        !docs
            .delete("d")
            .when(cond!(s in [attr(list[0]), "y"]))
            .await?
            .is_applied()
    );
    assert!(
        docs.delete("d")
            .when(cond!(s in [attr(list[0]), "x"]))
            .await?
            .is_applied()
    );
    assert!(matches!(
        docs.delete("d").when(cond!(s in [attr(s), "x"])).await,
        Err(Error::Refused(Refusal::OperandRepeated { operator: "IN" }))
    ));
    Ok(())
}

dynamo_model! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Film {
        table "Films";
        key id: String;
        index_key genre: Option<String>;
        attr plot: Option<String>;
    }
}

dynamo_model! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct FilmByGenre {
        index "by-genre" on "Films";
        key genre: String;
    }
}

/// A table model names the keys of its secondary indexes (`index_key`): they are typed like
/// any attribute, and never written as NULL or empty, which DynamoDB refuses for an index key.
#[tokio::test]
async fn secondary_index_keys_are_never_null_or_empty() -> Result<(), Error> {
    let local = LocalDynamoDb::start().await?;
    create_table(
        local.db(),
        &TableSpec::of::<Film>()?.with_index::<FilmByGenre>()?,
    )
    .await?;
    let films = local.db().table::<Film>();
    let film = |genre: Option<&str>| Film {
        id: "f".into(),
        genre: genre.map(str::to_owned),
        plot: None,
    };
    let refused = |r: Result<(), Error>, found: &str| {
        matches!(
            r,
            Err(Error::Refused(Refusal::IndexKeyValue { attribute: "genre", found: f })) if f == found
        )
    };
    assert!(refused(films.put(&film(Some(""))).await, "an empty string"));
    films.put(&film(Some("Drama"))).await?;
    films.put(&film(None)).await?; // leaving the index is fine
    let (empty, none): (&str, Option<String>) = ("", None);
    let set_empty = films.update("f", update!(genre = empty)).await.map(|_| ());
    assert!(refused(set_empty, "an empty string"));
    let set_null = films.update("f", update!(genre = none)).await.map(|_| ());
    assert!(refused(set_null, "NULL"));
    let drama = "Drama";
    films.update("f", update!(genre = drama)).await?;
    films.update("f", update!(remove(genre))).await?;
    // The embedded DynamoDB refuses the empty index key too.
    let raw = local
        .db()
        .client()
        .put_item()
        .table_name("Films")
        .item("id", AttributeValue::S("g".into()))
        .item("genre", AttributeValue::S(String::new()))
        .send()
        .await;
    assert_eq!(service_code(raw), Err(Some("ValidationException".into())));
    Ok(())
}

/// A request past the small placeholder tables (16 names, 24 values) grows them and renders
/// the same request as tables large enough from the start; DynamoDB then finds the items.
#[tokio::test]
async fn a_request_past_the_small_placeholder_tables_renders_alike() -> Result<(), Error> {
    let (_local, docs) = docs().await;
    for n in 0..60u64 {
        docs.put(&Doc {
            id: format!("d{n}"),
            n: Some(n),
            ..Doc::default()
        })
        .await?;
    }
    let wanted: Vec<u64> = (10..50).collect();
    let filter = Doc::expr(cond!(n in wanted && attribute_not_exists(deep)));
    let mut render = awstin::dynamodb::Render::new();
    render.filter(&filter)?;
    let grown = render.finish()?;
    let mut text = String::new();
    let mut large = awstin::Request::<64, 128>::new();
    large.filter(&filter, &mut text)?;
    assert_eq!(grown.filter.as_deref(), Some(text.as_str()));
    let values = grown.values.as_ref().expect("values");
    assert_eq!(values.len(), 40);
    for (placeholder, value) in large.values() {
        assert_eq!(
            values[placeholder.as_str().as_str()],
            awstin::dynamodb::to_attribute_value(value)?
        );
    }
    let mut found: Vec<u64> = docs
        .scan()
        .filter(cond!(n in wanted))
        .stream()
        .map_ok(|d| d.n.unwrap_or_default())
        .try_collect()
        .await?;
    found.sort_unstable();
    assert_eq!(found, wanted);
    Ok(())
}

/// The operand types DynamoDB refuses whatever the item holds ("Incorrect operand type for
/// operator or function"), each refused before sending with a typed error, and the embedded
/// DynamoDB's answer to the same expression beside it:
///
/// - `begins_with` takes a string or a binary: the embedded DynamoDB refuses a number, BOOL,
///   NULL, list, map or set value as Amazon's engine does.
/// - `BETWEEN` takes bounds of one type: the embedded DynamoDB refuses two types as Amazon's
///   engine does.
/// - An ordering comparison (`<`, `<=`, `>`, `>=`, and `BETWEEN`'s bounds) takes a string, a
///   number or a binary value. Amazon's DynamoDB Local refuses a BOOL, a list and a string set
///   (`../shared/reference/dynamodb-expressions.md`), DynamoDB's documentation of the
///   comparison operators says "String, Number, or Binary (not a set type)", and an emulator
///   checked against Amazon DynamoDB refuses NULL, maps and every set as well (ExtendDB pull
///   request 216); the embedded DynamoDB does not implement the rule and answers such a
///   condition as false. The library follows Amazon's engine: refused, for every type but S,
///   N and B. (A path that holds another type is not refused: the comparison is false.)
#[tokio::test]
async fn operand_types_dynamodb_refuses_whatever_the_item_holds() -> Result<(), Error> {
    use awstin::AttributeType as T;
    let (local, docs) = docs().await;
    let value = |t: T| -> ValueBuf {
        match t {
            T::S => ValueBuf::S("a".into()),
            T::N => ValueBuf::N("1".parse().expect("a number")),
            T::B => ValueBuf::B(vec![1]),
            T::BOOL => ValueBuf::Bool(true),
            T::NULL => ValueBuf::Null,
            T::L => ValueBuf::L(vec![ValueBuf::S("a".into())]),
            T::M => ValueBuf::M([("k".to_owned(), ValueBuf::S("a".into()))].into()),
            T::SS => ValueBuf::SS(vec!["a".into()]),
            T::NS => ValueBuf::NS(vec!["1".parse().expect("a number")]),
            T::BS => ValueBuf::BS(vec![vec![1]]),
        }
    };
    let av = |t: T| -> AttributeValue {
        match t {
            T::S => AttributeValue::S("a".into()),
            T::N => AttributeValue::N("1".into()),
            T::B => AttributeValue::B(vec![1u8].into()),
            T::BOOL => AttributeValue::Bool(true),
            T::NULL => AttributeValue::Null(true),
            T::L => AttributeValue::L(vec![AttributeValue::S("a".into())]),
            T::M => AttributeValue::M([("k".to_owned(), AttributeValue::S("a".into()))].into()),
            T::SS => AttributeValue::Ss(vec!["a".into()]),
            T::NS => AttributeValue::Ns(vec!["1".into()]),
            T::BS => AttributeValue::Bs(vec![vec![1u8].into()]),
        }
    };
    let all = [
        T::S,
        T::N,
        T::B,
        T::BOOL,
        T::NULL,
        T::L,
        T::M,
        T::SS,
        T::NS,
        T::BS,
    ];
    let ordered = [T::S, T::N, T::B];
    let names = [("#a", "deep")];
    let refused_as = |r: Result<Written<()>, Error>| match r {
        Err(Error::Refused(e)) => Some(e),
        _ => None,
    };
    let mut cases = 0;
    for t in all {
        let v = value(t);
        let given = [(":v", av(t))];
        // begins_with: a string or a binary.
        let ours = refused_as(docs.delete("d").when(cond!(begins_with(deep, v))).await);
        let theirs = raw_condition(local.db(), "begins_with(#a, :v)", &names, &given).await;
        if matches!(t, T::S | T::B) {
            assert_eq!((ours, theirs), (None, Ok(())), "begins_with of {t}");
        } else {
            assert_eq!(
                ours,
                Some(Refusal::OperandType {
                    operator: "begins_with",
                    found: t
                }),
                "begins_with of {t}"
            );
            assert_eq!(
                theirs,
                Err(Some("ValidationException".into())),
                "begins_with of {t}"
            );
        }
        // Ordering comparisons.
        for (ours, operator, expression) in [
            (docs.delete("d").when(cond!(deep < v)).await, "<", "#a < :v"),
            (
                docs.delete("d").when(cond!(deep >= v)).await,
                ">=",
                "#a >= :v",
            ),
            (docs.delete("d").when(cond!(deep > v)).await, ">", "#a > :v"),
        ] {
            let theirs = raw_condition(local.db(), expression, &names, &given).await;
            if ordered.contains(&t) {
                assert_eq!(
                    (refused_as(ours), &theirs),
                    (None, &Ok(())),
                    "{expression} of {t}"
                );
            } else {
                assert_eq!(
                    refused_as(ours),
                    Some(Refusal::OperandType { operator, found: t }),
                    "{expression} of {t}"
                );
                // The embedded DynamoDB does not implement the rule: the condition is false.
                assert_eq!(
                    theirs,
                    Ok(()),
                    "the embedded DynamoDB on {expression} of {t}"
                );
            }
        }
        // BETWEEN: bounds of one ordered type.
        for u in all {
            let (low, high) = (value(t), value(u));
            let ours = refused_as(docs.delete("d").when(cond!(deep between low..high)).await);
            let bounds = [(":x", av(t)), (":y", av(u))];
            let theirs = raw_condition(local.db(), "#a BETWEEN :x AND :y", &names, &bounds).await;
            cases += 1;
            if t != u {
                let expected = if !ordered.contains(&t) {
                    Refusal::OperandType {
                        operator: "BETWEEN",
                        found: t,
                    }
                } else if !ordered.contains(&u) {
                    Refusal::OperandType {
                        operator: "BETWEEN",
                        found: u,
                    }
                } else {
                    Refusal::BetweenTypes { low: t, high: u }
                };
                assert_eq!(ours, Some(expected), "BETWEEN {t} AND {u}");
                assert_eq!(
                    theirs,
                    Err(Some("ValidationException".into())),
                    "BETWEEN {t} AND {u}"
                );
            } else if ordered.contains(&t) {
                assert_eq!((ours, theirs), (None, Ok(())), "BETWEEN {t} AND {u}");
            } else {
                assert_eq!(
                    ours,
                    Some(Refusal::OperandType {
                        operator: "BETWEEN",
                        found: t
                    }),
                    "BETWEEN {t} AND {u}"
                );
                assert_eq!(
                    theirs,
                    Ok(()),
                    "the embedded DynamoDB on BETWEEN {t} AND {u}"
                );
            }
        }
        cases += 4;
    }
    assert_eq!(cases, 140);
    // `None` for an ordering comparison is a NULL value: refused too.
    let none: Option<u64> = None;
    assert_eq!(
        refused_as(docs.delete("d").when(cond!(n < none)).await),
        Some(Refusal::OperandType {
            operator: "<",
            found: T::NULL
        })
    );
    // The local evaluator refuses what DynamoDB refuses.
    let doc = Doc {
        id: "d".into(),
        ..Doc::default()
    };
    let flag = ValueBuf::Bool(true);
    assert!(matches!(
        awstin::dynamodb::matches(&doc, cond!(deep < flag)),
        Err(Error::Refused(Refusal::OperandType {
            operator: "<",
            found: T::BOOL
        }))
    ));
    Ok(())
}

/// One value written six times is one set of placeholders: a condition of six `IN` lists of
/// the same 100 values renders in 3,602 bytes and DynamoDB takes it; with a placeholder for
/// each use (six copies of the list) the same condition is 4,152 bytes, over DynamoDB's
/// 4,096, and is refused before sending.
#[tokio::test]
async fn a_value_written_twice_is_one_placeholder_and_keeps_a_long_condition_under_the_limit()
-> Result<(), Error> {
    let (local, docs) = docs().await;
    let xs: Vec<String> = (0..100).map(|i| format!("v{i}")).collect();
    let doc = Doc {
        id: "d".into(),
        s: Some("v42".into()),
        ..Doc::default()
    };
    docs.put(&doc).await?;
    let once = Doc::expr(cond!(s in xs || s in xs || s in xs || s in xs || s in xs || s in xs));
    let mut render = awstin::dynamodb::Render::new();
    render.condition(&once)?;
    let e = render.finish()?;
    assert_eq!(
        (
            e.condition.as_deref().map(str::len),
            e.values.map(|v| v.len())
        ),
        (Some(3602), Some(100))
    );
    assert!(
        docs.delete("d")
            .when(cond!(s in xs || s in xs || s in xs || s in xs || s in xs || s in xs))
            .await?
            .is_applied(),
        "DynamoDB takes the condition and it holds"
    );
    let (a, b, c, d, e, f) = (
        xs.clone(),
        xs.clone(),
        xs.clone(),
        xs.clone(),
        xs.clone(),
        xs,
    );
    docs.put(&doc).await?;
    let copies = docs
        .delete("d")
        .when(cond!(s in a || s in b || s in c || s in d || s in e || s in f))
        .await;
    assert!(
        matches!(
            copies,
            Err(Error::Refused(Refusal::ExpressionTooLong {
                len: 4152,
                max: 4096,
                ..
            }))
        ),
        "{copies:?}"
    );
    let _ = local;
    Ok(())
}
