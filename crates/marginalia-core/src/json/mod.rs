//! A small, strict JSON reader for serde: enough for the values Marginalia
//! writes (objects, arrays, strings, whole numbers, booleans, null), and no
//! more. The first paint reads the saved annotations with it instead of
//! `serde_json`, whose parser, error messages and float formatting are most
//! of that module's size.
//!
//! It refuses rather than guesses: anything `serde_json` would refuse, and
//! also numbers with a fraction or exponent (Marginalia writes none) and
//! nesting deeper than 128. A refusal carries no message; the caller falls
//! back to the full decode, which says what is wrong.

use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use std::fmt;

/// Reads `text` as one JSON value of type `T`; `None` if it is not one.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
    let mut reader = Reader { s: text.as_bytes(), i: 0, depth: 0 };
    let value = T::deserialize(&mut reader).ok()?;
    reader.space();
    (reader.i == reader.s.len()).then_some(value)
}

/// Why a value was refused: deliberately nothing (see the module docs).
#[derive(Debug)]
pub struct Refused;

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a value Marginalia wrote")
    }
}

impl std::error::Error for Refused {}

impl de::Error for Refused {
    // The message is dropped unformatted: formatting it would bring in
    // everything `serde` can say about any value, floats included.
    fn custom<T: fmt::Display>(_: T) -> Refused {
        Refused
    }
}

const MAX_DEPTH: u32 = 128;

struct Reader<'a> {
    s: &'a [u8],
    i: usize,
    depth: u32,
}

impl<'a> Reader<'a> {
    fn space(&mut self) {
        while matches!(self.s.get(self.i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.space();
        self.s.get(self.i).copied()
    }

    fn eat(&mut self, byte: u8) -> bool {
        let here = self.peek() == Some(byte);
        self.i += usize::from(here);
        here
    }

    fn word(&mut self, word: &[u8]) -> Result<(), Refused> {
        let ok = self.s.get(self.i..self.i + word.len()) == Some(word);
        self.i += word.len();
        ok.then_some(()).ok_or(Refused)
    }

    fn hex4(&mut self) -> Result<u32, Refused> {
        let digits = self.s.get(self.i..self.i + 4).ok_or(Refused)?;
        self.i += 4;
        digits.iter().try_fold(0, |n, &d| Ok(n * 16 + char::from(d).to_digit(16).ok_or(Refused)?))
    }

    /// A string, after its opening quote: borrowed when it has no escapes.
    fn string(&mut self) -> Result<Text<'a>, Refused> {
        let start = self.i;
        let mut owned: Option<Vec<u8>> = None;
        loop {
            let &b = self.s.get(self.i).ok_or(Refused)?;
            self.i += 1;
            match b {
                b'"' => {
                    return match owned {
                        None => {
                            Ok(Text::Borrowed(std::str::from_utf8(&self.s[start..self.i - 1]).map_err(|_| Refused)?))
                        }
                        Some(bytes) => Ok(Text::Owned(String::from_utf8(bytes).map_err(|_| Refused)?)),
                    };
                }
                b'\\' => {
                    let out = owned.get_or_insert_with(|| self.s[start..self.i - 1].to_vec());
                    let &e = self.s.get(self.i).ok_or(Refused)?;
                    self.i += 1;
                    let c = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let high = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&high) {
                                self.word(b"\\u")?;
                                let low = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&low) {
                                    return Err(Refused);
                                }
                                0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                high
                            };
                            char::from_u32(code).ok_or(Refused)?
                        }
                        _ => return Err(Refused),
                    };
                    let mut buf = [0; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                0..=0x1f => return Err(Refused),
                _ => {
                    if let Some(out) = &mut owned {
                        out.push(b);
                    }
                }
            }
        }
    }

    /// A whole number, as JSON writes it (no leading zeros).
    fn number(&mut self) -> Result<Number, Refused> {
        let negative = self.s.get(self.i) == Some(&b'-');
        self.i += usize::from(negative);
        let start = self.i;
        while self.s.get(self.i).is_some_and(u8::is_ascii_digit) {
            self.i += 1;
        }
        let digits = &self.s[start..self.i];
        let leading_zero = digits.len() > 1 && digits[0] == b'0';
        if digits.is_empty() || leading_zero || matches!(self.s.get(self.i), Some(b'.' | b'e' | b'E')) {
            return Err(Refused);
        }
        let n =
            digits.iter().try_fold(0u64, |n, &d| n.checked_mul(10)?.checked_add(u64::from(d - b'0'))).ok_or(Refused)?;
        if negative {
            let n = i64::try_from(n).map_err(|_| Refused)?;
            Ok(Number::Negative(-n))
        } else {
            Ok(Number::Positive(n))
        }
    }

    /// The next value's start, read as far as needs no visitor: scalars
    /// whole, an array or object up to its bracket (one level deeper).
    /// Kept out of the generic `deserialize_any`, which is built once per
    /// type read.
    fn token(&mut self) -> Result<Token<'a>, Refused> {
        let token = match self.peek().ok_or(Refused)? {
            b'n' => self.word(b"null").map(|()| Token::Null)?,
            b't' => self.word(b"true").map(|()| Token::Bool(true))?,
            b'f' => self.word(b"false").map(|()| Token::Bool(false))?,
            b'"' => {
                self.i += 1;
                Token::Text(self.string()?)
            }
            open @ (b'[' | b'{') => {
                self.i += 1;
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(Refused);
                }
                if open == b'[' {
                    Token::Array
                } else {
                    Token::Object
                }
            }
            b'-' | b'0'..=b'9' => Token::Number(self.number()?),
            _ => return Err(Refused),
        };
        Ok(token)
    }

    /// The closing bracket of what `token` opened.
    fn close(&mut self, bracket: u8) -> Result<(), Refused> {
        self.depth -= 1;
        self.eat(bracket).then_some(()).ok_or(Refused)
    }
}

