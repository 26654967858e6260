//! Conditions: the typed trees `cond!` builds, for key conditions, filters and write conditions.
//!
//! Each node is a small struct generic over its parts, so a condition costs no allocation and
//! its type says what it is: [`KeyCondition`] is implemented only for trees of the shape
//! DynamoDB accepts in a Query, which makes any other condition a compile error there.

use core::marker::PhantomData;

use crate::expr::eval::{self, Resolved};
use crate::expr::model::{NotKey, PartitionKey, SortKey};
use crate::expr::path::Path;
use crate::expr::plan::Plan;
use crate::expr::render::{Precedence, Renderer};
use crate::limits::MAX_SORT_KEY_BYTES;
use crate::values::decode::ValueRead;
use crate::values::kind::{self, Fits, Kind};
use crate::values::value::{AttributeType, DynamoType, Encode};
use crate::{error::Error, values::number::Number};

mod key;
pub use key::*;
pub mod key_shape;

/// A condition over the attributes of `Self::Model`.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
/// use awstin_core::{Condition, Document, Request};
/// fn render<C: Condition<Model = Movie>>(c: &C) -> heapless::String<256> {
///     let mut out = heapless::String::new();
///     Request::<8, 8>::new().condition(c, &mut out).unwrap();
///     out
/// }
/// let c = Movie::expr(awstin_macros::cond!(rating > 8 || !(year < 2000 && attribute_exists(rating))));
/// assert_eq!(render(&c), "#n0 > :v0 OR NOT (#n1 < :v1 AND attribute_exists(#n0))");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a condition",
    label = "expected a condition: a comparison, `between`, `in`, a function such as `attribute_exists(p)`, or `!`, `&&`, `||` of conditions"
)]
pub trait Condition {
    /// The model whose attributes it tests.
    type Model;
    /// How tightly it binds, for parenthesising.
    const PRECEDENCE: Precedence;
    /// Writes the condition.
    fn render<'a>(&'a self, r: &mut Renderer<'_, 'a>) -> Result<(), Error>;

    /// Whether the condition holds for `item`, as DynamoDB would decide it.
    fn eval<It: ValueRead>(&self, item: It) -> Result<bool, Error>;

    /// Passes each clause of the condition to `visit`: the conditions a top-level `AND` joins,
    /// or the condition itself. A write whose condition was false names the clauses that are
    /// false on the stored item this way.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
    /// use awstin_core::cond::ClauseVisitor;
    /// use awstin_core::{Condition, Document};
    /// struct Count(usize);
    /// impl<M> ClauseVisitor<M> for Count {
    ///     fn clause<C: Condition<Model = M>>(&mut self, _: &C) -> Result<(), awstin_core::Error> {
    ///         self.0 += 1;
    ///         Ok(())
    ///     }
    /// }
    /// let (low, high) = (1, 9);
    /// let c = Movie::expr(awstin_macros::cond!(rating >= low && (rating <= high || year > 2000) && attribute_exists(title)));
    /// let mut count = Count(0);
    /// c.clauses(&mut count)?;
    /// assert_eq!(count.0, 3);
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    fn clauses<V: ClauseVisitor<Self::Model>>(&self, visit: &mut V) -> Result<(), Error>
    where
        Self: Sized,
    {
        visit.clause(self)
    }

    /// The condition's text made when the program compiles ([`Plan`]), for a condition
    /// `cond!` built whose shape is fixed; `None` for any other, which is rendered.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr tags: Vec<String> } }
    /// use awstin_core::{Condition, Document};
    /// let (y, i, names) = (1992, 2, ["a", "b"]);
    /// let fixed = Movie::expr(awstin_macros::cond!(year == y && title in ["a", "b"]));
    /// assert_eq!(fixed.plan().map(|p| p.text()), Some("#n0 = :v0 AND #n1 IN (:v1, :v2)"));
    /// let by_slice = Movie::expr(awstin_macros::cond!(title in names));
    /// assert!(by_slice.plan().is_none());
    /// let by_index = Movie::expr(awstin_macros::cond!(tags[i] == y.to_string()));
    /// assert!(by_index.plan().is_none());
    /// ```
    fn plan(&self) -> Option<&'static Plan> {
        None
    }
}

/// A condition (or an update) with the [`Plan`] `cond!` (`update!`) made for it when the
/// program compiled.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
/// use awstin_core::{Condition, Document};
/// let c = Movie::expr(awstin_macros::cond!(year > 2000 || attribute_not_exists(title)));
/// assert_eq!(c.plan().unwrap().text(), "#n0 > :v0 OR attribute_not_exists(#n1)");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Planned<C> {
    plan: Option<&'static Plan>,
    condition: C,
}

