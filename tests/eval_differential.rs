//! Local evaluation against the embedded DynamoDB, with proptest generating the cases: random
//! items (every type, missing attributes, sets, dynamic documents nested two deep) and
//! conditions and updates drawn from the whole DSL.
//!
//! - Conditions: the item is written, then deleted with the condition; the server's verdict
//!   (deleted or not) must equal `matches`.
//! - Updates: the item is written, then updated (ALL_NEW); the new item must equal `apply`'s,
//!   and a `ValidationException` must meet a local refusal.
//!
//! A disagreement fails the test with the case proptest shrank it to. The default run is 600
//! cases of each; `AWSTIN_DIFF_CASES=10000 cargo test -p awstin-tests --test eval_differential
//! -- --nocapture` runs more, and `AWSTIN_DIFF_SEED=<u64>` draws another sequence.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;

use awstin::dynamodb::{Error, Table, apply, matches};
use awstin::expr::{Condition, Update};
use awstin::testing::{LocalDynamoDb, TableSpec, with_temporary_table};
use awstin::{BinaryBuf, Number, ValueBuf, cond, dynamo_model, update};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};

dynamo_model! {
    /// An item with optional attributes of every type.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Sample {
        table "Samples";
        /// Case number.
        key id: u32;
        /// A number.
        attr n: Option<Number>;
        /// A string.
        attr s: Option<String>;
        /// A binary.
        attr bin: Option<BinaryBuf>;
        /// A boolean.
        attr flag: Option<bool>;
        /// A string set (absent when empty).
        attr tags: BTreeSet<String>;
        /// A number set (absent when empty).
        attr nums: BTreeSet<Number>;
        /// A list.
        attr list: Option<Vec<u32>>;
        /// A document of any type.
        attr doc: Option<ValueBuf>;
    }
}

const NUMBERS: &[&str] = &[
    "0",
    "1",
    "-1",
    "2.5",
    "-0.001",
    "10",
    "1e10",
    "1e37",
    "99999999999999999999999999999999999999",
];
const STRINGS: &[&str] = &[
    "",
    "a",
    "ab",
    "b",
    "Z",
    "é",
    "é𝄞",
    "a.b",
    "The Big New Movie",
];
const TAGS: &[&str] = &["a", "b", "c"];

fn number() -> impl Strategy<Value = Number> {
    prop_oneof![
        3 => select(NUMBERS).prop_map(|t| t.parse::<Number>().expect("a valid number")),
        1 => any::<i16>().prop_map(Number::from),
        1 => (any::<i32>(), -6i64..6).prop_map(|(m, e)| {
            Number::from_parts(m < 0, u128::from(m.unsigned_abs()), e).expect("in range")
        }),
    ]
}
fn string() -> impl Strategy<Value = String> {
    select(STRINGS).prop_map(String::from)
}
fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..3)
}
/// A non-empty set of tags.
fn tag_set() -> impl Strategy<Value = BTreeSet<String>> {
    prop::collection::btree_set(select(TAGS).prop_map(String::from), 1..=3)
}
/// A non-empty set of numbers.
fn number_set() -> impl Strategy<Value = BTreeSet<Number>> {
    prop::collection::btree_set(number(), 1..=3)
}

/// A scalar or a set.
fn leaf() -> impl Strategy<Value = ValueBuf> {
    prop_oneof![
        string().prop_map(ValueBuf::S),
        number().prop_map(ValueBuf::N),
        any::<bool>().prop_map(ValueBuf::Bool),
        Just(ValueBuf::Null),
        bytes().prop_map(ValueBuf::B),
        tag_set().prop_map(|s| ValueBuf::SS(s.into_iter().collect())),
        number_set().prop_map(|s| ValueBuf::NS(s.into_iter().collect())),
    ]
}

/// A value of any type: a scalar or a set two times in three, else lists and maps nested up
/// to two levels.
fn dynamic() -> impl Strategy<Value = ValueBuf> {
    let nested = leaf().prop_recursive(2, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(ValueBuf::L),
            prop::collection::vec(inner, 0..3).prop_map(|members| {
                ValueBuf::M(
                    members
                        .into_iter()
                        .enumerate()
                        .map(|(i, v)| (format!("k{i}"), v))
                        .collect(),
                )
            }),
        ]
    });
    prop_oneof![2 => leaf(), 1 => nested]
}

