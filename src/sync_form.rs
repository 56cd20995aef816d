//! The page's Sync dialog: a server, a database and, if the server wants
//! them, a name and a password: sent once to sign in to a session (the
//! server's cookie then signs each request), or with every request and
//! then kept only when "remember" is ticked.

use crate::disclosure::Disclosure;
use marginalia_core::sync::Settings;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SyncFormProps {
    /// What the form starts with: the settings kept, if any.
    pub settings: Option<Settings>,
    pub syncing: bool,
    /// A sign-in is on its way.
    #[prop_or_default]
    pub signing_in: bool,
    /// Why the last settings could not be used.
    pub error: Option<AttrValue>,
    pub on_connect: Callback<(Settings, bool)>,
    pub on_stop: Callback<()>,
}

#[component]
pub fn SyncForm(props: &SyncFormProps) -> Html {
    let open = use_state(|| props.error.is_some());
    let refs = (*use_state(<[NodeRef; 5]>::default)).clone();
    let [url, database, username, password, remember] = refs.clone();
    let given = props.settings.clone().unwrap_or_default();
    {
        // Filled from the settings when the form opens or they change, never
        // bound on each render: a render (an error shown) must not wipe
        // what was typed.
        let fields = [url.clone(), database.clone(), username.clone()];
        use_effect_with((given.clone(), *open), move |(given, _)| {
            for (field, text) in fields.iter().zip([&given.url, &given.database, &given.username]) {
                if let Some(input) = field.cast::<HtmlInputElement>() {
                    input.set_value(text);
                }
            }
        });
    }
    // A new form signs in to a session: then no password is ever kept.
    let session = use_state(|| props.settings.as_ref().is_none_or(|s| s.session));
    let submit = {
        let on_connect = props.on_connect.clone();
        let session = *session;
        move |e: SubmitEvent| {
            e.prevent_default();
            let value = |r: &NodeRef| r.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            let password = value(&refs[3]);
            let settings = Settings {
                url: value(&refs[0]),
                database: value(&refs[1]),
                username: value(&refs[2]),
                password: (!password.is_empty()).then_some(password),
                session,
            };
            let remember = refs[4].cast::<HtmlInputElement>().is_some_and(|i| i.checked());
            on_connect.emit((settings, remember));
        }
    };
    let flip = {
        let session = session.clone();
        Callback::from(move |_: Event| session.set(!*session))
    };
    let toggle = {
        let open = open.clone();
        Callback::from(move |()| open.set(!*open))
    };
    html! {
        <section class="sync-form" aria-label="Sync">
            <Disclosure label={if props.syncing { "Sync settings" } else { "Sync with a server…" }} open={*open} on_toggle={toggle}>
                <form onsubmit={submit}>
                    <label>{ "Server" }<input ref={url} type="url" required=true placeholder="https://couch.example" /></label>
                    <label>{ "Database" }<input ref={database} type="text" required=true /></label>
                    <label>{ "Name (blank: the server's sign-in cookie)" }<input ref={username} type="text" autocomplete="username" /></label>
                    <label>{ "Password" }<input ref={password} type="password" autocomplete="current-password" /></label>
                    <label class="remember"><input type="checkbox" checked={*session} onchange={flip} />{ "Sign in once: the server's cookie signs each request, the password is never kept" }</label>
                    <label class="remember"><input ref={remember} type="checkbox" checked={given.password.is_some()} disabled={*session} />{ "Remember the password on this device" }</label>
                    if let Some(error) = &props.error {
                        <p class="error" role="alert">{ error.clone() }</p>
                    }
                    <button type="submit" disabled={props.signing_in}>
                        { if props.signing_in { "Signing in…" } else if props.syncing { "Sync with these" } else { "Start syncing" } }
                    </button>
                    if props.syncing {
                        <button type="button" onclick={props.on_stop.reform(|_: MouseEvent| ())}>{ "Stop syncing" }</button>
                    }
                </form>
            </Disclosure>
        </section>
    }
}