/// `condition` (or an update) with its plan.
pub const fn planned<C>(plan: Option<&'static Plan>, condition: C) -> Planned<C> {
    Planned { plan, condition }
}

impl<C> Planned<C> {
    /// What the plan is the text of.
    pub(crate) const fn inner(&self) -> &C {
        &self.condition
    }

    /// The plan.
    pub(crate) const fn planned(&self) -> Option<&'static Plan> {
        self.plan
    }
}

impl<C: Condition> Condition for Planned<C> {
    type Model = C::Model;
    const PRECEDENCE: Precedence = C::PRECEDENCE;
    fn render<'a>(&'a self, r: &mut Renderer<'_, 'a>) -> Result<(), Error> {
        self.condition.render(r)
    }
    fn eval<It: ValueRead>(&self, item: It) -> Result<bool, Error> {
        self.condition.eval(item)
    }
    fn clauses<V: ClauseVisitor<Self::Model>>(&self, visit: &mut V) -> Result<(), Error> {
        self.condition.clauses(visit)
    }
    fn plan(&self) -> Option<&'static Plan> {
        self.plan
    }
}

impl<M, C: KeyCondition<M>> KeyCondition<M> for Planned<C> {
    const COMPOSED: bool = C::COMPOSED;
    fn check_key_values(&self) -> Result<(), Error> {
        self.condition.check_key_values()
    }
    fn compose_key<'s>(&'s self, out: &mut ComposedTests<'s>) -> Result<bool, Error> {
        self.condition.compose_key(out)
    }
}

/// What [`Condition::clauses`] passes each clause to.
pub trait ClauseVisitor<M> {
    /// Takes one clause.
    fn clause<C: Condition<Model = M>>(&mut self, clause: &C) -> Result<(), Error>;
}

/// A borrowed condition is the condition it borrows.
impl<C: Condition> Condition for &C {
    type Model = C::Model;
    const PRECEDENCE: Precedence = C::PRECEDENCE;
    fn render<'a>(&'a self, r: &mut Renderer<'_, 'a>) -> Result<(), Error> {
        (**self).render(r)
    }
    fn eval<It: ValueRead>(&self, item: It) -> Result<bool, Error> {
        (**self).eval(item)
    }
    fn clauses<V: ClauseVisitor<Self::Model>>(&self, visit: &mut V) -> Result<(), Error> {
        (**self).clauses(visit)
    }
    fn plan(&self) -> Option<&'static Plan> {
        (**self).plan()
    }
}

/// A side of a comparison: a path, a value, or `size(path)`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an operand",
    label = "expected a path, a value or size(path)"
)]
pub trait Operand {
    /// The compile-time DynamoDB type of the operand.
    type Kind: Kind;
    /// Whether its value's DynamoDB type is known only at run time (a dynamic value, or an
    /// `Option` that may be `None`, a NULL): the rules on operand types are then checked
    /// when the condition is rendered; otherwise the types checked them.
    const VARIES: bool = false;
    /// Writes the operand.
    fn render<'a>(&'a self, r: &mut Renderer<'_, 'a>) -> Result<(), Error>;
    /// The value, for a value operand.
    fn value(&self) -> Option<&dyn Encode> {
        None
    }
    /// The path, for a path operand.
    fn path(&self) -> Option<&dyn crate::expr::path::Segments> {
        None
    }
    /// The operand's value for `item`; operands of update values only (`+`, `if_not_exists`,
    /// `list_append`) are not evaluated in conditions.
    fn resolve<It: ValueRead>(&self, _item: It) -> Result<Resolved<'_, It>, Error> {
        Err(Error::WrongType {
            expected: "a condition operand (path, value or size)",
        })
    }
    /// The operand's value for `item` as an update computes it (`None`: a path the item does
    /// not have). Update values (`+`, `-`, `if_not_exists`, `list_append`) compute here; other
    /// operands use [`resolve`](Operand::resolve).
    #[cfg(feature = "alloc")]
    fn compute(
        &self,
        item: crate::values::value_buf::ValueBufRef<'_>,
    ) -> Result<Option<crate::values::value_buf::ValueBuf>, Error> {
        Ok(match self.resolve(item)? {
            Resolved::Stored(v) => Some(crate::values::value_buf::owned(v)?),
            Resolved::Given(v) => Some(crate::values::value_buf::ValueBuf::from_encode(v)?),
            Resolved::Size(n) => Some(crate::values::value_buf::ValueBuf::N(n)),
            Resolved::Missing => None,
        })
    }
}

