//! Requests of many items as JSON bodies: `BatchWriteItem` (puts and deletes, split into
//! requests of 25), `BatchGetItem` (keys, split into requests of 100) and `TransactWriteItems`
//! (1 to 100 members, all applied or none), each checked by the same checks as every backend
//! ([`op::Distinct`](crate::op::Distinct), [`op::Transaction`](crate::op::Transaction)).

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use super::body::{Body, Wire, member};
use crate::limits::{MAX_BATCH_GET_KEYS, MAX_BATCH_WRITE_REQUESTS};
use crate::op::{Action, Distinct, Key, Transaction, Write, WriteSpec};
use crate::{error::Error, expr::cond::Condition, expr::model::Model, expr::update::Update};

/// Requests of one operation, in the order added, each with its table.
#[derive(Debug, Clone, Default)]
struct PerTable {
    requests: Vec<(String, String)>,
}

impl PerTable {
    /// Requests of at most `max` each, each `{"RequestItems":{table: wrap(list)}}`.
    fn build(&self, target: &'static str, max: usize, wrap: fn(&str) -> String) -> Vec<Wire> {
        self.requests
            .chunks(max)
            .map(|chunk| {
                let mut tables: BTreeMap<&str, String> = BTreeMap::new();
                for (table, request) in chunk {
                    let list = tables.entry(table).or_default();
                    if !list.is_empty() {
                        list.push(',');
                    }
                    list.push_str(request);
                }
                let mut items = Body::new();
                for (table, list) in &tables {
                    items.raw(table, &wrap(list));
                }
                let mut body = Body::new();
                body.raw("RequestItems", &items.finish());
                Wire {
                    target,
                    body: body.finish(),
                }
            })
            .collect()
    }
}

/// The requests of a `BatchWriteItem`: puts and deletes without a condition (a batch takes
/// none), of one table or several; [`build`](Self::build) splits them into requests of at most
/// 25. What DynamoDB leaves unprocessed comes back in
/// [`Answer::unprocessed`](super::Answer::unprocessed).
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
/// use awstin_core::op::{Key, WriteSpec};
/// use awstin_core::wire::BatchWriteItem;
/// let movies: Vec<Movie> = (2000..2030).map(|year| Movie { year, title: "Rush".into() }).collect();
/// let mut batch = BatchWriteItem::new();
/// for m in &movies {
///     batch.add(WriteSpec::put("Movies", m))?;
/// }
/// batch.add(WriteSpec::<Movie>::delete("Movies", Key::of::<Movie, _>(&(1999, "Rush"))))?;
/// let requests = batch.build();
/// assert_eq!(requests.len(), 2, "31 requests: 25 and 6");
/// assert_eq!(requests[0].target, "DynamoDB_20120810.BatchWriteItem");
/// assert!(requests[1].body.ends_with(r#"{"DeleteRequest":{"Key":{"year":{"N":"1999"},"title":{"S":"Rush"}}}}]}}"#));
/// # Ok::<(), awstin_core::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct BatchWriteItem {
    requests: PerTable,
    items: Distinct,
}

impl BatchWriteItem {
    /// An empty batch.
    ///
    /// ```
    /// assert!(awstin_core::wire::BatchWriteItem::new().build().is_empty());
    /// ```
    pub fn new() -> BatchWriteItem {
        BatchWriteItem::default()
    }

    /// Adds a put or a delete (without a condition, version or token:
    /// [`Error::InvalidOption`] otherwise); a second request of the same item is
    /// [`Error::SameItemTwice`].
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin_core::{Error, op::WriteSpec};
    /// let mut batch = awstin_core::wire::BatchWriteItem::new();
    /// let rush = Movie { year: 2013, title: "Rush".into() };
    /// batch.add(WriteSpec::put("Movies", &rush))?;
    /// assert_eq!(batch.add(WriteSpec::put("Movies", &rush)).unwrap_err(), Error::SameItemTwice { first: 0, second: 1 });
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn add<M: Model, U: Update<Model = M>, C: Condition<Model = M>>(
        &mut self,
        spec: WriteSpec<'_, M, U, C>,
    ) -> Result<&mut Self, Error> {
        let request = spec.member().build(|w| {
            self.items.add(w.table(), &w.key())?;
            Ok((String::from(w.table()), request(&w)?))
        })?;
        self.requests.requests.push(request);
        Ok(self)
    }

