//! [`Map`], the map of a [`Value::Map`]: string keys in order, compact when small.
//!
//! Most maps a plan holds are objects of a few attributes, and a `BTreeMap` spends a whole B-tree
//! leaf (632 bytes for `String` keys and `Value`s) on each. A [`Map`] of at most [`SMALL_MAX`]
//! entries is a sorted `Vec` of pairs instead (searched by bisection, exactly as long as it must
//! be when built at once); a larger one is a `BTreeMap`, so that a map of 100,000 `for_each`
//! keys stays logarithmic to update. The representation never shows: iteration is in key order
//! whatever it is, two maps with the same entries are equal, and the API is the part of
//! `BTreeMap<String, Value>`'s that the workspace uses.

use std::borrow::Borrow;
use std::collections::{BTreeMap, btree_map};
use std::fmt;
use std::ops::Index;

use super::Value;

/// The most entries a map keeps as a sorted vector; one more makes it a `BTreeMap`.
pub const SMALL_MAX: usize = 16;
/// A `BTreeMap` that shrinks to this many entries (by `remove` or `retain`) becomes a vector
/// again; the gap with [`SMALL_MAX`] keeps a map that grows and shrinks by one at the boundary from
/// converting at every step.
pub const SMALL_AGAIN: usize = SMALL_MAX / 2;

/// A map or object value: `String` keys in order (see the module documentation).
#[derive(Clone, Default)]
pub struct Map {
    repr: Repr,
}

#[derive(Clone)]
enum Repr {
    /// Sorted by key, keys unique, at most `SMALL_MAX` entries (but for a moment in `extend`).
    Small(Vec<(String, Value)>),
    /// Boxed so that a `Map` is no larger than a `Vec` (and a `Value` stays 32 bytes).
    #[allow(clippy::box_collection)]
    Large(Box<BTreeMap<String, Value>>),
}

impl Default for Repr {
    fn default() -> Self {
        Repr::Small(Vec::new())
    }
}

/// Sorts `v` by key and keeps the last value of each key (what inserting them in turn does).
fn sort_dedup(v: &mut Vec<(String, Value)>) {
    if !v.is_sorted_by(|a, b| a.0 < b.0) {
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v.dedup_by(|later, kept| {
            if later.0 == kept.0 {
                std::mem::swap(&mut later.1, &mut kept.1);
                true
            } else {
                false
            }
        });
    }
}

impl Map {
    pub const fn new() -> Map {
        Map {
            repr: Repr::Small(Vec::new()),
        }
    }

    /// An empty map with room for `n` entries when they fit a small one.
    pub fn with_capacity(n: usize) -> Map {
        if n <= SMALL_MAX {
            Map {
                repr: Repr::Small(Vec::with_capacity(n)),
            }
        } else {
            Map::new()
        }
    }

    /// A map of sorted, unique entries, in the representation their number calls for.
    fn from_sorted(mut v: Vec<(String, Value)>) -> Map {
        if v.len() > SMALL_MAX {
            Map {
                repr: Repr::Large(Box::new(v.into_iter().collect())),
            }
        } else {
            v.shrink_to_fit();
            Map { repr: Repr::Small(v) }
        }
    }