impl<P: Path> Operand for P
where
    <P::Type as DynamoType>::Kind: Kind,
{
    type Kind = <P::Type as DynamoType>::Kind;
    fn render<'a>(&'a self, r: &mut Renderer<'_, 'a>) -> Result<(), Error> {
        r.path(self)
    }
    fn path(&self) -> Option<&dyn crate::expr::path::Segments> {
        Some(self)
    }
    fn resolve<It: ValueRead>(&self, item: It) -> Result<Resolved<'_, It>, Error> {
        Ok(eval::lookup(self, item).map_or(Resolved::Missing, Resolved::Stored))
    }
}

/// Refuses `first` standing again as `other`: the same path on both sides of `operator`.
fn distinct<A: Operand + ?Sized, B: Operand + ?Sized>(
    operator: &'static str,
    first: &A,
    other: &B,
) -> Result<(), Error> {
    if let (Some(a), Some(b)) = (first.path(), other.path())
        && crate::expr::path::same_segments(a, b)?
    {
        return Err(Error::OperandRepeated { operator });
    }
    Ok(())
}

/// A value operand, sent as a `:v` placeholder: a borrowed Rust value (`Val(&x)`, what the
/// macros make of a variable or a field of one), or a value the expression owns (`Val(x)`,
/// what they make of a computed one: a method call, an arithmetic expression, a literal).
#[derive(Clone, Copy)]
pub struct Val<V>(pub V);

impl<V> core::fmt::Debug for Val<V> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Val(..)")
    }
}

impl<V: Encode + DynamoType> Operand for Val<V> {
    type Kind = V::Kind;
    const VARIES: bool = V::NULLABLE || <V::Kind as Kind>::TYPE.is_none();
    fn render<'a>(&'a self, r: &mut Renderer<'_, 'a>) -> Result<(), Error> {
        r.typed_value(&self.0)
    }
    fn value(&self) -> Option<&dyn Encode> {
        Some(&self.0)
    }
    fn resolve<It: ValueRead>(&self, _item: It) -> Result<Resolved<'_, It>, Error> {
        Ok(Resolved::Given(&self.0))
    }
}

/// `size(path)`: a number.
#[derive(Debug, Clone, Copy)]
pub struct Size<P>(pub P);

impl<P: Path> Operand for Size<P> {
    type Kind = kind::N;
    fn render<'a>(&'a self, r: &mut Renderer<'_, 'a>) -> Result<(), Error> {
        r.operator();
        r.text("size(");
        r.path(&self.0)?;
        r.text(")");
        Ok(())
    }
    fn resolve<It: ValueRead>(&self, item: It) -> Result<Resolved<'_, It>, Error> {
        Ok(
            match eval::lookup(&self.0, item).as_ref().and_then(eval::size_of) {
                Some(n) => Resolved::Size(Number::from(n)),
                None => Resolved::Missing,
            },
        )
    }
}

/// The comparison operators, as types.
pub mod op {
    use crate::values::kind::Ordered;

