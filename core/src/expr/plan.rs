//! Expression text made when the program compiles.
//!
//! `cond!` (`project!`, `update!`) describes the shape of its expression as a constant
//! [`Node`]: the operators, the
//! paths (their segments as written), and which operands are values, each value that is a
//! variable or a field of one named by its tokens. Const evaluation turns the node into a
//! [`Plan`] in one walk ([`build`]): the expression's text with its placeholders numbered from 0, and the placeholder
//! each name and each value of the condition takes, in the order a walk of the condition
//! meets them. A path written twice is one set of name placeholders; a variable or field
//! written twice is one value placeholder. The plan is made once, by the compiler, as
//! `&'static` data: no heap, so the `no_std` core keeps it.
//!
//! At run time a request walks the condition for its names and values only (checking them as
//! the renderer does) and copies the plan's text. Where the request's tables already hold
//! names or values (a filter after a key condition), or two paths name one attribute, the
//! placeholders' numbers are mapped to the request's as the text is copied. A condition whose
//! shape is known only at run time (`in values` over a slice, a path index held in a
//! variable) has no plan and is rendered.
//!
//! ```
//! use awstin_core::plan::{Node, Operand, Plan, Segment};
//! const NODE: Node = Node::And(&[
//!     Node::Compare(Operand::Path(&[Segment::Name("year")]), " = ", Operand::Value(Some("y"))),
//!     Node::Between(
//!         Operand::Path(&[Segment::Name("title")]),
//!         Operand::Value(Some("a")),
//!         Operand::Value(None),
//!     ),
//! ]);
//! const BUILT: awstin_core::plan::Built = awstin_core::plan::build(&NODE);
//! const TEXT: [u8; BUILT.text_len()] = BUILT.text();
//! const PLAN: Plan = Plan {
//!     ok: BUILT.ok(),
//!     text: awstin_core::plan::text_of(&TEXT),
//!     names: &BUILT.names::<{ BUILT.names_len() }>(),
//!     values: &BUILT.values::<{ BUILT.values_len() }>(),
//! };
//! assert_eq!(PLAN.text(), "#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2");
//! ```

use crate::expr::model::str_eq;

