//! Models: what `dynamo_model!` generates, and what the rest of the crate asks of it.

use core::marker::PhantomData;

use crate::error::Error;
use crate::values::key_text::{ComposedRef, KeySpec};
use crate::values::kind::Fits;
use crate::values::value::{AttributeType, DynamoType, Encode};

/// A type with named, typed attributes: a table or index model, or a nested document.
///
/// `Fields` is the model's field table, a struct with one [`Field`](crate::expr::path::Field) per attribute;
/// the DSL macros expand to closures over it, so attribute names are checked by the compiler.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; } }
/// use awstin_core::Document;
/// let year = Movie::FIELDS.year;
/// assert_eq!(year.name(), "year");
/// ```
pub trait Document: 'static {
    /// The field table.
    type Fields: 'static;
    /// The field table's one value.
    const FIELDS: &'static Self::Fields;

    /// Calls `build` with the field table: turns the closure a DSL macro expands to into the
    /// expression it builds, for code that names its model.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; } }
    /// use awstin_core::{Document, Field};
    /// let title = Movie::expr(|f| f.title);
    /// assert_eq!(title.name(), "title");
    /// ```
    fn expr<R>(build: impl FnOnce(&'static Self::Fields) -> R) -> R
    where
        Self: Sized,
    {
        build(Self::FIELDS)
    }
}

impl<T: Document> Document for Option<T> {
    type Fields = T::Fields;
    const FIELDS: &'static T::Fields = T::FIELDS;
}

#[cfg(feature = "alloc")]
impl<T: Document> Document for alloc::boxed::Box<T> {
    type Fields = T::Fields;
    const FIELDS: &'static T::Fields = T::FIELDS;
}

/// Where a model's items live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// A table, by name.
    Table(&'static str),
    /// A global or local secondary index of a table.
    Index {
        /// The index name.
        index: &'static str,
        /// The table name.
        table: &'static str,
    },
}

impl Source {
    /// The table's name.
    ///
    /// ```
    /// use awstin_core::Source;
    /// assert_eq!(Source::Index { index: "by-genre", table: "Movies" }.table(), "Movies");
    /// ```
    pub const fn table(&self) -> &'static str {
        match self {
            Source::Table(table) | Source::Index { table, .. } => table,
        }
    }

    /// The index name, for an index model.
    ///
    /// ```
    /// assert_eq!(awstin_core::Source::Table("Movies").index(), None);
    /// ```
    pub const fn index(&self) -> Option<&'static str> {
        match self {
            Source::Table(_) => None,
            Source::Index { index, .. } => Some(index),
        }
    }
}

/// One key attribute: its DynamoDB name and type (`S`, `N` or `B`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyAttribute {
    /// Name in DynamoDB (after renaming).
    pub name: &'static str,
    /// `S`, `N` or `B`.
    pub attribute_type: AttributeType,
}

/// The key schema of a table or index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeySchema {
    /// The partition (hash) key.
    pub partition: KeyAttribute,
    /// The sort (range) key, if any.
    pub sort: Option<KeyAttribute>,
}

/// The key attributes of a global secondary index whose partition key or sort key is several
/// attributes (DynamoDB's multi-attribute keys, November 2025: up to four of each, each of
/// its own type, no concatenation): [`Model::MULTI_KEY`].
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Order { table "App"; key pk: String; key sk: String; index_key region: String; index_key country: String; index_key placed: i64 } }
/// awstin_macros::dynamo_model! {
///     pub struct ByPlace { index "by-place" on Order; key (region, country); key (placed); attr region: String; attr country: String; attr placed: i64 }
/// }
/// use awstin_core::Model;
/// let key = ByPlace::MULTI_KEY.expect("a multi-attribute key");
/// assert_eq!(key.partition.iter().map(|a| a.name).collect::<Vec<_>>(), ["region", "country"]);
/// assert_eq!(key.sort.len(), 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MultiKey {
    /// The partition key's attributes, in order (1 to 4).
    pub partition: &'static [KeyAttribute],
    /// The sort key's attributes, in order (0 to 4).
    pub sort: &'static [KeyAttribute],
}

impl MultiKey {
    /// Whether `name` is one of its attributes.
    ///
    /// ```
    /// use awstin_core::{AttributeType, KeyAttribute, model::MultiKey};
    /// const K: MultiKey = MultiKey { partition: &[KeyAttribute { name: "a", attribute_type: AttributeType::S }], sort: &[] };
    /// assert!(K.holds("a") && !K.holds("b"));
    /// ```
    pub fn holds(&self, name: &str) -> bool {
        self.partition
            .iter()
            .chain(self.sort)
            .any(|a| a.name == name)
    }
}

