//! The page's sync settings as one small update: the settings kept from a
//! last visit, the Sync form submitted, a `_session` sign-in answered, and
//! sync stopped are [`Form`]s events; what to send, start, keep and say are
//! its effects. The shell only carries them (`app/sign_in.rs`).

use super::config::{signed_in, Config, Settings};
use serde_json::Value;

/// What the form shows: the settings as kept, why the last ones failed,
/// and whether a sign-in is on its way.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SignIn {
    pub settings: Option<Settings>,
    pub error: Option<String>,
    pub signing_in: bool,
}

/// What happened.
#[derive(Clone, Debug, PartialEq)]
pub enum Form {
    /// The page opened: the settings kept, as stored.
    Kept(Option<String>),
    /// The reader submitted the form, remembering the password or not.
    Submitted(Settings, bool),
    /// A `_session` sign-in was answered: its status and the server's reason.
    Answered(Settings, u16, String),
    /// The reader stopped syncing.
    Stop,
}

/// What the shell carries out, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// POST `body` to the server's `_session`; answer with [`Form::Answered`].
    SignIn { config: Config, body: Value, settings: Settings },
    /// Sync with `config`, instead of any sync before.
    Start(Config),
    /// Stop syncing; sign out at the server (the cookie's session) if asked.
    Stop { sign_out: bool },
    /// Keep these settings (encoded) for the next visit.
    Keep(String),
    /// Forget the settings kept.
    Forget,
}

impl SignIn {
    /// Returns what to do, and whether the form shows anything new.
    pub fn update(&mut self, event: Form) -> (Vec<Step>, bool) {
        let mut out = Vec::new();
        let changed = match event {
            Form::Kept(raw) => {
                let Some(settings) = raw.as_deref().and_then(Settings::decode) else { return (out, false) };
                match settings.config() {
                    Some(Ok(config)) => out.push(Step::Start(config)),
                    Some(Err(why)) => self.error = Some(why),
                    None => self.error = Some("Sign in again to sync: the password was not kept.".into()),
                }
                self.settings = Some(settings);
                true
            }
            Form::Submitted(settings, remember) => match settings.sign_in() {
                // A session: the password goes once to `_session`, and the
                // cookie it sets signs every request after. A bad address
                // is told first.
                Some(body) => match settings.config() {
                    Some(Ok(config)) => {
                        self.signing_in = true;
                        self.error = None;
                        out.push(Step::SignIn { config, body, settings });
                        true
                    }
                    Some(Err(why)) => {
                        self.error = Some(why);
                        true
                    }
                    None => false,
                },
                None => self.begin(settings, remember, &mut out),
            },
            Form::Answered(settings, status, reason) => {
                self.signing_in = false;
                match signed_in(status, &reason) {
                    Ok(()) => self.begin(settings, false, &mut out),
                    Err(why) => {
                        self.error = Some(why);
                        true
                    }
                }
            }
            Form::Stop => {
                let sign_out = self.settings.take().is_some_and(|s| s.session);
                out.push(Step::Stop { sign_out });
                out.push(Step::Forget);
                true
            }
        };
        (out, changed)
    }

    fn begin(&mut self, settings: Settings, remember: bool, out: &mut Vec<Step>) -> bool {
        match settings.config() {
            Some(Ok(config)) => {
                let kept = settings.kept(remember);
                out.push(Step::Keep(kept.encode()));
                out.push(Step::Start(config));
                self.error = None;
                self.settings = Some(kept);
            }
            Some(Err(why)) => self.error = Some(why),
            None => self.error = Some("Give the password for this name.".into()),
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(username: &str, password: Option<&str>, session: bool) -> Settings {
        Settings {
            url: "https://couch.example".into(),
            database: "desk".into(),
            username: username.into(),
            password: password.map(str::to_string),
            session,
        }
    }

    fn kinds(steps: &[Step]) -> Vec<&'static str> {
        steps
            .iter()
            .map(|s| match s {
                Step::SignIn { .. } => "sign in",
                Step::Start(_) => "start",
                Step::Stop { sign_out: true } => "stop and sign out",
                Step::Stop { sign_out: false } => "stop",
                Step::Keep(_) => "keep",
                Step::Forget => "forget",
            })
            .collect()
    }

    #[test]
    fn table_of_forms() {
        let bad = Settings { url: "couch.example".into(), ..settings("", None, false) };
        let cases: Vec<(&str, Form, Vec<&str>, Option<&str>)> = vec![
            ("nothing kept", Form::Kept(None), vec![], None),
            ("damaged settings are as none", Form::Kept(Some("{".into())), vec![], None),
            (
                "kept with a password",
                Form::Kept(Some(settings("ana", Some("pw"), false).encode())),
                vec!["start"],
                None,
            ),
            (
                "kept without the password",
                Form::Kept(Some(settings("ana", None, false).encode())),
                vec![],
                Some("Sign in again to sync: the password was not kept."),
            ),
            (
                "a session kept: its cookie signs",
                Form::Kept(Some(settings("ana", None, true).encode())),
                vec!["start"],
                None,
            ),
            ("no name: no sign-in", Form::Submitted(settings("", None, false), false), vec!["keep", "start"], None),
            (
                "a session signs in first",
                Form::Submitted(settings("ana", Some("pw"), true), false),
                vec!["sign in"],
                None,
            ),
            (
                "a name with no password",
                Form::Submitted(settings("ana", None, false), true),
                vec![],
                Some("Give the password for this name."),
            ),
            ("a bad address is told", Form::Submitted(bad, false), vec![], Some("")),
            (
                "signed in",
                Form::Answered(settings("ana", Some("pw"), true), 200, String::new()),
                vec!["keep", "start"],
                None,
            ),
            (
                "refused",
                Form::Answered(settings("ana", Some("pw"), true), 401, String::new()),
                vec![],
                Some("The server did not accept this name and password."),
            ),
            ("stopped", Form::Stop, vec!["stop", "forget"], None),
        ];
        for (name, event, steps, error) in cases {
            let mut form = SignIn::default();
            let (out, _) = form.update(event);
            assert_eq!(kinds(&out), steps, "{name}");
            match error {
                Some("") => assert!(form.error.is_some(), "{name}"),
                Some(e) => assert_eq!(form.error.as_deref(), Some(e), "{name}"),
                None => assert_eq!(form.error, None, "{name}"),
            }
        }
    }

    #[test]
    fn a_session_is_never_kept_with_its_password_and_signs_out_when_stopped() {
        let mut form = SignIn::default();
        let (out, _) = form.update(Form::Submitted(settings("ana", Some("pw"), true), true));
        assert!(form.signing_in);
        let Some(Step::SignIn { settings, .. }) = out.into_iter().next() else { panic!("a sign-in") };
        let (out, _) = form.update(Form::Answered(settings, 200, String::new()));
        assert!(!form.signing_in);
        let kept = out.iter().find_map(|s| if let Step::Keep(raw) = s { Settings::decode(raw) } else { None });
        assert_eq!(kept.map(|k| k.password), Some(None));
        let (out, _) = form.update(Form::Stop);
        assert_eq!(kinds(&out), ["stop and sign out", "forget"]);
    }
}