    fn search<Q>(v: &[(String, Value)], key: &Q) -> Result<usize, usize>
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        v.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    pub fn len(&self) -> usize {
        match &self.repr {
            Repr::Small(v) => v.len(),
            Repr::Large(m) => m.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn clear(&mut self) {
        self.repr = Repr::default();
    }

    pub fn get<Q>(&self, key: &Q) -> Option<&Value>
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.get_key_value(key).map(|(_, v)| v)
    }

    pub fn get_key_value<Q>(&self, key: &Q) -> Option<(&String, &Value)>
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        match &self.repr {
            Repr::Small(v) => Self::search(v, key).ok().map(|i| (&v[i].0, &v[i].1)),
            Repr::Large(m) => m.get_key_value(key),
        }
    }

    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut Value>
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        match &mut self.repr {
            Repr::Small(v) => Self::search(v, key).ok().map(|i| &mut v[i].1),
            Repr::Large(m) => m.get_mut(key),
        }
    }

    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.get(key).is_some()
    }

    /// Inserts `value` under `key`, returning the value it replaces.
    pub fn insert(&mut self, key: String, value: Value) -> Option<Value> {
        match &mut self.repr {
            Repr::Small(v) => match Self::search(v, &key) {
                Ok(i) => Some(std::mem::replace(&mut v[i].1, value)),
                Err(i) if v.len() < SMALL_MAX => {
                    v.insert(i, (key, value));
                    None
                }
                Err(_) => {
                    self.promote();
                    self.insert(key, value)
                }
            },
            Repr::Large(m) => m.insert(key, value),
        }
    }

    pub fn remove<Q>(&mut self, key: &Q) -> Option<Value>
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.remove_entry(key).map(|(_, v)| v)
    }

    pub fn remove_entry<Q>(&mut self, key: &Q) -> Option<(String, Value)>
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        match &mut self.repr {
            Repr::Small(v) => Self::search(v, key).ok().map(|i| v.remove(i)),
            Repr::Large(m) => {
                let out = m.remove_entry(key);
                self.shrink_if_small();
                out
            }
        }
    }

    /// A `BTreeMap` down to [`SMALL_AGAIN`] entries becomes a vector again.
    fn shrink_if_small(&mut self) {
        if let Repr::Large(m) = &mut self.repr
            && m.len() <= SMALL_AGAIN
        {
            let v: Vec<(String, Value)> = std::mem::take(&mut **m).into_iter().collect();
            self.repr = Repr::Small(v);
        }
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&String, &mut Value) -> bool) {
        match &mut self.repr {
            Repr::Small(v) => v.retain_mut(|(k, v)| keep(k, v)),
            Repr::Large(m) => {
                m.retain(|k, v| keep(k, v));
                self.shrink_if_small();
            }
        }
    }

    pub fn entry(&mut self, key: String) -> Entry<'_> {
        // Searched with a shared borrow first, so that a vacant small entry can hold the whole map
        // (its insert may have to make it a `BTreeMap`).
        let found = match &self.repr {
            Repr::Small(v) => Self::search(v, &key),
            Repr::Large(_) => Ok(0),
        };
        if let Err(index) = found {
            return Entry::Vacant(VacantEntry(Vacant::Small { map: self, key, index }));
        }
        match &mut self.repr {
            Repr::Small(v) => Entry::Occupied(OccupiedEntry(Occupied::Small(v, found.unwrap_or_default()))),
            Repr::Large(m) => match m.entry(key) {
                btree_map::Entry::Occupied(o) => Entry::Occupied(OccupiedEntry(Occupied::Large(o))),
                btree_map::Entry::Vacant(v) => Entry::Vacant(VacantEntry(Vacant::Large(v))),
            },
        }
    }

    /// Makes a small map a `BTreeMap` (before an insert that would pass [`SMALL_MAX`]).
    fn promote(&mut self) {
        if let Repr::Small(v) = &mut self.repr {
            let m: BTreeMap<String, Value> = std::mem::take(v).into_iter().collect();
            self.repr = Repr::Large(Box::new(m));
        }
    }

    pub fn iter(&self) -> Iter<'_> {
        Iter(match &self.repr {
            Repr::Small(v) => IterRepr::Small(v.iter()),
            Repr::Large(m) => IterRepr::Large(m.iter()),
        })
    }

    pub fn iter_mut(&mut self) -> IterMut<'_> {
        IterMut(match &mut self.repr {
            Repr::Small(v) => IterMutRepr::Small(v.iter_mut()),
            Repr::Large(m) => IterMutRepr::Large(m.iter_mut()),
        })
    }

    pub fn keys(&self) -> Keys<'_> {
        Keys(self.iter())
    }

    pub fn values(&self) -> Values<'_> {
        Values(self.iter())
    }

    pub fn values_mut(&mut self) -> ValuesMut<'_> {
        ValuesMut(self.iter_mut())
    }

    pub fn into_keys(self) -> impl DoubleEndedIterator<Item = String> + ExactSizeIterator {
        self.into_iter().map(|(k, _)| k)
    }

    pub fn into_values(self) -> impl DoubleEndedIterator<Item = Value> + ExactSizeIterator {
        self.into_iter().map(|(_, v)| v)
    }

    pub fn first_key_value(&self) -> Option<(&String, &Value)> {
        self.iter().next()
    }

    pub fn last_key_value(&self) -> Option<(&String, &Value)> {
        self.iter().next_back()
    }

    /// Moves every entry of `other` into `self` (replacing equal keys), leaving `other` empty.
    pub fn append(&mut self, other: &mut Map) {
        self.extend(std::mem::take(other));
    }
}

