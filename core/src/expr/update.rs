//! Update expressions: the typed action lists `update!` builds.
//!
//! Actions are rendered grouped by clause (`SET`, `REMOVE`, `ADD`, `DELETE`), each clause once,
//! in the order the actions were written within it. Before rendering, every pair of action
//! paths is compared: the same path twice, or a path with its ancestor, overlaps; one level
//! used both as a map member and as a list element conflicts. Both are errors DynamoDB would
//! return, reported before sending. Key attributes cannot be written at all: that is a compile
//! error ([`Writable`]).

use heapless::Vec;

use crate::error::Error;
#[cfg(feature = "alloc")]
pub use crate::expr::apply::Effect;
#[cfg(feature = "alloc")]
use crate::expr::apply::failure;
use crate::expr::cond::{KeyValueOf, Operand, Settable, Val, Writable};
use crate::expr::model::{FieldSource, IndexKey, IndexKeyField, IndexKeyTemplate, NotKey};
use crate::expr::path::{MAX_PATH_DEPTH, Path, Segment, Segments};
use crate::expr::render::Renderer;
#[cfg(feature = "alloc")]
use crate::values::decode::ValueRead;
use crate::values::key_text::{KeySpec, KeyTextField, MAX_FIELDS, ToKeyText};
use crate::values::kind::{self, Fits};
use crate::values::value::{DynamoType, Encode};
#[cfg(feature = "alloc")]
use crate::{error::UpdateFailure, values::value_buf::ValueBuf, values::value_buf::ValueBufRef};

/// The four clauses of an update expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Clause {
    /// `SET path = value`.
    Set,
    /// `REMOVE path`.
    Remove,
    /// `ADD path value`.
    Add,
    /// `DELETE path value`.
    Delete,
}

impl Clause {
    const ALL: [Clause; 4] = [Clause::Set, Clause::Remove, Clause::Add, Clause::Delete];

    fn keyword(self) -> &'static str {
        match self {
            Clause::Set => "SET ",
            Clause::Remove => "REMOVE ",
            Clause::Add => "ADD ",
            Clause::Delete => "DELETE ",
        }
    }
}

