//! Expression text made when the program compiles.
//!
//! `cond!` describes the shape of its condition as a constant [`Node`]: the operators, the
//! paths (their segments as written), and which operands are values, each value that is a
//! variable or a field of one named by its tokens. Const evaluation turns the node into a
//! [`Plan`]: the expression's text with its placeholders numbered from 0, and the placeholder
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
//! const COUNTS: awstin_core::plan::Counts = awstin_core::plan::counts(&NODE);
//! const NAMES: [u16; COUNTS.names] = awstin_core::plan::name_slots(&NODE);
//! const VALUES: [u16; COUNTS.values] = awstin_core::plan::value_slots(&NODE);
//! const TEXT: [u8; awstin_core::plan::text_len(&NODE, &NAMES, &VALUES)] =
//!     awstin_core::plan::text(&NODE, &NAMES, &VALUES);
//! const PLAN: Option<Plan> = Plan::new(COUNTS, &TEXT, &NAMES, &VALUES);
//! assert_eq!(PLAN.unwrap().text(), "#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2");
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
    /// A part whose shape is known only at run time: the condition has no plan.
    Dynamic,
}

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

/// How many names and values a [`Node`]'s walk meets, and whether it has a plan.
#[derive(Debug, Clone, Copy)]
pub struct Counts {
    /// `false` for a node with a part known only at run time (then both counts are 0).
    pub ok: bool,
    /// Name occurrences, in walk order.
    pub names: usize,
    /// Value occurrences, in walk order.
    pub values: usize,
}

/// The most distinct names, and the most distinct values, a plan may have; a condition with
/// more is rendered.
pub const MAX_PLANNED: usize = 64;

/// Counts the names and values of `node`.
///
/// ```
/// use awstin_core::plan::{counts, Node, Operand, Segment};
/// const N: Node = Node::Function("attribute_exists", &[Operand::Path(&[Segment::Name("a"), Segment::Index("2")])]);
/// assert_eq!((counts(&N).names, counts(&N).values), (1, 0));
/// assert!(!counts(&Node::Dynamic).ok);
/// ```
pub const fn counts(node: &Node) -> Counts {
    let mut walk = Occurrences {
        names: &mut [],
        name_count: 0,
        values: &mut [],
        value_count: 0,
        ok: true,
    };
    walk.node(node);
    Counts {
        ok: walk.ok,
        names: if walk.ok { walk.name_count } else { 0 },
        values: if walk.ok { walk.value_count } else { 0 },
    }
}

/// A name occurrence: a path and the index of one of its name segments.
type NameAt = (&'static [Segment], usize);

/// The placeholder each name occurrence of `node` takes, numbered from 0 in order of first
/// use: occurrences whose paths agree up to them (the same attribute reached the same way)
/// take one.
///
/// ```
/// use awstin_core::plan::{name_slots, Node, Operand, Segment};
/// const A: Operand = Operand::Path(&[Segment::Name("info"), Segment::Name("rating")]);
/// const B: Operand = Operand::Path(&[Segment::Name("info"), Segment::Name("plot")]);
/// const N: Node = Node::Compare(A, " = ", B);
/// assert_eq!(name_slots::<4>(&N), [0, 1, 0, 2]);
/// ```
pub const fn name_slots<const N: usize>(node: &Node) -> [u16; N] {
    slots::<N, 0>(node).names
}

/// The placeholders of a node's names and of its values, from one walk.
struct Slots<const N: usize, const V: usize> {
    names: [u16; N],
    values: [u16; V],
}

const fn slots<const N: usize, const V: usize>(node: &Node) -> Slots<N, V> {
    let mut at: [NameAt; N] = [(&[], 0); N];
    let mut keys: [Option<&'static str>; V] = [None; V];
    Occurrences {
        names: &mut at,
        name_count: 0,
        values: &mut keys,
        value_count: 0,
        ok: true,
    }
    .node(node);
    Slots {
        names: number(&Occurrence::Names(&at)),
        values: number(&Occurrence::Values(&keys)),
    }
}

/// The name and value occurrences of a node, in walk order, kept where there is room and
/// counted; `ok` false for a part known only at run time.
struct Occurrences<'o> {
    names: &'o mut [NameAt],
    name_count: usize,
    values: &'o mut [Option<&'static str>],
    value_count: usize,
    ok: bool,
}

