//! Values from a hand-written `Encode`: whatever shape one describes, the checks every value
//! goes through refuse what DynamoDB would refuse, before anything is rendered.

use awstin_core::KeyCondition;
use awstin_core::{Container, DynamoType, Encode, Error, Number, Sink, kind};
use awstin_core_tests::{Shown, Thing, condition_text, update_text};
use awstin_macros::{cond, update};

/// One call on a sink.
#[derive(Clone, Copy)]
enum Step {
    S(&'static str),
    N(i64),
    B(&'static [u8]),
    Bool(bool),
    Null,
    Begin(Container),
    Key(&'static str),
    End,
}

/// A value that replays its steps: any shape, well-formed or not.
struct Steps(&'static [Step]);

impl Encode for Steps {
    fn encode(&self, sink: &mut dyn Sink) -> Result<(), Error> {
        for step in self.0 {
            match *step {
                Step::S(s) => sink.string(s)?,
                Step::N(n) => sink.number(Number::from(n))?,
                Step::B(b) => sink.binary(b)?,
                Step::Bool(b) => sink.boolean(b)?,
                Step::Null => sink.null()?,
                Step::Begin(c) => sink.begin(c)?,
                Step::Key(k) => sink.key(k)?,
                Step::End => sink.end()?,
            }
        }
        Ok(())
    }
}

impl DynamoType for Steps {
    type Kind = kind::Any;
}

/// A string key value that is not a string when encoded.
struct FakeString(Step);

impl Encode for FakeString {
    fn encode(&self, sink: &mut dyn Sink) -> Result<(), Error> {
        Steps(match self.0 {
            Step::Bool(true) => &[Step::Bool(true)],
            Step::Null => &[Step::Null],
            _ => &[Step::Begin(Container::List), Step::End],
        })
        .encode(sink)
    }
}

impl DynamoType for FakeString {
    type Kind = kind::S;
}

fn compare(steps: &'static [Step]) -> Result<String, Error> {
    let v = Steps(steps);
    condition_text(&Thing::expr(cond!(doc == v)))
}

fn key_text<M, C: KeyCondition<M>>(c: &C) -> Result<String, Error> {
    Shown::new().key(c).map(Shown::finish)
}

fn wrong(r: Result<String, Error>) -> Option<&'static str> {
    match r {
        Err(Error::WrongType { expected }) => Some(expected),
        _ => None,
    }
}

use Container::{BinarySet, List, Map, NumberSet, StringSet};
use Step::{B, Begin, Bool, End, Key, N, Null, S};

#[test]
fn a_set_takes_only_elements_of_its_own_type() {
    let strings = Some("strings in a string set");
    let numbers = Some("numbers in a number set");
    let binaries = Some("binaries in a binary set");
    assert_eq!(
        wrong(compare(&[Begin(StringSet), S("a"), Bool(true), End])),
        strings
    );
    assert_eq!(wrong(compare(&[Begin(StringSet), B(b"a"), End])), strings);
    assert_eq!(
        wrong(compare(&[Begin(StringSet), Begin(List), End, End])),
        strings
    );
    assert_eq!(
        wrong(compare(&[Begin(NumberSet), N(1), Null, End])),
        numbers
    );
    assert_eq!(wrong(compare(&[Begin(NumberSet), S("1"), End])), numbers);
    assert_eq!(wrong(compare(&[Begin(BinarySet), S("a"), End])), binaries);
    assert_eq!(wrong(compare(&[Begin(BinarySet), N(1), End])), binaries);
    // Sets of their own type, and anything at all in a list or a map, are fine.
    assert_eq!(
        compare(&[Begin(StringSet), S("a"), S("b"), End]),
        Ok("#n0 = :v0".to_string())
    );
    assert_eq!(
        compare(&[Begin(BinarySet), B(b"a"), End]),
        Ok("#n0 = :v0".to_string())
    );
    let mixed = &[
        Begin(List),
        S("a"),
        N(1),
        B(b"b"),
        Bool(false),
        Null,
        Begin(Map),
        Key("k"),
        Null,
        End,
        End,
    ];
    assert_eq!(compare(mixed), Ok("#n0 = :v0".to_string()));
}

#[test]
fn an_empty_set_is_refused_and_an_empty_list_or_map_is_not() {
    assert_eq!(compare(&[Begin(NumberSet), End]), Err(Error::EmptySet));
    assert_eq!(compare(&[Begin(List), End]), Ok("#n0 = :v0".to_string()));
    assert_eq!(compare(&[Begin(Map), End]), Ok("#n0 = :v0".to_string()));
}

#[test]
fn a_map_member_needs_a_name_dynamodb_takes() {
    assert_eq!(
        compare(&[Begin(Map), Key(""), Null, End]),
        Err(Error::EmptyName)
    );
}

#[test]
fn a_key_value_that_encodes_as_another_type_is_refused() {
    for fake in [FakeString(Bool(true)), FakeString(Null), FakeString(End)] {
        let c = Thing::expr(cond!(id == fake));
        let Err(Error::WrongType { expected }) = key_text(&c) else {
            panic!("a key value that is not S, N or B was accepted");
        };
        assert_eq!(expected, "a string, number or binary key value");
    }
}

#[test]
fn binary_key_values_are_measured_in_bytes() {
    static BIG: [u8; 1025] = [7; 1025];
    let (i, big) = ("i", awstin_core::Binary(&BIG));
    let c = Thing::expr(cond!(id == i && data == big));
    assert!(matches!(
        key_text(&c),
        Err(Error::KeyValueTooLong {
            len: 1025,
            max: 1024,
            ..
        })
    ));
    let empty = awstin_core::Binary(&[]);
    let c = Thing::expr(cond!(id == i && data == empty));
    assert!(matches!(key_text(&c), Err(Error::EmptyKeyValue { .. })));
}

#[test]
fn an_update_checks_hand_encoded_values_too() {
    let v = Steps(&[Begin(StringSet), N(1), End]);
    assert_eq!(
        wrong(update_text(&Thing::expr(update!(doc = v)))),
        Some("strings in a string set")
    );
}
