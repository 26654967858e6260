//! Expression text made when the program compiles.
//!
//! `cond!`, `update!` and `project!` describe the shape of their expression as a constant
//! [`Node`]: the operators, the paths (their segments as written), and which operands are
//! values, each value that is a variable or a field of one named by its tokens. Const
//! evaluation turns the node into a [`Plan`] in one walk ([`build`]): the expression's text
//! with its placeholders numbered from 0, and the placeholder each name and each value takes,
//! in the order a walk of the expression meets them. A path written twice is one set of name
//! placeholders; a variable or field written twice is one value placeholder. The plan is made
//! once, by the compiler, as `&'static` data: no heap, so the `no_std` core keeps it.
//!
//! At run time a request walks the expression for its names and values only (checking them
//! as the renderer does) and copies the plan's text. Where the request's tables already hold
//! names or values (a filter after a key condition), or two paths name one attribute, the
//! placeholders' numbers are mapped to the request's as the text is copied. An expression
//! whose shape is known only at run time (`in values` over a slice, a path index held in a
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
//! const DATA: [u8; BUILT.data_len()] = BUILT.data();
//! const PLAN: Option<Plan> = Plan::new(&BUILT, &DATA);
//! assert_eq!(PLAN.unwrap().text(), "#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2");
//! ```

use crate::expr::model::str_eq;

/// The shape of an expression, as `cond!`, `update!` or `project!` writes it.
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
/// it into one constant of its own length ([`Built::data`]), from which [`Plan::new`] makes
/// the plan; this value itself is never in the program.
///
/// ```
/// use awstin_core::plan::{build, Built, Node, Operand, Segment};
/// const B: Built = build(&Node::Compare(Operand::Size(&[Segment::Name("a"), Segment::Index("3")]), " > ", Operand::Value(None)));
/// assert_eq!(&B.data::<20>()[..18], b"size(#n0[3]) > :v0");
/// assert_eq!((B.text_len(), B.names_len(), B.values_len(), B.data_len()), (18, 1, 1, 20));
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

    /// How many bytes [`Built::data`] has: the text's, and one for each name and each value
    /// occurrence (0 without a plan).
    pub const fn data_len(&self) -> usize {
        self.text_len() + self.names_len() + self.values_len()
    }

    /// The plan in `N` ([`Built::data_len`]) bytes, which the macros keep as one constant of
    /// its own length and [`Plan::new`] reads: the text, then the placeholder of each name
    /// occurrence, then of each value occurrence (in walk order, numbered from 0 in order of
    /// first use: occurrences of one path, or of one variable or field, take one). All zeros
    /// when `N` is not [`Built::data_len`].
    ///
    /// ```
    /// use awstin_core::plan::{build, Built, Node, Operand, Segment};
    /// const A: Operand = Operand::Path(&[Segment::Name("a"), Segment::Name("b")]);
    /// const B: Operand = Operand::Path(&[Segment::Name("a"), Segment::Name("c")]);
    /// const BUILT: Built = build(&Node::Compare(A, " = ", B));
    /// assert_eq!(&BUILT.data::<{ BUILT.data_len() }>(), b"#n0.#n1 = #n0.#n2\x00\x01\x00\x02");
    /// ```
    pub const fn data<const N: usize>(&self) -> [u8; N] {
        let mut out = [0u8; N];
        if N != self.data_len() || N == 0 {
            return out;
        }
        let (text, slots) = out.split_at_mut(self.text_len);
        text.copy_from_slice(self.text.split_at(self.text_len).0);
        // Each slot is below `MAX_PLANNED` (64) in a plan: one byte.
        let mut i = 0;
        while i < self.names_len {
            slots[i] = self.names[i] as u8;
            i += 1;
        }
        let mut j = 0;
        while j < self.values_len {
            slots[self.names_len + j] = self.values[j] as u8;
            j += 1;
        }
        out
    }
}

