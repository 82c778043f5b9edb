//! What a server does where neither the course nor the contract asks one
//! thing: for information, never a failure.

use hftp_proto::Code;

use crate::check::case::{Case, Test};
use crate::check::conn::{PROBE, escape};
use crate::check::context::Ctx;
use crate::check::group::Group;
use crate::check::miss::{Miss, Said, Tested, info, said};

/// An information case.
const fn note(id: &'static str, title: &'static str, test: fn(&mut Ctx) -> Tested) -> Case {
    Case::new(id, Group::Info, title, Test::Run(test))
}

/// The information cases.
pub(super) const CASES: &[Case] = &[
    note(
        "info.status-texts",
        "the status texts, compared with the kit's (the course reads only the code)",
        status_texts,
    ),
    note(
        "info.second-client-while-idle",
        "a second client, while a first one is idle",
        while_idle,
    ),
    note(
        "info.second-client-mid-request",
        "a second client, while a first one is half-way through a line",
        mid_request,
    ),
];

/// What was noted, or why it could not be told: never a failure.
fn noted(found: Result<Said, Miss>) -> Tested {
    match found {
        Ok(what) => Err(info(what)),
        Err(Miss::Fail(failure, spanish)) => Err(info(Said {
            en: format!("could not tell: no {}", failure.expected),
            es: format!("no se pudo saber: faltó {spanish}"),
        })),
        Err(other) => Err(other),
    }
}

/// A line that provokes each code, on a fresh connection.
const PROVOKE: [(&[u8], Code); 6] = [
    (b"quit\r\n", Code::Ok),
    (b"x\n", Code::BadEol),
    (b"\r\n", Code::BadRequest),
    (PROBE, Code::InvalidCommand),
    (b"get_metadata\r\n", Code::InvalidArguments),
    (b"get_metadata absent-file\r\n", Code::FileNotFound),
];

/// Each code's text, or the kit's texts all along.
fn status_texts(cx: &mut Ctx) -> Tested {
    noted(differing_texts(cx))
}

/// The texts that differ from the kit's, in a few words.
fn differing_texts(cx: &Ctx) -> Result<Said, Miss> {
    let mut differ = Vec::new();
    for (line, code) in PROVOKE {
        let mut conn = cx.connect()?;
        conn.send(line)?;
        let status = conn.line()?.unwrap_or_default();
        let kit = format!("{} {}", code.number(), code.text());
        if status != kit.as_bytes() {
            differ.push(format!("\"{}\" (kit: {kit})", escape(&status)));
        }
    }
    if differ.is_empty() {
        return Ok(said!("the kit's texts", "los textos del kit"));
    }
    Ok(said!(
        "texts of its own: {texts}",
        "textos propios: {texts}";
        texts = differ.join(", ")
    ))
}

/// A first client connected and silent, a second one asks.
fn while_idle(cx: &mut Ctx) -> Tested {
    noted(second_served(cx, b"", &said!("idle", "quieto")))
}

/// A first client sent half a line, a second one asks.
fn mid_request(cx: &mut Ctx) -> Tested {
    let first_is = said!("half-way through a line", "por la mitad de una línea");
    noted(second_served(cx, b"get_meta", &first_is))
}

/// Whether a second client gets its answer while the first, having sent
/// `first_sent`, waits.
fn second_served(cx: &Ctx, first_sent: &[u8], first_is: &Said) -> Result<Said, Miss> {
    let mut first = cx.connect()?;
    first.send(first_sent)?;
    let mut second = cx.connect()?;
    second.send(PROBE)?;
    let Said { en, es } = first_is;
    Ok(match second.status_line() {
        Ok(Some(_)) => Said {
            en: format!("served while the first one is {en}"),
            es: format!("atendido mientras el primero está {es}"),
        },
        _ => Said {
            en: format!("not served while the first one is {en}: clients wait their turn"),
            es: format!("no atendido mientras el primero está {es}: los clientes esperan su turno"),
        },
    })
}