/// One attribute of a model: its Rust field name and its DynamoDB name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AttributeInfo {
    /// The Rust field.
    pub field: &'static str,
    /// The name in DynamoDB.
    pub name: &'static str,
    /// Whether it is a key of a secondary index (`index_key`): never NULL, never empty.
    pub index_key: bool,
}

/// A table or index model: a [`Document`] with a source and a key schema.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; } }
/// use awstin_core::{AttributeType, Model, Source};
/// assert_eq!(Movie::SOURCE, Source::Table("Movies"));
/// assert_eq!(Movie::KEY.partition.attribute_type, AttributeType::N);
/// assert_eq!(Movie::KEY.sort.map(|k| k.name), Some("title"));
/// ```
pub trait Model: Document {
    /// The Rust type of the partition key.
    type Partition: ?Sized + DynamoType;
    /// The Rust type of the sort key, or [`NoSortKey`].
    type Sort: ?Sized;
    /// The table, or index and table.
    const SOURCE: Source;
    /// The key schema of that table or index.
    const KEY: KeySchema;
    /// The key schema of the table: [`KEY`](Model::KEY) for a table model; for an index model
    /// declared `on` its table's model, that model's; `None` for one declared on a table's
    /// name alone. An index's pages stop at keys holding the table's key too, which this
    /// checks a cursor for.
    const TABLE_KEY: Option<KeySchema>;
    /// Every attribute, keys first, in declaration order.
    const ATTRIBUTES: &'static [AttributeInfo];
    /// The specs of the table's composed keys (partition, sort), `None` for a key that is a
    /// field: an update reads the fields of composed index keys it does not set from them.
    const KEY_SPECS: [Option<&'static KeySpec>; 2] = [None, None];
    /// For an index model with a multi-attribute key (`key (region, country);`), every key
    /// attribute; [`KEY`](Model::KEY) then names the first of each. `None` for other models.
    const MULTI_KEY: Option<MultiKey> = None;
    /// The entity type of a model of a table shared by several models (its `entity` line):
    /// every write adds it, an item of another type does not read as this model, and its
    /// queries and scans read items of this type only. `None` for other models.
    const ENTITY: Option<Entity> = None;
    /// The owned key of an item: the partition key's type, or `(partition, sort)` for a
    /// model with a sort key. It is a [`KeyOf`] the model, so a key read back (from a stream
    /// record, say) addresses the item again.
    type Key: KeyOf<Self>;

    /// This item's key.
    fn key(&self) -> KeyRef<'_, Self>;

    /// The attributes every write of this model adds besides its fields, or keeps in step
    /// with them: given what the write is, it hands each to `out`. Every put, update,
    /// transaction member and batch request, in every backend, gets them from here (with the
    /// next version of a versioned write after them). `dynamo_model!` implements it from the
    /// model's lines (`entity "Todo";` adds the entity type); the default adds nothing.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Todo { table "App"; entity "Todo"; key id: String } }
    /// use awstin_core::{Derive, Encode, Error, Model, ValueBuf, WriteOf};
    /// struct Seen(Vec<(&'static str, ValueBuf)>);
    /// impl Derive for Seen {
    ///     fn attribute(&mut self, name: &'static str, value: &dyn Encode) -> Result<(), Error> {
    ///         self.0.push((name, ValueBuf::from_encode(value)?));
    ///         Ok(())
    ///     }
    /// }
    /// let mut seen = Seen(Vec::new());
    /// Todo::derive(WriteOf::Update, &mut seen)?;
    /// assert_eq!(seen.0, [("_type", ValueBuf::S("Todo".into()))]);
    /// # Ok::<(), Error>(())
    /// ```
    fn derive(write: WriteOf<'_, Self>, out: &mut dyn Derive) -> Result<(), Error>
    where
        Self: Sized,
    {
        let _ = (write, out);
        Ok(())
    }
}

/// A collection: models of one table sharing a partition key, read together into one enum
/// (`dynamo_collection!` declares it and implements this). A query of the first member's key
/// condition reads the partition's items of every type, each as its model's variant.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Customer { table "App"; entity "Customer"; key pk = "C#" id; key sk = "PROFILE"; attr id: String } }
/// # awstin_macros::dynamo_model! { pub struct Order { table "App"; entity "Order"; key pk = "C#" customer; key sk = "O#" n; attr customer: String; attr n: u32 } }
/// awstin_macros::dynamo_collection! { pub enum CustomerItems { Customer(Customer), Order(Order) } }
/// fn queried_by<E: awstin_core::Collection<Model = Customer>>() {}
/// queried_by::<CustomerItems>();
/// assert_eq!(<CustomerItems as awstin_core::Collection>::ENTITIES, ["Customer", "Order"]);
/// ```
pub trait Collection: Sized {
    /// The first member: the model whose table and key conditions the collection is
    /// queried by.
    type Model: Model;
    /// The members' entity types, in the order declared.
    const ENTITIES: &'static [&'static str];
}

/// The key of an item of a collection that no member reads, from its stored attributes (the
/// table's key attributes; NULL where one is missing, which no stored item lacks).
#[cfg(feature = "alloc")]
#[doc(hidden)]
pub fn stored_key<'a, M: ?Sized>(
    item: &'a crate::values::value_buf::ValueBuf,
    key: KeySchema,
) -> KeyRef<'a, M> {
    use crate::values::value_buf::ValueBuf;
    static NULL: ValueBuf = ValueBuf::Null;
    let get = |name: &str| match item {
        ValueBuf::M(map) => map.get(name).unwrap_or(&NULL),
        _ => &NULL,
    };
    KeyRef::new(
        KeyValue::Value(get(key.partition.name)),
        key.sort.map(|s| KeyValue::Value(get(s.name))),
    )
}

