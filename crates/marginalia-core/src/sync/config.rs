//! The `sync` mount option checked: a server URL and a database name a
//! CouchDB would take, and how to sign in.

/// How requests prove who is asking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credentials {
    /// The browser's cookie for the server (a `_session` sign-in).
    Cookie,
    /// HTTP basic credentials, sent with every request.
    Basic { username: String, password: String },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// The server, without a trailing slash: `https://couch.example`.
    pub url: String,
    pub database: String,
    pub credentials: Credentials,
}

impl Config {
    pub fn new(url: &str, database: &str, credentials: Credentials) -> Result<Config, String> {
        let url = url.trim().trim_end_matches('/');
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or("the server URL must start with https:// (or http://)")?;
        if rest.is_empty() || rest.contains(['?', '#', ' ', '"', '<', '>']) {
            return Err("the server URL must be a plain address, with no query or fragment".into());
        }
        // CouchDB's rule for database names. Characters are matched, not
        // searched for in a string: a `str::contains` of a char carries a
        // substring search (for one outside ASCII), which the first paint,
        // checking this option, would carry for nothing (as for the colon).
        let ok = database.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && database.len() <= 238
            && database.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '$' | '(' | ')' | '+' | '-' | '/')
            });
        if !ok {
            return Err(format!(
                "the database name {database:?} must start with a–z and hold only a–z, 0–9 and _$()+-/"
            ));
        }
        if let Credentials::Basic { username, .. } = &credentials {
            if username.is_empty() || username.bytes().any(|b| b == b':') {
                return Err("the user name must be non-empty, with no colon".into());
            }
        }
        Ok(Config { url: url.to_string(), database: database.to_string(), credentials })
    }

    /// The `Authorization` header for basic credentials.
    pub fn authorization(&self) -> Option<String> {
        match &self.credentials {
            Credentials::Cookie => None,
            Credentials::Basic { username, password } => {
                Some(format!("Basic {}", base64(&format!("{username}:{password}"))))
            }
        }
    }

    /// The database's URL, to which `_changes`, `_bulk_docs` and the rest are added.
    pub fn database_url(&self) -> String {
        format!("{}/{}", self.url, super::encode_component(&self.database))
    }
}

/// Standard base64 of a string's UTF-8 bytes (for basic credentials).
pub(crate) fn base64(text: &str) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ABC[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// What the page's Sync form keeps in storage: the password only when the
/// reader ticked "remember", else they sign in again after a reload.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Settings {
    pub url: String,
    pub database: String,
    #[serde(default)]
    pub username: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// Sign in once at `_session` and sync with the cookie it sets: the
    /// password is sent once and never kept.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub session: bool,
}

/// The storage key of the page's sync settings.
pub const SETTINGS_KEY: &str = "marginalia:v1:sync-settings";

impl Settings {
    /// The settings as given in the form, and what storage keeps of them.
    pub fn kept(&self, remember: bool) -> Settings {
        let keep = remember && !self.session;
        Settings { password: if keep { self.password.clone() } else { None }, ..self.clone() }
    }

    /// The `_session` sign-in to send first, when these settings ask for a
    /// session and carry a name and a password.
    pub fn sign_in(&self) -> Option<serde_json::Value> {
        let password = self.password.as_ref().filter(|_| self.session && !self.username.is_empty())?;
        Some(serde_json::json!({ "name": self.username, "password": password }))
    }

    /// A config to sync with, or why not; `None` when a password is needed
    /// and was not kept (the reader signs in again).
    pub fn config(&self) -> Option<Result<Config, String>> {
        let credentials = match (self.username.is_empty() || self.session, &self.password) {
            (true, _) => Credentials::Cookie,
            (false, Some(p)) => Credentials::Basic { username: self.username.clone(), password: p.clone() },
            (false, None) => return None,
        };
        Some(Config::new(&self.url, &self.database, credentials))
    }

    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Settings read back; damaged ones are as none (the form asks again).
    pub fn decode(raw: &str) -> Option<Settings> {
        serde_json::from_str(raw).ok()
    }
}

