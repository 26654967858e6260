//! Projections: which attributes a read returns.

use crate::error::Error;
use crate::expr::path::Path;
use crate::expr::path::Segments;
use crate::expr::render::Renderer;

/// A list of paths to read, of `Self::Model`.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr info: Info } }
/// # awstin_macros::dynamo_model! { pub struct Info { attr rating: f64; attr actors: Vec<String>; } }
/// use awstin_core::{Document, Request};
/// let p = Movie::expr(awstin_macros::project!(title, info.rating, info.actors[0]));
/// let mut out = heapless::String::<64>::new();
/// Request::<8, 8>::new().projection(&p, &mut out)?;
/// assert_eq!(out, "#n0, #n1.#n2, #n1.#n3[0]");
/// # Ok::<(), awstin_core::Error>(())
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a projection",
    label = "expected paths built by `project!`"
)]
pub trait Projection {
    /// The model read.
    type Model;
    /// Number of paths.
    fn len(&self) -> usize;
    /// `true` for no paths (never, for projections built by `project!`).
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The path at `index`.
    fn path(&self, index: usize) -> Option<&dyn Segments>;
    /// Writes the paths, comma-separated.
    fn render<'a>(&'a self, r: &mut Renderer<'_, 'a>) -> Result<(), Error>;

    /// The projection's text made when the program compiles
    /// ([`Plan`](crate::expr::plan::Plan)), for one `project!` built whose paths are fixed;
    /// `None` for any other, which is rendered.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr info: Info } }
    /// # awstin_macros::dynamo_model! { pub struct Info { attr actors: Vec<String>; attr plot: String } }
    /// use awstin_core::{Document, Projection};
    /// let p = Movie::expr(awstin_macros::project!(year, info.actors[0], info.plot));
    /// assert_eq!(p.plan().map(|p| p.text()), Some("#n0, #n1.#n2[0], #n1.#n3"));
    /// ```
    fn plan(&self) -> Option<&'static crate::expr::plan::Plan> {
        None
    }
}

/// A projection with the [`Plan`](crate::expr::plan::Plan) `project!` made for it.
impl<C: Projection> Projection for crate::expr::cond::Planned<C> {
    type Model = C::Model;
    fn len(&self) -> usize {
        self.inner().len()
    }
    fn path(&self, index: usize) -> Option<&dyn Segments> {
        self.inner().path(index)
    }
    fn render<'a>(&'a self, r: &mut Renderer<'_, 'a>) -> Result<(), Error> {
        self.inner().render(r)
    }
    fn plan(&self) -> Option<&'static crate::expr::plan::Plan> {
        self.planned()
    }
}

impl<P: Path> Projection for P {
    type Model = P::Model;
    fn len(&self) -> usize {
        1
    }
    fn path(&self, index: usize) -> Option<&dyn Segments> {
        (index == 0).then_some(self as &dyn Segments)
    }
    fn render<'a>(&'a self, r: &mut Renderer<'_, 'a>) -> Result<(), Error> {
        r.path(self)
    }
}

/// Two projections read together.
#[derive(Debug, Clone, Copy)]
pub struct Also<A, P>(pub A, pub P);

impl<A: Projection, P: Projection<Model = A::Model>> Projection for Also<A, P> {
    type Model = A::Model;
    fn len(&self) -> usize {
        self.0.len() + self.1.len()
    }
    fn path(&self, index: usize) -> Option<&dyn Segments> {
        let n = self.0.len();
        if index < n {
            self.0.path(index)
        } else {
            self.1.path(index - n)
        }
    }
    fn render<'a>(&'a self, r: &mut Renderer<'_, 'a>) -> Result<(), Error> {
        self.0.render(r)?;
        r.text(", ");
        self.1.render(r)
    }
}

/// Chaining projections, used by `project!`'s expansion.
pub trait ProjectionExt: Projection + Sized {
    /// `self` and `next`.
    fn also<P: Projection<Model = Self::Model>>(self, next: P) -> Also<Self, P> {
        Also(self, next)
    }
}
impl<P: Projection> ProjectionExt for P {}