/// Checks at compile time that `B` can be read in a collection with `A`: both models of one
/// table, with an entity type, in the same attribute, and one partition key attribute of one
/// type.
#[doc(hidden)]
pub const fn collection_member<A: Model, B: Model>() -> &'static str {
    let (Some(a), Some(b)) = (A::ENTITY, B::ENTITY) else {
        panic!("every model of a collection has an `entity` line");
    };
    if !str_eq(a.attribute, b.attribute) {
        panic!("the models of a collection keep their entity type in the same attribute");
    }
    if !str_eq(A::SOURCE.table(), B::SOURCE.table()) {
        panic!("the models of a collection are models of one table");
    }
    if !str_eq(A::KEY.partition.name, B::KEY.partition.name)
        || !matches!(
            (
                A::KEY.partition.attribute_type,
                B::KEY.partition.attribute_type
            ),
            (AttributeType::S, AttributeType::S)
                | (AttributeType::N, AttributeType::N)
                | (AttributeType::B, AttributeType::B)
        )
    {
        panic!("the models of a collection share the partition key attribute");
    }
    b.name
}

/// Which of `names` the entity type of `item` is (in `M`'s entity attribute), for a
/// collection's generated code: `None` for another type, or none.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Order { table "App"; entity "Order"; key pk: String } }
/// use awstin_core::{ValueBuf, model::entity_index};
/// let item = ValueBuf::M([("_type".to_string(), ValueBuf::S("Order".into()))].into());
/// assert_eq!(entity_index::<_, Order>(item.read(), &["User", "Order"]), Some(1));
/// assert_eq!(entity_index::<_, Order>(item.read(), &["User"]), None);
/// ```
#[doc(hidden)]
pub fn entity_index<R: crate::values::decode::ValueRead, M: Model>(
    item: R,
    names: &[&str],
) -> Option<usize> {
    let attribute = M::ENTITY?.attribute;
    let found = item.get(attribute);
    let found = found
        .as_ref()
        .and_then(crate::values::decode::ValueRead::as_str)?;
    names.iter().position(|n| *n == found)
}

/// A model's entity type ([`Model::ENTITY`]): the attribute that holds it and its value.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Todo { table "App"; entity "Todo"; key id: String } }
/// use awstin_core::{Entity, Model};
/// assert_eq!(Todo::ENTITY, Some(Entity { attribute: "_type", name: "Todo" }));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entity {
    /// The attribute (`_type` unless the `entity` line renames it).
    pub attribute: &'static str,
    /// The model's type (the `entity` line's text).
    pub name: &'static str,
}

/// What a write of a model is, as [`Model::derive`] is told.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
/// let m = Movie { year: 2013, title: "Rush".into() };
/// assert!(matches!(awstin_core::WriteOf::Put(&m), awstin_core::WriteOf::Put(_)));
/// ```
#[non_exhaustive]
#[derive(Debug)]
pub enum WriteOf<'a, M> {
    /// A put of this item.
    Put(&'a M),
    /// An update (the model's fields it sets are in the update, not here).
    Update,
}

impl<M> Clone for WriteOf<'_, M> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<M> Copy for WriteOf<'_, M> {}

