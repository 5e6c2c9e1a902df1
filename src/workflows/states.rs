//! Every active customer's state on a day, computed once per version of the database and shared
//! by the coverage report, the home screen and state-filtered or state-sorted customer pages.
//!
//! A snapshot stays valid until something is written: by this handle (a counter bumped by every
//! commit of `Enduse::write`) or by another connection, such as the CLI while the app is open
//! (SQLite's `PRAGMA data_version`). Policy lives in the database, so changing it invalidates too.
//! The day is part of the key because states move with time (expiring, overdue).

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use rayon::prelude::*;
use rusqlite::Connection;
use rustc_hash::FxHashMap;
use uuid::Uuid;

use super::reports::CustomerStateEntry;
use super::{Enduse, policy_in};
use crate::Result;
use crate::model::Policy;
use crate::rules::{self, CustomerState};
use crate::store::{self, attestations, customers, letters, screening, visits};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SnapshotKey {
    data_version: i64,
    local_writes: u64,
    on: NaiveDate,
}

/// The states of all active customers, in the coverage report's order (by name). Entries are
/// shared, not copied, with the reports built from them (a copy of 20,000 was 14 ms).
pub(crate) struct StateSnapshot {
    key: SnapshotKey,
    pub entries: Arc<[CustomerStateEntry]>,
    by_id: FxHashMap<Uuid, usize>,
}

impl StateSnapshot {
    pub fn get(&self, id: Uuid) -> Option<&CustomerStateEntry> {
        self.by_id.get(&id).map(|&i| &self.entries[i])
    }

    pub fn counts(&self) -> HashMap<CustomerState, u64> {
        let mut counts = HashMap::new();
        for e in self.entries.iter() {
            *counts.entry(e.state).or_default() += 1;
        }
        counts
    }
}

impl Enduse {
    fn snapshot_key(&self, conn: &Connection, on: NaiveDate) -> Result<SnapshotKey> {
        Ok(SnapshotKey {
            data_version: store::data_version(conn)?,
            local_writes: self.writes.load(std::sync::atomic::Ordering::Acquire),
            on,
        })
    }

