//! The team benchmark: a real PostgreSQL (ENDUSE_TEST_DATABASE_URL; `./dev bench` starts
//! `scripts/pg.sh`), a real `enduse-hub serve` process and real `enduse` laptops (the release
//! binary beside this one), on the 20,000-customer demo dataset pushed as a team's events.
//!
//! Figures: push (events/s, one device after another, pages of 1,000 as the laptop sends);
//! a new manager's `team join` of the whole team and the pull-and-apply rate it shows (a rep's
//! join is a second sample); a rep's daily sync of 100 new events (the `enduse sync` process,
//! round trip); and 200 simulated devices syncing at once (push 5, pull everything new, wait
//! 1 s, again) for ENDUSE_BENCH_SOAK_SECS (default 15; the figure is 60).
//! `ENDUSE_BENCH_CUSTOMERS` changes the dataset's size, `ENDUSE_BENCH_DEVICES` the soak's
//! devices; `ENDUSE_BENCH_HUB_ONLY=1` skips the laptop figures; `ENDUSE_BENCH_CLI` names the
//! `enduse` binary and `ENDUSE_BENCH_HUB` the served `enduse-hub` (to run two builds
//! alternately); `ENDUSE_BENCH_JOINS=BIN,BIN,…` makes, after the push, one manager's join with
//! each `enduse` binary named (old and new builds in turn), prints each, and stops there.
//! Wall times move with the VM's load: the CPU seconds beside them do not.

#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use enduse_hub::protocol::{Draft, Event, PushOutcome};
use serde_json::{Value, json};
use support::{BIN, Db, Device, Hub};
use uuid::Uuid;

struct Figure {
    what: String,
    target: String,
    measured: String,
    ok: Option<bool>,
}

fn figure(
    what: impl Into<String>,
    target: impl Into<String>,
    measured: String,
    ok: Option<bool>,
) -> Figure {
    Figure {
        what: what.into(),
        target: target.into(),
        measured,
        ok,
    }
}

/// The hub ($ENDUSE_BENCH_HUB: another `enduse-hub`, an older build run alternately), with a
/// pool large enough for the soak's devices.
fn start_hub(database_url: &str) -> Hub {
    let bin = std::env::var_os("ENDUSE_BENCH_HUB").unwrap_or_else(|| BIN.into());
    Hub::serve(&bin, database_url, 16, &[])
}

/// The release `enduse` beside this bench (target/release/enduse; `./dev bench` builds it),
/// or $ENDUSE_BENCH_CLI.
fn enduse_bin() -> PathBuf {
    if let Some(bin) = std::env::var_os("ENDUSE_BENCH_CLI") {
        return bin.into();
    }
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().and_then(Path::parent).unwrap().join("enduse");
    assert!(
        bin.exists(),
        "{} is missing: build the bins first",
        bin.display()
    );
    bin
}

fn enduse(db: &Path, args: &[&str]) -> Output {
    enduse_with(&enduse_bin(), db, args)
}

fn enduse_with(bin: &Path, db: &Path, args: &[&str]) -> Output {
    let out = Command::new(bin)
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("ENDUSE_USER")
        .env("ENDUSE_KEY_STORE", "file")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "enduse {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// One event of the demo's audit trail, to be signed by the device of its author.
struct DemoEvent {
    actor: Uuid,
    action: String,
    entity: String,
    entity_id: String,
    old: Option<String>,
    new: String,
}

/// The demo dataset's users and the events they made (the demo writes no actor on its events:
/// the author is the record's `updatedBy`, else `createdBy`). Users, reference data, templates
/// and documents are left out: users come from the hub, the others stay on each device.
/// A demo user: id, name, email, role.
type DemoUser = (Uuid, String, String, String);

fn demo_events(db: &Path) -> (Vec<DemoUser>, Vec<DemoEvent>) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let users = conn
        .prepare("SELECT id, name, email, role FROM user")
        .unwrap()
        .query_map([], |r| {
            Ok((
                Uuid::parse_str(&r.get::<_, String>(0)?).unwrap(),
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
            ))
        })
        .unwrap()
        .collect::<rusqlite::Result<Vec<_>>>()
        .unwrap();
    // The events as the CLI exports them (the table keeps payloads compressed).
    let export = db.with_extension("events.jsonl");
    enduse(db, &["audit", "export", export.to_str().unwrap()]);
    let mut events = Vec::new();
    for line in std::fs::read_to_string(&export).unwrap().lines() {
        let e: Value = serde_json::from_str(line).unwrap();
        let text = |k: &str| e[k].as_str().unwrap().to_string();
        let entity = text("entity");
        if matches!(
            entity.as_str(),
            "user" | "reference" | "letter_template" | "document"
        ) {
            continue;
        }
        let value = &e["new"];
        let Some(actor) = ["updatedBy", "createdBy"]
            .iter()
            .find_map(|f| value.get(f).and_then(Value::as_str))
            .and_then(|s| Uuid::parse_str(s).ok())
        else {
            continue;
        };
        events.push(DemoEvent {
            actor,
            action: text("action"),
            entity,
            entity_id: text("entityId"),
            old: (!e["old"].is_null()).then(|| e["old"].to_string()),
            new: value.to_string(),
        });
    }
    (users, events)
}

