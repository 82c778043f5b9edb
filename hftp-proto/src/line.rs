//! One request line's elements as they arrive, in fixed memory, and its
//! verdict by rules 2 to 5 in rule 3's order.
//!
//! The state is an enum whose variants hold what is still needed: while
//! the first element is read, its bytes; once a known command has begun
//! its arguments, the arguments; once the line's code is settled
//! whatever its rest holds, that code alone.

use crate::code::Code;
use crate::error::Fatal;
use crate::name::{MAX_NAME_LEN, check_name};
use crate::request::{Command, Form, RAW, Request};

/// The longest command name, which bounds the command token.
const COMMAND_LEN: usize = 16;

/// What one complete line turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item<'a> {
    /// A valid request, to be answered.
    Request(Request<'a>),
    /// A request refused with a non-fatal code (200, 201 or 202); the
    /// connection goes on.
    Rejected(Code),
}

/// A line so far.
#[derive(Clone, Copy, Debug)]
#[expect(
    clippy::large_enum_variant,
    reason = "one line per connection, in place and never on the heap (rule 9)"
)]
pub(crate) enum Line {
    /// The first element, so far.
    Command(Token<COMMAND_LEN>),
    /// Only spaces so far: the first element is empty (rule 2).
    Spaces,
    /// A known command, and its arguments so far.
    Arguments(Arguments),
    /// The code is settled whatever the rest of the line holds; only its
    /// end is awaited.
    Rejected(Code),
}

impl Line {
    /// A line before its first byte.
    pub(crate) const START: Self = Self::Command(Token::EMPTY);

    /// Adds a run of bytes holding no space or line end.
    pub(crate) fn push(&mut self, run: &[u8]) {
        match self {
            Self::Command(token) => token.push(run),
            // An empty command, in a line that has one (rule 2).
            Self::Spaces => *self = Self::Rejected(Code::InvalidCommand),
            Self::Arguments(arguments) => arguments.push(run),
            Self::Rejected(_) => {}
        }
    }

    /// A space: the element being read ends and the next one begins.
    pub(crate) fn end_element(&mut self) {
        let next = match self {
            Self::Command(token) if token.is_empty() => Self::Spaces,
            Self::Command(token) => Self::after_command(token, Some(Slot::Name)),
            Self::Arguments(arguments) => match arguments.next() {
                Ok(()) => return,
                Err(code) => Self::Rejected(code),
            },
            Self::Spaces | Self::Rejected(_) => return,
        };
        *self = next;
    }

    /// The line ended: what it is, or [`Fatal::NoCommand`] if it held
    /// nothing but spaces (rule 2).
    pub(crate) fn end(&mut self) -> Result<Item<'_>, Fatal> {
        if let Self::Command(token) = self
            && !token.is_empty()
        {
            *self = Self::after_command(token, None);
        }
        match self {
            Self::Command(_) | Self::Spaces => Err(Fatal::NoCommand),
            Self::Arguments(arguments) => {
                Ok(arguments.judge().map_or_else(Item::Rejected, Item::Request))
            }
            Self::Rejected(code) => Ok(Item::Rejected(*code)),
        }
    }

    /// The line once its first element, `token`, ended: a known command,
    /// `slot` the argument begun (at a space) or `None` (at the line's
    /// end); anything else is `200`.
    fn after_command(token: &Token<COMMAND_LEN>, slot: Option<Slot>) -> Self {
        match token.get().and_then(Command::from_name) {
            Some(command) => Self::Arguments(Arguments::new(command, slot)),
            None => Self::Rejected(Code::InvalidCommand),
        }
    }
}

/// An argument's place, in the order `get_slice` takes them; its number
/// is the count of arguments up to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    Name = 1,
    Offset = 2,
    Size = 3,
    Mode = 4,
}

impl Slot {
    /// The place after this one; no command takes a fifth argument.
    const fn next(self) -> Option<Self> {
        match self {
            Self::Name => Some(Self::Offset),
            Self::Offset => Some(Self::Size),
            Self::Size => Some(Self::Mode),
            Self::Mode => None,
        }
    }
}

/// A known command's arguments so far.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Arguments {
    command: Command,
    /// The argument being read; `None` before the first.
    slot: Option<Slot>,
    name: Token<MAX_NAME_LEN>,
    offset: Number,
    size: Number,
    mode: Token<4>,
}

impl Arguments {
    /// The arguments of `command`, `slot` the one being read.
    const fn new(command: Command, slot: Option<Slot>) -> Self {
        Self {
            command,
            slot,
            name: Token::EMPTY,
            offset: Number::Empty,
            size: Number::Empty,
            mode: Token::EMPTY,
        }
    }

