//! `update!`: update expressions.

/// Builds an update: `SET`, `REMOVE`, `ADD` and `DELETE` actions, comma-separated.
///
/// # Grammar
///
/// ```text
/// update!( $(Model:)? action, ... $(,)? )
///
/// action  := path = value                      // SET
///          | path += operand | path -= operand  // SET path = path + operand: atomic counter
///          | remove(path)                       // REMOVE: attribute, map member, list element
///          | add(path, operand)                 // ADD: to a number (missing = 0) or a set
///          | delete(path, operand)              // DELETE: elements from a set
/// value   := operand | operand + operand | operand - operand
/// operand := literal | ident ( .field )*         // a value: borrowed when a variable or field
///          | &expr | expr.method(args) | f(args) | (rust expression) | {rust expression}
///          | attr(path)                         // another attribute's current value
///          | if_not_exists(path, operand)
///          | list_append(operand, operand)      // either order: append or prepend
/// ```
///
/// Values are checked against the attribute's Rust type, `+`/`-` take numbers, `ADD` numbers
/// and sets, `DELETE` sets; updating a key attribute does not compile. Two actions on the same
/// path, on a path and its ancestor (`info`, `info.rating`), or on `a.b` and `a[1]` are
/// reported as an error when rendering, before anything is sent. Every action reads the item
/// as it was before the update. Operands are those of [`cond!`](crate::cond): fields of a
/// parsed input are borrowed, computed values are owned by the update.
///
/// # Example
///
/// ```
/// use awstin::{dynamo_model, update};
/// use awstin::Request;
///
/// dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr info: Info } }
/// dynamo_model! { pub struct Info { attr rating: f64; attr actors: Vec<String>; attr plays: u64; } }
///
/// let (more, zero, one) = (vec!["Shemp".to_string()], 0, 1);
/// let u = Movie::expr(update!(
///     info.rating += 1,
///     info.actors = list_append(attr(info.actors), more),
///     info.plays = if_not_exists(info.plays, zero) + one,
/// ));
/// let mut text = heapless::String::<256>::new();
/// Request::<8, 8>::new().update(&u, &mut text)?;
/// assert_eq!(
///     text,
///     "SET #n0.#n1 = #n0.#n1 + :v0, #n0.#n2 = list_append(#n0.#n2, :v1), \
///      #n0.#n3 = if_not_exists(#n0.#n3, :v2) + :v3"
/// );
/// # Ok::<(), awstin::expr::Error>(())
/// ```
#[macro_export]
macro_rules! update {
    ($($model:ident)::+ : $($body:tt)+) => {
        |__awstin_f: &'static <$($model)::+ as $crate::__private::Document>::Fields| {
            $crate::__awstin_update!(__awstin_f; $($body)+)
        }
    };
    ($($body:tt)+) => {
        |__awstin_f| $crate::__awstin_update!(__awstin_f; $($body)+)
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_update {
    // Operands are matched as in `cond!` (a head token, an identifier after `&`, an optional
    // call, `.member` and `.method(args)` links) and reach `__awstin_action!` bracketed.
    ($f:ident; $(
        $root:ident $( . $m:ident )* $( [ $i:tt ] $( . $n:ident )* )* $( ( $($args:tt)* ) )?
        $( = $ah:tt $( $ah2:ident )? $( ( $($ac:tt)* ) )? $( . $am:tt $( ( $($amc:tt)* ) )? )* $( + $bh:tt $( $bh2:ident )? $( ( $($bc:tt)* ) )? $( . $bm:tt $( ( $($bmc:tt)* ) )? )* )? $( - $ch:tt $( $ch2:ident )? $( ( $($cc:tt)* ) )? $( . $cm:tt $( ( $($cmc:tt)* ) )? )* )? )?
        $( += $ph:tt $( $ph2:ident )? $( ( $($pc:tt)* ) )? $( . $pm:tt $( ( $($pmc:tt)* ) )? )* )?
        $( -= $qh:tt $( $qh2:ident )? $( ( $($qc:tt)* ) )? $( . $qm:tt $( ( $($qmc:tt)* ) )? )* )?
    ),+ $(,)?) => {{
        #[allow(unused_imports)]
        use $crate::__private::prelude::*;
        $crate::__private::planned(
            $crate::__awstin_plan_of!($crate::__private::plan::Node::Update(&[ $( $crate::__awstin_plan_action!(
                target[$root $(. $m)* $([$i] $(. $n)*)*]
                args[$( ($($args)*) )?]
                rhs[
                    $( = [$ah $( $ah2 )? $( ( $($ac)* ) )? $( . $am $( ( $($amc)* ) )? )*] $( + [$bh $( $bh2 )? $( ( $($bc)* ) )? $( . $bm $( ( $($bmc)* ) )? )*] )? $( - [$ch $( $ch2 )? $( ( $($cc)* ) )? $( . $cm $( ( $($cmc)* ) )? )*] )? )?
                    $( += [$ph $( $ph2 )? $( ( $($pc)* ) )? $( . $pm $( ( $($pmc)* ) )? )*] )?
                    $( -= [$qh $( $qh2 )? $( ( $($qc)* ) )? $( . $qm $( ( $($qmc)* ) )? )*] )?
                ]
            ) ),+ ])),
            $crate::__private::ChainStart $( .then($crate::__awstin_action!($f;
                target[$root $(. $m)* $([$i] $(. $n)*)*]
                args[$( ($($args)*) )?]
                rhs[
                    $( = [$ah $( $ah2 )? $( ( $($ac)* ) )? $( . $am $( ( $($amc)* ) )? )*] $( + [$bh $( $bh2 )? $( ( $($bc)* ) )? $( . $bm $( ( $($bmc)* ) )? )*] )? $( - [$ch $( $ch2 )? $( ( $($cc)* ) )? $( . $cm $( ( $($cmc)* ) )? )*] )? )?
                    $( += [$ph $( $ph2 )? $( ( $($pc)* ) )? $( . $pm $( ( $($pmc)* ) )? )*] )?
                    $( -= [$qh $( $qh2 )? $( ( $($qc)* ) )? $( . $qm $( ( $($qmc)* ) )? )*] )?
                ]
            )) )+
        )
    }};
}

#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_action {
    // remove(path), add(path, v), delete(path, v), set(path, v)
    ($f:ident; target[$func:ident] args[($root:ident $(. $m:ident)* $([$i:tt] $(. $n:ident)*)* $(, $($v:tt)+)?)] rhs[]) => {
        $crate::__private::update_fn::$func(
            $crate::__awstin_path!($f; $root $(. $m)* $([$i] $(. $n)*)*)
            $(, $crate::__awstin_value!($($v)+))?
        )
    };
    ($f:ident; target[$($t:tt)+] args[] rhs[= [$($a:tt)+]]) => {
        $crate::__private::update_fn::set(
            $crate::__awstin_path!($f; $($t)+),
            $crate::__awstin_operand!($f; $($a)+),
        )
    };
    ($f:ident; target[$($t:tt)+] args[] rhs[= [$($a:tt)+] + [$($b:tt)+]]) => {
        $crate::__private::update_fn::set(
            $crate::__awstin_path!($f; $($t)+),
            $crate::__private::update_fn::plus(
                $crate::__awstin_operand!($f; $($a)+),
                $crate::__awstin_operand!($f; $($b)+),
            ),
        )
    };
    ($f:ident; target[$($t:tt)+] args[] rhs[= [$($a:tt)+] - [$($b:tt)+]]) => {
        $crate::__private::update_fn::set(
            $crate::__awstin_path!($f; $($t)+),
            $crate::__private::update_fn::minus(
                $crate::__awstin_operand!($f; $($a)+),
                $crate::__awstin_operand!($f; $($b)+),
            ),
        )
    };
    ($f:ident; target[$($t:tt)+] args[] rhs[+= [$($p:tt)+]]) => {{
        let __awstin_p = $crate::__awstin_path!($f; $($t)+);
        $crate::__private::update_fn::set(
            __awstin_p,
            $crate::__private::update_fn::plus(__awstin_p, $crate::__awstin_operand!($f; $($p)+)),
        )
    }};
    ($f:ident; target[$($t:tt)+] args[] rhs[-= [$($p:tt)+]]) => {{
        let __awstin_p = $crate::__awstin_path!($f; $($t)+);
        $crate::__private::update_fn::set(
            __awstin_p,
            $crate::__private::update_fn::minus(__awstin_p, $crate::__awstin_operand!($f; $($p)+)),
        )
    }};
    ($f:ident; target[$first:tt $($t:tt)*] args[] rhs[]) => {{
        $crate::__awstin_error! {
            "an update action is `path = value`, `path += value`, `path -= value`, remove(path), add(path, value) or delete(path, value)"
            at $first
        }
    }};
    ($f:ident; target[$first:tt $($t:tt)*] args[$($a:tt)*] rhs[$($r:tt)*]) => {{
        $crate::__awstin_error! {
            "one action per comma-separated item: `path = a`, `path = a + b`, `path = a - b`, `path += a`, remove(path), add(path, v), delete(path, v)"
            at $first
        }
    }};
}

/// An operand of a SET value.
#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_operand {
    ($f:ident; attr ($($p:tt)*)) => {
        $crate::__awstin_path!($f; $($p)*)
    };
    ($f:ident; if_not_exists ($root:ident $(. $m:ident)* $([$i:tt] $(. $n:ident)*)* , $($v:tt)+)) => {
        $crate::__private::update_fn::if_not_exists(
            $crate::__awstin_path!($f; $root $(. $m)* $([$i] $(. $n)*)*),
            $crate::__awstin_operand!($f; $($v)+),
        )
    };
    ($f:ident; list_append (
        $ah:tt $( $ah2:ident )? $( ( $($ac:tt)* ) )? $( . $am:tt $( ( $($amc:tt)* ) )? )* ,
        $($b:tt)+
    )) => {
        $crate::__private::update_fn::list_append(
            $crate::__awstin_operand!($f; $ah $( $ah2 )? $( ( $($ac)* ) )? $( . $am $( ( $($amc)* ) )? )*),
            $crate::__awstin_operand!($f; $($b)+),
        )
    };
    ($f:ident; $($v:tt)+) => {
        $crate::__awstin_value!($($v)+)
    };
}
