//! Keys of the SDK's items: the key attributes of an item, and a text naming them, for
//! placing what a batch returned unprocessed.

use super::codec::Item;

/// The key attributes of model `M` among `attributes` (a key, or a whole item).
pub(crate) fn key_attributes<M: awstin_core::Model>(attributes: &Item) -> Item {
    let names = [Some(M::KEY.partition.name), M::KEY.sort.map(|s| s.name)];
    attributes
        .iter()
        .filter(|(name, _)| names.contains(&Some(name.as_str())))
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect()
}

/// A text naming a key: equal for equal keys (key values are strings, numbers in canonical
/// text, or binaries), whatever the order of the map.
pub(crate) fn key_text(key: &Item) -> String {
    let mut attributes: Vec<_> = key.iter().collect();
    attributes.sort_by_key(|(name, _)| *name);
    attributes
        .iter()
        .fold(String::new(), |text, (name, value)| {
            format!("{text}{name}\0{value:?}\0")
        })
}
