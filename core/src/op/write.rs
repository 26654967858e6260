//! Writes: [`Write`], the description of a put, update, delete or condition check, made by a
//! [`WriteSpec`] with everything the model derives and checked against every rule once.

use alloc::string::String;
use alloc::vec::Vec;

use super::never::Never;
use super::render::{Expressions, Render};
use crate::expr::cond::{And, Compare, NotExists, Val, compare, functions as cond_fn, op};
use crate::expr::model::FieldSource;
use crate::expr::path::Segments;
use crate::expr::render::Renderer;
use crate::expr::update::{Clause, Effect, IndexFields, UpdateExt};
use crate::limits::{MAX_CLIENT_REQUEST_TOKEN_BYTES, MAX_ITEM_BYTES};
use crate::values::key_text::{ComposedRef, KeySpec, MAX_FIELDS, ToKeyText};
use crate::values::value::{Container, Encode, Scalar, Sink};
use crate::{
    error::Error, expr::cond::Condition, expr::model::AttributeInfo, expr::model::Derive,
    expr::model::KeyOf, expr::model::KeyValue, expr::model::Model, expr::model::NotKey,
    expr::model::WriteOf, expr::path::Field, expr::path::Segment, expr::update::Update,
    values::number::Number, values::value_buf::ValueBuf,
};

/// The key of an item: its attributes' names and values, borrowed.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
/// use awstin_core::op::Key;
/// let key = Key::of::<Movie, _>(&(2013, "Rush"));
/// assert_eq!(key.partition.0, "year");
/// assert_eq!(key.sort.map(|s| s.0), Some("title"));
/// ```
#[derive(Clone, Copy)]
pub struct Key<'a> {
    /// The partition key's attribute and value.
    pub partition: (&'static str, KeyValue<'a>),
    /// The sort key's, for a model with one.
    pub sort: Option<(&'static str, KeyValue<'a>)>,
}

impl core::fmt::Debug for Key<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Key")
            .field("partition", &self.partition.0)
            .field("sort", &self.sort.map(|s| s.0))
            .finish_non_exhaustive()
    }
}

impl<'a> Key<'a> {
    /// The key of an item, borrowed from it ([`Model::key`]).
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin_core::Model;
    /// let m = Movie { year: 2013, title: "Rush".into() };
    /// assert_eq!(awstin_core::op::Key::of_item(&m).partition.0, "year");
    /// ```
    pub fn of_item<M: Model>(item: &'a M) -> Key<'a> {
        let key = item.key();
        Key {
            partition: (M::KEY.partition.name, key.partition_value()),
            sort: M::KEY.sort.zip(key.sort_value()).map(|(a, v)| (a.name, v)),
        }
    }

    /// The key `key` of model `M`.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Counter { table "Counters"; key name: String } }
    /// assert!(awstin_core::op::Key::of::<Counter, _>(&"visits").sort.is_none());
    /// ```
    pub fn of<M: Model, K: KeyOf<M> + ?Sized>(key: &'a K) -> Key<'a> {
        Key {
            partition: (M::KEY.partition.name, KeyValue::Value(key.partition())),
            sort: M::KEY
                .sort
                .zip(key.sort())
                .map(|(a, v)| (a.name, KeyValue::Value(v))),
        }
    }

    /// Checks the values as DynamoDB checks every key: not empty, and within 2,048 bytes for
    /// the partition key and 1,024 for the sort key.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin_core::{Error, op::Key};
    /// assert_eq!(Key::of::<Movie, _>(&(2013, "")).check(), Err(Error::EmptyKeyValue { attribute: "title" }));
    /// ```
    pub fn check(&self) -> Result<(), Error> {
        use crate::limits::{MAX_PARTITION_KEY_BYTES, MAX_SORT_KEY_BYTES};
        crate::values::key_value::check_key_value(
            self.partition.0,
            &self.partition.1,
            MAX_PARTITION_KEY_BYTES,
        )?;
        if let Some((name, value)) = self.sort {
            crate::values::key_value::check_key_value(name, &value, MAX_SORT_KEY_BYTES)?;
        }
        Ok(())
    }

    /// A text naming the item of this key on `table`: equal for requests of the same item,
    /// different for any other (values by their DynamoDB JSON, numbers canonical).
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin_core::op::Key;
    /// let a = Key::of::<Movie, _>(&(2013, "Rush")).identity("Movies")?;
    /// assert_eq!(a, Key::of::<Movie, _>(&(2013u32, "Rush".to_string())).identity("Movies")?);
    /// assert_ne!(a, Key::of::<Movie, _>(&(2013, "Rush")).identity("Films")?);
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn identity(&self, table: &str) -> Result<String, Error> {
        let mut text = String::with_capacity(table.len() + 64);
        self.write_identity(table, &mut text)?;
        Ok(text)
    }

    /// Writes [`identity`](Key::identity) at the end of `out`.
    pub(crate) fn write_identity(&self, table: &str, out: &mut String) -> Result<(), Error> {
        out.push_str(table);
        out.push('\0');
        crate::values::json::to_json(&self.partition.1, out)?;
        if let Some((_, sort)) = self.sort {
            out.push('\0');
            crate::values::json::to_json(&sort, out)?;
        }
        Ok(())
    }
}

/// The key as an item of its attributes (`Key` of a request).
impl Encode for Key<'_> {
    fn encode(&self, sink: &mut dyn Sink) -> Result<(), Error> {
        sink.begin_sized(Container::Map, 1 + usize::from(self.sort.is_some()))?;
        sink.key(self.partition.0)?;
        self.partition.1.encode(sink)?;
        if let Some((name, value)) = self.sort {
            sink.key(name)?;
            value.encode(sink)?;
        }
        sink.end()
    }
}

/// An item to put: the model's attributes, with those the write derives (the next version,
/// the entity type) in place of the model's own of the same name.
#[derive(Clone, Copy)]
pub struct Item<'a> {
    model: &'a dyn Encode,
    derived: &'a [(Top, ValueBuf)],
}