/// Present 7 times in 10.
fn maybe<S: Strategy>(s: S) -> impl Strategy<Value = Option<S::Value>> {
    prop::option::weighted(0.7, s)
}

fn sample() -> impl Strategy<Value = Sample> {
    (
        (
            maybe(number()),
            maybe(string()),
            maybe(bytes().prop_map(BinaryBuf)),
            maybe(any::<bool>()),
        ),
        (
            prop::option::weighted(0.6, tag_set()),
            prop::option::weighted(0.6, number_set()),
            maybe(prop::collection::vec(0u32..8, 0..6)),
            maybe(dynamic()),
        ),
    )
        .prop_map(|((n, s, bin, flag), (tags, nums, list, doc))| Sample {
            id: 0,
            n,
            s,
            bin,
            flag,
            tags: tags.unwrap_or_default(),
            nums: nums.unwrap_or_default(),
            list,
            doc,
        })
}

/// The values one case's expression uses.
#[derive(Debug, Clone)]
struct Params {
    template: u8,
    x: Number,
    y: Number,
    s1: String,
    s2: String,
    tags: BTreeSet<String>,
    nums: BTreeSet<Number>,
    size: usize,
    i: usize,
    j: usize,
    more: Vec<u32>,
    fresh: ValueBuf,
    /// A value `ADD` and `DELETE` mostly take: a number or a set, sometimes anything.
    addable: ValueBuf,
    own_doc: bool,
}

fn params(templates: u8) -> impl Strategy<Value = Params> {
    (
        (0..templates, number(), number(), string(), string()),
        (tag_set(), number_set(), 0usize..4, 0usize..5, 1usize..4),
        (
            prop::collection::vec(0u32..3, 0..3),
            dynamic(),
            prop_oneof![
                number().prop_map(ValueBuf::N),
                tag_set().prop_map(|s| ValueBuf::SS(s.into_iter().collect())),
                number_set().prop_map(|s| ValueBuf::NS(s.into_iter().collect())),
                dynamic(),
            ],
            prop::bool::weighted(0.3),
        ),
    )
        .prop_map(
            |(
                (template, x, y, s1, s2),
                (tags, nums, size, i, gap),
                (more, fresh, addable, own_doc),
            )| {
                Params {
                    template,
                    x,
                    y,
                    s1,
                    s2,
                    tags,
                    nums,
                    size,
                    i,
                    j: i + gap,
                    more,
                    fresh,
                    addable,
                    own_doc,
                }
            },
        )
}

/// What the cases found.
#[derive(Default)]
struct Outcomes {
    /// Cases where the emulator departs from DynamoDB's documentation (see `known_divergence`).
    divergences: Vec<String>,
    /// Per template: (held or applied, failed or refused), by the server's verdict.
    seen: BTreeMap<&'static str, (u32, u32)>,
}

impl Outcomes {
    fn count(&mut self, label: &'static str, yes: bool) {
        let seen = self.seen.entry(label).or_default();
        if yes { seen.0 += 1 } else { seen.1 += 1 }
    }
    fn totals(&self) -> (u32, u32) {
        self.seen
            .values()
            .fold((0, 0), |(h, f), (a, b)| (h + a, f + b))
    }
}

fn setup(e: Error) -> TestCaseError {
    TestCaseError::fail(format!("the emulator failed a plain request: {e}"))
}