    /// The requests, 25 at most each; none for an empty batch.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin_core::op::{Key, WriteSpec};
    /// let mut batch = awstin_core::wire::BatchWriteItem::new();
    /// for year in 0..50 {
    ///     batch.add(WriteSpec::<Movie>::delete("Movies", Key::of::<Movie, _>(&(year, "Rush"))))?;
    /// }
    /// assert_eq!(batch.build().len(), 2);
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn build(&self) -> Vec<Wire> {
        self.requests.build(
            "DynamoDB_20120810.BatchWriteItem",
            MAX_BATCH_WRITE_REQUESTS,
            |list| {
                let mut s = String::from("[");
                s.push_str(list);
                s.push(']');
                s
            },
        )
    }
}

/// A batch's request of a put or delete: `{"PutRequest":{"Item":..}}` or
/// `{"DeleteRequest":{"Key":..}}`.
fn request(w: &Write<'_>) -> Result<String, Error> {
    if !w.expressions().is_empty() || w.token().is_some() {
        return Err(Error::InvalidOption {
            option: "BatchWriteItem request",
            value: 1,
            allowed: "puts and deletes without a condition, version or token",
        });
    }
    let (name, inner) = match w.action() {
        Action::Put(item) => {
            let mut put = Body::new();
            put.members("Item", &item)?;
            ("PutRequest", put.finish())
        }
        Action::Delete(key) => {
            let mut delete = Body::new();
            delete.members("Key", &key)?;
            ("DeleteRequest", delete.finish())
        }
        Action::Update(_) | Action::Check(_) => {
            return Err(Error::InvalidOption {
                option: "BatchWriteItem request",
                value: 1,
                allowed: "puts and deletes without a condition, version or token",
            });
        }
    };
    let mut request = Body::new();
    request.raw(name, &inner);
    Ok(request.finish())
}

/// The keys of a `BatchGetItem`, of one table or several: [`build`](Self::build) splits them
/// into requests of at most 100. Read the items with
/// [`Answer::responses`](super::Answer::responses); keys left unprocessed come back in
/// [`Answer::unprocessed`](super::Answer::unprocessed).
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
/// use awstin_core::op::Key;
/// let mut batch = awstin_core::wire::BatchGetItem::new();
/// batch.get("Movies", Key::of::<Movie, _>(&(2013, "Rush")))?;
/// let requests = batch.build();
/// assert_eq!(requests[0].body, r#"{"RequestItems":{"Movies":{"Keys":[{"year":{"N":"2013"},"title":{"S":"Rush"}}]}}}"#);
/// # Ok::<(), awstin_core::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct BatchGetItem {
    keys: PerTable,
    items: Distinct,
}

impl BatchGetItem {
    /// An empty batch.
    ///
    /// ```
    /// assert!(awstin_core::wire::BatchGetItem::new().build().is_empty());
    /// ```
    pub fn new() -> BatchGetItem {
        BatchGetItem::default()
    }

