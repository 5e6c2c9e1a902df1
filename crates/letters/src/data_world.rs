//! A Typst world of one layout and one JSON data file, with the embedded fonts: what the
//! evidence dossier and the period report compile (the letters have their own world, with
//! templates). Dates come in with the data, so the world has no "today".

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, Source, VirtualPath};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::pdf::{FONTS, PdfError};

pub(crate) struct DataWorld {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    layout: Source,
    data_id: FileId,
    data: Bytes,
}

impl DataWorld {
    /// `layout` is read at `layout_path` and `data` at `data_path` (virtual paths such as
    /// "/report.typ" and "/report.json").
    pub(crate) fn new(
        layout_path: &str,
        layout: &str,
        data_path: &str,
        data: Vec<u8>,
    ) -> Result<Self, PdfError> {
        let mut fonts = Vec::with_capacity(FONTS.len());
        for (index, font) in FONTS.into_iter().enumerate() {
            fonts.push(Font::new(Bytes::new(font), 0).ok_or(PdfError::Font { index })?);
        }
        Ok(DataWorld {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            layout: Source::new(
                FileId::new(None, VirtualPath::new(layout_path)),
                layout.to_owned(),
            ),
            data_id: FileId::new(None, VirtualPath::new(data_path)),
            data: Bytes::new(data),
        })
    }
}

impl World for DataWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }

    fn main(&self) -> FileId {
        self.layout.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.layout.id() {
            Ok(self.layout.clone())
        } else {
            Err(FileError::NotFound(id.vpath().as_rootless_path().into()))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else {
            Err(FileError::NotFound(id.vpath().as_rootless_path().into()))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<i64>) -> Option<Datetime> {
        None
    }
}
