//! The SDK backend: the requests of [`awstin_core::op`] written into the SDK's own item and
//! input types, and the SDK's answers read into the core's [`op::Reply`], which the core
//! settles. The JSON backend is [`awstin_core::wire`]; both write the same descriptions.

use aws_sdk_dynamodb::types::{
    ConditionCheck, Delete, DeleteRequest, Put, PutRequest, TransactWriteItem, Update as SdkUpdate,
    WriteRequest,
};
use awstin_core::op;

use super::codec::{Item, to_item};
use super::error::{self, Call, Error};
use super::expr::{Expressions, expressions};

/// What a write does to one item, in the SDK's item type.
#[derive(Debug)]
pub(crate) enum Action {
    /// Writes the item (and keeps it when the put is conditional, to tell it from another's).
    Put { item: Item, kept: Option<Item> },
    /// Updates the item with the key.
    Update { key: Item },
    /// Deletes the item with the key.
    Delete { key: Item },
    /// Requires the condition of the item with the key (transactions only).
    Check { key: Item },
}

/// A write written for the SDK: what it sends alone or as a transaction member, and what the
/// checks of many writes together need of it.
#[derive(Debug)]
pub(crate) struct SdkWrite {
    /// The DynamoDB operation that sends it alone.
    pub(crate) operation: &'static str,
    pub(crate) action: Action,
    pub(crate) e: Expressions,
    pub(crate) returns: op::Returns,
    pub(crate) token: Option<String>,
    /// The item a transaction's member acts on, named (for two members of one item); `None`
    /// for a write sent alone, which needs none.
    pub(crate) identity: Option<String>,
    /// The size of a put's item.
    pub(crate) size: usize,
}

/// A write of the core as the SDK's parts.
pub(crate) fn write(mut w: op::Write<'_>) -> Result<SdkWrite, Error> {
    let conditional = w.is_conditional();
    let action = match w.action() {
        op::Action::Put(item) => {
            let item = to_item(&item)?;
            let kept = conditional.then(|| item.clone());
            Action::Put { item, kept }
        }
        op::Action::Update(key) => Action::Update {
            key: to_item(&key)?,
        },
        op::Action::Delete(key) => Action::Delete {
            key: to_item(&key)?,
        },
        op::Action::Check(key) => Action::Check {
            key: to_item(&key)?,
        },
    };
    Ok(SdkWrite {
        operation: w.operation(),
        identity: w
            .is_member()
            .then(|| w.key().identity(w.table()))
            .transpose()?,
        size: w.item_size(),
        returns: w.returns(),
        token: w.token().map(str::to_owned),
        e: expressions(w.expressions_mut())?,
        action,
    })
}

/// A batch's request of a put or a delete.
pub(crate) fn batch_request(w: op::Write<'_>, call: &Call) -> Result<WriteRequest, Error> {
    Ok(match w.action() {
        op::Action::Put(item) => WriteRequest::builder()
            .put_request(error::built(
                call.clone(),
                PutRequest::builder()
                    .set_item(Some(to_item(&item)?))
                    .build(),
            )?)
            .build(),
        op::Action::Delete(key) => WriteRequest::builder()
            .delete_request(error::built(
                call.clone(),
                DeleteRequest::builder()
                    .set_key(Some(to_item(&key)?))
                    .build(),
            )?)
            .build(),
        op::Action::Update(_) | op::Action::Check(_) => {
            return Err(awstin_core::Error::InvalidOption {
                option: "BatchWriteItem request",
                value: 1,
                allowed: "puts and deletes without a condition, version or token",
            }
            .into());
        }
    })
}

/// Sets a write's expressions on one of the SDK's request or member builders (they
/// share these setters but no trait), asking for the stored item when a condition is false.
macro_rules! with_expressions {
    ($builder:expr, $e:expr) => {{
        let e: $crate::dynamodb::Expressions = $e;
        let conditional = e.condition.is_some();
        $builder
            .set_condition_expression(e.condition)
            .set_expression_attribute_names(e.names)
            .set_expression_attribute_values(e.values)
            .set_return_values_on_condition_check_failure(
                conditional.then_some(
                    aws_sdk_dynamodb::types::ReturnValuesOnConditionCheckFailure::AllOld,
                ),
            )
    }};
}
pub(crate) use with_expressions;

