//! The machine's own limits, measured with no server and no files:
//! plain loopback TCP, base64 through a loopback socket, and a minimal
//! request/reply round trip.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use hftp_proto::{BodyDecoder, Request, SliceEncoder};

use super::Error;
use super::stats::{Measurement, mb_per_sec};

/// Options of the `ceiling` mode.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Ceiling {
    /// Bytes to move for the throughput ceilings.
    pub(crate) bytes: u64,
    /// Round trips for the latency ceiling.
    pub(crate) round_trips: u64,
}

impl Ceiling {
    /// Bytes to move for the throughput ceilings.
    #[must_use]
    pub const fn bytes(mut self, bytes: u64) -> Self {
        self.bytes = bytes;
        self
    }

    /// Round trips for the latency ceiling.
    #[must_use]
    pub const fn round_trips(mut self, round_trips: u64) -> Self {
        self.round_trips = round_trips;
        self
    }
}

impl Default for Ceiling {
    /// 256 MiB and 20 000 round trips.
    fn default() -> Self {
        Self {
            bytes: 256 << 20,
            round_trips: 20_000,
        }
    }
}

/// The machine's own limits, with no server: loopback TCP, base64
/// through a loopback socket, and a minimal round trip; one measurement
/// each.
///
/// # Errors
///
/// A loopback socket cannot be opened or fails.
pub fn ceiling(options: &Ceiling) -> Result<Vec<Measurement>, Error> {
    let tcp = tcp(options.bytes).map_err(Error::Machine)?;
    let b64 = base64(options.bytes).map_err(Error::Machine)?;
    let rtt = round_trip(options.round_trips).map_err(Error::Machine)?;
    Ok(vec![
        Measurement::new("ceiling")
            .text("what", "tcp")
            .int("bytes", options.bytes)
            .float("MB/s", tcp, 1),
        Measurement::new("ceiling")
            .text("what", "base64")
            .text(
                "engine",
                "hftp_proto SliceEncoder/BodyDecoder (base64 Simd)",
            )
            .int("bytes", options.bytes)
            .float("MB/s", b64, 1),
        Measurement::new("ceiling")
            .text("what", "round-trip")
            .int("round_trips", options.round_trips)
            .micros("us", rtt)
            .float("req/s", 1.0 / rtt.as_secs_f64().max(1e-12), 0),
    ])
}

/// A connected pair over loopback: (client side, server side).
fn pair() -> io::Result<(TcpStream, TcpStream)> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let client = TcpStream::connect(listener.local_addr()?)?;
    let (server, _) = listener.accept()?;
    client.set_nodelay(true)?;
    server.set_nodelay(true)?;
    Ok((client, server))
}

/// Plain bytes from one thread to another through loopback, MB/s.
pub(crate) fn tcp(bytes: u64) -> io::Result<f64> {
    let (mut reader, mut writer) = pair()?;
    let started = Instant::now();
    let sender = thread::spawn(move || -> io::Result<()> {
        let chunk = vec![7u8; 256 * 1024];
        let mut left = bytes;
        while left > 0 {
            let n = chunk.len().min(usize::try_from(left).unwrap_or(usize::MAX));
            writer.write_all(&chunk[..n])?;
            left -= n as u64;
        }
        Ok(())
    });
    let mut buffer = vec![0; 256 * 1024];
    let mut got = 0;
    while got < bytes {
        match reader.read(&mut buffer)? {
            0 => break,
            n => got += n as u64,
        }
    }
    let took = started.elapsed();
    sender
        .join()
        .map_err(|_| io::Error::other("sender panicked"))??;
    Ok(mb_per_sec(got, took))
}

/// File bytes encoded as a server does, sent through loopback and
/// decoded as a client does, MB/s of file bytes.
pub(crate) fn base64(bytes: u64) -> io::Result<f64> {
    let (mut reader, mut writer) = pair()?;
    let started = Instant::now();
    let sender = thread::spawn(move || -> io::Result<()> {
        let data: Vec<u8> = (0..48 * 1024).map(|i| (i % 251) as u8).collect();
        let mut out = Vec::with_capacity(70 * 1024);
        let mut encoder = SliceEncoder::begin(bytes, &mut out);
        while encoder.remaining() > 0 {
            let n = data
                .len()
                .min(usize::try_from(encoder.remaining()).unwrap_or(usize::MAX));
            encoder
                .encode(&data[..n], &mut out)
                .map_err(io::Error::other)?;
            writer.write_all(&out)?;
            out.clear();
        }
        encoder.finish(&mut out).map_err(io::Error::other)?;
        writer.write_all(&out)
    });
    let mut input = vec![0; 256 * 1024];
    let mut out = vec![0; 256 * 1024];
    let mut decoder = BodyDecoder::new(bytes);
    // Skip `0 OK\r\n`, as a client's connection does before the body.
    let mut status = [0; 6];
    reader.read_exact(&mut status)?;
    let mut produced = 0;
    'read: loop {
        let n = reader.read(&mut input)?;
        if n == 0 {
            break;
        }
        let mut at = 0;
        while at < n {
            let progress = decoder
                .decode(&input[at..n], &mut out)
                .map_err(io::Error::other)?;
            at += progress.consumed;
            produced += progress.produced as u64;
            if progress.done {
                break 'read;
            }
        }
    }
    let took = started.elapsed();
    sender
        .join()
        .map_err(|_| io::Error::other("sender panicked"))??;
    if produced != bytes {
        return Err(io::Error::other(format!(
            "decoded {produced} of {bytes} bytes"
        )));
    }
    Ok(mb_per_sec(produced, took))
}

/// The mean time of a minimal request/reply exchange over loopback: a
/// `get_metadata` line out, its reply back, nothing parsed.
pub(crate) fn round_trip(round_trips: u64) -> io::Result<Duration> {
    let mut request = Vec::new();
    let _ = Request::Metadata { name: "hola.txt" }.encode(&mut request);
    let mut reply = Vec::new();
    hftp_proto::reply::write_metadata(33, &mut reply);
    let (length, answer) = (request.len(), reply.clone());
    let (mut client, mut server) = pair()?;
    let echo = thread::spawn(move || -> io::Result<()> {
        let mut line = vec![0; length];
        while server.read_exact(&mut line).is_ok() {
            server.write_all(&answer)?;
        }
        Ok(())
    });
    let mut got = vec![0; reply.len()];
    let started = Instant::now();
    for _ in 0..round_trips {
        client.write_all(&request)?;
        client.read_exact(&mut got)?;
    }
    let took = started.elapsed();
    drop(client);
    echo.join()
        .map_err(|_| io::Error::other("echo panicked"))??;
    Ok(took / u32::try_from(round_trips.max(1)).unwrap_or(u32::MAX))
}