impl Occurrences<'_> {
    const fn node(&mut self, node: &Node) {
        match node {
            Node::Or(xs) | Node::And(xs) => {
                self.ok &= !xs.is_empty();
                let mut i = 0;
                while i < xs.len() {
                    self.node(&xs[i]);
                    i += 1;
                }
            }
            Node::Not(x) => self.node(x),
            Node::Compare(a, _, b) => {
                self.operand(a);
                self.operand(b);
            }
            Node::Between(a, b, d) => {
                self.operand(a);
                self.operand(b);
                self.operand(d);
            }
            Node::In(a, xs) => {
                self.operand(a);
                self.operands(xs);
            }
            Node::Function(_, xs) => self.operands(xs),
            Node::Projection(xs) => {
                self.ok &= !xs.is_empty();
                self.operands(xs);
            }
            Node::Dynamic => self.ok = false,
        }
    }

    const fn operands(&mut self, xs: &[Operand]) {
        let mut i = 0;
        while i < xs.len() {
            self.operand(&xs[i]);
            i += 1;
        }
    }

    const fn operand(&mut self, o: &Operand) {
        match o {
            Operand::Path(segments) | Operand::Size(segments) => {
                self.ok &= !segments.is_empty();
                let mut i = 0;
                while i < segments.len() {
                    match segments[i] {
                        Segment::Name(_) => {
                            if self.name_count < self.names.len() {
                                self.names[self.name_count] = (segments, i);
                            }
                            self.name_count += 1;
                        }
                        Segment::Index(_) => {}
                        Segment::Dynamic => self.ok = false,
                    }
                    i += 1;
                }
            }
            Operand::Value(key) => {
                if self.value_count < self.values.len() {
                    self.values[self.value_count] = *key;
                }
                self.value_count += 1;
            }
        }
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

/// The placeholder each value occurrence of `node` takes, numbered from 0 in order of first
/// use: a variable or field written again takes its first placeholder; any other value its own.
///
/// ```
/// use awstin_core::plan::{value_slots, Node, Operand, Segment};
/// const P: Operand = Operand::Path(&[Segment::Name("year")]);
/// const N: Node = Node::Between(P, Operand::Value(Some("y")), Operand::Value(Some("y")));
/// assert_eq!(value_slots::<2>(&N), [0, 0]);
/// const M: Node = Node::Between(P, Operand::Value(None), Operand::Value(None));
/// assert_eq!(value_slots::<2>(&M), [0, 1]);
/// ```
pub const fn value_slots<const N: usize>(node: &Node) -> [u16; N] {
    slots::<0, N>(node).values
}

/// Occurrences of names or of values, to number.
enum Occurrence<'o> {
    Names(&'o [NameAt]),
    Values(&'o [Option<&'static str>]),
}

impl Occurrence<'_> {
    /// Whether occurrence `i` is the one `j` was: the same attribute reached the same way,
    /// or the same variable or field.
    const fn same(&self, i: usize, j: usize) -> bool {
        match self {
            Occurrence::Names(at) => same_prefix(at[j], at[i]),
            Occurrence::Values(keys) => match (keys[i], keys[j]) {
                (Some(a), Some(b)) => str_eq(a, b),
                _ => false,
            },
        }
    }
}

/// Numbers `N` occurrences from 0 in order of first use: one that is an earlier one takes
/// its number.
const fn number<const N: usize>(occurrences: &Occurrence<'_>) -> [u16; N] {
    let mut slots = [0u16; N];
    let mut next = 0u16;
    let mut i = 0;
    while i < N {
        let mut j = 0;
        let mut found = false;
        while j < i {
            if occurrences.same(i, j) {
                slots[i] = slots[j];
                found = true;
                break;
            }
            j += 1;
        }
        if !found {
            slots[i] = next;
            next += 1;
        }
        i += 1;
    }
    slots
}

/// Writes a plan's text, or only counts its bytes when `buf` is empty.
struct Writer<'b> {
    buf: &'b mut [u8],
    len: usize,
    names: &'b [u16],
    values: &'b [u16],
    name: usize,
    value: usize,
}

impl Writer<'_> {
    const fn put(&mut self, s: &str) {
        let b = s.as_bytes();
        // One copy of the piece, not a step per byte: const evaluation is slow per step.
        if self.len + b.len() <= self.buf.len() {
            let (_, rest) = self.buf.split_at_mut(self.len);
            let (piece, _) = rest.split_at_mut(b.len());
            piece.copy_from_slice(b);
        }
        self.len += b.len();
    }

    const fn number(&mut self, n: u16) {
        let mut digits = [0u8; 5];
        let (mut k, mut rest) = (0, n);
        loop {
            digits[k] = b'0' + (rest % 10) as u8;
            k += 1;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        while k > 0 {
            k -= 1;
            if self.len < self.buf.len() {
                self.buf[self.len] = digits[k];
            }
            self.len += 1;
        }
    }

    /// Writes the next name's placeholder (`value` false) or the next value's.
    const fn next(&mut self, value: bool) {
        let (prefix, slots, seen) = if value {
            (":v", self.values, &mut self.value)
        } else {
            ("#n", self.names, &mut self.name)
        };
        let slot = if *seen < slots.len() { slots[*seen] } else { 0 };
        *seen += 1;
        self.put(prefix);
        self.number(slot);
    }
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

const fn write_node(w: &mut Writer<'_>, node: &Node, min: u8) {
    if precedence(node) < min {
        w.put("(");
        write_body(w, node);
        w.put(")");
    } else {
        write_body(w, node);
    }
}

const fn write_body(w: &mut Writer<'_>, node: &Node) {
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
        Node::Projection(xs) => write_operands(w, xs),
        Node::Dynamic => {}
    }
}