/// Where [`Model::derive`] hands the attributes a write adds.
///
/// ```
/// use awstin_core::{Derive, Encode, Error};
/// struct Names(Vec<&'static str>);
/// impl Derive for Names {
///     fn attribute(&mut self, name: &'static str, _: &dyn Encode) -> Result<(), Error> {
///         self.0.push(name);
///         Ok(())
///     }
/// }
/// let mut names = Names(Vec::new());
/// names.attribute("_type", &"Todo")?;
/// assert_eq!(names.0, ["_type"]);
/// # Ok::<(), Error>(())
/// ```
pub trait Derive {
    /// Adds attribute `name` holding `value` (in place of a field of that name).
    fn attribute(&mut self, name: &'static str, value: &dyn Encode) -> Result<(), Error>;
}

/// The attribute an `entity` line writes, checked at compile time to be no field's.
#[doc(hidden)]
pub const fn entity_attribute(name: &'static str, fields: &[AttributeInfo]) -> &'static str {
    let mut i = 0;
    while i < fields.len() {
        if str_eq(fields[i].name, name) {
            panic!("the entity type's attribute has the name of a field: rename one with `as`");
        }
        i += 1;
    }
    name
}

/// Checks at compile time that no two attributes of a model have one name.
#[doc(hidden)]
pub const fn distinct_attributes(attributes: &[AttributeInfo]) {
    let mut i = 0;
    while i < attributes.len() {
        let mut j = i + 1;
        while j < attributes.len() {
            // The same field twice is one attribute (a multi-attribute key lists its
            // fields among the keys).
            if str_eq(attributes[i].name, attributes[j].name)
                && !str_eq(attributes[i].field, attributes[j].field)
            {
                panic!("two attributes of the model have one name: rename one with `as`");
            }
            j += 1;
        }
        i += 1;
    }
}

/// Whether two texts are equal, in const evaluation.
pub(crate) const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// A model with a version attribute (`version rev: u64` in `dynamo_model!`): optimistic
/// locking. Version 0 stands for an item not stored yet; every versioned write requires that
/// the stored version is the one read (or, for version 0, that no item has the key) and
/// stores the next one. `dynamo_model!` implements it.
///
/// ```
/// awstin_macros::dynamo_model! { pub struct Doc { table "Docs"; key id: String; attr body: String; version rev: u64 } }
/// use awstin_core::Versioned;
/// let mut doc = Doc { id: "a".into(), body: "x".into(), rev: 0 };
/// assert_eq!(Doc::VERSION, "rev");
/// doc.set_version(doc.version() + 1);
/// assert_eq!(doc.rev, 1);
/// ```
pub trait Versioned: TableModel {
    /// The DynamoDB name of the version attribute.
    const VERSION: &'static str;
    /// The version this item was read with (0: not stored yet).
    fn version(&self) -> u64;
    /// Sets the version.
    fn set_version(&mut self, version: u64);
}

/// A model without a version attribute: its items are written without a version check.
/// `dynamo_model!` implements it for every model without a `version` line, so that a plain
/// write of a versioned model does not compile: its writes go through the version.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
/// # awstin_macros::dynamo_model! { pub struct Doc { table "Docs"; key id: String; version rev: u64 } }
/// fn plain<M: awstin_core::Unversioned>() {}
/// plain::<Movie>();
/// // plain::<Doc>(); // does not compile: Doc is versioned
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is versioned (it has a `version` line): a plain write would not check the version",
    label = "write it with `put_versioned`, `update_versioned` or `delete_versioned`",
    note = "each versioned write requires the stored version to be the one read, and stores the next"
)]
pub trait Unversioned: Model {}

/// The type of a `version` attribute: a `u64`. Generated code reads and writes the field
/// through it, so another type is refused with this message.
///
/// ```
/// use awstin_core::model::VersionField;
/// let mut rev = 3u64;
/// rev.set(VersionField::get(&rev) + 1);
/// assert_eq!(rev, 4);
/// ```
#[diagnostic::on_unimplemented(
    message = "a `version` attribute is a `u64`, not `{Self}`",
    label = "the version field",
    note = "version 0 stands for an item not stored yet; each versioned write stores the next"
)]
pub trait VersionField {
    /// The version.
    fn get(&self) -> u64;
    /// Sets the version.
    fn set(&mut self, version: u64);
}

impl VersionField for u64 {
    fn get(&self) -> u64 {
        *self
    }
    fn set(&mut self, version: u64) {
        *self = version;
    }
}

/// The sort key type of a model without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NoSortKey;

/// One key attribute's value: a value of the item's, or a composed key's text made from its
/// fields when it is encoded.
///
/// ```
/// use awstin_core::{KeyValue, ValueBuf};
/// let v = KeyValue::Value(&2013u32);
/// assert_eq!(ValueBuf::from_encode(&v)?, ValueBuf::N(2013.into()));
/// # Ok::<(), awstin_core::Error>(())
/// ```
#[derive(Clone, Copy)]
pub enum KeyValue<'a> {
    /// A value (a key field of the item, or a key given).
    Value(&'a dyn Encode),
    /// A composed key attribute (`key pk = "USER#" id;`), from the item's fields.
    Composed(ComposedRef<'a>),
}

impl Encode for KeyValue<'_> {
    fn encode(&self, sink: &mut dyn crate::values::value::Sink) -> Result<(), Error> {
        match self {
            KeyValue::Value(v) => v.encode(sink),
            KeyValue::Composed(c) => c.encode(sink),
        }
    }
}