/// Writes `item`, deletes it if `condition` holds, and compares with the local verdict.
async fn agree<F, C>(
    table: &Table<Sample>,
    item: &Sample,
    condition: F,
    label: &'static str,
    out: &RefCell<Outcomes>,
) -> Result<(), TestCaseError>
where
    F: Fn(&'static <Sample as awstin::Document>::Fields) -> C + Copy,
    C: Condition<Model = Sample> + Send,
{
    let local = matches(item, condition).map_err(setup)?;
    table.put(item).await.map_err(setup)?;
    let server = table
        .delete(item.id)
        .when(condition)
        .await
        .map_err(setup)?
        .is_applied();
    let mut out = out.borrow_mut();
    out.count(label, server);
    if local == server {
        return Ok(());
    }
    // Conditions have no recorded divergence: `size()` of a string counts UTF-16 code units
    // on both sides (`rules::size_of_a_string_counts_utf16_code_units_as_dynamodb_does`).
    Err(TestCaseError::fail(format!(
        "{label}: local {local}, server {server}, item {item:?}"
    )))
}

/// Runs `cases` generated cases, each checked by `check` on the server; panics with the
/// shrunk case on a disagreement.
fn run<S, F, Fut>(cases: u32, strategy: S, check: F)
where
    S: Strategy,
    S::Value: std::fmt::Debug,
    F: Fn(S::Value) -> Fut,
    Fut: Future<Output = Result<(), TestCaseError>>,
{
    let seed: u64 = std::env::var("AWSTIN_DIFF_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed);
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 2_000,
        ..Config::default()
    };
    let mut runner = TestRunner::new_with_rng(
        config,
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes),
    );
    let handle = tokio::runtime::Handle::current();
    let result =
        tokio::task::block_in_place(|| runner.run(&strategy, |case| handle.block_on(check(case))));
    if let Err(e) = result {
        panic!("local evaluation disagrees with the emulator: {e}");
    }
}

