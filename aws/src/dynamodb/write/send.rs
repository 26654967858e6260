//! Sending a planned write alone, and reading its answer: the SDK's result read into the
//! core's [`op::Reply`], settled by the core's [`op::settle`] (the one place answers are
//! settled, for the JSON backend's hosts too), and the settlement read back as this crate's
//! [`Settled`] or [`Error`].

use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::types::ReturnValue;
use awstin_core::op;

use super::{ConditionFailed, Plan, Settled};
use crate::dynamodb::attempts::{Attempts, record};
use crate::dynamodb::backend::{self, Action, with_expressions};
use crate::dynamodb::codec::Item;
use crate::dynamodb::codec::SdkItems;
use crate::dynamodb::error::{self, Answered, Call, Error, ServiceError};

/// Sends a plan on its own (a one-member transaction when it has a token) and settles the
/// answer.
pub(crate) async fn execute(
    db: &crate::dynamodb::DynamoDb,
    mut plan: Plan<'_>,
) -> Result<Settled, Error> {
    let explain = plan.explain.take();
    let (call, lock) = (plan.call.clone(), plan.lock);
    let exact = plan.write.token.is_some();
    let kept = match &plan.write.action {
        Action::Put { kept, .. } => kept.clone(),
        _ => None,
    };
    let sent = match &plan.write.action {
        Action::Put { .. } => op::Sent::Put(kept.as_ref()),
        Action::Update { .. } => op::Sent::Update,
        Action::Delete { .. } => op::Sent::Delete,
        Action::Check { .. } => op::Sent::Check,
    };
    let (answer, attempts) = if exact {
        send_once(db, plan).await
    } else {
        send_alone(db, plan).await
    };
    let doubt = op::Attempts {
        earlier_unanswered: attempts.earlier_ambiguous(),
        any_unanswered: attempts.any_ambiguous(),
        exact,
    };
    let (reply, source) = match answer {
        Ok(answer) => answer,
        Err(e) => return Err(error::write_failed(call, doubt, e)),
    };
    match op::settle(reply, sent, lock, doubt, &SdkItems) {
        Ok(op::Settled::Applied(attributes)) => Ok(Settled::Applied(attributes)),
        Ok(op::Settled::NoItem) => Ok(Settled::NoItem),
        Ok(op::Settled::ConditionFalse(item)) => {
            let clauses = explain.map(|e| e.on(&item)).unwrap_or_default();
            Ok(Settled::ConditionFalse(Box::new(
                ConditionFailed::new(call, item).with_clauses(clauses),
            )))
        }
        Err(unsettled) => Err(error::unsettled(call, unsettled, source)),
    }
}

/// What one request of a write was answered with: a reply to settle (with the SDK's error
/// it was read from, for a cancellation's), or a failure.
type Answer = Result<(op::Reply<Item>, Option<ServiceError>), Error>;

/// The SDK's result of a write as the reply the core settles: applied (with the attributes
/// it returned), or the core's classification of the error ([`error::heard`]): a false
/// condition with the stored item, a cancellation; another failure is an error.
fn reply<O, E>(
    call: &Call,
    result: Result<O, SdkError<E, HttpResponse>>,
    attributes: impl FnOnce(O) -> Option<Item>,
) -> Answer
where
    E: Answered + ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match result {
        Ok(out) => Ok((
            op::Reply::Done(attributes(out).filter(|a| !a.is_empty())),
            None,
        )),
        Err(e) => match error::heard(&e).reply() {
            Some(reply) => Ok((reply, Some(ServiceError::new(e)))),
            None => Err(error::from_sdk(call.clone(), e)),
        },
    }
}

async fn send_alone(db: &crate::dynamodb::DynamoDb, plan: Plan<'_>) -> (Answer, Attempts) {
    let Plan { call, write, .. } = plan;
    let table = call.table.to_string();
    let client = &db.client;
    let e = write.e;
    let returns = match write.returns {
        op::Returns::Nothing => None,
        op::Returns::New => Some(ReturnValue::AllNew),
        op::Returns::Old => Some(ReturnValue::AllOld),
    };
    match write.action {
        Action::Put { item, .. } => {
            let request = with_expressions!(
                client
                    .put_item()
                    .table_name(table)
                    .set_item(Some(item))
                    .set_return_values(returns),
                e
            );
            let (result, attempts) = record(request.send()).await;
            (reply(&call, result, |_| None), attempts)
        }
        Action::Update { key } => {
            let update = e.update.clone();
            let request = with_expressions!(
                client
                    .update_item()
                    .table_name(table)
                    .set_key(Some(key))
                    .set_update_expression(update)
                    .set_return_values(returns),
                e
            );
            let (result, attempts) = record(request.send()).await;
            (reply(&call, result, |out| out.attributes), attempts)
        }
        Action::Delete { key } => {
            let request = with_expressions!(
                client
                    .delete_item()
                    .table_name(table)
                    .set_key(Some(key))
                    .set_return_values(returns),
                e
            );
            let (result, attempts) = record(request.send()).await;
            (reply(&call, result, |out| out.attributes), attempts)
        }
        Action::Check { .. } => (
            Err(Error::UnexpectedAnswer {
                call,
                missing: "a transaction for a condition check",
            }),
            Attempts::default(),
        ),
    }
}

/// Sends a plan with a token as a one-member TransactWriteItems: DynamoDB answers a repeat
/// of an applied token with that first outcome, so the answer is exact under retries.
async fn send_once(db: &crate::dynamodb::DynamoDb, mut plan: Plan<'_>) -> (Answer, Attempts) {
    let token = plan.write.token.take().unwrap_or_default();
    let call = plan.call.clone();
    let member = match backend::member(plan.write, &call) {
        Ok(member) => member,
        Err(e) => return (Err(e), Attempts::default()),
    };
    let (result, attempts) = record(
        db.client
            .transact_write_items()
            .transact_items(member)
            .client_request_token(token)
            .send(),
    )
    .await;
    let answer = reply(&call, result, |_| None);
    (answer, attempts)
}
