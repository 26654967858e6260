//! Shared models and helpers of the core test suite: they need `awstin-core` and
//! `awstin-macros` only, so these tests build without the AWS SDK.
#![allow(missing_docs)] // test models: the fields speak for themselves

use std::collections::BTreeMap;
use std::collections::BTreeSet;
use std::fmt::Write as _;

use awstin_core::json::to_json;
use awstin_core::{BinaryBuf, Condition, Error, KeyCondition, Projection, Request, Update, Value};
use awstin_macros::dynamo_model;

dynamo_model! {
    /// A film, as in AWS's Movies tutorial.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Movie {
        table "Movies";
        key year: u32;
        key title: String;
        attr info: Info;
    }
}

dynamo_model! {
    /// The nested details of a film.
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct Info {
        attr directors: Vec<String>;
        attr release_date: Option<String>;
        attr rating: Option<f64>;
        attr genres: Vec<String>;
        attr plot: Option<String>;
        attr rank: Option<u32>;
        attr running_time_secs: Option<u32>;
        attr actors: Vec<String>;
    }
}

dynamo_model! {
    /// Movies by genre: an index model.
    #[derive(Debug, Clone, PartialEq)]
    pub struct MovieByGenre {
        index "by-genre" on "Movies";
        key genre: String;
        key year: u32;
        attr title: String;
    }
}

dynamo_model! {
    /// Every value type, renames and reserved words.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Thing {
        table "Things";
        key id: String;
        key data: BinaryBuf;
        attr name: String;
        attr status: Option<String>;
        attr size: u64;
        attr ttl: Option<u64> as "expires-at";
        attr flag: bool;
        attr tags: BTreeSet<String>;
        attr scores: BTreeSet<i64>;
        attr blobs: BTreeSet<BinaryBuf>;
        attr matrix: Vec<Vec<u8>>;
        attr labels: BTreeMap<String, String>;
        attr doc: Value<'static>;
        attr deep: Option<Node>;
        attr r#type: String;
    }
}

dynamo_model! {
    /// A self-nesting document, for path depth.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Node {
        attr next: Option<Box<Node>>;
        attr value: u32;
    }
}

dynamo_model! {
    /// A table with only a partition key.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Counter {
        table "Counters";
        key name: String;
        attr count: u64;
    }
}

dynamo_model! {
    /// A document under optimistic locking: `rev` is its version.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Doc {
        table "Docs";
        key id: String;
        attr body: String;
        attr editors: Vec<String>;
        version rev: u64;
    }
}

/// Renders the expressions of one request, sharing its placeholder tables, into a readable
/// text: each expression, then the names and values (as DynamoDB JSON).
pub struct Shown<'a> {
    request: Request<'a, 64, 256>,
    text: String,
}

impl Default for Shown<'_> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'a> Shown<'a> {
    /// An empty request.
    pub fn new() -> Self {
        Shown {
            request: Request::new(),
            text: String::new(),
        }
    }

    /// An empty request that renders every condition, its plan (the text made when the
    /// program compiled) unused.
    pub fn rendered() -> Self {
        Shown {
            request: Request::new().rendered(),
            text: String::new(),
        }
    }

    fn line(&mut self, label: &str, body: String) {
        let _ = writeln!(self.text, "{label}: {body}");
    }

    /// Adds a key condition.
    pub fn key<M, C: KeyCondition<M>>(mut self, c: &'a C) -> Result<Self, Error> {
        let mut s = String::new();
        self.request.key_condition(c, &mut s)?;
        self.line("KeyConditionExpression", s);
        Ok(self)
    }

    /// Adds a filter.
    pub fn filter<C: Condition>(mut self, c: &'a C) -> Result<Self, Error> {
        let mut s = String::new();
        self.request.filter(c, &mut s)?;
        self.line("FilterExpression", s);
        Ok(self)
    }

    /// Adds a write condition.
    pub fn condition<C: Condition>(mut self, c: &'a C) -> Result<Self, Error> {
        let mut s = String::new();
        self.request.condition(c, &mut s)?;
        self.line("ConditionExpression", s);
        Ok(self)
    }

    /// Adds an update.
    pub fn update<U: Update>(mut self, u: &'a U) -> Result<Self, Error> {
        let mut s = String::new();
        self.request.update(u, &mut s)?;
        self.line("UpdateExpression", s);
        Ok(self)
    }

    /// Adds a projection.
    pub fn projection<P: Projection>(mut self, p: &'a P) -> Result<Self, Error> {
        let mut s = String::new();
        self.request.projection(p, &mut s)?;
        self.line("ProjectionExpression", s);
        Ok(self)
    }

    /// The expressions, names and values.
    pub fn finish(self) -> String {
        let mut text = self.text;
        for (placeholder, name) in self.request.names() {
            let _ = writeln!(text, "{placeholder} = {name:?}");
        }
        for (placeholder, value) in self.request.values() {
            let mut json = String::new();
            match to_json(value, &mut json) {
                Ok(()) => {
                    let _ = writeln!(text, "{placeholder} = {json}");
                }
                Err(e) => {
                    let _ = writeln!(text, "{placeholder} = <{e}>");
                }
            }
        }
        text
    }
}

/// Renders a lone condition (as a write condition) into its text, or the error.
pub fn condition_text<C: Condition>(c: &C) -> Result<String, Error> {
    let mut s = String::new();
    Request::<64, 256>::new().condition(c, &mut s)?;
    Ok(s)
}

/// Renders a lone update into its text, or the error.
pub fn update_text<U: Update>(u: &U) -> Result<String, Error> {
    let mut s = String::new();
    Request::<64, 256>::new().update(u, &mut s)?;
    Ok(s)
}

/// A sample film.
pub fn big_new_movie() -> Movie {
    Movie {
        year: 2015,
        title: "The Big New Movie".into(),
        info: Info {
            plot: Some("Nothing happens at all.".into()),
            rating: Some(0.0),
            ..Info::default()
        },
    }
}
