//! Every active customer's state on a day, computed once per version of the database and shared
//! by the coverage report, the home screen and state-filtered or state-sorted customer pages.
//!
//! A snapshot stays valid until something is written: by this handle (a counter bumped by every
//! commit of `Enduse::write`) or by another connection, such as the CLI while the app is open
//! (SQLite's `PRAGMA data_version`). Policy lives in the database, so changing it invalidates too.
//! The day is part of the key because states move with time (expiring, overdue).
//!
//! A write of this handle whose records name the customers they concern (a letter, an
//! attestation, a red flag, a screening hit, a customer's status: [`Record::affects`]) patches
//! the snapshot instead: it recomputes those customers' states right after its commit, so the
//! next state-filtered page does not wait for all 20,000. Anything else (a customer added,
//! archived or renamed, policy, reference data, a write by another connection) drops it.
//!
//! [`Record::affects`]: crate::store::Record::affects

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
use crate::store::{self, Affected, attestations, customers, letters, screening, visits};

/// Above this many customers touched by one write, recomputing everyone is about as quick.
const PATCH_AT_MOST: usize = 2_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SnapshotKey {
    data_version: i64,
    local_writes: u64,
    on: NaiveDate,
}

/// The states of all active customers, in the coverage report's order (by name). Entries are
/// shared, not copied, with the reports built from them (a copy of 20,000 was 14 ms) and with
/// the patched snapshot that replaces this one after a write.
pub(crate) struct StateSnapshot {
    key: SnapshotKey,
    pub entries: Arc<[Arc<CustomerStateEntry>]>,
    by_id: Arc<FxHashMap<Uuid, usize>>,
}

