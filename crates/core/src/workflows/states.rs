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
    /// Beside each entry, the first day after `key.on` its state can change
    /// (`rules::state_changes_after`), as stored in `customer_state`.
    changes_on: Arc<[Option<NaiveDate>]>,
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

    /// Makes the stored states current for `on` now (recomputing the customers the days since
    /// moved, or all of them where none are stored yet), so the next read that needs them (the
    /// home screen, a state-filtered page) finds them ready; computes the snapshot in memory
    /// only for a day they cannot serve. The desktop app calls it at launch, while the window
    /// and web view start.
    pub fn prepare_states(&self, on: NaiveDate) -> Result<()> {
        self.read(|conn| {
            if self.current_stored_states(conn, on)? {
                Ok(())
            } else {
                self.states(conn, on).map(drop)
            }
        })
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
        let patched =
            (!affected.all && !affected.list && affected.customers.len() <= PATCH_AT_MOST)
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
            let mine = customers::list_customer_heads(conn).and_then(|heads| {
                Ok((
                    heads,
                    screening::all_open_hit_terms(conn)?,
                    store::states::flags_observed_after(conn, key.on)?,
                ))
            });
            (side.join(), other.join(), mine)
        });
        let (letters_reader, side) = side.expect("the fact-loading thread panicked");
        let (attestations_reader, other) = other.expect("the fact-loading thread panicked");
        self.return_reader(letters_reader);
        self.return_reader(attestations_reader);
        let (letter_rows, flag_rows) = side?;
        let attestation_rows = other?;
        let (heads, hit_rows, later_flags) = mine?;
        Ok(compute(
            heads,
            |facts, slot| {
                add_facts(facts, slot, attestation_rows, |f| &mut f.attestations);
                add_facts(facts, slot, letter_rows, |f| &mut f.letters);
                add_facts(facts, slot, flag_rows, |f| &mut f.flags);
                add_facts(facts, slot, hit_rows, |f| &mut f.open_hits);
                // Flags observed after the day are not loaded (they are not open), but the
                // day one opens is when the state can change.
                for (customer, observed_on) in later_flags {
                    if let Some(&i) = slot.get(&customer) {
                        facts[i].flags.push(rules::FlagTerms {
                            id: Uuid::nil(),
                            flag_id: String::new(),
                            observed_on,
                            resolved_on: Some(observed_on),
                        });
                    }
                }
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
    let (entries, changes_on): (Vec<Arc<CustomerStateEntry>>, Vec<Option<NaiveDate>>) = heads
        .into_par_iter()
        .zip(facts.par_iter())
        .map(|(c, f)| {
            let (state, reasons) = rules::customer_state(&c, f, key.on, policy);
            let entry = CustomerStateEntry {
                id: c.id,
                external_id: c.external_id,
                name: c.name,
                country: c.country,
                owner_id: c.owner_id,
                state,
                reasons,
            };
            (
                Arc::new(entry),
                rules::state_changes_after(f, key.on, policy),
            )
        })
        .unzip();
    // 20,000 facts with their vectors take milliseconds to free: not on the caller's time.
    drop_later(Some(facts));
    StateSnapshot {
        key,
        entries: entries.into(),
        changes_on: changes_on.into(),
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
    let mut changes_on: Vec<Option<NaiveDate>> = old.changes_on.to_vec();
    for head in heads {
        let f = facts.remove(&head.id).unwrap_or_default();
        let (state, reasons) = rules::customer_state(&head, &f, key.on, &policy);
        changes_on[old.by_id[&head.id]] = rules::state_changes_after(&f, key.on, &policy);
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
        changes_on: changes_on.into(),
        by_id: old.by_id.clone(),
    }))
}

// ---- The persisted states (`customer_state`, migration 0008) ----

impl Enduse {
    /// Inside a write's transaction, before its commit: recomputes the stored states of the
    /// customers it affected (and of any marked by team sync), for the day they are stored for.
    /// A write that can move every customer's state, or thousands at once (an import), declares
    /// them stale instead, in the same transaction: the next read recomputes them all.
    pub(crate) fn persist_states(&self, conn: &Connection, affected: &Affected) -> Result<()> {
        let Some(on) = store::states::states_on(conn)? else {
            return Ok(());
        };
        if affected.all || affected.customers.len() > PATCH_AT_MOST {
            return store::states::invalidate(conn);
        }
        let mut ids = affected.customers.clone();
        ids.extend(store::states::due_on(conn, on)?);
        refresh_stored(conn, ids, on)
    }

    /// Makes the stored states current for `on` if they can be (they are for `on` already, or
    /// for an earlier day: the customers whose `changes_on` has come are recomputed; none
    /// stored: all are), writing them in a transaction of their own. `false` when they cannot
    /// serve `on` (an earlier day than stored, or the database cannot be written now): the
    /// caller computes in memory instead. Call with the connection lock held.
    pub(crate) fn current_stored_states(&self, conn: &Connection, on: NaiveDate) -> Result<bool> {
        match store::states::states_on(conn)? {
            Some(d) if d == on => return Ok(true),
            Some(d) if d > on => return Ok(false),
            _ => {}
        }
        if !conn.is_autocommit() || conn.execute_batch("BEGIN IMMEDIATE").is_err() {
            return Ok(false);
        }
        let done = (|| {
            match store::states::states_on(conn)? {
                Some(d) if d == on => return Ok(true),
                Some(d) if d > on => return Ok(false),
                Some(_) => {
                    let due = store::states::due_on(conn, on)?;
                    if due.len() <= PATCH_AT_MOST {
                        refresh_stored(conn, due, on)?;
                    } else {
                        self.store_all(conn, on)?;
                    }
                }
                None => self.store_all(conn, on)?,
            }
            store::states::set_states_on(conn, on)?;
            Ok(true)
        })();
        match done {
            Ok(done) => {
                conn.execute_batch("COMMIT")?;
                Ok(done)
            }
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    /// Stores every customer's state for `on` (from the snapshot, computed if need be). In a
    /// write transaction: no other connection can commit between the facts and the rows.
    fn store_all(&self, conn: &Connection, on: NaiveDate) -> Result<()> {
        // Not kept in memory afterwards: reads that can use the stored states do.
        let snapshot = match self.cached_states(conn, on)? {
            Some(cached) => cached,
            None => Arc::new(self.compute_states(conn, self.snapshot_key(conn, on)?)?),
        };
        store::states::replace_all(
            conn,
            snapshot
                .entries
                .iter()
                .zip(snapshot.changes_on.iter())
                .map(|(e, c)| (e.id, e.state, *c, e.country.clone(), e.owner_id)),
        )
    }

    /// Compares the stored states with every state computed afresh for their day: the first
    /// customer that differs (a state written into the file by hand, or a write path that
    /// failed to keep it current), `None` when they agree or none are stored. Part of
    /// `audit verify`.
    pub fn verify_stored_states(&self) -> Result<Option<store::audit::RecordMismatch>> {
        self.read(|conn| {
            let Some(on) = store::states::states_on(conn)? else {
                return Ok(None);
            };
            let key = self.snapshot_key(conn, on)?;
            let fresh = self.compute_states(conn, key)?;
            let mut stored: FxHashMap<Uuid, [Option<String>; 4]> =
                store::states::all_states(conn)?.into_iter().collect();
            use store::audit::{ChainProblem, ChainProblemCode, with};
            let mismatch = |id: Uuid, reason: String, problem: Option<ChainProblem>| {
                store::audit::RecordMismatch {
                    table: "customer_state".into(),
                    id: id.to_string(),
                    reason,
                    problem,
                }
            };
            for (e, changes) in fresh.entries.iter().zip(fresh.changes_on.iter()) {
                let expected = [
                    Some(e.state.as_str().to_string()),
                    changes.map(|d| d.to_string()),
                    Some(e.country.clone()),
                    e.owner_id.map(|o| o.to_string()),
                ];
                let text = |v: &Option<String>| v.clone().unwrap_or_else(|| "none".into());
                match stored.remove(&e.id) {
                    None => {
                        return Ok(Some(mismatch(
                            e.id,
                            format!("no stored state; the rules give {}", e.state.as_str()),
                            with(
                                ChainProblem::new(ChainProblemCode::StateMissing),
                                "state",
                                e.state.as_str(),
                            ),
                        )));
                    }
                    Some(row) if row != expected => {
                        return Ok(Some(mismatch(
                            e.id,
                            format!(
                                "stored state {} (changes on {}, country {}, owner {}) but the \
                                 rules give {} (changes on {}, country {}, owner {}) on {on}",
                                text(&row[0]),
                                text(&row[1]),
                                text(&row[2]),
                                text(&row[3]),
                                text(&expected[0]),
                                text(&expected[1]),
                                text(&expected[2]),
                                text(&expected[3]),
                            ),
                            with(
                                with(
                                    with(
                                        ChainProblem::new(ChainProblemCode::StateDiffers),
                                        "stored",
                                        text(&row[0]),
                                    ),
                                    "expected",
                                    text(&expected[0]),
                                ),
                                "on",
                                on,
                            ),
                        )));
                    }
                    Some(_) => {}
                }
            }
            Ok(stored.into_keys().next().map(|id| {
                mismatch(
                    id,
                    "a stored state for a customer that has none (archived or gone)".into(),
                    ChainProblem::new(ChainProblemCode::StateExtra),
                )
            }))
        })
    }
}

/// Recomputes the stored states of `ids` for `on` (archived or unknown ones lose theirs).
fn refresh_stored(conn: &Connection, mut ids: Vec<Uuid>, on: NaiveDate) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    ids.sort_unstable();
    ids.dedup();
    let heads = customers::customer_heads_of(conn, &ids)?;
    let mut facts = super::reports::facts_for_many(conn, &ids)?;
    let policy = policy_in(conn)?;
    let active: std::collections::HashSet<Uuid> = heads.iter().map(|h| h.id).collect();
    let gone: Vec<Uuid> = ids.into_iter().filter(|id| !active.contains(id)).collect();
    store::states::remove_states(conn, &gone)?;
    store::states::put_states(
        conn,
        heads.iter().map(|h| {
            let f = facts.remove(&h.id).unwrap_or_default();
            let (state, _) = rules::customer_state(h, &f, on, &policy);
            let changes_on = rules::state_changes_after(&f, on, &policy);
            (h.id, state, changes_on, h.country.clone(), h.owner_id)
        }),
    )
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::model::{Channel, CustomerStatus, Decision};
    use crate::workflows::CustomerQuery;

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

    /// The stored states are current for `on` and equal a full recomputation.
    fn assert_stored_fresh(e: &Enduse, on: NaiveDate, after: &str) {
        assert!(
            e.read(|c| e.current_stored_states(c, on)).unwrap(),
            "after {after}: the stored states cannot serve {on}"
        );
        assert_eq!(e.verify_stored_states().unwrap(), None, "after {after}");
    }

    #[test]
    fn stored_states_equal_a_full_recomputation_after_every_kind_of_write_and_a_new_day() {
        use crate::workflows::{AckInput, CustomerInput, LetterInput};
        let dir = tempfile::tempdir().unwrap();
        let e = Enduse::open(dir.path().join("a.db")).unwrap();
        let on = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let now = Utc::now();
        e.load_demo(300, 7, on, now).unwrap();
        let manager = e.find_user_by_email("priya.shah@demo.enduse").unwrap().id;
        let stored_on = |e: &Enduse| e.read(store::states::states_on).unwrap();
        assert_eq!(
            stored_on(&e),
            None,
            "nothing is stored before the first read"
        );
        assert_stored_fresh(&e, on, "the first read");
        assert_eq!(stored_on(&e), Some(on));

        let item = e.review_queue(1).unwrap().items.remove(0).attestation;
        e.review_attestation(manager, item.id, Decision::Approve, None, now)
            .unwrap();
        assert_stored_fresh(&e, on, "a review");

        let flag = e.list_red_flags(None, true).unwrap().remove(0);
        e.resolve_red_flag(manager, flag.id, "explained", on, now)
            .unwrap();
        assert_stored_fresh(&e, on, "a resolution");

        let customer = e.coverage_report(on).unwrap().customers[11].id;
        e.raise_red_flag(manager, customer, &flag.flag_id, on, None, now)
            .unwrap();
        assert_stored_fresh(&e, on, "a new red flag");
        e.set_customer_status(
            manager,
            customer,
            CustomerStatus::OnHold,
            Some("audit".into()),
            now,
        )
        .unwrap();
        assert_stored_fresh(&e, on, "a status");

        let added = e
            .add_customer(
                manager,
                CustomerInput {
                    name: "Stored State Trading Ltd".into(),
                    country: "HK".into(),
                    customer_type: Some(crate::model::CustomerType::Distributor),
                    ..Default::default()
                },
                now,
            )
            .unwrap();
        assert_stored_fresh(&e, on, "a new customer");
        let sent_on = on.checked_sub_days(chrono::Days::new(40)).unwrap();
        let letter = e
            .record_letter(
                manager,
                LetterInput {
                    customer_id: added.id,
                    channel: Channel::Email,
                    sent_on,
                    ack_due: Some(on.checked_add_days(chrono::Days::new(5)).unwrap()),
                    subject: None,
                    body: None,
                    template_name: None,
                    template_version: None,
                },
                now,
            )
            .unwrap();
        assert_stored_fresh(&e, on, "a letter");
        let awaiting = CustomerQuery {
            states: vec![CustomerState::AwaitingAck],
            countries: vec!["HK".into()],
            search: Some("stored state".into()),
            ..Default::default()
        };
        assert_eq!(e.list_customers(&awaiting, on).unwrap().total, 1);

        // Days pass: the letter falls overdue; only the customers whose day came are redone.
        let later = on.checked_add_days(chrono::Days::new(6)).unwrap();
        let due = e.read(|c| store::states::due_on(c, later)).unwrap();
        assert!(due.contains(&added.id));
        assert!(due.len() < 300, "a new day recomputes {} of 301", due.len());
        assert_stored_fresh(&e, later, "six days");
        let overdue = CustomerQuery {
            states: vec![CustomerState::OverdueAck],
            ..awaiting.clone()
        };
        assert_eq!(e.list_customers(&overdue, later).unwrap().total, 1);
        // An earlier day than stored is computed in memory, and still right.
        assert_eq!(e.list_customers(&awaiting, on).unwrap().total, 1);

        e.acknowledge_letter(
            manager,
            letter.id,
            AckInput {
                received_on: later,
                by: "Li Na".into(),
                note: None,
            },
            now,
        )
        .unwrap();
        assert_stored_fresh(&e, later, "an acknowledgement");
        e.archive_customer(manager, added.id, true, now).unwrap();
        assert_stored_fresh(&e, later, "archiving");

        // Policy can move everyone: the stored states are declared stale in its transaction.
        let mut policy = e.policy().unwrap();
        policy.expiry_warning_days += 30;
        e.set_policy(manager, policy, now).unwrap();
        assert_eq!(stored_on(&e), None);
        assert_stored_fresh(&e, later, "a policy change");

        // A year on, most customers' states move: everything due is redone.
        let next_year = later.checked_add_days(chrono::Days::new(365)).unwrap();
        assert_stored_fresh(&e, next_year, "a year");

        // A state written into the file by hand is named by audit verify.
        let raw = rusqlite::Connection::open(e.path()).unwrap();
        raw.execute(
            "UPDATE customer_state SET state = 'covered' WHERE customer_id = \
             (SELECT customer_id FROM customer_state WHERE state <> 'covered' LIMIT 1)",
            [],
        )
        .unwrap();
        drop(raw);
        let report = e.verify_audit().unwrap();
        assert!(!report.ok);
        let mismatch = report.record_mismatch.unwrap();
        assert_eq!(mismatch.table, "customer_state");
        assert!(
            mismatch.reason.contains("stored state covered"),
            "{mismatch:?}"
        );
    }

    #[test]
    fn home_from_the_stored_states_equals_home_from_the_snapshot() {
        let dir = tempfile::tempdir().unwrap();
        let e = Enduse::open(dir.path().join("a.db")).unwrap();
        let on = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        e.load_demo(400, 3, on, Utc::now()).unwrap();
        let users: Vec<_> = e
            .list_users()
            .unwrap()
            .into_iter()
            .filter(|u| u.role != crate::model::Role::Admin)
            .collect();
        // An archived customer's open red flag, follow-up and submission count for no one.
        let manager = users
            .iter()
            .find(|u| u.role == crate::model::Role::ComplianceManager)
            .unwrap();
        let home = e.home(manager.id, on).unwrap();
        let flagged = home.open_red_flags[0].observation.customer_id;
        let followed = home.open_follow_ups[0].follow_up.customer_id;
        for id in [flagged, followed] {
            e.archive_customer(manager.id, id, true, Utc::now())
                .unwrap();
        }
        let after = e.home(manager.id, on).unwrap();
        assert!(after.open_red_flag_count < home.open_red_flag_count);
        assert!(after.open_follow_up_count < home.open_follow_up_count);
        assert!(e.read(|c| e.current_stored_states(c, on)).unwrap());
        let from_stored: Vec<String> = users
            .iter()
            .map(|u| serde_json::to_string(&e.home(u.id, on).unwrap()).unwrap())
            .collect();
        // Stored for a later day, they cannot serve `on`: home computes in memory.
        let raw = rusqlite::Connection::open(e.path()).unwrap();
        raw.execute(
            "UPDATE meta SET value = '2026-11-24' WHERE key = 'states_on'",
            [],
        )
        .unwrap();
        drop(raw);
        assert!(!e.read(|c| e.current_stored_states(c, on)).unwrap());
        for (u, stored) in users.iter().zip(&from_stored) {
            let snapshot = serde_json::to_string(&e.home(u.id, on).unwrap()).unwrap();
            assert_eq!(&snapshot, stored, "home of {} ({:?})", u.name, u.role);
        }
    }
}
