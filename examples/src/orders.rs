//! The SQS worker of an order service: each order is charged once, however often SQS delivers
//! it, and the orders that fail are reported for retry, one by one.
//!
//! ```no_run
//! # async fn f(db: awstin::dynamodb::DynamoDb) {
//! let worker = awstin_examples::orders::Worker::new(&db);
//! // main: lambda_handler(batch::sqs::<Json<Order>>, move |orders| worker.clone().handle(orders)).run()
//! # let _ = worker;
//! # }
//! ```

use awstin::dynamo_model;
use awstin::dynamodb::{DynamoDb, Table};
use awstin::lambda::batch::{Batch, BatchResponse, Json};
use awstin::lambda::idempotency::{Idempotency, IdempotencyError, IdempotencyRecord};
use serde::{Deserialize, Serialize};

/// An order as the queue carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    /// The order's id: the idempotency key.
    pub id: String,
    /// What was bought.
    pub item: String,
    /// The amount, in cents.
    pub cents: u64,
}

dynamo_model! {
    /// The charges made for an order: each charge adds one to `times`, so a charge made
    /// twice shows.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Charge {
        table "Charges";
        /// The order charged.
        key order: String;
        /// The amount, in cents.
        attr cents: u64;
        /// How many times the order was charged.
        attr times: u64;
    }
}

/// Why an order was not charged.
#[derive(Debug)]
pub enum Refused {
    /// An order of no amount.
    NoAmount,
    /// Writing the charge failed.
    Store(awstin::dynamodb::Error),
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::NoAmount => f.write_str("an order of no amount"),
            Refused::Store(e) => write!(f, "the charge was not stored: {e}"),
        }
    }
}

impl std::error::Error for Refused {}

/// The worker: the charges table and the idempotency of its charges.
#[derive(Debug, Clone)]
pub struct Worker {
    charges: Table<Charge>,
    once: Idempotency,
}

impl Worker {
    /// A worker on `db`'s `Charges` and `Idempotency` tables (under the names the client's
    /// `TableNames` give them).
    pub fn new(db: &DynamoDb) -> Worker {
        Worker {
            charges: db.table::<Charge>(),
            once: Idempotency::new(db.table::<IdempotencyRecord>(), "orders-worker"),
        }
    }

    /// Charges one order (the function made idempotent).
    async fn charge(charges: Table<Charge>, order: Order) -> Result<String, Refused> {
        if order.cents == 0 {
            return Err(Refused::NoAmount);
        }
        let (cents, one) = (order.cents, 1u64);
        // Not idempotent on its own: each charge adds to `times`.
        charges
            .update(
                order.id.as_str(),
                awstin::update!(cents = cents, add(times, one)),
            )
            .await
            .map_err(Refused::Store)?;
        Ok(format!("charged {} cents for {}", order.cents, order.item))
    }

    /// Handles one SQS batch: each order charged once, the failures reported.
    pub async fn handle(
        self,
        orders: Batch<Json<Order>>,
    ) -> Result<BatchResponse, std::convert::Infallible> {
        let charges = self.charges.clone();
        let charge_once = self.once.wrap(
            |order: &Order| order.id.clone(),
            move |order| Worker::charge(charges.clone(), order),
        );
        Ok(orders
            .process(|Json(order)| {
                let charge_once = charge_once.clone();
                async move {
                    charge_once(order).await.map_err(|e| match e {
                        IdempotencyError::Function(refused) => refused.to_string(),
                        other => other.to_string(),
                    })
                }
            })
            .await)
    }
}
