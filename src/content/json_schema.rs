//! The JSON Schema of playbook front matter, generated from the same table (`schema.rs`) that
//! `check` validates against, so the editor's schema, the checker and the Rust types (kept in
//! step with the table by a unit test there) cannot drift apart.
//!
//! Draft-07, because that is the newest draft the YAML language server (VS Code's YAML
//! extension) fully supports. Scalars in front matter are read as text by the checker, so a
//! text field also accepts a YAML number (`title: 2026`, `version: 1.4`).

use serde_json::{json, Map, Value};

use super::schema::{
    Field, Object, Shape, GUIDANCE_ID_PATTERN, GUIDE, ITEM_REF_PATTERN, PLAYBOOK, SECTION,
};
use crate::config::SiteConfig;
use crate::vocabulary::Vocabulary;

/// The pattern every id must match (`config::is_valid_id`).
pub const ID_PATTERN: &str = "^[a-z0-9-]+$";

/// The schema of a playbook's front matter. With a site, stage, setting and role ids become
/// enums of that site's vocabularies (for the copy written into the built site); without one
/// they are any valid id (for `playbook schema`, which works outside a site).
pub fn playbook_schema(site: Option<&SiteConfig>) -> Value {
    let mut builder = Builder {
        site,
        definitions: Map::new(),
        relaxed: false,
    };
    // A local version (`adapts:`) needs only `title` and `adapts`, and may give any object in
    // part (its base gives the rest): the root checks shapes without `required` anywhere, and
    // a page without `adapts` must also match the strict `playbook` definition.
    let strict = builder.object(&PLAYBOOK);
    builder.definitions.insert("playbook".into(), strict);
    builder.relaxed = true;
    let root = builder.object(&PLAYBOOK);
    builder.relaxed = false;
    // Guides and section indexes are here too, for editors set up per file pattern.
    for extra in [&GUIDE, &SECTION] {
        let definition = builder.object(extra);
        builder.definitions.insert(def_name(extra), definition);
    }
    let mut schema = Map::new();
    schema.insert(
        "$schema".into(),
        json!("http://json-schema.org/draft-07/schema#"),
    );
    if let Some(config) = site.filter(|c| !c.base_url.is_empty()) {
        schema.insert(
            "$id".into(),
            json!(format!("{}/playbook.schema.json", config.base_url)),
        );
    }
    schema.insert("title".into(), json!("Playbook front matter"));
    let about = match site {
        Some(config) => format!(
            "The YAML front matter of a playbook of \"{}\" (playbook format version 1). \
             Stage, setting and role ids are this site's.",
            config.title
        ),
        None => "The YAML front matter of a playbook (playbook format version 1). Stage, \
                 setting and role ids are those of your site.toml."
            .to_string(),
    };
    schema.insert("description".into(), json!(about));
    if let Value::Object(root) = root {
        schema.extend(root);
    }
    schema.insert("required".into(), json!(["title"]));
    schema.insert("if".into(), json!({ "required": ["adapts"] }));
    schema.insert("then".into(), json!({ "required": ["title", "adapts"] }));
    schema.insert("else".into(), json!({ "$ref": "#/definitions/playbook" }));
    schema.insert("definitions".into(), Value::Object(builder.definitions));
    Value::Object(schema)
}

/// The schema as pretty JSON with a final newline.
pub fn playbook_schema_text(site: Option<&SiteConfig>) -> String {
    let mut text = serde_json::to_string_pretty(&playbook_schema(site)).unwrap_or_default();
    text.push('\n');
    text
}

struct Builder<'a> {
    site: Option<&'a SiteConfig>,
    definitions: Map<String, Value>,
    /// Building the local version's shapes: no field is required but those of `adapts` and
    /// `remove` entries; definitions are named `local-…`.
    relaxed: bool,
}

fn def_name(object: &Object) -> String {
    object.name.replace(' ', "-")
}

