//! What a write with a condition did ([`Written`]), and what a false condition found
//! ([`ConditionFailed`]): the outcome types of every write kind, below the builders that name
//! them.

use awstin_core::DecodeFrom;

use crate::dynamodb::codec::{AvRef, Item, from_item};
use crate::dynamodb::error::{Call, Error};
use crate::dynamodb::explain::FalseClause;

/// What a write with a condition did: applied, refused by its condition, or refused because
/// there was no item. The same for every write kind.
///
/// ```
/// use awstin::dynamodb::Written;
/// let w: Written<u32> = Written::Applied(7);
/// assert_eq!(w.applied(), Some(7));
/// assert!(Written::<()>::NoItem.applied().is_none());
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a write under a condition may not have been applied"]
pub enum Written<T> {
    /// Applied; `T` is what the write returns (an update's item after it).
    Applied(T),
    /// Not applied: the condition was false on the stored item.
    ConditionFalse(Box<ConditionFailed>),
    /// Not applied: there is no item with the key (a delete, or a write whose condition
    /// needed a stored item). Never a "condition false".
    NoItem,
}

impl<T> Written<T> {
    /// The write's result when it was applied.
    ///
    /// ```
    /// assert_eq!(awstin::dynamodb::Written::Applied("x").applied(), Some("x"));
    /// ```
    pub fn applied(self) -> Option<T> {
        match self {
            Written::Applied(t) => Some(t),
            _ => None,
        }
    }

    /// `true` when the write was applied.
    ///
    /// ```
    /// assert!(awstin::dynamodb::Written::Applied(()).is_applied());
    /// ```
    pub fn is_applied(&self) -> bool {
        matches!(self, Written::Applied(_))
    }
}

/// A write's condition was false on the item DynamoDB holds: the call, the stored item as
/// DynamoDB returned it (`ReturnValuesOnConditionCheckFailure = ALL_OLD`), and the clauses of
/// the condition false on it ([`clauses`](ConditionFailed::clauses)). Its `Display` names the
/// call and the clauses (`info.rating <= :v0`), never stored values; read those through
/// [`stored`](ConditionFailed::stored), [`item`](ConditionFailed::item) or
/// [`FalseClause::described`].
///
/// ```
/// use awstin::dynamodb::{Call, ConditionFailed, Operation, to_item};
/// awstin::dynamo_model! { #[derive(Debug, PartialEq)] pub struct Todo { table "Todos"; key id: String; attr done: bool } }
/// let stored = Todo { id: "a".into(), done: false };
/// let failed = ConditionFailed::new(Call::new(Operation::DeleteItem, "Todos"), to_item(&stored)?);
/// assert_eq!(failed.item::<Todo>()?, stored);
/// assert_eq!(failed.to_string(), "DeleteItem on table Todos: the condition was false on the stored item");
/// # Ok::<(), awstin::dynamodb::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionFailed {
    call: Call,
    stored: Item,
    clauses: Vec<FalseClause>,
}

impl ConditionFailed {
    /// A failure of `call`'s condition on `stored`.
    ///
    /// ```
    /// use awstin::dynamodb::{Call, ConditionFailed, Item, Operation};
    /// let failed = ConditionFailed::new(Call::new(Operation::PutItem, "Todos"), Item::new());
    /// assert!(failed.stored().is_empty());
    /// ```
    pub fn new(call: Call, stored: Item) -> ConditionFailed {
        ConditionFailed {
            call,
            stored,
            clauses: Vec::new(),
        }
    }

    /// The same failure, naming the clauses of the condition false on the stored item.
    ///
    /// ```
    /// use awstin::dynamodb::{Call, ConditionFailed, FalseClause, Item, Operation};
    /// let failed = ConditionFailed::new(Call::new(Operation::PutItem, "Todos"), Item::new())
    ///     .with_clauses(vec![FalseClause::new("attribute_not_exists(id)", vec![])]);
    /// assert_eq!(failed.clauses().len(), 1);
    /// ```
    pub fn with_clauses(mut self, clauses: Vec<FalseClause>) -> ConditionFailed {
        self.clauses = clauses;
        self
    }

    /// The clauses of the condition that are false on the stored item, as the local
    /// evaluator finds them, in the order written (for a versioned write, of the caller's
    /// condition: a version that no longer holds is a conflict instead).
    ///
    /// ```
    /// use awstin::dynamodb::{Call, ConditionFailed, FalseClause, Operation, Item};
    /// let failed = ConditionFailed::new(Call::new(Operation::PutItem, "Todos"), Item::new())
    ///     .with_clauses(vec![FalseClause::new("attribute_not_exists(id)", vec![])]);
    /// assert_eq!(failed.clauses()[0].text(), "attribute_not_exists(id)");
    /// ```
    pub fn clauses(&self) -> &[FalseClause] {
        &self.clauses
    }

    /// The write.
    ///
    /// ```
    /// use awstin::dynamodb::{Call, ConditionFailed, Item, Operation};
    /// let failed = ConditionFailed::new(Call::new(Operation::PutItem, "Todos"), Item::new());
    /// assert_eq!(failed.call().operation, Operation::PutItem);
    /// ```
    pub fn call(&self) -> &Call {
        &self.call
    }

    /// The item DynamoDB holds, as it returned it.
    ///
    /// ```
    /// use awstin::dynamodb::{Call, ConditionFailed, Item, Operation};
    /// assert!(ConditionFailed::new(Call::new(Operation::PutItem, "Todos"), Item::new()).stored().is_empty());
    /// ```
    pub fn stored(&self) -> &Item {
        &self.stored
    }

    /// The stored item read as model `M`.
    ///
    /// ```
    /// use awstin::dynamodb::{Call, ConditionFailed, Operation, to_item};
    /// awstin::dynamo_model! { #[derive(Debug, PartialEq)] pub struct Todo { table "Todos"; key id: String } }
    /// let failed = ConditionFailed::new(Call::new(Operation::PutItem, "Todos"), to_item(&Todo { id: "a".into() })?);
    /// assert_eq!(failed.item::<Todo>()?.id, "a");
    /// # Ok::<(), awstin::dynamodb::Error>(())
    /// ```
    pub fn item<M: for<'a> DecodeFrom<AvRef<'a>>>(&self) -> Result<M, Error> {
        Ok(from_item(&self.stored)?)
    }
}

impl std::fmt::Display for ConditionFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: the condition was false on the stored item",
            self.call
        )?;
        for (i, clause) in self.clauses.iter().enumerate() {
            f.write_str(if i == 0 { ": " } else { "; " })?;
            f.write_str(clause.text())?;
        }
        Ok(())
    }
}
