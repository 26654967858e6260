//! `project!`: projection expressions.

/// Builds a projection: the attributes and nested paths a read returns.
///
/// # Grammar
///
/// ```text
/// project!( $(Model:)? path, ... $(,)? )
/// path := attr ( .member | [index] | ["map key"] )*
/// ```
///
/// Paths are checked against the model; overlapping paths (`info` with `info.rating`) are an
/// error when rendering, as DynamoDB would reject them.
///
/// # Example
///
/// ```
/// use awstin::{dynamo_model, project};
/// use awstin::Request;
///
/// dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr info: Info } }
/// dynamo_model! { pub struct Info { attr rating: f64; attr actors: Vec<String>; } }
///
/// let p = Movie::expr(project!(year, title, info.actors[0]));
/// let mut text = heapless::String::<64>::new();
/// Request::<8, 8>::new().projection(&p, &mut text)?;
/// assert_eq!(text, "#n0, #n1, #n2.#n3[0]");
/// # Ok::<(), awstin::expr::Error>(())
/// ```
#[macro_export]
macro_rules! project {
    ($($model:ident)::+ : $($body:tt)+) => {
        |__awstin_f: &'static <$($model)::+ as $crate::__private::Document>::Fields| {
            $crate::__awstin_project!(__awstin_f; $($body)+)
        }
    };
    ($($body:tt)+) => {
        |__awstin_f| $crate::__awstin_project!(__awstin_f; $($body)+)
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_project {
    ($f:ident; $( $root:ident $( . $m:ident )* $( [ $i:tt ] $( . $n:ident )* )* ),+ $(,)?) => {{
        #[allow(unused_imports)]
        use $crate::__private::prelude::*;
        $crate::__private::planned(
            $crate::__awstin_plan_of!($crate::__private::plan::Node::Projection(&[$(
                $crate::__private::plan::Operand::Path(
                    $crate::__awstin_plan_segments!($root $(. $m)* $([$i] $(. $n)*)*)
                )
            ),+])),
            $crate::__private::ChainStart $( .also($crate::__awstin_path!($f; $root $(. $m)* $([$i] $(. $n)*)*)) )+,
        )
    }};
}
