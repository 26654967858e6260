//! Expressions: models and their document paths, conditions, key conditions, updates and
//! projections as typed trees, their local evaluation, and the renderer that writes them into
//! DynamoDB's syntax through shared placeholder tables. Built on [`crate::values`].

#[cfg(feature = "alloc")]
pub(crate) mod apply;
pub(crate) mod chain;
pub mod cond;
pub mod eval;
pub mod model;
pub mod path;
pub mod plan;
pub mod project;
pub mod render;
pub(crate) mod request;
pub mod update;