    /// A comparison operator usable on operands of kind `K`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` cannot compare attributes of DynamoDB type `{K}`",
        label = "`<`, `<=`, `>`, `>=` order only numbers, strings and binaries"
    )]
    pub trait Comparison<K> {
        /// The operator's text, with the spaces around it (` = `).
        const TEXT: &'static str;
        /// The operator alone (`=`), as errors name it.
        const SYMBOL: &'static str;
        /// Whether it orders (`<`, `<=`, `>`, `>=`): DynamoDB then takes only string, number
        /// and binary values.
        const ORDERING: bool;
        /// Whether it holds, given equality (`None`: a side is missing) and order (`None`:
        /// not two scalars of one type).
        fn holds(equal: Option<bool>, order: Option<core::cmp::Ordering>) -> bool;
    }

    macro_rules! ops {
        ($($(#[$m:meta])* $name:ident $text:literal $ordering:literal $($bound:ident)?, |$e:ident, $o:ident| $holds:expr;)*) => {$(
            $(#[$m])*
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
            pub struct $name;
            impl<K $(: $bound)?> Comparison<K> for $name {
                const TEXT: &'static str = $text;
                const SYMBOL: &'static str = $text.trim_ascii();
                const ORDERING: bool = $ordering;
                #[allow(unused_variables)]
                fn holds($e: Option<bool>, $o: Option<core::cmp::Ordering>) -> bool {
                    $holds
                }
            }
        )*};
    }
    use core::cmp::Ordering::{Equal, Greater, Less};
    ops! {
        /// `==`, rendered `=`.
        Eq " = " false, |e, o| e == Some(true);
        /// `!=`, rendered `<>`: true when a side is missing or the types differ.
        Ne " <> " false, |e, o| e != Some(true);
        /// `<`.
        Lt " < " true Ordered, |e, o| o == Some(Less);
        /// `<=`.
        Le " <= " true Ordered, |e, o| matches!(o, Some(Less | Equal));
        /// `>`.
        Gt " > " true Ordered, |e, o| o == Some(Greater);
        /// `>=`.
        Ge " >= " true Ordered, |e, o| matches!(o, Some(Greater | Equal));
    }
}

/// A condition's model, known from an operand that is a path.
pub trait ModelOf {
    /// The model.
    type Model;
}
impl<P: Path> ModelOf for P {
    type Model = P::Model;
}
impl<P: Path> ModelOf for Size<P> {
    type Model = P::Model;
}

/// `lhs <op> rhs`.
#[derive(Debug, Clone, Copy)]
pub struct Compare<L, O, R> {
    lhs: L,
    rhs: R,
    _op: PhantomData<O>,
}

/// Builds a comparison; the right side must fit the left side's type.
pub fn compare<L: Operand, O: op::Comparison<L::Kind> + op::Comparison<R::Kind>, R: Operand>(
    lhs: L,
    _op: O,
    rhs: R,
) -> Compare<L, O, R>
where
    R::Kind: Fits<L::Kind>,
{
    Compare {
        lhs,
        rhs,
        _op: PhantomData,
    }
}

impl<L: Operand + ModelOf, O: op::Comparison<L::Kind>, R: Operand> Condition for Compare<L, O, R> {
    type Model = L::Model;
    const PRECEDENCE: Precedence = Precedence::Atom;
    fn render<'a>(&'a self, r: &mut Renderer<'_, 'a>) -> Result<(), Error> {
        distinct(O::TEXT.trim(), &self.lhs, &self.rhs)?;
        self.check_operands()?;
        r.operator();
        self.lhs.render(r)?;
        r.text(O::TEXT);
        self.rhs.render(r)
    }
    fn eval<It: ValueRead>(&self, item: It) -> Result<bool, Error> {
        self.check_operands()?;
        let (l, r) = (self.lhs.resolve(item)?, self.rhs.resolve(item)?);
        Ok(O::holds(eval::equal(&l, &r)?, eval::compare(&l, &r)?))
    }
}

impl<L: Operand, O: op::Comparison<L::Kind>, R: Operand> Compare<L, O, R> {
    /// An ordering comparison's values are strings, numbers or binaries: DynamoDB refuses
    /// any other whatever the item holds (a value of a dynamic type, or `None`, found here).
    fn check_operands(&self) -> Result<(), Error> {
        if O::ORDERING && (L::VARIES || R::VARIES) {
            for value in [self.lhs.value(), self.rhs.value()].into_iter().flatten() {
                eval::operand_of(O::SYMBOL, value, eval::ORDERED)?;
            }
        }
        Ok(())
    }
}

/// `lhs BETWEEN low AND high`, inclusive of both bounds.
#[derive(Debug, Clone, Copy)]
pub struct Between<L, A, B> {
    lhs: L,
    low: A,
    high: B,
}

/// Builds an inclusive range test.
pub fn between<L: Operand, A: Operand, B: Operand>(lhs: L, low: A, high: B) -> Between<L, A, B>
where
    L::Kind: kind::Ordered,
    A::Kind: Fits<L::Kind> + kind::Ordered + kind::SameBounds<B::Kind>,
    B::Kind: Fits<L::Kind> + kind::Ordered,
{
    Between { lhs, low, high }
}

impl<L: Operand + ModelOf, A: Operand, B: Operand> Condition for Between<L, A, B> {
    type Model = L::Model;
    const PRECEDENCE: Precedence = Precedence::Atom;
    fn render<'a>(&'a self, r: &mut Renderer<'_, 'a>) -> Result<(), Error> {
        self.check_bounds()?;
        distinct("BETWEEN", &self.lhs, &self.low)?;
        distinct("BETWEEN", &self.lhs, &self.high)?;
        r.operator();
        self.lhs.render(r)?;
        r.text(" BETWEEN ");
        self.low.render(r)?;
        r.text(" AND ");
        self.high.render(r)
    }
    fn eval<It: ValueRead>(&self, item: It) -> Result<bool, Error> {
        use core::cmp::Ordering::{Equal, Greater, Less};
        self.check_types()?;
        let x = self.lhs.resolve(item)?;
        let above_low = matches!(
            eval::compare(&x, &self.low.resolve(item)?)?,
            Some(Greater | Equal)
        );
        let below_high = matches!(
            eval::compare(&x, &self.high.resolve(item)?)?,
            Some(Less | Equal)
        );
        Ok(above_low && below_high)
    }
}

