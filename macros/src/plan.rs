//! The plan of a `cond!` condition: its shape as a constant `Node`, from which const
//! evaluation makes the expression's text when the program compiles (`awstin_core::plan`).
//!
//! The macros here read the tokens `cond!` reads and describe them; they never report an
//! error of their own (an input they do not recognise is `Node::Dynamic`, a condition
//! without a plan), so a grammar error is reported once, by `__awstin_cond!`.

/// A condition's tree with its plan: the constants of its text, and the tree that holds its
/// values.
#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_planned {
    ($f:ident; @update $($body:tt)+) => {
        $crate::__awstin_planned!(@plan $f; [$crate::__awstin_update_plan!($($body)+)] [$crate::__awstin_update!($f; $($body)+)])
    };
    ($f:ident; $($body:tt)+) => {
        $crate::__awstin_planned!(@plan $f; [$crate::__awstin_plan!($($body)+)] [$crate::__awstin_cond!($f; $($body)+)])
    };
    (@plan $f:ident; [$($node:tt)+] [$($tree:tt)+]) => {{
        const __AWSTIN_NODE: $crate::__private::plan::Node = $($node)+;
        const __AWSTIN_COUNTS: $crate::__private::plan::Counts =
            $crate::__private::plan::counts(&__AWSTIN_NODE);
        const __AWSTIN_NAMES: [u16; __AWSTIN_COUNTS.names] =
            $crate::__private::plan::name_slots(&__AWSTIN_NODE);
        const __AWSTIN_VALUES: [u16; __AWSTIN_COUNTS.values] =
            $crate::__private::plan::value_slots(&__AWSTIN_NODE);
        const __AWSTIN_TEXT: [u8; $crate::__private::plan::text_len(
            &__AWSTIN_NODE,
            &__AWSTIN_NAMES,
            &__AWSTIN_VALUES,
        )] = $crate::__private::plan::text(&__AWSTIN_NODE, &__AWSTIN_NAMES, &__AWSTIN_VALUES);
        const __AWSTIN_PLAN: $crate::__private::core::option::Option<
            $crate::__private::plan::Plan,
        > = $crate::__private::plan::Plan::new(
            &__AWSTIN_NODE,
            &__AWSTIN_TEXT,
            &__AWSTIN_NAMES,
            &__AWSTIN_VALUES,
        );
        $crate::__private::planned($crate::__private::plan::Plan::of(&__AWSTIN_PLAN), $($tree)+)
    }};
}

/// A condition's shape: `||` around `&&` around terms, matched as `__awstin_cond!` matches
/// them.
#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_plan {
    ($( $(
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
    };
    ($($other:tt)*) => {
        $crate::__private::plan::Node::Dynamic
    };
}

/// One term's shape, from the parts `__awstin_plan!` matched.
#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_plan_term {
    (neg[($($g:tt)*)] group[] head[] tail[]) => {
        $crate::__private::plan::Node::Not(&$crate::__awstin_plan!($($g)*))
    };
    (neg[$func:ident ($($args:tt)*)] group[] head[] tail[]) => {
        $crate::__private::plan::Node::Not(&$crate::__awstin_plan_function!($func ($($args)*)))
    };
    (neg[] group[($($g:tt)*)] head[] tail[]) => {
        $crate::__awstin_plan!($($g)*)
    };
    (neg[] group[] head[$func:ident ($($args:tt)*)] tail[]) => {
        $crate::__awstin_plan_function!($func ($($args)*))
    };
    (neg[] group[] head[$($lhs:tt)+] tail[between [$($lo:tt)+] $(..)? $(..=)? [$($hi:tt)+]]) => {
        $crate::__private::plan::Node::Between(
            $crate::__awstin_plan_lhs!($($lhs)+),
            $crate::__awstin_plan_rhs!($($lo)+),
            $crate::__awstin_plan_rhs!($($hi)+),
        )
    };
    (neg[] group[] head[$($lhs:tt)+] tail[in [[$( $vh:tt $( $vh2:ident )? $( ( $($vc:tt)* ) )? $( . $vm:tt $( ( $($vmc:tt)* ) )? )* ),+ $(,)?]]]) => {
        $crate::__private::plan::Node::In(
            $crate::__awstin_plan_lhs!($($lhs)+),
            &[$( $crate::__awstin_plan_rhs!($vh $( $vh2 )? $( ( $($vc)* ) )? $( . $vm $( ( $($vmc)* ) )? )*) ),+],
        )
    };
    (neg[] group[] head[$($lhs:tt)+] tail[in [$($values:tt)*]]) => {
        $crate::__private::plan::Node::Dynamic
    };
    (neg[] group[] head[$($lhs:tt)+] tail[$op:tt [$($r:tt)+]]) => {
        $crate::__private::plan::Node::Compare(
            $crate::__awstin_plan_lhs!($($lhs)+),
            $crate::__awstin_plan_op!($op),
            $crate::__awstin_plan_rhs!($($r)+),
        )
    };
    ($($other:tt)*) => {
        $crate::__private::plan::Node::Dynamic
    };
}

