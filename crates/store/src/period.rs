//! What happened in a period (issue 18, item 4): counts by month of letters sent and
//! acknowledged, visits, red flags raised and resolved, attestation decisions and screening
//! hits opened and decided, in one aggregate query.

use crate::query_all;
use chrono::NaiveDate;
use rusqlite::{Connection, params};

use crate::Result;

/// The figures the period report counts, as `metric` names.
pub const METRICS: [&str; 11] = [
    "letters_sent",
    "letters_acknowledged",
    "visits",
    "red_flags_raised",
    "red_flags_resolved",
    "attestations_approved",
    "attestations_sent_back",
    "attestations_rejected",
    "hits_opened",
    "hits_decided",
    "holds_placed",
];

/// One figure in one month (`YYYY-MM`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthCount {
    pub metric: String,
    pub month: String,
    pub count: i64,
}

/// Every non-zero figure by month for the days `from..=to` (UTC days for timestamps).
pub fn period_counts(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Vec<MonthCount>> {
    let after = to.succ_opt().unwrap_or(to);
    // Dates compare as text (YYYY-MM-DD); timestamps (RFC 3339, UTC) sort between the days.
    query_all(
        conn,
        "SELECT 'letters_sent', substr(sent_on, 1, 7), count(*) FROM letter \
           WHERE archived = 0 AND sent_on >= ?1 AND sent_on <= ?2 GROUP BY 2 \
         UNION ALL SELECT 'letters_acknowledged', substr(ack_received_on, 1, 7), count(*) \
           FROM letter WHERE archived = 0 AND ack_received_on >= ?1 AND ack_received_on <= ?2 \
           GROUP BY 2 \
         UNION ALL SELECT 'visits', substr(visited_on, 1, 7), count(*) FROM visit \
           WHERE archived = 0 AND visited_on >= ?1 AND visited_on <= ?2 GROUP BY 2 \
         UNION ALL SELECT 'red_flags_raised', substr(observed_on, 1, 7), count(*) \
           FROM red_flag_observation WHERE observed_on >= ?1 AND observed_on <= ?2 GROUP BY 2 \
         UNION ALL SELECT 'red_flags_resolved', substr(resolved_on, 1, 7), count(*) \
           FROM red_flag_observation WHERE resolved_on >= ?1 AND resolved_on <= ?2 GROUP BY 2 \
         UNION ALL SELECT CASE decision WHEN 'approve' THEN 'attestations_approved' \
             WHEN 'request_changes' THEN 'attestations_sent_back' \
             ELSE 'attestations_rejected' END, substr(reviewed_at, 1, 7), count(*) \
           FROM review WHERE reviewed_at >= ?1 AND reviewed_at < ?3 GROUP BY 1, 2 \
         UNION ALL SELECT 'hits_opened', substr(created_at, 1, 7), count(*) FROM screening_hit \
           WHERE created_at >= ?1 AND created_at < ?3 GROUP BY 2 \
         UNION ALL SELECT 'hits_decided', substr(decided_at, 1, 7), count(*) FROM screening_hit \
           WHERE status IN ('confirmed', 'dismissed') AND decided_at >= ?1 AND decided_at < ?3 \
           GROUP BY 2 \
         UNION ALL SELECT 'holds_placed', substr(created_at, 1, 7), count(*) FROM legal_hold \
           WHERE created_at >= ?1 AND created_at < ?3 GROUP BY 2",
        params![
            from.format("%Y-%m-%d").to_string(),
            to.format("%Y-%m-%d").to_string(),
            after.format("%Y-%m-%d").to_string()
        ],
        |r| {
            Ok(MonthCount {
                metric: r.get(0)?,
                month: r.get(1)?,
                count: r.get(2)?,
            })
        },
    )
}