/// An update of the items of `Self::Model`: one action or a chain of them.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr info: Info } }
/// # awstin_macros::dynamo_model! { pub struct Info { attr rating: f64; attr plot: String; attr actors: Vec<String>; } }
/// use awstin_core::{Document, Request};
/// let (rating, plot, actors) = (5.5, "Everything happens all at once.", vec!["Larry", "Moe", "Curly"]);
/// let update = Movie::expr(awstin_macros::update!(
///     info.rating = rating, info.plot = plot, info.actors = actors
/// ));
/// let mut out = heapless::String::<128>::new();
/// Request::<8, 8>::new().update(&update, &mut out)?;
/// assert_eq!(out, "SET #n0.#n1 = :v0, #n0.#n2 = :v1, #n0.#n3 = :v2");
/// # Ok::<(), awstin_core::Error>(())
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an update",
    label = "expected an update built by `update!`"
)]
pub trait Update {
    /// The model whose items it changes.
    type Model;
    /// The fields of composed index keys it sets (known when the program compiles): a write
    /// of it checks that each key's fields are set together, and sets the key with them.
    const INDEX: IndexUpdate = IndexUpdate::NONE;
    /// Hands the values it sets the fields of composed index keys to to `out`.
    fn index_fields<'s>(&'s self, out: &mut IndexFields<'s>) {
        let _ = out;
    }
    /// Number of actions.
    fn len(&self) -> usize;
    /// `true` for no actions (never, for updates built by `update!`).
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The clause of the action at `index` (0-based, in the order written).
    fn clause(&self, index: usize) -> Option<Clause>;
    /// The path the action at `index` writes.
    fn path(&self, index: usize) -> Option<&dyn Segments>;
    /// Writes the actions of `clause`, each after `", "` unless `*first`.
    fn render_clause<'a>(
        &'a self,
        clause: Clause,
        r: &mut Renderer<'_, 'a>,
        first: &mut bool,
    ) -> Result<(), Error>;
    /// What the action at `index` does to `item` (the item before the update).
    #[cfg(feature = "alloc")]
    fn effect(&self, index: usize, item: ValueBufRef<'_>) -> Result<Effect, Error>;

    /// The update's text made when the program compiles
    /// ([`Plan`](crate::expr::plan::Plan)), for an update `update!` built whose shape is
    /// fixed; `None` for any other, which is rendered.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64; attr plays: u64; attr tags: Vec<String> } }
    /// use awstin_core::{Document, Update};
    /// let (r, i) = (7.5, 2usize);
    /// let u = Movie::expr(awstin_macros::update!(remove(tags[0]), rating = r, plays += 1));
    /// assert_eq!(u.plan().map(|p| p.text()), Some("SET #n0 = :v0, #n1 = #n1 + :v1 REMOVE #n2[0]"));
    /// assert!(Movie::expr(awstin_macros::update!(remove(tags[i]))).plan().is_none());
    /// ```
    fn plan(&self) -> Option<&'static crate::expr::plan::Plan> {
        None
    }

    /// The item after this update, as DynamoDB computes it, or the error DynamoDB gives.
    ///
    /// Every action reads `item` as it was before the update. `SET` on a list index past the
    /// end appends (several in index order); `REMOVE` of list elements shifts the rest (the
    /// indices are those before the update); `ADD` adds to a number (a missing one counts as 0)
    /// or unites sets; `DELETE` takes elements from a set and removes an emptied one. Reading a
    /// missing attribute in `+`, `-`, `list_append` or a plain `SET a = b`, an operand of the
    /// wrong type, and writing below a missing or mistyped parent are
    /// [`Error::Update`] naming the action. Arithmetic is exact: a
    /// result past 38 digits is [`Error::NumberPrecision`].
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr info: Info } }
    /// # awstin_macros::dynamo_model! { pub struct Info { attr rating: f64; attr actors: Vec<String>; attr plays: u64; } }
    /// use awstin_core::{Document, Error, Number, Update, UpdateFailure, Value, ValueBuf};
    /// use awstin_macros::update;
    ///
    /// let item = Value::M(&[("info", Value::M(&[
    ///     ("rating", Value::N(Number::from(5u8))),
    ///     ("actors", Value::L(&[Value::S("Larry"), Value::S("Moe"), Value::S("Curly")])),
    /// ]))]);
    /// let new = Movie::expr(update!(info.rating += 1, remove(info.actors[0]))).apply(item)?;
    /// let ValueBuf::M(top) = &new else { unreachable!() };
    /// let ValueBuf::M(info) = &top["info"] else { unreachable!() };
    /// assert_eq!(info["rating"], ValueBuf::N(Number::from(6u8)));
    /// assert_eq!(info["actors"], ValueBuf::L(vec![ValueBuf::S("Moe".into()), ValueBuf::S("Curly".into())]));
    ///
    /// let one = 1;
    /// assert_eq!(
    ///     Movie::expr(update!(info.rating = 1, info.plays += one)).apply(item),
    ///     Err(Error::Update { action: 1, failure: UpdateFailure::MissingAttribute })
    /// );
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    #[cfg(feature = "alloc")]
    fn apply<R: ValueRead>(&self, item: R) -> Result<ValueBuf, Error>
    where
        Self: Sized,
    {
        check_overlaps(self.len(), |i| self.path(i))?;
        crate::expr::apply::apply(
            self.len(),
            |i| self.path(i),
            |i, item| self.effect(i, item),
            &crate::values::value_buf::owned(item)?,
        )
    }
}

pub(crate) fn render<'a, U: Update + ?Sized>(
    update: &'a U,
    r: &mut Renderer<'_, 'a>,
) -> Result<(), Error> {
    let mut any = false;
    for clause in Clause::ALL {
        if !(0..update.len()).any(|i| update.clause(i) == Some(clause)) {
            continue;
        }
        if any {
            r.text(" ");
        }
        r.text(clause.keyword());
        let mut first = true;
        update.render_clause(clause, r, &mut first)?;
        any = true;
    }
    Ok(())
}