impl<'a> Item<'a> {
    /// The attributes the write derives, in the order added.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// # let m = Movie { year: 2013, title: "Rush".into() };
    /// let spec = awstin_core::op::WriteSpec::put("Movies", &m);
    /// spec.build(|w| { assert_eq!(w.item().expect("a put").derived().len(), 0); Ok(()) })?;
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn derived(&self) -> impl ExactSizeIterator<Item = (&'static str, &'a ValueBuf)> + use<'a> {
        self.derived.iter().map(|(Top(name), value)| (*name, value))
    }
}

impl Encode for Item<'_> {
    fn encode(&self, sink: &mut dyn Sink) -> Result<(), Error> {
        if self.derived.is_empty() {
            return self.model.encode(sink);
        }
        self.model.encode(&mut Deriving {
            sink,
            derived: self.derived,
            depth: 0,
            skip_next: false,
            skipping: None,
        })
    }
}

/// Passes a model's item on with derived attributes in place of its own of the same names,
/// written last.
struct Deriving<'s, 'd> {
    sink: &'s mut dyn Sink,
    derived: &'d [(Top, ValueBuf)],
    depth: usize,
    /// The next value, at the top level, is one a derived attribute replaces.
    skip_next: bool,
    /// The depth of the container being skipped.
    skipping: Option<usize>,
}

impl Deriving<'_, '_> {
    /// Whether the model's top-level member `key` is one a derived attribute replaces.
    fn replaced(&self, key: &str) -> bool {
        self.depth == 1 && self.derived.iter().any(|(Top(name), _)| *name == key)
    }

    /// Whether a value beginning now is passed on.
    fn pass(&mut self) -> bool {
        if self.skipping.is_some() {
            return false;
        }
        if self.skip_next {
            self.skip_next = false;
            return false;
        }
        true
    }
}

