//! The `hftp` command against servers of the seed's era (rule 12): free
//! status texts, no `help`, plain slices in 256-byte fragments, scripted
//! here or written as the seed was (tests/fixtures/seed_server.py,
//! sequential). Every command works with no option; every malformed
//! fragment is a clean error that never renames a partial file into place.

use std::fs;

use crate::common::{Act, PythonServer, Scripted, assert_absent, data, hftp, ran};

/// A body of `data` in fragments of 256 bytes, after the seed's own
/// status text.
fn fragments(data: &[u8]) -> Vec<u8> {
    let mut reply = b"0 The task was performed successfuly.\r\n".to_vec();
    for fragment in data.chunks(256) {
        reply.extend_from_slice(format!("{} ", fragment.len()).as_bytes());
        reply.extend_from_slice(fragment);
        reply.extend_from_slice(b"\r\n");
    }
    reply.extend_from_slice(b"0 \r\n");
    reply
}

/// How a scripted server answers a slice, given the bytes asked.
type Slice = fn(&[u8]) -> Act;

/// A pre-2019 server of one file, `f`, with `slice` answering
/// `get_slice f OFFSET SIZE` (given the bytes asked).
fn seed_server(file: Vec<u8>, slice: Slice) -> Scripted {
    Scripted::start(move |line| {
        let words: Vec<&str> = line.split(' ').collect();
        match words.as_slice() {
            ["get_file_listing"] => Act::Reply(b"0 Here they are.\r\nf\r\n\r\n".to_vec()),
            ["get_metadata", "f"] => {
                Act::Reply(format!("0 The size is\r\n{}\r\n", file.len()).into_bytes())
            }
            ["get_slice", "f", offset, size] => {
                let (offset, size): (usize, usize) =
                    (offset.parse().unwrap_or(0), size.parse().unwrap_or(0));
                match file.get(offset..offset + size) {
                    Some(bytes) => slice(bytes),
                    None => Act::Reply(b"203 Offset past the end.\r\n".to_vec()),
                }
            }
            ["get_metadata" | "get_slice", ..] => Act::Reply(b"202 No such file.\r\n".to_vec()),
            ["quit"] => Act::Close(b"0 Bye.\r\n".to_vec()),
            _ => Act::Reply(b"200 Unknown command.\r\n".to_vec()),
        }
    })
}

/// A well-behaved pre-2019 server of `file`.
fn good_seed_server(file: Vec<u8>) -> Scripted {
    seed_server(file, |bytes| Act::Reply(fragments(bytes)))
}

