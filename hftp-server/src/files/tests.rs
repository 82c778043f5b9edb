//! Confinement, checked on the real file system for both
//! implementations: Linux's `openat2` one and the portable one.

use std::fs;
use std::io::Read as _;
use std::os::unix::fs::symlink;
use std::path::Path;

use hftp_proto::Code;

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
    ($module:ident, $dir:ty) => {
        mod $module {
            use super::*;

            fn open(root: &Path) -> $dir {
                <$dir>::open(&root.join("served")).expect("the served directory opens")
            }

            #[test]
            fn regular_files_and_links_inside_are_served() {
                let root = fixture();
                let dir = open(root.path());
                assert_eq!(dir.metadata("a.txt"), Ok(5));
                assert_eq!(dir.metadata("inside"), Ok(5));
                assert_eq!(dir.metadata("absolute-in"), Ok(5));
                assert_eq!(dir.metadata("through"), Ok(4));
                let mut text = String::new();
                let opened = dir.open_file("inside").expect("the link inside opens");
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
                let dir = open(root.path());
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
                    assert_eq!(dir.metadata(name), Err(Code::FileNotFound), "{name}");
                    assert_eq!(
                        dir.open_file(name).map(|o| o.size),
                        Err(Code::FileNotFound),
                        "{name}"
                    );
                }
            }

            #[test]
            fn the_listing_holds_exactly_what_metadata_accepts() {
                let root = fixture();
                let dir = open(root.path());
                let names = dir.regular_names().expect("the directory lists");
                assert_eq!(
                    names,
                    [&b"a.txt"[..], b"absolute-in", b"inside", b"through"]
                );
            }

            #[test]
            fn a_missing_directory_does_not_open() {
                let root = fixture();
                assert!(<$dir>::open(&root.path().join("gone")).is_err());
                assert!(<$dir>::open(&root.path().join("secret")).is_err());
            }
        }
    };
}

#[cfg(target_os = "linux")]
confinement_tests!(linux, super::super::linux::ServedDir);
confinement_tests!(portable, super::super::portable::ServedDir);