impl Sink for Deriving<'_, '_> {
    fn string(&mut self, v: &str) -> Result<(), Error> {
        if self.pass() {
            self.sink.string(v)
        } else {
            Ok(())
        }
    }
    fn number(&mut self, v: Number) -> Result<(), Error> {
        if self.pass() {
            self.sink.number(v)
        } else {
            Ok(())
        }
    }
    fn binary(&mut self, v: &[u8]) -> Result<(), Error> {
        if self.pass() {
            self.sink.binary(v)
        } else {
            Ok(())
        }
    }
    fn boolean(&mut self, v: bool) -> Result<(), Error> {
        if self.pass() {
            self.sink.boolean(v)
        } else {
            Ok(())
        }
    }
    fn null(&mut self) -> Result<(), Error> {
        if self.pass() {
            self.sink.null()
        } else {
            Ok(())
        }
    }
    fn begin(&mut self, container: Container) -> Result<(), Error> {
        self.begin_sized(container, 0)
    }
    fn begin_sized(&mut self, container: Container, len: usize) -> Result<(), Error> {
        let skip = self.skipping.is_none() && self.skip_next;
        let passed = self.pass();
        if skip {
            self.skipping = Some(self.depth);
        }
        self.depth += 1;
        if !passed {
            return Ok(());
        }
        if self.depth == 1 {
            return self.sink.begin_sized(container, len + self.derived.len());
        }
        self.sink.begin_sized(container, len)
    }
    fn key(&mut self, key: &str) -> Result<(), Error> {
        if self.skipping.is_some() {
            return Ok(());
        }
        if self.replaced(key) {
            self.skip_next = true;
            return Ok(());
        }
        self.sink.key(key)
    }
    fn scalar_member(&mut self, key: &str, value: Scalar<'_>) -> Result<bool, Error> {
        if self.skipping.is_some() {
            return Ok(true);
        }
        if self.replaced(key) {
            // Replaced by the derived attribute, written at the end.
            return Ok(true);
        }
        self.sink.scalar_member(key, value)
    }
    fn end(&mut self) -> Result<(), Error> {
        self.depth = self.depth.saturating_sub(1);
        if let Some(at) = self.skipping {
            if self.depth == at {
                self.skipping = None;
            }
            return Ok(());
        }
        if self.depth == 0 {
            for (Top(name), value) in self.derived {
                self.sink.key(name)?;
                value.encode(self.sink)?;
            }
        }
        self.sink.end()
    }
}

/// What a write does to one item.
#[derive(Debug, Clone, Copy)]
pub enum Action<'a> {
    /// Writes the item.
    Put(Item<'a>),
    /// Updates the item with the key.
    Update(Key<'a>),
    /// Deletes the item with the key.
    Delete(Key<'a>),
    /// Requires the write's condition of the item with the key (a transaction's member).
    Check(Key<'a>),
}

impl core::fmt::Debug for Item<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Item")
            .field("derived", &self.derived.len())
            .finish_non_exhaustive()
    }
}

/// What a write sent alone asks DynamoDB to return when it is applied (a transaction's
/// members return nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Returns {
    /// Nothing (a put).
    Nothing,
    /// The item after (an update: `ALL_NEW`).
    New,
    /// The item before (a delete: `ALL_OLD`, which tells a delete of something from one of
    /// nothing).
    Old,
}

/// One write, described for a backend: made by [`WriteSpec::build`], checked against every
/// rule, never changed after.
#[derive(Debug)]
pub struct Write<'a> {
    table: &'a str,
    action: Action<'a>,
    key: Key<'a>,
    expressions: Expressions<'a>,
    returns: Returns,
    token: Option<&'a str>,
    size: usize,
    member: bool,
}

impl<'a> Write<'a> {
    /// Whether the write is a transaction's member ([`WriteSpec::member`]).
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin_core::op::{Key, WriteSpec};
    /// let key = || Key::of::<Movie, _>(&(2013, "Rush"));
    /// assert!(WriteSpec::<Movie>::delete("Movies", key()).member().build(|w| Ok(w.is_member()))?);
    /// assert!(!WriteSpec::<Movie>::delete("Movies", key()).build(|w| Ok(w.is_member()))?);
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn is_member(&self) -> bool {
        self.member
    }
    /// The table, by the name the request uses.
    pub fn table(&self) -> &'a str {
        self.table
    }
    /// What the write does.
    pub fn action(&self) -> Action<'a> {
        self.action
    }
    /// The key of the item written.
    pub fn key(&self) -> Key<'a> {
        self.key
    }
    /// The item a put writes, derived attributes included; `None` for other writes.
    pub fn item(&self) -> Option<Item<'a>> {
        match self.action {
            Action::Put(item) => Some(item),
            _ => None,
        }
    }
    /// The expressions: the update, the condition (the caller's and the version's, joined
    /// with `AND`), their placeholders.
    pub fn expressions(&self) -> &Expressions<'a> {
        &self.expressions
    }
    /// The expressions, for a backend that takes their texts (reading their tables in
    /// place, without moving them).
    pub fn expressions_mut(&mut self) -> &mut Expressions<'a> {
        &mut self.expressions
    }
    /// What the write asks back when sent alone.
    pub fn returns(&self) -> Returns {
        self.returns
    }
    /// The idempotency token: sent as a one-member `TransactWriteItems` with this
    /// `ClientRequestToken`.
    pub fn token(&self) -> Option<&'a str> {
        self.token
    }
    /// The size of the item a put writes, as DynamoDB counts it; 0 for other writes.
    pub fn item_size(&self) -> usize {
        self.size
    }
    /// Whether the write has a condition, so that a false one asks for the stored item.
    pub fn is_conditional(&self) -> bool {
        self.expressions.condition.is_some()
    }
    /// The DynamoDB operation that sends it alone.
    pub fn operation(&self) -> &'static str {
        match (self.token, self.action) {
            (Some(_), _) | (None, Action::Check(_)) => "TransactWriteItems",
            (None, Action::Put(_)) => "PutItem",
            (None, Action::Update(_)) => "UpdateItem",
            (None, Action::Delete(_)) => "DeleteItem",
        }
    }
}