/// A function term's shape: DynamoDB's functions by name.
#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_plan_function {
    (attribute_type ($root:ident $(. $m:ident)* $([$i:tt] $(. $n:ident)*)* , $t:ident)) => {
        $crate::__private::plan::Node::Function("attribute_type", &[
            $crate::__private::plan::Operand::Path($crate::__awstin_plan_segments!($root $(. $m)* $([$i] $(. $n)*)*)),
            $crate::__private::plan::Operand::Value($crate::__private::core::option::Option::None),
        ])
    };
    ($func:ident ($root:ident $(. $m:ident)* $([$i:tt] $(. $n:ident)*)* $(, $($v:tt)+)?)) => {
        $crate::__awstin_plan_call!($func [
            $crate::__private::plan::Operand::Path($crate::__awstin_plan_segments!($root $(. $m)* $([$i] $(. $n)*)*))
            $(, $crate::__awstin_plan_rhs!($($v)+))?
        ])
    };
    ($($other:tt)*) => {
        $crate::__private::plan::Node::Dynamic
    };
}

/// A function's node, for the functions whose text is their name.
#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_plan_call {
    (attribute_exists [$($args:tt)*]) => {
        $crate::__private::plan::Node::Function("attribute_exists", &[$($args)*])
    };
    (attribute_not_exists [$($args:tt)*]) => {
        $crate::__private::plan::Node::Function("attribute_not_exists", &[$($args)*])
    };
    (begins_with [$($args:tt)*]) => {
        $crate::__private::plan::Node::Function("begins_with", &[$($args)*])
    };
    (contains [$($args:tt)*]) => {
        $crate::__private::plan::Node::Function("contains", &[$($args)*])
    };
    ($($other:tt)*) => {
        $crate::__private::plan::Node::Dynamic
    };
}

/// A path's segments, as written.
#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_plan_segments {
    ($root:ident $(. $m:ident)* $([$i:tt] $(. $n:ident)*)*) => {
        &[
            $crate::__private::plan::Segment::Name($crate::__private::core::stringify!($root))
            $(, $crate::__private::plan::Segment::Name($crate::__private::core::stringify!($m)))*
            $(
                , $crate::__private::plan::Segment::of_index($crate::__private::core::stringify!($i))
                $(, $crate::__private::plan::Segment::Name($crate::__private::core::stringify!($n)))*
            )*
        ]
    };
    ($($other:tt)*) => {
        &[$crate::__private::plan::Segment::Dynamic]
    };
}

/// The left side of a comparison: a path or `size(path)`.
#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_plan_lhs {
    (size ($($p:tt)*)) => {
        $crate::__private::plan::Operand::Size($crate::__awstin_plan_segments!($($p)*))
    };
    ($($p:tt)+) => {
        $crate::__private::plan::Operand::Path($crate::__awstin_plan_segments!($($p)+))
    };
}

/// An operand on the right: another attribute, `size(path)`, or a value: a variable or a
/// field of one (borrowed, as `__awstin_value!` borrows it) named by its tokens, any other
/// value its own.
#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_plan_rhs {
    (attr ($($p:tt)*)) => {
        $crate::__private::plan::Operand::Path($crate::__awstin_plan_segments!($($p)*))
    };
    (size ($($p:tt)*)) => {
        $crate::__private::plan::Operand::Size($crate::__awstin_plan_segments!($($p)*))
    };
    ($($v:tt)+) => {
        $crate::__awstin_plan_value!($($v)+)
    };
}

