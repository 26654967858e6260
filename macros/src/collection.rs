//! `dynamo_collection!`: models sharing a partition, read into one enum.

/// Declares a collection: an enum with one variant per model of a table that share a
/// partition key (each with an `entity` line), and `Other` for an item of any other type,
/// kept as stored (never skipped).
///
/// A query of the first member's key condition, `.collection::<E>()`, reads the partition's
/// items of every type, each decoded as the model its entity type names; pages and signed
/// cursors work as for a model. The members are checked when the program compiles: models of
/// one table, each with an entity type in the same attribute, sharing the partition key
/// attribute.
///
/// # Example
///
/// ```
/// use awstin::{dynamo_collection, dynamo_model};
/// use awstin::ValueBuf;
/// use awstin::expr::DecodeFrom;
///
/// dynamo_model! {
///     #[derive(Debug, PartialEq)]
///     pub struct Customer { table "App"; entity "Customer"; key pk = "C#" id; key sk = "PROFILE"; attr id: String }
/// }
/// dynamo_model! {
///     #[derive(Debug, PartialEq)]
///     pub struct Order { table "App"; entity "Order"; key pk = "C#" customer; key sk = "O#" n; attr customer: String; attr n: u32 }
/// }
/// dynamo_collection! {
///     /// A customer's partition.
///     #[derive(Debug, PartialEq)]
///     pub enum CustomerItems { Customer(Customer), Order(Order) }
/// }
///
/// let stored = ValueBuf::M([
///     ("_type".to_string(), ValueBuf::S("Order".into())),
///     ("customer".to_string(), ValueBuf::S("c1".into())),
///     ("n".to_string(), ValueBuf::N(7.into())),
/// ].into());
/// let item = CustomerItems::decode(stored.read())?;
/// assert_eq!(item, CustomerItems::Order(Order { customer: "c1".into(), n: 7 }));
/// let other = ValueBuf::M([("_type".to_string(), ValueBuf::S("Invoice".into()))].into());
/// assert!(matches!(CustomerItems::decode(other.read())?, CustomerItems::Other(_)));
/// # Ok::<(), awstin::expr::DecodeError>(())
/// ```
#[macro_export]
macro_rules! dynamo_collection {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(#[$fm:meta])* $first:ident ( $first_ty:ty )
            $( , $(#[$vm:meta])* $v:ident ( $t:ty ) )* $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            #[doc = ::core::concat!("An item of `", ::core::stringify!($first_ty), "`.")]
            $(#[$fm])*
            $first($first_ty),
            $(
                #[doc = ::core::concat!("An item of `", ::core::stringify!($t), "`.")]
                $(#[$vm])*
                $v($t),
            )*
            /// An item of none of the collection's entity types (or of none), as stored.
            Other($crate::__private::awstin_core::ValueBuf),
        }

        const _: () = {
            impl $crate::__private::Collection for $name {
                type Model = $first_ty;
                const ENTITIES: &'static [&'static str] = &[
                    $crate::__private::collection_member::<$first_ty, $first_ty>(),
                    $( $crate::__private::collection_member::<$first_ty, $t>(), )*
                ];
            }
            const _: &[&str] = <$name as $crate::__private::Collection>::ENTITIES;

            impl<__R: $crate::__private::ValueRead> $crate::__private::DecodeFrom<__R> for $name
            where
                $first_ty: $crate::__private::DecodeFrom<__R>,
                $( $t: $crate::__private::DecodeFrom<__R>, )*
            {
                fn decode(
                    value: __R,
                ) -> $crate::__private::core::result::Result<Self, $crate::__private::DecodeError> {
                    $crate::__private::expect_map(value)?;
                    let names = <$name as $crate::__private::Collection>::ENTITIES;
                    let at = $crate::__private::entity_index::<__R, $first_ty>(value, names);
                    let mut index = 0usize;
                    if at == ::core::option::Option::Some(index) {
                        return $crate::__private::DecodeFrom::decode(value).map(Self::$first);
                    }
                    $(
                        index += 1;
                        if at == ::core::option::Option::Some(index) {
                            return $crate::__private::DecodeFrom::decode(value).map(Self::$v);
                        }
                    )*
                    let _ = index;
                    $crate::__private::DecodeFrom::decode(value).map(Self::Other)
                }
            }

            // Read from stream records: each record's image as its model's variant.
            impl<__V: $crate::__private::awstin_core::decode::ValueOwned> $crate::__private::awstin_core::decode::DecodeOwned<__V> for $name
            where
                $first_ty: $crate::__private::awstin_core::decode::DecodeOwned<__V>,
                $( $t: $crate::__private::awstin_core::decode::DecodeOwned<__V>, )*
            {
                fn decode_owned(
                    value: __V,
                ) -> $crate::__private::core::result::Result<Self, $crate::__private::DecodeError> {
                    let names = <$name as $crate::__private::Collection>::ENTITIES;
                    let at = $crate::__private::entity_index::<_, $first_ty>(
                        $crate::__private::awstin_core::decode::ValueOwned::view(&value),
                        names,
                    );
                    let mut index = 0usize;
                    if at == ::core::option::Option::Some(index) {
                        return $crate::__private::awstin_core::decode::DecodeOwned::decode_owned(value).map(Self::$first);
                    }
                    $(
                        index += 1;
                        if at == ::core::option::Option::Some(index) {
                            return $crate::__private::awstin_core::decode::DecodeOwned::decode_owned(value).map(Self::$v);
                        }
                    )*
                    let _ = index;
                    $crate::__private::awstin_core::decode::DecodeOwned::decode_owned(value).map(Self::Other)
                }
            }

            // The collection's key is the table's, as stored: a stream record of any member
            // names its item by it.
            impl $crate::__private::Document for $name {
                type Fields = <$first_ty as $crate::__private::Document>::Fields;
                const FIELDS: &'static Self::Fields = <$first_ty as $crate::__private::Document>::FIELDS;
            }
            impl $crate::__private::Model for $name {
                type Partition = $crate::__private::awstin_core::ValueBuf;
                type Sort = $crate::__private::awstin_core::ValueBuf;
                const SOURCE: $crate::__private::Source = <$first_ty as $crate::__private::Model>::SOURCE;
                const KEY: $crate::__private::KeySchema = <$first_ty as $crate::__private::Model>::KEY;
                const TABLE_KEY: $crate::__private::core::option::Option<$crate::__private::KeySchema> =
                    <$first_ty as $crate::__private::Model>::TABLE_KEY;
                const ATTRIBUTES: &'static [$crate::__private::AttributeInfo] =
                    <$first_ty as $crate::__private::Model>::ATTRIBUTES;
                type Key = ($crate::__private::awstin_core::ValueBuf, $crate::__private::awstin_core::ValueBuf);
                fn key(&self) -> $crate::__private::KeyRef<'_, Self> {
                    let key = match self {
                        Self::$first(m) => $crate::__private::Model::key(m),
                        $( Self::$v(m) => {
                            let k = $crate::__private::Model::key(m);
                            $crate::__private::KeyRef::new(k.partition_value(), k.sort_value())
                        } )*
                        Self::Other(item) => {
                            return $crate::__private::awstin_core::model::stored_key(item, <Self as $crate::__private::Model>::KEY);
                        }
                    };
                    $crate::__private::KeyRef::new(key.partition_value(), key.sort_value())
                }
            }
            impl<__V: $crate::__private::awstin_core::decode::ValueOwned> $crate::__private::awstin_core::model::DecodeKey<__V> for $name {
                fn decode_key(
                    keys: __V,
                ) -> $crate::__private::core::result::Result<Self::Key, $crate::__private::DecodeError> {
                    let key = <Self as $crate::__private::Model>::KEY;
                    let keys: $crate::__private::awstin_core::ValueBuf = $crate::__private::awstin_core::decode::DecodeOwned::decode_owned(keys)?;
                    let get = |name: &'static str| match &keys {
                        $crate::__private::awstin_core::ValueBuf::M(map) => map.get(name).cloned().ok_or_else(|| {
                            $crate::__private::DecodeError::new($crate::__private::DecodeErrorKind::Missing).at(::core::stringify!($name), name)
                        }),
                        _ => ::core::result::Result::Err($crate::__private::DecodeError::new($crate::__private::DecodeErrorKind::Missing)),
                    };
                    let sort = match key.sort {
                        ::core::option::Option::Some(sort) => get(sort.name)?,
                        ::core::option::Option::None => $crate::__private::awstin_core::ValueBuf::Null,
                    };
                    ::core::result::Result::Ok((get(key.partition.name)?, sort))
                }
            }
        };
    };
}
