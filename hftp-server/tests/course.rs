//! The course suites' scenarios (`hftp_proto::spec`, "Course revisions"), over real
//! sockets against an in-process server.

use std::fs;
use std::thread;

use crate::common::{Reply, course_bytes, metadata, raw_slice, serve, slice};
use hftp_proto::{Code, Request};

#[test]
fn quit_answers_ok_and_closes() {
    let fixture = serve();
    let mut client = fixture.client();
    client.send_raw(b"quit\r\n");
    client.expect_bytes(b"0 OK\r\n");
    client.expect_eof();
}

#[test]
fn the_listing_of_1000_files_is_sorted_and_complete() {
    let fixture = serve();
    let mut expected: Vec<String> = (0..1000).map(|i| format!("file_{i}.txt")).collect();
    for name in &expected {
        fixture.write(name, name);
    }
    expected.sort();
    let mut client = fixture.client();
    assert_eq!(client.ask(&Request::FileListing), Reply::Names(expected));
}

#[test]
fn an_empty_directory_lists_nothing() {
    let fixture = serve();
    let mut client = fixture.client();
    client.send_raw(b"get_file_listing\r\n");
    client.expect_bytes(b"0 OK\r\n\r\n");
}

#[test]
fn metadata_of_empty_and_sized_files() {
    let fixture = serve();
    fixture.write("empty", "");
    fixture.write("sized", vec![b'x'; 123_459]);
    let mut client = fixture.client();
    client.send_raw(b"get_metadata empty\r\nget_metadata sized\r\n");
    client.expect_bytes(b"0 OK\r\n0\r\n0 OK\r\n123459\r\n");
}

#[test]
fn the_contract_example_byte_for_byte() {
    let fixture = serve();
    fixture.write("hola.txt", "Que calor que hace hoy, pinocho!\n");
    let mut client = fixture.client();
    client.send_raw(b"get_metadata hola.txt\r\nget_slice hola.txt 4 14\r\n");
    client.expect_bytes(b"0 OK\r\n33\r\n0 OK\r\nY2Fsb3IgcXVlIGhhY2U=\r\n");
}

#[test]
fn full_and_partial_slices_on_one_connection() {
    let fixture = serve();
    let data = course_bytes(100_000);
    fixture.write("data", &data);
    let mut client = fixture.client();
    assert_eq!(
        client.ask(&slice("data", 0, 100_000)),
        Reply::Body(data.clone())
    );
    for (offset, size) in [
        (0, 1),
        (1, 2),
        (2, 3),
        (99_999, 1),
        (12_345, 54_321),
        (100_000, 0),
    ] {
        let expected = data[offset as usize..][..size as usize].to_vec();
        assert_eq!(
            client.ask(&slice("data", offset, size)),
            Reply::Body(expected),
            "{offset} {size}"
        );
    }
}

#[test]
fn size_zero_is_an_empty_body() {
    let fixture = serve();
    fixture.write("a", "abc");
    let mut client = fixture.client();
    client.send_raw(b"get_slice a 3 0\r\nget_slice a 0 0 raw\r\n");
    client.expect_bytes(b"0 OK\r\n\r\n0 OK\r\nContent-Length: 0\r\n\r\n");
}

#[test]
fn a_newline_inside_a_command_is_100_and_closes() {
    let fixture = serve();
    let mut client = fixture.client();
    client.send_raw(b"get_file_listing\nquit\r\n");
    client.expect_bytes(b"100 BAD EOL\r\n");
    client.expect_eof();
}

#[test]
fn requests_before_a_bad_byte_are_answered_first() {
    let fixture = serve();
    let mut client = fixture.client();
    client.send_raw(b"help me\r\nQUIT\r\nget_metadata\r\x00\r\n");
    client.expect_bytes(
        b"201 INVALID ARGUMENTS FOR COMMAND\r\n200 NO SUCH COMMAND\r\n100 BAD EOL\r\n",
    );
    client.expect_eof();
}

#[test]
fn an_unknown_command_is_200_and_the_connection_goes_on() {
    let fixture = serve();
    let mut client = fixture.client();
    client.send_raw(b"get_files\r\nQUIT\r\n quit\r\nquit\r\n");
    client.expect_bytes(
        b"200 NO SUCH COMMAND\r\n200 NO SUCH COMMAND\r\n200 NO SUCH COMMAND\r\n0 OK\r\n",
    );
    client.expect_eof();
}

