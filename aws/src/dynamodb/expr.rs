//! Rendering a request's expressions once, into the owned strings and maps the SDK sends:
//! the core's [`op::Render`] written by the SDK backend.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use awstin_core::op;
use awstin_core::{Condition, KeyCondition, Projection, Update};

use super::codec::to_attribute_value;
use super::error::Error;

/// A request's expressions rendered into what the SDK sends: the expression strings and the
/// placeholder maps. Empty maps are `None` (DynamoDB rejects empty maps).
///
/// Made by [`Render`]; each field goes to the SDK builder's setter of the same name, e.g.
/// `set_key_condition_expression(e.key_condition)`.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Expressions {
    /// `KeyConditionExpression`.
    pub key_condition: Option<String>,
    /// `FilterExpression`.
    pub filter: Option<String>,
    /// `ConditionExpression`.
    pub condition: Option<String>,
    /// `UpdateExpression`.
    pub update: Option<String>,
    /// `ProjectionExpression`.
    pub projection: Option<String>,
    /// `ExpressionAttributeNames`.
    pub names: Option<HashMap<String, String>>,
    /// `ExpressionAttributeValues`.
    pub values: Option<HashMap<String, AttributeValue>>,
}

impl Expressions {
    /// The expressions of a described read, checked as the table's reads check them: for a
    /// request built with the SDK itself whose key condition is over composed keys' fields
    /// (which only a described read renders: their texts are made for it).
    ///
    /// ```
    /// # awstin::dynamo_model! { pub struct Order { table "App"; key pk = "CUSTOMER#" customer; key sk = "ORDER#" placed; attr customer: String; attr placed: u32 } }
    /// use awstin::expr::{Document, op::ReadSpec};
    /// use awstin::dynamodb::Expressions;
    /// let (c, a, b) = ("c42", 5u32, 9u32);
    /// let key = Order::expr(awstin::cond!(customer == c && placed between a..b));
    /// let e = Expressions::of_read(ReadSpec::query("App", &key))?;
    /// assert_eq!(e.key_condition.as_deref(), Some("#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2"));
    /// # Ok::<(), awstin::dynamodb::Error>(())
    /// ```
    pub fn of_read<M, KC, F, P>(spec: op::ReadSpec<'_, M, KC, F, P>) -> Result<Expressions, Error>
    where
        M: awstin_core::Model,
        KC: KeyCondition<M>,
        F: Condition<Model = M>,
        P: Projection,
    {
        spec.build(|mut read| expressions(read.expressions_mut()))
    }
}

/// Renders the expressions of one request through one placeholder namespace, for a request
/// built with the SDK itself (an operation this crate does not wrap, or a raw input): the
/// core's renderer ([`op::Render`]), its expressions written as the SDK's maps.
///
/// Each expression is checked as the table methods check it: DynamoDB's limits, key rules
/// and values are refused with a typed [`Error`] before anything is sent.
///
/// ```
/// # awstin::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
/// use awstin::cond;
/// use awstin::dynamodb::{Render, sdk::types::AttributeValue};
/// use awstin::expr::Document;
///
/// let (y, a, b) = (1992u32, "A", "L");
/// let key = Movie::expr(cond!(year == y && title between a..b));
/// let mut render = Render::new();
/// render.key(&key)?;
/// let e = render.finish()?;
/// assert_eq!(e.key_condition.as_deref(), Some("#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2"));
/// assert_eq!(e.names.unwrap()["#n1"], "title");
/// assert_eq!(e.values.unwrap()[":v0"], AttributeValue::N("1992".into()));
/// let input = awstin::dynamodb::sdk::operation::query::QueryInput::builder()
///     .table_name("Movies")
///     .set_key_condition_expression(e.key_condition);
/// # let _ = input;
/// # Ok::<(), awstin::dynamodb::Error>(())
/// ```
#[derive(Default)]
pub struct Render<'a>(op::Render<'a>);

impl<'a> Render<'a> {
    /// Empty placeholder tables.
    ///
    /// ```
    /// let e = awstin::dynamodb::Render::new().finish()?;
    /// assert_eq!(e, awstin::dynamodb::Expressions::default());
    /// # Ok::<(), awstin::dynamodb::Error>(())
    /// ```
    pub fn new() -> Self {
        Render(op::Render::new())
    }

    /// Renders a Query's `KeyConditionExpression`.
    ///
    /// ```
    /// # awstin::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin::expr::Document;
    /// let y = 2013u32;
    /// let e = Movie::expr(awstin::cond!(year == y));
    /// let mut render = awstin::dynamodb::Render::new();
    /// render.key(&e)?;
    /// assert_eq!(render.finish()?.key_condition.as_deref(), Some("#n0 = :v0"));
    /// # Ok::<(), awstin::dynamodb::Error>(())
    /// ```
    pub fn key<M, C: KeyCondition<M>>(&mut self, c: &'a C) -> Result<(), Error> {
        Ok(self.0.key_condition(c)?)
    }