/// A write as a member of a TransactWriteItems request.
pub(crate) fn member(write: SdkWrite, call: &Call) -> Result<TransactWriteItem, Error> {
    let table = call.table.to_string();
    let SdkWrite { action, e, .. } = write;
    let built = |r| error::built(call.clone(), r);
    Ok(match action {
        Action::Put { item, .. } => TransactWriteItem::builder()
            .put(built(
                with_expressions!(Put::builder().table_name(table).set_item(Some(item)), e).build(),
            )?)
            .build(),
        Action::Update { key } => {
            let update = e.update.clone();
            TransactWriteItem::builder()
                .update(error::built(
                    call.clone(),
                    with_expressions!(
                        SdkUpdate::builder()
                            .table_name(table)
                            .set_key(Some(key))
                            .set_update_expression(update),
                        e
                    )
                    .build(),
                )?)
                .build()
        }
        Action::Delete { key } => TransactWriteItem::builder()
            .delete(error::built(
                call.clone(),
                with_expressions!(Delete::builder().table_name(table).set_key(Some(key)), e)
                    .build(),
            )?)
            .build(),
        Action::Check { key } => TransactWriteItem::builder()
            .condition_check(error::built(
                call.clone(),
                with_expressions!(
                    ConditionCheck::builder()
                        .table_name(table)
                        .set_key(Some(key)),
                    e
                )
                .build(),
            )?)
            .build(),
    })
}

/// A GetItem as the SDK's request.
pub(crate) fn get(
    client: &aws_sdk_dynamodb::Client,
    r: op::Read<'_>,
) -> Result<aws_sdk_dynamodb::operation::get_item::builders::GetItemFluentBuilder, Error> {
    let op::ReadKind::Get(key) = r.kind() else {
        return Err(not_a("GetItem"));
    };
    Ok(client
        .get_item()
        .table_name(r.table())
        .set_key(Some(to_item(&key)?))
        .set_consistent_read(r.consistent().then_some(true)))
}

/// Sets what a Query and a Scan share on one of the SDK's two builders (they have these
/// setters but no trait): table, index, filter, projection, placeholders, limit, select,
/// consistency and start key. `e`'s filter, projection, names and values move out.
macro_rules! with_read {
    ($builder:expr, $r:ident, $e:ident, $start:ident) => {
        $builder
            .table_name($r.table())
            .set_index_name($r.index().map(str::to_owned))
            .set_filter_expression($e.filter)
            .set_projection_expression($e.projection)
            .set_expression_attribute_names($e.names)
            .set_expression_attribute_values($e.values)
            .set_limit(limit(&$r))
            .set_select(select(&$r))
            .set_consistent_read($r.consistent().then_some(true))
            .set_exclusive_start_key($start)
    };
}

/// A Query as the SDK's request.
pub(crate) fn query(
    client: &aws_sdk_dynamodb::Client,
    mut r: op::Read<'_>,
) -> Result<aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder, Error> {
    let op::ReadKind::Query { forward } = r.kind() else {
        return Err(not_a("Query"));
    };
    let start = r.start().map(super::cursor::to_sdk).transpose()?;
    let e = expressions(r.expressions_mut())?;
    Ok(with_read!(client.query(), r, e, start)
        .set_key_condition_expression(e.key_condition)
        .set_scan_index_forward((!forward).then_some(false)))
}

/// A Scan as the SDK's request.
pub(crate) fn scan(
    client: &aws_sdk_dynamodb::Client,
    mut r: op::Read<'_>,
) -> Result<aws_sdk_dynamodb::operation::scan::builders::ScanFluentBuilder, Error> {
    let op::ReadKind::Scan { segment } = r.kind() else {
        return Err(not_a("Scan"));
    };
    let start = r.start().map(super::cursor::to_sdk).transpose()?;
    let e = expressions(r.expressions_mut())?;
    let (segment, total) = match segment {
        Some((segment, total)) => (Some(segment), Some(total)),
        None => (None, None),
    };
    Ok(with_read!(client.scan(), r, e, start)
        .set_segment(segment.map(count))
        .set_total_segments(total.map(count)))
}

/// A read's `Limit` (the core keeps it within `i32`).
fn limit(r: &op::Read<'_>) -> Option<i32> {
    r.limit().map(count)
}

/// A count the core keeps within `i32`, as the SDK's `i32`.
pub(crate) fn count(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

fn select(r: &op::Read<'_>) -> Option<aws_sdk_dynamodb::types::Select> {
    r.count().then_some(aws_sdk_dynamodb::types::Select::Count)
}

/// A read of another kind than the request being made: a defect of the crate's own callers,
/// reported, not panicked on.
fn not_a(operation: &'static str) -> Error {
    Error::from(awstin_core::Error::InvalidOption {
        option: operation,
        value: 0,
        allowed: "a read of this operation's kind",
    })
}
