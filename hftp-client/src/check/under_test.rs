//! Whether the server under test is still alive after each case: a
//! server that dies (or stops answering) is reported once, in the case
//! that killed it, and started again when the checker started it.

use std::io::{Read as _, Write as _};

use std::time::{Duration, Instant};

use super::conn::PROBE;
use super::miss::{Said, said};
use super::spawn::Spawned;
use crate::{Dialer, Lang};

/// The server under test, as the checker reaches it.
pub(crate) enum UnderTest<'a> {
    /// One started by someone else: it can only be asked.
    Given(Dialer),
    /// One the checker started, and can start again.
    Spawned(&'a mut Spawned),
}

impl UnderTest<'_> {
    /// The way to it now.
    pub(crate) fn dialer(&self) -> Dialer {
        match self {
            Self::Given(dialer) => dialer.clone(),
            Self::Spawned(server) => Dialer::direct(server.addr()),
        }
    }

    /// True when file permissions bind it (it does not run as root).
    pub(crate) fn unprivileged(&self) -> bool {
        match self {
            Self::Given(_) => false,
            Self::Spawned(server) => server.unprivileged(),
        }
    }

    /// `None` while the server lives and answers a request within `wait`;
    /// else how it ended or what it did instead.
    pub(crate) fn death(&mut self, wait: Duration) -> Option<Said> {
        match self {
            Self::Given(dialer) => answers(dialer, wait).err(),
            Self::Spawned(server) => server.ended().or_else(|| {
                let silent = answers(&Dialer::direct(server.addr()), wait).err()?;
                // A process that just crashed may not be reaped yet.
                let ended = server.ended_within(Duration::from_secs(1));
                Some(ended.unwrap_or_else(|| {
                    let stopped = said!("it stopped answering", "dejó de responder");
                    server.with_last_words(stopped.then(&Said::same(": ")).then(&silent))
                }))
            }),
        }
    }

    /// True once it answers again, asking every 100 ms for `wait`.
    pub(crate) fn back_within(&mut self, wait: Duration) -> bool {
        let until = Instant::now() + wait;
        loop {
            if answers(&self.dialer(), wait).is_ok() {
                return true;
            }
            if Instant::now() >= until {
                return false;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Starts it again, if the checker started it; false when it cannot
    /// be (given by someone else, or it did not start).
    pub(crate) fn restart(&mut self) -> bool {
        match self {
            Self::Given(_) => false,
            Self::Spawned(server) => match server.restart() {
                Ok(()) => true,
                Err(error) => {
                    log::warn!("{error}");
                    false
                }
            },
        }
    }
}

/// Asks one request the server answers `200` and goes on, and waits for
/// the end of its status line: `Err` says what came instead.
fn answers(dialer: &Dialer, wait: Duration) -> Result<(), Said> {
    let until = Instant::now() + wait;
    let (mut stream, _) = dialer.connect(Some(wait)).map_err(|error| {
        said!(
            "a connection failed ({error})",
            "falló una conexión ({error})";
            error = error
        )
    })?;
    stream.write_all(PROBE).map_err(|error| {
        said!(
            "it did not read a request ({error})",
            "no leyó un pedido ({error})";
            error = error
        )
    })?;
    let mut got = Vec::new();
    let mut buffer = [0; 512];
    while !got.ends_with(b"\r\n") {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() || got.len() > 4096 {
            break;
        }
        stream
            .set_read_timeout(Some(left))
            .map_err(|error| Said::same(error.to_string()))?;
        match stream.read(&mut buffer) {
            Ok(0) => {
                return Err(said!(
                    "it closed a connection without answering a request",
                    "cerró una conexión sin responder un pedido"
                ));
            }
            Ok(read) => got.extend_from_slice(&buffer[..read]),
            Err(error) => {
                return Err(said!(
                    "no answer to a request ({error})",
                    "no respondió un pedido ({error})";
                    error = error
                ));
            }
        }
    }
    if got.ends_with(b"\r\n") {
        return Ok(());
    }
    Err(said!(
        "no answer to a request within {secs} s",
        "no respondió un pedido en {secs} s";
        secs = wait.as_secs_f64()
    ))
}

/// A server that died during a case, and what became of it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Death {
    /// The case it died in (or stopped answering after); `None` when it
    /// did not start at all.
    pub case: Option<&'static str>,
    /// How: `exit status 1`, `killed by signal 11`, `it stopped
    /// answering`, with its last words when the checker started it.
    pub how: String,
    /// True when the checker started it again and went on.
    pub restarted: bool,
    /// [`how`](Self::how) in Spanish.
    pub(crate) how_es: String,
}

impl Death {
    /// How it died, in `lang` (see [`how`](Self::how)).
    #[must_use]
    pub fn how_in(&self, lang: Lang) -> &str {
        match lang {
            Lang::Es => &self.how_es,
            _ => &self.how,
        }
    }

    /// Where it died, as the reports name it: the case's id, or
    /// `(start)` for a server that did not start.
    #[must_use]
    pub fn place(&self) -> &'static str {
        self.case.unwrap_or("(start)")
    }
}
