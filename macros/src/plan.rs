//! The plan of a `cond!` condition: its shape as a constant `Node`, from which const
//! evaluation makes the expression's text when the program compiles (`awstin_core::plan`).
//!
//! `__awstin_cond!` and `__awstin_project!` match their input once and make both the
//! expression's tree and its shape; the macros here describe the parts they
//! matched. They never report an error of their own (an input they do not recognise is
//! `Node::Dynamic`, an expression without a plan), so a grammar error is reported once, by
//! the macros that build the tree.

/// The plan of an expression's shape: the constants of its text, made by const evaluation,
/// as an `Option<&'static Plan>`.
#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_plan_of {
    ($($node:tt)+) => {{
        const __AWSTIN_BUILT: $crate::__private::plan::Built =
            $crate::__private::plan::build(&$($node)+);
        const __AWSTIN_DATA: [u8; __AWSTIN_BUILT.data_len()] = __AWSTIN_BUILT.data();
        const __AWSTIN_PLAN: $crate::__private::core::option::Option<
            $crate::__private::plan::Plan,
        > = $crate::__private::plan::Plan::new(&__AWSTIN_BUILT, &__AWSTIN_DATA);
        $crate::__private::plan::Plan::of(&__AWSTIN_PLAN)
    }};
}

/// One term's shape, from the parts `__awstin_cond!` matched.
#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_plan_term {
    (neg[($($g:tt)*)] group[] head[] tail[]) => {
        $crate::__private::plan::Node::Not(&$crate::__awstin_cond!(node __awstin_f; $($g)*))
    };
    (neg[$func:ident ($($args:tt)*)] group[] head[] tail[]) => {
        $crate::__private::plan::Node::Not(&$crate::__awstin_plan_function!($func ($($args)*)))
    };
    (neg[] group[($($g:tt)*)] head[] tail[]) => {
        $crate::__awstin_cond!(node __awstin_f; $($g)*)
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

/// One action's shape, from the parts `__awstin_update!` matched.
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