fn collect<'s>(
    path: &'s dyn Segments,
    into: &mut Vec<Segment<'s>, MAX_PATH_DEPTH>,
) -> Result<(), Error> {
    into.clear();
    let depth = path.len();
    if depth > MAX_PATH_DEPTH {
        return Err(Error::PathTooDeep {
            depth,
            max: MAX_PATH_DEPTH,
        });
    }
    path.each(&mut |s| {
        // Cannot fail: the depth was checked above.
        let _ = into.push(s);
        Ok(())
    })
}

/// Checks every pair of `count` paths for overlaps (the same path, or a path and its ancestor)
/// and conflicts (one level used as a map member and as a list element).
pub(crate) fn check_overlaps<'s>(
    count: usize,
    path: impl Fn(usize) -> Option<&'s dyn Segments>,
) -> Result<(), Error> {
    let mut a: Vec<Segment<'s>, MAX_PATH_DEPTH> = Vec::new();
    let mut b: Vec<Segment<'s>, MAX_PATH_DEPTH> = Vec::new();
    for first in 0..count {
        let Some(p) = path(first) else { continue };
        collect(p, &mut a)?;
        for second in first + 1..count {
            let Some(q) = path(second) else { continue };
            collect(q, &mut b)?;
            let mut disjoint = false;
            for (x, y) in a.iter().zip(b.iter()) {
                match (x, y) {
                    _ if x == y => continue,
                    (Segment::Name(_), Segment::Name(_))
                    | (Segment::Index(_), Segment::Index(_)) => {
                        disjoint = true;
                        break;
                    }
                    _ => return Err(Error::PathsConflict { first, second }),
                }
            }
            if !disjoint {
                return Err(Error::PathsOverlap { first, second });
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// SET values
// ---------------------------------------------------------------------------------------------

/// Operands of `+`, `-` and `list_append`: a path, a value, `if_not_exists` (and for `+`/`-`,
/// `list_append`), never a nested `+`/`-`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be an operand here",
    label = "`+` and `-` take two plain operands, and list_append() cannot nest"
)]
pub trait SimpleOperand: Operand {}
impl<P: Path> SimpleOperand for P where <P::Type as DynamoType>::Kind: kind::Kind {}
impl<V: Encode + DynamoType> SimpleOperand for Val<V> {}
impl<P: Path, V: Operand> SimpleOperand for IfNotExists<P, V> where
    <P::Type as DynamoType>::Kind: kind::Kind
{
}

/// `a + b` in a SET value.
#[derive(Debug, Clone, Copy)]
pub struct Plus<A, B>(A, B);
/// `a - b` in a SET value.
#[derive(Debug, Clone, Copy)]
pub struct Minus<A, B>(A, B);
/// `if_not_exists(path, value)`.
#[derive(Debug, Clone, Copy)]
pub struct IfNotExists<P, V>(P, V);
/// `list_append(a, b)`.
#[derive(Debug, Clone, Copy)]
pub struct ListAppend<A, B>(A, B);

macro_rules! arithmetic {
    ($name:ident, $text:literal, $method:ident) => {
        impl<A: SimpleOperand, B: SimpleOperand> Operand for $name<A, B> {
            type Kind = kind::N;
            fn render<'a>(&'a self, r: &mut Renderer<'_, 'a>) -> Result<(), Error> {
                r.operator();
                self.0.render(r)?;
                r.text($text);
                self.1.render(r)
            }
            #[cfg(feature = "alloc")]
            fn compute(&self, item: ValueBufRef<'_>) -> Result<Option<ValueBuf>, Error> {
                let operator = $text.trim();
                let a = number_operand(self.0.compute(item)?, operator)?;
                let b = number_operand(self.1.compute(item)?, operator)?;
                Ok(Some(ValueBuf::N(a.$method(b)?)))
            }
        }
    };
}
arithmetic!(Plus, " + ", checked_add);
arithmetic!(Minus, " - ", checked_sub);

impl<P: Path, V: Operand> Operand for IfNotExists<P, V>
where
    <P::Type as DynamoType>::Kind: kind::Kind,
{
    type Kind = <P::Type as DynamoType>::Kind;
    fn render<'a>(&'a self, r: &mut Renderer<'_, 'a>) -> Result<(), Error> {
        r.operator();
        r.text("if_not_exists(");
        r.path(&self.0)?;
        r.text(", ");
        self.1.render(r)?;
        r.text(")");
        Ok(())
    }
    #[cfg(feature = "alloc")]
    fn compute(&self, item: ValueBufRef<'_>) -> Result<Option<ValueBuf>, Error> {
        match crate::expr::eval::lookup(&self.0, item) {
            Some(v) => crate::values::value_buf::owned(v).map(Some),
            None => self.1.compute(item),
        }
    }
}