/// The condition a versioned write adds: for version 0 no item has the key (the partition
/// key, which every stored item has, read as a path only), else the stored version is the
/// one read.
enum VersionClause<M> {
    Absent(NotExists<Field<M, u64, NotKey>>),
    At(Compare<Field<M, u64, NotKey>, op::Eq, Val<u64>>),
}

impl<M: Model> VersionClause<M> {
    fn of(attribute: &'static str, read: u64) -> VersionClause<M> {
        if read == 0 {
            VersionClause::Absent(cond_fn::attribute_not_exists(Field::new(
                M::KEY.partition.name,
            )))
        } else {
            VersionClause::At(compare(Field::new(attribute), op::Eq, Val(read)))
        }
    }
}

impl<M: Model> Condition for VersionClause<M> {
    type Model = M;
    const PRECEDENCE: crate::expr::render::Precedence = crate::expr::render::Precedence::Atom;
    fn render<'a>(&'a self, r: &mut crate::expr::render::Renderer<'_, 'a>) -> Result<(), Error> {
        match self {
            VersionClause::Absent(c) => c.render(r),
            VersionClause::At(c) => c.render(r),
        }
    }
    fn eval<It: crate::values::decode::ValueRead>(&self, item: It) -> Result<bool, Error> {
        match self {
            VersionClause::Absent(c) => c.eval(item),
            VersionClause::At(c) => c.eval(item),
        }
    }
}

/// A version lock: the version attribute and the version read (0: not stored yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lock {
    /// The model's version attribute.
    pub attribute: &'static str,
    /// The version read.
    pub read: u64,
}

impl Lock {
    /// The version after the one read; `u64::MAX` has none.
    ///
    /// ```
    /// use awstin_core::op::Lock;
    /// assert_eq!(Lock { attribute: "rev", read: 4 }.next(), Ok(5));
    /// assert!(Lock { attribute: "rev", read: u64::MAX }.next().is_err());
    /// ```
    pub fn next(self) -> Result<u64, Error> {
        self.read.checked_add(1).ok_or(Error::InvalidOption {
            option: "version",
            value: self.read,
            allowed: "0 to 18446744073709551614, so that a next version exists",
        })
    }
}

/// Which write a [`WriteSpec`] makes.
enum What<'a, M, U> {
    Put(&'a M, &'a dyn Encode, Key<'a>),
    Update(Key<'a>, &'a U),
    Delete(Key<'a>),
    Check(Key<'a>),
}

/// A write being specified: its kind, table, condition, version and token. [`build`] makes
/// the [`Write`] with everything the model derives, checks it, and hands it to a backend.
///
/// [`build`]: WriteSpec::build
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr plays: u64 } }
/// use awstin_core::Document;
/// use awstin_core::op::{Action, Key, WriteSpec};
/// let one = 1;
/// let plays = Movie::expr(awstin_macros::update!(plays += one));
/// let text = WriteSpec::update("Movies", Key::of::<Movie, _>(&(2013, "Rush")), &plays)
///     .build(|w| Ok(w.expressions().update.clone()))?;
/// assert_eq!(text.as_deref(), Some("SET #n0 = #n0 + :v0"));
/// # Ok::<(), awstin_core::Error>(())
/// ```
pub struct WriteSpec<'a, M, U = Never<M>, C = Never<M>> {
    table: &'a str,
    what: What<'a, M, U>,
    condition: Option<&'a C>,
    lock: Option<Lock>,
    token: Option<&'a str>,
    member: bool,
}

