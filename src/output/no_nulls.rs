//! Writes a value through any serde serializer leaving out, at every depth, the struct fields
//! and map entries whose value is null (`None`, `()`), as `playbooks.json` wants its front
//! matter: like the YAML it came from, without the fields that were not given. Items of lists
//! are kept, null or not.
//!
//! The value goes straight to the serializer: making a `serde_json::Value` of it first and
//! leaving the nulls out of that cost a copy of every string of every playbook, about 2% of a
//! playbook build's instructions.

use serde::ser::{self, Serialize, Serializer};

/// `value` written without its null fields and entries (see the module).
pub struct NoNulls<'a, T: ?Sized>(pub &'a T);

impl<T: Serialize + ?Sized> Serialize for NoNulls<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(Skipping(serializer))
    }
}

/// Whether `value` is written as null. Asking stops at the first thing that is not.
fn is_null<T: Serialize + ?Sized>(value: &T) -> bool {
    value.serialize(IsNull).unwrap_or(false)
}

/// A serializer that forwards everything to `S`, wrapping what it holds in `NoNulls`.
struct Skipping<S>(S);

/// `Skipping`'s compound writers: each wraps the writer of `S` it forwards to.
struct Compound<C>(C);

macro_rules! forward {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {
        $(fn $method(self, $($arg: $ty),*) -> Result<S::Ok, S::Error> {
            self.0.$method($($arg),*)
        })*
    };
}

