//! The tests of the course's two suites, one case each, sending the same
//! bytes and judging the same way as the course's client (see
//! `COURSE-SCENARIOS.md`): the 2019 suite's 19 tests and the 2026
//! suite's 32. Each runs in a served directory holding only that test's
//! files, written before it runs and removed after, as the suites
//! recreate `testdata` for every test.

mod client;
mod y2019;
mod y2026;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use crate::check::case::{Case, Test};
use crate::check::context::Ctx;
use crate::check::group::{Group, Revision};
use crate::check::miss::{Miss, Tested, fail, said};

/// Every course case: the 2019 suite, then the 2026 suite, each in the
/// order unittest runs them (classes, then methods, alphabetically).
pub(super) fn cases() -> Vec<Case> {
    [y2019::CASES, y2026::CASES].concat()
}

/// A test of the 2019 suite.
const fn y2019(id: &'static str, title: &'static str, test: fn(&mut Ctx) -> Tested) -> Case {
    Case::new(id, Group::Course(Revision::R2019), title, Test::Run(test))
}

/// A test of the 2026 suite.
const fn y2026(id: &'static str, title: &'static str, test: fn(&mut Ctx) -> Tested) -> Case {
    Case::new(id, Group::Course(Revision::R2026), title, Test::Run(test))
}

/// The files of one course test in the served directory; dropping it
/// removes them.
pub(super) struct TestData {
    /// The files written, to remove them again.
    written: Vec<PathBuf>,
}

impl TestData {
    /// Writes `files` (name, bytes) into the served directory.
    pub(super) fn write<N, D>(
        cx: &Ctx,
        files: impl IntoIterator<Item = (N, D)>,
    ) -> Result<Self, Miss>
    where
        N: AsRef<str>,
        D: AsRef<[u8]>,
    {
        let dir = cx.dir()?.to_path_buf();
        let mut data = Self {
            written: Vec::new(),
        };
        for (name, bytes) in files {
            let path = dir.join(name.as_ref());
            fs::write(&path, bytes.as_ref()).map_err(|error| {
                fail(said!(
                    "the test's file {path} written ({error})",
                    "el archivo {path} de la prueba escrito ({error})";
                    path = path.display(),
                    error = error
                ))
            })?;
            data.written.push(path);
        }
        Ok(data)
    }

    /// Takes every permission from the file written last (mode 000);
    /// returns its path.
    pub(super) fn unreadable(&self) -> Result<PathBuf, Miss> {
        let path = self.written.last().ok_or_else(|| {
            fail(said!(
                "a file to make unreadable",
                "un archivo para dejar ilegible"
            ))
        })?;
        fs::set_permissions(path, fs::Permissions::from_mode(0o000)).map_err(|error| {
            fail(said!(
                "{path} made unreadable ({error})",
                "{path} ilegible ({error})";
                path = path.display(),
                error = error
            ))
        })?;
        Ok(path.clone())
    }
}

impl Drop for TestData {
    fn drop(&mut self) {
        for path in &self.written {
            if let Err(error) = fs::remove_file(path) {
                log::warn!("cannot remove {}: {error}", path.display());
            }
        }
    }
}

/// The names `test_file0000`... of the long listing tests.
pub(super) fn test_files(count: usize) -> Vec<String> {
    (0..count).map(|i| format!("test_file{i:04}")).collect()
}

/// Blocks of 128 KiB, block `i` filled with the byte `i`, for `i` in
/// `1..=blocks`: the big file of both suites.
pub(super) fn blocks(blocks: u8) -> Vec<u8> {
    let mut data = Vec::with_capacity(usize::from(blocks) << 17);
    for i in 1..=blocks {
        data.resize(data.len() + (128 << 10), i);
    }
    data
}