    /// Drops the cached snapshot, so the next read computes every state again (benchmarks
    /// measure that cold path).
    #[doc(hidden)]
    pub fn forget_cached_states(&self) {
        *self.states.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    /// Computes every customer's state for `on` now, if not cached, so the next read that needs
    /// them (the home screen, the coverage report) finds them ready. The desktop app calls it
    /// at launch, while the window and web view start.
    pub fn prepare_states(&self, on: NaiveDate) -> Result<()> {
        self.read(|conn| self.states(conn, on)).map(drop)
    }

    /// The snapshot for `on` if one is cached and still current; never computes.
    pub(crate) fn cached_states(
        &self,
        conn: &Connection,
        on: NaiveDate,
    ) -> Result<Option<Arc<StateSnapshot>>> {
        let key = self.snapshot_key(conn, on)?;
        let cache = self.states.lock().unwrap_or_else(|p| p.into_inner());
        Ok(cache.as_ref().filter(|s| s.key == key).cloned())
    }

    /// The snapshot for `on`, computed if the cached one is stale. Call with the connection
    /// lock held (inside `read`), so no write of this handle can land between key and facts.
    pub(crate) fn states(&self, conn: &Connection, on: NaiveDate) -> Result<Arc<StateSnapshot>> {
        if let Some(hit) = self.cached_states(conn, on)? {
            return Ok(hit);
        }
        let key = self.snapshot_key(conn, on)?;
        let snapshot = Arc::new(self.compute_states(conn, key)?);
        let old = self
            .states
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .replace(snapshot.clone());
        drop_later(old);
        Ok(snapshot)
    }
}

/// Frees a replaced snapshot on another thread: 20,000 entries with their reasons take several
/// milliseconds to free, which the read that replaced them need not wait for.
fn drop_later(old: Option<Arc<StateSnapshot>>) {
    if let Some(old) = old {
        std::thread::spawn(move || drop(old));
    }
}

impl Enduse {
    /// Loads every customer's facts in a few set-wise queries on three connections at once
    /// (letters and red flags on one pooled read-only connection, attestations on another,
    /// customers and open hits on this one: measured, the three take similar times), then
    /// computes the states on all cores.
    fn compute_states(&self, conn: &Connection, key: SnapshotKey) -> Result<StateSnapshot> {
        let policy = policy_in(conn)?;
        let (letters_reader, attestations_reader) = (self.take_reader()?, self.take_reader()?);
        let (side, other, mine) = std::thread::scope(|scope| {
            let side = scope.spawn(move || {
                let rows = letters::all_letter_terms(&letters_reader)
                    .and_then(|l| Ok((l, visits::all_flag_terms(&letters_reader)?)));
                (letters_reader, rows)
            });
            let other = scope.spawn(move || {
                let rows = attestations::all_attestation_terms(&attestations_reader, false);
                (attestations_reader, rows)
            });
            let mine = customers::list_customer_heads(conn)
                .and_then(|heads| Ok((heads, screening::all_open_hit_terms(conn)?)));
            (side.join(), other.join(), mine)
        });
        let (letters_reader, side) = side.expect("the fact-loading thread panicked");
        let (attestations_reader, other) = other.expect("the fact-loading thread panicked");
        self.return_reader(letters_reader);
        self.return_reader(attestations_reader);
        let (letter_rows, flag_rows) = side?;
        let attestation_rows = other?;
        let (heads, hit_rows) = mine?;
        Ok(compute(
            heads,
            |facts, slot| {
                add_facts(facts, slot, attestation_rows, |f| &mut f.attestations);
                add_facts(facts, slot, letter_rows, |f| &mut f.letters);
                add_facts(facts, slot, flag_rows, |f| &mut f.flags);
                add_facts(facts, slot, hit_rows, |f| &mut f.open_hits);
            },
            key,
            &policy,
        ))
    }
}

/// Files rows of one kind of fact under their customers' slots; rows of customers not in the
/// snapshot (archived) are dropped. The fact queries scan indexes that start with the customer
/// id, so rows come grouped and most need no lookup.
fn add_facts<T>(
    facts: &mut [rules::CustomerFacts],
    slot: &FxHashMap<Uuid, usize>,
    rows: Vec<(Uuid, T)>,
    field: impl Fn(&mut rules::CustomerFacts) -> &mut Vec<T>,
) {
    let mut last: Option<(Uuid, Option<usize>)> = None;
    for (customer, terms) in rows {
        let at = match last {
            Some((id, at)) if id == customer => at,
            _ => {
                let at = slot.get(&customer).copied();
                last = Some((customer, at));
                at
            }
        };
        if let Some(i) = at {
            field(&mut facts[i]).push(terms);
        }
    }
}

fn compute(
    heads: Vec<customers::CustomerHead>,
    fill: impl FnOnce(&mut [rules::CustomerFacts], &FxHashMap<Uuid, usize>),
    key: SnapshotKey,
    policy: &Policy,
) -> StateSnapshot {
    let by_id: FxHashMap<Uuid, usize> = heads.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
    let mut facts = vec![rules::CustomerFacts::default(); heads.len()];
    fill(&mut facts, &by_id);
    let entries: Vec<CustomerStateEntry> = heads
        .into_par_iter()
        .zip(facts.into_par_iter())
        .map(|(c, f)| {
            let (state, reasons) = rules::customer_state(&c, &f, key.on, policy);
            CustomerStateEntry {
                id: c.id,
                external_id: c.external_id,
                name: c.name,
                country: c.country,
                owner_id: c.owner_id,
                state,
                reasons,
            }
        })
        .collect();
    StateSnapshot {
        key,
        entries: entries.into(),
        by_id,
    }
}
