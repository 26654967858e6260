#![allow(unused_imports)]
use awstin_macros::dynamo_model;
dynamo_model! { pub struct Late { table "Things"; key a: String; attr b: String; key c: String; } }

fn main() {}