fn cases() -> u32 {
    std::env::var("AWSTIN_DIFF_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(600)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_evaluation_agrees_with_dynamodb() -> Result<(), Error> {
    let cases = cases();
    let local = LocalDynamoDb::start().await?;
    with_temporary_table(local.db(), TableSpec::of::<Sample>()?, |table: Table<Sample>| async move {
        let out = RefCell::new(Outcomes::default());
        run(cases, (sample(), params(26)), |(item, p)| {
            let (table, out) = (&table, &out);
            async move {
                let Params { x, y, s1, s2, size, .. } = &p;
                let (x, y, size) = (*x, *y, *size);
                let (lo, hi) = if x <= y { (x, y) } else { (y, x) };
                let (lo_s, hi_s) = if s1 <= s2 { (s1, s2) } else { (s2, s1) };
                let tag = p.tags.iter().next().map_or("a", String::as_str);
                let doc_value = match (&item.doc, p.own_doc) {
                    (Some(own), true) => own.clone(),
                    _ => p.fresh.clone(),
                };
                let it = &item;
                match p.template {
                    0 => agree(table, it, cond!(n == x), "n == x", out).await,
                    1 => agree(table, it, cond!(n != x), "n != x", out).await,
                    2 => agree(table, it, cond!(n < x), "n < x", out).await,
                    3 => agree(table, it, cond!(n >= x), "n >= x", out).await,
                    4 => agree(table, it, cond!(n between lo..=hi), "n between", out).await,
                    5 => agree(table, it, cond!(s == s1 || s > s2), "s == || s >", out).await,
                    6 => agree(table, it, cond!(s between lo_s..=hi_s), "s between", out).await,
                    7 => agree(table, it, cond!(begins_with(s, s1)), "begins_with(s)", out).await,
                    8 => agree(table, it, cond!(contains(s, s1)), "contains(s)", out).await,
                    9 => agree(table, it, cond!(contains(tags, tag)), "contains(tags)", out).await,
                    10 => agree(table, it, cond!(size(tags) == size), "size(tags)", out).await,
                    11 => agree(table, it, cond!(size(s) > size), "size(s)", out).await,
                    12 => agree(table, it, cond!(attribute_exists(doc) && !attribute_exists(flag)), "exists", out).await,
                    13 => agree(table, it, cond!(attribute_type(doc, M) || attribute_type(doc, L)), "attribute_type", out).await,
                    14 => agree(table, it, cond!(doc == doc_value), "doc == value", out).await,
                    15 => agree(table, it, cond!(doc != doc_value), "doc != value", out).await,
                    16 => agree(table, it, cond!(doc < x || doc > s1), "doc ordering", out).await,
                    17 => agree(table, it, cond!(n in [x, y]), "n in", out).await,
                    18 => agree(table, it, cond!(flag == true && !(n < x)), "flag && !", out).await,
                    19 => agree(table, it, cond!(contains(list, 1) || size(list) >= size), "list", out).await,
                    20 => agree(table, it, cond!(list[0] == 1 || list[1] < 2), "list elements", out).await,
                    21 => agree(table, it, cond!(contains(nums, x)), "contains(nums)", out).await,
                    22 => agree(table, it, cond!(contains(doc, s1) || contains(doc, x)), "contains(doc)", out).await,
                    23 => agree(table, it, cond!(doc["k0"] == doc_value || size(doc) < size), "doc member", out).await,
                    24 => agree(table, it, cond!(n == attr(doc) || s < attr(doc)), "path operands", out).await,
                    _ => agree(table, it, cond!(begins_with(doc, s1) || size(bin) <= size), "begins_with(doc)", out).await,
                }
            }
        });
        let out = out.into_inner();
        let (held, failed) = out.totals();
        println!("{cases} condition cases: held in {held}, failed in {failed}; per template (held, failed): {:?}", out.seen);
        println!("{} known emulator divergences:\n{}", out.divergences.len(), out.divergences.join("\n"));
        assert_eq!(out.seen.len(), 26, "every condition template ran");
        assert!(held >= cases / 5 && failed >= cases / 5, "both outcomes are well represented");
        Ok(())
    })
    .await
}

/// Sorts the elements of every set, for comparing documents whose sets came back in another
/// order.
fn normalized(v: &ValueBuf) -> ValueBuf {
    match v {
        ValueBuf::SS(s) => ValueBuf::SS(
            s.iter()
                .cloned()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect(),
        ),
        ValueBuf::NS(s) => ValueBuf::NS(
            s.iter()
                .copied()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect(),
        ),
        ValueBuf::BS(s) => ValueBuf::BS(
            s.iter()
                .cloned()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect(),
        ),
        ValueBuf::L(items) => ValueBuf::L(items.iter().map(normalized).collect()),
        ValueBuf::M(members) => ValueBuf::M(
            members
                .iter()
                .map(|(k, v)| (k.clone(), normalized(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn normalized_sample(s: &Sample) -> Sample {
    Sample {
        doc: s.doc.as_ref().map(normalized),
        ..s.clone()
    }
}

/// Whether a local error is one DynamoDB reports as a `ValidationException` for this item.
fn refused_for_this_item(e: &Error) -> bool {
    use awstin::expr::Error as E;
    matches!(
        e,
        Error::Refused(
            E::Update { .. }
                | E::NumberPrecision { .. }
                | E::NumberOutOfRange { .. }
                | E::NestingTooDeep { .. }
        )
    )
}

/// Writes `item`, updates it, and compares the new item (or the refusal) with `apply`'s.
async fn agree_update<F, U>(
    table: &Table<Sample>,
    item: &Sample,
    update: F,
    label: &'static str,
    known: Option<KnownDivergence>,
    out: &RefCell<Outcomes>,
) -> Result<(), TestCaseError>
where
    F: Fn(&'static <Sample as awstin::Document>::Fields) -> U + Copy,
    U: Update<Model = Sample>,
{
    let local = apply(item, update);
    table.put(item).await.map_err(setup)?;
    let server = table.update(item.id, update).await;
    let agreed = match (&local, &server) {
        (Ok(a), Ok(b)) => normalized_sample(a) == normalized_sample(b),
        (Err(l), Err(Error::Validation { .. })) => refused_for_this_item(l),
        _ => false,
    };
    let mut out = out.borrow_mut();
    out.count(label, server.is_ok());
    if agreed {
        return Ok(());
    }
    let explained = known.as_ref().is_some_and(|k| k.explains(&local, &server));
    let server = server.map_err(|e| match e {
        Error::Validation { message, .. } => format!("ValidationException: {message}"),
        other => other.to_string(),
    });
    let case = format!("{label}: local {local:?}, server {server:?}, item {item:?}");
    match known {
        Some(k) if explained => {
            out.divergences.push(format!("[{}] {case}", k.rule));
            Ok(())
        }
        Some(k) => Err(TestCaseError::fail(format!(
            "not the documented divergence {k:?}: {case}"
        ))),
        None => Err(TestCaseError::fail(case)),
    }
}

/// The emulator matches the elements of number sets by their text in `ADD` and `DELETE`, so an
/// element whose canonical text has an exponent (`1E+37`) is not found in the stored set: ADD
/// fails with "Input collection contains duplicates" and DELETE leaves the element. DynamoDB
/// documents set union and difference by value, which `apply` follows
/// (`update_apply::number_sets_unite_and_subtract_by_value`).
const NUMBER_SET_TEXT: &str = "number set elements matched as text";

/// A case where the emulator may depart from DynamoDB's documentation, and exactly how.
#[derive(Debug)]
struct KnownDivergence {
    rule: &'static str,
    /// `ADD` of a set sharing elements with the stored one, else `DELETE`.
    add: bool,
    /// The set is the document `doc` (else the attribute `nums`).
    in_doc: bool,
    /// The elements shared by the stored and the given set whose text has an exponent.
    shared: BTreeSet<Number>,
}

impl KnownDivergence {
    /// Whether the disagreement of `local` and `server` is exactly the documented one: an ADD
    /// the emulator refused for duplicates where the local apply succeeded; a DELETE after
    /// which the emulator's set still holds some of the shared elements the local apply
    /// removed, and nothing else differs.
    fn explains(&self, local: &Result<Sample, Error>, server: &Result<Sample, Error>) -> bool {
        match (local, server) {
            (Ok(_), Err(Error::Validation { message, .. })) => {
                self.add && message.contains("Input collection contains duplicates")
            }
            (Ok(local), Ok(server)) if !self.add => {
                let (mut local, mut server) = (normalized_sample(local), normalized_sample(server));
                let (kept, removed) = if self.in_doc {
                    match (&mut local.doc, &mut server.doc) {
                        (None, Some(ValueBuf::NS(kept))) => (std::mem::take(kept), Vec::new()),
                        (Some(ValueBuf::NS(removed)), Some(ValueBuf::NS(kept))) => {
                            (std::mem::take(kept), std::mem::take(removed))
                        }
                        _ => return false,
                    }
                } else {
                    let kept: Vec<Number> = std::mem::take(&mut server.nums).into_iter().collect();
                    let removed: Vec<Number> =
                        std::mem::take(&mut local.nums).into_iter().collect();
                    (kept, removed)
                };
                if self.in_doc {
                    server.doc = None;
                    local.doc = None;
                }
                let extra: BTreeSet<Number> = kept
                    .iter()
                    .filter(|n| !removed.contains(n))
                    .copied()
                    .collect();
                let all_kept = removed.iter().all(|n| kept.contains(n));
                all_kept && !extra.is_empty() && extra.is_subset(&self.shared) && local == server
            }
            _ => false,
        }
    }
}

fn known_update_divergence(item: &Sample, p: &Params) -> Option<KnownDivergence> {
    let exponent_shared = |stored: &[Number], added: &[Number]| -> BTreeSet<Number> {
        stored
            .iter()
            .filter(|n| added.contains(n) && n.to_string().contains('E'))
            .copied()
            .collect()
    };
    let stored: Vec<Number> = item.nums.iter().copied().collect();
    let added: Vec<Number> = p.nums.iter().copied().collect();
    let (add, in_doc, shared) = match p.template {
        16 => (true, false, exponent_shared(&stored, &added)),
        17 | 31 => (false, false, exponent_shared(&stored, &added)),
        24 | 25 => match (&item.doc, &p.addable) {
            (Some(ValueBuf::NS(stored)), ValueBuf::NS(added)) => {
                (p.template == 24, true, exponent_shared(stored, added))
            }
            _ => return None,
        },
        _ => return None,
    };
    (!shared.is_empty()).then_some(KnownDivergence {
        rule: NUMBER_SET_TEXT,
        add,
        in_doc,
        shared,
    })
}

/// At most this share of the update cases may be excused as the known divergence: more, and
/// the generator has drifted towards the one case the emulator gets wrong.
const MAX_EXCUSED_PERCENT: u32 = 5;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_updates_agree_with_dynamodb() -> Result<(), Error> {
    let cases = cases();
    let local = LocalDynamoDb::start().await?;
    with_temporary_table(local.db(), TableSpec::of::<Sample>()?, |table: Table<Sample>| async move {
        let out = RefCell::new(Outcomes::default());
        run(cases, (sample(), params(32)), |(item, p)| {
            let (table, out) = (&table, &out);
            async move {
                let Params { x, y, s1, tags, nums, i, j, more, fresh, addable, .. } = &p;
                let (x, y, i, j) = (*x, *y, *i, *j);
                let v = u32::try_from(i).unwrap_or(0);
                let bin = BinaryBuf(s1.clone().into_bytes());
                let it = &item;
                let known = known_update_divergence(it, &p);
                match p.template {
                    0 => agree_update(table, it, update!(n = x, s = s1), "set values", known, out).await,
                    1 => agree_update(table, it, update!(n += x), "n += x", known, out).await,
                    2 => agree_update(table, it, update!(n = x - attr(n)), "x - n", known, out).await,
                    3 => agree_update(table, it, update!(n = if_not_exists(n, x) + y), "if_not_exists + y", known, out).await,
                    4 => agree_update(table, it, update!(s = if_not_exists(s, s1), bin = if_not_exists(bin, bin)), "if_not_exists", known, out).await,
                    5 => agree_update(table, it, update!(list = list_append(attr(list), more)), "append", known, out).await,
                    6 => agree_update(table, it, update!(list = list_append(more, attr(list))), "prepend", known, out).await,
                    7 => agree_update(table, it, update!(list[i] = v), "list[i] =", known, out).await,
                    8 => agree_update(table, it, update!(list[j] = 7, list[i] = v), "list[j], list[i] =", known, out).await,
                    9 => agree_update(table, it, update!(remove(list[i])), "remove list[i]", known, out).await,
                    10 => agree_update(table, it, update!(remove(list[i]), list[j] = 7), "remove list[i], set list[j]", known, out).await,
                    11 => agree_update(table, it, update!(remove(list[j]), remove(list[i])), "remove list[j], list[i]", known, out).await,
                    12 => agree_update(table, it, update!(remove(s), remove(flag)), "remove", known, out).await,
                    13 => agree_update(table, it, update!(add(n, x)), "add n", known, out).await,
                    14 => agree_update(table, it, update!(add(tags, tags)), "add tags", known, out).await,
                    15 => agree_update(table, it, update!(delete(tags, tags)), "delete tags", known, out).await,
                    16 => agree_update(table, it, update!(add(nums, nums)), "add nums", known, out).await,
                    17 => agree_update(table, it, update!(delete(nums, nums)), "delete nums", known, out).await,
                    18 => agree_update(table, it, update!(doc = fresh), "set doc", known, out).await,
                    19 => agree_update(table, it, update!(doc["k0"] = fresh), "set doc member", known, out).await,
                    20 => agree_update(table, it, update!(remove(doc["k0"])), "remove doc member", known, out).await,
                    21 => agree_update(table, it, update!(doc[i] = fresh), "set doc element", known, out).await,
                    22 => agree_update(table, it, update!(remove(doc[i])), "remove doc element", known, out).await,
                    23 => agree_update(table, it, update!(add(doc, x)), "add number to doc", known, out).await,
                    24 => agree_update(table, it, update!(add(doc, addable)), "add value to doc", known, out).await,
                    25 => agree_update(table, it, update!(delete(doc, addable)), "delete value from doc", known, out).await,
                    26 => agree_update(table, it, update!(n = attr(doc) + x), "doc + x", known, out).await,
                    27 => agree_update(table, it, update!(doc = list_append(attr(doc), fresh)), "append to doc", known, out).await,
                    28 => agree_update(table, it, update!(doc["k1"] = attr(doc["k0"]), doc["k0"] = s1), "read then write doc member", known, out).await,
                    29 => agree_update(table, it, update!(doc["k0"]["k1"] = x), "set below doc member", known, out).await,
                    30 => agree_update(table, it, update!(flag = true, remove(list[j]), n = if_not_exists(n, y) - x), "mixed", known, out).await,
                    _ => agree_update(table, it, update!(list = list_append(attr(list), more), add(tags, tags), remove(bin), delete(nums, nums)), "all clauses", known, out).await,
                }
            }
        });
        let out = out.into_inner();
        let (applied, refused) = out.totals();
        println!("{cases} update cases: applied in {applied}, refused in {refused}; per template (applied, refused): {:?}", out.seen);
        let excused = u32::try_from(out.divergences.len()).unwrap_or(u32::MAX);
        println!("{excused} of {cases} update cases excused as the documented emulator divergence (at most {MAX_EXCUSED_PERCENT}%):\n{}", out.divergences.join("\n"));
        assert!(excused * 100 <= cases * MAX_EXCUSED_PERCENT, "{excused} of {cases} cases excused");
        assert_eq!(out.seen.len(), 32, "every update template ran");
        assert!(applied >= cases / 2 && refused >= cases / 10, "both outcomes are well represented");
        Ok(())
    })
    .await
}