/// The shape of a condition, as `cond!` writes it.
#[derive(Debug, Clone, Copy)]
pub enum Node {
    /// Alternatives joined by `OR`.
    Or(&'static [Node]),
    /// Terms joined by `AND`.
    And(&'static [Node]),
    /// `NOT` of a condition.
    Not(&'static Node),
    /// A comparison, with its operator's text (` = `, ` <> `, ` < `, ...).
    Compare(Operand, &'static str, Operand),
    /// `lhs BETWEEN low AND high`.
    Between(Operand, Operand, Operand),
    /// `lhs IN (items)`, over a list written out.
    In(Operand, &'static [Operand]),
    /// A function of DynamoDB's (`attribute_exists`, `begins_with`, ...) and its arguments.
    Function(&'static str, &'static [Operand]),
    /// A projection's paths, in the order written.
    Projection(&'static [Operand]),
    /// An update's actions, in the order written (its text groups them by clause: `SET`,
    /// `REMOVE`, `ADD`, `DELETE`).
    Update(&'static [Action]),
    /// A part whose shape is known only at run time: the condition has no plan.
    Dynamic,
}

/// An action of an update, as `update!` writes it.
#[derive(Debug, Clone, Copy)]
pub enum Action {
    /// `SET path = value`.
    Set(&'static [Segment], Operand),
    /// `REMOVE path`.
    Remove(&'static [Segment]),
    /// `ADD path value`.
    Add(&'static [Segment], Operand),
    /// `DELETE path value`.
    Delete(&'static [Segment], Operand),
    /// An action the plan does not know: the update has no plan.
    Dynamic,
}

impl Action {
    /// The action's clause: 0 `SET`, 1 `REMOVE`, 2 `ADD`, 3 `DELETE`.
    const fn clause(&self) -> usize {
        match self {
            Action::Set(..) | Action::Dynamic => 0,
            Action::Remove(_) => 1,
            Action::Add(..) => 2,
            Action::Delete(..) => 3,
        }
    }
}

/// The keywords of the clauses, in the order an update's text has them.
const CLAUSES: [&str; 4] = ["SET ", "REMOVE ", "ADD ", "DELETE "];

/// An operand of a [`Node`].
#[derive(Debug, Clone, Copy)]
pub enum Operand {
    /// A document path.
    Path(&'static [Segment]),
    /// `size(path)`.
    Size(&'static [Segment]),
    /// A value: `Some(tokens)` for a variable or a field of one (one placeholder however
    /// often it is written), `None` for a value of its own (a literal, a computed value).
    Value(Option<&'static str>),
    /// `a + b` or `a - b` in an update's `SET`, with the operator's text (` + `).
    Infix(&'static str, &'static [Operand]),
    /// `if_not_exists(path, value)` or `list_append(a, b)` in an update's `SET`.
    Call(&'static str, &'static [Operand]),
}

/// A segment of a path, as written.
#[derive(Debug, Clone, Copy)]
pub enum Segment {
    /// A name: an attribute or member (`info`), or a map key (`"key"`, quotes included).
    Name(&'static str),
    /// A list index, its decimal digits.
    Index(&'static str),
    /// An index or key held in a variable: known only at run time.
    Dynamic,
}

impl Segment {
    /// The segment `[tokens]` is: a list index when the tokens are decimal digits, a map key
    /// when they are a string literal, else known only at run time.
    ///
    /// ```
    /// use awstin_core::plan::Segment;
    /// assert!(matches!(Segment::of_index("3"), Segment::Index("3")));
    /// assert!(matches!(Segment::of_index("\"k\""), Segment::Name(_)));
    /// assert!(matches!(Segment::of_index("i"), Segment::Dynamic));
    /// ```
    pub const fn of_index(tokens: &'static str) -> Segment {
        let b = tokens.as_bytes();
        if b.is_empty() {
            return Segment::Dynamic;
        }
        if b[0] == b'"' {
            return Segment::Name(tokens);
        }
        let mut i = 0;
        while i < b.len() {
            if !b[i].is_ascii_digit() {
                return Segment::Dynamic;
            }
            i += 1;
        }
        // Leading zeros are written by the renderer as the number's decimal: not planned.
        if b.len() > 1 && b[0] == b'0' {
            return Segment::Dynamic;
        }
        Segment::Index(tokens)
    }
}

/// The most distinct names, and the most distinct values, a plan may have; a condition with
/// more is rendered.
pub const MAX_PLANNED: usize = 64;

/// The longest text a plan holds: twice DynamoDB's 4,096 bytes (a text of a request that
/// already holds names and values is renumbered, and its length checked then). A longer
/// expression is rendered, and refused with its length.
pub const MAX_PLANNED_TEXT: usize = 8192;

/// The most name occurrences, and the most value occurrences, a plan holds (a path written
/// twice is two occurrences of one placeholder).
pub const MAX_OCCURRENCES: usize = 512;

/// A name occurrence: a path and the index of one of its name segments.
type NameAt = (&'static [Segment], usize);

/// A [`Node`]'s plan as one walk of const evaluation makes it, in buffers of fixed capacity:
/// the text, and the placeholder each name and each value occurrence takes. The macros copy
/// each part into a constant of its own length ([`Built::text`], [`Built::names`],
/// [`Built::values`]), from which they make the [`Plan`]; this value itself is never in
/// the program.
///
/// ```
/// use awstin_core::plan::{build, Built, Node, Operand, Segment};
/// const B: Built = build(&Node::Compare(Operand::Size(&[Segment::Name("a"), Segment::Index("3")]), " > ", Operand::Value(None)));
/// assert_eq!(&B.text::<18>(), b"size(#n0[3]) > :v0");
/// assert_eq!((B.text_len(), B.names_len(), B.values_len()), (18, 1, 1));
/// assert!(!build(&Node::Dynamic).ok());
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Built {
    ok: bool,
    text: [u8; MAX_PLANNED_TEXT],
    text_len: usize,
    names: [u16; MAX_OCCURRENCES],
    names_len: usize,
    values: [u16; MAX_OCCURRENCES],
    values_len: usize,
}

impl Built {
    /// Whether the node has a plan: no part known only at run time, at most
    /// [`MAX_PLANNED`] distinct names and values, [`MAX_OCCURRENCES`] occurrences and
    /// [`MAX_PLANNED_TEXT`] bytes of text.
    pub const fn ok(&self) -> bool {
        self.ok
    }

    /// The text's length (0 without a plan).
    pub const fn text_len(&self) -> usize {
        if self.ok { self.text_len } else { 0 }
    }

    /// How many name occurrences (0 without a plan).
    pub const fn names_len(&self) -> usize {
        if self.ok { self.names_len } else { 0 }
    }

    /// How many value occurrences (0 without a plan).
    pub const fn values_len(&self) -> usize {
        if self.ok { self.values_len } else { 0 }
    }

    /// The text, `T` ([`Built::text_len`]) bytes.
    pub const fn text<const T: usize>(&self) -> [u8; T] {
        let mut out = [0u8; T];
        out.copy_from_slice(self.text.split_at(T).0);
        out
    }

    /// The placeholder of each name occurrence, in walk order, numbered from 0 in order of
    /// first use: occurrences whose paths agree up to them take one. `N` is
    /// [`Built::names_len`].
    ///
    /// ```
    /// use awstin_core::plan::{build, Built, Node, Operand, Segment};
    /// const A: Operand = Operand::Path(&[Segment::Name("info"), Segment::Name("rating")]);
    /// const B: Operand = Operand::Path(&[Segment::Name("info"), Segment::Name("plot")]);
    /// assert_eq!(build(&Node::Compare(A, " = ", B)).names::<4>(), [0, 1, 0, 2]);
    /// ```
    pub const fn names<const N: usize>(&self) -> [u16; N] {
        let mut out = [0u16; N];
        out.copy_from_slice(self.names.split_at(N).0);
        out
    }

    /// The placeholder of each value occurrence, in walk order, numbered from 0 in order of
    /// first use: a variable or field written again takes its first placeholder; any other
    /// value its own. `N` is [`Built::values_len`].
    ///
    /// ```
    /// use awstin_core::plan::{build, Node, Operand, Segment};
    /// const P: Operand = Operand::Path(&[Segment::Name("year")]);
    /// assert_eq!(build(&Node::Between(P, Operand::Value(Some("y")), Operand::Value(Some("y")))).values::<2>(), [0, 0]);
    /// assert_eq!(build(&Node::Between(P, Operand::Value(None), Operand::Value(None))).values::<2>(), [0, 1]);
    /// ```
    pub const fn values<const N: usize>(&self) -> [u16; N] {
        let mut out = [0u16; N];
        out.copy_from_slice(self.values.split_at(N).0);
        out
    }
}

/// Makes `node`'s plan in one walk: its text, and its names' and values' placeholders.
///
/// ```
/// use awstin_core::plan::{build, Node, Operand, Segment};
/// const N: Node = Node::Not(&Node::Function("attribute_exists", &[Operand::Path(&[Segment::Name("a")])]));
/// assert_eq!(&build(&N).text::<25>(), b"NOT attribute_exists(#n0)");
/// ```
pub const fn build(node: &Node) -> Built {
    let mut w = Writer {
        out: Built {
            ok: true,
            text: [0; MAX_PLANNED_TEXT],
            text_len: 0,
            names: [0; MAX_OCCURRENCES],
            names_len: 0,
            values: [0; MAX_OCCURRENCES],
            values_len: 0,
        },
        name_at: [(&[], 0); MAX_OCCURRENCES],
        value_keys: [None; MAX_OCCURRENCES],
        next_name: 0,
        next_value: 0,
    };
    write_node(&mut w, node, 0);
    w.out
}

/// The walk that writes a plan: the text, and each occurrence's placeholder as it is met.
struct Writer {
    out: Built,
    /// Where each name occurrence is, to find one met before.
    name_at: [NameAt; MAX_OCCURRENCES],
    /// Each value occurrence's tokens, to find one met before.
    value_keys: [Option<&'static str>; MAX_OCCURRENCES],
    next_name: u16,
    next_value: u16,
}

impl Writer {
    const fn put(&mut self, s: &str) {
        let b = s.as_bytes();
        let len = self.out.text_len;
        if len + b.len() > MAX_PLANNED_TEXT {
            self.out.ok = false;
            return;
        }
        // One copy of the piece, not a step per byte: const evaluation is slow per step.
        let (_, rest) = self.out.text.split_at_mut(len);
        let (piece, _) = rest.split_at_mut(b.len());
        piece.copy_from_slice(b);
        self.out.text_len = len + b.len();
    }

    const fn number(&mut self, n: u16) {
        let width = if n >= 10_000 {
            5
        } else if n >= 1_000 {
            4
        } else if n >= 100 {
            3
        } else if n >= 10 {
            2
        } else {
            1
        };
        let len = self.out.text_len;
        if len + width > MAX_PLANNED_TEXT {
            self.out.ok = false;
            return;
        }
        let (mut k, mut rest) = (len + width, n);
        while k > len {
            k -= 1;
            self.out.text[k] = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        self.out.text_len = len + width;
    }

    /// A name occurrence: segment `at.1` of path `at.0`.
    const fn name(&mut self, at: NameAt) {
        let count = self.out.names_len;
        if count == MAX_OCCURRENCES {
            self.out.ok = false;
            return;
        }
        let mut slot = self.next_name;
        let mut j = 0;
        while j < count {
            if same_prefix(self.name_at[j], at) {
                slot = self.out.names[j];
                break;
            }
            j += 1;
        }
        if slot == self.next_name {
            self.next_name += 1;
            if self.next_name as usize > MAX_PLANNED {
                self.out.ok = false;
            }
        }
        self.name_at[count] = at;
        self.out.names[count] = slot;
        self.out.names_len = count + 1;
        self.put("#n");
        self.number(slot);
    }

    /// A value occurrence: `Some(tokens)` for a variable or field.
    const fn value(&mut self, key: Option<&'static str>) {
        let count = self.out.values_len;
        if count == MAX_OCCURRENCES {
            self.out.ok = false;
            return;
        }
        let mut slot = self.next_value;
        if let Some(key) = key {
            let mut j = 0;
            while j < count {
                if let Some(earlier) = self.value_keys[j]
                    && str_eq(earlier, key)
                {
                    slot = self.out.values[j];
                    break;
                }
                j += 1;
            }
        }
        if slot == self.next_value {
            self.next_value += 1;
            if self.next_value as usize > MAX_PLANNED {
                self.out.ok = false;
            }
        }
        self.value_keys[count] = key;
        self.out.values[count] = slot;
        self.out.values_len = count + 1;
        self.put(":v");
        self.number(slot);
    }
}

/// Whether two name occurrences are the same attribute reached the same way: their paths
/// agree segment by segment up to them.
const fn same_prefix(a: NameAt, b: NameAt) -> bool {
    if a.1 != b.1 {
        return false;
    }
    let mut i = 0;
    while i <= a.1 {
        let same = match (a.0[i], b.0[i]) {
            (Segment::Name(x), Segment::Name(y)) | (Segment::Index(x), Segment::Index(y)) => {
                str_eq(x, y)
            }
            _ => false,
        };
        if !same {
            return false;
        }
        i += 1;
    }
    true
}

/// Precedence as the renderer's [`Precedence`](crate::expr::render::Precedence): `OR`, `AND`,
/// `NOT`, then comparisons and functions.
const fn precedence(node: &Node) -> u8 {
    match node {
        Node::Or(xs) if xs.len() == 1 => precedence(&xs[0]),
        Node::And(xs) if xs.len() == 1 => precedence(&xs[0]),
        Node::Or(_) => 0,
        Node::And(_) => 1,
        Node::Not(_) => 2,
        _ => 3,
    }
}

const fn write_node(w: &mut Writer, node: &Node, min: u8) {
    if precedence(node) < min {
        w.put("(");
        write_body(w, node);
        w.put(")");
    } else {
        write_body(w, node);
    }
}

const fn write_body(w: &mut Writer, node: &Node) {
    match node {
        Node::Or(xs) | Node::And(xs) if xs.len() == 1 => write_body(w, &xs[0]),
        Node::Or(xs) => write_joined(w, xs, " OR ", 0),
        Node::And(xs) => write_joined(w, xs, " AND ", 1),
        Node::Not(x) => {
            w.put("NOT ");
            write_node(w, x, 3);
        }
        Node::Compare(a, op, b) => {
            write_operand(w, a);
            w.put(op);
            write_operand(w, b);
        }
        Node::Between(a, low, high) => {
            write_operand(w, a);
            w.put(" BETWEEN ");
            write_operand(w, low);
            w.put(" AND ");
            write_operand(w, high);
        }
        Node::In(a, xs) => {
            write_operand(w, a);
            w.put(" IN (");
            write_operands(w, xs);
            w.put(")");
        }
        Node::Function(name, xs) => {
            w.put(name);
            w.put("(");
            write_operands(w, xs);
            w.put(")");
        }
        Node::Projection(xs) => {
            w.out.ok &= !xs.is_empty();
            write_operands(w, xs);
        }
        Node::Update(actions) => write_update(w, actions),
        Node::Dynamic => w.out.ok = false,
    }
}

/// An update's actions, clause by clause (`SET`, `REMOVE`, `ADD`, `DELETE`), each clause's in
/// the order written.
const fn write_update(w: &mut Writer, actions: &[Action]) {
    w.out.ok &= !actions.is_empty();
    let mut any = false;
    let mut clause = 0;
    while clause < CLAUSES.len() {
        let mut first = true;
        let mut i = 0;
        while i < actions.len() {
            if actions[i].clause() == clause {
                if first {
                    if any {
                        w.put(" ");
                    }
                    w.put(CLAUSES[clause]);
                    first = false;
                    any = true;
                } else {
                    w.put(", ");
                }
                write_action(w, &actions[i]);
            }
            i += 1;
        }
        clause += 1;
    }
}

const fn write_action(w: &mut Writer, action: &Action) {
    match action {
        Action::Set(path, value) => {
            write_path(w, path);
            w.put(" = ");
            write_operand(w, value);
        }
        Action::Remove(path) => write_path(w, path),
        Action::Add(path, value) | Action::Delete(path, value) => {
            write_path(w, path);
            w.put(" ");
            write_operand(w, value);
        }
        Action::Dynamic => w.out.ok = false,
    }
}

const fn write_joined(w: &mut Writer, xs: &[Node], joint: &str, min: u8) {
    w.out.ok &= !xs.is_empty();
    let mut i = 0;
    while i < xs.len() {
        if i > 0 {
            w.put(joint);
        }
        write_node(w, &xs[i], min);
        i += 1;
    }
}

const fn write_operands(w: &mut Writer, xs: &[Operand]) {
    write_separated(w, xs, ", ");
}

const fn write_separated(w: &mut Writer, xs: &[Operand], joint: &str) {
    let mut i = 0;
    while i < xs.len() {
        if i > 0 {
            w.put(joint);
        }
        write_operand(w, &xs[i]);
        i += 1;
    }
}

const fn write_operand(w: &mut Writer, o: &Operand) {
    match o {
        Operand::Path(segments) => write_path(w, segments),
        Operand::Size(segments) => {
            w.put("size(");
            write_path(w, segments);
            w.put(")");
        }
        Operand::Value(key) => w.value(*key),
        Operand::Infix(op, xs) => write_separated(w, xs, op),
        Operand::Call(name, xs) => {
            w.put(name);
            w.put("(");
            write_operands(w, xs);
            w.put(")");
        }
    }
}

const fn write_path(w: &mut Writer, segments: &'static [Segment]) {
    w.out.ok &= !segments.is_empty();
    let mut i = 0;
    while i < segments.len() {
        match segments[i] {
            Segment::Name(_) => {
                if i > 0 {
                    w.put(".");
                }
                w.name((segments, i));
            }
            Segment::Index(digits) => {
                w.put("[");
                w.put(digits);
                w.put("]");
            }
            Segment::Dynamic => w.out.ok = false,
        }
        i += 1;
    }
}

/// An expression's text and placeholders, made when the program compiles.
///
/// The macros make it from what [`build`] made, copied to its own lengths; its fields are
/// theirs to fill (a plan is never made at run time).
///
/// ```
/// use awstin_core::plan::{build, text_of, Built, Node, Operand, Plan, Segment};
/// const B: Built = build(&Node::Function("attribute_exists", &[Operand::Path(&[Segment::Name("a")])]));
/// const TEXT: [u8; B.text_len()] = B.text();
/// const PLAN: Plan = Plan {
///     ok: B.ok(),
///     text: text_of(&TEXT),
///     names: &B.names::<{ B.names_len() }>(),
///     values: &B.values::<{ B.values_len() }>(),
/// };
/// assert_eq!(Plan::of(&PLAN).map(Plan::text), Some("attribute_exists(#n0)"));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    /// Whether the expression has a plan ([`Built::ok`]).
    #[doc(hidden)]
    pub ok: bool,
    /// The text ([`Built::text`]).
    #[doc(hidden)]
    pub text: &'static str,
    /// The names' placeholders ([`Built::names`]).
    #[doc(hidden)]
    pub names: &'static [u16],
    /// The values' placeholders ([`Built::values`]).
    #[doc(hidden)]
    pub values: &'static [u16],
}

/// A plan's text as a `str`: what [`build`] writes is whole `str` pieces, so it is always
/// valid; empty (no plan, [`Plan::of`]) were it not.
///
/// ```
/// assert_eq!(awstin_core::plan::text_of(b"#n0 = :v0"), "#n0 = :v0");
/// assert_eq!(awstin_core::plan::text_of(&[0xff]), "");
/// ```
pub const fn text_of(bytes: &'static [u8]) -> &'static str {
    match core::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(_) => "",
    }
}

impl Plan {
    /// The plan, by reference, when the expression has one.
    ///
    /// ```
    /// use awstin_core::plan::Plan;
    /// const NONE: Plan = Plan { ok: false, text: "", names: &[], values: &[] };
    /// assert!(Plan::of(&NONE).is_none());
    /// ```
    pub const fn of(plan: &'static Plan) -> Option<&'static Plan> {
        if plan.ok && !plan.text.is_empty() {
            Some(plan)
        } else {
            None
        }
    }

    /// The text, its placeholders numbered from 0.
    ///
    /// ```
    /// use awstin_core::plan::Plan;
    /// const PLAN: Plan = Plan { ok: true, text: "attribute_exists(#n0)", names: &[0], values: &[] };
    /// assert_eq!(PLAN.text(), "attribute_exists(#n0)");
    /// ```
    pub const fn text(&self) -> &'static str {
        self.text
    }

    pub(crate) const fn names(&self) -> &'static [u16] {
        self.names
    }

    pub(crate) const fn values(&self) -> &'static [u16] {
        self.values
    }
}

/// How many times a request fell back to rendering a condition that had a plan, because its
/// walk did not meet the names and values the plan lists. A test reads it: never more than
/// 0, unless the plan and the condition disagree (a fault of the library).
static FALLBACKS: core::sync::atomic::AtomicUsize = core::sync::atomic::AtomicUsize::new(0);

pub(crate) fn fell_back() {
    FALLBACKS.fetch_add(1, core::sync::atomic::Ordering::Relaxed);
    // A plan the walk of its own condition does not follow is the library's fault: tests
    // (debug builds) stop here, a release build renders the condition.
    debug_assert!(false, "a condition's walk did not follow its plan");
}

/// How many times a plan was not followed ([`FALLBACKS`]), for tests.
///
/// ```
/// assert_eq!(awstin_core::plan::fallbacks(), 0);
/// ```
#[doc(hidden)]
pub fn fallbacks() -> usize {
    FALLBACKS.load(core::sync::atomic::Ordering::Relaxed)
}