impl core::fmt::Debug for KeyValue<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            KeyValue::Value(_) => f.write_str("Value(..)"),
            KeyValue::Composed(c) => c.fmt(f),
        }
    }
}

/// The key of an item, borrowed from it ([`Model::key`]).
pub struct KeyRef<'a, M: ?Sized> {
    partition: KeyValue<'a>,
    sort: Option<KeyValue<'a>>,
    _model: PhantomData<fn() -> *const M>,
}

impl<'a, M: ?Sized> KeyRef<'a, M> {
    /// The partition key value, borrowed for as long as the item.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; } }
    /// use awstin_core::Model;
    /// let m = Movie { year: 2015, title: "T".into() };
    /// let _partition = m.key().partition_value();
    /// ```
    pub fn partition_value(&self) -> KeyValue<'a> {
        self.partition
    }

    /// The sort key value, for a model with one, borrowed for as long as the item.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; } }
    /// use awstin_core::Model;
    /// let m = Movie { year: 2015, title: "T".into() };
    /// assert!(m.key().sort_value().is_some());
    /// ```
    pub fn sort_value(&self) -> Option<KeyValue<'a>> {
        self.sort
    }

    /// A key from its values (used by generated code).
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; } }
    /// use awstin_core::{KeyOf, Model};
    /// let m = Movie { year: 2015, title: "T".into() };
    /// assert!(KeyOf::<Movie>::sort(&m.key()).is_some());
    /// ```
    pub fn new(partition: KeyValue<'a>, sort: Option<KeyValue<'a>>) -> Self {
        KeyRef {
            partition,
            sort,
            _model: PhantomData,
        }
    }
}

/// A full primary key of model `M`: the partition key value for a model without a sort key,
/// a `(partition, sort)` tuple otherwise, or [`Model::key`] of an item. Values are checked
/// against the key types at compile time.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; } }
/// # awstin_macros::dynamo_model! { pub struct Counter { table "Counters"; key name: String; } }
/// use awstin_core::KeyOf;
/// fn key<M: awstin_core::Model, K: KeyOf<M>>(_: K) {}
/// key::<Movie, _>((2015, "The Big New Movie"));
/// key::<Counter, _>("visits");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a key of `{M}`",
    label = "expected the partition key value, or a (partition, sort) tuple for a model with a sort key",
    note = "key values must have the key attributes' types"
)]
pub trait KeyOf<M: ?Sized> {
    /// The partition key value.
    fn partition(&self) -> &dyn Encode;
    /// The sort key value, if the model has a sort key.
    fn sort(&self) -> Option<&dyn Encode>;
}

impl<M: Model<Sort = NoSortKey>, V: Encode + DynamoType> KeyOf<M> for V
where
    V::Kind: Fits<<M::Partition as DynamoType>::Kind>,
{
    fn partition(&self) -> &dyn Encode {
        self
    }
    fn sort(&self) -> Option<&dyn Encode> {
        None
    }
}

impl<M: Model, P: Encode + DynamoType, S: Encode + DynamoType> KeyOf<M> for (P, S)
where
    M::Sort: DynamoType,
    P::Kind: Fits<<M::Partition as DynamoType>::Kind>,
    S::Kind: Fits<<M::Sort as DynamoType>::Kind>,
{
    fn partition(&self) -> &dyn Encode {
        &self.0
    }
    fn sort(&self) -> Option<&dyn Encode> {
        Some(&self.1)
    }
}

impl<M: ?Sized> KeyOf<M> for KeyRef<'_, M> {
    fn partition(&self) -> &dyn Encode {
        &self.partition
    }
    fn sort(&self) -> Option<&dyn Encode> {
        self.sort.as_ref().map(|s| s as &dyn Encode)
    }
}

/// A model of a table, not of an index: its items can be written and read by key.
/// `dynamo_model!` implements it for models with a `table` line.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr genre: String } }
/// # awstin_macros::dynamo_model! { pub struct ByGenre { index "by-genre" on "Movies"; key genre: String; key year: u32 } }
/// fn writable<M: awstin_core::TableModel>() {}
/// writable::<Movie>();
/// // writable::<ByGenre>(); // does not compile: an index is read with query and scan only
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is an index model: it is read with query and scan, not written or read by key",
    label = "a table model (with a `table` line) is required here"
)]
pub trait TableModel: Model {}