    /// Renders a Scan's `FilterExpression` (which may name key attributes).
    ///
    /// ```
    /// # awstin::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin::expr::Document;
    /// let e = Movie::expr(awstin::cond!(year between 1950..=1959));
    /// let mut render = awstin::dynamodb::Render::new();
    /// render.filter(&e)?;
    /// assert_eq!(render.finish()?.filter.as_deref(), Some("#n0 BETWEEN :v0 AND :v1"));
    /// # Ok::<(), awstin::dynamodb::Error>(())
    /// ```
    pub fn filter<C: Condition>(&mut self, c: &'a C) -> Result<(), Error> {
        Ok(self.0.filter(c)?)
    }

    /// Renders a Query's `FilterExpression`, which may not name the key attributes.
    ///
    /// ```
    /// # awstin::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
    /// use awstin::expr::Document;
    /// let on_key = Movie::expr(awstin::cond!(year > 1950));
    /// let e = Movie::expr(awstin::cond!(rating > 7));
    /// let mut render = awstin::dynamodb::Render::new();
    /// assert!(render.query_filter(&on_key).is_err());
    /// render.query_filter(&e)?;
    /// # Ok::<(), awstin::dynamodb::Error>(())
    /// ```
    pub fn query_filter<C: Condition>(&mut self, c: &'a C) -> Result<(), Error> {
        Ok(self.0.query_filter(c)?)
    }

    /// Renders a write's `ConditionExpression`.
    ///
    /// ```
    /// # awstin::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
    /// use awstin::expr::Document;
    /// let e = Movie::expr(awstin::cond!(rating <= 5));
    /// let mut render = awstin::dynamodb::Render::new();
    /// render.condition(&e)?;
    /// assert_eq!(render.finish()?.condition.as_deref(), Some("#n0 <= :v0"));
    /// # Ok::<(), awstin::dynamodb::Error>(())
    /// ```
    pub fn condition<C: Condition>(&mut self, c: &'a C) -> Result<(), Error> {
        Ok(self.0.condition(c)?)
    }

    /// Renders an `UpdateExpression`.
    ///
    /// ```
    /// # awstin::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
    /// use awstin::expr::Document;
    /// let e = Movie::expr(awstin::update!(rating += 1));
    /// let mut render = awstin::dynamodb::Render::new();
    /// render.update(&e)?;
    /// assert_eq!(render.finish()?.update.as_deref(), Some("SET #n0 = #n0 + :v0"));
    /// # Ok::<(), awstin::dynamodb::Error>(())
    /// ```
    pub fn update<U: Update>(&mut self, u: &'a U) -> Result<(), Error> {
        Ok(self.0.update(u)?)
    }

    /// Renders a `ProjectionExpression`.
    ///
    /// ```
    /// # awstin::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
    /// use awstin::expr::Document;
    /// let e = Movie::expr(awstin::project!(title, rating));
    /// let mut render = awstin::dynamodb::Render::new();
    /// render.projection(&e)?;
    /// assert_eq!(render.finish()?.projection.as_deref(), Some("#n0, #n1"));
    /// # Ok::<(), awstin::dynamodb::Error>(())
    /// ```
    pub fn projection<P: Projection>(&mut self, p: &'a P) -> Result<(), Error> {
        Ok(self.0.projection(p)?)
    }

    /// The expressions rendered and their placeholder maps, or
    /// [`ExpressionValuesTooLarge`](awstin_core::Error::ExpressionValuesTooLarge) when the
    /// maps pass DynamoDB's limit.
    ///
    /// ```
    /// # awstin::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
    /// use awstin::expr::Document;
    /// let e = Movie::expr(awstin::project!(title));
    /// let mut render = awstin::dynamodb::Render::new();
    /// render.projection(&e)?;
    /// let e = render.finish()?;
    /// assert_eq!((e.names.map(|n| n.len()), e.values), (Some(1), None));
    /// # Ok::<(), awstin::dynamodb::Error>(())
    /// ```
    pub fn finish(mut self) -> Result<Expressions, Error> {
        expressions(self.0.checked()?)
    }
}

/// The expressions of a request, their names and values written as the SDK's maps.
pub(crate) fn expressions(e: &mut op::Expressions<'_>) -> Result<Expressions, Error> {
    let names = (e.names().len() > 0).then(|| {
        e.names()
            .map(|(p, n)| (p.to_text(), n.to_owned()))
            .collect::<HashMap<String, String>>()
    });
    let values = if e.values().len() > 0 {
        let mut map = HashMap::with_capacity(e.values().len());
        for (p, v) in e.values() {
            map.insert(p.to_text(), to_attribute_value(v)?);
        }
        Some(map)
    } else {
        None
    };
    Ok(Expressions {
        key_condition: e.key_condition.take(),
        filter: e.filter.take(),
        condition: e.condition.take(),
        update: e.update.take(),
        projection: e.projection.take(),
        names,
        values,
    })
}
