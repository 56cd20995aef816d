//! The embedder's `mount` options, read from a JavaScript object into plain
//! values. Both modules read them the same way, so a bad option is refused
//! at `mount` with the same message whichever module answers it.

use js_sys::{Array, Reflect};
use marginalia_core::article_details::ArticleDetails;
use marginalia_core::claimreview::Organization;
use marginalia_core::dock::Corner;
use marginalia_core::fact_check_url::Template;
use marginalia_core::review::{Rating, Scale};
use marginalia_core::sync::{Config, Credentials};
use marginalia_core::{Color, Tag, TagDef, TagSet};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Element;

/// Where the panel goes.
#[derive(Clone, PartialEq)]
pub enum PanelPlace {
    /// Beside the article: in the widget's own layout on the page, or a
    /// collapsible side panel fixed to the window's edge on a host's page.
    Side,
    /// In an element of the host's (not inside the article).
    In(Element),
    /// No panel: highlights, picker and popover only.
    Hidden,
}

/// What `mount(element, options)` was asked for.
pub struct MountOptions {
    /// The `text` option: the article given as text, else the element's own.
    pub text: Option<String>,
    pub document_id: Option<String>,
    pub tags: TagSet,
    /// The host's rating scale (`ratings`), checked; `None`: the default
    /// (built by the annotator alone: the first paint rates nothing).
    pub scale: Option<Scale>,
    pub organization: Option<Organization>,
    /// The fact-check's own address, a template (`factCheckUrl`).
    pub fact_check_url: Option<Template>,
    /// The article's details given by the host (`article`), which win
    /// over what its page's metadata says, field by field.
    pub article: ArticleDetails,
    pub sync: Option<Config>,
    pub read_only: bool,
    pub panel: PanelPlace,
    pub suggest: bool,
    /// Whether a side panel starts open; `None`: if it fits beside the
    /// article. The first paint's loader says which the reader last saw.
    pub panel_open: Option<bool>,
    /// The corner of the closed side panel's button; `None` (`"auto"`):
    /// the first corner where it covers none of the host's controls.
    pub launcher: Option<Corner>,
}

fn error(what: &str, why: impl std::fmt::Display) -> String {
    format!("options.{what}: {why}")
}

/// Reads `options` (an object, or `undefined` for the defaults).
pub fn read(options: &JsValue) -> Result<MountOptions, String> {
    let get = |key: &str| -> Option<JsValue> {
        let v = if options.is_object() { Reflect::get(options, &JsValue::from_str(key)).ok()? } else { return None };
        (!v.is_undefined() && !v.is_null()).then_some(v)
    };
    let text = match get("text") {
        None => None,
        Some(v) => Some(v.as_string().ok_or("options.text must be a string")?),
    };
    let document_id = match get("documentId") {
        None => None,
        Some(v) => {
            Some(v.as_string().filter(|s| !s.is_empty()).ok_or("options.documentId must be a non-empty string")?)
        }
    };
    let tags = get("tags").map_or_else(|| Ok(TagSet::standard()), |v| parse_tags(&v).map_err(|e| error("tags", e)))?;
    let scale = get("ratings").map(|v| parse_ratings(&v).map_err(|e| error("ratings", e))).transpose()?;
    let organization = match get("organization") {
        None => None,
        Some(v) => {
            let name = field(&v, "name").unwrap_or_default();
            let url = field(&v, "url").unwrap_or_default();
            Some(Organization::new(&name, &url).map_err(|e| error("organization", e))?)
        }
    };
    let fact_check_url = match get("factCheckUrl") {
        None => None,
        Some(v) => Some(
            v.as_string()
                .ok_or_else(|| error("factCheckUrl", "must be a string"))
                .and_then(|t| Template::parse(&t).map_err(|e| error("factCheckUrl", e)))?,
        ),
    };
    let article = match get("article") {
        None => ArticleDetails::default(),
        Some(v) => parse_article(&v).map_err(|e| error("article", e))?,
    };
    let sync = get("sync").map(|v| parse_sync(&v).map_err(|e| error("sync", e))).transpose()?;
    let flag = |key: &str| get(key).and_then(|v| v.as_bool()).unwrap_or(false);
    let panel = match get("panel") {
        Some(v) if v.as_bool() == Some(false) => PanelPlace::Hidden,
        None => PanelPlace::Side,
        Some(v) if v.as_bool() == Some(true) => PanelPlace::Side,
        Some(v) => PanelPlace::In(
            v.dyn_into::<Element>()
                .map_err(|_| "options.panel must be an element of the page, true (a side panel) or false")?,
        ),
    };
    let launcher = match get("launcher").map(|v| v.as_string()) {
        None => None,
        Some(Some(name)) if name == "auto" => None,
        Some(name) => Some(name.as_deref().and_then(Corner::parse).ok_or(
            "options.launcher must be \"auto\", \"top-right\", \"bottom-right\", \"bottom-left\" or \"top-left\"",
        )?),
    };
    Ok(MountOptions {
        text,
        document_id,
        tags,
        scale,
        organization,
        fact_check_url,
        article,
        sync,
        read_only: flag("readOnly"),
        panel,
        suggest: flag("suggest"),
        panel_open: get("panelOpen").and_then(|v| v.as_bool()),
        launcher,
    })
}

