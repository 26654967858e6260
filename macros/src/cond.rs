//! `cond!`: conditions, filters and key conditions.
//!
//! The whole condition is matched by one rule with nested repetition (`||` around `&&` around
//! terms), so parsing recurses once per parenthesised group, never once per token or term.

/// Builds a condition: a key condition for a query, a filter, or the condition of a write.
///
/// # Grammar
///
/// ```text
/// cond!( $(Model:)? cond )
///
/// cond     := and ( || and )*                 // lowest precedence
/// and      := term ( && term )*
/// term     := path cmp operand                // cmp: == != < <= > >=
///           | path between operand..operand    // inclusive, also ..=
///           | path in [operand, ...]           // 1 to 100 values
///           | path in operand                  // a slice, array or Vec of values
///           | size(path) cmp operand | size(path) between operand..operand
///           | attribute_exists(path) | attribute_not_exists(path)
///           | attribute_type(path, S|SS|N|NS|B|BS|BOOL|NULL|L|M)
///           | begins_with(path, operand) | contains(path, operand)
///           | ( cond ) | !( cond ) | !function(...)
/// path     := attr ( .member | [index] | ["map key"] )*
/// operand  := attr(path) | size(path)              // another attribute as the operand
///           | literal | ident ( .field )*          // a value: borrowed when a variable or field
///           | &expr | expr.method(args) | f(args)  // references and computed values
///           | (rust expression) | {rust expression}
/// ```
///
/// Precedence is DynamoDB's and Rust's alike: comparisons, then `!`, then `&&`, then `||`;
/// parentheses are added when rendering only where needed. `between a..b` is DynamoDB's
/// `BETWEEN`, **inclusive** of both bounds whichever range syntax is used.
///
/// Attribute names are checked against the model: a typo is a compile error at the typo.
/// Values are checked against the attribute's Rust type, and operations against its DynamoDB
/// type (`<` on a list, `begins_with` on a number, `size` of a bool do not compile).
///
/// Operands are the values handler code has: a variable or a field of a parsed input
/// (`input.year`, `pair.0`) is borrowed; a method call (`input.title.as_str()`,
/// `input.next_year()`), a parenthesised or braced expression (`(input.year + 1)`,
/// `{ format!("{}!", input.title) }`) and a literal are computed once and owned by the
/// condition, so no temporary has to outlive its statement; `&expr` is a reference it holds.
/// An operand runs up to the next `&&`, `||` or the end of its term; a Rust operator (`+`,
/// `*`) or macro call inside an operand needs parentheses or braces, and so does a negative
/// literal, `(-5)`. `in values` takes a variable or field holding a slice, array or `Vec`.
/// Another attribute is written `attr(path)`, also as a `between` bound; a bare name that is
/// not a Rust variable is a Rust error ("cannot find value").
///
/// A condition is a tree of types, one per term, so the compiler's `recursion_limit` (128 by
/// default) bounds how many terms one `&&` or `||` chain may hold: about 120. Longer chains
/// need `#![recursion_limit = "256"]`; DynamoDB's own limit is 300 operators per expression.
///
/// `cond!(...)` expands to a closure over the model's field table, so a method such as
/// `Table::query` infers the model; `cond!(Movie: ...)` names the model, and
/// `Movie::expr(cond!(...))` builds the condition itself.
///
/// # Example
///
/// ```
/// use awstin::{cond, dynamo_model};
/// use awstin::Request;
///
/// dynamo_model! {
///     pub struct Movie { table "Movies"; key year: u32; key title: String; attr info: Info }
/// }
/// dynamo_model! {
///     pub struct Info { attr rating: f64; attr actors: Vec<String>; attr release_date: String as "release-date"; }
/// }
///
/// let (year, title) = (2015, "The Big New Movie");
/// let c = Movie::expr(cond!(
///     year == year && (info.rating >= 7 || size(info.actors) > 3) && !begins_with(title, "The")
/// ));
/// let mut text = heapless::String::<256>::new();
/// Request::<8, 8>::new().condition(&c, &mut text)?;
/// assert_eq!(
///     text,
///     "#n0 = :v0 AND (#n1.#n2 >= :v1 OR size(#n1.#n3) > :v2) AND NOT begins_with(#n4, :v3)"
/// );
/// # Ok::<(), awstin::expr::Error>(())
/// ```
#[macro_export]
macro_rules! cond {
    ($($model:ident)::+ : $($body:tt)+) => {
        |__awstin_f: &'static <$($model)::+ as $crate::__private::Document>::Fields| {
            $crate::__awstin_cond!(top __awstin_f; $($body)+)
        }
    };
    ($($body:tt)+) => {
        |__awstin_f| $crate::__awstin_cond!(top __awstin_f; $($body)+)
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_cond {
    // Each operand is matched as a head token (an identifier, a literal, a parenthesised or
    // braced expression, `&`, `attr`, `size`), an identifier after `&`, an optional call, and
    // `.member` or `.method(args)` links; it reaches `__awstin_term!` bracketed as one token
    // tree. None of these parts can be `&&` or `||`, which separate the terms.
    ($mode:ident $f:ident; $( $(
        $( ( $($g:tt)* ) )?
        $( ! $nf:tt $( ( $($nfa:tt)* ) )? )?
        $( $root:ident $( . $m:ident )* $( [ $i:tt ] $( . $n:ident )* )* $( ( $($args:tt)* ) )? )?
        $( == $eqh:tt $( $eqh2:ident )? $( ( $($eqc:tt)* ) )? $( . $eqm:tt $( ( $($eqmc:tt)* ) )? )* )?
        $( != $neh:tt $( $neh2:ident )? $( ( $($nec:tt)* ) )? $( . $nem:tt $( ( $($nemc:tt)* ) )? )* )?
        $( < $lth:tt $( $lth2:ident )? $( ( $($ltc:tt)* ) )? $( . $ltm:tt $( ( $($ltmc:tt)* ) )? )* )?
        $( <= $leh:tt $( $leh2:ident )? $( ( $($lec:tt)* ) )? $( . $lem:tt $( ( $($lemc:tt)* ) )? )* )?
        $( > $gth:tt $( $gth2:ident )? $( ( $($gtc:tt)* ) )? $( . $gtm:tt $( ( $($gtmc:tt)* ) )? )* )?
        $( >= $geh:tt $( $geh2:ident )? $( ( $($gec:tt)* ) )? $( . $gem:tt $( ( $($gemc:tt)* ) )? )* )?
        $( between $loh:tt $( $loh2:ident )? $( ( $($loc:tt)* ) )? $( . $lom:tt $( ( $($lomc:tt)* ) )? )* $( .. $hih:tt $( $hih2:ident )? $( ( $($hic:tt)* ) )? $( . $him:tt $( ( $($himc:tt)* ) )? )* )? $( ..= $hjh:tt $( $hjh2:ident )? $( ( $($hjc:tt)* ) )? $( . $hjm:tt $( ( $($hjmc:tt)* ) )? )* )? )?
        $( in $ivh:tt $( $ivh2:ident )? $( ( $($ivc:tt)* ) )? $( . $ivm:tt $( ( $($ivmc:tt)* ) )? )* )?
    )&&+ )||+) => {
        // The tree and the shape of one match: `top` makes both (the shape becomes the
        // expression's plan), a group inside the tree (`tree`) or inside a shape (`node`) one.
        $crate::__awstin_cond_out!($mode [{
        #[allow(unused_imports)]
        use $crate::__private::prelude::*;
        $crate::__private::ChainStart $( .or($crate::__private::ChainStart $( .and($crate::__awstin_term!($f;
            neg[$( $nf $( ($($nfa)*) )? )?]
            group[$( ($($g)*) )?]
            head[$( $root $(. $m)* $([$i] $(. $n)*)* $( ($($args)*) )? )?]
            tail[
                $( == [$eqh $( $eqh2 )? $( ( $($eqc)* ) )? $( . $eqm $( ( $($eqmc)* ) )? )*] )?
                $( != [$neh $( $neh2 )? $( ( $($nec)* ) )? $( . $nem $( ( $($nemc)* ) )? )*] )?
                $( < [$lth $( $lth2 )? $( ( $($ltc)* ) )? $( . $ltm $( ( $($ltmc)* ) )? )*] )?
                $( <= [$leh $( $leh2 )? $( ( $($lec)* ) )? $( . $lem $( ( $($lemc)* ) )? )*] )?
                $( > [$gth $( $gth2 )? $( ( $($gtc)* ) )? $( . $gtm $( ( $($gtmc)* ) )? )*] )?
                $( >= [$geh $( $geh2 )? $( ( $($gec)* ) )? $( . $gem $( ( $($gemc)* ) )? )*] )?
                $( between [$loh $( $loh2 )? $( ( $($loc)* ) )? $( . $lom $( ( $($lomc)* ) )? )*] $( .. [$hih $( $hih2 )? $( ( $($hic)* ) )? $( . $him $( ( $($himc)* ) )? )*] )? $( ..= [$hjh $( $hjh2 )? $( ( $($hjc)* ) )? $( . $hjm $( ( $($hjmc)* ) )? )*] )? )?
                $( in [$ivh $( $ivh2 )? $( ( $($ivc)* ) )? $( . $ivm $( ( $($ivmc)* ) )? )*] )?
            ]
        )) )+ ) )+
    }] [
            $crate::__private::plan::Node::Or(&[ $( $crate::__private::plan::Node::And(&[ $( $crate::__awstin_plan_term!(
                neg[$( $nf $( ($($nfa)*) )? )?]
                group[$( ($($g)*) )?]
                head[$( $root $(. $m)* $([$i] $(. $n)*)* $( ($($args)*) )? )?]
                tail[
                    $( == [$eqh $( $eqh2 )? $( ( $($eqc)* ) )? $( . $eqm $( ( $($eqmc)* ) )? )*] )?
                    $( != [$neh $( $neh2 )? $( ( $($nec)* ) )? $( . $nem $( ( $($nemc)* ) )? )*] )?
                    $( < [$lth $( $lth2 )? $( ( $($ltc)* ) )? $( . $ltm $( ( $($ltmc)* ) )? )*] )?
                    $( <= [$leh $( $leh2 )? $( ( $($lec)* ) )? $( . $lem $( ( $($lemc)* ) )? )*] )?
                    $( > [$gth $( $gth2 )? $( ( $($gtc)* ) )? $( . $gtm $( ( $($gtmc)* ) )? )*] )?
                    $( >= [$geh $( $geh2 )? $( ( $($gec)* ) )? $( . $gem $( ( $($gemc)* ) )? )*] )?
                    $( between [$loh $( $loh2 )? $( ( $($loc)* ) )? $( . $lom $( ( $($lomc)* ) )? )*] $( .. [$hih $( $hih2 )? $( ( $($hic)* ) )? $( . $him $( ( $($himc)* ) )? )*] )? $( ..= [$hjh $( $hjh2 )? $( ( $($hjc)* ) )? $( . $hjm $( ( $($hjmc)* ) )? )*] )? )?
                    $( in [$ivh $( $ivh2 )? $( ( $($ivc)* ) )? $( . $ivm $( ( $($ivmc)* ) )? )*] )?
                ]
            ) ),+ ]) ),+ ])
        ])
    };
    // A group of a shape that does not match: no plan (the tree reports the error).
    (node $f:ident; $($other:tt)*) => {
        $crate::__private::plan::Node::Dynamic
    };
}

/// Picks what one match of `__awstin_cond!` makes: the tree, the shape, or both (the
/// expression's tree with the plan made of its shape).
#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_cond_out {
    (tree [$($tree:tt)*] [$($node:tt)*]) => {
        $($tree)*
    };
    (node [$($tree:tt)*] [$($node:tt)*]) => {
        $($node)*
    };
    (top [$($tree:tt)*] [$($node:tt)*]) => {
        $crate::__private::planned($crate::__awstin_plan_of!($($node)*), $($tree)*)
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_term {
    // !(cond)
    ($f:ident; neg[($($g:tt)*)] group[] head[] tail[]) => {
        $crate::__private::not($crate::__awstin_cond!(tree $f; $($g)*))
    };
    // !function(...)
    ($f:ident; neg[$func:ident ($($args:tt)*)] group[] head[] tail[]) => {
        $crate::__private::not($crate::__awstin_function!($f; $func ($($args)*)))
    };
    // (cond)
    ($f:ident; neg[] group[($($g:tt)*)] head[] tail[]) => {
        $crate::__awstin_cond!(tree $f; $($g)*)
    };
    // function(...)
    ($f:ident; neg[] group[] head[$func:ident ($($args:tt)*)] tail[]) => {
        $crate::__awstin_function!($f; $func ($($args)*))
    };
    // lhs between lo..hi, lhs between lo..=hi (both inclusive)
    ($f:ident; neg[] group[] head[$($lhs:tt)+] tail[between [$($lo:tt)+] $(..)? $(..=)? [$($hi:tt)+]]) => {
        $crate::__private::between(
            $crate::__awstin_lhs!($f; $($lhs)+),
            $crate::__awstin_rhs!($f; $($lo)+),
            $crate::__awstin_rhs!($f; $($hi)+),
        )
    };
    ($f:ident; neg[] group[] head[$($lhs:tt)+] tail[between [$lo:tt $($more:tt)*]]) => {{
        $crate::__awstin_error! {
            "`between` takes an inclusive range: `between low..high` or `between low..=high`"
            at $lo
        }
    }};
    // lhs in [..], lhs in values
    ($f:ident; neg[] group[] head[$($lhs:tt)+] tail[in [$list:tt]]) => {
        $crate::__awstin_in!($f; [$($lhs)+] $list $list)
    };
    ($f:ident; neg[] group[] head[$($lhs:tt)+] tail[in [$($values:tt)+]]) => {
        $crate::__private::in_values($crate::__awstin_lhs!($f; $($lhs)+), &$($values)+)
    };
    // lhs <cmp> rhs
    ($f:ident; neg[] group[] head[$($lhs:tt)+] tail[$op:tt [$($r:tt)+]]) => {
        $crate::__private::compare(
            $crate::__awstin_lhs!($f; $($lhs)+),
            $crate::__awstin_op!($op),
            $crate::__awstin_rhs!($f; $($r)+),
        )
    };
    ($f:ident; neg[] group[] head[$first:tt $($lhs:tt)*] tail[]) => {{
        $crate::__awstin_error! {
            "a path alone is not a condition: compare it (`==`, `<`, ...), or test it with a function such as attribute_exists(path)"
            at $first
        }
    }};
    ($f:ident; neg[] group[] head[$($lhs:tt)+] tail[$op:tt $r:tt $next:tt $($tail:tt)*]) => {{
        $crate::__awstin_error! {
            "one comparison per term: join comparisons with `&&` or `||`"
            at $next
        }
    }};
    ($f:ident; neg[$n:tt $($more:tt)*] group[$($g:tt)*] head[$($h:tt)*] tail[$($t:tt)*]) => {{
        $crate::__awstin_error! {
            "`!` applies to a parenthesised condition or a function call: write `!(a == b)` or `a != b`"
            at $n
        }
    }};
}

/// A condition function: `attribute_exists(p)`, `attribute_type(p, N)`, `contains(p, v)`, ...
#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_function {
    ($f:ident; attribute_type ($root:ident $(. $m:ident)* $([$i:tt] $(. $n:ident)*)* , $t:ident)) => {
        $crate::__private::cond_fn::attribute_type(
            $crate::__awstin_path!($f; $root $(. $m)* $([$i] $(. $n)*)*),
            $crate::__private::AttributeType::$t,
        )
    };
    ($f:ident; $func:ident ($root:ident $(. $m:ident)* $([$i:tt] $(. $n:ident)*)*
        $(, $($v:tt)+)?)) => {
        $crate::__private::cond_fn::$func(
            $crate::__awstin_path!($f; $root $(. $m)* $([$i] $(. $n)*)*)
            $(, $crate::__awstin_rhs!($f; $($v)+))?
        )
    };
}

/// The left side of a comparison: a path or `size(path)`.
#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_lhs {
    ($f:ident; size ($($p:tt)*)) => {
        $crate::__private::cond_fn::size($crate::__awstin_path!($f; $($p)*))
    };
    ($f:ident; $func:ident ($($args:tt)*)) => {{
        $crate::__awstin_error! {
            "only size(path) is an operand; other functions are conditions on their own"
            at $func
        }
    }};
    ($f:ident; $($p:tt)+) => {
        $crate::__awstin_path!($f; $($p)+)
    };
}