/// Makes `node`'s plan in one walk: its text, and its names' and values' placeholders.
///
/// ```
/// use awstin_core::plan::{build, Node, Operand, Segment};
/// const N: Node = Node::Not(&Node::Function("attribute_exists", &[Operand::Path(&[Segment::Name("a")])]));
/// assert_eq!(&build(&N).data::<26>()[..25], b"NOT attribute_exists(#n0)");
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
/// ```
/// use awstin_core::plan::{build, Built, Node, Operand, Plan, Segment};
/// const B: Built = build(&Node::Function("attribute_exists", &[Operand::Path(&[Segment::Name("a")])]));
/// const DATA: [u8; B.data_len()] = B.data();
/// const PLAN: Option<Plan> = Plan::new(&B, &DATA);
/// assert_eq!(Plan::of(&PLAN).map(Plan::text), Some("attribute_exists(#n0)"));
/// assert_eq!(Plan::of(&PLAN).map(Plan::names), Some(&[0u8][..]));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    text: &'static str,
    names: &'static [u8],
    values: &'static [u8],
}

impl Plan {
    /// The plan `built` describes, from its [`Built::data`] kept in a constant; `None` when
    /// the expression has no plan ([`Built::ok`]) or `data` is not its data.
    ///
    /// ```
    /// use awstin_core::plan::{build, Node, Plan};
    /// assert!(Plan::new(&build(&Node::Dynamic), &[]).is_none());
    /// ```
    pub const fn new(built: &Built, data: &'static [u8]) -> Option<Plan> {
        if !built.ok() || data.len() != built.data_len() {
            return None;
        }
        let (text, slots) = data.split_at(built.text_len());
        let (names, values) = slots.split_at(built.names_len());
        match core::str::from_utf8(text) {
            Ok(text) => Some(Plan {
                text,
                names,
                values,
            }),
            Err(_) => None,
        }
    }

    /// The plan in a constant `Option`, by reference.
    ///
    /// ```
    /// use awstin_core::plan::Plan;
    /// const NONE: Option<Plan> = None;
    /// assert!(Plan::of(&NONE).is_none());
    /// ```
    pub const fn of(plan: &'static Option<Plan>) -> Option<&'static Plan> {
        match plan {
            Some(plan) => Some(plan),
            None => None,
        }
    }

    /// The text, its placeholders numbered from 0.
    ///
    /// ```
    /// use awstin_core::plan::{build, Built, Node, Operand, Plan, Segment};
    /// const B: Built = build(&Node::Function("attribute_exists", &[Operand::Path(&[Segment::Name("a")])]));
    /// const DATA: [u8; B.data_len()] = B.data();
    /// assert_eq!(Plan::new(&B, &DATA).map(|p| p.text()), Some("attribute_exists(#n0)"));
    /// ```
    pub const fn text(&self) -> &'static str {
        self.text
    }

    /// The placeholder each name occurrence takes, in walk order.
    ///
    /// ```
    /// use awstin_core::plan::{build, Built, Node, Operand, Plan, Segment};
    /// const P: Operand = Operand::Path(&[Segment::Name("a")]);
    /// const B: Built = build(&Node::Compare(P, " = ", P));
    /// const DATA: [u8; B.data_len()] = B.data();
    /// assert_eq!(Plan::new(&B, &DATA).map(|p| p.names()), Some(&[0u8, 0][..]));
    /// ```
    pub const fn names(&self) -> &'static [u8] {
        self.names
    }

    /// The placeholder each value occurrence takes, in walk order.
    ///
    /// ```
    /// use awstin_core::plan::{build, Built, Node, Operand, Plan, Segment};
    /// const P: Operand = Operand::Path(&[Segment::Name("year")]);
    /// const B: Built = build(&Node::Between(P, Operand::Value(Some("y")), Operand::Value(None)));
    /// const DATA: [u8; B.data_len()] = B.data();
    /// assert_eq!(Plan::new(&B, &DATA).map(|p| p.values()), Some(&[0u8, 1][..]));
    /// ```
    pub const fn values(&self) -> &'static [u8] {
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