    /// Adds a run of bytes to the argument being read.
    fn push(&mut self, run: &[u8]) {
        match self.slot {
            Some(Slot::Name) => self.name.push(run),
            Some(Slot::Offset) => self.offset.push(run),
            Some(Slot::Size) => self.size.push(run),
            Some(Slot::Mode) => self.mode.push(run),
            None => {}
        }
    }

    /// True if the argument being read has no byte yet.
    fn slot_is_empty(&self) -> bool {
        match self.slot {
            Some(Slot::Name) => self.name.is_empty(),
            Some(Slot::Offset) => self.offset == Number::Empty,
            Some(Slot::Size) => self.size == Number::Empty,
            Some(Slot::Mode) => self.mode.is_empty(),
            None => false,
        }
    }

    /// Begins the next argument, or settles the line's code: `201` after
    /// an empty argument (rule 2) or for a fifth one (rule 3).
    fn next(&mut self) -> Result<(), Code> {
        if self.slot_is_empty() {
            return Err(Code::InvalidArguments);
        }
        let slot = self.slot.map_or(Some(Slot::Name), Slot::next);
        self.slot = Some(slot.ok_or(Code::InvalidArguments)?);
        Ok(())
    }

    /// Judges the complete line by rules 2 to 5, in rule 3's order: the
    /// command is known; then the argument count and forms; then the name.
    fn judge(&self) -> Result<Request<'_>, Code> {
        let count = self.slot.map_or(0, |slot| slot as u32);
        if self.slot_is_empty() || !self.command.takes(count) {
            return Err(Code::InvalidArguments);
        }
        let request = match self.command {
            Command::FileListing => Request::FileListing,
            Command::Metadata => Request::Metadata { name: self.name()? },
            Command::Slice => {
                let (Some(offset), Some(size)) = (self.offset.value(), self.size.value()) else {
                    return Err(Code::InvalidArguments);
                };
                let form = match self.slot {
                    Some(Slot::Mode) if self.mode.get() == Some(RAW.as_bytes()) => Form::Raw,
                    Some(Slot::Mode) => return Err(Code::InvalidArguments),
                    _ => Form::Base64,
                };
                Request::Slice {
                    name: self.name()?,
                    offset,
                    size,
                    form,
                }
            }
            Command::Help => Request::Help,
            Command::Quit => Request::Quit,
        };
        Ok(request)
    }

    /// The name argument, checked by rule 5.
    fn name(&self) -> Result<&str, Code> {
        check_name(self.name.get().ok_or(Code::FileNotFound)?)
    }
}

/// Up to `N` bytes of one element, or the fact that it had more.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Token<const N: usize> {
    /// Every byte of the element so far.
    Held { bytes: [u8; N], len: u8 },
    /// More than `N` bytes: they were dropped (rule 9).
    TooLong,
}

impl<const N: usize> Token<N> {
    /// No byte yet.
    const EMPTY: Self = {
        assert!(N <= u8::MAX as usize, "a token's length fits a u8");
        Self::Held {
            bytes: [0; N],
            len: 0,
        }
    };

    fn push(&mut self, run: &[u8]) {
        let Self::Held { bytes, len } = self else {
            return;
        };
        let at = usize::from(*len);
        match bytes.get_mut(at..at + run.len()) {
            Some(room) => {
                room.copy_from_slice(run);
                // At most `N` bytes are held, and `N` fits a `u8`.
                *len += run.len() as u8;
            }
            None => *self = Self::TooLong,
        }
    }

    /// The bytes, or `None` if some were dropped.
    fn get(&self) -> Option<&[u8]> {
        match self {
            Self::Held { bytes, len } => Some(&bytes[..usize::from(*len)]),
            Self::TooLong => None,
        }
    }

    const fn is_empty(&self) -> bool {
        matches!(self, Self::Held { len: 0, .. })
    }
}

/// A decimal `u64` read digit by digit (rule 4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Number {
    /// No digit yet.
    Empty,
    /// The digits so far.
    Value(u64),
    /// Something other than a digit, or a value past `u64::MAX`.
    Invalid,
}

impl Number {
    fn push(&mut self, run: &[u8]) {
        let start = match *self {
            Self::Empty => 0,
            Self::Value(value) => value,
            Self::Invalid => return,
        };
        let value = run.iter().try_fold(start, |value, &byte| {
            let digit = char::from(byte).to_digit(10)?;
            value.checked_mul(10)?.checked_add(u64::from(digit))
        });
        *self = value.map_or(Self::Invalid, Self::Value);
    }

    const fn value(self) -> Option<u64> {
        match self {
            Self::Value(value) => Some(value),
            Self::Empty | Self::Invalid => None,
        }
    }
}
