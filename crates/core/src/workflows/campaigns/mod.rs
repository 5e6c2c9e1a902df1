//! Campaign workflows: letter templates (merge fields checked when saved), campaigns that target
//! customers and generate one merged letter each in one transaction (a rerun adds only what is
//! missing), bulk "sent", acknowledgements with an optional scanned reply, progress and the chase
//! list, follow-up letters for the overdue, and PDFs of the letters.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::{Enduse, actor_user, optional, policy_in, required};
use crate::letters::{
    BodyBlock, DefaultTemplate, LetterDoc, LetterRenderer, Letterhead, MergeValues, MergedLetter,
    Paper, Template, TemplateError, safe_file_name,
};
use crate::model::*;
use crate::rules;
use crate::store::campaigns::{CampaignCounts, CampaignLetterFacts};
use crate::store::documents::sha256_hex;
use crate::store::{
    self, Change, campaigns as store_campaigns, customers as store_customers,
    letters as store_letters, users,
};
use crate::workflows::letters::AckInput;
use crate::{Error, ProblemCode, Result, country};
use enduse_domain::campaigns::{LetterDates, customer_standing, letter_standing};

mod delivery;
mod generation;
mod languages;
mod pdf;
mod progress;
mod targeting;
mod templates;
pub(crate) use templates::paper_of;
mod types;

pub use self::{languages::LanguageCount, templates::*, types::*};
// The helpers one operation's module lends another.
use self::{generation::*, languages::*, pdf::*, progress::*, targeting::*};

/// Campaigns, templates and the letterhead are the compliance team's: sales reps may see them,
/// send letters and record replies, but not create campaigns, chase, or change what letters say.
fn refuse_rep(user: &User, action: &'static str) -> Result<()> {
    if user.role == Role::SalesRep {
        return Err(Error::forbidden(
            action,
            format!(
                "sales reps cannot {action}; ask a compliance manager ({} is a sales rep)",
                user.email
            ),
        ));
    }
    Ok(())
}
