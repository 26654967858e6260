//! Requests of many items: `BatchWriteItem` (puts and deletes, split into requests of 25),
//! `BatchGetItem` (keys, split into requests of 100) and `TransactWriteItems` (1 to 100
//! members, all applied or none).

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use super::{Body, Wire, WriteBody, WriteOf, checked_name, key_json, members};
use crate::limits::{
    MAX_BATCH_GET_KEYS as MAX_BATCH_GET, MAX_BATCH_WRITE_REQUESTS as MAX_BATCH_WRITE,
    MAX_TRANSACTION_MEMBERS as MAX_TRANSACTION_ITEMS,
};
use crate::{Condition, Encode, Error, KeyOf, Model};

/// Requests of one operation, kept per table in the order they were added, each with the key
/// of its item (two requests of one item in one call are refused by DynamoDB).
#[derive(Debug, Clone, Default)]
struct PerTable {
    requests: Vec<(String, String, String)>,
}

impl PerTable {
    fn add(&mut self, table: &str, key: String, request: String) -> Result<(), Error> {
        checked_name(table)?;
        if self
            .requests
            .iter()
            .any(|(t, k, _)| t == table && *k == key)
        {
            return Err(Error::SameItemTwice);
        }
        self.requests.push((table.into(), key, request));
        Ok(())
    }

    /// Requests of at most `max` requests each, each `{"RequestItems":{table: wrap(list)}}`.
    fn build(&self, target: &'static str, max: usize, wrap: fn(&str) -> String) -> Vec<Wire> {
        self.requests
            .chunks(max)
            .map(|chunk| {
                let mut tables: BTreeMap<&str, String> = BTreeMap::new();
                for (table, _, request) in chunk {
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

/// A `BatchWriteItem` of puts and deletes, of one table or several: [`build`](Self::build)
/// splits it into requests of at most 25. A batch write takes no condition; what DynamoDB
/// leaves unprocessed comes back in [`Answer::unprocessed`](super::Answer::unprocessed).
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
/// use awstin_core::wire::BatchWrite;
/// let mut batch = BatchWrite::new();
/// for year in 2000..2030 {
///     batch.put("Movies", &Movie { year, title: "Rush".into() })?;
/// }
/// batch.delete::<Movie, _>("Movies", &(1999, "Rush"))?;
/// let requests = batch.build();
/// assert_eq!(requests.len(), 2, "31 requests: 25 and 6");
/// assert_eq!(requests[0].target, "DynamoDB_20120810.BatchWriteItem");
/// assert!(requests[1].body.ends_with(r#"{"DeleteRequest":{"Key":{"year":{"N":"1999"},"title":{"S":"Rush"}}}}]}}"#));
/// # Ok::<(), awstin_core::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct BatchWrite {
    requests: PerTable,
}

impl BatchWrite {
    /// An empty batch.
    ///
    /// ```
    /// assert!(awstin_core::wire::BatchWrite::new().build().is_empty());
    /// ```
    pub fn new() -> BatchWrite {
        BatchWrite::default()
    }

    /// Adds a put of `item` to `table`; a second request of the same item is
    /// [`Error::SameItemTwice`].
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// let mut batch = awstin_core::wire::BatchWrite::new();
    /// let rush = Movie { year: 2013, title: "Rush".into() };
    /// batch.put("Movies", &rush)?;
    /// assert_eq!(batch.put("Movies", &rush).unwrap_err(), awstin_core::Error::SameItemTwice);
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn put<M: Model + Encode>(&mut self, table: &str, item: &M) -> Result<&mut Self, Error> {
        let key = key_json::<M, _>(&item.key())?;
        let mut put = Body::new();
        put.raw("Item", &members(item)?);
        let mut request = Body::new();
        request.raw("PutRequest", &put.finish());
        self.requests.add(table, key, request.finish())?;
        Ok(self)
    }

    /// Adds a delete of the item with `key` from `table`.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// let mut batch = awstin_core::wire::BatchWrite::new();
    /// batch.delete::<Movie, _>("Movies", &(2013, "Rush"))?;
    /// assert_eq!(batch.build().len(), 1);
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn delete<M: Model, K: KeyOf<M> + ?Sized>(
        &mut self,
        table: &str,
        key: &K,
    ) -> Result<&mut Self, Error> {
        let key = key_json::<M, K>(key)?;
        let mut delete = Body::new();
        delete.raw("Key", &key);
        let mut request = Body::new();
        request.raw("DeleteRequest", &delete.finish());
        self.requests.add(table, key, request.finish())?;
        Ok(self)
    }

    /// The requests, 25 at most each; none for an empty batch.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// let mut batch = awstin_core::wire::BatchWrite::new();
    /// for year in 0..50 {
    ///     batch.delete::<Movie, _>("Movies", &(year, "Rush"))?;
    /// }
    /// assert_eq!(batch.build().len(), 2);
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn build(&self) -> Vec<Wire> {
        self.requests.build(
            "DynamoDB_20120810.BatchWriteItem",
            MAX_BATCH_WRITE,
            |list| {
                let mut s = String::from("[");
                s.push_str(list);
                s.push(']');
                s
            },
        )
    }
}

/// A `BatchGetItem` of keys, of one table or several: [`build`](Self::build) splits it into
/// requests of at most 100. Read the items with
/// [`Answer::responses`](super::Answer::responses); keys left unprocessed come back in
/// [`Answer::unprocessed`](super::Answer::unprocessed).
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
/// let mut batch = awstin_core::wire::BatchGet::new();
/// batch.get::<Movie, _>("Movies", &(2013, "Rush"))?;
/// let requests = batch.build();
/// assert_eq!(requests[0].body, r#"{"RequestItems":{"Movies":{"Keys":[{"year":{"N":"2013"},"title":{"S":"Rush"}}]}}}"#);
/// # Ok::<(), awstin_core::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct BatchGet {
    keys: PerTable,
}

impl BatchGet {
    /// An empty batch.
    ///
    /// ```
    /// assert!(awstin_core::wire::BatchGet::new().build().is_empty());
    /// ```
    pub fn new() -> BatchGet {
        BatchGet::default()
    }

    /// Adds the item with `key` of `table`; a key given twice is [`Error::SameItemTwice`].
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// let mut batch = awstin_core::wire::BatchGet::new();
    /// batch.get::<Movie, _>("Movies", &(2013, "Rush"))?;
    /// assert!(batch.get::<Movie, _>("Movies", &(2013, "Rush")).is_err());
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn get<M: Model, K: KeyOf<M> + ?Sized>(
        &mut self,
        table: &str,
        key: &K,
    ) -> Result<&mut Self, Error> {
        let key = key_json::<M, K>(key)?;
        self.keys.add(table, key.clone(), key)?;
        Ok(self)
    }

    /// The requests, 100 keys at most each; none for an empty batch.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// let mut batch = awstin_core::wire::BatchGet::new();
    /// for year in 0..101 {
    ///     batch.get::<Movie, _>("Movies", &(year, "Rush"))?;
    /// }
    /// assert_eq!(batch.build().len(), 2, "100 keys and 1");
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn build(&self) -> Vec<Wire> {
        self.keys
            .build("DynamoDB_20120810.BatchGetItem", MAX_BATCH_GET, |list| {
                let mut s = String::from(r#"{"Keys":["#);
                s.push_str(list);
                s.push_str("]}");
                s
            })
    }
}

/// A `TransactWriteItems`: puts, updates, deletes (each with an optional condition) and
/// condition checks, made by [`put`](super::put), [`update`](super::update),
/// [`delete`](super::delete) and [`check`](super::check), applied all or none. A member whose
/// condition is false asks for the stored item, which comes back in
/// [`Failure::TransactionCanceled`](super::Failure::TransactionCanceled).
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr plays: u64 } }
/// use awstin_core::{Document, wire};
/// let (one, new) = (1, Movie { year: 2014, title: "Her".into(), plays: 0 });
/// let plays = Movie::expr(awstin_macros::update!(plays += one));
/// let absent = Movie::expr(awstin_macros::cond!(attribute_not_exists(year)));
/// let request = wire::TransactWrite::new()
///     .write(&wire::update("Movies", &(2013, "Rush"), &plays))?
///     .write(&wire::put("Movies", &new).when(&absent))?
///     .build()?;
/// assert_eq!(request.target, "DynamoDB_20120810.TransactWriteItems");
/// # Ok::<(), awstin_core::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct TransactWrite {
    members: PerTable,
}

impl TransactWrite {
    /// An empty transaction.
    ///
    /// ```
    /// assert!(awstin_core::wire::TransactWrite::new().build().is_err(), "a transaction has members");
    /// ```
    pub fn new() -> TransactWrite {
        TransactWrite::default()
    }