impl<A: SimpleOperand, B: SimpleOperand> Operand for ListAppend<A, B> {
    type Kind = kind::L;
    fn render<'a>(&'a self, r: &mut Renderer<'_, 'a>) -> Result<(), Error> {
        r.operator();
        r.text("list_append(");
        self.0.render(r)?;
        r.text(", ");
        self.1.render(r)?;
        r.text(")");
        Ok(())
    }
    #[cfg(feature = "alloc")]
    fn compute(&self, item: ValueBufRef<'_>) -> Result<Option<ValueBuf>, Error> {
        let list = |v: Option<ValueBuf>| match v {
            Some(ValueBuf::L(items)) => Ok(items),
            Some(other) => Err(failure(UpdateFailure::OperandType {
                operator: "list_append",
                found: other.attribute_type(),
            })),
            None => Err(failure(UpdateFailure::MissingAttribute)),
        };
        let mut a = list(self.0.compute(item)?)?;
        a.extend(list(self.1.compute(item)?)?);
        Ok(Some(ValueBuf::L(a)))
    }
}
impl<A: SimpleOperand, B: SimpleOperand> SimpleOperand for ListAppend<A, B> {}

#[cfg(feature = "alloc")]
fn number_operand(
    v: Option<ValueBuf>,
    operator: &'static str,
) -> Result<crate::values::number::Number, Error> {
    match v {
        Some(ValueBuf::N(n)) => Ok(n),
        Some(other) => Err(failure(UpdateFailure::OperandType {
            operator,
            found: other.attribute_type(),
        })),
        None => Err(failure(UpdateFailure::MissingAttribute)),
    }
}

// ---------------------------------------------------------------------------------------------
// Composed index keys kept in step
// ---------------------------------------------------------------------------------------------

/// Which fields of a model's composed index keys an update sets (8 bits a key, by its
/// ordinal), which it must set with them, and whether it sets a field of a key that holds a
/// field of the table's key (which no update can set whole).
///
/// ```
/// use awstin_core::update::IndexUpdate;
/// assert_eq!(IndexUpdate::NONE.join(IndexUpdate::NONE), IndexUpdate::NONE);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexUpdate {
    set: u64,
    required: u64,
    refused: bool,
    /// Each key's message, naming the fields to give together.
    give: [&'static str; 8],
}

impl IndexUpdate {
    /// No field of a composed index key.
    pub const NONE: IndexUpdate = IndexUpdate {
        set: 0,
        required: 0,
        refused: false,
        give: [""; 8],
    };

    /// Field `position` of index key `X`: the update must set every field of the key that
    /// is not a field of the table's composed keys (those it reads from the item's key).
    pub const fn field<X: IndexKeyTemplate>(position: usize) -> IndexUpdate {
        let (mut required, mut refused, mut i) = (0u64, false, 0);
        while i < X::SOURCES.len() {
            match X::SOURCES[i] {
                FieldSource::Set => required |= 1u64 << (X::ORDINAL * 8 + i),
                FieldSource::Key { .. } => {}
                FieldSource::Refused => refused = true,
            }
            i += 1;
        }
        let mut give = [""; 8];
        if X::ORDINAL < 8 {
            give[X::ORDINAL] = X::GIVE;
        }
        IndexUpdate {
            set: 1u64 << (X::ORDINAL * 8 + position),
            required,
            refused,
            give,
        }
    }