impl<L: Operand, A: Operand, B: Operand> Between<L, A, B> {
    /// The bounds that are values: strings, numbers or binaries, of one type, the low one
    /// not above the high one; DynamoDB refuses any other whatever the item holds.
    fn check_bounds(&self) -> Result<(), Error> {
        self.check_types()?;
        if let (Some(low), Some(high)) = (self.low.value(), self.high.value())
            && eval::compare_values(low, high)? == Some(core::cmp::Ordering::Greater)
        {
            return Err(Error::BetweenBounds);
        }
        Ok(())
    }

    /// The types of bounds known only at run time (the types checked the others).
    fn check_types(&self) -> Result<(), Error> {
        let low = self.low.value();
        let high = self.high.value();
        if A::VARIES || B::VARIES {
            let low_type = low
                .map(|v| eval::operand_of("BETWEEN", v, eval::ORDERED))
                .transpose()?;
            let high_type = high
                .map(|v| eval::operand_of("BETWEEN", v, eval::ORDERED))
                .transpose()?;
            if let (Some(low_type), Some(high_type)) = (low_type, high_type)
                && low_type != high_type
            {
                return Err(Error::BetweenTypes {
                    low: low_type,
                    high: high_type,
                });
            }
        }
        Ok(())
    }
}

pub use crate::limits::MAX_IN_VALUES;

/// The values of an `IN`.
pub trait InValues {
    /// Number of values.
    fn len(&self) -> usize;
    /// `true` when there are none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The value at `i`.
    fn get(&self, i: usize) -> Option<&dyn Encode>;
}

impl<const N: usize> InValues for [&(dyn Encode + Sync); N] {
    fn len(&self) -> usize {
        N
    }
    fn get(&self, i: usize) -> Option<&dyn Encode> {
        self.as_slice().get(i).map(|v| *v as &dyn Encode)
    }
}

/// The values of a dynamic `in (values)`: a slice of one type.
#[derive(Debug)]
pub struct InSlice<'v, T>(pub &'v [T]);

impl<T: Encode> InValues for InSlice<'_, T> {
    fn len(&self) -> usize {
        self.0.len()
    }
    fn get(&self, i: usize) -> Option<&dyn Encode> {
        self.0.get(i).map(|v| v as &dyn Encode)
    }
}

/// Collections a dynamic `in (values)` accepts.
pub trait ValueList {
    /// The element type.
    type Item;
    /// The elements.
    fn as_values(&self) -> &[Self::Item];
}
impl<T> ValueList for [T] {
    type Item = T;
    fn as_values(&self) -> &[T] {
        self
    }
}
impl<T, const N: usize> ValueList for [T; N] {
    type Item = T;
    fn as_values(&self) -> &[T] {
        self
    }
}
impl<T: ValueList + ?Sized> ValueList for &T {
    type Item = T::Item;
    fn as_values(&self) -> &[T::Item] {
        (**self).as_values()
    }
}
#[cfg(feature = "alloc")]
impl<T> ValueList for alloc::vec::Vec<T> {
    type Item = T;
    fn as_values(&self) -> &[T] {
        self
    }
}

/// `lhs IN (v1, v2, ...)`, with 1 to 100 values.
#[derive(Debug)]
pub struct In<L, I> {
    lhs: L,
    values: I,
}

/// The start of an `in [..]` list that holds other attributes (`in [attr(genre), "x"]`):
/// `InStart.item(a).item(b)`.
#[derive(Debug, Clone, Copy)]
pub struct InStart;

/// An `in [..]` list: the items before, then one more operand.
#[derive(Debug, Clone, Copy)]
pub struct InCons<T, A>(T, A);

impl InStart {
    /// The first item.
    pub fn item<A: Operand>(self, a: A) -> InCons<Self, A> {
        InCons(self, a)
    }
}

impl<T, B> InCons<T, B> {
    /// One more item.
    pub fn item<A: Operand>(self, a: A) -> InCons<Self, A> {
        InCons(self, a)
    }
}

/// The operands of an `in [..]` list of paths and values, each of a type that fits `K`.
pub trait InItems<K> {
    /// Number of items.
    fn count(&self) -> usize;
    /// Writes the items, comma-separated.
    fn render_items<'a>(&'a self, r: &mut Renderer<'_, 'a>) -> Result<(), Error>;
    /// Whether one of the items equals `x` in `item`.
    fn any_equal<It: ValueRead>(&self, x: &Resolved<'_, It>, item: It) -> Result<bool, Error>;
    /// Refuses `lhs` standing again among the items.
    fn check_distinct<L: Operand + ?Sized>(&self, lhs: &L) -> Result<(), Error>;
}

