//! The page's Sync dialog: a server, a database and, if the server wants
//! them, a name and a password (kept only when "remember" is ticked).

use crate::disclosure::Disclosure;
use marginalia_core::sync::Settings;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SyncFormProps {
    /// What the form starts with: the settings kept, if any.
    pub settings: Option<Settings>,
    pub syncing: bool,
    /// Why the last settings could not be used.
    pub error: Option<AttrValue>,
    pub on_connect: Callback<(Settings, bool)>,
    pub on_stop: Callback<()>,
}

#[component]
pub fn SyncForm(props: &SyncFormProps) -> Html {
    let open = use_state(|| props.error.is_some());
    let refs: [NodeRef; 5] = Default::default();
    let [url, database, username, password, remember] = refs.clone();
    let given = props.settings.clone().unwrap_or_default();
    let submit = {
        let on_connect = props.on_connect.clone();
        move |e: SubmitEvent| {
            e.prevent_default();
            let value = |r: &NodeRef| r.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            let password = value(&refs[3]);
            let settings = Settings {
                url: value(&refs[0]),
                database: value(&refs[1]),
                username: value(&refs[2]),
                password: (!password.is_empty()).then_some(password),
            };
            let remember = refs[4].cast::<HtmlInputElement>().is_some_and(|i| i.checked());
            on_connect.emit((settings, remember));
        }
    };
    let toggle = {
        let open = open.clone();
        Callback::from(move |()| open.set(!*open))
    };
    html! {
        <section class="sync-form" aria-label="Sync">
            <Disclosure label={if props.syncing { "Sync settings" } else { "Sync with a server…" }} open={*open} on_toggle={toggle}>
                <form onsubmit={submit}>
                    <label>{ "Server" }<input ref={url} type="url" required=true placeholder="https://couch.example" value={given.url.clone()} /></label>
                    <label>{ "Database" }<input ref={database} type="text" required=true value={given.database.clone()} /></label>
                    <label>{ "Name (blank: the server's sign-in cookie)" }<input ref={username} type="text" autocomplete="username" value={given.username.clone()} /></label>
                    <label>{ "Password" }<input ref={password} type="password" autocomplete="current-password" /></label>
                    <label class="remember"><input ref={remember} type="checkbox" checked={given.password.is_some()} />{ "Remember the password on this device" }</label>
                    if let Some(error) = &props.error {
                        <p class="error" role="alert">{ error.clone() }</p>
                    }
                    <button type="submit">{ if props.syncing { "Sync with these" } else { "Start syncing" } }</button>
                    if props.syncing {
                        <button type="button" onclick={props.on_stop.reform(|_: MouseEvent| ())}>{ "Stop syncing" }</button>
                    }
                </form>
            </Disclosure>
        </section>
    }
}