/// Whether a role is a key of the model's table or index.
///
/// ```
/// use awstin_core::{KeyRole, NotKey, SortKey};
/// assert!(SortKey::IS_KEY && !NotKey::IS_KEY);
/// ```
pub trait KeyRole {
    /// `true` for [`PartitionKey`] and [`SortKey`].
    const IS_KEY: bool;
    /// `true` for [`IndexKey`].
    const IS_INDEX_KEY: bool = false;
}
impl KeyRole for PartitionKey {
    const IS_KEY: bool = true;
}
impl KeyRole for SortKey {
    const IS_KEY: bool = true;
}
impl KeyRole for NotKey {
    const IS_KEY: bool = false;
}
impl KeyRole for IndexKey {
    const IS_KEY: bool = false;
    const IS_INDEX_KEY: bool = true;
}
impl<K, const P: usize> KeyRole for KeyField<K, P> {
    const IS_KEY: bool = false;
}
impl<K, const P: usize> KeyRole for MultiKeyField<K, P> {
    const IS_KEY: bool = true;
}
impl<X, const P: usize> KeyRole for IndexKeyField<X, P> {
    const IS_KEY: bool = false;
}

/// Role of an attribute: the partition key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartitionKey;
/// Role of an attribute: the sort key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SortKey;
/// Role of an attribute: not a key (also every nested path).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NotKey;
/// Role of an attribute of a table model that is a key of one of its secondary indexes
/// (`index_key` in `dynamo_model!`): written like any attribute, but never as NULL or an
/// empty string or binary, which DynamoDB refuses for an index key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IndexKey;

/// Role of a field of a composed key of the model (`key pk = "USER#" id;`): field `P` of the
/// key whose template is `K`. Stored as an attribute of its own and read and compared like
/// any, but never updated (it is part of the item's key); in a key condition, a test of it is
/// a test of the composed key (`cond!(customer == c)` is `pk = "CUSTOMER#c"`).
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Order { table "App"; key pk = "C#" customer; attr customer: String; attr total: f64 } }
/// use awstin_core::{KeyRole, Path};
/// fn role<P: Path>(_: P) -> bool { <P::Role as KeyRole>::IS_KEY }
/// // A field of a composed key is no key attribute of DynamoDB's: filters may name it.
/// assert!(!role(Order::expr(|f| f.customer)));
/// ```
pub struct KeyField<K, const P: usize>(PhantomData<fn() -> K>);

impl<K, const P: usize> core::fmt::Debug for KeyField<K, P> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "KeyField<{P}>")
    }
}
/// Role of attribute `P` of a multi-attribute key of an index model (`key (region,
/// country);`), whose attributes' count and role (partition or sort) `K` says
/// ([`MultiKeyPart`]): compared natively in a key condition, each with its own value.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Sale { table "Sales"; key id: String; index_key region: String; index_key placed: i64 } }
/// # awstin_macros::dynamo_model! { pub struct ByRegion { index "by-region" on Sale; key (region); key (placed); attr region: String; attr placed: i64 } }
/// use awstin_core::{KeyRole, Path};
/// fn is_key<P: Path>(_: P) -> bool { <P::Role as KeyRole>::IS_KEY }
/// // A multi-attribute key's attribute is a key attribute: a query's filter may not name it.
/// assert!(is_key(ByRegion::expr(|f| f.placed)));
/// ```
pub struct MultiKeyField<K, const P: usize>(PhantomData<fn() -> K>);

impl<K, const P: usize> core::fmt::Debug for MultiKeyField<K, P> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "MultiKeyField<{P}>")
    }
}

/// One key of a multi-attribute key: the partition key's (0) or the sort key's (1), and how
/// many attributes it has. Implemented by types `dynamo_model!` generates.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Sale { table "Sales"; key id: String; index_key region: String; index_key country: String; index_key placed: i64 } }
/// # awstin_macros::dynamo_model! { pub struct ByPlace { index "by-place" on Sale; key (region, country); key (placed); attr region: String; attr country: String; attr placed: i64 } }
/// use awstin_core::{MultiKeyField, Path, model::MultiKeyPart};
/// fn count<P: Path<Role = MultiKeyField<K, I>>, K: MultiKeyPart, const I: usize>(_: P) -> (u8, usize, usize) {
///     (K::WHICH, K::COUNT, I)
/// }
/// assert_eq!(count(ByPlace::expr(|f| f.country)), (0, 2, 1));
/// ```
pub trait MultiKeyPart: 'static {
    /// 0 for the partition key, 1 for the sort key.
    const WHICH: u8;
    /// Its attributes, 1 to 4.
    const COUNT: usize;
    /// [`WHICH`](MultiKeyPart::WHICH) as a type (`key_shape::PartitionSide` or `SortSide`).
    type Side;
    /// [`COUNT`](MultiKeyPart::COUNT) as a type (`key_shape::S<Z>`, ...).
    type Count;
}

