//! A key condition over the fields of composed keys, made into the key condition DynamoDB
//! takes on the composed attributes.
//!
//! The partition key's fields, all given with `==`, make its text. The sort key's fields given
//! with `==` from the first make a prefix `L` (the text up to the next field); a range on the
//! next field `f` becomes a range of the sort key. A field's text never holds a character
//! below `&` and a literal after a field begins with `#`, so for a value `v` of `f`, written
//! `V = L + text(v)`: the keys with `f == v` are `V` or begin with `V#`, all below `V$`; those
//! with `f < v` are below `V`; those with `f > v` are above `V$`. Hence `f <= v` is `BETWEEN L
//! AND V$`, `f < v` is `BETWEEN L AND V` (`V` itself is no key unless `f` ends the template,
//! which does not compile), `f >= v` is `BETWEEN V AND L'` and `f > v` `BETWEEN V$ AND L'`,
//! where `L'` is `L` with its last byte (an ASCII literal's) one higher; `between a..b` is
//! `BETWEEN L+text(a) AND L+text(b)$`; `begins_with(f, p)` is `begins_with(sk, L + text(p))`;
//! the first fields alone, `begins_with(sk, L)`. Without a literal before the field (`L`
//! empty), the one-sided ranges are `<`, `<`, `>=`, `>` of the sort key.

use alloc::string::String;

use crate::error::Error;
use crate::expr::cond::{
    BeginsWith, Between, Compare, ComposedTests, Condition, FieldRange, KeyCondition, KeyPart, Val,
    between, compare, functions, op,
};
use crate::expr::model::{Model, PartitionKey, SortKey};
use crate::expr::path::Field;
use crate::expr::render::{Precedence, Renderer};
use crate::values::decode::ValueRead;
use crate::values::key_text::{KeySpec, ToKeyText};
use crate::values::value_buf::ValueBuf;

type Pk<M> = Compare<Field<M, String, PartitionKey>, op::Eq, Val<String>>;
/// A partition key that is a field (with a composed sort key): its value as given.
type PlainPk<M> = Compare<Field<M, ValueBuf, PartitionKey>, op::Eq, Val<ValueBuf>>;

enum Partition<M> {
    Composed(Pk<M>),
    Plain(PlainPk<M>),
}
type Sk<M, O> = Compare<Field<M, String, SortKey>, O, Val<String>>;

enum SortTest<M> {
    Eq(Sk<M, op::Eq>),
    Lt(Sk<M, op::Lt>),
    Ge(Sk<M, op::Ge>),
    Gt(Sk<M, op::Gt>),
    Between(Between<Field<M, String, SortKey>, Val<String>, Val<String>>),
    Prefix(BeginsWith<Field<M, String, SortKey>, Val<String>>),
}

/// The key condition on the composed attributes, with its texts.
pub(crate) struct ComposedKey<M> {
    partition: Partition<M>,
    sort: Option<SortTest<M>>,
}

fn text(spec: &KeySpec, given: &[Option<&dyn ToKeyText>]) -> Result<String, Error> {
    let mut fields: [&dyn ToKeyText; crate::values::key_text::MAX_FIELDS] =
        [&""; crate::values::key_text::MAX_FIELDS];
    let mut n = 0;
    for value in given.iter().map_while(|v| *v) {
        fields[n] = value;
        n += 1;
    }
    let mut out = String::new();
    spec.template().write(&fields[..n], &mut out)?;
    Ok(out)
}

fn with(prefix: &str, value: &dyn ToKeyText, end: &str) -> Result<String, Error> {
    let mut out = String::from(prefix);
    value.write_key_text(&mut out)?;
    out.push_str(end);
    Ok(out)
}

/// `prefix` with its last byte one higher: above every text that begins with it. The byte is
/// an ASCII literal's (a template's literals are ASCII), so the text stays UTF-8.
fn above(prefix: &str) -> Result<String, Error> {
    let mut bytes = prefix.as_bytes().to_vec();
    match bytes.last_mut() {
        Some(b) if *b < 0x7F => *b += 1,
        _ => {
            return Err(Error::KeyText {
                reason: "a composed key's literal is not ASCII",
            });
        }
    }
    String::from_utf8(bytes).map_err(|_| Error::KeyText {
        reason: "a composed key's literal is not ASCII",
    })
}