fn field(item: &JsValue, key: &str) -> Option<String> {
    Reflect::get(item, &JsValue::from_str(key)).ok().and_then(|v| v.as_string())
}

fn parse_article(value: &JsValue) -> Result<ArticleDetails, String> {
    if !value.is_object() {
        return Err("must be an object {url, title, publisher, published}".into());
    }
    let details = ArticleDetails {
        url: field(value, "url").unwrap_or_default(),
        title: field(value, "title").unwrap_or_default(),
        publisher: field(value, "publisher").unwrap_or_default(),
        published: field(value, "published").unwrap_or_default(),
    }
    .tidied();
    match details.problems_by_field("").into_iter().next() {
        Some((_, why)) => Err(why),
        None => Ok(details),
    }
}

fn parse_sync(value: &JsValue) -> Result<Config, String> {
    let url = field(value, "url").ok_or("must have a url")?;
    let database = field(value, "database").ok_or("must name a database")?;
    let credentials = match Reflect::get(value, &JsValue::from_str("credentials")) {
        Ok(c) if c.is_object() => Credentials::Basic {
            username: field(&c, "username").unwrap_or_default(),
            password: field(&c, "password").unwrap_or_default(),
        },
        _ => Credentials::Cookie,
    };
    Config::new(&url, &database, credentials)
}

fn parse_tags(value: &JsValue) -> Result<TagSet, String> {
    let list = value.dyn_ref::<Array>().ok_or("must be an array of {id, label, color}")?;
    let defs = list
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let id = field(&item, "id").unwrap_or_default();
            let tag = Tag::parse(&id).ok_or(format!("item {}: id {id:?} must be 1-32 of a-z, 0-9, - and _", i + 1))?;
            let label = field(&item, "label").unwrap_or_else(|| id.clone());
            let color = field(&item, "color").unwrap_or_default();
            let color =
                Color::parse(&color).ok_or(format!("item {}: color {color:?} must be #rgb or #rrggbb", i + 1))?;
            Ok(TagDef { tag, label, color })
        })
        .collect::<Result<Vec<_>, String>>()?;
    TagSet::new(defs)
}

fn parse_ratings(value: &JsValue) -> Result<Scale, String> {
    let list = value.dyn_ref::<Array>().ok_or("must be an array of {id, label, value}")?;
    let ratings = list
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let get = |key: &str| Reflect::get(&item, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
            let id = get("id").as_string().ok_or(format!("rating {}: id must be a string", i + 1))?;
            let label = get("label").as_string().unwrap_or_else(|| id.clone());
            let value = get("value")
                .as_f64()
                .filter(|v| v.fract() == 0.0 && v.abs() <= 1_000_000.0)
                .ok_or(format!("rating {}: value must be a whole number", i + 1))?;
            Ok(Rating { id, label, value: value as i32 })
        })
        .collect::<Result<Vec<_>, String>>()?;
    Scale::new(ratings)
}
