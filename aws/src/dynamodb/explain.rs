//! Why a write's condition was false: the clauses of the condition (the conditions a
//! top-level `AND` joins) that are false on the item DynamoDB returned, found by the local
//! evaluator, each as text people read (`attribute_not_exists(id)`, `info.rating <= :v0`) and
//! the stored values of the paths it names. Values stay out of the text: the Lambda error line
//! prints an error's `Display`, and stored values can be anyone's data.

use aws_sdk_dynamodb::types::AttributeValue;
use awstin_core::cond::ClauseVisitor;
use awstin_core::path::{Segment, Segments};
use awstin_core::{Condition, Request};

use super::codec::{AvRef, Item, owned_value};

/// One clause of a write's condition that was false on the stored item: its text, with
/// attribute names as themselves and values as `:vI` placeholders, and the stored value of
/// each path it names (`None`: the item has no value there).
///
/// ```
/// use awstin::dynamodb::FalseClause;
/// use awstin::dynamodb::sdk::types::AttributeValue;
/// let clause = FalseClause::new("info.rating <= :v0", vec![("info.rating".into(), Some(AttributeValue::N("7.5".into())))]);
/// assert_eq!(clause.to_string(), "info.rating <= :v0");
/// assert_eq!(clause.described(), "info.rating <= :v0 (stored 7.5)");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct FalseClause {
    text: String,
    stored: Vec<(String, Option<AttributeValue>)>,
}

impl FalseClause {
    /// A clause's text and the stored values of its paths.
    pub fn new(text: impl Into<String>, stored: Vec<(String, Option<AttributeValue>)>) -> Self {
        FalseClause {
            text: text.into(),
            stored,
        }
    }

    /// The clause, names as themselves and values as placeholders: `info.rating <= :v0`.
    ///
    /// ```
    /// assert_eq!(awstin::dynamodb::FalseClause::new("attribute_not_exists(id)", vec![]).text(), "attribute_not_exists(id)");
    /// ```
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Each path the clause names, with its stored value (`None`: missing).
    ///
    /// ```
    /// let clause = awstin::dynamodb::FalseClause::new("attribute_exists(id)", vec![("id".into(), None)]);
    /// assert_eq!(clause.stored()[0], ("id".to_string(), None));
    /// ```
    pub fn stored(&self) -> &[(String, Option<AttributeValue>)] {
        &self.stored
    }

    /// The clause with the stored values of its paths, for a place that may show them (a
    /// test, a log of one's own data): `info.rating <= :v0 (stored 7.5)`. Strings are quoted,
    /// binaries, lists, maps and sets given by their size.
    ///
    /// ```
    /// let clause = awstin::dynamodb::FalseClause::new("done = :v0", vec![("done".into(), None)]);
    /// assert_eq!(clause.described(), "done = :v0 (done missing)");
    /// ```
    pub fn described(&self) -> String {
        let mut out = self.text.clone();
        let shown: Vec<String> = self
            .stored
            .iter()
            .map(|(path, value)| match value {
                // One path: "stored 7.5"; several name theirs.
                Some(v) if self.stored.len() == 1 => format!("stored {}", shown(v)),
                Some(v) => format!("{path} {}", shown(v)),
                None => format!("{path} missing"),
            })
            .collect();
        if !shown.is_empty() {
            out.push_str(" (");
            out.push_str(&shown.join(", "));
            out.push(')');
        }
        out
    }
}

impl std::fmt::Display for FalseClause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// A stored value as `described` shows it.
fn shown(v: &AttributeValue) -> String {
    match v {
        AttributeValue::S(s) => format!("{s:?}"),
        AttributeValue::N(n) => n.clone(),
        AttributeValue::Bool(b) => b.to_string(),
        AttributeValue::Null(_) => "NULL".to_owned(),
        AttributeValue::B(b) => format!("{} bytes", b.as_ref().len()),
        AttributeValue::L(l) => format!("a list of {}", l.len()),
        AttributeValue::M(m) => format!("a map of {}", m.len()),
        AttributeValue::Ss(s) => format!("a string set of {}", s.len()),
        AttributeValue::Ns(s) => format!("a number set of {}", s.len()),
        AttributeValue::Bs(s) => format!("a binary set of {}", s.len()),
        _ => "a value of another type".to_owned(),
    }
}

/// A path's text: `info.actors[0]`.
fn path_text(path: &dyn Segments) -> String {
    let mut text = String::new();
    let _ = path.each(&mut |segment| {
        match segment {
            Segment::Name(name) if text.is_empty() => text.push_str(name),
            Segment::Name(name) => {
                text.push('.');
                text.push_str(name);
            }
            Segment::Index(i) => text.push_str(&format!("[{i}]")),
        }
        Ok(())
    });
    text
}

/// Collects the false clauses of a condition on one stored item.
struct FalseOn<'i> {
    item: &'i Item,
    found: Vec<FalseClause>,
}

impl<M> ClauseVisitor<M> for FalseOn<'_> {
    fn clause<C: Condition<Model = M>>(&mut self, clause: &C) -> Result<(), awstin_core::Error> {
        // A clause the evaluator cannot decide is listed: it did not hold for DynamoDB.
        if clause.eval(AvRef::Item(self.item)).unwrap_or(false) {
            return Ok(());
        }
        let mut text = String::new();
        let mut paths: Vec<&dyn Segments> = Vec::new();
        Request::<0, 0>::new().readable(clause, &mut text, &mut |p| paths.push(p))?;
        let mut stored: Vec<(String, Option<AttributeValue>)> = Vec::new();
        for path in paths {
            let name = path_text(path);
            if stored.iter().any(|(seen, _)| *seen == name) {
                continue;
            }
            let value = awstin_core::eval::lookup_segments(path, AvRef::Item(self.item));
            stored.push((name, value.map(owned_value)));
        }
        self.found.push(FalseClause { text, stored });
        Ok(())
    }
}

/// The clauses of `condition` false on `item`, in the order written. Empty when the local
/// evaluator finds every clause true (DynamoDB and the evaluator then disagree: the caller
/// still reports the condition false, as DynamoDB answered).
pub(crate) fn false_clauses<C: Condition>(condition: &C, item: &Item) -> Vec<FalseClause> {
    let mut visit = FalseOn {
        item,
        found: Vec::new(),
    };
    if condition.clauses(&mut visit).is_err() {
        // A clause that cannot be written as text is named by its position alone.
        visit.found.push(FalseClause {
            text: "a clause that could not be written out".to_owned(),
            stored: Vec::new(),
        });
    }
    visit.found
}

/// The explanation of a write's condition, kept with the write until its answer: the
/// caller's condition, evaluated on the stored item if DynamoDB finds it false.
pub(crate) struct Explain<'c>(Box<dyn Explainer + 'c>);

/// A condition kept to be evaluated on a stored item.
trait Explainer: Send {
    fn false_on(self: Box<Self>, item: &Item) -> Vec<FalseClause>;
}

impl<C: Condition + Send> Explainer for C {
    fn false_on(self: Box<Self>, item: &Item) -> Vec<FalseClause> {
        false_clauses(&*self, item)
    }
}

impl<'c> Explain<'c> {
    /// The explanation of `condition`, if the write has one.
    pub(crate) fn of<C: Condition + Send + 'c>(condition: Option<C>) -> Option<Explain<'c>> {
        condition.map(|c| Explain(Box::new(c)))
    }

    /// The false clauses on `item`.
    pub(crate) fn on(self, item: &Item) -> Vec<FalseClause> {
        self.0.false_on(item)
    }
}

impl std::fmt::Debug for Explain<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Explain(..)")
    }
}