/// A comparison operator's text.
#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_plan_op {
    (==) => {
        " = "
    };
    (!=) => {
        " <> "
    };
    (<) => {
        " < "
    };
    (<=) => {
        " <= "
    };
    (>) => {
        " > "
    };
    (>=) => {
        " >= "
    };
    ($($other:tt)*) => {
        " "
    };
}

/// An update's shape: its actions, matched as `__awstin_update!` matches them.
#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_update_plan {
    ($(
        $root:ident $( . $m:ident )* $( [ $i:tt ] $( . $n:ident )* )* $( ( $($args:tt)* ) )?
        $( = $ah:tt $( $ah2:ident )? $( ( $($ac:tt)* ) )? $( . $am:tt $( ( $($amc:tt)* ) )? )* $( + $bh:tt $( $bh2:ident )? $( ( $($bc:tt)* ) )? $( . $bm:tt $( ( $($bmc:tt)* ) )? )* )? $( - $ch:tt $( $ch2:ident )? $( ( $($cc:tt)* ) )? $( . $cm:tt $( ( $($cmc:tt)* ) )? )* )? )?
        $( += $ph:tt $( $ph2:ident )? $( ( $($pc:tt)* ) )? $( . $pm:tt $( ( $($pmc:tt)* ) )? )* )?
        $( -= $qh:tt $( $qh2:ident )? $( ( $($qc:tt)* ) )? $( . $qm:tt $( ( $($qmc:tt)* ) )? )* )?
    ),+ $(,)?) => {
        $crate::__private::plan::Node::Update(&[ $( $crate::__awstin_plan_action!(
            target[$root $(. $m)* $([$i] $(. $n)*)*]
            args[$( ($($args)*) )?]
            rhs[
                $( = [$ah $( $ah2 )? $( ( $($ac)* ) )? $( . $am $( ( $($amc)* ) )? )*] $( + [$bh $( $bh2 )? $( ( $($bc)* ) )? $( . $bm $( ( $($bmc)* ) )? )*] )? $( - [$ch $( $ch2 )? $( ( $($cc)* ) )? $( . $cm $( ( $($cmc)* ) )? )*] )? )?
                $( += [$ph $( $ph2 )? $( ( $($pc)* ) )? $( . $pm $( ( $($pmc)* ) )? )*] )?
                $( -= [$qh $( $qh2 )? $( ( $($qc)* ) )? $( . $qm $( ( $($qmc)* ) )? )*] )?
            ]
        ) ),+ ])
    };
    ($($other:tt)*) => {
        $crate::__private::plan::Node::Dynamic
    };
}