impl<'a, M: Model + Encode> WriteSpec<'a, M> {
    /// A put of `item` into `table`.
    pub fn put(table: &'a str, item: &'a M) -> Self {
        WriteSpec::new(table, What::Put(item, item, Key::of_item(item)))
    }
}

impl<'a, M: Model> WriteSpec<'a, M> {
    /// A delete of the item with `key`.
    pub fn delete(table: &'a str, key: Key<'a>) -> Self {
        WriteSpec::new(table, What::Delete(key))
    }
    fn new<U>(table: &'a str, what: What<'a, M, U>) -> WriteSpec<'a, M, U> {
        WriteSpec {
            table,
            what,
            condition: None,
            lock: None,
            token: None,
            member: false,
        }
    }
}

impl<'a, M: Model, U: Update<Model = M>> WriteSpec<'a, M, U> {
    /// An update of the item with `key` by `update`.
    pub fn update(table: &'a str, key: Key<'a>, update: &'a U) -> Self {
        WriteSpec::new(table, What::Update(key, update))
    }
}

impl<'a, M: Model, C: Condition<Model = M>> WriteSpec<'a, M, Never<M>, C> {
    /// A check that `condition` holds on the item with `key` (a transaction's member).
    pub fn check(table: &'a str, key: Key<'a>, condition: &'a C) -> Self {
        WriteSpec {
            table,
            what: What::Check(key),
            condition: Some(condition),
            lock: None,
            token: None,
            member: true,
        }
    }
}

impl<'a, M: Model, U: Update<Model = M>, C: Condition<Model = M>> WriteSpec<'a, M, U, C> {
    /// Only if `condition` holds on the stored item (besides a version, if any).
    pub fn when<C2: Condition<Model = M>>(self, condition: &'a C2) -> WriteSpec<'a, M, U, C2> {
        WriteSpec {
            table: self.table,
            what: self.what,
            condition: Some(condition),
            lock: self.lock,
            token: self.token,
            member: self.member,
        }
    }

    /// Only if `condition`, when there is one, holds on the stored item.
    pub fn when_opt<C2: Condition<Model = M>>(
        self,
        condition: Option<&'a C2>,
    ) -> WriteSpec<'a, M, U, C2> {
        WriteSpec {
            table: self.table,
            what: self.what,
            condition,
            lock: self.lock,
            token: self.token,
            member: self.member,
        }
    }

    /// A versioned write: the stored version must be `lock.read` (for 0: no item has the
    /// key), and a put or update stores the next one.
    #[must_use]
    pub fn locked(mut self, lock: Lock) -> Self {
        self.lock = Some(lock);
        self
    }

    /// Sent with an idempotency token (1 to 36 bytes), as a one-member transaction.
    #[must_use]
    pub fn once(mut self, token: &'a str) -> Self {
        self.token = Some(token);
        self
    }

    /// As a member of a transaction: nothing is asked back.
    #[must_use]
    pub fn member(mut self) -> Self {
        self.member = true;
        self
    }

