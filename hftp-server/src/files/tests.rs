//! Confinement, checked on the real file system for both
//! implementations: Linux's `openat2` one and the portable one.

use std::fs;
use std::io::Read as _;
use std::os::unix::fs::symlink;
use std::path::Path;

use hftp_proto::Code;

#[cfg(target_os = "linux")]
use super::linux::Batch as LinuxBatch;
use super::portable::Batch as PortableBatch;
use super::{Names, Opened, ServedDir};

/// A served directory `served` beside a file outside it, with links of
/// every kind inside.
fn fixture() -> tempfile::TempDir {
    let root = tempfile::tempdir().expect("a temporary directory");
    let served = root.path().join("served");
    fs::create_dir(&served).expect("the served directory");
    fs::write(root.path().join("secret"), "outside").expect("a file outside");
    fs::write(served.join("a.txt"), "hello").expect("a file");
    fs::create_dir(served.join("sub")).expect("a subdirectory");
    fs::write(served.join("sub").join("deep"), "deep").expect("a file below");
    symlink("a.txt", served.join("inside")).expect("a link inside");
    symlink("../secret", served.join("dotdot")).expect("a link out");
    symlink(root.path().join("secret"), served.join("absolute")).expect("an absolute link out");
    symlink("sub/deep", served.join("through")).expect("a link through a subdirectory");
    symlink(served.join("a.txt"), served.join("absolute-in")).expect("an absolute link inside");
    symlink(&served, served.join("absolute-dir")).expect("an absolute link to the directory");
    symlink("sub", served.join("to-dir")).expect("a link to a directory");
    symlink("missing", served.join("dangling")).expect("a dangling link");
    symlink("loop", served.join("loop")).expect("a loop");
    rustix::fs::mknodat(
        rustix::fs::CWD,
        served.join("fifo"),
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o644),
        0,
    )
    .expect("a FIFO");
    symlink("fifo", served.join("to-fifo")).expect("a link to the FIFO");
    root
}

/// The answers every implementation gives on the fixture.
macro_rules! confinement_tests {
    ($module:ident, $batch:ident) => {
        mod $module {
            use super::*;

            /// The fixture's served directory, pinned.
            fn pin(root: &Path) -> ServedDir {
                ServedDir::pin(&root.join("served")).expect("the served directory pins")
            }

            /// `get_metadata name` through a fresh batch (its first look-up
            /// may take a shortcut) and through one that already looked,
            /// which must agree.
            fn metadata(dir: &ServedDir, name: &str) -> Result<u64, Code> {
                let fresh =
                    $batch::new(dir.path(), crate::text::text(crate::Lang::En)).metadata(name);
                let mut warm = $batch::new(dir.path(), crate::text::text(crate::Lang::En));
                let _ = warm.metadata("a.txt");
                assert_eq!(warm.metadata(name), fresh, "{name}: two looks disagree");
                fresh
            }

            /// Opens `name` through a fresh batch, and through one that
            /// already looked; both must agree on the size.
            fn open_file(dir: &ServedDir, name: &str) -> Result<Opened, Code> {
                let fresh =
                    $batch::new(dir.path(), crate::text::text(crate::Lang::En)).open_file(name);
                let mut warm = $batch::new(dir.path(), crate::text::text(crate::Lang::En));
                let _ = warm.metadata("a.txt");
                assert_eq!(
                    warm.open_file(name).map(|opened| opened.size),
                    fresh
                        .as_ref()
                        .map(|opened| opened.size)
                        .map_err(|code| *code),
                    "{name}: two looks disagree"
                );
                fresh
            }

            #[test]
            fn regular_files_and_links_inside_are_served() {
                let root = fixture();
                let dir = pin(root.path());
                assert_eq!(metadata(&dir, "a.txt"), Ok(5));
                assert_eq!(metadata(&dir, "inside"), Ok(5));
                assert_eq!(metadata(&dir, "absolute-in"), Ok(5));
                assert_eq!(metadata(&dir, "through"), Ok(4));
                let mut text = String::new();
                let opened = open_file(&dir, "inside").expect("the link inside opens");
                assert_eq!(opened.size, 5);
                opened
                    .file
                    .take(5)
                    .read_to_string(&mut text)
                    .expect("it reads");
                assert_eq!(text, "hello");
            }

            #[test]
            fn nothing_else_is_reachable() {
                let root = fixture();
                let dir = pin(root.path());
                for name in [
                    "dotdot",
                    "absolute",
                    "absolute-dir",
                    "sub",
                    "to-dir",
                    "dangling",
                    "loop",
                    "fifo",
                    "to-fifo",
                    "nope",
                ] {
                    assert_eq!(metadata(&dir, name), Err(Code::FileNotFound), "{name}");
                    assert_eq!(
                        open_file(&dir, name).map(|o| o.size),
                        Err(Code::FileNotFound),
                        "{name}"
                    );
                }
            }

            #[test]
            fn the_listing_holds_exactly_what_metadata_accepts() {
                let root = fixture();
                let dir = pin(root.path());
                let mut names = Names::default();
                $batch::new(dir.path(), crate::text::text(crate::Lang::En))
                    .regular_names(&mut names)
                    .expect("the directory lists");
                assert_eq!(
                    names.iter().collect::<Vec<_>>(),
                    [&b"a.txt"[..], b"absolute-in", b"inside", b"through"]
                );
            }

            #[test]
            fn a_link_in_place_of_the_directory_serves_nothing() {
                let root = fixture();
                let dir = pin(root.path());
                let served = root.path().join("served");
                fs::rename(&served, root.path().join("moved")).expect("moved aside");
                symlink(root.path().join("moved"), &served).expect("a link in its place");
                assert_eq!(metadata(&dir, "a.txt"), Err(Code::FileNotFound));
                assert_eq!(
                    open_file(&dir, "a.txt").map(|o| o.size),
                    Err(Code::FileNotFound)
                );
                assert_eq!(
                    $batch::new(dir.path(), crate::text::text(crate::Lang::En))
                        .regular_names(&mut Names::default()),
                    Err(Code::InternalError)
                );
            }
        }
    };
}

#[test]
fn a_missing_directory_or_a_file_is_not_pinned() {
    let root = fixture();
    assert!(ServedDir::pin(&root.path().join("gone")).is_err());
    assert!(ServedDir::pin(&root.path().join("secret")).is_err());
}

#[test]
fn a_path_through_a_link_is_pinned_to_its_real_path() {
    let root = fixture();
    symlink(root.path().join("served"), root.path().join("link")).expect("a link");
    let dir = ServedDir::pin(&root.path().join("link")).expect("pins");
    assert_eq!(
        dir.path(),
        fs::canonicalize(root.path().join("served")).expect("real")
    );
}

#[test]
fn names_are_sorted_bytewise() {
    let mut names = Names::default();
    for name in [&b"b"[..], b"a\xff", b"", b"a", b"B"] {
        names.push(name);
    }
    names.sort();
    assert_eq!(
        names.iter().collect::<Vec<_>>(),
        [&b""[..], b"B", b"a", b"a\xff", b"b"]
    );
}

#[cfg(target_os = "linux")]
confinement_tests!(linux, LinuxBatch);
confinement_tests!(portable, PortableBatch);
