//! What `dynamo_model!` defines, for the documentation: this module exists only in the docs
//! (`#[cfg(doc)]`), as bitflags' `example_generated` does. It was made by:
//!
//! ```
//! awstin::dynamo_model! {
//!     /// A film in the Movies table.
//!     #[derive(Debug, Clone, PartialEq)]
//!     pub struct Movie {
//!         table "Movies";
//!         /// Year of release: the partition key.
//!         key year: u32;
//!         /// The title: the sort key.
//!         key title: String;
//!         /// The rating, stored as `ratingValue`.
//!         attr rating: Option<f64> as "ratingValue";
//!         /// Nested details.
//!         attr info: Info;
//!     }
//! }
//!
//! awstin::dynamo_model! {
//!     /// Details of a film: a document nested in `Movie`, with no table of its own.
//!     #[derive(Debug, Clone, PartialEq)]
//!     pub struct Info {
//!         /// The cast.
//!         attr actors: Vec<String>;
//!     }
//! }
//!
//! awstin::dynamo_model! {
//!     /// Movies by genre: a global secondary index, read-only.
//!     #[derive(Debug, Clone, PartialEq)]
//!     pub struct MovieByGenre { index "by-genre" on "Movies"; key genre: String; key year: u32; }
//! }
//! ```
//!
//! Each model is the struct itself, an implementation of [`Document`](crate::Document)
//! (with its field table, `Movie::FIELDS`, which the DSL checks names against), of
//! [`Model`](crate::Model) for models with a table or index (`SOURCE`, `KEY`), of
//! `TableModel` for table models (the only ones that can be written), and the item codec
//! ([`Encode`](crate::Encode) and `DecodeFrom`). The field table holds one typed path per
//! attribute; its types are hidden, as they are the macro's business.

crate::dynamo_model! {
    /// A film in the Movies table.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Movie {
        table "Movies";
        /// Year of release: the partition key.
        key year: u32;
        /// The title: the sort key.
        key title: String;
        /// The rating, stored as `ratingValue`.
        attr rating: Option<f64> as "ratingValue";
        /// Nested details.
        attr info: Info;
    }
}

crate::dynamo_model! {
    /// Details of a film: a document nested in `Movie`, with no table of its own.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Info {
        /// The cast.
        attr actors: Vec<String>;
    }
}

crate::dynamo_model! {
    /// Movies by genre: a global secondary index, read-only.
    #[derive(Debug, Clone, PartialEq)]
    pub struct MovieByGenre {
        index "by-genre" on "Movies";
        /// The genre: the index's partition key.
        key genre: String;
        /// Year of release: the index's sort key.
        key year: u32;
    }
}