/// A view into one key of a [`Map`], as `btree_map::Entry`.
pub enum Entry<'a> {
    Occupied(OccupiedEntry<'a>),
    Vacant(VacantEntry<'a>),
}

pub struct OccupiedEntry<'a>(Occupied<'a>);

enum Occupied<'a> {
    Small(&'a mut Vec<(String, Value)>, usize),
    Large(btree_map::OccupiedEntry<'a, String, Value>),
}

pub struct VacantEntry<'a>(Vacant<'a>);

enum Vacant<'a> {
    /// `index` is where `key` goes in the vector of `map`.
    Small {
        map: &'a mut Map,
        key: String,
        index: usize,
    },
    Large(btree_map::VacantEntry<'a, String, Value>),
}

impl<'a> Entry<'a> {
    pub fn key(&self) -> &String {
        match self {
            Entry::Occupied(o) => o.key(),
            Entry::Vacant(v) => v.key(),
        }
    }

    pub fn or_insert(self, default: Value) -> &'a mut Value {
        self.or_insert_with(|| default)
    }

    pub fn or_insert_with(self, default: impl FnOnce() -> Value) -> &'a mut Value {
        match self {
            Entry::Occupied(o) => o.into_mut(),
            Entry::Vacant(v) => v.insert(default()),
        }
    }

    pub fn or_default(self) -> &'a mut Value {
        self.or_insert_with(Value::default)
    }

    pub fn and_modify(mut self, f: impl FnOnce(&mut Value)) -> Self {
        if let Entry::Occupied(o) = &mut self {
            f(o.get_mut());
        }
        self
    }
}

impl<'a> OccupiedEntry<'a> {
    pub fn key(&self) -> &String {
        match &self.0 {
            Occupied::Small(v, i) => &v[*i].0,
            Occupied::Large(o) => o.key(),
        }
    }

    pub fn get(&self) -> &Value {
        match &self.0 {
            Occupied::Small(v, i) => &v[*i].1,
            Occupied::Large(o) => o.get(),
        }
    }

    pub fn get_mut(&mut self) -> &mut Value {
        match &mut self.0 {
            Occupied::Small(v, i) => &mut v[*i].1,
            Occupied::Large(o) => o.get_mut(),
        }
    }

    pub fn into_mut(self) -> &'a mut Value {
        match self.0 {
            Occupied::Small(v, i) => &mut v[i].1,
            Occupied::Large(o) => o.into_mut(),
        }
    }

    pub fn insert(&mut self, value: Value) -> Value {
        std::mem::replace(self.get_mut(), value)
    }

    /// Removes the entry (a `BTreeMap` stays one: only [`Map::remove`] and [`Map::retain`]
    /// make it a vector again).
    pub fn remove(self) -> Value {
        self.remove_entry().1
    }

    pub fn remove_entry(self) -> (String, Value) {
        match self.0 {
            Occupied::Small(v, i) => v.remove(i),
            Occupied::Large(o) => o.remove_entry(),
        }
    }
}

impl<'a> VacantEntry<'a> {
    pub fn key(&self) -> &String {
        match &self.0 {
            Vacant::Small { key, .. } => key,
            Vacant::Large(v) => v.key(),
        }
    }

    pub fn into_key(self) -> String {
        match self.0 {
            Vacant::Small { key, .. } => key,
            Vacant::Large(v) => v.into_key(),
        }
    }

