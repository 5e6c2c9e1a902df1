//! The Chinese fonts of letters: Noto Serif CJK SC for Simplified and Noto Serif CJK TC for
//! Traditional text, loaded from the system's fonts (Debian's `fonts-noto-cjk`, which
//! `scripts/setup.sh` installs; the same faces ship as Source Han Serif and as Noto Serif SC/TC).
//!
//! They are not embedded: the two weights of one script are over 50 MB, the whole app is not.
//! Each PDF embeds the subset of the glyphs it uses, as it does for the embedded fonts, so a
//! letter looks the same wherever it is opened. On a machine without them, Chinese text is set in
//! the embedded Droid Sans Fallback, which has one glyph shape for both scripts.
//!
//! The files are read once per process, when the first letter with Chinese text is rendered
//! (a process printing only English letters never reads them), and shared by every renderer.
//! Reading them costs about 55 MB of memory and a few hundredths of a second.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use typst::foundations::Bytes;
use typst::text::Font;

/// The Chinese script of a letter: which CJK font its Chinese text is set in, and the `region`
/// the layout gives Chinese paragraphs (CN or TW).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CjkScript {
    /// Simplified Chinese (mainland China).
    Sc,
    /// Traditional Chinese (Taiwan, Hong Kong, Macao).
    Tc,
}

/// The font families tried for each script, first found wins (the layout lists them all).
pub const SC_FAMILIES: [&str; 3] = ["Noto Serif CJK SC", "Source Han Serif SC", "Noto Serif SC"];
pub const TC_FAMILIES: [&str; 3] = ["Noto Serif CJK TC", "Source Han Serif TC", "Noto Serif TC"];

/// Where to look: `ENDUSE_CJK_FONT_DIR` first, then the usual system and user font folders.
fn font_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(dir) = std::env::var_os("ENDUSE_CJK_FONT_DIR") {
        dirs.push(PathBuf::from(dir));
    }
    for dir in [
        "/usr/share/fonts",
        "/usr/local/share/fonts",
        "/System/Library/Fonts",
        "/Library/Fonts",
        "C:\\Windows\\Fonts",
    ] {
        dirs.push(PathBuf::from(dir));
    }
    if let Some(home) = std::env::var_os("HOME") {
        let home = PathBuf::from(home);
        dirs.push(home.join(".local/share/fonts"));
        dirs.push(home.join(".fonts"));
        dirs.push(home.join("Library/Fonts"));
    }
    dirs
}

/// A font file that may hold one of the families: judged by its name, so the (large) files of
/// every other font are never read.
fn is_candidate(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let lower = name.to_ascii_lowercase();
    let font_file = [".ttc", ".otc", ".otf", ".ttf"]
        .iter()
        .any(|ext| lower.ends_with(ext));
    let serif_cjk = lower.starts_with("notoserifcjk")
        || lower.starts_with("sourcehanserif")
        || lower.starts_with("notoserifsc")
        || lower.starts_with("notoseriftc");
    font_file && serif_cjk && (lower.contains("regular") || lower.contains("bold"))
}

fn collect(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if depth < 4 {
                collect(&path, depth + 1, out);
            }
        } else if is_candidate(&path) {
            out.push(path);
        }
    }
}

/// The faces of the SC and TC families found on this machine (regular and bold), empty when
/// there are none. The first file that provides a family and weight wins.
fn load() -> Vec<Font> {
    let wanted: Vec<&str> = SC_FAMILIES
        .iter()
        .chain(TC_FAMILIES.iter())
        .copied()
        .collect();
    let mut files = Vec::new();
    for dir in font_dirs() {
        collect(&dir, 0, &mut files);
    }
    let mut fonts: Vec<Font> = Vec::new();
    for path in files {
        let Ok(data) = std::fs::read(&path) else {
            continue;
        };
        for font in Font::iter(Bytes::new(data)) {
            let info = font.info();
            let have = fonts
                .iter()
                .any(|f| f.info().family == info.family && f.info().variant == info.variant);
            if wanted.contains(&info.family.as_str()) && !have {
                fonts.push(font);
            }
        }
    }
    fonts
}

/// The system's Chinese letter fonts, read on first use.
pub fn system_fonts() -> &'static [Font] {
    static FONTS: OnceLock<Vec<Font>> = OnceLock::new();
    FONTS.get_or_init(load)
}

/// Whether this machine has a Simplified and a Traditional font for letters (else both scripts
/// are set in the embedded fallback).
pub fn has_system_fonts() -> bool {
    let families = |list: &[&str]| {
        system_fonts()
            .iter()
            .any(|f| list.contains(&f.info().family.as_str()))
    };
    families(&SC_FAMILIES) && families(&TC_FAMILIES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_serif_cjk_files_are_read() {
        for yes in [
            "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
            "/x/NotoSerifCJK-Bold.ttc",
            "/x/SourceHanSerifSC-Regular.otf",
            "/x/NotoSerifTC-Regular.ttf",
        ] {
            assert!(is_candidate(Path::new(yes)), "{yes}");
        }
        for no in [
            "/x/NotoSansCJK-Regular.ttc",
            "/x/NotoSerifCJK-Light.ttc",
            "/x/DejaVuSerif.ttf",
            "/x/NotoSerifCJK-Regular.txt",
        ] {
            assert!(!is_candidate(Path::new(no)), "{no}");
        }
    }
}