    /// Makes the write (with the attributes the model derives, and the version's clause and
    /// next value when locked), checks it against every rule DynamoDB applies to it, and
    /// hands it to `emit`, a backend that writes it in its own form.
    pub fn build<R, E: From<Error>>(
        self,
        emit: impl FnOnce(Write<'_>) -> Result<R, E>,
    ) -> Result<R, E> {
        crate::limits::table_name_refusal(self.table)
            .map_or(Ok(()), |reason| Err(Error::InvalidTableName { reason }))?;
        if let Some(token) = self.token {
            check_token(token)?;
        }
        // The conditions live here, in the frame that renders and emits the write: the
        // expressions borrow their values.
        let version = self
            .lock
            .map(|l| VersionClause::<M>::of(l.attribute, l.read));
        let both = self.condition.zip(version.as_ref()).map(|(c, v)| And(c, v));
        let next = self.lock.map(Lock::next).transpose()?;
        let returns: fn(Returns) -> Returns = if self.member || self.token.is_some() {
            |_| Returns::Nothing
        } else {
            |alone| alone
        };
        match self.what {
            What::Put(of, model, key) => {
                let derived = derive(WriteOf::Put(of), self.lock.zip(next))?;
                let mut r = Render::new();
                render_condition(&mut r, both.as_ref(), self.condition, version.as_ref())?;
                let e = r.finish()?;
                let item = Item {
                    model,
                    derived: &derived,
                };
                let size = check_item::<M>(&item, &key)?;
                emit(Write {
                    table: self.table,
                    action: Action::Put(item),
                    key,
                    expressions: e,
                    returns: returns(Returns::Nothing),
                    member: self.member,
                    token: self.token,
                    size,
                })
            }
            What::Update(key, update) => {
                key.check()?;
                // Composed index keys whose fields the update sets are set with them (or
                // removed, a sparse key whose field becomes `None`); an update of some of a
                // key's fields does not build.
                const { U::INDEX.assert_in_step() };
                let mut derived = derive::<M>(WriteOf::Update, self.lock.zip(next))?;
                let mut removed = Vec::new();
                // Known when the program compiles: an update of no index key's field does
                // none of this.
                if U::INDEX.touches_a_key() {
                    let mut fields = IndexFields::default();
                    update.index_fields(&mut fields);
                    let keys = [Some(&key.partition.1), key.sort.as_ref().map(|s| &s.1)];
                    for (spec, sources, values) in fields.keys() {
                        match index_key::<M>(spec, sources, values, keys)? {
                            Some(text) => derived.push((Top(spec.attribute()), text)),
                            None => removed.push(Top(spec.attribute())),
                        }
                    }
                }
                // Nothing derived (no version, no composed index key): `Then` gives the update's
                // own plan, the text `update!` made when the program compiled.
                let update =
                    update.then(Derived::<M>(&derived, &removed, core::marker::PhantomData));
                let mut r = Render::new();
                r.update(&update)?;
                render_condition(&mut r, both.as_ref(), self.condition, version.as_ref())?;
                let e = r.finish()?;
                emit(Write {
                    table: self.table,
                    action: Action::Update(key),
                    key,
                    expressions: e,
                    returns: returns(Returns::New),
                    member: self.member,
                    token: self.token,
                    size: 0,
                })
            }
            What::Delete(key) | What::Check(key) => {
                key.check()?;
                let check = matches!(self.what, What::Check(_));
                let mut r = Render::new();
                render_condition(&mut r, both.as_ref(), self.condition, version.as_ref())?;
                let e = r.finish()?;
                emit(Write {
                    table: self.table,
                    action: if check {
                        Action::Check(key)
                    } else {
                        Action::Delete(key)
                    },
                    key,
                    expressions: e,
                    returns: returns(Returns::Old),
                    member: self.member,
                    token: self.token,
                    size: 0,
                })
            }
        }
    }
}

/// A field's key text as it stands in a key: written as it is.
struct Raw<'t>(&'t str);

impl ToKeyText for Raw<'_> {
    fn write_key_text(&self, out: &mut dyn crate::Out) -> Result<(), Error> {
        out.put(self.0).map_err(|_| Error::Output)
    }
}

