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
            partition[] sort[] idx[] $($rest)* }
    };
    (@source $meta:tt $vis:tt [$name:ident] table $table:literal ; $($rest:tt)*) => {
        impl $crate::__private::TableModel for $name {}
        const _: &str = $crate::__private::table_name($table);
        $crate::__awstin_model! { @keys $meta $vis [$name]
            [$crate::__private::Source::Table($table);
             $crate::__private::core::option::Option::Some(<$name as $crate::__private::Model>::KEY);
             []]
            partition[] sort[] idx[] $($rest)* }
    };
    (@source $meta:tt $vis:tt $name:tt index $index:literal on $table:literal ; $($rest:tt)*) => {
        const _: (&str, &str) = ($crate::__private::table_name($index), $crate::__private::table_name($table));
        $crate::__awstin_model! { @keys $meta $vis $name
            [$crate::__private::Source::Index { index: $index, table: $table };
             $crate::__private::core::option::Option::None;
             []]
            partition[] sort[] idx[] $($rest)* }
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
            partition[] sort[] idx[] $($rest)* }
    };
    (@source $meta:tt $vis:tt $name:tt $($rest:tt)*) => {
        $crate::__awstin_model! { @keys $meta $vis $name [] partition[] sort[] idx[] $($rest)* }
    };

    // ---- keys: at most two, before the attributes; composed index keys among them ----------
    (@keys $meta:tt $vis:tt $name:tt [] partition[] sort[] idx[] $(#[$km:meta])* key $k:tt $($rest:tt)*) => {
        $crate::__awstin_error! {
            "a document model (no `table` or `index` line) has no keys; write `attr` instead of `key`"
            at $k
        }
    };
    (@keys $meta:tt $vis:tt $name:tt $src:tt partition[$($p:tt)+] sort[$($s:tt)+] idx $i:tt $(#[$km:meta])* key $k:tt $($rest:tt)*) => {
        $crate::__awstin_error! {
            "a model has at most two keys: the partition key, then the sort key"
            at $k
        }
    };
    (@keys $meta:tt $vis:tt $name:tt $src:tt partition[] sort[] idx $i:tt
        $(#[$km:meta])* key $k:ident : $kt:ty $(as $kr:literal)? $(; $($rest:tt)*)?) => {
        $crate::__awstin_model! { @keys $meta $vis $name $src
            partition[plain [$(#[$km])*] $k : $kt $(as $kr)?] sort[] idx $i $($($rest)*)? }
    };
    (@keys $meta:tt $vis:tt $name:tt $src:tt partition[$($p:tt)+] sort[] idx $i:tt
        $(#[$km:meta])* key $k:ident : $kt:ty $(as $kr:literal)? $(; $($rest:tt)*)?) => {
        $crate::__awstin_model! { @keys $meta $vis $name $src
            partition[$($p)+] sort[plain [$(#[$km])*] $k : $kt $(as $kr)?] idx $i $($($rest)*)? }
    };
    (@keys $meta:tt $vis:tt $name:tt $src:tt partition $p:tt sort $s:tt idx $i:tt
        $(#[$km:meta])* key $k:ident = $($rest:tt)*) => {
        $crate::__awstin_model! { @pieces [key $meta $vis $name $src partition $p sort $s idx $i]
            [[$(#[$km])*] $k] pieces[] fields[] at[] next[0 1 2 3 4 5] $($rest)* }
    };
    (@keys $meta:tt $vis:tt $name:tt $src:tt partition $p:tt sort $s:tt idx $i:tt
        $(#[$km:meta])* key ( $($f:tt),+ $(,)? ) $(; $($rest:tt)*)?) => {
        $crate::__awstin_model! { @multi [$meta $vis $name $src partition $p sort $s idx $i]
            [$($f)+] next[0 1 2 3] done[] $($($rest)*)? }
    };
    (@keys $meta:tt $vis:tt $name:tt [$($src:tt)+] partition $p:tt sort $s:tt idx $i:tt
        $(#[$xm:meta])* index_key $x:ident = $($rest:tt)*) => {
        $crate::__awstin_model! { @pieces [index $meta $vis $name [$($src)+] partition $p sort $s idx $i]
            [[$(#[$xm])*] $x] pieces[] fields[] at[] next[0 1 2 3 4 5] $($rest)* }
    };
    (@keys $meta:tt $vis:tt $name:tt [$($src:tt)+] partition[] sort[] idx $i:tt $($rest:tt)*) => {
        $crate::__awstin_error! {
            "a table or index model needs a `key` line for its partition key, before its attributes"
            at $name
        }
    };
    (@keys $meta:tt $vis:tt $name:tt $src:tt partition $p:tt sort $s:tt idx $i:tt $($rest:tt)*) => {
        $crate::__awstin_model! { @split [$meta $vis $name $src partition $p sort $s idx $i $($rest)*]
            skeys[] ckeys[] mkeys[] [$p PartitionKey __Partition MAX_PARTITION_KEY_BYTES] [$s SortKey __Sort MAX_SORT_KEY_BYTES] }
    };

    // ---- a composed key's template: literals and fields, up to `;` ----------------------------
    (@pieces $cont:tt $key:tt pieces[$($p:tt)*] fields $f:tt at $at:tt next $next:tt $lit:literal $($rest:tt)*) => {
        $crate::__awstin_model! { @pieces $cont $key
            pieces[$($p)* ($crate::__private::Piece::Text($lit))] fields $f at $at next $next $($rest)* }
    };
    (@pieces $cont:tt [$km:tt $k:ident] pieces[] fields[] at[] next $next:tt $(; $($rest:tt)*)?) => {
        $crate::__awstin_error! {
            "a composed key is literals and fields: `key pk = \"USER#\" user_id;`"
            at $k
        }
    };
    (@pieces [$($cont:tt)*] $key:tt pieces[$($p:tt)*] fields[$($f:tt)*] at[$($n:tt)*] next $next:tt $(; $($rest:tt)*)?) => {
        $crate::__awstin_model! { @composed $($cont)* [$key [$($p)*] [$($f)*] [$($n)*]] $($($rest)*)? }
    };
    (@pieces $cont:tt $key:tt pieces $p:tt fields $f:tt at $at:tt next[] $field:tt $($rest:tt)*) => {
        $crate::__awstin_error! { "a composed key holds at most 6 fields" at $field }
    };
    (@pieces $cont:tt $key:tt pieces[$($p:tt)*] fields[$($f:tt)*] at[$($at:tt)*] next[$n:tt $($next:tt)*] $field:tt $($rest:tt)*) => {
        $crate::__awstin_model! { @pieces $cont $key
            pieces[$($p)* ($crate::__private::Piece::Field)] fields[$($f)* $field] at[$($at)* $n] next[$($next)*] $($rest)* }
    };
    // ---- a multi-attribute key: up to four attributes, in order -----------------------------
    (@multi $cont:tt [$f:tt $($more:tt)*] next[] done $d:tt $($rest:tt)*) => {
        $crate::__awstin_error! { "a multi-attribute key has at most 4 attributes" at $f }
    };
    (@multi $cont:tt [$f:tt $($more:tt)*] next[$n:tt $($next:tt)*] done[$($d:tt)*] $($rest:tt)*) => {
        $crate::__awstin_model! { @multi $cont [$($more)*] next[$($next)*] done[$($d)* [$f $n]] $($rest)* }
    };
    (@multi [$meta:tt $vis:tt $name:tt $src:tt partition[] sort $s:tt idx $i:tt] [] next $n:tt done $d:tt $($rest:tt)*) => {
        $crate::__awstin_model! { @keys $meta $vis $name $src
            partition[multi __Partition $d] sort $s idx $i $($rest)* }
    };
    (@multi [$meta:tt $vis:tt $name:tt $src:tt partition $p:tt sort[] idx $i:tt] [] next $n:tt done $d:tt $($rest:tt)*) => {
        $crate::__awstin_model! { @keys $meta $vis $name $src
            partition $p sort[multi __Sort $d] idx $i $($rest)* }
    };
    (@composed key $meta:tt $vis:tt $name:tt $src:tt partition[] sort $s:tt idx $i:tt
        [$key:tt $pieces:tt $fields:tt $at:tt] $($rest:tt)*) => {
        $crate::__awstin_model! { @keys $meta $vis $name $src
            partition[composed $key __Partition $pieces $fields $at] sort $s idx $i $($rest)* }
    };
    (@composed key $meta:tt $vis:tt $name:tt $src:tt partition $p:tt sort[] idx $i:tt
        [$key:tt $pieces:tt $fields:tt $at:tt] $($rest:tt)*) => {
        $crate::__awstin_model! { @keys $meta $vis $name $src
            partition $p sort[composed $key __Sort $pieces $fields $at] idx $i $($rest)* }
    };
    (@composed index $meta:tt $vis:tt $name:tt $src:tt partition $p:tt sort $s:tt idx[$($i:tt)*]
        $x:tt $($rest:tt)*) => {
        $crate::__awstin_model! { @keys $meta $vis $name $src
            partition $p sort $s idx[$($i)* $x] $($rest)* }
    };

    // ---- the keys that are fields, the composed ones and the multi-attribute ones -----------
    (@split $all:tt skeys[$($sk:tt)*] ckeys $cks:tt mkeys $mks:tt
        [[plain $($key:tt)*] $role:ident $mark:ident $max:ident] $($more:tt)*) => {
        $crate::__awstin_model! { @split $all skeys[$($sk)* [$($key)* ; $role]] ckeys $cks mkeys $mks $($more)* }
    };
    (@split $all:tt skeys $sks:tt ckeys[$($ck:tt)*] mkeys $mks:tt
        [[composed [$km:tt $k:ident] $m:ident $pieces:tt $fields:tt $at:tt] $role:ident $mark:ident $max:ident] $($more:tt)*) => {
        $crate::__awstin_model! { @split $all skeys $sks
            ckeys[$($ck)* [$km $k ; $role ; $mark ; $max ; $pieces $fields $at]] mkeys $mks $($more)* }
    };
    (@split $all:tt skeys $sks:tt ckeys $cks:tt mkeys[$($mk:tt)*]
        [[multi $m:ident $done:tt] $role:ident $mark:ident $max:ident] $($more:tt)*) => {
        $crate::__awstin_model! { @split $all skeys $sks ckeys $cks mkeys[$($mk)* [$mark ; $done]] $($more)* }
    };
    (@split $all:tt skeys $sks:tt ckeys $cks:tt mkeys $mks:tt [[] $role:ident $mark:ident $max:ident] $($more:tt)*) => {
        $crate::__awstin_model! { @split $all skeys $sks ckeys $cks mkeys $mks $($more)* }
    };
    (@split [$($all:tt)*] skeys $sks:tt ckeys $cks:tt mkeys $mks:tt) => {
        $crate::__awstin_model! { @emit ($) skeys $sks ckeys $cks mkeys $mks $($all)* }
    };

    // ---- emission ----------------------------------------------------------------------------
    (@emit ($d:tt)
        skeys[$( [[$(#[$km:meta])*] $k:ident : $kt:ty $(as $kr:literal)? ; $krole:ident] )*]
        ckeys[$( [[$(#[$cm:meta])*] $c:ident ; $crole:ident ; $cmark:ident ; $cmax:ident ; [$($cp:tt)*] [$($cf:tt)*] [$($cpos:tt)*]] )*]
        mkeys[$( [$mmark:ident ; [$( [$mf:tt $mpos:tt] )*]] )*]
        [$(#[$meta:meta])*] [$vis:vis] [$name:ident] [$($src:expr ; $table_key:expr ; $entity:tt)?]
        partition $p:tt sort $s:tt idx[$( [[[$(#[$xm:meta])*] $x:ident] [$($xp:tt)*] [$($xf:tt)*] [$($xpos:tt)*]] )*]
        $( $(#[$am:meta])* $kind:ident $a:ident : $at:ty $(as $ar:literal)? );* $(;)?
    ) => {
        $( $crate::__awstin_attr_keyword!($kind); )*

        $(#[$meta])*
        $vis struct $name {
            $( $(#[$km])* $vis $k: $kt, )*
            $( $(#[$am])* $vis $a: $at, )*
        }

        const _: () = {
            // The type and the role of each field, by name, for the composed keys' templates.
            #[allow(unused_macros)]
            macro_rules! __awstin_type_of {
                $( ($k) => { $kt }; )*
                $( ($a) => { $at }; )*
                ($d other:tt) => { () };
            }
            // A template's field is one of the model's.
            macro_rules! __awstin_field_of {
                $( ($k) => {}; )*
                $( ($a) => {}; )*
                ($d other:tt) => {
                    $crate::__awstin_error! {
                        "a composed key's template names a field the model does not declare (an `attr` line)"
                        at $d other
                    }
                };
            }
            $( $( __awstin_field_of!($cf); )* )*
            $( $( __awstin_field_of!($mf); )* )*
            #[allow(unused_macros)]
            macro_rules! __awstin_name_of {
                $( ($k) => { $crate::__awstin_name!($k $(as $kr)?) }; )*
                $( ($a) => { $crate::__awstin_name!($a $(as $ar)?) }; )*
                ($d other:tt) => { "" };
            }
            $(
                #[doc(hidden)]
                #[allow(non_camel_case_types, missing_docs, unreachable_pub)]
                pub struct $mmark;
                impl $crate::__private::MultiKeyPart for $mmark {
                    const WHICH: u8 = $crate::__awstin_model!(@which $mmark);
                    const COUNT: usize = [$( ::core::stringify!($mf) ),*].len();
                    type Side = <$crate::__private::key_shape::Side<{ $crate::__awstin_model!(@which $mmark) }> as $crate::__private::key_shape::SideType>::T;
                    type Count = <$crate::__private::key_shape::N<{ <[&str]>::len(&[$( ::core::stringify!($mf) ),*]) }> as $crate::__private::key_shape::Peano>::T;
                }
            )*
            $( $( __awstin_field_of!($xf); )* )*
            #[allow(unused_macros)]
            macro_rules! __awstin_role_of {
                $( $( ($cf) => { $crate::__private::KeyField<$cmark, $cpos> }; )* )*
                $( $( ($mf) => { $crate::__private::MultiKeyField<$mmark, $mpos> }; )* )*
                $( $( ($xf) => { $crate::__private::IndexKeyField<$x, $xpos> }; )* )*
                $( ($a) => { $crate::__awstin_role!($kind) }; )*
                (@none) => { () };
            }

            /// The field table of the model: one typed field per attribute.
            #[doc(hidden)]
            #[allow(non_camel_case_types, dead_code, missing_docs, unreachable_pub)]
            pub struct Fields<M> {
                $( pub $k: $crate::__private::Field<$name, $kt, $crate::__private::$krole>, )*
                $( pub $c: $crate::__private::Field<$name, $crate::__private::key_text::Composed<$cmark>, $crate::__private::$crole>, )*
                $( pub $a: $crate::__private::Field<$name, $at, __awstin_role_of!($a)>, )*
                __model: $crate::__private::core::marker::PhantomData<M>,
            }

            impl $crate::__private::Document for $name {
                type Fields = Fields<$name>;
                const FIELDS: &'static Fields<$name> = &Fields {
                    $( $k: $crate::__private::Field::new($crate::__awstin_name!($k $(as $kr)?)), )*
                    $( $c: $crate::__private::Field::new($crate::__awstin_name!($c)), )*
                    $( $a: $crate::__private::Field::new($crate::__awstin_name!($a $(as $ar)?)), )*
                    __model: $crate::__private::core::marker::PhantomData,
                };
            }

            $(
                /// The template of a composed key of the model.
                #[doc(hidden)]
                #[allow(non_camel_case_types, missing_docs, unreachable_pub)]
                pub struct $cmark;
                impl $crate::__private::KeyTemplate for $cmark {
                    const SPEC: &'static $crate::__private::KeySpec = &$crate::__private::KeySpec::new(
                        $crate::__awstin_name!($c),
                        $crate::__private::$cmax,
                        &$crate::__private::Template::new(&[$($cp),*]),
                    );
                    const WHICH: u8 = $crate::__awstin_model!(@which $cmark);
                    type Fields = ($(__awstin_type_of!($cf),)*);
                    type Side = <$crate::__private::key_shape::Side<{ $crate::__awstin_model!(@which $cmark) }> as $crate::__private::key_shape::SideType>::T;
                    type Count = <$crate::__private::key_shape::N<{ <[&str]>::len(&[$( ::core::stringify!($cf) ),*]) }> as $crate::__private::key_shape::Peano>::T;
                    type Ends = <$crate::__private::key_shape::Flag<{ $crate::__private::Template::new(&[$($cp),*]).ends_with_field() }> as $crate::__private::key_shape::FlagType>::T;
                }
                const _: &$crate::__private::KeySpec =
                    <$cmark as $crate::__private::KeyTemplate>::SPEC;
            )*
            // The composed index keys, and the fields of the table's key.
            #[allow(dead_code)]
            const __AWSTIN_INDEX_KEYS: &[&str] = &[$( ::core::stringify!($x) ),*];
            #[allow(dead_code)]
            const __AWSTIN_COMPOSED_KEYS: &[(u8, &[&str])] = &[$(
                ($crate::__awstin_model!(@which $cmark), &[$( ::core::stringify!($cf) ),*] as &[&str])
            ),*];
            #[allow(dead_code)]
            const __AWSTIN_PLAIN_KEYS: &[&str] = &[$( ::core::stringify!($k) ),*];
            #[allow(dead_code)]
            const __AWSTIN_TABLE_KEY_FIELDS: &[&str] =
                &[$( ::core::stringify!($k), )* $( $( ::core::stringify!($cf), )* )*];
            $(
                /// A composed key of a secondary index of the model.
                #[doc(hidden)]
                #[allow(non_camel_case_types, missing_docs, unreachable_pub)]
                pub struct $x;
                impl $crate::__private::IndexKeyTemplate for $x {
                    const SPEC: &'static $crate::__private::KeySpec = &$crate::__private::KeySpec::new(
                        $crate::__awstin_name!($x),
                        $crate::__private::MAX_PARTITION_KEY_BYTES,
                        &$crate::__private::Template::new(&[$($xp),*]),
                    );
                    const ORDINAL: usize =
                        $crate::__private::position(::core::stringify!($x), __AWSTIN_INDEX_KEYS);
                    const FIELDS: usize = [$( ::core::stringify!($xf) ),*].len();
                    const SETTABLE: bool = $crate::__private::none_among(
                        &[$( ::core::stringify!($xf) ),*],
                        __AWSTIN_TABLE_KEY_FIELDS,
                    );
                    const GIVE: &'static str = ::core::concat!(
                        "an update sets the fields of a composed index key together: `",
                        ::core::stringify!($x),
                        "` is made of",
                        $( " `", ::core::stringify!($xf), "`", )*
                        " (the fields of the table's key among them are read from the update's key)"
                    );
                    const SOURCES: &'static [$crate::__private::FieldSource] = &[$(
                        $crate::__private::source_of(
                            ::core::stringify!($xf),
                            __AWSTIN_COMPOSED_KEYS,
                            __AWSTIN_PLAIN_KEYS,
                        )
                    ),*];
                }
                const _: &$crate::__private::KeySpec = <$x as $crate::__private::IndexKeyTemplate>::SPEC;
                const _: usize = <$x as $crate::__private::IndexKeyTemplate>::ORDINAL;
            )*
            const _: () = $crate::__private::index_key_fields(
                &[$( &[$( ::core::stringify!($xf) ),*] ),*],
                __AWSTIN_TABLE_KEY_FIELDS,
            );

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

                $(
                    /// The value of this composed key attribute, made from its fields by the
                    /// model's template (each field's text escaped, so that no value reaches
                    /// another key).
                    $(#[$cm])*
                    #[allow(dead_code)]
                    #[must_use]
                    $vis fn $c(
                        $($cf: &<__awstin_type_of!($cf) as $crate::__private::key_text::KeyParam>::Param),*
                    ) -> $crate::__private::key_text::Composed<$cmark> {
                        $crate::__private::key_text::Composed::new(&[$(&$cf as &dyn $crate::__private::ToKeyText),*])
                    }
                )*
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
                        [$( $crate::__private::core::stringify!($k), )* $( $crate::__private::core::stringify!($a), )*].len(),
                    )?;
                    $( $crate::__awstin_model!(@encode self sink $k $(as $kr)?); )*
                    $( $crate::__awstin_model!(@encode self sink $a $(as $ar)?); )*
                    sink.end()
                }
            }

            impl<__R: $crate::__private::ValueRead> $crate::__private::DecodeFrom<__R> for $name
            where
                $( $kt: $crate::__private::DecodeFrom<__R>, )*
                $( $at: $crate::__private::DecodeFrom<__R>, )*
            {
                fn decode(value: __R) -> $crate::__private::core::result::Result<Self, $crate::__private::DecodeError> {
                    $crate::__private::expect_map(value)?;
                    $( $crate::__awstin_model!(@check_entity value $name $entity); )?
                    $crate::__private::core::result::Result::Ok($name {
                        $( $k: $crate::__private::member(value, $crate::__private::core::stringify!($name), $crate::__awstin_name!($k $(as $kr)?))?, )*
                        $( $a: $crate::__private::member(value, $crate::__private::core::stringify!($name), $crate::__awstin_name!($a $(as $ar)?))?, )*
                    })
                }
            }

            $crate::__awstin_model! { @decode_owned $name [$($entity)?] {
                $( $k: $kt = $crate::__awstin_name!($k $(as $kr)?), )*
                $( $a: $at = $crate::__awstin_name!($a $(as $ar)?), )*
            } }

            $crate::__awstin_model! { @model [$name] [$($src ; $table_key ; $entity)?]
                partition $p sort $s
                idx[$( [$x [$($xp)*] [$($xf)*]] )*]
                attrs[$( [$kind $a $(as $ar)?] )*]
            }
        };
    };

    (@encode $self:ident $sink:ident $f:ident $(as $r:literal)?) => {
        if !$crate::__private::Encode::is_absent(&$self.$f) {
            $crate::__private::encode_member($sink, $crate::__awstin_name!($f $(as $r)?), &$self.$f)?;
        }
    };

    // A document: no `Model` implementation.
    (@model [$name:ident] [] partition[] sort[] idx[] attrs[$($attr:tt)*]) => {
        $crate::__awstin_version!(@none
            "a `version` line belongs to a table model (with a `table` line), not a document"
            $($attr)*);
    };
    (@model $name:tt $src:tt partition $p:tt sort[] $($rest:tt)*) => {
        $crate::__awstin_model! { @model_impl $name $src partition $p sorts[] $($rest)* }
    };
    (@model $name:tt $src:tt partition $p:tt sort[$($s:tt)+] $($rest:tt)*) => {
        $crate::__awstin_model! { @model_impl $name $src partition $p sorts[[$($s)+]] $($rest)* }
    };
    (@model_impl [$name:ident] [$src:expr ; $table_key:expr ; [$($entity:tt)*]]
        partition[$($p:tt)+] sorts[$([$($s:tt)+])?]
        idx[$( [$x:ident [$($xp:tt)*] [$($xf:tt)*]] )*]
        attrs[$( [$kind:ident $a:ident $(as $ar:literal)?] )*]
    ) => {
        impl $crate::__private::Model for $name {
            type Partition = $crate::__awstin_model!(@key_type $($p)+);
            type Sort = $crate::__awstin_model!(@sort_type $($($s)+)?);
            const SOURCE: $crate::__private::Source = $src;
            const TABLE_KEY: $crate::__private::core::option::Option<$crate::__private::KeySchema> = $table_key;
            const KEY: $crate::__private::KeySchema = $crate::__private::KeySchema {
                partition: $crate::__awstin_model!(@key_attribute $($p)+),
                sort: $crate::__awstin_model!(@sort $($($s)+)?),
            };
            const ATTRIBUTES: &'static [$crate::__private::AttributeInfo] = &[
                $crate::__awstin_model!(@attribute_info $($p)+),
                $( $crate::__awstin_model!(@attribute_info $($s)+), )?
                $( $crate::__private::AttributeInfo {
                    field: $crate::__private::core::stringify!($x),
                    name: $crate::__awstin_name!($x),
                    index_key: true,
                }, )*
                $( $crate::__private::AttributeInfo {
                    field: $crate::__private::core::stringify!($a),
                    name: $crate::__awstin_name!($a $(as $ar)?),
                    index_key: $crate::__awstin_is_index_key!($kind),
                }, )*
            ];

            const KEY_SPECS: [$crate::__private::core::option::Option<&'static $crate::__private::KeySpec>; 2] = [
                $crate::__awstin_model!(@key_spec $($p)+),
                $crate::__awstin_model!(@key_spec $($($s)+)?),
            ];
            const MULTI_KEY: $crate::__private::core::option::Option<$crate::__private::MultiKey> =
                $crate::__awstin_model!(@multi_key [$($p)+] [$($($s)+)?]);

            type Key = $crate::__awstin_model!(@key_type_pair [$($p)+] [$($($s)+)?]);

            fn key(&self) -> $crate::__private::KeyRef<'_, Self> {
                $crate::__private::KeyRef::new(
                    $crate::__awstin_model!(@key_value self 0 $($p)+),
                    $crate::__awstin_model!(@sort_value self $($($s)+)?),
                )
            }

            $crate::__awstin_model!(@entity $($entity)*);

            fn derive(
                write: $crate::__private::WriteOf<'_, Self>,
                out: &mut dyn $crate::__private::Derive,
            ) -> $crate::__private::core::result::Result<(), $crate::__private::Error> {
                $crate::__awstin_model!(@derive_entity out $($entity)*);
                if let $crate::__private::WriteOf::Put(item) = write {
                    let _ = &item;
                    $crate::__awstin_model!(@derive_key out item partition_value $($p)+);
                    $crate::__awstin_model!(@derive_key out item sort_value $($($s)+)?);
                    $( $crate::__awstin_model!(@derive_index out item $x [$($xp)*] [$($xf)*]); )*
                }
                let _ = (&write, &out);
                $crate::__private::core::result::Result::Ok(())
            }
        }
        impl $crate::__private::ComposeKey for $name {
            fn key_fields(
                &self,
                which: u8,
                write: &mut $crate::__private::key_text::FieldsWriter<'_>,
            ) -> $crate::__private::core::result::Result<(), $crate::__private::Error> {
                if which == 0 {
                    $crate::__awstin_model!(@compose self write $($p)+)
                } else {
                    $crate::__awstin_model!(@compose self write $($($s)+)?)
                }
            }
        }
        $crate::__awstin_model!(@entity_check $name $($entity)*);
        const _: () = $crate::__private::distinct_attributes(<$name as $crate::__private::Model>::ATTRIBUTES);

        $crate::__private::__decode_owned_key! { $name {
            $crate::__awstin_model!(@key_type $($p)+) = $crate::__awstin_model!(@key_name $($p)+)
            $(, $crate::__awstin_model!(@key_type $($s)+) = $crate::__awstin_model!(@key_name $($s)+))?
        } }

        $crate::__awstin_version!(@one $( [$kind] )*);
        $( $crate::__awstin_version!(@impl $name $kind $a $(as $ar)?); )*
        $crate::__awstin_version!(@plain $name $( [$kind] )*);
    };
    (@entity) => {};
    (@entity $entity:literal $(as $attr:literal)?) => {
        const ENTITY: $crate::__private::core::option::Option<$crate::__private::Entity> =
            $crate::__private::core::option::Option::Some($crate::__private::Entity {
                attribute: $crate::__awstin_model!(@entity_attribute $($attr)?),
                name: $entity,
            });
    };
    (@derive_entity $out:ident) => {};
    (@derive_entity $out:ident $entity:literal $(as $attr:literal)?) => {
        $out.attribute($crate::__awstin_model!(@entity_attribute $($attr)?), &$entity)?;
    };
    // A composed key of the table is written with every put; a key that is a field already is.
    (@derive_key $out:ident $item:ident $which:ident) => {};
    (@derive_key $out:ident $item:ident $which:ident plain $($key:tt)*) => {};
    (@derive_key $out:ident $item:ident partition_value composed [$km:tt $k:ident] $($rest:tt)*) => {
        $out.attribute(
            $crate::__awstin_name!($k),
            &$crate::__private::Model::key($item).partition_value(),
        )?;
    };
    (@derive_key $out:ident $item:ident sort_value composed [$km:tt $k:ident] $($rest:tt)*) => {
        if let $crate::__private::core::option::Option::Some(value) =
            $crate::__private::Model::key($item).sort_value()
        {
            $out.attribute($crate::__awstin_name!($k), &value)?;
        }
    };
    // A composed key of an index: written by a put when every field has a value, else left
    // out (a sparse index).
    (@derive_index $out:ident $item:ident $x:ident [$($xp:tt)*] [$($xf:tt)*]) => {{
        const SPEC: &$crate::__private::KeySpec = <$x as $crate::__private::IndexKeyTemplate>::SPEC;
        if let ($($crate::__private::core::option::Option::Some($xf),)*) =
            ($($crate::__private::KeyTextField::key_text(&$item.$xf),)*)
        {
            $out.attribute(
                $crate::__awstin_name!($x),
                &$crate::__private::ComposedRef::new(SPEC, &[$($xf),*]),
            )?;
        }
    }};
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
    (@multi_key [multi $($p:tt)*] $s:tt) => {
        $crate::__awstin_model!(@multi_key_some [multi $($p)*] $s)
    };
    (@multi_key $p:tt [multi $($s:tt)*]) => {
        $crate::__awstin_model!(@multi_key_some $p [multi $($s)*])
    };
    (@multi_key $p:tt $s:tt) => { $crate::__private::core::option::Option::None };
    (@multi_key_some $p:tt $s:tt) => {
        $crate::__private::core::option::Option::Some($crate::__private::multi_key::<Self>(
            $crate::__private::MultiKey {
                partition: $crate::__awstin_model!(@key_list $p),
                sort: $crate::__awstin_model!(@key_list $s),
            },
        ))
    };
    (@key_list [multi $mark:ident [$([$f:tt $n:tt])*]]) => {
        &[$( $crate::__private::KeyAttribute {
            name: __awstin_name_of!($f),
            attribute_type: $crate::__private::key_type::<__awstin_type_of!($f)>(),
        } ),*]
    };
    (@key_list []) => { &[] };
    (@key_list [$($key:tt)+]) => { &[$crate::__awstin_model!(@key_attribute $($key)+)] };
    (@key_type multi $mark:ident [[$f:tt $n:tt] $($more:tt)*]) => { __awstin_type_of!($f) };
    (@key_name multi $mark:ident [[$f:tt $n:tt] $($more:tt)*]) => { __awstin_name_of!($f) };
    (@attribute_info multi $mark:ident [[$f:tt $n:tt] $($more:tt)*]) => {
        $crate::__private::AttributeInfo {
            field: $crate::__private::core::stringify!($f),
            name: __awstin_name_of!($f),
            index_key: false,
        }
    };
    (@key_value $self:ident $which:literal multi $mark:ident [[$f:tt $n:tt] $($more:tt)*]) => {
        $crate::__private::KeyValue::Value(&$self.$f)
    };
    (@derive_key $out:ident $item:ident $which:ident multi $($rest:tt)*) => {};
    (@key_spec composed [$km:tt $k:ident] $mark:ident $($rest:tt)*) => {
        $crate::__private::core::option::Option::Some(<$mark as $crate::__private::KeyTemplate>::SPEC)
    };
    (@key_spec $($other:tt)*) => { $crate::__private::core::option::Option::None };
    (@which __Partition) => { 0 };
    (@which __Sort) => { 1 };
    (@entity_attribute) => { "_type" };
    (@entity_attribute $attr:literal) => { $crate::__private::attribute_name($attr) };
    (@key_type plain [$($km:tt)*] $k:ident : $kt:ty $(as $kr:literal)?) => { $kt };
    (@key_type composed [$km:tt $k:ident] $mark:ident $pieces:tt $fields:tt $at:tt) => {
        $crate::__private::key_text::Composed<$mark>
    };
    (@key_name plain [$($km:tt)*] $k:ident : $kt:ty $(as $kr:literal)?) => { $crate::__awstin_name!($k $(as $kr)?) };
    (@key_name composed [$km:tt $k:ident] $mark:ident $pieces:tt $fields:tt $at:tt) => { $crate::__awstin_name!($k) };
    (@key_attribute $($key:tt)+) => {
        $crate::__private::KeyAttribute {
            name: $crate::__awstin_model!(@key_name $($key)+),
            attribute_type: $crate::__private::key_type::<$crate::__awstin_model!(@key_type $($key)+)>(),
        }
    };
    (@attribute_info plain [$($km:tt)*] $k:ident : $kt:ty $(as $kr:literal)?) => {
        $crate::__private::AttributeInfo {
            field: $crate::__private::core::stringify!($k),
            name: $crate::__awstin_name!($k $(as $kr)?),
            index_key: false,
        }
    };
    (@attribute_info composed [$km:tt $k:ident] $mark:ident $pieces:tt $fields:tt $at:tt) => {
        $crate::__private::AttributeInfo {
            field: $crate::__private::core::stringify!($k),
            name: $crate::__awstin_name!($k),
            index_key: false,
        }
    };
    (@key_value $self:ident $which:literal plain [$($km:tt)*] $k:ident : $kt:ty $(as $kr:literal)?) => {
        $crate::__private::KeyValue::Value(&$self.$k)
    };
    (@key_value $self:ident $which:literal composed [$km:tt $k:ident] $mark:ident $pieces:tt $fields:tt $at:tt) => {
        $crate::__private::KeyValue::Composed($crate::__private::ComposedRef::of(
            <$mark as $crate::__private::KeyTemplate>::SPEC,
            $self,
            $which,
        ))
    };
    (@compose $self:ident $write:ident composed [$km:tt $k:ident] $mark:ident $pieces:tt [$($f:tt)*] $at:tt) => {
        $write(&[$(&$self.$f as &dyn $crate::__private::ToKeyText),*])
    };
    (@compose $self:ident $write:ident $($other:tt)*) => {
        $crate::__private::core::result::Result::Err($crate::__private::Error::KeyText {
            reason: "the model has no composed key there",
        })
    };
    (@key_type_pair [$($p:tt)+] []) => { $crate::__awstin_model!(@key_type $($p)+) };
    (@key_type_pair [$($p:tt)+] [$($s:tt)+]) => {
        ($crate::__awstin_model!(@key_type $($p)+), $crate::__awstin_model!(@key_type $($s)+))
    };
    (@sort_type) => { $crate::__private::NoSortKey };
    (@sort_type $($s:tt)+) => { $crate::__awstin_model!(@key_type $($s)+) };
    (@sort_value $self:ident) => { $crate::__private::core::option::Option::None };
    (@sort_value $self:ident $($s:tt)+) => {
        $crate::__private::core::option::Option::Some($crate::__awstin_model!(@key_value $self 1 $($s)+))
    };
    (@sort) => { $crate::__private::core::option::Option::None };
    (@sort $($s:tt)+) => {
        $crate::__private::core::option::Option::Some($crate::__awstin_model!(@key_attribute $($s)+))
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