impl<M: Model> ComposedKey<M> {
    /// The condition on the composed attributes that `tests` describe.
    pub(crate) fn of(tests: &ComposedTests<'_>) -> Result<Self, Error> {
        let missing = || Error::KeyText {
            reason: "a key condition over composed keys gives every field of the partition key",
        };
        let partition = match (tests.pk, tests.plain_pk) {
            (Some(pk), _) => {
                if tests.pk_eq[..pk.template().fields()]
                    .iter()
                    .any(Option::is_none)
                {
                    return Err(missing());
                }
                Partition::Composed(compare(
                    Field::new(pk.attribute()),
                    op::Eq,
                    Val(text(pk, &tests.pk_eq)?),
                ))
            }
            (None, Some(value)) => Partition::Plain(compare(
                Field::new(M::KEY.partition.name),
                op::Eq,
                Val(ValueBuf::from_encode(value)?),
            )),
            (None, None) => return Err(missing()),
        };
        let Some(sk) = tests.sk else {
            return Ok(ComposedKey {
                partition,
                sort: None,
            });
        };
        let field = || Field::<M, String, SortKey>::new(sk.attribute());
        let given = tests.sk_eq.iter().take_while(|v| v.is_some()).count();
        let prefix = text(sk, &tests.sk_eq)?;
        let sort = match tests.sk_range {
            None if given == sk.template().fields() => {
                SortTest::Eq(compare(field(), op::Eq, Val(prefix)))
            }
            None => SortTest::Prefix(functions::begins_with(field(), Val(prefix))),
            Some((_, range)) => {
                let empty = prefix.is_empty();
                match range {
                    FieldRange::Lt(v) if empty => {
                        SortTest::Lt(compare(field(), op::Lt, Val(with("", v, "")?)))
                    }
                    FieldRange::Lt(v) => {
                        let high = with(&prefix, v, "")?;
                        SortTest::Between(between(field(), Val(prefix), Val(high)))
                    }
                    FieldRange::Le(v) if empty => {
                        SortTest::Lt(compare(field(), op::Lt, Val(with("", v, "$")?)))
                    }
                    FieldRange::Le(v) => {
                        let high = with(&prefix, v, "$")?;
                        SortTest::Between(between(field(), Val(prefix), Val(high)))
                    }
                    FieldRange::Ge(v) if empty => {
                        SortTest::Ge(compare(field(), op::Ge, Val(with("", v, "")?)))
                    }
                    FieldRange::Ge(v) => SortTest::Between(between(
                        field(),
                        Val(with(&prefix, v, "")?),
                        Val(above(&prefix)?),
                    )),
                    FieldRange::Gt(v) if empty => {
                        SortTest::Gt(compare(field(), op::Gt, Val(with("", v, "$")?)))
                    }
                    FieldRange::Gt(v) => SortTest::Between(between(
                        field(),
                        Val(with(&prefix, v, "$")?),
                        Val(above(&prefix)?),
                    )),
                    FieldRange::Between(low, high) => SortTest::Between(between(
                        field(),
                        Val(with(&prefix, low, "")?),
                        Val(with(&prefix, high, "$")?),
                    )),
                    FieldRange::Prefix(p) => SortTest::Prefix(functions::begins_with(
                        field(),
                        Val(with(&prefix, &p, "")?),
                    )),
                }
            }
        };
        Ok(ComposedKey {
            partition,
            sort: Some(sort),
        })
    }
}

macro_rules! each_sort {
    ($sort:expr, |$c:ident| $body:expr) => {
        match $sort {
            SortTest::Eq($c) => $body,
            SortTest::Lt($c) => $body,
            SortTest::Ge($c) => $body,
            SortTest::Gt($c) => $body,
            SortTest::Between($c) => $body,
            SortTest::Prefix($c) => $body,
        }
    };
}

macro_rules! each_partition {
    ($partition:expr, |$c:ident| $body:expr) => {
        match $partition {
            Partition::Composed($c) => $body,
            Partition::Plain($c) => $body,
        }
    };
}

impl<M> Condition for ComposedKey<M> {
    type Model = M;
    const PRECEDENCE: Precedence = Precedence::And;
    fn render<'a>(&'a self, r: &mut Renderer<'_, 'a>) -> Result<(), Error> {
        let Some(sort) = &self.sort else {
            return each_partition!(&self.partition, |c| c.render(r));
        };
        r.operator();
        each_partition!(&self.partition, |c| r.condition(c, Precedence::And))?;
        r.text(" AND ");
        each_sort!(sort, |c| r.condition(c, Precedence::And))
    }
    fn eval<It: ValueRead>(&self, item: It) -> Result<bool, Error> {
        Ok(each_partition!(&self.partition, |c| c.eval(item)?)
            && match &self.sort {
                None => true,
                Some(sort) => each_sort!(sort, |c| c.eval(item)?),
            })
    }
}

impl<M> KeyCondition<M> for ComposedKey<M> {
    fn check_key_values(&self) -> Result<(), Error> {
        each_partition!(&self.partition, |c| KeyPart::<M>::check(c))?;
        match &self.sort {
            None => Ok(()),
            Some(sort) => each_sort!(sort, |c| KeyPart::<M>::check(c)),
        }
    }
}