    /// Whether it sets a field of a composed index key.
    ///
    /// ```
    /// assert!(!awstin_core::update::IndexUpdate::NONE.touches_a_key());
    /// ```
    pub const fn touches_a_key(self) -> bool {
        self.set != 0
    }

    /// Both.
    pub const fn join(self, other: IndexUpdate) -> IndexUpdate {
        let mut give = self.give;
        let mut i = 0;
        while i < 8 {
            if give[i].is_empty() {
                give[i] = other.give[i];
            }
            i += 1;
        }
        IndexUpdate {
            set: self.set | other.set,
            required: self.required | other.required,
            refused: self.refused || other.refused,
            give,
        }
    }

    /// Panics (when the program compiles, in a `const`) for an update that would leave an
    /// index key stale.
    pub const fn assert_in_step(self) {
        if self.refused {
            panic!(
                "an update cannot set a field of a composed index key that holds a field of the table's plain (not composed) key: write the item with a put"
            );
        }
        let missing = self.required & !self.set;
        let mut key = 0;
        while key < 8 {
            if (missing >> (key * 8)) & 0xFF != 0 {
                panic!("{}", self.give[key]);
            }
            key += 1;
        }
    }
}

/// The values an update sets the fields of composed index keys to, by key and field: a value,
/// or `None` for an `Option` field set to `None` (the key is then removed: a sparse index).
#[derive(Default)]
pub struct IndexFields<'s> {
    keys: [Option<(&'static KeySpec, &'static [FieldSource])>; 8],
    values: [[Option<Option<&'s dyn ToKeyText>>; MAX_FIELDS]; 8],
}

impl<'s> IndexFields<'s> {
    fn set<X: IndexKeyTemplate>(&mut self, position: usize, value: Option<&'s dyn ToKeyText>) {
        if let (Some(key), Some(slot)) = (
            self.keys.get_mut(X::ORDINAL),
            self.values
                .get_mut(X::ORDINAL)
                .and_then(|v| v.get_mut(position)),
        ) {
            *key = Some((X::SPEC, X::SOURCES));
            *slot = Some(value);
        }
    }

    /// Each key set: its spec, where each field comes from, and the values the update gives
    /// (by field; `Some(None)` for an `Option` field set to `None`).
    #[allow(clippy::type_complexity)]
    pub fn keys(
        &self,
    ) -> impl Iterator<
        Item = (
            &'static KeySpec,
            &'static [FieldSource],
            &[Option<Option<&'s dyn ToKeyText>>; MAX_FIELDS],
        ),
    > + '_ {
        self.keys
            .iter()
            .zip(&self.values)
            .filter_map(|(key, values)| key.map(|(spec, sources)| (spec, sources, values)))
    }
}

/// How `SET` of a field with this role reaches composed index keys: not at all, but for a
/// field of one, whose value it hands over.
#[diagnostic::on_unimplemented(
    message = "a field of a composed index key is set to a value, not to an expression",
    label = "the key is made from the value when the update is sent"
)]
pub trait SetIndex<T: ?Sized, E> {
    /// The field it sets.
    const INDEX: IndexUpdate = IndexUpdate::NONE;
    /// Hands the value to `out`.
    fn hand<'s>(value: &'s E, out: &mut IndexFields<'s>) {
        let _ = (value, out);
    }
}
impl<T: ?Sized, E> SetIndex<T, E> for NotKey {}
impl<T: ?Sized, E> SetIndex<T, E> for IndexKey {}
impl<X: IndexKeyTemplate, const P: usize, T: ?Sized, V> SetIndex<T, Val<V>> for IndexKeyField<X, P>
where
    V: KeyTextField + KeyValueOf<T>,
{
    const INDEX: IndexUpdate = IndexUpdate::field::<X>(P);
    fn hand<'s>(value: &'s Val<V>, out: &mut IndexFields<'s>) {
        out.set::<X>(P, value.0.key_text());
    }
}

// ---------------------------------------------------------------------------------------------
// Actions
// ---------------------------------------------------------------------------------------------