impl<K> InItems<K> for InStart {
    fn count(&self) -> usize {
        0
    }
    fn render_items<'a>(&'a self, _: &mut Renderer<'_, 'a>) -> Result<(), Error> {
        Ok(())
    }
    fn any_equal<It: ValueRead>(&self, _: &Resolved<'_, It>, _: It) -> Result<bool, Error> {
        Ok(false)
    }
    fn check_distinct<L: Operand + ?Sized>(&self, _: &L) -> Result<(), Error> {
        Ok(())
    }
}

impl<K, T: InItems<K>, A: Operand> InItems<K> for InCons<T, A>
where
    A::Kind: Fits<K>,
{
    fn count(&self) -> usize {
        self.0.count() + 1
    }
    fn render_items<'a>(&'a self, r: &mut Renderer<'_, 'a>) -> Result<(), Error> {
        self.0.render_items(r)?;
        if self.0.count() > 0 {
            r.text(", ");
        }
        self.1.render(r)
    }
    fn any_equal<It: ValueRead>(&self, x: &Resolved<'_, It>, item: It) -> Result<bool, Error> {
        Ok(self.0.any_equal(x, item)? || eval::equal(x, &self.1.resolve(item)?)? == Some(true))
    }
    fn check_distinct<L: Operand + ?Sized>(&self, lhs: &L) -> Result<(), Error> {
        self.0.check_distinct(lhs)?;
        distinct("IN", lhs, &self.1)
    }
}

/// `lhs IN (a, b, ...)` whose items may be other attributes.
#[derive(Debug, Clone, Copy)]
pub struct InOperands<L, I> {
    lhs: L,
    items: I,
}

/// Builds `IN` from a list of operands (paths and values).
pub fn in_operands<L: Operand, I: InItems<L::Kind>>(lhs: L, items: I) -> InOperands<L, I> {
    InOperands { lhs, items }
}

impl<L: Operand + ModelOf, I: InItems<L::Kind>> Condition for InOperands<L, I> {
    type Model = L::Model;
    const PRECEDENCE: Precedence = Precedence::Atom;
    fn render<'a>(&'a self, r: &mut Renderer<'_, 'a>) -> Result<(), Error> {
        let count = self.items.count();
        if count == 0 || count > MAX_IN_VALUES {
            return Err(Error::InValues {
                count,
                max: MAX_IN_VALUES,
            });
        }
        self.items.check_distinct(&self.lhs)?;
        r.operator();
        self.lhs.render(r)?;
        r.text(" IN (");
        self.items.render_items(r)?;
        r.text(")");
        Ok(())
    }
    fn eval<It: ValueRead>(&self, item: It) -> Result<bool, Error> {
        let x = self.lhs.resolve(item)?;
        self.items.any_equal(&x, item)
    }
}

/// One value of a literal `in [..]` list, checked against the left side's type. Values are
/// `Sync`, so that a condition holding them can travel with a write's future to another
/// thread.
pub fn in_item<'v, L: Operand, V: Encode + DynamoType + Sync>(
    _lhs: &L,
    value: &'v V,
) -> &'v (dyn Encode + Sync)
where
    V::Kind: Fits<L::Kind>,
{
    value
}

/// Builds `IN` from a literal list.
pub fn in_list<L: Operand, const N: usize>(
    lhs: L,
    values: [&(dyn Encode + Sync); N],
) -> In<L, [&(dyn Encode + Sync); N]> {
    In { lhs, values }
}

/// Builds `IN` from a collection of values of one type.
pub fn in_values<'v, L: Operand, C: ValueList + ?Sized>(
    lhs: L,
    values: &'v C,
) -> In<L, InSlice<'v, C::Item>>
where
    C::Item: Encode + DynamoType,
    <C::Item as DynamoType>::Kind: Fits<L::Kind>,
{
    In {
        lhs,
        values: InSlice(values.as_values()),
    }
}

