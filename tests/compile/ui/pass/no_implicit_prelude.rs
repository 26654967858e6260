//! Expansions use fully qualified paths: they work without the prelude.
#![no_implicit_prelude]

::awstin_macros::dynamo_model! { table "Movies"; key year: u32; key title: ::std::string::String; attr plot: ::std::option::Option<::std::string::String> }

::awstin_macros::dynamo_model! {
    #[derive(::std::fmt::Debug)]
    pub struct Info { attr rating: f64; }
}

fn main() {
    let y = 1999u32;
    let _ = Record::expr(::awstin_macros::cond!(year == y && attribute_exists(plot)));
    let _ = Record::expr(::awstin_macros::update!(remove(plot)));
    let _ = Record::expr(::awstin_macros::project!(year));
    let _ = <Info as ::awstin_core::Document>::FIELDS;
}