/// Checks at compile time that a model with a multi-attribute key is an index model with at
/// most four attributes in each key.
#[doc(hidden)]
pub const fn multi_key<M: Model>(key: MultiKey) -> MultiKey {
    if M::SOURCE.index().is_none() {
        panic!(
            "multi-attribute keys are a global secondary index's: declare them on an index model"
        );
    }
    if key.partition.is_empty() || key.partition.len() > 4 || key.sort.len() > 4 {
        panic!("a multi-attribute key has 1 to 4 partition attributes and up to 4 sort attributes");
    }
    key
}

/// Role of field `P` of composed index key `X` (`index_key gsi1pk = "STATUS#" status;`):
/// stored as an attribute of its own. An update sets it together with the other fields of its
/// key, and then sets the key too (or removes it, for a sparse key whose field becomes
/// `None`): an update of some of the key's fields does not build, so the index is never
/// stale.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Order { table "App"; key pk: String; index_key gsi1pk = "STATUS#" status; attr status: Option<String> } }
/// use awstin_core::{IndexKeyField, Path, model::IndexKeyTemplate};
/// fn field<P: Path<Role = IndexKeyField<X, I>>, X: IndexKeyTemplate, const I: usize>(_: P) -> (&'static str, usize) {
///     (X::SPEC.attribute(), I)
/// }
/// assert_eq!(field(Order::expr(|f| f.status)), ("gsi1pk", 0));
/// ```
pub struct IndexKeyField<X, const P: usize>(PhantomData<fn() -> X>);

impl<X, const P: usize> core::fmt::Debug for IndexKeyField<X, P> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "IndexKeyField<{P}>")
    }
}

/// A composed key attribute of a model's secondary index: its spec, its place among the
/// model's composed index keys, its field count, and whether an update can set them all (none
/// is a field of the table's key). Implemented by types `dynamo_model!` generates.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Order { table "App"; key pk: String; index_key gsi1pk = "STATUS#" status; attr status: Option<String> } }
/// use awstin_core::{IndexKeyField, Path, model::IndexKeyTemplate};
/// fn key<P: Path<Role = IndexKeyField<X, I>>, X: IndexKeyTemplate, const I: usize>(_: P) -> (usize, usize, bool) {
///     (X::ORDINAL, X::FIELDS, X::SETTABLE)
/// }
/// assert_eq!(key(Order::expr(|f| f.status)), (0, 1, true));
/// ```
pub trait IndexKeyTemplate: 'static {
    /// The attribute, its limit and its template.
    const SPEC: &'static KeySpec;
    /// Its place among the model's composed index keys (0 to 7).
    const ORDINAL: usize;
    /// Its fields.
    const FIELDS: usize;
    /// Whether none of its fields is a field of the table's key.
    const SETTABLE: bool;
    /// Where each field's value comes from when an update sets the key: the update, or the
    /// item's composed key (a field of the table's key, which the update's key holds).
    const SOURCES: &'static [FieldSource];
    /// What an update that sets only some of its fields is told: the fields to give together.
    const GIVE: &'static str;
}

/// Where an update finds a field of a composed index key ([`IndexKeyTemplate::SOURCES`]).
///
/// ```
/// use awstin_core::model::{FieldSource, source_of};
/// const COMPOSED: &[(u8, &[&str])] = &[(0, &["customer"]), (1, &["placed", "number"])];
/// assert_eq!(source_of("number", COMPOSED, &[]), FieldSource::Key { which: 1, position: 1 });
/// assert_eq!(source_of("status", COMPOSED, &[]), FieldSource::Set);
/// assert_eq!(source_of("year", COMPOSED, &["year"]), FieldSource::Refused);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldSource {
    /// The update sets it.
    Set,
    /// Field `position` of the table's composed key `which` (0 partition, 1 sort): its text is
    /// read from the key the update is sent with.
    Key {
        /// 0 for the partition key, 1 for the sort key.
        which: u8,
        /// Its place in that key's template.
        position: u8,
    },
    /// A field of a key that is not composed: its key text is not at hand, so no update sets
    /// the index key (a put does).
    Refused,
}