    pub fn insert(self, value: Value) -> &'a mut Value {
        match self.0 {
            Vacant::Small { map, key, index } => {
                if map.len() >= SMALL_MAX {
                    map.promote();
                }
                match &mut map.repr {
                    Repr::Small(v) => {
                        v.insert(index, (key, value));
                        &mut v[index].1
                    }
                    Repr::Large(m) => m.entry(key).or_insert(value),
                }
            }
            Vacant::Large(v) => v.insert(value),
        }
    }
}

/// Iterates a [`Map`] in key order.
#[derive(Clone)]
pub struct Iter<'a>(IterRepr<'a>);

#[derive(Clone)]
enum IterRepr<'a> {
    Small(std::slice::Iter<'a, (String, Value)>),
    Large(btree_map::Iter<'a, String, Value>),
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a String, &'a Value);
    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            IterRepr::Small(i) => i.next().map(|(k, v)| (k, v)),
            IterRepr::Large(i) => i.next(),
        }
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.0 {
            IterRepr::Small(i) => i.size_hint(),
            IterRepr::Large(i) => i.size_hint(),
        }
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            IterRepr::Small(i) => i.next_back().map(|(k, v)| (k, v)),
            IterRepr::Large(i) => i.next_back(),
        }
    }
}

impl ExactSizeIterator for Iter<'_> {}
impl std::iter::FusedIterator for Iter<'_> {}

/// Iterates a [`Map`] in key order, values mutable.
pub struct IterMut<'a>(IterMutRepr<'a>);

enum IterMutRepr<'a> {
    Small(std::slice::IterMut<'a, (String, Value)>),
    Large(btree_map::IterMut<'a, String, Value>),
}

impl<'a> Iterator for IterMut<'a> {
    type Item = (&'a String, &'a mut Value);
    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            IterMutRepr::Small(i) => i.next().map(|(k, v)| (&*k, v)),
            IterMutRepr::Large(i) => i.next(),
        }
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.0 {
            IterMutRepr::Small(i) => i.size_hint(),
            IterMutRepr::Large(i) => i.size_hint(),
        }
    }
}

impl DoubleEndedIterator for IterMut<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            IterMutRepr::Small(i) => i.next_back().map(|(k, v)| (&*k, v)),
            IterMutRepr::Large(i) => i.next_back(),
        }
    }
}

impl ExactSizeIterator for IterMut<'_> {}
impl std::iter::FusedIterator for IterMut<'_> {}

/// Iterates a [`Map`]'s entries by value, in key order.
pub struct IntoIter(IntoIterRepr);

enum IntoIterRepr {
    Small(std::vec::IntoIter<(String, Value)>),
    Large(btree_map::IntoIter<String, Value>),
}

impl Iterator for IntoIter {
    type Item = (String, Value);
    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            IntoIterRepr::Small(i) => i.next(),
            IntoIterRepr::Large(i) => i.next(),
        }
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.0 {
            IntoIterRepr::Small(i) => i.size_hint(),
            IntoIterRepr::Large(i) => i.size_hint(),
        }
    }
}

impl DoubleEndedIterator for IntoIter {
    fn next_back(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            IntoIterRepr::Small(i) => i.next_back(),
            IntoIterRepr::Large(i) => i.next_back(),
        }
    }
}

impl ExactSizeIterator for IntoIter {}
impl std::iter::FusedIterator for IntoIter {}

/// The keys of a [`Map`], in order.
#[derive(Clone)]
pub struct Keys<'a>(Iter<'a>);

impl<'a> Iterator for Keys<'a> {
    type Item = &'a String;
    fn next(&mut self) -> Option<&'a String> {
        self.0.next().map(|(k, _)| k)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for Keys<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, _)| k)
    }
}

impl ExactSizeIterator for Keys<'_> {}

/// The values of a [`Map`], in key order.
#[derive(Clone)]
pub struct Values<'a>(Iter<'a>);

impl<'a> Iterator for Values<'a> {
    type Item = &'a Value;
    fn next(&mut self) -> Option<&'a Value> {
        self.0.next().map(|(_, v)| v)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for Values<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(_, v)| v)
    }
}

impl ExactSizeIterator for Values<'_> {}

/// The values of a [`Map`], mutable, in key order.
pub struct ValuesMut<'a>(IterMut<'a>);