/// `SET path = value`.
#[derive(Debug, Clone, Copy)]
pub struct SetAction<P, E>(P, E);
/// `REMOVE path`.
#[derive(Debug, Clone, Copy)]
pub struct RemoveAction<P>(P);
/// `ADD path value`.
#[derive(Debug, Clone, Copy)]
pub struct AddAction<P, V>(P, V);
/// `DELETE path value`.
#[derive(Debug, Clone, Copy)]
pub struct DeleteAction<P, V>(P, V);

macro_rules! single_action {
    ($name:ident $(<$($g:ident),*>)?, $clause:ident, [$($bound:tt)*] [$($extra:tt)*], |$s:ident, $r:ident| $body:block, |$es:ident, $item:ident| $effect:expr) => {
        impl<P: Path, $($($g: Operand),*)?> Update for $name<P, $($($g),*)?> where $($bound)* {
            type Model = P::Model;
            $($extra)*
            fn len(&self) -> usize {
                1
            }
            fn clause(&self, index: usize) -> Option<Clause> {
                (index == 0).then_some(Clause::$clause)
            }
            fn path(&self, index: usize) -> Option<&dyn Segments> {
                (index == 0).then_some(&self.0 as &dyn Segments)
            }
            fn render_clause<'a>(&'a self, clause: Clause, $r: &mut Renderer<'_, 'a>, first: &mut bool) -> Result<(), Error> {
                if clause != Clause::$clause {
                    return Ok(());
                }
                if !*first {
                    $r.text(", ");
                }
                *first = false;
                let $s = self;
                $body
            }
            #[cfg(feature = "alloc")]
            fn effect(&self, index: usize, $item: ValueBufRef<'_>) -> Result<Effect, Error> {
                if index != 0 {
                    return Err(Error::WrongType { expected: "an action index of this update" });
                }
                let $es = self;
                $effect
            }
        }
    };
}
single_action!(
    SetAction<E>,
    Set,
    [P::Role: SetIndex<P::Type, E>]
    [
        const INDEX: IndexUpdate = <P::Role as SetIndex<P::Type, E>>::INDEX;
        fn index_fields<'s>(&'s self, out: &mut IndexFields<'s>) {
            <P::Role as SetIndex<P::Type, E>>::hand(&self.1, out);
        }
    ],
    |s, r| {
        if <P::Role as crate::expr::model::KeyRole>::IS_INDEX_KEY
            && let Some(v) = s.1.value()
        {
            crate::values::key_value::check_index_key_value(s.0.root_name(), v)?;
        }
        r.path(&s.0)?;
        r.text(" = ");
        s.1.render(r)
    },
    |s, item| s
        .1
        .compute(item)?
        .map(Effect::Set)
        .ok_or(failure(UpdateFailure::MissingAttribute))
);
single_action!(
    RemoveAction,
    Remove,
    [] [],
    |s, r| { r.path(&s.0) },
    |_s, _item| Ok(Effect::Remove)
);
single_action!(
    AddAction<V>,
    Add,
    [] [],
    |s, r| {
        r.path(&s.0)?;
        r.text(" ");
        s.1.render(r)
    },
    |s, item| Ok(Effect::Add(given(&s.1, item)?))
);
single_action!(
    DeleteAction<V>,
    Delete,
    [] [],
    |s, r| {
        r.path(&s.0)?;
        r.text(" ");
        s.1.render(r)
    },
    |s, item| Ok(Effect::Delete(given(&s.1, item)?))
);

/// The value of an `ADD` or `DELETE` operand (always a given value).
#[cfg(feature = "alloc")]
fn given<V: Operand>(v: &V, item: ValueBufRef<'_>) -> Result<ValueBuf, Error> {
    v.compute(item)?
        .ok_or(failure(UpdateFailure::MissingAttribute))
}

/// Two updates applied together (`a, b` in `update!`).
#[derive(Debug, Clone, Copy)]
pub struct Then<A, B>(pub A, pub B);

