//! What the schema check passed: the front matter's values, cleaned (a number read as one,
//! a date trimmed, anything refused left out), still borrowing their text from the
//! position-keeping YAML tree. Serde reads the typed front matter straight from it.
//!
//! Before this, the check built a `serde_yaml::Value` (every key a new string, every mapping
//! hashed) only for `serde_yaml::from_value` to take it apart again.

use serde::de::value::{BorrowedStrDeserializer, MapDeserializer, SeqDeserializer};
use serde::de::{self, Deserialize, IntoDeserializer, Visitor};

/// The error of reading a [`Checked`] value into a type: only a schema table that disagrees
/// with the Rust types can cause one, and the parse stage reports it rather than panic.
pub type Error = de::value::Error;

/// A value the schema check passed.
#[derive(Debug, Clone, PartialEq)]
pub enum Checked<'a> {
    /// Nothing (an `Any` field, whose checks are done elsewhere).
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// Text, as the YAML tree holds it.
    Str(&'a str),
    /// A list, in file order.
    Seq(Vec<Checked<'a>>),
    /// A mapping, in file order, with its keys unique.
    Map(Vec<(&'a str, Checked<'a>)>),
}

impl<'a> Checked<'a> {
    /// The value under `key`, if this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Checked<'a>> {
        match self {
            Checked::Map(entries) => entries.iter().find(|(k, _)| *k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The text, if this is text.
    pub fn as_str(&self) -> Option<&'a str> {
        match self {
            Checked::Str(text) => Some(text),
            _ => None,
        }
    }

    /// Reads the value into `T` (the typed front matter, or a part of a team progress file).
    pub fn into_typed<T: Deserialize<'a>>(self) -> Result<T, Error> {
        T::deserialize(self)
    }
}

impl<'de> IntoDeserializer<'de, Error> for Checked<'de> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

/// Read as `serde_yaml` reads its own values: `null` is `None` or `()`, text names a unit
/// variant, and a list or mapping must be read to its end.
impl<'de> de::Deserializer<'de> for Checked<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Checked::Null => visitor.visit_unit(),
            Checked::Bool(b) => visitor.visit_bool(b),
            Checked::Int(n) => match u64::try_from(n) {
                Ok(n) => visitor.visit_u64(n),
                Err(_) => visitor.visit_i64(n),
            },
            Checked::Str(text) => visitor.visit_borrowed_str(text),
            Checked::Seq(items) => {
                let mut seq = SeqDeserializer::new(items.into_iter());
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(value)
            }
            Checked::Map(entries) => {
                let mut map = MapDeserializer::new(
                    entries
                        .into_iter()
                        .map(|(k, v)| (BorrowedStrDeserializer::new(k), v)),
                );
                let value = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(value)
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Checked::Null => visitor.visit_none(),
            other => visitor.visit_some(other),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Checked::Str(text) => visitor.visit_enum(BorrowedStrDeserializer::new(text)),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Sample {
        name: String,
        #[serde(default)]
        count: Option<u32>,
        #[serde(default)]
        tags: Vec<String>,
        kind: Kind,
        #[serde(default)]
        one_or_many: Option<OneOrMany>,
        #[serde(default)]
        renamed: indexmap::IndexMap<String, String>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    enum Kind {
        #[serde(rename = "digital-therapy")]
        DigitalTherapy,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }

    fn sample<'a>(extra: Vec<(&'a str, Checked<'a>)>) -> Checked<'a> {
        let mut entries = vec![
            ("name", Checked::Str("Remote monitoring")),
            ("kind", Checked::Str("digital-therapy")),
        ];
        entries.extend(extra);
        Checked::Map(entries)
    }

    #[test]
    fn reads_typed_structs_as_serde_yaml_did() {
        let value = sample(vec![
            ("count", Checked::Int(3)),
            (
                "tags",
                Checked::Seq(vec![Checked::Str("a"), Checked::Str("b")]),
            ),
            ("one_or_many", Checked::Str("HTE13")),
            (
                "renamed",
                Checked::Map(vec![("old/x", Checked::Str("new/x"))]),
            ),
        ]);
        let typed: Sample = value.into_typed().unwrap();
        assert_eq!(
            typed,
            Sample {
                name: "Remote monitoring".into(),
                count: Some(3),
                tags: vec!["a".into(), "b".into()],
                kind: Kind::DigitalTherapy,
                one_or_many: Some(OneOrMany::One("HTE13".into())),
                renamed: [("old/x".to_string(), "new/x".to_string())]
                    .into_iter()
                    .collect(),
            }
        );
        let many: Sample = sample(vec![(
            "one_or_many",
            Checked::Seq(vec![Checked::Str("HTE8"), Checked::Str("HTE9")]),
        )])
        .into_typed()
        .unwrap();
        assert_eq!(
            many.one_or_many,
            Some(OneOrMany::Many(vec!["HTE8".into(), "HTE9".into()]))
        );
    }

    #[test]
    fn a_value_that_does_not_fit_is_an_error_not_a_panic() {
        let unknown = sample(vec![("colour", Checked::Str("red"))]);
        let err = unknown.into_typed::<Sample>().unwrap_err().to_string();
        assert!(err.contains("unknown field `colour`"), "{err}");
        let negative = sample(vec![("count", Checked::Int(-1))]);
        assert!(negative.into_typed::<Sample>().is_err());
        let bad_variant = Checked::Map(vec![
            ("name", Checked::Str("x")),
            ("kind", Checked::Str("hardware")),
        ]);
        let err = bad_variant.into_typed::<Sample>().unwrap_err().to_string();
        assert!(err.contains("unknown variant `hardware`"), "{err}");
        assert!(Checked::Null.into_typed::<Sample>().is_err());
    }

    #[test]
    fn get_and_as_str_look_into_mappings() {
        let value = sample(Vec::new());
        assert_eq!(
            value.get("name").and_then(Checked::as_str),
            Some("Remote monitoring")
        );
        assert_eq!(value.get("missing"), None);
        assert_eq!(Checked::Int(1).as_str(), None);
    }
}