#[test]
fn every_command_works_against_a_seed_server_with_no_option() {
    let file = data(300_000);
    let server = good_seed_server(file.clone());
    let addr = server.addr();
    assert_eq!(ran(hftp(&addr).arg("ls")).expect_code(0).text(), "f\n");
    assert_eq!(
        ran(hftp(&addr).args(["stat", "f"])).expect_code(0).text(),
        "300000 f\n"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    ran(hftp(&addr).current_dir(dir.path()).args(["get", "f"])).expect_code(0);
    assert!(fs::read(dir.path().join("f")).expect("read") == file);
    let piece = ran(hftp(&addr).args(["get", "f", "--offset", "1000", "--size", "777", "-o", "-"]));
    assert!(piece.expect_code(0).stdout == file[1000..1777]);
    // Resume from a partial file.
    let resumed = tempfile::tempdir().expect("tempdir");
    fs::write(resumed.path().join("f.part"), &file[..123_456]).expect("a part");
    ran(hftp(&addr)
        .current_dir(resumed.path())
        .args(["get", "-c", "f"]))
    .expect_code(0);
    assert!(fs::read(resumed.path().join("f")).expect("read") == file);
    // The shell, commands from stdin.
    let mut shell = hftp(&addr);
    shell
        .current_dir(dir.path())
        .arg("shell")
        .write_stdin("ls\nget f -f\n");
    let out = ran(&mut shell);
    assert!(out.expect_code(0).text().contains('f'));
    assert!(fs::read(dir.path().join("f")).expect("read") == file);
    // The load generator counts fragment bodies.
    let bench = ran(hftp(&addr).args(["bench", "slice", "f"]));
    assert!(
        bench.expect_code(0).text().contains("wrong=0"),
        "{}",
        bench.text()
    );
}

#[test]
fn parallel_ranges_work_against_a_seed_server() {
    let file = data((2 << 20) + 12_345);
    let server = good_seed_server(file.clone());
    let dir = tempfile::tempdir().expect("tempdir");
    ran(hftp(&server.addr())
        .current_dir(dir.path())
        .args(["get", "f", "--parallel", "2"]))
    .expect_code(0);
    assert!(fs::read(dir.path().join("f")).expect("read") == file);
}

#[test]
fn malformed_fragments_are_clean_errors_and_no_file_is_renamed() {
    let cases: [(Slice, &str); 6] = [
        // No space after the length: judged as base64, which it is not.
        (
            |bytes| Act::Reply([&b"0 OK\r\n30"[..], bytes, b"\r\n0 \r\n"].concat()),
            "base64",
        ),
        // A length past SIZE.
        (
            |bytes| Act::Reply([&b"0 OK\r\n31 "[..], bytes, b"!\r\n0 \r\n"].concat()),
            "no more slice bytes than asked",
        ),
        // A fragment without its \r\n.
        (
            |bytes| Act::Reply([&b"0 OK\r\n30 "[..], bytes, b"0 \r\n"].concat()),
            "\\r\\n",
        ),
        // The terminator before the bytes asked.
        (
            |bytes| Act::Reply([&b"0 OK\r\n10 "[..], &bytes[..10], b"\r\n0 \r\n"].concat()),
            "20 more slice bytes",
        ),
        // No terminator: the server closes after the last fragment (a
        // connection lost, exit 8, not a protocol violation).
        (
            |bytes| Act::Close([&b"0 OK\r\n30 "[..], bytes, b"\r\n"].concat()),
            "before the body's end, after 30 of the 30 bytes",
        ),
        // A length line that never ends: past 20 digits it is no fragment
        // length, and as base64 it is longer than asked.
        (
            |_| Act::Endless(b"0 OK\r\n".to_vec(), b'7'),
            "no more slice bytes than asked",
        ),
    ];
    for (slice, needle) in cases {
        let server = seed_server(data(30), slice);
        let dir = tempfile::tempdir().expect("tempdir");
        let out = ran(hftp(&server.addr())
            .current_dir(dir.path())
            .args(["get", "f", "--retry", "0"]));
        let lost = needle.starts_with("before the body's end");
        out.expect_code(if lost { 8 } else { 5 })
            .one_error_line(needle);
        assert_absent(dir.path(), "f");
    }
}

#[test]
fn our_server_in_fragment_mode_serves_hftp_with_no_option() {
    let file = data(1 << 20);
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("f"), &file).expect("a file");
    let config = hftp_server::Config::new(dir.path())
        .address("127.0.0.1".parse().expect("an address"))
        .port(0)
        .fragments(Some(256));
    let server = hftp_server::Server::bind(&config)
        .expect("bind")
        .spawn()
        .expect("spawn");
    let addr = server.local_addr().to_string();
    // --base64 asks plain slices, which this server sends in fragments.
    let out = ran(hftp(&addr).args(["get", "f", "-o", "-", "--base64"]));
    assert!(out.expect_code(0).stdout == file);
    // Without it, `help` answers 0 and slices travel raw, as before.
    let out = ran(hftp(&addr).args(["get", "f", "-o", "-"]));
    assert!(out.expect_code(0).stdout == file);
}

#[test]
fn a_sequential_python_server_of_the_seeds_era_serves_hftp() {
    let served = tempfile::tempdir().expect("tempdir");
    let file = data(100_000);
    fs::write(served.path().join("seed.bin"), &file).expect("write");
    fs::write(served.path().join("crlf.txt"), b"a\r\n0 \r\n\0b").expect("write");
    let Some(seed) = PythonServer::start("seed_server.py", served.path()) else {
        return;
    };
    let addr = seed.addr.as_str();
    assert_eq!(
        ran(hftp(addr).args(["ls", "-l"])).expect_code(0).text(),
        "     9 crlf.txt\n100000 seed.bin\n"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    ran(hftp(addr)
        .current_dir(dir.path())
        .args(["get", "seed.bin", "crlf.txt"]))
    .expect_code(0);
    assert!(fs::read(dir.path().join("seed.bin")).expect("read") == file);
    assert_eq!(
        fs::read(dir.path().join("crlf.txt")).expect("read"),
        b"a\r\n0 \r\n\0b"
    );
    let out = ran(hftp(addr).args([
        "get", "seed.bin", "--offset", "5", "--size", "300", "-o", "-",
    ]));
    assert!(out.expect_code(0).stdout == file[5..305]);
}