/// The text of composed index key `spec` an update sets: its fields from the update's values,
/// or from the item's composed key (`keys`: the update's partition and sort key values, split
/// by the model's templates); `None` when the update sets one of them to `None` (the key is
/// removed).
fn index_key<M: Model>(
    spec: &'static KeySpec,
    sources: &[FieldSource],
    values: &[Option<Option<&dyn ToKeyText>>; MAX_FIELDS],
    keys: [Option<&KeyValue<'_>>; 2],
) -> Result<Option<ValueBuf>, Error> {
    let not_given = || Error::KeyText {
        reason: "an update gives every field of a composed index key",
    };
    // The texts of the table's composed keys the index key takes fields of.
    let mut texts: [Option<String>; 2] = [None, None];
    for (which, text) in texts.iter_mut().enumerate() {
        let needed = sources
            .iter()
            .any(|s| matches!(s, FieldSource::Key { which: w, .. } if usize::from(*w) == which));
        if needed {
            let value = keys[which].ok_or_else(not_given)?;
            match ValueBuf::from_encode(value)? {
                ValueBuf::S(s) => *text = Some(s),
                _ => return Err(not_given()),
            }
        }
    }
    // Split into their fields' texts.
    let mut parts: [[&str; MAX_FIELDS]; 2] = [[""; MAX_FIELDS]; 2];
    for (which, text) in texts.iter().enumerate() {
        if let (Some(text), Some(key_spec)) = (text, M::KEY_SPECS[which]) {
            let n = key_spec.template().fields();
            key_spec
                .template()
                .split(text, &mut parts[which][..n])
                .map_err(|_| not_given())?;
        }
    }
    let raws: [[Raw<'_>; MAX_FIELDS]; 2] = [parts[0].map(Raw), parts[1].map(Raw)];
    let mut fields: [&dyn ToKeyText; MAX_FIELDS] = [&""; MAX_FIELDS];
    let n = spec.template().fields();
    for (i, field) in fields.iter_mut().enumerate().take(n) {
        *field = match sources.get(i) {
            Some(FieldSource::Set) => match values[i] {
                Some(Some(v)) => v,
                Some(None) => return Ok(None),
                None => return Err(not_given()),
            },
            Some(FieldSource::Key { which, position }) => raws
                .get(usize::from(*which))
                .and_then(|r| r.get(usize::from(*position)))
                .ok_or_else(not_given)?,
            _ => return Err(not_given()),
        };
    }
    ValueBuf::from_encode(&ComposedRef::new(spec, &fields[..n])).map(Some)
}

/// The attributes a write adds: the model's ([`Model::derive`]), then the next version of a
/// locked write; the same attribute twice is [`Error::DuplicateKey`].
fn derive<M: Model>(
    write: WriteOf<'_, M>,
    version: Option<(Lock, u64)>,
) -> Result<Vec<(Top, ValueBuf)>, Error> {
    struct Collect(Vec<(Top, ValueBuf)>);
    impl Derive for Collect {
        fn attribute(&mut self, name: &'static str, value: &dyn Encode) -> Result<(), Error> {
            if self.0.iter().any(|(n, _)| n.0 == name) {
                return Err(Error::DuplicateKey);
            }
            self.0.push((Top(name), ValueBuf::from_encode(value)?));
            Ok(())
        }
    }
    let mut out = Collect(Vec::new());
    M::derive(write, &mut out)?;
    if let Some((lock, next)) = version {
        out.attribute(lock.attribute, &Number::from(next))?;
    }
    Ok(out.0)
}

/// The derived attributes of an update: `SET` each, after the update's own actions (a
/// secondary index's key attribute checked as a put's is).
struct Derived<'d, M>(
    &'d [(Top, ValueBuf)],
    &'d [Top],
    core::marker::PhantomData<fn() -> M>,
);

/// A derived attribute's name: a top-level attribute, as a path of one segment.
#[derive(Clone, Copy, Debug)]
struct Top(&'static str);

impl Segments for Top {
    fn each<'s>(
        &'s self,
        f: &mut dyn FnMut(Segment<'s>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        f(Segment::Name(self.0))
    }
    fn len(&self) -> usize {
        1
    }
}

impl<M: Model> Update for Derived<'_, M> {
    type Model = M;
    fn len(&self) -> usize {
        self.0.len() + self.1.len()
    }
    fn clause(&self, index: usize) -> Option<Clause> {
        if index < self.0.len() {
            Some(Clause::Set)
        } else {
            (index < self.len()).then_some(Clause::Remove)
        }
    }
    fn path(&self, index: usize) -> Option<&dyn Segments> {
        match self.0.get(index) {
            Some((top, _)) => Some(top as &dyn Segments),
            None => self
                .1
                .get(index - self.0.len())
                .map(|top| top as &dyn Segments),
        }
    }
    fn render_clause<'a>(
        &'a self,
        clause: Clause,
        r: &mut Renderer<'_, 'a>,
        first: &mut bool,
    ) -> Result<(), Error> {
        match clause {
            Clause::Set => {
                for (Top(name), value) in self.0 {
                    if M::ATTRIBUTES.iter().any(|a| a.index_key && a.name == *name) {
                        crate::values::key_value::check_index_key_value(name, value)?;
                    }
                    if !*first {
                        r.text(", ");
                    }
                    *first = false;
                    r.name(name)?;
                    r.text(" = ");
                    r.value(value)?;
                }
            }
            Clause::Remove => {
                for Top(name) in self.1 {
                    if !*first {
                        r.text(", ");
                    }
                    *first = false;
                    r.name(name)?;
                }
            }
            _ => {}
        }
        Ok(())
    }
    fn effect(
        &self,
        index: usize,
        _: crate::values::value_buf::ValueBufRef<'_>,
    ) -> Result<Effect, Error> {
        match self.0.get(index) {
            Some((_, value)) => Ok(Effect::Set(value.clone())),
            None if index < self.len() => Ok(Effect::Remove),
            None => Err(Error::WrongType {
                expected: "an action index of this update",
            }),
        }
    }
}

/// An idempotency token (`ClientRequestToken`): 1 to 36 bytes, else [`Error::InvalidToken`].
/// The one check of every token, a write's or a transaction's.
///
/// ```
/// use awstin_core::op::check_token;
/// assert!(check_token("order-17").is_ok());
/// assert_eq!(check_token(""), Err(awstin_core::Error::InvalidToken { bytes: 0 }));
/// ```
pub fn check_token(token: &str) -> Result<&str, Error> {
    let bytes = token.len();
    if (1..=MAX_CLIENT_REQUEST_TOKEN_BYTES).contains(&bytes) {
        Ok(token)
    } else {
        Err(Error::InvalidToken { bytes })
    }
}

/// Renders a write's `ConditionExpression`: the caller's condition and the version's joined
/// with `AND` (`both`), or whichever there is.
fn render_condition<'r, C: Condition, V: Condition<Model = C::Model>>(
    r: &mut Render<'r>,
    both: Option<&'r And<&'r C, &'r V>>,
    condition: Option<&'r C>,
    version: Option<&'r V>,
) -> Result<(), Error> {
    match (both, condition, version) {
        (Some(both), _, _) => r.condition(both),
        (None, Some(c), _) => r.condition(c),
        (None, None, Some(v)) => r.condition(v),
        (None, None, None) => Ok(()),
    }
}