#[test]
fn wrong_argument_counts_and_forms_are_201() {
    let fixture = serve();
    fixture.write("a", "abc");
    let mut client = fixture.client();
    for line in [
        "quit now",
        "help me",
        "get_file_listing x",
        "get_metadata",
        "get_metadata a b",
        "get_slice a",
        "get_slice a 0",
        "get_slice a x 1",
        "get_slice a 0 -1",
        "get_slice a 0x0 1",
        "get_slice a 0 18446744073709551616",
        "get_slice a 0 1 raw extra",
        "get_metadata  a",
        "get_metadata a ",
        "get_metadata ..",
        "get_metadata a/b",
    ] {
        client.send_raw(format!("{line}\r\n").as_bytes());
        client.expect_bytes(b"201 INVALID ARGUMENTS FOR COMMAND\r\n");
    }
    assert_eq!(client.ask(&metadata("a")), Reply::Size(3));
}

#[test]
fn a_missing_file_is_202_for_metadata_and_slices() {
    let fixture = serve();
    let mut client = fixture.client();
    assert_eq!(
        client.ask(&metadata("nope")),
        Reply::Status(Code::FileNotFound)
    );
    assert_eq!(
        client.ask(&slice("nope", 0, 1)),
        Reply::Status(Code::FileNotFound)
    );
    assert_eq!(
        client.ask(&raw_slice("nope", 0, 1)),
        Reply::Status(Code::FileNotFound)
    );
}

#[test]
fn a_command_sent_one_byte_at_a_time() {
    let fixture = serve();
    fixture.write("hola.txt", "Que calor que hace hoy, pinocho!\n");
    let mut client = fixture.client();
    client.stream.set_nodelay(true).expect("no delay");
    for byte in b"get_metadata hola.txt\r\n" {
        client.send_raw(&[*byte]);
    }
    client.expect_bytes(b"0 OK\r\n33\r\n");
}

#[test]
fn two_commands_in_one_packet_and_the_client_leaves_after_the_first() {
    let fixture = serve();
    fixture.write("a", "abc");
    let mut client = fixture.client();
    client.send_raw(b"get_metadata a\r\nget_slice a 0 3\r\n");
    client.expect_bytes(b"0 OK\r\n3\r\n");
    drop(client);
    let mut other = fixture.client();
    assert_eq!(other.ask(&slice("a", 0, 3)), Reply::Body(b"abc".to_vec()));
}

#[test]
fn a_32_mib_binary_file_of_bytes_1_to_254() {
    let fixture = serve();
    let data = course_bytes(32 << 20);
    fixture.write("bigfile", &data);
    let mut client = fixture.client();
    assert_eq!(client.ask(&metadata("bigfile")), Reply::Size(32 << 20));
    assert!(
        client.ask(&slice("bigfile", 0, 32 << 20)) == Reply::Body(data.clone()),
        "base64 body differs"
    );
    assert!(
        client.ask(&raw_slice("bigfile", 0, 32 << 20)) == Reply::Body(data),
        "raw body differs"
    );
}

#[test]
fn a_5_mib_name_is_202_and_the_connection_goes_on() {
    let fixture = serve();
    let mut client = fixture.client();
    let mut line = b"get_metadata ".to_vec();
    line.extend(std::iter::repeat_n(b'x', 5 << 20));
    line.extend_from_slice(b"\r\nhelp\r\n");
    let writer = {
        let mut stream = client
            .stream
            .try_clone()
            .expect("a second handle for the writer");
        thread::spawn(move || std::io::Write::write_all(&mut stream, &line))
    };
    client.expect_bytes(b"202 FILE NOT FOUND\r\n0 OK\r\nget_file_listing\r\n");
    writer
        .join()
        .expect("the writer")
        .expect("the long line is sent");
}

#[test]
fn a_file_with_nul_bytes() {
    let fixture = serve();
    let data = b"\0\0hola\0mundo\0\0\0".to_vec();
    fixture.write("nul", &data);
    let mut client = fixture.client();
    assert_eq!(client.ask(&metadata("nul")), Reply::Size(data.len() as u64));
    assert_eq!(
        client.ask(&slice("nul", 0, data.len() as u64)),
        Reply::Body(data.clone())
    );
    assert_eq!(
        client.ask(&raw_slice("nul", 1, 5)),
        Reply::Body(data[1..6].to_vec())
    );
}

#[test]
fn help_lists_the_five_commands() {
    let fixture = serve();
    let mut client = fixture.client();
    client.send_raw(b"help\r\n");
    client.expect_bytes(
        b"0 OK\r\nget_file_listing\r\nget_metadata\r\nget_slice\r\nhelp\r\nquit\r\n\r\n",
    );
}

