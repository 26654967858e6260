//! Requests of many items: the checks of a transaction's members and of a batch's requests as
//! a whole, which every backend makes through these.

use alloc::string::String;
use alloc::vec::Vec;

use super::write::{Key, Write};
use crate::error::Error;
use crate::limits::{MAX_TRANSACTION_BYTES, MAX_TRANSACTION_MEMBERS};

/// The items a batch or transaction acts on, each once: a request of an item already named is
/// [`Error::SameItemTwice`], which DynamoDB refuses.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
/// use awstin_core::{Error, op::{Distinct, Key}};
/// let mut items = Distinct::default();
/// items.add("Movies", &Key::of::<Movie, _>(&(2013, "Rush")))?;
/// items.add("Movies", &Key::of::<Movie, _>(&(2013, "Her")))?;
/// assert_eq!(
///     items.add("Movies", &Key::of::<Movie, _>(&(2013, "Rush"))),
///     Err(Error::SameItemTwice { first: 0, second: 2 })
/// );
/// # Ok::<(), awstin_core::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Distinct {
    /// Every identity added, back to back: one growing text rather than a string apiece.
    text: String,
    /// Where each identity ends in `text`, by position.
    ends: Vec<usize>,
    /// Each position's identity hash.
    hashes: Vec<u64>,
    /// An open-addressing table of positions + 1 (0: empty) by hash, at most half full;
    /// equal hashes are told apart by their texts.
    slots: Vec<usize>,
}

impl Distinct {
    /// Room for `n` items without growing (a batch knows its size).
    ///
    /// ```
    /// let items = awstin_core::op::Distinct::with_capacity(25);
    /// assert!(items.is_empty());
    /// ```
    pub fn with_capacity(n: usize) -> Distinct {
        Distinct {
            text: String::with_capacity(n.saturating_mul(48)),
            ends: Vec::with_capacity(n),
            hashes: Vec::with_capacity(n),
            slots: alloc::vec![0; n.saturating_mul(2).next_power_of_two().max(16)],
        }
    }

    /// Adds the next request's item: the key `key` on `table`.
    pub fn add(&mut self, table: &str, key: &Key<'_>) -> Result<(), Error> {
        let start = self.text.len();
        if let Err(e) = key.write_identity(table, &mut self.text) {
            self.text.truncate(start);
            return Err(e);
        }
        self.close(start)
    }

    /// Adds the next request's item, by its [`Key::identity`].
    ///
    /// ```
    /// let mut items = awstin_core::op::Distinct::default();
    /// items.add_identity("Movies\0a")?;
    /// assert!(items.add_identity("Movies\0a").is_err());
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn add_identity(&mut self, identity: &str) -> Result<(), Error> {
        let start = self.text.len();
        self.text.push_str(identity);
        self.close(start)
    }