impl<'a> Iterator for ValuesMut<'a> {
    type Item = &'a mut Value;
    fn next(&mut self) -> Option<&'a mut Value> {
        self.0.next().map(|(_, v)| v)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for ValuesMut<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(_, v)| v)
    }
}

impl ExactSizeIterator for ValuesMut<'_> {}

impl IntoIterator for Map {
    type Item = (String, Value);
    type IntoIter = IntoIter;
    fn into_iter(self) -> IntoIter {
        IntoIter(match self.repr {
            Repr::Small(v) => IntoIterRepr::Small(v.into_iter()),
            Repr::Large(m) => IntoIterRepr::Large(m.into_iter()),
        })
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a String, &'a Value);
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl<'a> IntoIterator for &'a mut Map {
    type Item = (&'a String, &'a mut Value);
    type IntoIter = IterMut<'a>;
    fn into_iter(self) -> IterMut<'a> {
        self.iter_mut()
    }
}

impl FromIterator<(String, Value)> for Map {
    /// Sorts once (a later entry replaces an earlier one with the same key, as inserting does),
    /// and keeps a small map exactly as long as it is.
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(items: I) -> Map {
        let mut v: Vec<(String, Value)> = items.into_iter().collect();
        sort_dedup(&mut v);
        Map::from_sorted(v)
    }
}

impl Extend<(String, Value)> for Map {
    fn extend<I: IntoIterator<Item = (String, Value)>>(&mut self, items: I) {
        let items = items.into_iter();
        match &mut self.repr {
            Repr::Large(m) => m.extend(items),
            Repr::Small(_) if items.size_hint().0 <= SMALL_MAX => {
                for (k, v) in items {
                    self.insert(k, v);
                }
            }
            // Many entries at once: merged with a single sort, not inserted one by one.
            Repr::Small(v) => {
                let mut all = std::mem::take(v);
                all.extend(items);
                sort_dedup(&mut all);
                *self = Map::from_sorted(all);
            }
        }
    }
}

impl<'a> Extend<(&'a String, &'a Value)> for Map {
    fn extend<I: IntoIterator<Item = (&'a String, &'a Value)>>(&mut self, items: I) {
        self.extend(items.into_iter().map(|(k, v)| (k.clone(), v.clone())));
    }
}

impl<const N: usize> From<[(String, Value); N]> for Map {
    fn from(items: [(String, Value); N]) -> Map {
        items.into_iter().collect()
    }
}

impl From<BTreeMap<String, Value>> for Map {
    fn from(m: BTreeMap<String, Value>) -> Map {
        if m.len() > SMALL_MAX {
            Map {
                repr: Repr::Large(Box::new(m)),
            }
        } else {
            Map {
                repr: Repr::Small(m.into_iter().collect()),
            }
        }
    }
}

impl From<Map> for BTreeMap<String, Value> {
    fn from(m: Map) -> BTreeMap<String, Value> {
        match m.repr {
            Repr::Small(v) => v.into_iter().collect(),
            Repr::Large(m) => *m,
        }
    }
}

