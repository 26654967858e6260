#![allow(unused_imports)]
use awstin_macros::dynamo_model;
dynamo_model! { pub struct Flag { table "T"; key on: bool; } }

fn main() {}