fn replace_ids(text: &str, ids: &[(String, String)]) -> Value {
    let mut text = text.to_string();
    for (from, to) in ids {
        if text.contains(from.as_str()) {
            text = text.replace(from.as_str(), to);
        }
    }
    serde_json::from_str(&text).unwrap()
}

/// CPU seconds from /proc (Linux; 100 ticks a second): a process's own (`utime + stime`) or,
/// for `children`, what its waited-for children used. On this shared VM wall time moves with
/// the load; CPU time says what the work itself cost.
fn cpu_secs(pid: &str, children: bool) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces) start at field 3 (state).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<f64> = rest
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0.0))
        .collect();
    let (a, b) = if children { (13, 14) } else { (11, 12) };
    (fields.get(a).unwrap_or(&0.0) + fields.get(b).unwrap_or(&0.0)) / 100.0
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

fn main() {
    if std::env::args()
        .skip(1)
        .any(|a| !a.starts_with("--") && !"team".contains(a.as_str()))
    {
        return;
    }
    let customers: u32 = std::env::var("ENDUSE_BENCH_CUSTOMERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let soak_secs: u64 = std::env::var("ENDUSE_BENCH_SOAK_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(15);
    let soak_devices: usize = std::env::var("ENDUSE_BENCH_DEVICES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let mut figures = Vec::new();
    let dir = tempfile::tempdir().unwrap();

    // The demo dataset, made by the real CLI in a solo database (untimed).
    let t = Instant::now();
    let demo = dir.path().join("demo.db");
    enduse(&demo, &["init"]);
    enduse(
        &demo,
        &["demo", "--customers", &customers.to_string(), "--seed", "1"],
    );
    let (demo_users, events) = demo_events(&demo);
    eprintln!(
        "demo: {} events to push ({customers} customers) in {:.1} s",
        events.len(),
        t.elapsed().as_secs_f64()
    );

    let db = Db::new();
    let hub = start_hub(&db.url);

    // One hub user and device per demo user (same role), ids mapped in every record.
    let mut devices: HashMap<Uuid, Device> = HashMap::new();
    let mut id_map = Vec::new();
    let mut roles = HashMap::new();
    for (id, name, email, role) in &demo_users {
        let out = db.cli(&[
            "user", "add", "--name", name, "--email", email, "--role", role, "--json",
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let device = Device::enroll_at(&hub.url, v["code"].as_str().unwrap());
        id_map.push((id.to_string(), device.user_id.to_string()));
        roles.insert(*id, role.clone());
        devices.insert(*id, device);
    }

    // Signed by each device in its chain order (untimed; threads per device).
    let t = Instant::now();
    let mut per_device: HashMap<Uuid, Vec<(usize, &DemoEvent)>> = HashMap::new();
    for (i, e) in events.iter().enumerate() {
        per_device.entry(e.actor).or_default().push((i, e));
    }
    let id_map = &id_map;
    let mut signed: Vec<Option<(Uuid, Event)>> = (0..events.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = devices
            .iter_mut()
            .map(|(actor, device)| {
                let mine = per_device.remove(actor).unwrap_or_default();
                scope.spawn(move || {
                    mine.into_iter()
                        .map(|(i, e)| {
                            let new = replace_ids(&e.new, id_map);
                            let old = e.old.as_deref().map(|o| replace_ids(o, id_map));
                            let base_version = old
                                .as_ref()
                                .and_then(|o| o.get("version"))
                                .and_then(Value::as_i64);
                            let event = Event::sign(
                                Draft {
                                    id: Uuid::now_v7(),
                                    at: Utc::now(),
                                    actor_id: device.user_id,
                                    action: e.action.clone(),
                                    entity: e.entity.clone(),
                                    entity_id: e.entity_id.clone(),
                                    base_version,
                                    old,
                                    new,
                                },
                                device.device_id,
                                device.seq,
                                &device.prev_hash,
                                &device.key,
                            );
                            device.seq = event.device_seq;
                            device.prev_hash = event.hash.clone();
                            (i, (*actor, event))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            for (i, e) in h.join().unwrap() {
                signed[i] = Some(e);
            }
        }
    });
    eprintln!("signed in {:.1} s", t.elapsed().as_secs_f64());

    // Push: windows of the trail, reps' events before managers' and the admin's in each
    // window (a review follows the attestation it decides), pages of 1,000.
    let role_rank = |actor: &Uuid| match roles[actor].as_str() {
        "sales_rep" => 0,
        "admin" => 1,
        _ => 2,
    };
    let mut requests: Vec<(Uuid, Vec<Event>)> = Vec::new();
    for window in signed.chunks_mut(20_000) {
        let mut by_actor: Vec<(Uuid, Vec<Event>)> = Vec::new();
        for (actor, event) in window.iter_mut().map(|s| s.take().unwrap()) {
            match by_actor.iter_mut().find(|(a, _)| *a == actor) {
                Some((_, list)) => list.push(event),
                None => by_actor.push((actor, vec![event])),
            }
        }
        by_actor.sort_by_key(|(a, _)| role_rank(a));
        for (actor, list) in by_actor {
            for page in list.chunks(1000) {
                requests.push((actor, page.to_vec()));
            }
        }
    }
    let hub_pid = hub.child.id().to_string();
    let hub_cpu = cpu_secs(&hub_pid, false);
    let (mut accepted, mut refused) = (0usize, 0usize);
    let mut push_time = Duration::ZERO;
    for (actor, page) in &requests {
        let client = &devices[actor].client;
        let t = Instant::now();
        let answer = client.push(page).expect("push");
        push_time += t.elapsed();
        for o in &answer.outcomes {
            match o {
                PushOutcome::Accepted { .. } => accepted += 1,
                PushOutcome::Refused { .. } => refused += 1,
                other => panic!("the bench's events must chain: {other:?}"),
            }
        }
    }
    let pushed = accepted + refused;
    let rate = pushed as f64 / push_time.as_secs_f64();
    let hub_cpu = cpu_secs(&hub_pid, false) - hub_cpu;
    eprintln!(
        "pushed {pushed} events in {:.1} s ({rate:.0} events/s), hub CPU {hub_cpu:.1} s",
        push_time.as_secs_f64()
    );
    figures.push(figure(
        format!(
            "push: {pushed} events in {} requests ({accepted} accepted, {refused} refused), one after another",
            requests.len()
        ),
        "≥ 20000 events/s",
        format!(
            "{rate:.0} events/s ({:.1} s; hub CPU {hub_cpu:.1} s)",
            push_time.as_secs_f64()
        ),
        Some(rate >= 20_000.0),
    ));

    // ENDUSE_BENCH_JOINS=BIN,BIN,…: one manager's join with each binary, in turn, then stop.
    if let Ok(bins) = std::env::var("ENDUSE_BENCH_JOINS") {
        for (n, bin) in bins.split(',').enumerate() {
            let out = db.cli(&[
                "user",
                "add",
                "--name",
                &format!("Join {n}"),
                "--email",
                &format!("join{n}@bench.example"),
                "--role",
                "compliance_manager",
                "--json",
            ]);
            let v: Value = serde_json::from_slice(&out.stdout).unwrap();
            let laptop = dir.path().join(format!("join{n}.db"));
            let (cpu, hub_cpu) = (cpu_secs("self", true), cpu_secs(&hub_pid, false));
            let t = Instant::now();
            let out = enduse_with(
                Path::new(bin),
                &laptop,
                &[
                    "team",
                    "join",
                    "--hub",
                    &hub.url,
                    "--code",
                    v["code"].as_str().unwrap(),
                    "--json",
                ],
            );
            let took = t.elapsed().as_secs_f64();
            let cpu = cpu_secs("self", true) - cpu;
            let hub_cpu = cpu_secs(&hub_pid, false) - hub_cpu;
            let joined: Value = serde_json::from_slice(&out.stdout).unwrap();
            let pulled = joined["sync"]["pulled"].as_u64().unwrap();
            println!(
                "join with {bin}: {pulled} events in {took:.2} s ({:.0} events/s), laptop CPU \
                 {cpu:.2} s, hub CPU {hub_cpu:.2} s",
                pulled as f64 / took
            );
            // Where the laptop's bytes went (pages per table and index).
            let conn = rusqlite::Connection::open(&laptop).unwrap();
            let sizes = conn
                .prepare(
                    "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 8",
                )
                .and_then(|mut s| {
                    s.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
                        .collect::<rusqlite::Result<Vec<_>>>()
                })
                .unwrap_or_default();
            let sizes: Vec<String> = sizes
                .iter()
                .map(|(name, bytes)| format!("{name} {:.1} MB", *bytes as f64 / 1e6))
                .collect();
            let records: i64 = conn
                .query_row("SELECT count(*) FROM team_record", [], |r| r.get(0))
                .unwrap_or(0);
            println!("  {records} team records; largest: {}", sizes.join(", "));
        }
        return;
    }

    // ENDUSE_BENCH_HUB_ONLY=1 skips the laptop figures (joins, daily sync): the hub's alone.
    if std::env::var_os("ENDUSE_BENCH_HUB_ONLY").is_none() {
        // A new manager's device joins the team; a new rep's device is a second sample.
        let join = |role: &str, name: &str| -> (Duration, usize, PathBuf, f64) {
            let out = db.cli(&[
                "user",
                "add",
                "--name",
                name,
                "--email",
                &format!("{}@bench.example", name.to_lowercase().replace(' ', ".")),
                "--role",
                role,
                "--json",
            ]);
            let v: Value = serde_json::from_slice(&out.stdout).unwrap();
            let laptop = dir.path().join(format!("{}.db", name.replace(' ', "-")));
            let cpu = cpu_secs("self", true);
            let hub_cpu = cpu_secs(&hub_pid, false);
            let t = Instant::now();
            let out = enduse(
                &laptop,
                &[
                    "team",
                    "join",
                    "--hub",
                    &hub.url,
                    "--code",
                    v["code"].as_str().unwrap(),
                    "--json",
                ],
            );
            let took = t.elapsed();
            let cpu = cpu_secs("self", true) - cpu;
            let hub_cpu = cpu_secs(&hub_pid, false) - hub_cpu;
            let joined: Value = serde_json::from_slice(&out.stdout).unwrap();
            let pulled = joined["sync"]["pulled"].as_u64().unwrap() as usize;
            // A manager receives every event; a rep only the customers they own (none yet).
            if role == "compliance_manager" {
                assert_eq!(
                    pulled, accepted,
                    "the manager's join pulls every accepted event"
                );
            }
            eprintln!(
                "{name} joined in {:.1} s (laptop CPU {cpu:.1} s, hub CPU {hub_cpu:.1} s)",
                took.as_secs_f64()
            );
            (took, pulled, laptop, cpu)
        };
        let (manager_join, pulled, _, manager_cpu) = join("compliance_manager", "Bench Manager");
        let (rep_join, _, rep_db, rep_cpu) = join("sales_rep", "Bench Rep");
        figures.push(figure(
            format!("a new manager device joins the {customers}-customer team ({pulled} events, no documents)"),
            "≤ 20 s",
            format!("{:.1} s", manager_join.as_secs_f64()),
            Some(manager_join.as_secs_f64() <= 20.0),
        ));
        // The rep's join pulls only what a rep may hold (no customers yet): the rate is the
        // manager's, who pulls everything.
        let apply_rate = pulled as f64 / manager_join.as_secs_f64();
        figures.push(figure(
            format!(
                "pull and apply on the laptop (the manager's join, whole `team join` process: {:.1} s; \
                 a rep's join holding no customer yet {:.1} s; laptop CPU {:.1} s and {:.1} s)",
                manager_join.as_secs_f64(),
                rep_join.as_secs_f64(),
                manager_cpu,
                rep_cpu
            ),
            "≥ 50000 events/s",
            format!("{apply_rate:.0} events/s"),
            Some(apply_rate >= 50_000.0),
        ));

        // The rep's daily sync: 100 new customers imported, then `enduse sync` (push 100, pull
        // them back), median of 5.
        let mut syncs = Vec::new();
        for round in 0..6 {
            let csv = dir.path().join(format!("day{round}.csv"));
            let mut text = String::from(
                "name,english_name,country,type,city,address,website,owner_email,external_id,hs_codes\n",
            );
            for i in 0..100 {
                text.push_str(&format!(
                    "Bench Day {round} Customer {i},Bench Day {round} Customer {i},CN,distributor,\
                     Shenzhen,,,,BENCH-{round}-{i},8542.31\n"
                ));
            }
            std::fs::write(&csv, text).unwrap();
            enduse(&rep_db, &["customer", "import", csv.to_str().unwrap()]);
            let cpu = cpu_secs("self", true);
            let t = Instant::now();
            let out = enduse(&rep_db, &["sync", "--json"]);
            let took = t.elapsed();
            let cpu = cpu_secs("self", true) - cpu;
            eprintln!(
                "daily sync {round}: {:.0} ms (laptop CPU {:.0} ms)",
                took.as_secs_f64() * 1e3,
                cpu * 1e3
            );
            let report: Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(report["pushed"], 100, "{report}");
            if round > 0 {
                syncs.push(took);
            }
        }
        syncs.sort();
        let daily = syncs[syncs.len() / 2];
        figures.push(figure(
            "a rep's daily sync of 100 events, round trip (`enduse sync` process, median of 5)",
            "≤ 300 ms",
            format!("{:.0} ms", daily.as_secs_f64() * 1e3),
            Some(daily.as_secs_f64() <= 0.3),
        ));
    }
    // Many devices at once.
    let mut soak = Vec::new();
    for i in 0..soak_devices {
        let out = db.cli(&[
            "user",
            "add",
            "--name",
            &format!("Soak Rep {i}"),
            "--email",
            &format!("soak{i}@bench.example"),
            "--role",
            "sales_rep",
            "--json",
        ]);
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        soak.push(Device::enroll_at(&hub.url, v["code"].as_str().unwrap()));
    }
    let head = soak[0].client.me().unwrap().team_head.seq;
    let latencies = Arc::new(Mutex::new(Vec::new()));
    let errors = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let t = Instant::now();
    let threads: Vec<_> = soak
        .into_iter()
        .enumerate()
        .map(|(n, mut device)| {
            let (latencies, errors, stop) = (latencies.clone(), errors.clone(), stop.clone());
            std::thread::Builder::new()
                .stack_size(256 << 10)
                .spawn(move || {
                    let mut cursor = head;
                    let mut k = 0;
                    // Spread the first syncs over the first second.
                    std::thread::sleep(Duration::from_millis((n as u64 * 997) % 1000));
                    while !stop.load(Ordering::Relaxed) {
                        let start = Instant::now();
                        let events: Vec<Event> = (0..5)
                            .map(|_| {
                                k += 1;
                                let id = Uuid::now_v7().to_string();
                                device.create("customer.create", "customer", &id, json!({"id": id, "name": format!("Soak {n}-{k}"), "version": 1}))
                            })
                            .collect();
                        let result = device.client.push(&events).map(|_| ()).and_then(|()| loop {
                            let page = device.client.pull(cursor, 1000)?;
                            let n = page.events.len();
                            if let Some(last) = page.events.last() {
                                cursor = last.team_seq;
                            }
                            if n < 1000 {
                                break Ok(());
                            }
                        });
                        let took = start.elapsed();
                        match result {
                            Ok(()) => latencies.lock().unwrap().push(took),
                            Err(e) => errors.lock().unwrap().push(e.to_string()),
                        }
                        std::thread::sleep(Duration::from_secs(1).saturating_sub(took));
                    }
                })
                .unwrap()
        })
        .collect();
    std::thread::sleep(Duration::from_secs(soak_secs));
    stop.store(true, Ordering::Relaxed);
    for th in threads {
        th.join().unwrap();
    }
    let elapsed = t.elapsed();
    let mut lat = latencies.lock().unwrap().clone();
    lat.sort();
    let errors = errors.lock().unwrap();
    let p99 = percentile(&lat, 0.99);
    figures.push(figure(
        format!(
            "{soak_devices} devices syncing at once for {soak_secs} s (each: push 5, pull all new, wait 1 s): \
             {} syncs, {} errors, p50 {:.0} ms",
            lat.len(),
            errors.len(),
            percentile(&lat, 0.5).as_secs_f64() * 1e3
        ),
        "no error, p99 ≤ 1000 ms",
        format!("p99 {:.0} ms", p99.as_secs_f64() * 1e3),
        Some(errors.is_empty() && p99 <= Duration::from_secs(1)),
    ));
    if let Some(e) = errors.first() {
        eprintln!("first soak error: {e}");
    }
    eprintln!("soak ran {:.1} s", elapsed.as_secs_f64());

    println!();
    println!("| figure | target | measured | |");
    println!("| --- | --- | --- | --- |");
    for f in &figures {
        let mark = match f.ok {
            Some(true) => "ok",
            Some(false) => "MISSED",
            None => "",
        };
        println!("| {} | {} | {} | {mark} |", f.what, f.target, f.measured);
    }
}
