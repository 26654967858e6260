//! `dynamo_model!`: a struct, its field table, and its model metadata.

/// Defines a DynamoDB model: a struct, its typed field table, and its table, index or document
/// metadata.
///
/// # Grammar
///
/// ```text
/// dynamo_model! {
///     $(#[attr])* $vis struct Name {
///         source?                                      // none: a nested document model
///         $( $(#[attr])* key field: Type $(as "name")? ; ){0,2}   // partition, then sort
///         $( $(#[attr])* (attr | index_key | version) field: Type $(as "name")? );* $(;)?
///     }
/// }
/// source := table "TableName" ; $( entity "Type" $(as "name")? ; )?
///         | index "IndexName" on "TableName" ;
///         | index "IndexName" on TableModel ;      // the table's model: its name and key
///
/// dynamo_model! { #[...]* table "T"; key ...; attr ... }   // bare form: defines `pub struct Record`
/// ```
///
/// The first `key` is the partition key and the second, if any, the sort key; keys come before
/// attributes and must be strings, numbers or binaries. `as "name"` renames the attribute in
/// DynamoDB; the Rust field keeps its name and expressions use it. Attributes and derives on
/// the struct and its fields are passed through, and every field gets the struct's visibility.
///
/// `index_key` marks an attribute of a table model that is a key of one of its secondary
/// indexes: it is read, written and compared like an `attr`, but a put or an update that would
/// store NULL or an empty string or binary there is refused before sending, as DynamoDB
/// refuses it (`Error::IndexKeyValue`).
///
/// `version` marks the `u64` version attribute of a table model, for optimistic locking
/// (`Versioned`): 0 stands for an item not stored yet, and the table's versioned writes
/// (`put_versioned`, `update_versioned`, `delete_versioned`, alone or as transaction members)
/// require the version read and store the next one. The plain writes, which would bypass the
/// check, do not compile for the model: they require `Unversioned`, which every model without
/// a `version` line implements. A model has at most one `version` line.
///
/// `entity "Todo";` after a table line names the model's entity type, for tables that hold
/// items of several models: every write of the model (puts, updates, transaction members,
/// batch requests, in the SDK and the JSON backends) adds the attribute `_type` (or the name
/// given with `as`) holding `"Todo"`, through `Model::derive`. A field of that name does not
/// compile.
///
/// A model without a source is a document: it nests inside another model (`attr info: Info`),
/// and `cond!`, `update!` and `project!` reach its members with `info.rating`, checked like
/// top-level attributes.
///
/// The bare form, `dynamo_model! { table "Movies"; key year: u32; ... }`, defines a struct
/// named `Record` deriving `Debug`, `Clone` and `PartialEq`, one model per module in the manner
/// of an entity module. Outer attributes and doc comments before `table` (or `index`) are
/// passed to the struct, e.g. another derive.
///
/// # Example
///
/// ```
/// use awstin::dynamo_model;
/// use awstin::expr::model::Source;
/// use awstin::{AttributeType, Document, Model};
///
/// dynamo_model! {
///     /// A film in the Movies table.
///     #[derive(Debug, Clone, PartialEq)]
///     pub struct Movie {
///         table "Movies";
///         /// Year of release (partition key).
///         key year: u32;
///         key title: String;
///         attr info: Option<Info>;
///     }
/// }
///
/// dynamo_model! {
///     /// Details of a film, nested in `Movie::info`.
///     #[derive(Debug, Clone, PartialEq)]
///     pub struct Info {
///         attr rating: Option<f64> as "ratingValue";
///         attr actors: Vec<String>;
///     }
/// }
///
/// dynamo_model! {
///     /// Movies by genre, a global secondary index.
///     pub struct ByGenre { index "by-genre" on "Movies"; key genre: String; key year: u32; }
/// }
///
/// assert_eq!(Movie::SOURCE, Source::Table("Movies"));
/// assert_eq!(Movie::KEY.partition.attribute_type, AttributeType::N);
/// assert_eq!(Info::FIELDS.rating.name(), "ratingValue");
/// assert_eq!(ByGenre::SOURCE.index(), Some("by-genre"));
///
/// mod movies {
///     awstin::dynamo_model! { table "Movies"; key year: u32; key title: String; attr plot: String }
/// }
/// let m = movies::Record { year: 2015, title: "The Big New Movie".into(), plot: "Nothing happens.".into() };
/// assert_eq!(m.year, 2015);
/// ```
#[macro_export]
macro_rules! dynamo_model {
    ($(#[$meta:meta])* table $($body:tt)*) => {
        $crate::dynamo_model! {
            /// A model defined by the bare form of `dynamo_model!`.
            #[derive($crate::__private::core::fmt::Debug, $crate::__private::core::clone::Clone, $crate::__private::core::cmp::PartialEq)]
            $(#[$meta])*
            pub struct Record { table $($body)* }
        }
    };
    ($(#[$meta:meta])* index $($body:tt)*) => {
        $crate::dynamo_model! {
            /// A model defined by the bare form of `dynamo_model!`.
            #[derive($crate::__private::core::fmt::Debug, $crate::__private::core::clone::Clone, $crate::__private::core::cmp::PartialEq)]
            $(#[$meta])*
            pub struct Record { index $($body)* }
        }
    };
    ($(#[$meta:meta])* $vis:vis struct $name:ident { $($body:tt)* }) => {
        $crate::__awstin_model! { @source [$(#[$meta])*] [$vis] [$name] $($body)* }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_model {
    // ---- source ------------------------------------------------------------------------------
    (@source $meta:tt $vis:tt [$name:ident] table $table:literal ;
        entity $entity:literal $(as $entity_attr:literal)? ; $($rest:tt)*) => {
        impl $crate::__private::TableModel for $name {}
        const _: &str = $crate::__private::table_name($table);
        const _: &str = $crate::__private::entity_type($entity);
        $crate::__awstin_model! { @keys $meta $vis [$name]
            [$crate::__private::Source::Table($table);
             $crate::__private::core::option::Option::Some(<$name as $crate::__private::Model>::KEY);
             [$entity $(as $entity_attr)?]]
            partition[] sort[] $($rest)* }
    };
    (@source $meta:tt $vis:tt [$name:ident] table $table:literal ; $($rest:tt)*) => {
        impl $crate::__private::TableModel for $name {}
        const _: &str = $crate::__private::table_name($table);
        $crate::__awstin_model! { @keys $meta $vis [$name]
            [$crate::__private::Source::Table($table);
             $crate::__private::core::option::Option::Some(<$name as $crate::__private::Model>::KEY);
             []]
            partition[] sort[] $($rest)* }
    };
    (@source $meta:tt $vis:tt $name:tt index $index:literal on $table:literal ; $($rest:tt)*) => {
        const _: (&str, &str) = ($crate::__private::table_name($index), $crate::__private::table_name($table));
        $crate::__awstin_model! { @keys $meta $vis $name
            [$crate::__private::Source::Index { index: $index, table: $table };
             $crate::__private::core::option::Option::None;
             []]
            partition[] sort[] $($rest)* }
    };
    (@source $meta:tt $vis:tt $name:tt index $index:literal on $table:ident ; $($rest:tt)*) => {
        const _: &str = $crate::__private::table_name($index);
        const _: () = $crate::__private::table_model::<$table>();
        $crate::__awstin_model! { @keys $meta $vis $name
            [$crate::__private::Source::Index {
                index: $index,
                table: <$table as $crate::__private::Model>::SOURCE.table(),
             };
             $crate::__private::core::option::Option::Some(<$table as $crate::__private::Model>::KEY);
             []]
            partition[] sort[] $($rest)* }
    };
    (@source $meta:tt $vis:tt $name:tt $($rest:tt)*) => {
        $crate::__awstin_model! { @keys $meta $vis $name [] partition[] sort[] $($rest)* }
    };

    // ---- keys: at most two, before the attributes ---------------------------------------------
    (@keys $meta:tt $vis:tt $name:tt [] partition[] sort[] $(#[$km:meta])* key $k:tt $($rest:tt)*) => {
        $crate::__awstin_error! {
            "a document model (no `table` or `index` line) has no keys; write `attr` instead of `key`"
            at $k
        }
    };
    (@keys $meta:tt $vis:tt $name:tt $src:tt partition[$($p:tt)+] sort[$($s:tt)+] $(#[$km:meta])* key $k:tt $($rest:tt)*) => {
        $crate::__awstin_error! {
            "a model has at most two keys: the partition key, then the sort key"
            at $k
        }
    };
    (@keys $meta:tt $vis:tt $name:tt $src:tt partition[] sort[]
        $(#[$km:meta])* key $k:ident : $kt:ty $(as $kr:literal)? $(; $($rest:tt)*)?) => {
        $crate::__awstin_model! { @keys $meta $vis $name $src
            partition[$(#[$km])* $k : $kt $(as $kr)?] sort[] $($($rest)*)? }
    };
    (@keys $meta:tt $vis:tt $name:tt $src:tt partition[$($p:tt)+] sort[]
        $(#[$km:meta])* key $k:ident : $kt:ty $(as $kr:literal)? $(; $($rest:tt)*)?) => {
        $crate::__awstin_model! { @keys $meta $vis $name $src
            partition[$($p)+] sort[$(#[$km])* $k : $kt $(as $kr)?] $($($rest)*)? }
    };
    (@keys $meta:tt $vis:tt $name:tt [$($src:tt)+] partition[] sort[] $($rest:tt)*) => {
        $crate::__awstin_error! {
            "a table or index model needs a `key` line for its partition key, before its attributes"
            at $name
        }
    };
    (@keys $meta:tt $vis:tt $name:tt $src:tt partition $p:tt sort $s:tt $($rest:tt)*) => {
        $crate::__awstin_model! { @emit $meta $vis $name $src partition $p sort $s $($rest)* }
    };

    // ---- emission ----------------------------------------------------------------------------
    (@emit [$(#[$meta:meta])*] [$vis:vis] [$name:ident] [$($src:expr ; $table_key:expr ; $entity:tt)?]
        partition[$( $(#[$pm:meta])* $pk:ident : $pkt:ty $(as $pkr:literal)? )?]
        sort[$( $(#[$sm:meta])* $sk:ident : $skt:ty $(as $skr:literal)? )?]
        $( $(#[$am:meta])* $kind:ident $a:ident : $at:ty $(as $ar:literal)? );* $(;)?
    ) => {
        $( $crate::__awstin_attr_keyword!($kind); )*

        $(#[$meta])*
        $vis struct $name {
            $( $(#[$pm])* $vis $pk: $pkt, )?
            $( $(#[$sm])* $vis $sk: $skt, )?
            $( $(#[$am])* $vis $a: $at, )*
        }

        const _: () = {
            /// The field table of the model: one typed field per attribute.
            #[doc(hidden)]
            #[allow(non_camel_case_types, dead_code, missing_docs, unreachable_pub)]
            pub struct Fields<M> {
                $( pub $pk: $crate::__private::Field<$name, $pkt, $crate::__private::PartitionKey>, )?
                $( pub $sk: $crate::__private::Field<$name, $skt, $crate::__private::SortKey>, )?
                $( pub $a: $crate::__private::Field<$name, $at, $crate::__awstin_role!($kind)>, )*
                __model: $crate::__private::core::marker::PhantomData<M>,
            }

            impl $crate::__private::Document for $name {
                type Fields = Fields<$name>;
                const FIELDS: &'static Fields<$name> = &Fields {
                    $( $pk: $crate::__private::Field::new($crate::__awstin_name!($pk $(as $pkr)?)), )?
                    $( $sk: $crate::__private::Field::new($crate::__awstin_name!($sk $(as $skr)?)), )?
                    $( $a: $crate::__private::Field::new($crate::__awstin_name!($a $(as $ar)?)), )*
                    __model: $crate::__private::core::marker::PhantomData,
                };
            }

            impl $name {
                /// Builds an expression of this model from a DSL closure (`cond!`, `update!`,
                /// `project!`), as `Document::expr` does, without importing a trait.
                #[allow(dead_code)]
                #[must_use]
                $vis fn expr<R>(
                    build: impl $crate::__private::core::ops::FnOnce(
                        &'static <$name as $crate::__private::Document>::Fields,
                    ) -> R,
                ) -> R {
                    build(<$name as $crate::__private::Document>::FIELDS)
                }
            }

            impl $crate::__private::DynamoType for $name {
                type Kind = $crate::__private::kind::M;
            }

            impl $crate::__private::Encode for $name {
                fn encode(
                    &self,
                    sink: &mut dyn $crate::__private::Sink,
                ) -> $crate::__private::core::result::Result<(), $crate::__private::Error> {
                    sink.begin_sized(
                        $crate::__private::Container::Map,
                        [$( $crate::__private::core::stringify!($pk), )? $( $crate::__private::core::stringify!($sk), )? $( $crate::__private::core::stringify!($a), )*].len(),
                    )?;
                    $( $crate::__awstin_model!(@encode self sink $pk $(as $pkr)?); )?
                    $( $crate::__awstin_model!(@encode self sink $sk $(as $skr)?); )?
                    $( $crate::__awstin_model!(@encode self sink $a $(as $ar)?); )*
                    sink.end()
                }
            }

            impl<__R: $crate::__private::ValueRead> $crate::__private::DecodeFrom<__R> for $name
            where
                $( $pkt: $crate::__private::DecodeFrom<__R>, )?
                $( $skt: $crate::__private::DecodeFrom<__R>, )?
                $( $at: $crate::__private::DecodeFrom<__R>, )*
            {
                fn decode(value: __R) -> $crate::__private::core::result::Result<Self, $crate::__private::DecodeError> {
                    $crate::__private::expect_map(value)?;
                    $( $crate::__awstin_model!(@check_entity value $name $entity); )?
                    $crate::__private::core::result::Result::Ok($name {
                        $( $pk: $crate::__private::member(value, $crate::__private::core::stringify!($name), $crate::__awstin_name!($pk $(as $pkr)?))?, )?
                        $( $sk: $crate::__private::member(value, $crate::__private::core::stringify!($name), $crate::__awstin_name!($sk $(as $skr)?))?, )?
                        $( $a: $crate::__private::member(value, $crate::__private::core::stringify!($name), $crate::__awstin_name!($a $(as $ar)?))?, )*
                    })
                }
            }

            $crate::__awstin_model! { @decode_owned $name [$($entity)?] {
                $( $pk: $pkt = $crate::__awstin_name!($pk $(as $pkr)?), )?
                $( $sk: $skt = $crate::__awstin_name!($sk $(as $skr)?), )?
                $( $a: $at = $crate::__awstin_name!($a $(as $ar)?), )*
            } }

            $crate::__awstin_model! { @model [$name] [$($src ; $table_key ; $entity)?]
                partition[$( $pk : $pkt $(as $pkr)? )?]
                sort[$( $sk : $skt $(as $skr)? )?]
                attrs[$( [$kind $a $(as $ar)?] )*]
            }
        };
    };

    (@encode $self:ident $sink:ident $f:ident $(as $r:literal)?) => {
        if !$crate::__private::Encode::is_absent(&$self.$f) {
            $sink.key($crate::__awstin_name!($f $(as $r)?))?;
            $crate::__private::Encode::encode(&$self.$f, $sink)?;
        }
    };

    // A document: no `Model` implementation.
    (@model [$name:ident] [] partition[] sort[] attrs[$($attr:tt)*]) => {
        $crate::__awstin_version!(@none
            "a `version` line belongs to a table model (with a `table` line), not a document"
            $($attr)*);
    };
    (@model [$name:ident] [$src:expr ; $table_key:expr ; [$($entity:tt)*]]
        partition[$pk:ident : $pkt:ty $(as $pkr:literal)?]
        sort[$( $sk:ident : $skt:ty $(as $skr:literal)? )?]
        attrs[$( [$kind:ident $a:ident $(as $ar:literal)?] )*]
    ) => {
        impl $crate::__private::Model for $name {
            type Partition = $pkt;
            type Sort = $crate::__awstin_model!(@sort_type $( $skt )?);
            const SOURCE: $crate::__private::Source = $src;
            const TABLE_KEY: $crate::__private::core::option::Option<$crate::__private::KeySchema> = $table_key;
            const KEY: $crate::__private::KeySchema = $crate::__private::KeySchema {
                partition: $crate::__private::KeyAttribute {
                    name: $crate::__awstin_name!($pk $(as $pkr)?),
                    attribute_type: $crate::__private::key_type::<$pkt>(),
                },
                sort: $crate::__awstin_model!(@sort $( $sk : $skt $(as $skr)? )?),
            };
            const ATTRIBUTES: &'static [$crate::__private::AttributeInfo] = &[
                $crate::__private::AttributeInfo {
                    field: $crate::__private::core::stringify!($pk),
                    name: $crate::__awstin_name!($pk $(as $pkr)?),
                    index_key: false,
                },
                $( $crate::__private::AttributeInfo {
                    field: $crate::__private::core::stringify!($sk),
                    name: $crate::__awstin_name!($sk $(as $skr)?),
                    index_key: false,
                }, )?
                $( $crate::__private::AttributeInfo {
                    field: $crate::__private::core::stringify!($a),
                    name: $crate::__awstin_name!($a $(as $ar)?),
                    index_key: $crate::__awstin_is_index_key!($kind),
                }, )*
            ];

            type Key = $crate::__awstin_model!(@key_type $pkt $(, $skt)?);

            fn key(&self) -> $crate::__private::KeyRef<'_, Self> {
                $crate::__private::KeyRef::new(
                    &self.$pk,
                    $crate::__awstin_model!(@sort_ref self $( $sk )?),
                )
            }

            $crate::__awstin_model!(@derive $($entity)*);
        }
        $crate::__awstin_model!(@entity_check $name $($entity)*);

        $crate::__private::__decode_owned_key! { $name {
            $pkt = $crate::__awstin_name!($pk $(as $pkr)?)
            $(, $skt = $crate::__awstin_name!($sk $(as $skr)?))?
        } }

        $crate::__awstin_version!(@one $( [$kind] )*);
        $( $crate::__awstin_version!(@impl $name $kind $a $(as $ar)?); )*
        $crate::__awstin_version!(@plain $name $( [$kind] )*);
    };
    (@derive) => {};
    (@derive $entity:literal $(as $attr:literal)?) => {
        const ENTITY: $crate::__private::core::option::Option<$crate::__private::Entity> =
            $crate::__private::core::option::Option::Some($crate::__private::Entity {
                attribute: $crate::__awstin_model!(@entity_attribute $($attr)?),
                name: $entity,
            });
        fn derive(
            _: $crate::__private::WriteOf<'_, Self>,
            out: &mut dyn $crate::__private::Derive,
        ) -> $crate::__private::core::result::Result<(), $crate::__private::Error> {
            out.attribute($crate::__awstin_model!(@entity_attribute $($attr)?), &$entity)
        }
    };
    // An item of another entity type does not read as the model.
    (@check_entity $value:ident $name:ident []) => {};
    (@check_entity $value:ident $name:ident [$entity:literal $(as $attr:literal)?]) => {
        $crate::__private::expect_entity(
            $value,
            $crate::__private::core::stringify!($name),
            $crate::__awstin_model!(@entity_attribute $($attr)?),
            $entity,
        )?
    };
    (@decode_owned $name:ident [$([])?] { $($fields:tt)* }) => {
        $crate::__private::__decode_owned_model! { $name [] { $($fields)* } }
    };
    (@decode_owned $name:ident [[$entity:literal $(as $attr:literal)?]] { $($fields:tt)* }) => {
        $crate::__private::__decode_owned_model! {
            $name [$entity => $crate::__awstin_model!(@entity_attribute $($attr)?)] { $($fields)* }
        }
    };
    (@entity_check $name:ident) => {};
    (@entity_check $name:ident $entity:literal $(as $attr:literal)?) => {
        const _: &str = $crate::__private::entity_attribute(
            $crate::__awstin_model!(@entity_attribute $($attr)?),
            <$name as $crate::__private::Model>::ATTRIBUTES,
        );
    };
    (@entity_attribute) => { "_type" };
    (@entity_attribute $attr:literal) => { $crate::__private::attribute_name($attr) };
    (@key_type $pkt:ty) => { $pkt };
    (@key_type $pkt:ty, $skt:ty) => { ($pkt, $skt) };
    (@sort_type) => { $crate::__private::NoSortKey };
    (@sort_type $skt:ty) => { $skt };
    (@sort_ref $self:ident) => { $crate::__private::core::option::Option::None };
    (@sort_ref $self:ident $sk:ident) => { $crate::__private::core::option::Option::Some(&$self.$sk) };
    (@sort) => { $crate::__private::core::option::Option::None };
    (@sort $sk:ident : $skt:ty $(as $skr:literal)?) => {
        $crate::__private::core::option::Option::Some($crate::__private::KeyAttribute {
            name: $crate::__awstin_name!($sk $(as $skr)?),
            attribute_type: $crate::__private::key_type::<$skt>(),
        })
    };
}

/// The DynamoDB name of a field: its rename, or its own name.
#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_name {
    ($f:ident) => {
        $crate::__private::attribute_name($crate::__private::core::stringify!($f))
    };
    ($f:ident as $r:literal) => {
        $crate::__private::attribute_name($r)
    };
}

/// Accepts the attribute keywords (`attr`, `index_key`, `version`); `key` after the attributes
/// is an error with its reason, and any other word is reported at itself. (The token
/// arrives as an `ident` fragment, whose span rustc reports as the whole invocation, so
/// these errors underline the invocation rather than the token.)
#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_attr_keyword {
    (attr) => {};
    (index_key) => {};
    (version) => {};
    (key) => {
        $crate::__private::core::compile_error! {
            "`key` lines come first, at most two of them (partition key, then sort key)"
        }
    };
    ($other:tt) => {
        $crate::__awstin_unexpected!($other)
    };
}

/// The key role of an attribute line: `attr` is no key, `index_key` a key of a secondary
/// index.
#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_role {
    (index_key) => {
        $crate::__private::IndexKey
    };
    ($other:tt) => {
        $crate::__private::NotKey
    };
}

/// Whether an attribute line is an `index_key`.
#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_is_index_key {
    (index_key) => {
        true
    };
    ($other:tt) => {
        false
    };
}

/// The version attribute of a model (a `version` line): at most one, the `Versioned`
/// implementation, or `Unversioned` for a model without one.
#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_version {
    (@one) => {};
    (@one [version] $($rest:tt)*) => {
        $crate::__awstin_version!(@none "a model has at most one `version` line" $($rest)*);
    };
    (@one [$other:ident] $($rest:tt)*) => {
        $crate::__awstin_version!(@one $($rest)*);
    };
    (@none $message:literal) => {};
    (@none $message:literal [version $($line:tt)*] $($rest:tt)*) => {
        $crate::__private::core::compile_error! { $message }
    };
    (@none $message:literal [$other:ident $($line:tt)*] $($rest:tt)*) => {
        $crate::__awstin_version!(@none $message $($rest)*);
    };
    (@impl $name:ident version $a:ident $(as $ar:literal)?) => {
        impl $crate::__private::Versioned for $name {
            const VERSION: &'static str = $crate::__awstin_name!($a $(as $ar)?);
            fn version(&self) -> u64 {
                $crate::__private::VersionField::get(&self.$a)
            }
            fn set_version(&mut self, version: u64) {
                $crate::__private::VersionField::set(&mut self.$a, version);
            }
        }
    };
    (@impl $name:ident $other:ident $a:ident $(as $ar:literal)?) => {};
    (@plain $name:ident) => {
        impl $crate::__private::Unversioned for $name {}
    };
    (@plain $name:ident [version] $($rest:tt)*) => {};
    (@plain $name:ident [$other:ident] $($rest:tt)*) => {
        $crate::__awstin_version!(@plain $name $($rest)*);
    };
}