#[test]
fn raw_slices_whole_and_partial() {
    let fixture = serve();
    fixture.write("hola.txt", "Que calor que hace hoy, pinocho!\n");
    let mut client = fixture.client();
    client.send_raw(b"get_slice hola.txt 0 33 raw\r\nget_slice hola.txt 4 14 raw\r\n");
    client.expect_bytes(b"0 OK\r\nContent-Length: 33\r\n\r\nQue calor que hace hoy, pinocho!\n");
    client.expect_bytes(b"0 OK\r\nContent-Length: 14\r\n\r\ncalor que hace");
    assert_eq!(
        client.ask(&Request::Help),
        Reply::Names(
            hftp_proto::Command::ALL
                .map(|command| command.name().to_owned())
                .to_vec()
        )
    );
}

#[test]
fn a_fifth_word_other_than_raw_is_201_before_the_range() {
    let fixture = serve();
    fixture.write("a", "abc");
    let mut client = fixture.client();
    for word in ["rawx", "RAW", "base64", "ra"] {
        client.send_raw(format!("get_slice a 0 999999 {word}\r\n").as_bytes());
        client.expect_bytes(b"201 INVALID ARGUMENTS FOR COMMAND\r\n");
    }
    client.send_raw(b"get_slice a 0 999999 raw\r\n");
    client.expect_bytes(b"203 OFFSET EXCEEDS FILE SIZE\r\n");
}

#[test]
fn an_empty_line_is_101_and_closes() {
    let fixture = serve();
    let mut client = fixture.client();
    client.send_raw(b"\r\n");
    client.expect_bytes(b"101 BAD REQUEST\r\n");
    client.expect_eof();
    let mut client = fixture.client();
    client.send_raw(b"   \r\nhelp\r\n");
    client.expect_bytes(b"101 BAD REQUEST\r\n");
    client.expect_eof();
}

#[test]
fn offset_plus_size_past_the_end_is_203() {
    let fixture = serve();
    fixture.write("a", "abc");
    let mut client = fixture.client();
    client.send_raw(
        b"get_slice a 0 4\r\nget_slice a 4 0\r\nget_slice a 18446744073709551615 2 raw\r\n",
    );
    client.expect_bytes(b"203 OFFSET EXCEEDS FILE SIZE\r\n".repeat(3).as_slice());
    assert_eq!(client.ask(&slice("a", 1, 2)), Reply::Body(b"bc".to_vec()));
}

#[test]
fn two_clients_at_once() {
    let fixture = serve();
    fixture.write("a", "abc");
    let mut first = fixture.client();
    let mut second = fixture.client();
    first.send(&Request::Help);
    second.send(&Request::FileListing);
    assert_eq!(second.reply(), Ok(Reply::Names(vec!["a".into()])));
    assert_eq!(
        first.reply(),
        Ok(Reply::Names(
            hftp_proto::Command::ALL
                .map(|command| command.name().to_owned())
                .to_vec()
        ))
    );
    assert_eq!(
        first.ask(&Request::FileListing),
        Reply::Names(vec!["a".into()])
    );
}

#[test]
fn the_directory_deleted_and_recreated_between_requests() {
    let fixture = serve();
    fixture.write("a", "abc");
    let mut client = fixture.client();
    assert_eq!(client.ask(&metadata("a")), Reply::Size(3));
    fs::remove_dir_all(fixture.dir()).expect("the directory is deleted");
    assert_eq!(
        client.ask(&metadata("a")),
        Reply::Status(Code::FileNotFound)
    );
    fs::create_dir(fixture.dir()).expect("the directory is recreated");
    fixture.write("a", "abcd");
    fixture.write("b", "");
    assert_eq!(client.ask(&metadata("a")), Reply::Size(4));
    assert_eq!(
        client.ask(&Request::FileListing),
        Reply::Names(vec!["a".into(), "b".into()])
    );
    assert_eq!(client.ask(&slice("a", 0, 4)), Reply::Body(b"abcd".to_vec()));
}

#[test]
fn a_listing_while_the_directory_is_gone_is_199() {
    let fixture = serve();
    fs::remove_dir_all(fixture.dir()).expect("the directory is deleted");
    let mut client = fixture.client();
    client.send_raw(b"get_file_listing\r\n");
    client.expect_bytes(b"199 INTERNAL SERVER ERROR\r\n");
    client.expect_eof();
}
