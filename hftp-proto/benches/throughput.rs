//! Throughput of the hot paths, each beside its baseline in the same run:
//! the slice body encoder and decoder against base64's engine on the same
//! data and chunks, and the request decoder on 1 000 000 pipelined
//! `get_metadata` lines.
//!
//! Run: `cargo bench -p hftp-proto --bench throughput`.
//! Each figure is the best of several rounds (the machine is noisy).

use std::hint::black_box;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::simd::Simd;
use base64::engine::{GeneralPurpose, GeneralPurposeConfig};
use hftp_proto::{BodyDecoder, Item, ServerConfig, ServerConnection, SliceEncoder};

/// File bytes per round.
const DATA_LEN: usize = 48 << 20;
/// The server's read size: a multiple of 3, so no padding mid-stream.
const CHUNK: usize = 48 * 1024;
/// Base64 bytes fed to the decoder per call (one socket read).
const READ: usize = 64 * 1024;
const ROUNDS: usize = 7;
const LINES: usize = 1_000_000;

fn best_of(mut round: impl FnMut()) -> Duration {
    (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            round();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn rate(bytes: usize, time: Duration) -> f64 {
    bytes as f64 / time.as_secs_f64() / 1e9
}

fn report(what: &str, baseline: Duration, ours: Duration) {
    let (base, mine) = (rate(DATA_LEN, baseline), rate(DATA_LEN, ours));
    println!(
        "{what:<34} engine {base:6.2} GB/s   ours {mine:6.2} GB/s   ratio {:5.1} %",
        100.0 * mine / base
    );
}

fn encode(data: &[u8], engine: &Simd) {
    let mut out = vec![0u8; CHUNK / 3 * 4 + 4];
    let engine_time = best_of(|| {
        for chunk in data.chunks(CHUNK) {
            black_box(engine.encode_slice(chunk, &mut out).unwrap_or(0));
        }
    });
    let slice_time = best_of(|| {
        let mut status = Vec::new();
        let mut body = SliceEncoder::begin(data.len() as u64, &mut status);
        for chunk in data.chunks(CHUNK) {
            black_box(body.encode_to_slice(chunk, &mut out).unwrap_or(0));
        }
        black_box(body.finish(&mut status).is_ok());
    });
    let mut vec_out = Vec::with_capacity(out.len());
    let vec_time = best_of(|| {
        let mut body = SliceEncoder::begin(data.len() as u64, &mut vec_out);
        for chunk in data.chunks(CHUNK) {
            vec_out.clear();
            black_box(body.encode(chunk, &mut vec_out).is_ok());
        }
        black_box(body.finish(&mut vec_out).is_ok());
    });
    report(
        "encode, SliceEncoder::encode_to_slice",
        engine_time,
        slice_time,
    );
    report("encode, SliceEncoder::encode (Vec)", engine_time, vec_time);
}

fn decode(data: &[u8], engine: &Simd) {
    let text = engine.encode(data).into_bytes();
    let mut out = vec![0u8; READ];
    let engine_time = best_of(|| {
        for chunk in text.chunks(READ) {
            black_box(engine.decode_slice(chunk, &mut out).unwrap_or(0));
        }
    });
    let mut body_text = text;
    body_text.extend_from_slice(b"\r\n");
    let ours_time = best_of(|| {
        let mut decoder = BodyDecoder::new(data.len() as u64);
        for chunk in body_text.chunks(READ) {
            let mut rest = chunk;
            while !rest.is_empty() {
                let progress = decoder
                    .decode(rest, &mut out)
                    .unwrap_or(hftp_proto::BodyProgress {
                        consumed: rest.len(),
                        produced: 0,
                        done: true,
                    });
                rest = &rest[progress.consumed..];
                black_box(progress.produced);
            }
        }
        assert_eq!(decoder.remaining(), 0);
    });
    report("decode, BodyDecoder::decode", engine_time, ours_time);
}

fn parse_requests() {
    let mut input = Vec::new();
    for i in 0..LINES {
        input.extend_from_slice(format!("get_metadata file-{:06}.txt\r\n", i % 1000).as_bytes());
    }
    let time = best_of(|| {
        let mut server = ServerConnection::new(&ServerConfig::default());
        let mut rest = &input[..];
        let mut count = 0;
        while let Ok(decoded) = server.decode(rest) {
            rest = &rest[decoded.consumed..];
            match decoded.item {
                Some(Item::Request(request)) => {
                    black_box(request);
                    count += 1;
                    server.finish_reply(hftp_proto::Code::Ok);
                }
                _ => break,
            }
        }
        assert_eq!(count, LINES);
    });
    let per_second = LINES as f64 / time.as_secs_f64();
    println!(
        "parse {LINES} pipelined get_metadata    {:.1} M requests/s ({:.0} ns each, {:.2} GB/s of input)",
        per_second / 1e6,
        1e9 / per_second,
        input.len() as f64 / time.as_secs_f64() / 1e9
    );
}

fn main() {
    let data: Vec<u8> = (0..DATA_LEN)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let config = GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true);
    let simd = Simd::standard(config);
    let scalar = GeneralPurpose::new(&base64::alphabet::STANDARD, config);
    let scalar_time = best_of(|| {
        let mut out = vec![0u8; CHUNK / 3 * 4];
        for chunk in data.chunks(CHUNK) {
            black_box(scalar.encode_slice(chunk, &mut out).unwrap_or(0));
        }
    });
    println!(
        "(scalar engine encode, for scale: {:.2} GB/s)",
        rate(DATA_LEN, scalar_time)
    );
    encode(&data, &simd);
    decode(&data, &simd);
    parse_requests();
}