impl Builder<'_> {
    /// An object's schema written inline (the root) with its nested objects as definitions.
    fn object(&mut self, object: &'static Object) -> Value {
        let mut properties = Map::new();
        let mut required = Vec::new();
        let keep_required = !self.relaxed || matches!(object.name, "adapts" | "removal");
        for field in object.fields {
            properties.insert(field.name.into(), self.field(field));
            if field.required && keep_required {
                required.push(json!(field.name));
            }
        }
        let mut schema = Map::new();
        schema.insert("type".into(), json!("object"));
        schema.insert("properties".into(), Value::Object(properties));
        if !required.is_empty() {
            schema.insert("required".into(), Value::Array(required));
        }
        schema.insert("additionalProperties".into(), json!(false));
        Value::Object(schema)
    }

    fn field(&mut self, field: &'static Field) -> Value {
        let mut schema = self.shape(&field.shape);
        if let Value::Object(map) = &mut schema {
            map.insert("description".into(), json!(field.doc));
        }
        schema
    }

    fn reference(&mut self, object: &'static Object) -> Value {
        let name = if self.relaxed {
            format!("local-{}", def_name(object))
        } else {
            def_name(object)
        };
        if !self.definitions.contains_key(&name) {
            // Insert a placeholder first, so a type that (one day) contains itself terminates.
            self.definitions.insert(name.clone(), json!({}));
            let definition = self.object(object);
            self.definitions.insert(name.clone(), definition);
        }
        // Draft-07 ignores keywords beside `$ref`, so the description goes in an `allOf`.
        json!({ "allOf": [{ "$ref": format!("#/definitions/{name}") }] })
    }

    fn shape(&mut self, shape: &'static Shape) -> Value {
        match shape {
            Shape::Text => json!({ "type": ["string", "number"] }),
            Shape::TextMax(max) => json!({ "type": ["string", "number"], "maxLength": max }),
            Shape::Int { min, max } => {
                let mut int = json!({ "type": "integer" });
                if *min > i64::MIN {
                    int["minimum"] = json!(min);
                }
                if *max < i64::MAX {
                    int["maximum"] = json!(max);
                }
                int
            }
            Shape::Bool => json!({ "type": "boolean" }),
            Shape::Any => json!({}),
            Shape::Date => json!({
                "type": "string",
                "format": "date",
                "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            }),
            Shape::Version => json!({
                "type": ["string", "number"],
                "pattern": "^[0-9]+\\.[0-9]+$",
            }),
            Shape::Id => json!({
                "type": ["string", "integer"],
                "pattern": ID_PATTERN,
                "minimum": 0,
            }),
            Shape::GuidanceId => json!({ "type": "string", "pattern": GUIDANCE_ID_PATTERN }),
            // Version 1's single string, or 1.1's list: each with the same pattern.
            Shape::OneOrList(list) => {
                let one = match list {
                    Shape::List { item, .. } => self.shape(item),
                    other => self.shape(other),
                };
                json!({ "oneOf": [one, self.shape(list)] })
            }
            Shape::ItemRef => json!({ "type": "string", "pattern": ITEM_REF_PATTERN }),
            // Authors' own keys: each key and each value of its shape.
            Shape::Map { key, value } => json!({
                "type": "object",
                "propertyNames": self.shape(key),
                "additionalProperties": self.shape(value),
            }),
            Shape::Enum(values) => json!({ "enum": values }),
            Shape::Vocab(vocabulary) => self.vocabulary(*vocabulary),
            Shape::List { item, min } => {
                let mut list = Map::new();
                list.insert("type".into(), json!("array"));
                list.insert("items".into(), self.shape(item));
                if *min > 0 {
                    list.insert("minItems".into(), json!(min));
                }
                Value::Object(list)
            }
            Shape::Object(object) => self.reference(object),
        }
    }

    fn vocabulary(&self, vocabulary: Vocabulary) -> Value {
        match self.site {
            Some(config) => {
                let terms = config.terms(vocabulary);
                let ids: Vec<&str> = terms.iter().map(|t| t.id.as_str()).collect();
                let names: Vec<&str> = terms.iter().map(|t| t.name.as_str()).collect();
                // `enumDescriptions` is not JSON Schema; the YAML extension shows it beside
                // each suggestion, and validators ignore it.
                json!({ "type": "string", "enum": ids, "enumDescriptions": names })
            }
            None => json!({
                "type": "string",
                "pattern": ID_PATTERN,
                "$comment": format!("a {} id from {} in site.toml", vocabulary.noun(), vocabulary.table()),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Term;

    #[test]
    fn every_playbook_field_is_a_property_and_required_ones_are_required() {
        let schema = playbook_schema(None);
        let properties = schema["properties"].as_object().unwrap();
        let keys: Vec<&str> = properties.keys().map(String::as_str).collect();
        assert_eq!(keys, PLAYBOOK.keys());
        // The root requires only a title (and `adapts` or, through `else`, the whole format).
        assert_eq!(schema["required"], json!(["title"]));
        assert_eq!(schema["then"]["required"], json!(["title", "adapts"]));
        assert_eq!(schema["else"]["$ref"], json!("#/definitions/playbook"));
        let strict = &schema["definitions"]["playbook"];
        let required: Vec<&str> = strict["required"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let expected: Vec<&str> = PLAYBOOK
            .fields
            .iter()
            .filter(|f| f.required)
            .map(|f| f.name)
            .collect();
        assert_eq!(required, expected);
        assert_eq!(schema["additionalProperties"], json!(false));
        assert!(properties["summary"]["description"]
            .as_str()
            .unwrap()
            .contains("300"));
    }

    #[test]
    fn nested_objects_are_definitions_reached_by_reference() {
        let schema = playbook_schema(None);
        assert_eq!(
            schema["definitions"]["playbook"]["properties"]["technology"]["allOf"][0]["$ref"],
            json!("#/definitions/technology")
        );
        // The root's shapes are a local version's: nothing nested is required.
        assert_eq!(
            schema["properties"]["technology"]["allOf"][0]["$ref"],
            json!("#/definitions/local-technology")
        );
        assert!(schema["definitions"]["local-checklist-item"]["required"].is_null());
        assert_eq!(
            schema["definitions"]["local-removal"]["required"],
            json!(["id", "reason"])
        );
        let kind = &schema["definitions"]["technology"]["properties"]["kind"];
        assert_eq!(kind["enum"][0], json!("digital-therapy"));
        let item = &schema["definitions"]["checklist-item"];
        assert_eq!(item["required"], json!(["id", "text"]));
        assert!(schema["definitions"]["guide"].is_object());
    }

    #[test]
    fn vocabularies_are_open_ids_without_a_site_and_enums_with_one() {
        let open = playbook_schema(None);
        let audiences = &open["properties"]["audiences"];
        assert_eq!(audiences["minItems"], json!(1));
        assert_eq!(audiences["items"]["pattern"], json!(ID_PATTERN));

        let mut config = SiteConfig::minimal("Site");
        config.base_url = "https://x.example".into();
        config.roles = vec![Term {
            id: "gp".into(),
            name: "GP".into(),
        }];
        let site = playbook_schema(Some(&config));
        assert_eq!(
            site["properties"]["audiences"]["items"]["enum"],
            json!(["gp"])
        );
        assert_eq!(site["$id"], json!("https://x.example/playbook.schema.json"));
    }
}