const fn write_joined(w: &mut Writer<'_>, xs: &[Node], joint: &str, min: u8) {
    let mut i = 0;
    while i < xs.len() {
        if i > 0 {
            w.put(joint);
        }
        write_node(w, &xs[i], min);
        i += 1;
    }
}

const fn write_operands(w: &mut Writer<'_>, xs: &[Operand]) {
    let mut i = 0;
    while i < xs.len() {
        if i > 0 {
            w.put(", ");
        }
        write_operand(w, &xs[i]);
        i += 1;
    }
}

const fn write_operand(w: &mut Writer<'_>, o: &Operand) {
    match o {
        Operand::Path(segments) => write_path(w, segments),
        Operand::Size(segments) => {
            w.put("size(");
            write_path(w, segments);
            w.put(")");
        }
        Operand::Value(_) => w.next(true),
    }
}

const fn write_path(w: &mut Writer<'_>, segments: &[Segment]) {
    let mut i = 0;
    while i < segments.len() {
        match segments[i] {
            Segment::Name(_) => {
                if i > 0 {
                    w.put(".");
                }
                w.next(false);
            }
            Segment::Index(digits) => {
                w.put("[");
                w.put(digits);
                w.put("]");
            }
            Segment::Dynamic => {}
        }
        i += 1;
    }
}

/// The length of `node`'s text with the placeholders `names` and `values` give it.
///
/// ```
/// use awstin_core::plan::{text_len, Node, Operand, Segment};
/// const N: Node = Node::Not(&Node::Function("attribute_exists", &[Operand::Path(&[Segment::Name("a")])]));
/// assert_eq!(text_len(&N, &[0], &[]), "NOT attribute_exists(#n0)".len());
/// ```
pub const fn text_len(node: &Node, names: &[u16], values: &[u16]) -> usize {
    write(node, names, values, &mut [])
}

/// `node`'s text with the placeholders `names` and `values` give it, `T` bytes long
/// ([`text_len`]).
///
/// ```
/// use awstin_core::plan::{text, Node, Operand, Segment};
/// const N: Node = Node::Compare(Operand::Size(&[Segment::Name("a"), Segment::Index("3")]), " > ", Operand::Value(None));
/// assert_eq!(&text::<18>(&N, &[0], &[0]), b"size(#n0[3]) > :v0");
/// ```
pub const fn text<const T: usize>(node: &Node, names: &[u16], values: &[u16]) -> [u8; T] {
    let mut buf = [0u8; T];
    write(node, names, values, &mut buf);
    buf
}

/// Writes `node`'s text into `buf` as far as it goes; its length. (A node without a plan
/// writes some text, which [`Plan::new`] does not keep.)
const fn write(node: &Node, names: &[u16], values: &[u16], buf: &mut [u8]) -> usize {
    let mut w = Writer {
        buf,
        len: 0,
        names,
        values,
        name: 0,
        value: 0,
    };
    write_node(&mut w, node, 0);
    w.len
}

/// A condition's text and placeholders, made when the program compiles.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    text: &'static str,
    names: &'static [u16],
    values: &'static [u16],
}

impl Plan {
    /// The plan of a node, from its [`counts`], text and slots; `None` when the node has a
    /// part known only at run time, or more than [`MAX_PLANNED`] distinct names or values.
    ///
    /// ```
    /// use awstin_core::plan::{Node, Plan};
    /// assert!(Plan::new(awstin_core::plan::counts(&Node::Dynamic), &[], &[], &[]).is_none());
    /// ```
    pub const fn new(
        counts: Counts,
        text: &'static [u8],
        names: &'static [u16],
        values: &'static [u16],
    ) -> Option<Plan> {
        if !counts.ok {
            return None;
        }
        let text = match core::str::from_utf8(text) {
            Ok(text) => text,
            Err(_) => return None,
        };
        if distinct(names) > MAX_PLANNED || distinct(values) > MAX_PLANNED {
            return None;
        }
        Some(Plan {
            text,
            names,
            values,
        })
    }

    /// The plan in a constant `Option`, by reference.
    ///
    /// ```
    /// use awstin_core::plan::{Node, Plan};
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
    /// use awstin_core::plan::{Node, Plan};
    /// let plan = Plan::new(awstin_core::plan::counts(&Node::Dynamic), &[], &[], &[]);
    /// assert!(plan.map(|p| p.text()).is_none());
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

/// How many distinct placeholders slots numbered from 0 in order of first use hold.
const fn distinct(slots: &[u16]) -> usize {
    let mut max = 0;
    let mut i = 0;
    while i < slots.len() {
        if slots[i] as usize + 1 > max {
            max = slots[i] as usize + 1;
        }
        i += 1;
    }
    max
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