impl<L: Operand + ModelOf, I: InValues> Condition for In<L, I> {
    type Model = L::Model;
    const PRECEDENCE: Precedence = Precedence::Atom;
    fn render<'a>(&'a self, r: &mut Renderer<'_, 'a>) -> Result<(), Error> {
        let count = self.values.len();
        if count == 0 || count > MAX_IN_VALUES {
            return Err(Error::InValues {
                count,
                max: MAX_IN_VALUES,
            });
        }
        r.operator();
        self.lhs.render(r)?;
        r.text(" IN (");
        for i in 0..count {
            if i > 0 {
                r.text(", ");
            }
            if let Some(v) = self.values.get(i) {
                r.value(v)?;
            }
        }
        r.text(")");
        Ok(())
    }
    fn eval<It: ValueRead>(&self, item: It) -> Result<bool, Error> {
        let x = self.lhs.resolve(item)?;
        for i in 0..self.values.len() {
            if let Some(v) = self.values.get(i)
                && eval::equal(&x, &Resolved::Given(v))? == Some(true)
            {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

macro_rules! path_function {
    ($(#[$m:meta])* $name:ident, $text:literal, $exists:literal) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name<P>(pub P);

        impl<P: Path> Condition for $name<P> {
            type Model = P::Model;
            const PRECEDENCE: Precedence = Precedence::Atom;
            fn render<'a>(&'a self, r: &mut Renderer<'_, 'a>) -> Result<(), Error> {
                r.operator();
                r.text(concat!($text, "("));
                r.path(&self.0)?;
                r.text(")");
                Ok(())
            }
            fn eval<It: ValueRead>(&self, item: It) -> Result<bool, Error> {
                Ok(eval::lookup(&self.0, item).is_some() == $exists)
            }
        }
    };
}
path_function!(
    /// `attribute_exists(path)`.
    Exists, "attribute_exists", true
);
path_function!(
    /// `attribute_not_exists(path)`.
    NotExists, "attribute_not_exists", false
);

/// `attribute_type(path, :type)`.
#[derive(Debug, Clone, Copy)]
pub struct TypeIs<P> {
    path: P,
    attribute_type: AttributeType,
}

impl<P: Path> Condition for TypeIs<P> {
    type Model = P::Model;
    const PRECEDENCE: Precedence = Precedence::Atom;
    fn render<'a>(&'a self, r: &mut Renderer<'_, 'a>) -> Result<(), Error> {
        r.operator();
        r.text("attribute_type(");
        r.path(&self.path)?;
        r.text(", ");
        r.typed_value(&self.attribute_type)?;
        r.text(")");
        Ok(())
    }
    fn eval<It: ValueRead>(&self, item: It) -> Result<bool, Error> {
        Ok(eval::lookup(&self.path, item)
            .is_some_and(|v| v.attribute_type() == self.attribute_type))
    }
}

macro_rules! path_value_function {
    ($(#[$m:meta])* $name:ident, $text:literal, $eval:path, $allowed:expr) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name<P, V> {
            path: P,
            operand: V,
        }

        impl<P: Path, V: Operand> Condition for $name<P, V> {
            type Model = P::Model;
            const PRECEDENCE: Precedence = Precedence::Atom;
            fn render<'a>(&'a self, r: &mut Renderer<'_, 'a>) -> Result<(), Error> {
                distinct($text, &self.path, &self.operand)?;
                self.check_operand()?;
                r.operator();
                r.text(concat!($text, "("));
                r.path(&self.path)?;
                r.text(", ");
                self.operand.render(r)?;
                r.text(")");
                Ok(())
            }
            fn eval<It: ValueRead>(&self, item: It) -> Result<bool, Error> {
                self.check_operand()?;
                let stored = eval::lookup(&self.path, item).map_or(Resolved::Missing, Resolved::Stored);
                $eval(&stored, &self.operand.resolve(item)?)
            }
        }

        impl<P, V: Operand> $name<P, V> {
            /// A value operand of a type DynamoDB takes here whatever the item holds.
            fn check_operand(&self) -> Result<(), Error> {
                let allowed: Option<&[AttributeType]> = $allowed;
                if !V::VARIES {
                    return Ok(());
                }
                if let (Some(allowed), Some(value)) = (allowed, self.operand.value()) {
                    eval::operand_of($text, value, allowed)?;
                }
                Ok(())
            }
        }
    };
}
path_value_function!(
    /// `begins_with(path, prefix)`: strings and binaries.
    BeginsWith, "begins_with", eval::begins_with, Some(&[AttributeType::S, AttributeType::B])
);
path_value_function!(
    /// `contains(path, operand)`: a substring, a set element or a list element.
    Contains, "contains", eval::contains, None
);

/// The functions of `cond!`, by their DynamoDB names.
#[allow(missing_debug_implementations)]
pub mod functions {
    use super::*;

    /// `attribute_exists(path)`.
    pub fn attribute_exists<P: Path>(path: P) -> Exists<P> {
        Exists(path)
    }
    /// `attribute_not_exists(path)`.
    pub fn attribute_not_exists<P: Path>(path: P) -> NotExists<P> {
        NotExists(path)
    }
    /// `attribute_type(path, type)`.
    pub fn attribute_type<P: Path>(path: P, attribute_type: AttributeType) -> TypeIs<P> {
        TypeIs {
            path,
            attribute_type,
        }
    }
    /// `begins_with(path, prefix)`.
    pub fn begins_with<P: Path, V: Operand>(path: P, prefix: V) -> BeginsWith<P, V>
    where
        <P::Type as DynamoType>::Kind: kind::Prefix<V::Kind>,
    {
        BeginsWith {
            path,
            operand: prefix,
        }
    }
    /// `contains(path, operand)`.
    pub fn contains<P: Path, V: Operand>(path: P, operand: V) -> Contains<P, V>
    where
        <P::Type as DynamoType>::Kind: kind::Contains<V::Kind>,
    {
        Contains { path, operand }
    }
    /// `size(path)`, an operand.
    pub fn size<P: Path>(path: P) -> Size<P>
    where
        <P::Type as DynamoType>::Kind: kind::HasSize,
    {
        Size(path)
    }
}

/// `a AND b`.
#[derive(Debug, Clone, Copy)]
pub struct And<A, B>(pub A, pub B);
/// `a OR b`.
#[derive(Debug, Clone, Copy)]
pub struct Or<A, B>(pub A, pub B);
/// `NOT a`.
#[derive(Debug, Clone, Copy)]
pub struct Not<A>(pub A);

impl<A: Condition, B: Condition<Model = A::Model>> Condition for And<A, B> {
    type Model = A::Model;
    const PRECEDENCE: Precedence = Precedence::And;
    fn render<'a>(&'a self, r: &mut Renderer<'_, 'a>) -> Result<(), Error> {
        r.operator();
        r.condition(&self.0, Precedence::And)?;
        r.text(" AND ");
        r.condition(&self.1, Precedence::And)
    }
    fn eval<It: ValueRead>(&self, item: It) -> Result<bool, Error> {
        Ok(self.0.eval(item)? && self.1.eval(item)?)
    }
    fn clauses<V: ClauseVisitor<Self::Model>>(&self, visit: &mut V) -> Result<(), Error> {
        self.0.clauses(visit)?;
        self.1.clauses(visit)
    }
}