/// An operand on the right side of a comparison, a `between` bound or a function's second
/// argument: another attribute (`attr(path)`), `size(path)`, or a Rust value. A variable or
/// a field of one (`x`, `input.year`, `pair.0`) is borrowed; anything computed (a method
/// call, `(a + 1)`, `{ format!(..) }`, a literal) is owned by the expression, so no temporary
/// outlives its statement; `&expr` is a reference the expression holds.
#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_rhs {
    ($f:ident; attr ($($p:tt)*)) => {
        $crate::__awstin_path!($f; $($p)*)
    };
    ($f:ident; size ($($p:tt)*)) => {
        $crate::__private::cond_fn::size($crate::__awstin_path!($f; $($p)*))
    };
    ($f:ident; $($v:tt)+) => {
        $crate::__awstin_value!($($v)+)
    };
}

/// A Rust value as an operand. A variable or a field of one (`x`, `input.year`, `pair.0`) is
/// borrowed; anything computed (a method call, `(a + 1)`, `{ format!(..) }`, a literal) is
/// owned by the expression, so that no temporary has to outlive its statement; `&expr` is a
/// reference the expression holds.
#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_value {
    ($v:literal) => {
        $crate::__private::Val($v)
    };
    ($v:ident $(. $m:tt)*) => {
        $crate::__private::Val(&$v $(. $m)*)
    };
    ($($e:tt)+) => {
        $crate::__private::Val($($e)+)
    };
}

