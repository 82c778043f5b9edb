//! Clients a server must survive: slow, greedy, idle, many, vanishing.

use std::time::Duration;

use hftp_proto::Code::{FileNotFound, InvalidArguments, InvalidCommand};
use hftp_proto::{Form, Request};

use super::lines::exchange;
use crate::check::case::{Case, Test};
use crate::check::conn::PROBE;
use crate::check::context::Ctx;
use crate::check::expect;
use crate::check::fixtures::{BIG, BIG_LEN, HOLA};
use crate::check::group::{Group, Revision};
use crate::check::miss::Tested;

/// A robustness case.
const fn robust(id: &'static str, title: &'static str, test: fn(&mut Ctx) -> Tested) -> Case {
    Case::new(id, Group::Robust, title, Test::Run(test))
}

/// How many clients connect at once.
const CLIENTS: usize = 300;
/// How many requests go in one pipelined batch.
const PIPELINED: usize = 1000;

/// The robustness cases.
pub(super) const CASES: &[Case] = &[
    robust(
        "robust.byte-at-a-time",
        "three requests, one byte per packet",
        byte_at_a_time,
    ),
    robust(
        "robust.pipelined-1000",
        "a thousand pipelined requests, answered in order",
        pipelined,
    ),
    robust(
        "robust.idle-client",
        "an idle client does not block a second one",
        idle_client,
    ),
    robust(
        "robust.many-clients",
        "300 clients at once are all answered",
        many_clients,
    ),
    robust(
        "robust.walk-away",
        "a client leaving mid-body, then a normal request",
        walk_away,
    )
    .with_dir(),
    robust(
        "robust.cut-then-new",
        "a client leaving mid-line, then a normal request",
        cut_then_new,
    ),
];

/// Three requests and their replies.
fn three() -> (Vec<u8>, Vec<u8>) {
    let send = [PROBE, b"get_metadata\r\n", b"get_metadata absent-file\r\n"].concat();
    let reply = [InvalidCommand, InvalidArguments, FileNotFound]
        .map(expect::status)
        .concat();
    (send, reply)
}

/// One byte per write.
fn byte_at_a_time(cx: &mut Ctx) -> Tested {
    let (send, reply) = three();
    let mut conn = cx.connect()?;
    conn.send_bytewise(&send, Duration::from_millis(1))?;
    conn.expect(&reply)?;
    conn.expect_open()
}

/// A thousand requests written while the replies are read.
fn pipelined(cx: &mut Ctx) -> Tested {
    let (send, reply) = three();
    let mut conn = cx.connect()?;
    let writer = conn.send_in_background(send.repeat(PIPELINED.div_ceil(3)))?;
    let result = conn.expect(&reply.repeat(PIPELINED.div_ceil(3)));
    let _ = writer.join();
    result?;
    conn.expect_open()
}

/// A silent client first, then a busy one, then the silent one speaks.
fn idle_client(cx: &mut Ctx) -> Tested {
    let mut idle = cx.connect()?;
    let mut busy = cx.connect()?;
    busy.expect_open()?;
    idle.expect_open()
}

/// Many connections open at once, then each asks once.
fn many_clients(cx: &mut Ctx) -> Tested {
    let mut conns = Vec::with_capacity(CLIENTS);
    for _ in 0..CLIENTS {
        conns.push(cx.connect()?);
    }
    for conn in &mut conns {
        conn.send(PROBE)?;
    }
    for conn in &mut conns {
        conn.expect(&expect::status(InvalidCommand))?;
    }
    Ok(())
}

/// Leave in the middle of a 32 MiB raw body.
fn walk_away(cx: &mut Ctx) -> Tested {
    let mut conn = cx.connect()?;
    let mut line = Vec::new();
    let form = if cx.revision < Revision::R2026 {
        Form::Base64
    } else {
        Form::Raw
    };
    let request = Request::Slice {
        name: BIG,
        offset: 0,
        size: BIG_LEN as u64,
        form,
    };
    let _ = request.encode(&mut line);
    conn.send(&line)?;
    conn.read_some(64 * 1024)?;
    drop(conn);
    exchange(
        cx,
        format!("get_metadata {HOLA}\r\n").as_bytes(),
        &expect::metadata(33),
    )
}

/// Leave in the middle of a line.
fn cut_then_new(cx: &mut Ctx) -> Tested {
    let mut conn = cx.connect()?;
    conn.send(b"get_meta")?;
    drop(conn);
    exchange(cx, PROBE, &expect::status(InvalidCommand))
}