impl StateSnapshot {
    pub fn get(&self, id: Uuid) -> Option<&CustomerStateEntry> {
        self.by_id.get(&id).map(|&i| &*self.entries[i])
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
fn drop_later<T: Send + 'static>(old: Option<T>) {
    if let Some(old) = old {
        std::thread::spawn(move || drop(old));
    }
}

impl Enduse {
    /// After a commit of this handle: patches the cached snapshot for the customers the write
    /// affected, or drops it (see the module's comment). `writes_before` is the commit counter
    /// before this write; call with the connection lock still held.
    pub(crate) fn states_after_write(
        &self,
        conn: &Connection,
        writes_before: u64,
        affected: &Affected,
    ) {
        let mut cache = self.states.lock().unwrap_or_else(|p| p.into_inner());
        let Some(old) = cache.take() else {
            return;
        };
        let patched = (!affected.all && affected.customers.len() <= PATCH_AT_MOST)
            .then(|| patch(conn, &old, writes_before, &affected.customers))
            .and_then(|p| p.ok().flatten());
        *cache = patched.map(Arc::new);
        drop(cache);
        drop_later(Some(old));
    }

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
                    .and_then(|l| Ok((l, visits::open_flag_terms_on(&letters_reader, key.on)?)));
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
    rows: Vec<store::FactRow<T>>,
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
        match (at, terms) {
            (Some(i), Ok(terms)) => field(&mut facts[i]).push(terms),
            (Some(i), Err(unreadable)) => facts[i].unreadable.push(unreadable),
            (None, _) => {}
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
        .zip(facts.par_iter())
        .map(|(c, f)| {
            let (state, reasons) = rules::customer_state(&c, f, key.on, policy);
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
    // 20,000 facts with their vectors take milliseconds to free: not on the caller's time.
    drop_later(Some(facts));
    StateSnapshot {
        key,
        entries: entries.into_iter().map(Arc::new).collect(),
        by_id: Arc::new(by_id),
    }
}

/// `old` with the states of `ids` recomputed, valid one write later; `None` when it cannot be
/// patched: it was already stale, another connection has written, or a customer is not in it.
fn patch(
    conn: &Connection,
    old: &StateSnapshot,
    writes_before: u64,
    ids: &[Uuid],
) -> Result<Option<StateSnapshot>> {
    if old.key.local_writes != writes_before || old.key.data_version != store::data_version(conn)? {
        return Ok(None);
    }
    let key = SnapshotKey {
        local_writes: writes_before + 1,
        ..old.key
    };
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let heads = customers::customer_heads_of(conn, &ids)?;
    if heads.len() != ids.len() || heads.iter().any(|h| !old.by_id.contains_key(&h.id)) {
        return Ok(None);
    }
    let mut facts = super::reports::facts_for_many(conn, &ids)?;
    let policy = policy_in(conn)?;
    let mut entries: Vec<Arc<CustomerStateEntry>> = old.entries.to_vec();
    for head in heads {
        let f = facts.remove(&head.id).unwrap_or_default();
        let (state, reasons) = rules::customer_state(&head, &f, key.on, &policy);
        entries[old.by_id[&head.id]] = Arc::new(CustomerStateEntry {
            id: head.id,
            external_id: head.external_id,
            name: head.name,
            country: head.country,
            owner_id: head.owner_id,
            state,
            reasons,
        });
    }
    Ok(Some(StateSnapshot {
        key,
        entries: entries.into(),
        by_id: old.by_id.clone(),
    }))
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::model::{CustomerStatus, Decision};

    fn entry_json(s: &StateSnapshot, id: Uuid) -> String {
        serde_json::to_string(s.get(id).unwrap()).unwrap()
    }

    /// The snapshot after the last write was patched, not dropped, and equals every state
    /// computed from scratch; returns whether `id`'s entry changed.
    fn assert_patched(
        e: &Enduse,
        on: NaiveDate,
        before: &StateSnapshot,
        id: Uuid,
        after: &str,
    ) -> bool {
        let patched = e
            .read(|c| e.cached_states(c, on))
            .unwrap()
            .unwrap_or_else(|| panic!("after {after}: the snapshot was dropped, not patched"));
        e.forget_cached_states();
        let fresh = e.read(|c| e.states(c, on)).unwrap();
        assert_eq!(patched.entries.len(), fresh.entries.len(), "after {after}");
        for (p, f) in patched.entries.iter().zip(fresh.entries.iter()) {
            let json = |e: &CustomerStateEntry| serde_json::to_string(e).unwrap();
            assert_eq!(json(p), json(f), "after {after}");
        }
        entry_json(before, id) != entry_json(&patched, id)
    }

    #[test]
    fn writes_naming_their_customer_patch_the_states_and_others_drop_them() {
        let dir = tempfile::tempdir().unwrap();
        let e = Enduse::open(dir.path().join("a.db")).unwrap();
        let on = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let now = Utc::now();
        e.load_demo(300, 7, on, now).unwrap();
        let manager = e.find_user_by_email("priya.shah@demo.enduse").unwrap().id;
        let states = || e.read(|c| e.states(c, on)).unwrap();
        let mut changed = 0;

        // A manager's decision on the oldest submitted attestation.
        let item = e.review_queue(1).unwrap().items.remove(0).attestation;
        let before = states();
        e.review_attestation(manager, item.id, Decision::Approve, None, now)
            .unwrap();
        changed += usize::from(assert_patched(
            &e,
            on,
            &before,
            item.customer_id,
            "a review",
        ));

        // An open red flag resolved.
        let flag = e.list_red_flags(None, true).unwrap().remove(0);
        let before = states();
        e.resolve_red_flag(manager, flag.id, "explained", on, now)
            .unwrap();
        changed += usize::from(assert_patched(
            &e,
            on,
            &before,
            flag.customer_id,
            "a resolution",
        ));

        // A red flag raised on a customer, then the customer put on hold.
        let customer = before.entries[7].id;
        let before = states();
        e.raise_red_flag(manager, customer, &flag.flag_id, on, None, now)
            .unwrap();
        changed += usize::from(assert_patched(&e, on, &before, customer, "a new red flag"));
        let before = states();
        e.set_customer_status(
            manager,
            customer,
            CustomerStatus::OnHold,
            Some("audit".into()),
            now,
        )
        .unwrap();
        changed += usize::from(assert_patched(&e, on, &before, customer, "a status"));
        assert!(changed >= 3, "the writes moved states: {changed} of 4");

        // A write that names no customer's facts keeps the snapshot as it is.
        let before = states();
        let follow_up = e.list_follow_ups(None, None, true).unwrap().remove(0);
        e.complete_follow_up(manager, follow_up.id, on, now)
            .unwrap();
        assert!(!assert_patched(&e, on, &before, customer, "a follow-up"));

        // Archiving changes the list itself: the snapshot is dropped.
        states();
        e.archive_customer(manager, customer, true, now).unwrap();
        assert!(e.read(|c| e.cached_states(c, on)).unwrap().is_none());
    }
}