/// What a `_session` sign-in's answer means: signed in, or why not, in
/// words for the reader.
pub fn signed_in(status: u16, reason: &str) -> Result<(), String> {
    match status {
        200..=299 => Ok(()),
        0 => Err("The server did not answer the sign-in.".into()),
        401 | 403 => Err("The server did not accept this name and password.".into()),
        _ => Err(format!("The server refused the sign-in: {status} {}", super::state::inert(reason))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_of_configs() {
        let ok = |u: &str, d: &str| Config::new(u, d, Credentials::Cookie).map(|c| c.database_url());
        assert_eq!(ok("https://couch.example/", "desk"), Ok("https://couch.example/desk".into()));
        assert_eq!(ok(" http://127.0.0.1:5984 ", "a/b"), Ok("http://127.0.0.1:5984/a%2Fb".into()));
        for (u, d) in [
            ("couch.example", "desk"),
            ("javascript:alert(1)", "desk"),
            ("https://", "desk"),
            ("https://x?y=1", "desk"),
            ("https://x", "Desk"),
            ("https://x", "_users"),
            ("https://x", ""),
        ] {
            assert!(ok(u, d).is_err(), "{u} {d}");
        }
        let basic = |name: &str| Credentials::Basic { username: name.into(), password: "p".into() };
        assert!(Config::new("https://x", "desk", basic("ana")).is_ok());
        assert!(Config::new("https://x", "desk", basic("a:b")).is_err());
        let auth = |name: &str, pass: &str| {
            let c = Credentials::Basic { username: name.into(), password: pass.into() };
            Config::new("https://x", "desk", c).ok().and_then(|c| c.authorization())
        };
        // RFC 7617's example, and UTF-8 names.
        assert_eq!(auth("Aladdin", "open sesame").as_deref(), Some("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="));
        assert_eq!(auth("é", "").as_deref(), Some("Basic w6k6"));
        assert_eq!(auth("ab", "c").as_deref(), Some("Basic YWI6Yw=="));
    }

    #[test]
    fn settings_keep_a_password_only_when_asked() {
        let given = Settings {
            url: "https://x".into(),
            database: "desk".into(),
            username: "ana".into(),
            password: Some("pw".into()),
            session: false,
        };
        let forgot = Settings::decode(&given.kept(false).encode()).expect("read back");
        assert!(!given.kept(false).encode().contains("pw"));
        assert_eq!(forgot.config(), None, "signs in again");
        let kept = Settings::decode(&given.kept(true).encode()).expect("read back");
        assert!(matches!(kept.config(), Some(Ok(Config { credentials: Credentials::Basic { .. }, .. }))));
        let cookie = Settings { username: String::new(), password: None, ..given.clone() };
        assert!(matches!(cookie.config(), Some(Ok(Config { credentials: Credentials::Cookie, .. }))));
        assert_eq!(cookie.sign_in(), None, "no name: the cookie is the host's");
        assert_eq!(Settings::decode("{broken"), None);
        // Settings kept before sessions existed read as no session.
        let old = Settings::decode(r#"{"url":"https://x","database":"desk","username":"ana"}"#).expect("old");
        assert!(!old.session);
    }

    #[test]
    fn a_session_sends_the_password_once_and_never_keeps_it() {
        let given = Settings {
            url: "https://x".into(),
            database: "desk".into(),
            username: "ana".into(),
            password: Some("pw".into()),
            session: true,
        };
        assert_eq!(given.sign_in(), Some(serde_json::json!({ "name": "ana", "password": "pw" })));
        assert!(matches!(given.config(), Some(Ok(Config { credentials: Credentials::Cookie, .. }))));
        for remember in [false, true] {
            let kept = given.kept(remember);
            assert_eq!(kept.password, None, "remember: {remember}");
            let back = Settings::decode(&kept.encode()).expect("read back");
            assert!(back.session && back.username == "ana");
            // A reload syncs with the cookie, no password asked.
            assert!(matches!(back.config(), Some(Ok(Config { credentials: Credentials::Cookie, .. }))));
            assert_eq!(back.sign_in(), None);
        }
        let no_password = Settings { password: None, ..given.clone() };
        assert_eq!(no_password.sign_in(), None);
        let basic = Settings { session: false, ..given };
        assert_eq!(basic.sign_in(), None);
    }

    #[test]
    fn table_of_sign_in_answers() {
        let cases: [(u16, &str, Result<(), &str>); 5] = [
            (200, "", Ok(())),
            (0, "Failed to fetch", Err("The server did not answer the sign-in.")),
            (401, "Name or password is incorrect.", Err("The server did not accept this name and password.")),
            (403, "", Err("The server did not accept this name and password.")),
            (500, "disk\u{7}full", Err("The server refused the sign-in: 500 diskfull")),
        ];
        for (status, reason, want) in cases {
            assert_eq!(signed_in(status, reason), want.map_err(str::to_string), "{status}");
        }
    }
}
