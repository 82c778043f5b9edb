//! Rule 6: the served directory is pinned to its real path at startup.
//! Whoever can rename or replace it, or a directory above it, must not be
//! able to point the server elsewhere; a directory deleted and recreated
//! under the same path is served again.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;

use crate::common::{Client, Reply, assert_names_not_found, metadata, serve, slice};
use hftp_proto::{Code, Request};

/// Every request that names `name`, twice (each batch looks the
/// directory up again), then the listing, as a client sees them while the
/// served directory is not the one the server pinned. The listing's `199`
/// is fatal: the connection ends.
fn assert_nothing_served(mut client: Client, name: &str) {
    assert_names_not_found(&mut client, name);
    assert_names_not_found(&mut client, name);
    // The listing needs the directory: without it, the server failed.
    assert_eq!(
        client.ask(&Request::FileListing),
        Reply::Status(Code::InternalError)
    );
    client.expect_eof();
}

/// Moves the served directory aside and puts a link to `target` in its
/// place.
fn swap_for_link(dir: &Path, target: &Path) {
    fs::rename(dir, dir.with_extension("real")).expect("the directory moved aside");
    symlink(target, dir).expect("a link in its place");
}

#[test]
fn a_link_to_a_sibling_directory_in_its_place_serves_nothing() {
    let fixture = serve();
    fixture.write("mine", "served");
    let sibling = fixture.root.path().join("sibling");
    fs::create_dir(&sibling).expect("a sibling directory");
    fs::write(sibling.join("theirs"), "not served").expect("a file beside");
    swap_for_link(&fixture.dir(), &sibling);
    assert_nothing_served(fixture.client(), "theirs");
}

#[test]
fn a_link_to_etc_in_its_place_serves_nothing() {
    let fixture = serve();
    let mut client = fixture.client();
    assert_eq!(
        client.ask(&metadata("passwd")),
        Reply::Status(Code::FileNotFound)
    );
    swap_for_link(&fixture.dir(), Path::new("/etc"));
    assert_nothing_served(client, "passwd");
    assert_nothing_served(fixture.client(), "passwd");
}

#[test]
fn a_link_in_place_of_a_directory_above_serves_nothing() {
    let root = tempfile::tempdir().expect("a temporary directory");
    let served = root.path().join("above").join("served");
    fs::create_dir_all(&served).expect("the served directory");
    fs::write(served.join("file"), "mine").expect("a file");
    let elsewhere = root.path().join("elsewhere").join("served");
    fs::create_dir_all(&elsewhere).expect("another tree");
    fs::write(elsewhere.join("file"), "theirs").expect("a file there");
    let config = hftp_server::Config::new(&served)
        .address("127.0.0.1".parse().expect("an address"))
        .port(0);
    let server = hftp_server::Server::bind(&config)
        .expect("binds")
        .spawn()
        .expect("starts");
    let mut client = Client::connect(server.local_addr());
    assert_eq!(client.ask(&metadata("file")), Reply::Size(4));
    let above = root.path().join("above");
    fs::rename(&above, root.path().join("above.real")).expect("moved aside");
    symlink(root.path().join("elsewhere"), &above).expect("a link above");
    assert_nothing_served(client, "file");
}

#[test]
fn a_directory_deleted_and_recreated_is_served_again() {
    let fixture = serve();
    fixture.write("old", "old");
    let mut client = fixture.client();
    assert_eq!(client.ask(&metadata("old")), Reply::Size(3));
    fs::remove_dir_all(fixture.dir()).expect("deleted");
    assert_eq!(
        client.ask(&metadata("old")),
        Reply::Status(Code::FileNotFound)
    );
    fs::create_dir(fixture.dir()).expect("recreated");
    fixture.write("new", "fresh");
    assert_eq!(client.ask(&metadata("new")), Reply::Size(5));
    assert_eq!(
        client.ask(&slice("new", 0, 5)),
        Reply::Body(b"fresh".to_vec())
    );
    assert_eq!(
        client.ask(&Request::FileListing),
        Reply::Names(vec!["new".into()])
    );
}

#[test]
fn a_served_path_through_a_link_is_pinned_to_its_target_at_startup() {
    let root = tempfile::tempdir().expect("a temporary directory");
    let real = root.path().join("real");
    fs::create_dir(&real).expect("the real directory");
    fs::write(real.join("file"), "real").expect("a file");
    let link = root.path().join("link");
    symlink(&real, &link).expect("a link to it");
    let config = hftp_server::Config::new(&link)
        .address("127.0.0.1".parse().expect("an address"))
        .port(0);
    let server = hftp_server::Server::bind(&config).expect("binds");
    assert_eq!(
        server.directory(),
        fs::canonicalize(&real).expect("a real path")
    );
    let server = server.spawn().expect("starts");
    let mut client = Client::connect(server.local_addr());
    assert_eq!(client.ask(&metadata("file")), Reply::Size(4));
    // Re-pointing the link the operator named changes nothing.
    let other = root.path().join("other");
    fs::create_dir(&other).expect("another directory");
    fs::write(other.join("file"), "other!").expect("a file there");
    fs::remove_file(&link).expect("the link removed");
    symlink(&other, &link).expect("re-pointed");
    assert_eq!(client.ask(&metadata("file")), Reply::Size(4));
}