impl<A: Update, B: Update<Model = A::Model>> Update for Then<A, B> {
    type Model = A::Model;
    const INDEX: IndexUpdate = A::INDEX.join(B::INDEX);
    fn index_fields<'s>(&'s self, out: &mut IndexFields<'s>) {
        self.0.index_fields(out);
        self.1.index_fields(out);
    }
    fn len(&self) -> usize {
        self.0.len() + self.1.len()
    }
    fn clause(&self, index: usize) -> Option<Clause> {
        let n = self.0.len();
        if index < n {
            self.0.clause(index)
        } else {
            self.1.clause(index - n)
        }
    }
    fn path(&self, index: usize) -> Option<&dyn Segments> {
        let n = self.0.len();
        if index < n {
            self.0.path(index)
        } else {
            self.1.path(index - n)
        }
    }
    fn render_clause<'a>(
        &'a self,
        clause: Clause,
        r: &mut Renderer<'_, 'a>,
        first: &mut bool,
    ) -> Result<(), Error> {
        self.0.render_clause(clause, r, first)?;
        self.1.render_clause(clause, r, first)
    }
    #[cfg(feature = "alloc")]
    fn effect(&self, index: usize, item: ValueBufRef<'_>) -> Result<Effect, Error> {
        let n = self.0.len();
        if index < n {
            self.0.effect(index, item)
        } else {
            self.1.effect(index - n, item)
        }
    }
    /// The first update's plan when the second has no actions (a write that derives
    /// nothing): the text is the first's alone.
    fn plan(&self) -> Option<&'static crate::expr::plan::Plan> {
        if self.1.len() == 0 {
            self.0.plan()
        } else {
            None
        }
    }
}

/// An update with the [`Plan`](crate::expr::plan::Plan) `update!` made for it.
impl<U: Update> Update for crate::expr::cond::Planned<U> {
    type Model = U::Model;
    const INDEX: IndexUpdate = U::INDEX;
    fn index_fields<'s>(&'s self, out: &mut IndexFields<'s>) {
        self.inner().index_fields(out);
    }
    fn len(&self) -> usize {
        self.inner().len()
    }
    fn clause(&self, index: usize) -> Option<Clause> {
        self.inner().clause(index)
    }
    fn path(&self, index: usize) -> Option<&dyn Segments> {
        self.inner().path(index)
    }
    fn render_clause<'a>(
        &'a self,
        clause: Clause,
        r: &mut Renderer<'_, 'a>,
        first: &mut bool,
    ) -> Result<(), Error> {
        self.inner().render_clause(clause, r, first)
    }
    #[cfg(feature = "alloc")]
    fn effect(&self, index: usize, item: ValueBufRef<'_>) -> Result<Effect, Error> {
        self.inner().effect(index, item)
    }
    fn plan(&self) -> Option<&'static crate::expr::plan::Plan> {
        self.planned()
    }
}

/// An update borrowed.
impl<U: Update + ?Sized> Update for &U {
    type Model = U::Model;
    const INDEX: IndexUpdate = U::INDEX;
    fn index_fields<'s>(&'s self, out: &mut IndexFields<'s>) {
        (**self).index_fields(out);
    }
    fn len(&self) -> usize {
        (**self).len()
    }
    fn clause(&self, index: usize) -> Option<Clause> {
        (**self).clause(index)
    }
    fn path(&self, index: usize) -> Option<&dyn Segments> {
        (**self).path(index)
    }
    fn render_clause<'a>(
        &'a self,
        clause: Clause,
        r: &mut Renderer<'_, 'a>,
        first: &mut bool,
    ) -> Result<(), Error> {
        (**self).render_clause(clause, r, first)
    }
    #[cfg(feature = "alloc")]
    fn effect(&self, index: usize, item: ValueBufRef<'_>) -> Result<Effect, Error> {
        (**self).effect(index, item)
    }
    fn plan(&self) -> Option<&'static crate::expr::plan::Plan> {
        (**self).plan()
    }
}