/// A comparison operator, as a type.
#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_op {
    (==) => {
        $crate::__private::op::Eq
    };
    (!=) => {
        $crate::__private::op::Ne
    };
    (<) => {
        $crate::__private::op::Lt
    };
    (<=) => {
        $crate::__private::op::Le
    };
    (>) => {
        $crate::__private::op::Gt
    };
    (>=) => {
        $crate::__private::op::Ge
    };
}

/// `lhs in [..]` and `lhs in values`; the list comes twice, the second copy to point an error
/// at.
#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_in {
    ($f:ident; [$($lhs:tt)+] [] $list:tt) => {{
        $crate::__awstin_error! { "`in` takes 1 to 100 values; `in []` has none" at $list }
    }};
    ($f:ident; [$($lhs:tt)+] [$($v:tt $(. $vm:tt)*),+ $(,)?] $list:tt) => {{
        let __awstin_lhs = $crate::__awstin_lhs!($f; $($lhs)+);
        $crate::__private::in_list(
            __awstin_lhs,
            [$( $crate::__private::in_item(&__awstin_lhs, &$v $(. $vm)*) ),+],
        )
    }};
    // A list holding another attribute (`in [attr(genre), "x"]`): its items as operands.
    ($f:ident; [$($lhs:tt)+]
        [$( $vh:tt $( $vh2:ident )? $( ( $($vc:tt)* ) )? $( . $vm:tt $( ( $($vmc:tt)* ) )? )* ),+ $(,)?]
        $list:tt) => {
        $crate::__private::in_operands(
            $crate::__awstin_lhs!($f; $($lhs)+),
            $crate::__private::InStart $( .item($crate::__awstin_rhs!($f;
                $vh $( $vh2 )? $( ( $($vc)* ) )? $( . $vm $( ( $($vmc)* ) )? )*
            )) )+,
        )
    };
    ($f:ident; [$($lhs:tt)+] $v:tt $list:tt) => {
        $crate::__private::in_values($crate::__awstin_lhs!($f; $($lhs)+), &$v)
    };
}