    /// Adds the item with `key` of `table`: the key checked as every key, the table's name
    /// as every name; a key given twice is [`Error::SameItemTwice`].
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin_core::op::Key;
    /// let mut batch = awstin_core::wire::BatchGetItem::new();
    /// batch.get("Movies", Key::of::<Movie, _>(&(2013, "Rush")))?;
    /// assert!(batch.get("Movies", Key::of::<Movie, _>(&(2013, "Rush"))).is_err());
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn get(&mut self, table: &str, key: Key<'_>) -> Result<&mut Self, Error> {
        if let Some(reason) = crate::limits::table_name_refusal(table) {
            return Err(Error::InvalidTableName { reason });
        }
        key.check()?;
        self.items.add(table, &key)?;
        let mut json = String::new();
        crate::values::json::to_json(&key, &mut json)?;
        let json = String::from(
            json.strip_prefix(r#"{"M":"#)
                .and_then(|j| j.strip_suffix('}'))
                .unwrap_or(&json),
        );
        self.keys.requests.push((String::from(table), json));
        Ok(self)
    }

    /// The requests, 100 keys at most each; none for an empty batch.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin_core::op::Key;
    /// let mut batch = awstin_core::wire::BatchGetItem::new();
    /// for year in 0..101 {
    ///     batch.get("Movies", Key::of::<Movie, _>(&(year, "Rush")))?;
    /// }
    /// assert_eq!(batch.build().len(), 2, "100 keys and 1");
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn build(&self) -> Vec<Wire> {
        self.keys.build(
            "DynamoDB_20120810.BatchGetItem",
            MAX_BATCH_GET_KEYS,
            |list| {
                let mut s = String::from(r#"{"Keys":["#);
                s.push_str(list);
                s.push_str("]}");
                s
            },
        )
    }
}

/// The members of a `TransactWriteItems`: puts, updates, deletes (each with an optional
/// condition or version) and condition checks, applied all or none. A member whose condition
/// is false asks for the stored item, which comes back in
/// [`Failure::TransactionCanceled`](super::Failure::TransactionCanceled).
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr plays: u64 } }
/// use awstin_core::op::{Key, WriteSpec};
/// use awstin_core::{Document, wire};
/// let (one, new) = (1, Movie { year: 2014, title: "Her".into(), plays: 0 });
/// let plays = Movie::expr(awstin_macros::update!(plays += one));
/// let absent = Movie::expr(awstin_macros::cond!(attribute_not_exists(year)));
/// let request = wire::TransactWriteItems::new()
///     .add(WriteSpec::update("Movies", Key::of::<Movie, _>(&(2013, "Rush")), &plays))?
///     .add(WriteSpec::put("Movies", &new).when(&absent))?
///     .build()?;
/// assert_eq!(request.target, "DynamoDB_20120810.TransactWriteItems");
/// # Ok::<(), awstin_core::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct TransactWriteItems {
    members: Vec<String>,
    check: Transaction,
    token: Option<String>,
}

impl TransactWriteItems {
    /// An empty transaction.
    ///
    /// ```
    /// assert!(awstin_core::wire::TransactWriteItems::new().build().is_err(), "a transaction has members");
    /// ```
    pub fn new() -> TransactWriteItems {
        TransactWriteItems::default()
    }

    /// Sets the idempotency token (`ClientRequestToken`, 1 to 36 bytes).
    ///
    /// ```
    /// let t = awstin_core::wire::TransactWriteItems::new().token("order-17");
    /// assert!(t.is_ok());
    /// ```
    pub fn token(mut self, token: &str) -> Result<Self, Error> {
        self.token = Some(String::from(crate::op::check_token(token)?));
        Ok(self)
    }

    /// Adds a member; a second member of the same item is [`Error::SameItemTwice`] (DynamoDB
    /// refuses it).
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin_core::op::{Key, WriteSpec};
    /// let rush = Movie { year: 2013, title: "Rush".into() };
    /// let mut t = awstin_core::wire::TransactWriteItems::new();
    /// t.add(WriteSpec::put("Movies", &rush))?;
    /// assert!(t.add(WriteSpec::<Movie>::delete("Movies", Key::of::<Movie, _>(&(2013, "Rush")))).is_err());
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn add<M: Model, U: Update<Model = M>, C: Condition<Model = M>>(
        &mut self,
        spec: WriteSpec<'_, M, U, C>,
    ) -> Result<&mut Self, Error> {
        let member = spec.member().build(|w| {
            self.check.add(&w)?;
            member(&w)
        })?;
        self.members.push(member);
        Ok(self)
    }

    /// The request: [`Error::TransactionMembers`] for no members or more than 100,
    /// [`Error::TransactionTooLarge`] for items over 4 MB.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin_core::op::{Key, WriteSpec};
    /// let mut t = awstin_core::wire::TransactWriteItems::new();
    /// t.add(WriteSpec::<Movie>::delete("Movies", Key::of::<Movie, _>(&(2013, "Rush"))))?;
    /// assert_eq!(t.build()?.target, "DynamoDB_20120810.TransactWriteItems");
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn build(&self) -> Result<Wire, Error> {
        self.check.check()?;
        let mut list = String::from("[");
        for (i, member) in self.members.iter().enumerate() {
            if i > 0 {
                list.push(',');
            }
            list.push_str(member);
        }
        list.push(']');
        let mut body = Body::new();
        body.raw("TransactItems", &list);
        if let Some(token) = &self.token {
            body.string("ClientRequestToken", token);
        }
        Ok(Wire {
            target: "DynamoDB_20120810.TransactWriteItems",
            body: body.finish(),
        })
    }
}
