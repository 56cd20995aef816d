//! The world the session property runs in: three sessions run as the
//! shell runs them (two tabs of one browser sharing a storage, a third
//! reader), their storage, the network between them and `sync::model`'s
//! CouchDB, and each thing that can happen to them as a method.

use super::*;
use crate::merge::{merge, Replica};
use crate::span::Span;
use crate::sync::model::ModelServer;
use crate::sync::{state_key, Answer, Http};
use crate::tag::Tag;
use std::collections::BTreeMap;

pub(super) const KEY: &str = "https://news.example/story";
const TAGS: [&str; 3] = ["claim", "quote", "caption"];
const ARTICLE: [&str; 4] = [
    "Council backs the river plan",
    "The council voted 31 to 9 on Tuesday to fund the plan.",
    "\u{201c}It is a good day,\u{201d} said Amara Okafor, the mayor.",
    "Work starts in May and costs \u{a3}4 million.",
];

pub(super) fn article(version: u8) -> Rc<Document> {
    let mut paragraphs: Vec<String> = ARTICLE.iter().map(|p| p.to_string()).collect();
    // The host's edits: a word inserted, a paragraph gone, a paragraph added.
    if version & 1 == 1 {
        paragraphs[1] = format!("Updated: {}", paragraphs[1]);
    }
    if version & 2 == 2 {
        paragraphs.remove(3);
    }
    if version & 4 == 4 {
        paragraphs.insert(1, "A line added by the editor.".into());
    }
    Rc::new(Document::from_paragraphs(paragraphs))
}

pub(super) struct Tab {
    pub(super) browser: usize,
    pub(super) session: Session,
    pub(super) unsaved: bool,
    /// Other tabs' saves heard, not yet taken (a storage event's key and
    /// value; none for a key removed).
    pub(super) heard: Vec<Option<(String, String)>>,
    pub(super) to_server: Vec<(u64, Vec<Http>)>,
    pub(super) answers: Vec<(u64, Vec<Answer>)>,
    pub(super) wake: Option<u64>,
    pub(super) name: u64,
}

pub(super) struct World {
    pub(super) tabs: Vec<Tab>,
    /// Values shared as a browser's are (`Stored`): a key read twice
    /// unchanged gives the same value.
    pub(super) storage: [BTreeMap<String, Rc<String>>; 2],
    pub(super) server: ModelServer,
    pub(super) host: u8,
    pub(super) clock: u64,
    pub(super) made: Replica,
    /// What each browser must hold of each annotation's note draft: the
    /// text last typed, or none (saved or discarded); unknown after an
    /// undo (which may bring one back) or a deletion.
    pub(super) drafts: BTreeMap<(usize, String), Option<Option<String>>>,
}

impl World {
    pub(super) fn new() -> World {
        let mut w = World {
            tabs: Vec::new(),
            storage: [BTreeMap::new(), BTreeMap::new()],
            server: ModelServer::default(),
            host: 0,
            clock: 1_000,
            made: Replica::default(),
            drafts: BTreeMap::new(),
        };
        for (i, browser) in [0, 0, 1].into_iter().enumerate() {
            let tab = w.open(browser, i as u64 + 1);
            w.tabs.push(tab);
        }
        w
    }

    /// A tab as the shell opens one: the article and its stored annotations,
    /// then sync with its stored state.
    pub(super) fn open(&mut self, browser: usize, name: u64) -> Tab {
        let tags = Rc::new(TagSet::standard());
        let session = Session::new(tags, Rc::default(), false);
        let stored = self.stored(browser);
        let state = self.storage[browser].get(&state_key(KEY)).map(|v| v.to_string());
        let open =
            Event::Open { key: KEY.into(), doc: article(self.host), stored, sync_state: None, now_ms: self.clock };
        let mut tab = Tab {
            browser,
            session,
            unsaved: false,
            heard: Vec::new(),
            to_server: Vec::new(),
            answers: Vec::new(),
            wake: None,
            name,
        };
        let effects = tab.session.update(open);
        self.carry(&mut tab, effects);
        let replicator = Replicator::new(format!("reader{name}"), name);
        let effects = tab.session.update(Event::StartSync(Box::new(replicator), state));
        self.carry(&mut tab, effects);
        tab
    }