/// An update that may not be there: `None` has no actions (what a write derives, when it
/// derives nothing).
impl<U: Update> Update for Option<U> {
    type Model = U::Model;
    const INDEX: IndexUpdate = U::INDEX;
    fn index_fields<'s>(&'s self, out: &mut IndexFields<'s>) {
        if let Some(u) = self {
            u.index_fields(out);
        }
    }
    fn len(&self) -> usize {
        self.as_ref().map_or(0, Update::len)
    }
    fn clause(&self, index: usize) -> Option<Clause> {
        self.as_ref()?.clause(index)
    }
    fn path(&self, index: usize) -> Option<&dyn Segments> {
        self.as_ref()?.path(index)
    }
    fn render_clause<'a>(
        &'a self,
        clause: Clause,
        r: &mut Renderer<'_, 'a>,
        first: &mut bool,
    ) -> Result<(), Error> {
        match self {
            Some(u) => u.render_clause(clause, r, first),
            None => Ok(()),
        }
    }
    #[cfg(feature = "alloc")]
    fn effect(&self, index: usize, item: ValueBufRef<'_>) -> Result<Effect, Error> {
        match self {
            Some(u) => u.effect(index, item),
            None => Err(Error::Update {
                action: index,
                failure: UpdateFailure::MissingAttribute,
            }),
        }
    }
}

/// Chaining updates, used by `update!`'s expansion.
pub trait UpdateExt: Update + Sized {
    /// `self` then `next`.
    fn then<B: Update<Model = Self::Model>>(self, next: B) -> Then<Self, B> {
        Then(self, next)
    }
}
impl<U: Update> UpdateExt for U {}

/// The actions and value functions of `update!`, by their DynamoDB names.
pub mod functions {
    use super::*;

    /// `SET path = value`: the value must fit the path's type; keys cannot be written.
    pub fn set<P: Path, E: Operand>(path: P, value: E) -> SetAction<P, E>
    where
        P::Role: Settable,
        E::Kind: Fits<<P::Type as DynamoType>::Kind>,
    {
        SetAction(path, value)
    }
    /// `REMOVE path`.
    pub fn remove<P: Path>(path: P) -> RemoveAction<P>
    where
        P::Role: Writable,
    {
        RemoveAction(path)
    }
    /// `ADD path value`: numbers are added (a missing attribute counts as 0), sets united.
    pub fn add<P: Path, V: Encode + DynamoType>(path: P, value: Val<V>) -> AddAction<P, Val<V>>
    where
        P::Role: Writable,
        <P::Type as DynamoType>::Kind: kind::Addable,
        V::Kind: Fits<<P::Type as DynamoType>::Kind>,
    {
        AddAction(path, value)
    }
    /// `DELETE path value`: removes the value's elements from a set.
    pub fn delete<P: Path, V: Encode + DynamoType>(
        path: P,
        value: Val<V>,
    ) -> DeleteAction<P, Val<V>>
    where
        P::Role: Writable,
        <P::Type as DynamoType>::Kind: kind::Set,
        V::Kind: Fits<<P::Type as DynamoType>::Kind>,
    {
        DeleteAction(path, value)
    }
    /// `a + b`.
    pub fn plus<A: SimpleOperand, B: SimpleOperand>(a: A, b: B) -> Plus<A, B>
    where
        A::Kind: kind::Numeric,
        B::Kind: kind::Numeric,
    {
        Plus(a, b)
    }
    /// `a - b`.
    pub fn minus<A: SimpleOperand, B: SimpleOperand>(a: A, b: B) -> Minus<A, B>
    where
        A::Kind: kind::Numeric,
        B::Kind: kind::Numeric,
    {
        Minus(a, b)
    }
    /// `if_not_exists(path, value)`: the attribute, or `value` when it is missing.
    pub fn if_not_exists<P: Path, V: Operand>(path: P, value: V) -> IfNotExists<P, V>
    where
        <P::Type as DynamoType>::Kind: kind::Kind,
        V::Kind: Fits<<P::Type as DynamoType>::Kind>,
    {
        IfNotExists(path, value)
    }
    /// `list_append(a, b)`: `a`'s elements then `b`'s.
    pub fn list_append<A: SimpleOperand, B: SimpleOperand>(a: A, b: B) -> ListAppend<A, B>
    where
        A::Kind: kind::List,
        B::Kind: kind::List,
    {
        ListAppend(a, b)
    }
}