enum Token<'a> {
    Null,
    Bool(bool),
    Text(Text<'a>),
    Number(Number),
    Array,
    Object,
}

enum Text<'a> {
    Borrowed(&'a str),
    Owned(String),
}

enum Number {
    Positive(u64),
    Negative(i64),
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = Refused;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        match self.token()? {
            Token::Null => visitor.visit_unit(),
            Token::Bool(b) => visitor.visit_bool(b),
            Token::Text(Text::Borrowed(s)) => visitor.visit_borrowed_str(s),
            Token::Text(Text::Owned(s)) => visitor.visit_string(s),
            Token::Number(Number::Positive(n)) => visitor.visit_u64(n),
            Token::Number(Number::Negative(n)) => visitor.visit_i64(n),
            Token::Array => {
                let value = visitor.visit_seq(Items { r: &mut *self, first: true })?;
                self.close(b']').map(|()| value)
            }
            Token::Object => {
                let value = visitor.visit_map(Items { r: &mut *self, first: true })?;
                self.close(b'}').map(|()| value)
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        if self.peek() == Some(b'n') {
            self.word(b"null")?;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, Refused> {
        visitor.visit_newtype_struct(self)
    }

    /// Unit variants only, written as their names (`"in-progress"`).
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Refused> {
        if self.peek() != Some(b'"') {
            return Err(Refused);
        }
        self.i += 1;
        let name = match self.string()? {
            Text::Borrowed(s) => s.to_string(),
            Text::Owned(s) => s,
        };
        visitor.visit_enum(IntoDeserializer::<Refused>::into_deserializer(name))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        self.deserialize_any(de::IgnoredAny)?;
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

/// The items of an array, or the entries of an object, after its bracket.
struct Items<'r, 'de> {
    r: &'r mut Reader<'de>,
    first: bool,
}

impl Items<'_, '_> {
    /// Whether another item follows (eating the comma before it).
    fn more(&mut self, close: u8) -> Result<bool, Refused> {
        if self.r.peek() == Some(close) {
            return Ok(false);
        }
        if !std::mem::replace(&mut self.first, false) && !self.r.eat(b',') {
            return Err(Refused);
        }
        Ok(true)
    }
}

impl<'de> de::SeqAccess<'de> for Items<'_, 'de> {
    type Error = Refused;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Refused> {
        if !self.more(b']')? {
            return Ok(None);
        }
        seed.deserialize(&mut *self.r).map(Some)
    }
}

impl<'de> de::MapAccess<'de> for Items<'_, 'de> {
    type Error = Refused;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Refused> {
        if !self.more(b'}')? {
            return Ok(None);
        }
        if self.r.peek() != Some(b'"') {
            return Err(Refused);
        }
        seed.deserialize(&mut *self.r).map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Refused> {
        if !self.r.eat(b':') {
            return Err(Refused);
        }
        seed.deserialize(&mut *self.r)
    }
}

#[cfg(test)]
mod tests;
