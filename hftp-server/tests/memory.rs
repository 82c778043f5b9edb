//! Memory stays bounded when readers stall: a server process, measured
//! from /proc while clients ask for long replies and never read them,
//! then after they leave.

use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::common::{BIN, Process, wait_for};
use hftp_proto::{ClientConfig, ClientConnection, Form, Request};

const KIB: u64 = 1024;
const MIB: u64 = 1024 * KIB;

/// The server's resident memory, in bytes, and its open descriptors.
fn usage(server: &Process) -> (u64, usize) {
    let pid = server.child.id();
    let status = fs::read_to_string(format!("/proc/{pid}/status")).expect("its status");
    let rss_kib: u64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .expect("VmRSS");
    let fds = fs::read_dir(format!("/proc/{pid}/fd"))
        .expect("its descriptors")
        .count();
    (rss_kib * KIB, fds)
}

/// The highest resident memory seen over a few samples.
fn peak_rss(server: &Process) -> u64 {
    (0..10)
        .map(|_| {
            std::thread::sleep(Duration::from_millis(20));
            usage(server).0
        })
        .max()
        .unwrap_or(0)
}

/// `readers` clients each send `request` and read only its status line.
fn stall(server: &Process, request: &Request<'_>, readers: usize) -> Vec<TcpStream> {
    let mut bytes = Vec::new();
    ClientConnection::new(&ClientConfig::default())
        .send(request, &mut bytes)
        .expect("the request encodes");
    (0..readers)
        .map(|_| {
            let mut stream = TcpStream::connect(server.addr).expect("connects");
            stream
                .set_read_timeout(Some(crate::common::HANG))
                .expect("timeout");
            stream.write_all(&bytes).expect("sent");
            let mut status = [0; 6];
            stream.read_exact(&mut status).expect("a status line");
            assert_eq!(&status, b"0 OK\r\n");
            stream
        })
        .collect()
}

/// Starts a server on `dir`, quiet, with more `flags`.
fn start_with(dir: &std::path::Path, flags: &[&str]) -> Process {
    let dir = dir.to_str().expect("a UTF-8 path");
    let mut args = vec!["-a", "127.0.0.1", "-p", "0", "-q", "-d", dir];
    args.extend_from_slice(flags);
    Process::start(BIN, &args)
}

/// Starts a server on `dir`, quiet.
fn start(dir: &std::path::Path) -> Process {
    start_with(dir, &[])
}

/// A listing of 100 000 names of 97 bytes: about 10 MB, far more than
/// the socket buffers between a server and a stalled reader hold.
const NAMES: usize = 100_000;

#[test]
fn stalled_readers_of_a_ten_megabyte_listing_share_it() {
    let root = tempfile::tempdir().expect("a directory");
    let padding = "x".repeat(90);
    let name = |i: usize| root.path().join(format!("{i:06}-{padding}"));
    // A few files, the rest hard links to them: a link costs the file
    // system a name, not an inode, and is listed as a file all the same.
    const INODES: usize = 4;
    for i in 0..NAMES {
        if i < INODES {
            fs::File::create(name(i)).expect("a file");
        } else {
            fs::hard_link(name(i % INODES), name(i)).expect("a link");
        }
    }
    let server = start(root.path());
    let (baseline, fds) = usage(&server);
    // Each reader used to cost the whole listing and more: 20 of them
    // held over 250 MiB.
    let readers = stall(&server, &Request::FileListing, 20);
    let during = peak_rss(&server);
    assert!(
        during < baseline + 64 * MIB,
        "20 stalled listings: {} MiB above the baseline",
        (during - baseline) / MIB
    );
    drop(readers);
    wait_for(|| usage(&server).1 <= fds, "the connections to close");
    // What stays is one buffer of the directory's names (10 MB), kept
    // for the next listing, whatever the number of readers.
    let after = usage(&server).0;
    assert!(
        after < baseline + 20 * MIB,
        "after they left: {} MiB above the baseline",
        (after - baseline) / MIB
    );
}

#[test]
fn a_stalled_base64_body_holds_its_chunk_and_its_encoding() {
    let root = tempfile::tempdir().expect("a directory");
    let path = root.path().join("big");
    fs::write(&path, vec![7; 64 << 20]).expect("a big file");
    let server = start(root.path());
    let (baseline, _) = usage(&server);
    let readers = 20;
    let request = Request::Slice {
        name: "big",
        offset: 0,
        size: 64 << 20,
        form: Form::Base64,
    };
    let stalled = stall(&server, &request, readers);
    let each = peak_rss(&server).saturating_sub(baseline) / readers as u64;
    // 192 KiB read, 256 KiB of base64, and the connection's own share.
    assert!(
        each < 600 * KIB,
        "a stalled base64 body holds {} KiB",
        each / KIB
    );
    drop(stalled);
}

#[test]
fn an_idle_connection_costs_little_more_than_its_thread() {
    let root = tempfile::tempdir().expect("a directory");
    let cap = ["--max-connections", "1100", "--max-per-address", "1100"];
    let server = start_with(root.path(), &cap);
    let (baseline, fds) = usage(&server);
    let conns = 1000;
    let idle: Vec<TcpStream> = (0..conns)
        .map(|_| TcpStream::connect(server.addr).expect("connects"))
        .collect();
    wait_for(
        || usage(&server).1 >= fds + conns,
        "every connection accepted",
    );
    let each = peak_rss(&server).saturating_sub(baseline) / conns as u64;
    // A thread's stack pages and its allocator cache are about 10 KiB; an
    // idle connection used to hold 22 KiB (an 8 KiB input buffer, and a
    // 4 KiB scrap buffer widening the frame it slept under).
    assert!(
        each < 16 * KIB,
        "an idle connection holds {} KiB",
        each / KIB
    );
    drop(idle);
}