/// An item's checks as DynamoDB makes them: its key values, its secondary index keys neither
/// NULL nor empty, and its size within 400 KB; the size.
fn check_item<M: Model>(item: &Item<'_>, key: &Key<'_>) -> Result<usize, Error> {
    key.check()?;
    let size = crate::values::size::item_size(item)?;
    if size > MAX_ITEM_BYTES {
        return Err(Error::ItemTooLarge {
            size,
            max: MAX_ITEM_BYTES,
        });
    }
    let index_keys = M::ATTRIBUTES.iter().filter(|a| a.index_key);
    check_index_keys(item, index_keys)?;
    Ok(size)
}

/// Refuses NULL, an empty string or an empty binary in a secondary index's key attribute.
fn check_index_keys<'i>(
    item: &Item<'_>,
    mut index_keys: impl Iterator<Item = &'i AttributeInfo> + Clone,
) -> Result<(), Error> {
    if index_keys.clone().next().is_none() {
        return Ok(());
    }
    struct Check<I> {
        keys: I,
        depth: usize,
        current: Option<&'static str>,
    }
    impl<'c, I: Iterator<Item = &'c AttributeInfo> + Clone> Check<I> {
        fn found(&mut self, found: Option<&'static str>) -> Result<(), Error> {
            if self.depth == 1
                && let (Some(attribute), Some(found)) = (self.current.take(), found)
            {
                return Err(Error::IndexKeyValue { attribute, found });
            }
            Ok(())
        }
    }
    impl<'c, I: Iterator<Item = &'c AttributeInfo> + Clone> Sink for Check<I> {
        fn string(&mut self, v: &str) -> Result<(), Error> {
            self.found(v.is_empty().then_some("an empty string"))
        }
        fn number(&mut self, _: Number) -> Result<(), Error> {
            self.found(None)
        }
        fn binary(&mut self, v: &[u8]) -> Result<(), Error> {
            self.found(v.is_empty().then_some("an empty binary"))
        }
        fn boolean(&mut self, _: bool) -> Result<(), Error> {
            self.found(None)
        }
        fn null(&mut self) -> Result<(), Error> {
            self.found(Some("NULL"))
        }
        fn begin(&mut self, _: Container) -> Result<(), Error> {
            self.found(None)?;
            self.depth += 1;
            Ok(())
        }
        fn key(&mut self, key: &str) -> Result<(), Error> {
            if self.depth == 1 {
                self.current = self.keys.clone().find(|a| a.name == key).map(|a| a.name);
            }
            Ok(())
        }
        fn end(&mut self) -> Result<(), Error> {
            self.depth = self.depth.saturating_sub(1);
            Ok(())
        }
    }
    let _ = &mut index_keys;
    item.encode(&mut Check {
        keys: index_keys,
        depth: 0,
        current: None,
    })
}