    pub(super) fn carry(&mut self, tab: &mut Tab, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Write(puts) => {
                    self.put(tab, &puts);
                    tab.unsaved = false;
                    let effects = tab.session.update(Event::Written(Ok(puts)));
                    self.carry(tab, effects);
                }
                Effect::Aside { key, value, .. } => {
                    self.storage[tab.browser].insert(key, Rc::new(value));
                }
                Effect::SaveSoon => tab.unsaved = true,
                Effect::Sync(sync::Effect::Send { ticket, requests }) => tab.to_server.push((ticket, requests)),
                Effect::Sync(sync::Effect::Store { key, value }) => {
                    self.storage[tab.browser].insert(key, Rc::new(value));
                }
                Effect::Sync(sync::Effect::Wake { id, .. }) => tab.wake = Some(id),
                Effect::Sync(sync::Effect::Take(_)) => unreachable!("the session takes the server's versions in"),
                // A refused write: the changes wait for the next save.
                Effect::Error(why) if why.starts_with("Not saved") => tab.unsaved = true,
                Effect::Sync(sync::Effect::Problem(why)) | Effect::Frozen(why) | Effect::Error(why) => {
                    panic!("said to the reader: {why}")
                }
                Effect::Applied(_)
                | Effect::Put(_)
                | Effect::Imported { .. }
                | Effect::Changed
                | Effect::Saved { .. }
                | Effect::Status(_)
                | Effect::SavedAgain => {}
            }
        }
    }

    /// What a browser's storage holds of the article.
    pub(super) fn stored(&self, browser: usize) -> Stored {
        let get = |key: String| self.storage[browser].get(&key).cloned();
        Stored { base: get(crate::codec::annotations_key(KEY)), log: get(crate::codec::log_key(KEY)) }
    }

    /// `puts` written by `tab`: every other open tab of the browser hears
    /// each (later: its storage event is queued).
    pub(super) fn put(&mut self, tab: &Tab, puts: &[Put]) {
        for put in puts {
            match &put.value {
                Some(value) => self.storage[tab.browser].insert(put.key.clone(), value.clone()),
                None => self.storage[tab.browser].remove(&put.key),
            };
            let carried = put.value.as_ref().map(|v| (put.key.clone(), v.to_string()));
            for other in self.tabs.iter_mut().filter(|t| t.browser == tab.browser && t.name != tab.name) {
                other.heard.push(carried.clone());
            }
        }
    }

    /// Runs `f` on tab `i` with the world beside it.
    pub(super) fn with<R>(&mut self, i: usize, f: impl FnOnce(&mut World, &mut Tab) -> R) -> R {
        let mut tab = self.tabs.remove(i);
        let r = f(self, &mut tab);
        self.tabs.insert(i, tab);
        r
    }

    pub(super) fn event(&mut self, i: usize, event: Event<'_>) {
        self.with(i, |w, tab| {
            let effects = tab.session.update(event);
            w.carry(tab, effects);
        });
    }

    pub(super) fn save(&mut self, i: usize) {
        let stored = self.stored(self.tabs[i].browser);
        let now_ms = self.clock;
        self.event(i, Event::Save { stored, now_ms });
    }

    pub(super) fn edit(&mut self, i: usize, what: u8, pick: usize) {
        self.clock += 1;
        let annotator = self.tabs[i].session.annotator();
        let all = annotator.all();
        let target = (!all.is_empty()).then(|| all[pick % all.len()].id.clone());
        let len = annotator.document().len();
        let action = match (what, target) {
            (1, Some(id)) => Action::Retag { id, tag: Tag::parse(TAGS[pick % 3]).expect("a tag") },
            (2, Some(id)) => Action::Note { id, text: format!("note {}", self.clock) },
            (3, Some(id)) => Action::Delete { id },
            (4, _) => Action::Undo,
            _ => {
                let start = (pick * 7) % len.saturating_sub(6).max(1);
                let span = Span::new(start, (start + 5).min(len)).expect("a span");
                Action::Create { span, tag: Tag::parse(TAGS[pick % 3]).expect("a tag") }
            }
        };
        let browser = self.tabs[i].browser;
        match &action {
            // Saving the note ends the draft this tab holds, in every tab
            // of this browser (the later act wins). A draft typed in
            // another tab and not heard of here is that tab's to keep.
            Action::Note { id, .. } => {
                let held = self.tabs[i].session.annotator().drafts().get(id, Form::Note).is_some_and(|d| d.is_live());
                if !held {
                    self.drafts.insert((browser, id.to_string()), None);
                }
            }
            // Drafts of a deleted annotation, and any an undo may bring
            // back, are not what this property is about.
            Action::Delete { id } => {
                for known in self.drafts.iter_mut().filter(|(k, _)| k.1 == id.as_str()) {
                    *known.1 = None;
                }
            }
            Action::Undo => {
                for known in self.drafts.iter_mut().filter(|(k, _)| k.0 == browser) {
                    *known.1 = None;
                }
            }
            _ => {}
        }
        let env = Env { now_ms: self.clock, entropy: self.clock * 7 + i as u64 };
        let noted = match &action {
            Action::Note { id, .. } => Some(id.clone()),
            _ => None,
        };
        self.event(i, Event::Act(action, env));
        // A note saved (not refused) ended the draft it had.
        if let Some(id) = noted {
            let live = self.tabs[i].session.annotator().drafts().get(&id, Form::Note).is_some_and(|d| d.is_live());
            let key = (browser, id.to_string());
            if !live && self.drafts.get(&key).is_some_and(Option::is_some) {
                self.drafts.insert(key, Some(None));
            }
        }
        self.tabs[i].unsaved = true;
        self.made = merge(&self.made, &self.tabs[i].session.annotator().replica());
    }

    /// The reader types into an annotation's note form and leaves it open.
    pub(super) fn type_note(&mut self, i: usize, pick: usize) {
        self.clock += 1;
        let all = self.tabs[i].session.annotator().all();
        if all.is_empty() {
            return;
        }
        let id = all[pick % all.len()].id.clone();
        let text = format!("half a thought {}", self.clock);
        let fields: crate::drafts::Fields = [("text".to_string(), text.clone())].into_iter().collect();
        let now_ms = self.clock;
        self.event(i, Event::Type { id: id.clone(), form: Form::Note, fields, now_ms });
        let key = (self.tabs[i].browser, id.to_string());
        // Unknown stays unknown: an undo may still bring an older one back.
        if !matches!(self.drafts.get(&key), Some(None)) {
            self.drafts.insert(key, Some(Some(text)));
        }
    }

    /// A file of annotations imported (another tool's: ids of its own).
    pub(super) fn import(&mut self, i: usize, pick: usize) {
        self.clock += 1;
        let doc = self.tabs[i].session.annotator().document().clone();
        let start = (pick * 11) % doc.len().saturating_sub(8).max(1);
        let span = Span::new(start, (start + 8).min(doc.len())).expect("a span");
        let tag = Tag::parse(TAGS[pick % 3]).expect("a tag");
        let id = crate::annotation::AnnotationId::generate(self.clock, pick as u64);
        let items = vec![crate::annotation::Annotation::new(&doc, id, span, tag, self.clock)];
        self.event(i, Event::Import(items, self.clock));
        self.tabs[i].unsaved = true;
        self.made = merge(&self.made, &self.tabs[i].session.annotator().replica());
    }

    pub(super) fn hear(&mut self, i: usize) {
        if self.tabs[i].heard.is_empty() {
            return;
        }
        let carried = self.tabs[i].heard.remove(0);
        let stored = self.stored(self.tabs[i].browser);
        let now_ms = self.clock;
        self.event(i, Event::OtherTab { carried, stored, now_ms });
    }

    /// One request list reaches the server; false when it holds a longpoll.
    pub(super) fn serve(&mut self, i: usize, pick: usize) -> bool {
        let tab = &mut self.tabs[i];
        if tab.to_server.is_empty() {
            return false;
        }
        let at = pick % tab.to_server.len();
        let mut answers = Vec::new();
        for r in &tab.to_server[at].1 {
            match self.server.answer(r) {
                Some(a) => answers.push(a),
                None => return false,
            }
        }
        let (ticket, _) = tab.to_server.remove(at);
        tab.answers.push((ticket, answers));
        true
    }

    pub(super) fn fail(&mut self, i: usize, pick: usize, reached: bool) {
        let tab = &mut self.tabs[i];
        if tab.to_server.is_empty() {
            return;
        }
        let (ticket, requests) = tab.to_server.remove(pick % tab.to_server.len());
        for r in requests.iter().filter(|_| reached) {
            let _ = self.server.answer(r);
        }
        tab.answers.push((ticket, vec![Answer::none("Failed to fetch")]));
    }

    pub(super) fn deliver(&mut self, i: usize, pick: usize) -> bool {
        if self.tabs[i].answers.is_empty() {
            return false;
        }
        let at = pick % self.tabs[i].answers.len();
        let (ticket, answers) = self.tabs[i].answers.remove(at);
        self.event(i, Event::Sync(sync::Event::Answered { ticket, answers }));
        true
    }

    pub(super) fn time_out(&mut self, i: usize) {
        let tab = &mut self.tabs[i];
        for (ticket, _) in std::mem::take(&mut tab.to_server) {
            tab.answers.push((ticket, vec![Answer { status: 0, body: Err("aborted".into()), timed_out: true }]));
        }
    }

    pub(super) fn wake(&mut self, i: usize) -> bool {
        match self.tabs[i].wake.take() {
            Some(id) => {
                self.event(i, Event::Sync(sync::Event::Wake(id)));
                true
            }
            None => false,
        }
    }

    /// The page left (its `pagehide` write, outside the session's update,
    /// from a copy of its state) and opened again.
    pub(super) fn reload(&mut self, i: usize) {
        if self.tabs[i].unsaved {
            let annotator = self.tabs[i].session.annotator();
            let drafts = Drafts::from_list(annotator.drafts().list());
            let stored = self.stored(self.tabs[i].browser);
            if let Some(puts) = leaving_value(KEY, annotator.document(), annotator.replica(), drafts, &stored) {
                let tab = self.tabs.remove(i);
                self.put(&tab, &puts);
                self.tabs.insert(i, tab);
            }
        }
        let (browser, name) = (self.tabs[i].browser, self.tabs[i].name + 10);
        let tab = self.open(browser, name);
        self.tabs[i] = tab;
    }

    /// The host's article changed: every tab reads it again.
    pub(super) fn host_edit(&mut self, version: u8) {
        self.host = version;
        for i in 0..self.tabs.len() {
            self.event(i, Event::HostText(article(version)));
        }
    }

    /// Everything settles: saves, storage events, requests, answers and
    /// retries, until nothing moves but held longpolls; then every
    /// longpoll's deadline passes, twice.
    pub(super) fn settle(&mut self) -> bool {
        for round in 0..3 {
            let mut quiet = false;
            for _ in 0..500 {
                let mut moved = false;
                for i in 0..self.tabs.len() {
                    if self.tabs[i].unsaved {
                        self.save(i);
                        moved = true;
                    }
                    while !self.tabs[i].heard.is_empty() {
                        self.hear(i);
                        moved = true;
                    }
                    while self.deliver(i, 0) {
                        moved = true;
                    }
                    for pick in (0..self.tabs[i].to_server.len()).rev() {
                        moved |= self.serve(i, pick);
                    }
                }
                if !moved {
                    for i in 0..self.tabs.len() {
                        moved |= self.wake(i);
                    }
                }
                if !moved {
                    quiet = true;
                    break;
                }
            }
            if !quiet {
                return false;
            }
            if round < 2 {
                (0..self.tabs.len()).for_each(|i| self.time_out(i));
            }
        }
        true
    }
}