impl<S: Serializer> Serializer for Skipping<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Compound<S::SerializeSeq>;
    type SerializeTuple = Compound<S::SerializeTuple>;
    type SerializeTupleStruct = Compound<S::SerializeTupleStruct>;
    type SerializeTupleVariant = Compound<S::SerializeTupleVariant>;
    type SerializeMap = Compound<S::SerializeMap>;
    type SerializeStruct = Compound<S::SerializeStruct>;
    type SerializeStructVariant = Compound<S::SerializeStructVariant>;

    forward! {
        serialize_bool(v: bool);
        serialize_i8(v: i8);
        serialize_i16(v: i16);
        serialize_i32(v: i32);
        serialize_i64(v: i64);
        serialize_i128(v: i128);
        serialize_u8(v: u8);
        serialize_u16(v: u16);
        serialize_u32(v: u32);
        serialize_u64(v: u64);
        serialize_u128(v: u128);
        serialize_f32(v: f32);
        serialize_f64(v: f64);
        serialize_char(v: char);
        serialize_str(v: &str);
        serialize_bytes(v: &[u8]);
        serialize_none();
        serialize_unit();
        serialize_unit_struct(name: &'static str);
        serialize_unit_variant(name: &'static str, index: u32, variant: &'static str);
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<S::Ok, S::Error> {
        self.0.serialize_some(&NoNulls(value))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        self.0.serialize_newtype_struct(name, &NoNulls(value))
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        self.0
            .serialize_newtype_variant(name, index, variant, &NoNulls(value))
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        self.0.serialize_seq(len).map(Compound)
    }

    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, S::Error> {
        self.0.serialize_tuple(len).map(Compound)
    }

    fn serialize_tuple_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct, S::Error> {
        self.0.serialize_tuple_struct(name, len).map(Compound)
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, S::Error> {
        self.0
            .serialize_tuple_variant(name, index, variant, len)
            .map(Compound)
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        // Some entries may be left out, so the length is not known.
        self.0.serialize_map(None).map(Compound)
    }

    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, S::Error> {
        self.0.serialize_struct(name, len).map(Compound)
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, S::Error> {
        self.0
            .serialize_struct_variant(name, index, variant, len)
            .map(Compound)
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

/// The compound writers whose items are kept, null or not: each is wrapped in `NoNulls`.
macro_rules! items_kept {
    ($($trait:ident::$method:ident;)*) => {
        $(impl<C: ser::$trait> ser::$trait for Compound<C> {
            type Ok = C::Ok;
            type Error = C::Error;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), C::Error> {
                self.0.$method(&NoNulls(value))
            }

            fn end(self) -> Result<C::Ok, C::Error> {
                self.0.end()
            }
        })*
    };
}

items_kept! {
    SerializeSeq::serialize_element;
    SerializeTuple::serialize_element;
    SerializeTupleStruct::serialize_field;
    SerializeTupleVariant::serialize_field;
}

impl<C: ser::SerializeMap> ser::SerializeMap for Compound<C> {
    type Ok = C::Ok;
    type Error = C::Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), C::Error> {
        self.0.serialize_key(key)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), C::Error> {
        self.0.serialize_value(&NoNulls(value))
    }

    fn serialize_entry<K: Serialize + ?Sized, V: Serialize + ?Sized>(
        &mut self,
        key: &K,
        value: &V,
    ) -> Result<(), C::Error> {
        if is_null(value) {
            return Ok(());
        }
        self.0.serialize_entry(key, &NoNulls(value))
    }

    fn end(self) -> Result<C::Ok, C::Error> {
        self.0.end()
    }
}

/// The compound writers with named fields: a null field is skipped.
macro_rules! null_fields_skipped {
    ($($trait:ident;)*) => {
        $(impl<C: ser::$trait> ser::$trait for Compound<C> {
            type Ok = C::Ok;
            type Error = C::Error;

            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), C::Error> {
                if is_null(value) {
                    return self.0.skip_field(key);
                }
                self.0.serialize_field(key, &NoNulls(value))
            }

            fn end(self) -> Result<C::Ok, C::Error> {
                self.0.end()
            }
        })*
    };
}

null_fields_skipped! {
    SerializeStruct;
    SerializeStructVariant;
}

/// Answers `is_null`: `Ok(true)` for what JSON writes as null, and an error (read as "no") as
/// soon as it meets anything else, without writing it.
struct IsNull;

/// `IsNull`'s way of stopping early.
#[derive(Debug)]
struct NotNull;

impl std::fmt::Display for NotNull {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not null")
    }
}

impl std::error::Error for NotNull {}

impl ser::Error for NotNull {
    fn custom<T: std::fmt::Display>(_: T) -> NotNull {
        NotNull
    }
}

macro_rules! not_null {
    ($($method:ident($($ty:ty),*);)*) => {
        $(fn $method(self, $(_: $ty),*) -> Result<bool, NotNull> {
            Ok(false)
        })*
    };
}

impl Serializer for IsNull {
    type Ok = bool;
    type Error = NotNull;
    type SerializeSeq = ser::Impossible<bool, NotNull>;
    type SerializeTuple = ser::Impossible<bool, NotNull>;
    type SerializeTupleStruct = ser::Impossible<bool, NotNull>;
    type SerializeTupleVariant = ser::Impossible<bool, NotNull>;
    type SerializeMap = ser::Impossible<bool, NotNull>;
    type SerializeStruct = ser::Impossible<bool, NotNull>;
    type SerializeStructVariant = ser::Impossible<bool, NotNull>;

    not_null! {
        serialize_bool(bool);
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_i128(i128);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
        serialize_u128(u128);
        serialize_char(char);
        serialize_str(&str);
        serialize_bytes(&[u8]);
        serialize_unit_variant(&'static str, u32, &'static str);
    }

    // JSON has no NaN or infinity: serde_json writes them as null.
    fn serialize_f32(self, v: f32) -> Result<bool, NotNull> {
        Ok(!v.is_finite())
    }

    fn serialize_f64(self, v: f64) -> Result<bool, NotNull> {
        Ok(!v.is_finite())
    }

    fn serialize_none(self) -> Result<bool, NotNull> {
        Ok(true)
    }

    fn serialize_unit(self) -> Result<bool, NotNull> {
        Ok(true)
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<bool, NotNull> {
        Ok(true)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<bool, NotNull> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<bool, NotNull> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<bool, NotNull> {
        Ok(false)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, NotNull> {
        Err(NotNull)
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, NotNull> {
        Err(NotNull)
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, NotNull> {
        Err(NotNull)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, NotNull> {
        Err(NotNull)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, NotNull> {
        Err(NotNull)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, NotNull> {
        Err(NotNull)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, NotNull> {
        Err(NotNull)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use serde_json::json;

    #[derive(Serialize)]
    struct Inner {
        c: Option<u32>,
        d: u32,
    }

    #[derive(Serialize)]
    struct Outer {
        a: Option<String>,
        b: Vec<Inner>,
        e: std::collections::BTreeMap<String, Option<u32>>,
        g: Vec<Option<u32>>,
        h: Option<Option<u32>>,
        i: f64,
    }

    #[test]
    fn nulls_are_left_out_at_every_depth_but_not_from_lists() {
        let value = Outer {
            a: None,
            b: vec![Inner { c: None, d: 1 }],
            e: [("f".to_string(), None), ("k".to_string(), Some(2))].into(),
            g: vec![None],
            h: Some(None),
            i: f64::NAN,
        };
        let written = serde_json::to_string(&NoNulls(&value)).unwrap();
        assert_eq!(written, r#"{"b":[{"d":1}],"e":{"k":2},"g":[null]}"#);
    }

    #[test]
    fn it_writes_what_leaving_nulls_out_of_a_json_value_writes() {
        let value = Outer {
            a: Some("x".into()),
            b: vec![Inner { c: Some(3), d: 1 }, Inner { c: None, d: 2 }],
            e: [("f".to_string(), Some(1))].into(),
            g: vec![Some(1), None],
            h: Some(Some(4)),
            i: 1.5,
        };
        let direct = serde_json::to_string(&NoNulls(&value)).unwrap();
        let via_value = serde_json::to_value(&value).unwrap();
        assert_eq!(
            via_value,
            json!({"a": "x", "b": [{"c": 3, "d": 1}, {"c": null, "d": 2}], "e": {"f": 1},
                   "g": [1, null], "h": 4, "i": 1.5})
        );
        assert_eq!(
            direct,
            r#"{"a":"x","b":[{"c":3,"d":1},{"d":2}],"e":{"f":1},"g":[1,null],"h":4,"i":1.5}"#
        );
    }
}
