//! WAL checkpoints on a thread of their own. SQLite's automatic checkpoint runs inside the commit
//! that takes the WAL past 1,000 pages, so that write (a 20,000-row import: ~100 ms of its
//! second) also waits while every page it has just made durable is copied into the database
//! file. With a [`Checkpointer`] the commit only signals, and a second connection copies the
//! pages while the caller goes on.

use std::ffi::c_int;
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;

use rusqlite::hooks::Wal;
use rusqlite::{Connection, OpenFlags};

use crate::Result;

/// WAL pages after a commit that ask for a checkpoint (SQLite's own default threshold).
const CHECKPOINT_PAGES: c_int = 1000;

/// Owns the checkpoint thread of one database; dropping it stops the thread (a checkpoint under
/// way finishes first). The last connection to close checkpoints whatever is left.
pub struct Checkpointer {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Default)]
struct State {
    requested: bool,
    running: bool,
    stop: bool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn request(&self) {
        self.lock().requested = true;
        self.changed.notify_all();
    }
}

impl Checkpointer {
    /// Takes `conn`'s automatic checkpoints over. On an error (the second connection cannot be
    /// opened) `conn` is left as it was, checkpointing in its commits.
    pub fn start(conn: &mut Connection, path: &Path) -> Result<Checkpointer> {
        let worker = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI,
        )?;
        worker.busy_timeout(std::time::Duration::from_secs(10))?;
        let shared = Arc::new(Shared::default());
        let thread = {
            let shared = shared.clone();
            std::thread::Builder::new()
                .name("enduse-checkpoint".into())
                .spawn(move || run(&worker, &shared))
                .map_err(|e| crate::Error::io(path, e))?
        };
        // Built first, so an error below stops the thread (on drop).
        let checkpointer = Checkpointer {
            shared: shared.clone(),
            thread: Some(thread),
        };
        // Replaces SQLite's automatic checkpoint, which is itself a WAL hook.
        conn.wal_hook(Some(move |_: &mut Wal, pages: c_int| {
            if pages >= CHECKPOINT_PAGES {
                shared.request();
            }
            Ok(())
        }))?;
        Ok(checkpointer)
    }

    /// Waits until no checkpoint is asked for or under way.
    pub fn settle(&self) {
        let mut state = self.shared.lock();
        while state.requested || state.running {
            state = self
                .shared
                .changed
                .wait(state)
                .unwrap_or_else(|p| p.into_inner());
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.shared.lock().stop = true;
        self.shared.changed.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run(conn: &Connection, shared: &Shared) {
    let mut state = shared.lock();
    loop {
        while !state.requested && !state.stop {
            state = shared
                .changed
                .wait(state)
                .unwrap_or_else(|p| p.into_inner());
        }
        if state.stop {
            state.requested = false;
            break;
        }
        state.requested = false;
        state.running = true;
        drop(state);
        // PASSIVE copies what no reader still needs and never waits for or blocks a writer. A
        // failure (a busy lock) leaves the pages in the WAL for the next request or the close.
        let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
        state = shared.lock();
        state.running = false;
        shared.changed.notify_all();
    }
    drop(state);
    shared.changed.notify_all();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows_in_the_database_file_alone(path: &Path, copy: &Path) -> i64 {
        std::fs::copy(path, copy).unwrap();
        let conn = Connection::open(copy).unwrap();
        conn.query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap_or(0)
    }

    #[test]
    fn a_big_commit_reaches_the_database_file_through_the_thread() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        let mut conn = super::super::open(&path).unwrap();
        let checkpoints = Checkpointer::start(&mut conn, &path).unwrap();
        conn.execute_batch(
            "CREATE TABLE t (x BLOB);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
             INSERT INTO t SELECT randomblob(200) FROM n;",
        )
        .unwrap();
        checkpoints.settle();
        // Copied without its WAL, the file has every row: the checkpoint ran.
        let copy = dir.path().join("copy.db");
        assert_eq!(rows_in_the_database_file_alone(&path, &copy), 20_000);
        // A small commit asks for nothing: its pages wait in the WAL.
        conn.execute("INSERT INTO t VALUES (1)", []).unwrap();
        checkpoints.settle();
        assert_eq!(rows_in_the_database_file_alone(&path, &copy), 20_000);
        // Closing (the checkpointer first, then the last connection) writes the rest.
        drop(checkpoints);
        drop(conn);
        assert_eq!(rows_in_the_database_file_alone(&path, &copy), 20_001);
        assert!(!dir.path().join("a.db-wal").exists());
    }
}
