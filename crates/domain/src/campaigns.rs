//! Where a letter, and a customer, stand in a campaign. The store's aggregate query
//! (`enduse_store::campaigns::campaign_counts`) computes the same standing in SQL for every
//! campaign at once; a store test keeps the two equal.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CampaignLetterStatus {
    Generated,
    Sent,
    Overdue,
    Acknowledged,
}

/// The dates of one letter that its standing depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LetterDates {
    pub sent_on: Option<NaiveDate>,
    pub ack_due: Option<NaiveDate>,
    pub ack_received_on: Option<NaiveDate>,
}

/// One letter's own standing on `on`: acknowledged once answered; generated until sent;
/// overdue when sent and past its due date; otherwise sent.
pub fn letter_standing(l: LetterDates, on: NaiveDate) -> CampaignLetterStatus {
    match (l.sent_on, l.ack_received_on) {
        (_, Some(_)) => CampaignLetterStatus::Acknowledged,
        (None, None) => CampaignLetterStatus::Generated,
        (Some(_), None) if l.ack_due.is_some_and(|d| d < on) => CampaignLetterStatus::Overdue,
        (Some(_), None) => CampaignLetterStatus::Sent,
    }
}

/// Where a customer stands in a campaign, from all its letters there: acknowledged if it
/// answered any of them; overdue if the latest due date among the letters sent has passed (a
/// chase gives more time); sent if any was sent; otherwise generated.
pub fn customer_standing(
    letters: impl IntoIterator<Item = LetterDates>,
    on: NaiveDate,
) -> CampaignLetterStatus {
    let (mut answered, mut sent, mut due_in_force) = (false, false, None::<NaiveDate>);
    for l in letters {
        answered |= l.ack_received_on.is_some();
        if l.sent_on.is_some() {
            sent = true;
            due_in_force = due_in_force.max(l.ack_due);
        }
    }
    if answered {
        CampaignLetterStatus::Acknowledged
    } else if due_in_force.is_some_and(|d| d < on) {
        CampaignLetterStatus::Overdue
    } else if sent {
        CampaignLetterStatus::Sent
    } else {
        CampaignLetterStatus::Generated
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CampaignLetterStatus::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn letter(sent: Option<&str>, due: Option<&str>, ack: Option<&str>) -> LetterDates {
        LetterDates {
            sent_on: sent.map(d),
            ack_due: due.map(d),
            ack_received_on: ack.map(d),
        }
    }

    #[test]
    fn a_letter_not_sent_is_generated_even_past_its_due_date() {
        let l = letter(None, Some("2026-01-01"), None);
        assert_eq!(letter_standing(l, d("2026-06-01")), Generated);
    }

    #[test]
    fn a_sent_letter_is_overdue_only_after_its_due_day() {
        let l = letter(Some("2026-01-01"), Some("2026-01-31"), None);
        assert_eq!(letter_standing(l, d("2026-01-31")), Sent);
        assert_eq!(letter_standing(l, d("2026-02-01")), Overdue);
    }

    #[test]
    fn an_answered_letter_is_acknowledged_whatever_its_dates() {
        let l = letter(None, Some("2026-01-31"), Some("2026-03-01"));
        assert_eq!(letter_standing(l, d("2026-06-01")), Acknowledged);
    }

    #[test]
    fn a_customer_who_answered_any_letter_is_acknowledged() {
        let first = letter(Some("2026-01-01"), Some("2026-01-31"), None);
        let chase = letter(Some("2026-02-05"), Some("2026-03-05"), Some("2026-02-20"));
        assert_eq!(
            customer_standing([first, chase], d("2026-06-01")),
            Acknowledged
        );
    }

    #[test]
    fn a_chase_sent_gives_the_customer_until_its_own_due_date() {
        let first = letter(Some("2026-01-01"), Some("2026-01-31"), None);
        let chase = letter(Some("2026-02-05"), Some("2026-03-05"), None);
        assert_eq!(customer_standing([first, chase], d("2026-02-10")), Sent);
        assert_eq!(customer_standing([first, chase], d("2026-03-06")), Overdue);
    }

    #[test]
    fn a_chase_not_yet_sent_does_not_extend_the_due_date() {
        let first = letter(Some("2026-01-01"), Some("2026-01-31"), None);
        let chase = letter(None, Some("2026-03-05"), None);
        assert_eq!(customer_standing([first, chase], d("2026-02-10")), Overdue);
    }

    #[test]
    fn a_customer_with_only_unsent_letters_is_generated() {
        let l = letter(None, Some("2026-01-31"), None);
        assert_eq!(customer_standing([l], d("2026-06-01")), Generated);
        assert_eq!(customer_standing([], d("2026-06-01")), Generated);
    }
}