/// One action's shape, from the parts `__awstin_update_plan!` matched.
#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_plan_action {
    (target[remove] args[($($p:tt)+)] rhs[]) => {
        $crate::__private::plan::Action::Remove($crate::__awstin_plan_segments!($($p)+))
    };
    (target[set] args[($root:ident $(. $m:ident)* $([$i:tt] $(. $n:ident)*)* , $($v:tt)+)] rhs[]) => {
        $crate::__private::plan::Action::Set(
            $crate::__awstin_plan_segments!($root $(. $m)* $([$i] $(. $n)*)*),
            $crate::__awstin_plan_value!($($v)+),
        )
    };
    (target[add] args[($root:ident $(. $m:ident)* $([$i:tt] $(. $n:ident)*)* , $($v:tt)+)] rhs[]) => {
        $crate::__private::plan::Action::Add(
            $crate::__awstin_plan_segments!($root $(. $m)* $([$i] $(. $n)*)*),
            $crate::__awstin_plan_value!($($v)+),
        )
    };
    (target[delete] args[($root:ident $(. $m:ident)* $([$i:tt] $(. $n:ident)*)* , $($v:tt)+)] rhs[]) => {
        $crate::__private::plan::Action::Delete(
            $crate::__awstin_plan_segments!($root $(. $m)* $([$i] $(. $n)*)*),
            $crate::__awstin_plan_value!($($v)+),
        )
    };
    (target[$($t:tt)+] args[] rhs[= [$($a:tt)+]]) => {
        $crate::__private::plan::Action::Set(
            $crate::__awstin_plan_segments!($($t)+),
            $crate::__awstin_plan_operand!($($a)+),
        )
    };
    (target[$($t:tt)+] args[] rhs[= [$($a:tt)+] + [$($b:tt)+]]) => {
        $crate::__private::plan::Action::Set(
            $crate::__awstin_plan_segments!($($t)+),
            $crate::__private::plan::Operand::Infix(" + ", &[
                $crate::__awstin_plan_operand!($($a)+),
                $crate::__awstin_plan_operand!($($b)+),
            ]),
        )
    };
    (target[$($t:tt)+] args[] rhs[= [$($a:tt)+] - [$($b:tt)+]]) => {
        $crate::__private::plan::Action::Set(
            $crate::__awstin_plan_segments!($($t)+),
            $crate::__private::plan::Operand::Infix(" - ", &[
                $crate::__awstin_plan_operand!($($a)+),
                $crate::__awstin_plan_operand!($($b)+),
            ]),
        )
    };
    (target[$($t:tt)+] args[] rhs[+= [$($p:tt)+]]) => {
        $crate::__private::plan::Action::Set(
            $crate::__awstin_plan_segments!($($t)+),
            $crate::__private::plan::Operand::Infix(" + ", &[
                $crate::__private::plan::Operand::Path($crate::__awstin_plan_segments!($($t)+)),
                $crate::__awstin_plan_operand!($($p)+),
            ]),
        )
    };
    (target[$($t:tt)+] args[] rhs[-= [$($p:tt)+]]) => {
        $crate::__private::plan::Action::Set(
            $crate::__awstin_plan_segments!($($t)+),
            $crate::__private::plan::Operand::Infix(" - ", &[
                $crate::__private::plan::Operand::Path($crate::__awstin_plan_segments!($($t)+)),
                $crate::__awstin_plan_operand!($($p)+),
            ]),
        )
    };
    ($($other:tt)*) => {
        $crate::__private::plan::Action::Dynamic
    };
}

/// An operand of a `SET` value, as `__awstin_operand!` reads it.
#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_plan_operand {
    (attr ($($p:tt)*)) => {
        $crate::__private::plan::Operand::Path($crate::__awstin_plan_segments!($($p)*))
    };
    (if_not_exists ($root:ident $(. $m:ident)* $([$i:tt] $(. $n:ident)*)* , $($v:tt)+)) => {
        $crate::__private::plan::Operand::Call("if_not_exists", &[
            $crate::__private::plan::Operand::Path($crate::__awstin_plan_segments!($root $(. $m)* $([$i] $(. $n)*)*)),
            $crate::__awstin_plan_operand!($($v)+),
        ])
    };
    (list_append (
        $ah:tt $( $ah2:ident )? $( ( $($ac:tt)* ) )? $( . $am:tt $( ( $($amc:tt)* ) )? )* ,
        $($b:tt)+
    )) => {
        $crate::__private::plan::Operand::Call("list_append", &[
            $crate::__awstin_plan_operand!($ah $( $ah2 )? $( ( $($ac)* ) )? $( . $am $( ( $($amc)* ) )? )*),
            $crate::__awstin_plan_operand!($($b)+),
        ])
    };
    ($($v:tt)+) => {
        $crate::__awstin_plan_value!($($v)+)
    };
}

/// A value, as `__awstin_value!` takes it: a variable or a field of one, named by its tokens;
/// any other value its own.
#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_plan_value {
    ($v:literal) => {
        $crate::__private::plan::Operand::Value($crate::__private::core::option::Option::None)
    };
    ($v:ident $(. $m:tt)*) => {
        $crate::__private::plan::Operand::Value($crate::__private::core::option::Option::Some(
            $crate::__private::core::stringify!($v $(. $m)*),
        ))
    };
    ($($e:tt)+) => {
        $crate::__private::plan::Operand::Value($crate::__private::core::option::Option::None)
    };
}
