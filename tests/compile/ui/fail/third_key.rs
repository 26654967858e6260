#![allow(unused_imports)]
use awstin_macros::dynamo_model;
dynamo_model! { pub struct Triple { table "Things"; key a: String; key b: String; key c: String; } }

fn main() {}