    /// Adds a member; a second member of the same item is [`Error::SameItemTwice`] (DynamoDB
    /// refuses it).
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// let rush = Movie { year: 2013, title: "Rush".into() };
    /// let mut t = awstin_core::wire::TransactWrite::new();
    /// t.write(&awstin_core::wire::put("Movies", &rush))?;
    /// assert!(t.write(&awstin_core::wire::delete::<Movie, _>("Movies", &(2013, "Rush"))).is_err());
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    #[allow(private_bounds)] // the write kinds are the module's builders
    pub fn write<M: Model, W: WriteBody<M>, C: Condition<Model = M>>(
        &mut self,
        write: &WriteOf<'_, M, W, C>,
    ) -> Result<&mut Self, Error> {
        let mut member = Body::new();
        member.raw(W::MEMBER, &write.body(true)?);
        let table = write.table;
        self.members
            .add(table, write.what.key()?, member.finish())?;
        Ok(self)
    }

    /// The request: [`Error::TransactionSize`] for no members or more than 100.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// let mut t = awstin_core::wire::TransactWrite::new();
    /// t.write(&awstin_core::wire::delete::<Movie, _>("Movies", &(2013, "Rush")))?;
    /// assert_eq!(t.build()?.target, "DynamoDB_20120810.TransactWriteItems");
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn build(&self) -> Result<Wire, Error> {
        let count = self.members.requests.len();
        if count == 0 || count > MAX_TRANSACTION_ITEMS {
            return Err(Error::TransactionSize {
                count,
                max: MAX_TRANSACTION_ITEMS,
            });
        }
        let mut list = String::from("[");
        for (i, (_, _, member)) in self.members.requests.iter().enumerate() {
            if i > 0 {
                list.push(',');
            }
            list.push_str(member);
        }
        list.push(']');
        let mut body = Body::new();
        body.raw("TransactItems", &list);
        Ok(Wire {
            target: "DynamoDB_20120810.TransactWriteItems",
            body: body.finish(),
        })
    }
}