impl<A: Condition, B: Condition<Model = A::Model>> Condition for Or<A, B> {
    type Model = A::Model;
    const PRECEDENCE: Precedence = Precedence::Or;
    fn render<'a>(&'a self, r: &mut Renderer<'_, 'a>) -> Result<(), Error> {
        r.operator();
        r.condition(&self.0, Precedence::Or)?;
        r.text(" OR ");
        r.condition(&self.1, Precedence::Or)
    }
    fn eval<It: ValueRead>(&self, item: It) -> Result<bool, Error> {
        Ok(self.0.eval(item)? || self.1.eval(item)?)
    }
}

impl<A: Condition> Condition for Not<A> {
    type Model = A::Model;
    const PRECEDENCE: Precedence = Precedence::Not;
    fn render<'a>(&'a self, r: &mut Renderer<'_, 'a>) -> Result<(), Error> {
        r.operator();
        r.text("NOT ");
        // `NOT NOT x` is written `NOT (NOT x)`: one pair around a group is always accepted.
        r.condition(&self.0, Precedence::Atom)
    }
    fn eval<It: ValueRead>(&self, item: It) -> Result<bool, Error> {
        Ok(!self.0.eval(item)?)
    }
}

/// Combining conditions, used by `cond!`'s expansion.
pub trait ConditionExt: Condition + Sized {
    /// `self AND other`.
    fn and<B: Condition<Model = Self::Model>>(self, other: B) -> And<Self, B> {
        And(self, other)
    }
    /// `self OR other`.
    fn or<B: Condition<Model = Self::Model>>(self, other: B) -> Or<Self, B> {
        Or(self, other)
    }
}
impl<C: Condition> ConditionExt for C {}

/// `NOT c`.
pub fn not<C: Condition>(c: C) -> Not<C> {
    Not(c)
}

impl<'a> crate::expr::render::Renderer<'_, 'a> {
    /// Writes a condition, in parentheses when its precedence is below `min`.
    pub fn condition<C: Condition + ?Sized>(
        &mut self,
        c: &'a C,
        min: Precedence,
    ) -> Result<(), Error> {
        if C::PRECEDENCE < min {
            self.text("(");
            c.render(self)?;
            self.text(")");
            Ok(())
        } else {
            c.render(self)
        }
    }
}