impl PartialEq for Map {
    /// Equal entries, whatever the representation of either map.
    fn eq(&self, other: &Map) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl fmt::Debug for Map {
    /// As a `BTreeMap` prints: `{"a": Null, "b": Bool(true)}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<Q> Index<&Q> for Map
where
    String: Borrow<Q>,
    Q: Ord + ?Sized,
{
    type Output = Value;
    /// The value of `key`; panics when it is absent, as `BTreeMap`'s index does.
    fn index(&self, key: &Q) -> &Value {
        self.get(key).expect("no entry found for key")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(i: usize) -> String {
        format!("k{i:03}")
    }

    /// A map of keys `0..n` inserted in reverse order, one by one.
    fn inserted(n: usize) -> Map {
        let mut m = Map::new();
        for i in (0..n).rev() {
            assert_eq!(m.insert(key(i), Value::int(i as i64)), None);
        }
        m
    }

    fn is_small(m: &Map) -> bool {
        matches!(m.repr, Repr::Small(_))
    }

    fn same_as_btree(m: &Map, b: &BTreeMap<String, Value>) {
        assert_eq!(m.len(), b.len());
        assert!(m.iter().eq(b.iter()), "{m:?} against {b:?}");
        assert!(m.iter().rev().eq(b.iter().rev()));
        assert!(m.keys().eq(b.keys()));
        assert!(m.values().eq(b.values()));
        for (k, v) in b {
            assert_eq!(m.get(k.as_str()), Some(v));
            assert!(m.contains_key(k));
        }
        assert_eq!(m.get("absent"), None);
    }

    #[test]
    fn iterates_in_key_order_in_both_representations() {
        for n in [0, 1, 2, 5, SMALL_MAX, SMALL_MAX + 1, 100] {
            let m = inserted(n);
            let b: BTreeMap<String, Value> = (0..n).map(|i| (key(i), Value::int(i as i64))).collect();
            same_as_btree(&m, &b);
            assert_eq!(is_small(&m), n <= SMALL_MAX, "{n} entries");
            let owned: Vec<(String, Value)> = m.clone().into_iter().collect();
            assert!(owned.into_iter().eq(b.clone()));
            assert_eq!(BTreeMap::from(m.clone()), b);
            assert_eq!(Map::from(b), m);
        }
    }

    #[test]
    fn promotes_past_the_small_size_and_demotes_well_below_it() {
        let mut m = inserted(SMALL_MAX);
        assert!(is_small(&m));
        // Replacing a key adds nothing.
        assert_eq!(m.insert(key(0), Value::Null), Some(Value::int(0)));
        assert!(is_small(&m));
        m.insert(key(SMALL_MAX), Value::Null);
        assert!(!is_small(&m));
        // Stays a tree until it shrinks to SMALL_AGAIN entries.
        for i in SMALL_AGAIN + 1..=SMALL_MAX {
            assert!(m.remove(key(i).as_str()).is_some());
            assert!(!is_small(&m), "{} entries", m.len());
        }
        assert_eq!(m.remove(&key(0)), Some(Value::Null));
        assert_eq!(m.len(), SMALL_AGAIN);
        assert!(is_small(&m));
        let b: BTreeMap<String, Value> = (1..=SMALL_AGAIN).map(|i| (key(i), Value::int(i as i64))).collect();
        same_as_btree(&m, &b);

        let mut big = inserted(100);
        big.retain(|k, _| k.as_str() < "k003");
        assert!(is_small(&big));
        assert_eq!(big.keys().cloned().collect::<Vec<_>>(), ["k000", "k001", "k002"]);
    }

    #[test]
    fn collect_sorts_once_and_the_last_duplicate_wins() {
        let items = vec![
            ("b".to_string(), Value::int(1)),
            ("a".to_string(), Value::int(2)),
            ("b".to_string(), Value::int(3)),
            ("c".to_string(), Value::int(4)),
            ("a".to_string(), Value::int(5)),
        ];
        let m: Map = items.clone().into_iter().collect();
        let b: BTreeMap<String, Value> = items.into_iter().collect();
        same_as_btree(&m, &b);
        assert_eq!(m.get("a"), Some(&Value::int(5)));
        if let Repr::Small(v) = &m.repr {
            assert_eq!(v.capacity(), 3, "a small map built at once is exactly as long as it is");
        }

        let many: Map = (0..1000).rev().map(|i| (key(i), Value::int(i as i64))).collect();
        assert!(!is_small(&many));
        assert!(many.keys().eq((0..1000).map(key).collect::<Vec<_>>().iter()));
    }

    #[test]
    fn extend_merges_small_and_many() {
        let mut m = inserted(3);
        m.extend([(key(1), Value::Null), (key(7), Value::Bool(true))]);
        assert!(is_small(&m));
        assert_eq!(m.get(&key(1)), Some(&Value::Null));
        assert_eq!(m.len(), 4);

        let mut b: BTreeMap<String, Value> = m.clone().into();
        let more: Vec<(String, Value)> = (0..50).map(|i| (key(i * 2), Value::string(i.to_string()))).collect();
        m.extend(more.clone());
        b.extend(more.clone());
        same_as_btree(&m, &b);
        assert!(!is_small(&m));
        m.extend(more.iter().map(|(k, v)| (k, v)));
        same_as_btree(&m, &b);

        let mut a = inserted(2);
        let mut other = inserted(4);
        a.append(&mut other);
        assert!(other.is_empty());
        same_as_btree(&a, &inserted(4).into());
    }

    #[test]
    fn entry_api_in_both_representations() {
        for n in [3, SMALL_MAX, 40] {
            let mut m = inserted(n);
            let mut b: BTreeMap<String, Value> = m.clone().into();
            *m.entry(key(1)).or_insert(Value::Null) = Value::Bool(true);
            *b.entry(key(1)).or_insert(Value::Null) = Value::Bool(true);
            *m.entry("new".into()).or_insert(Value::Null) = Value::Bool(false);
            *b.entry("new".into()).or_insert(Value::Null) = Value::Bool(false);
            m.entry("other".into()).or_default();
            b.entry("other".into()).or_default();
            m.entry(key(2))
                .and_modify(|v| *v = Value::int(-2))
                .or_insert(Value::Null);
            b.entry(key(2))
                .and_modify(|v| *v = Value::int(-2))
                .or_insert(Value::Null);
            m.entry("lazy".into()).or_insert_with(|| Value::string("x"));
            b.entry("lazy".into()).or_insert_with(|| Value::string("x"));
            match m.entry(key(0)) {
                Entry::Occupied(o) => assert_eq!(o.remove(), Value::int(0)),
                Entry::Vacant(_) => panic!("key 0 is there"),
            }
            b.remove(&key(0));
            match m.entry("zz".into()) {
                Entry::Vacant(v) => {
                    assert_eq!(v.key(), "zz");
                    v.insert(Value::int(9));
                }
                Entry::Occupied(_) => panic!("zz is not there"),
            }
            b.insert("zz".into(), Value::int(9));
            same_as_btree(&m, &b);
            assert_eq!(is_small(&m), n + 4 <= SMALL_MAX, "{n}");
        }
    }

    #[test]
    fn equal_whatever_the_representation() {
        // The same 12 entries, once as a tree that shrank, once as a vector.
        let mut large = inserted(SMALL_MAX + 1);
        for i in 12..=SMALL_MAX {
            large.remove(&key(i));
        }
        assert!(!is_small(&large));
        let small = inserted(12);
        assert!(is_small(&small));
        assert_eq!(large, small);
        assert_eq!(Value::Map(large.clone()), Value::Map(small.clone()));
        large.insert(key(0), Value::Null);
        assert_ne!(large, small);
        assert_ne!(inserted(3), inserted(4));
    }

    #[test]
    fn iter_mut_and_values_mut_change_values_in_place() {
        for n in [4, 40] {
            let mut m = inserted(n);
            for (_, v) in m.iter_mut() {
                *v = Value::Null;
            }
            assert!(m.values().all(Value::is_null));
            for v in m.values_mut() {
                *v = Value::Bool(true);
            }
            for (_, v) in &mut m {
                assert_eq!(v, &Value::Bool(true));
            }
            *m.get_mut(&key(1)).expect("present") = Value::int(1);
            assert_eq!(m[key(1).as_str()], Value::int(1));
            assert_eq!(m.first_key_value().map(|(k, _)| k.as_str()), Some("k000"));
            assert_eq!(m.last_key_value().map(|(k, _)| k.clone()), Some(key(n - 1)));
        }
    }

    #[test]
    fn debug_prints_like_a_btree_map() {
        let m = inserted(2);
        let b: BTreeMap<String, Value> = m.clone().into();
        assert_eq!(format!("{m:?}"), format!("{b:?}"));
        assert_eq!(format!("{m:?}"), r#"{"k000": Number(0), "k001": Number(1)}"#);
        assert_eq!(
            format!("{:?}", inserted(40)),
            format!("{:?}", BTreeMap::from(inserted(40)))
        );
    }

    #[test]
    fn a_value_stays_as_small_as_before() {
        assert_eq!(std::mem::size_of::<Map>(), std::mem::size_of::<Vec<(String, Value)>>());
        assert_eq!(std::mem::size_of::<Value>(), 32);
    }
}
