#![allow(unused_imports)]
use awstin_macros::dynamo_model;
dynamo_model! { pub struct Flag { table "Things"; key on: bool; } }

fn main() {}
