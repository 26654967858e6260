//! DynamoDB's rules that the library applies before sending, each checked against the
//! embedded DynamoDB where it implements the rule, through the raw SDK, so that the refusal
//! awstin makes locally is the one the service makes.
#![allow(missing_docs)] // a test model: the fields speak for themselves

use aws_sdk_dynamodb::error::ProvideErrorMetadata;
use aws_sdk_dynamodb::types::AttributeValue;
use awstin::dynamodb::testing::{LocalDynamoDb, TableSpec, create_table};
use awstin::dynamodb::{DynamoDb, Error, Table};
use awstin::{BinaryBuf, Document, cond, dynamo_model};

dynamo_model! {
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct Doc {
        table "Docs";
        key id: String;
        attr s: Option<String>;
        attr data: Option<BinaryBuf>;
        attr n: Option<u64>;
        attr list: Option<Vec<String>>;
    }
}

async fn docs() -> (LocalDynamoDb, Table<Doc>) {
    let local = LocalDynamoDb::start().await.expect("a local DynamoDB");
    create_table(local.db(), &TableSpec::of::<Doc>().expect("a spec"))
        .await
        .expect("a table");
    let table = local.db().table::<Doc>();
    (local, table)
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
        docs.delete_if("d", cond!(size(s) == three)).await?,
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
    assert!(!docs.delete_if("d", cond!(contains(data, outer))).await?);
    assert!(docs.delete_if("d", cond!(contains(data, inner))).await?);
    Ok(())
}

#[tokio::test]
async fn the_first_operand_must_be_distinct() -> Result<(), Error> {
    let (local, docs) = docs().await;
    for refused in [
        docs.delete_if("d", cond!(n == attr(n))).await,
        docs.delete_if("d", cond!(n < attr(n))).await,
        docs.delete_if("d", cond!(contains(list, attr(list)))).await,
    ] {
        assert!(
            matches!(
                refused,
                Err(Error::Expression(awstin::Error::OperandRepeated { .. }))
            ),
            "got {refused:?}"
        );
    }
    // A different path is fine.
    docs.delete_if("d", cond!(list[0] == attr(s))).await?;
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
    let refused = docs.delete_if("d", cond!(list[2147483648] == x)).await;
    assert!(
        matches!(
            refused,
            Err(Error::Expression(awstin::Error::ListIndexTooLarge {
                index: 2_147_483_648,
                max: 2_147_483_647
            }))
        ),
        "got {refused:?}"
    );
    docs.delete_if("d", cond!(list[2147483647] == x)).await?;
    Ok(())
}

#[tokio::test]
async fn in_takes_100_values() -> Result<(), Error> {
    let (_local, docs) = docs().await;
    let hundred: Vec<u64> = (0..100).collect();
    assert!(!docs.delete_if("d", cond!(n in hundred)).await?);
    let rendered = Doc::expr(cond!(n in hundred));
    let mut text = String::new();
    awstin::Request::<4, 128>::new().condition(&rendered, &mut text)?;
    assert!(text.ends_with(":v99)"));
    Ok(())
}