    /// Ends the identity written from `start`: a new position, or the earlier one of the
    /// same item.
    fn close(&mut self, start: usize) -> Result<(), Error> {
        let position = self.ends.len();
        let hash = fnv1a(&self.text.as_bytes()[start..]);
        if self.slots.len() < 2 * (position + 1) {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        // The table's size is a power of two: the low bits of the hash pick the first slot.
        let mut slot = (hash as usize) & mask;
        loop {
            match self.slots[slot] {
                0 => break,
                taken => {
                    let p = taken - 1;
                    if self.hashes[p] == hash && self.span(p) == &self.text.as_bytes()[start..] {
                        // Counted, not kept: the request is refused.
                        self.text.truncate(start);
                        self.ends.push(start);
                        self.hashes.push(hash);
                        return Err(Error::SameItemTwice {
                            first: p,
                            second: position,
                        });
                    }
                    slot = (slot + 1) & mask;
                }
            }
        }
        self.slots[slot] = position + 1;
        self.ends.push(self.text.len());
        self.hashes.push(hash);
        Ok(())
    }

    /// Doubles the table, placing every position again.
    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(16);
        let mut slots = alloc::vec![0; size];
        let mask = size - 1;
        for taken in self.slots.iter().copied().filter(|&t| t != 0) {
            let mut slot = (self.hashes[taken - 1] as usize) & mask;
            while slots[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            slots[slot] = taken;
        }
        self.slots = slots;
    }

    fn span(&self, position: usize) -> &[u8] {
        let start = position
            .checked_sub(1)
            .and_then(|p| self.ends.get(p))
            .copied()
            .unwrap_or(0);
        let end = self.ends.get(position).copied().unwrap_or(start);
        self.text.as_bytes().get(start..end).unwrap_or_default()
    }

    /// Requests added.
    ///
    /// ```
    /// assert_eq!(awstin_core::op::Distinct::default().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// `true` when none was added.
    ///
    /// ```
    /// assert!(awstin_core::op::Distinct::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

/// FNV-1a, 64 bits: a quick hash for [`Distinct`]'s lookups (equal hashes are compared whole).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A transaction's members, checked as a whole: 1 to 100, each of another item, their items
/// within 4 MB together. Each backend adds the members it writes, then [`check`]s.
///
/// [`check`]: Transaction::check
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
/// use awstin_core::op::{Transaction, WriteSpec};
/// let m = Movie { year: 2013, title: "Rush".into() };
/// let mut t = Transaction::default();
/// assert!(t.check().is_err(), "a transaction has members");
/// WriteSpec::put("Movies", &m).member().build(|w| t.add(&w))?;
/// t.check()?;
/// # Ok::<(), awstin_core::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Transaction {
    items: Distinct,
    bytes: usize,
}

impl Transaction {
    /// Adds the next member.
    pub fn add(&mut self, member: &Write<'_>) -> Result<(), Error> {
        self.items.add(member.table(), &member.key())?;
        self.bytes += member.item_size();
        Ok(())
    }

    /// Adds the next member by its item's [`Key::identity`] and the size of the item it puts
    /// (0 for another write, or a read).
    ///
    /// ```
    /// let mut t = awstin_core::op::Transaction::default();
    /// t.add_member("Movies\0a", 10)?;
    /// t.check()?;
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn add_member(&mut self, identity: &str, bytes: usize) -> Result<(), Error> {
        self.items.add_identity(identity)?;
        self.bytes += bytes;
        Ok(())
    }

    /// The checks of the whole: 1 to 100 members, whose items take at most 4 MB.
    pub fn check(&self) -> Result<(), Error> {
        let members = self.items.len();
        if members == 0 || members > MAX_TRANSACTION_MEMBERS {
            return Err(Error::TransactionMembers {
                members,
                max: MAX_TRANSACTION_MEMBERS,
            });
        }
        if self.bytes > MAX_TRANSACTION_BYTES {
            return Err(Error::TransactionTooLarge {
                at_least: self.bytes,
                max: MAX_TRANSACTION_BYTES,
            });
        }
        Ok(())
    }

    /// Members added.
    ///
    /// ```
    /// assert_eq!(awstin_core::op::Transaction::default().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// `true` when none was added.
    ///
    /// ```
    /// assert!(awstin_core::op::Transaction::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::collections::BTreeMap;
    use alloc::format;

    /// Against a map of the identities seen: the same first repeat, through the table's
    /// growth and its probing (short identities of few letters collide often in the low bits).
    #[test]
    fn finds_the_first_repeat_as_a_map_does() {
        let mut seed = 7u64;
        let mut next = move || {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            seed >> 33
        };
        for round in 0..200 {
            let n = 1 + (next() % 300) as usize;
            let (mut items, mut seen) = (
                if round % 2 == 0 {
                    Distinct::default()
                } else {
                    Distinct::with_capacity(n)
                },
                BTreeMap::new(),
            );
            for position in 0..n {
                let identity = format!("T\0{}", next() % (4 * n as u64));
                let expected = match seen.get(&identity) {
                    Some(&first) => Err(Error::SameItemTwice {
                        first,
                        second: position,
                    }),
                    None => Ok(()),
                };
                assert_eq!(items.add_identity(&identity), expected);
                if expected.is_err() {
                    break;
                }
                seen.insert(identity, position);
            }
        }
    }
}