/// Where field `name` of a composed index key comes from: a field of the table's composed keys
/// (`composed`: each key's `which` and field names), of a plain key (`plain`), or else the
/// update.
pub const fn source_of(name: &str, composed: &[(u8, &[&str])], plain: &[&str]) -> FieldSource {
    let mut k = 0;
    while k < composed.len() {
        let mut i = 0;
        while i < composed[k].1.len() {
            if str_eq(composed[k].1[i], name) {
                return FieldSource::Key {
                    which: composed[k].0,
                    position: i as u8,
                };
            }
            i += 1;
        }
        k += 1;
    }
    if none_among(&[name], plain) {
        FieldSource::Set
    } else {
        FieldSource::Refused
    }
}

/// The place of `name` in `names`, for generated code (at compile time).
#[doc(hidden)]
pub const fn position(name: &str, names: &[&str]) -> usize {
    let mut i = 0;
    while i < names.len() {
        if str_eq(names[i], name) {
            return i;
        }
        i += 1;
    }
    panic!("not among the names")
}

/// Whether no name of `fields` is among `others`, for generated code (at compile time).
#[doc(hidden)]
pub const fn none_among(fields: &[&str], others: &[&str]) -> bool {
    let mut i = 0;
    while i < fields.len() {
        let mut j = 0;
        while j < others.len() {
            if str_eq(fields[i], others[j]) {
                return false;
            }
            j += 1;
        }
        i += 1;
    }
    true
}

/// Checks at compile time that no settable field is in two composed index keys (an update
/// could keep only one in step), and that there are at most 8 of them.
#[doc(hidden)]
pub const fn index_key_fields(keys: &[&[&str]], table_fields: &[&str]) {
    if keys.len() > 8 {
        panic!("a model has at most 8 composed index keys");
    }
    let mut a = 0;
    while a < keys.len() {
        let mut b = a + 1;
        while b < keys.len() {
            let mut i = 0;
            while i < keys[a].len() {
                let mut j = 0;
                while j < keys[b].len() {
                    if str_eq(keys[a][i], keys[b][j]) && none_among(&[keys[a][i]], table_fields) {
                        panic!(
                            "a field is in two composed index keys: an update could keep only one of them in step"
                        );
                    }
                    j += 1;
                }
                i += 1;
            }
            b += 1;
        }
        a += 1;
    }
}

/// Strips the `r#` of a raw identifier, for attribute names taken from field names.
///
/// ```
/// assert_eq!(awstin_core::model::field_name("r#type"), "type");
/// ```
pub const fn field_name(ident: &'static str) -> &'static str {
    match ident.as_bytes() {
        [b'r', b'#', rest @ ..] => match core::str::from_utf8(rest) {
            Ok(s) => s,
            Err(_) => ident,
        },
        _ => ident,
    }
}

/// Checks a key's values as DynamoDB does on every request that carries a key (reads,
/// writes, batches, transactions): string and binary key values are not empty, and at most
/// 2,048 bytes for the partition key and 1,024 for the sort key.
///
/// ```
/// use awstin_core::{Error, model::check_key};
/// awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
/// assert!(check_key::<Movie, _>(&(2015, "T")).is_ok());
/// assert_eq!(check_key::<Movie, _>(&(2015, "")), Err(Error::EmptyKeyValue { attribute: "title" }));
/// ```
pub fn check_key<M: Model, K: KeyOf<M> + ?Sized>(key: &K) -> Result<(), crate::error::Error> {
    crate::values::key_value::check_key_value(
        M::KEY.partition.name,
        key.partition(),
        crate::limits::MAX_PARTITION_KEY_BYTES,
    )?;
    if let (Some(attr), Some(value)) = (M::KEY.sort, key.sort()) {
        crate::values::key_value::check_key_value(
            attr.name,
            value,
            crate::limits::MAX_SORT_KEY_BYTES,
        )?;
    }
    Ok(())
}

/// A model whose key is read by value from a map holding (at least) its key attributes, as
/// a stream record's `Keys` does. `dynamo_model!` implements it for table and index models.
///
/// ```
/// awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr plot: String } }
/// use awstin_core::model::DecodeKey;
/// use awstin_core::ValueBuf;
/// let keys = ValueBuf::M([
///     ("year".to_string(), ValueBuf::N(2013.into())),
///     ("title".to_string(), ValueBuf::S("Rush".into())),
/// ].into());
/// assert_eq!(Movie::decode_key(keys)?, (2013, "Rush".to_string()));
/// # Ok::<(), awstin_core::DecodeError>(())
/// ```
#[cfg(feature = "alloc")]
pub trait DecodeKey<V: crate::values::decode::ValueOwned>: Model {
    /// Reads the key attributes of `keys`; other members are ignored.
    fn decode_key(keys: V) -> Result<Self::Key, crate::values::decode::DecodeError>;
}
