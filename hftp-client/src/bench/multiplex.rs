//! Many pipelined connections driven by one thread with epoll: with a
//! thread per connection, the client's own context switches would cost
//! as much as the server's work on a small machine.

use std::collections::VecDeque;
use std::io;
use std::time::{Duration, Instant};

use hftp_proto::{Code, Request};
use rustix::buffer::spare_capacity;
use rustix::event::{Timespec, epoll};

use super::stats::Tally;
use super::wire::Wire;
use crate::Error;
use crate::pipeline::{Step, no_body};

/// One connection's progress.
struct Slot {
    wire: Wire,
    sent_at: VecDeque<Instant>,
    sent: u64,
    done: u64,
    quota: u64,
}

/// Asks `get_metadata name` `quotas[i]` times on connection `i`, `depth`
/// in flight on each, until all are answered; every size must be `size`.
pub(crate) fn run(
    wires: Vec<Wire>,
    quotas: &[u64],
    (name, size, depth): (&str, u64, u64),
    timeout: Duration,
) -> Result<Tally, Error> {
    let mut tally = Tally::default();
    let mut slots = Vec::with_capacity(wires.len());
    for (wire, &quota) in wires.into_iter().zip(quotas) {
        wire.stream().set_nonblocking(true)?;
        let mut slot = Slot {
            wire,
            sent_at: VecDeque::new(),
            sent: 0,
            done: 0,
            quota,
        };
        refill(&mut slot, name, depth)?;
        slots.push(slot);
    }
    let limit = Timespec::try_from(timeout).map_err(io::Error::other)?;
    let poller = epoll::create(epoll::CreateFlags::CLOEXEC).map_err(io::Error::from)?;
    for (index, slot) in slots.iter().enumerate() {
        let data = epoll::EventData::new_u64(index as u64);
        epoll::add(&poller, slot.wire.stream(), data, epoll::EventFlags::IN)
            .map_err(io::Error::from)?;
    }
    let mut events = Vec::with_capacity(slots.len());
    while slots.iter().any(|s| s.done < s.quota) {
        events.clear();
        if epoll::wait(&poller, spare_capacity(&mut events), Some(&limit))
            .map_err(io::Error::from)?
            == 0
        {
            return Err(Error::Timeout(Some(timeout)));
        }
        for event in &events {
            let Some(slot) = usize::try_from(event.data.u64())
                .ok()
                .and_then(|i| slots.get_mut(i))
            else {
                continue;
            };
            if slot.done >= slot.quota {
                continue;
            }
            if let Err(error) =
                drain(slot, size, &mut tally).and_then(|()| refill(slot, name, depth))
            {
                tally.lost(slot.quota - slot.done, &error);
                slot.done = slot.quota;
            }
        }
    }
    Ok(tally)
}

/// Takes every reply that is complete.
fn drain(slot: &mut Slot, size: u64, tally: &mut Tally) -> Result<(), Error> {
    // No read once no reply is due: it would only say "would block".
    while slot.wire.pending() > 0 {
        let Some(step) = slot.wire.try_next_step(&mut no_body)? else {
            break;
        };
        if step == Step::Status(Code::Ok) {
            continue;
        }
        slot.done += 1;
        tally.answer(&step, size, slot.sent_at.pop_front());
    }
    Ok(())
}

/// Tops the connection up to `depth` requests in flight.
fn refill(slot: &mut Slot, name: &str, depth: u64) -> Result<(), Error> {
    while slot.sent < slot.quota && slot.sent - slot.done < depth {
        slot.wire.queue(&Request::Metadata { name })?;
        slot.sent_at.push_back(Instant::now());
        slot.sent += 1;
    }
    slot.wire.flush()
}
