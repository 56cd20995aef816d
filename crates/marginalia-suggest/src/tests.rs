//! The suggestion rules' tables of cases, on the reference article and small texts.

use super::*;
use marginalia_core::suggest::speaker_in_note;

fn found(text: &str, kind: Kind) -> Vec<String> {
    let doc = Document::from_text(text);
    suggest(&doc).into_iter().filter(|s| s.kind == kind).map(|s| doc.slice(s.span.start(), s.span.end())).collect()
}

#[test]
fn table_of_quotes() {
    let cases: &[(&str, &[&str])] = &[
        ("H\nShe said “we will act now” on Monday.", &["“we will act now”"]),
        ("H\n“We will act. We will not wait,” she said.", &["“We will act. We will not wait,”"]),
        ("H\n“He told me ‘never again’ and left,” she said.", &["“He told me ‘never again’ and left,”"]),
        ("H\nBritain's plan and Russia’s reply in the ’90s were tested.", &[]),
        ("H\nThe so-called “reforms” were dropped.", &[]),
        ("H\nHe called it ‘a disgrace to us all’ in a letter.", &["‘a disgrace to us all’"]),
        ("H\nIt was \"not a good day for us\", he said.", &["\"not a good day for us\""]),
        ("H\nLa ministra dijo: «No vamos a ceder nunca» ayer.", &["«No vamos a ceder nunca»"]),
        ("H\nEr sagte: „Wir bleiben hier bis Montag“ dann.", &["„Wir bleiben hier bis Montag“"]),
        ("H\nRock ’n’ roll is here, the band’s leader said.", &[]),
    ];
    for (text, want) in cases {
        assert_eq!(found(text, Kind::Quote), *want, "{text}");
    }
}

#[test]
fn table_of_scare_quotes_and_speech() {
    // Three words or fewer in quotes are speech only with a verb of saying
    // in their sentence; longer ones, or a sentence of their own, always.
    let cases: &[(&str, &[&str])] = &[
        ("H\nCritics dubbed it a “tax on living” last week.", &[]),
        ("H\nThe so-called \"cost of living premium\" was dropped.", &[]),
        ("H\nThe plan, a \"fresh start fund\", was approved.", &[]),
        ("H\nShe called it “a tax on living” at the meeting.", &["“a tax on living”"]),
        ("H\n“Noisy but not alarming,” the inspector said.", &["“Noisy but not alarming,”"]),
        ("H\nThe mayor said the plan was \"fair and final\" on Monday.", &["\"fair and final\""]),
        ("H\nA quotation of four words, “a daily nightmare, truly”, is speech.", &["“a daily nightmare, truly”"]),
        ("H\nHe wrote that “nothing had changed”.", &["“nothing had changed”"]),
        ("H\n“Stop it now.” Then silence.", &["“Stop it now.”"]),
    ];
    for (text, want) in cases {
        assert_eq!(found(text, Kind::Quote), *want, "{text}");
    }
}

#[test]
fn table_of_quotations_over_paragraphs() {
    // The wires' convention: a quotation running on has no closing mark at
    // its paragraph's end, and the next paragraph opens with one.
    let cases: &[(&str, &[&str])] = &[
        (
            "H\nPike said: \"We will not sign a deal that cuts pay.\n\"And we will not be back until they listen,\" he said.",
            &["\"We will not sign a deal that cuts pay.", "\"And we will not be back until they listen,\""],
        ),
        ("H\nPike said: “We will not sign a deal that cuts pay.\n“Nor will we wait,” he said.", &["“We will not sign a deal that cuts pay.", "“Nor will we wait,”"]),
        // Not followed by a paragraph that opens with a mark: no quotation.
        ("H\nPike said: \"We will not sign a deal that cuts pay.\nThe talks ended.", &[]),
        ("H\nThe talks ended with no date for the \"next round of talks", &[]),
    ];
    for (text, want) in cases {
        assert_eq!(found(text, Kind::Quote), *want, "{text}");
    }
}

#[test]
fn speakers_near_multibyte_text_are_safe() {
    // Lowercasing İ changes its length in UTF-8: positions must not drift.
    let doc = Document::from_text(
        "H
İİİİ İstanbul’da said: “Biz buradayız, dedi o gün.”",
    );
    assert_eq!(suggest(&doc).iter().filter(|s| s.kind == Kind::Quote).count(), 1);
}

#[test]
fn speakers_come_from_cues() {
    let doc = Document::from_text(
        "H\n“We will act now,” said Amara Okafor, the leader.\nJohn Smith said: “It is over for good.”",
    );
    let notes: Vec<String> = suggest(&doc).into_iter().filter(|s| s.kind == Kind::Quote).map(|s| s.note).collect();
    assert_eq!(notes, ["Speaker: Amara Okafor", "Speaker: John Smith"]);
}

#[test]
fn table_of_captions() {
    let text = "Headline here\nBody text that is a sentence.\nPutin (pictured) at the summit in Moscow\nPutin (pictured) at the summit in Moscow\nA line. Pictured: a soldier on Tuesday\nPhoto: Jane Doe/Agency\nThe end of the story is near.\nCrowds on the quay at dawn\nCredit: Harbour Post\nA barn in the snow. Foto: Ana Ruiz\nIt ended there.";
    assert_eq!(
        found(text, Kind::Caption),
        [
            "Putin (pictured) at the summit in Moscow",
            "Putin (pictured) at the summit in Moscow",
            "A line. Pictured: a soldier on Tuesday",
            "Photo: Jane Doe/Agency",
            "Crowds on the quay at dawn",
            "Credit: Harbour Post",
            "A barn in the snow. Foto: Ana Ruiz"
        ]
    );
}

#[test]
fn table_of_credited_captions() {
    // (paragraph, is a caption): a caption printed once is known by its credit.
    let cases: &[(&str, bool)] = &[
        // A body sentence above a "Credit:" or "Pictured:" line is not a caption.
        ("Councils received more than 1,100 complaints last year.\nCredit: Fenwire News Service", false),
        ("A couple have won a five-year battle over a hedge.\nPictured: The hedge in Oakley Road", false),
        // A byline above a BBC page's image lines is not a caption.
        ("By Ana Leite, Health correspondent\nImage source, Getty Images", false),
        ("Firefighters watch the ridge above Calder on Tuesday. (AP Photo/Jon Marsh)", true),
        ("The council chamber before the vote (Photo by Lena Ortiz / Midwest Press Wire)", true),
        ("Workers leave the plant in Tarrow, May 3, 2026. REUTERS/Ana Leite/File Photo", true),
        ("A trader at the exchange. AFP/Getty Images", true),
        ("Image source, Getty Images", true),
        ("Image caption, Patients wait outside the new wing", true),
        ("Credit...Ana Leite for The New York Times", true),
        ("Ms Rowe at her desk (Getty Images)", true),
        // A one-sentence caption above its own credit line.
        ("Riders wait for a train at Harbor Street station.\nCredit...Ana Leite for The Daily", true),
        ("Terraced streets in Marlgate, where a third of homes are rented.\nPhotograph: Ana Leite/Alamy", true),
        // Body text with brackets, slashes or capitals is not a caption.
        ("The deal (worth $4 million) was signed on Monday.", false),
        ("The NHS/social care split was raised (again) by Mr Patel.", false),
        ("He joined NATO in 2004. It was a big day (for him).", false),
        ("The figures, published by ONS/Eurostat, show a rise.", false),
    ];
    for (paragraph, want) in cases {
        let text = format!("Headline\nThe story starts here. It goes on.\n{paragraph}\nThe story ends here.");
        let lines: Vec<&str> = paragraph.lines().collect();
        assert_eq!(found(&text, Kind::Caption) == lines, *want, "{paragraph}");
    }
}

#[test]
fn table_of_sentences() {
    let split = |t: &str| {
        let chars: Vec<char> = t.chars().collect();
        sentences(&chars, &quotes(&chars, false))
            .into_iter()
            .map(|(a, b)| chars[a..b].iter().collect::<String>())
            .collect::<Vec<_>>()
    };
    assert_eq!(split("Mr. Smith met Dr. Jones. They left."), ["Mr. Smith met Dr. Jones.", "They left."]);
    assert_eq!(split("The U.S. agreed. J. R. Smith did not."), ["The U.S. agreed.", "J. R. Smith did not."]);
    assert_eq!(split("“Stop. Now,” she said. He did."), ["“Stop. Now,” she said.", "He did."]);
    assert_eq!(split("Is it? Yes! 2022 was a year."), ["Is it?", "Yes!", "2022 was a year."]);
    assert_eq!(split("It cost 3.5 million."), ["It cost 3.5 million."]);
}

#[test]
fn table_of_claims() {
    let cases: &[(&str, bool)] = &[
        ("The council voted 31 to 9 on Tuesday to build the barrier.", true),
        ("Insurance claims rose by 40 per cent last year.", true),
        ("A study found that most residents were unaware of the plan.", true),
        ("The committee approved the proposal after a long debate.", true),
        ("Is this really the best use of public money for us?", false),
        ("I think the council should think again about this.", false),
        ("It was a grey and quiet afternoon by the river.", false),
    ];
    for (sentence, want) in cases {
        let got = !found(&format!("Headline\n{sentence}"), Kind::Claim).is_empty();
        assert_eq!(got, *want, "{sentence}");
    }
    // The headline alone is not a claim; a first line that is a whole
    // sentence is the story's, and is.
    assert!(found("Council approves £48 million barrier in 2026\nBody.", Kind::Claim).is_empty());
    let lede = "Britain is set to back prosecuting the generals in a move modelled on the trials after the war.";
    assert_eq!(found(&format!("{lede}\nBody."), Kind::Claim), [lede]);
}

/// What "Accept all" takes: a claim suggested with high confidence.
fn sure_claims(text: &str) -> Vec<String> {
    let doc = Document::from_text(text);
    suggest(&doc)
        .into_iter()
        .filter(|s| s.kind == Kind::Claim && s.confidence == Confidence::High)
        .map(|s| doc.slice(s.span.start(), s.span.end()))
        .collect()
}

#[test]
fn table_of_deeds_and_stances() {
    // (sentence, a high-confidence claim): what a named actor did or stands
    // for is checkable, with or without a number.
    let cases: &[(&str, bool)] = &[
        ("Britain is set to back prosecuting the generals at the tribunal.", true),
        ("The mayor backs the plan to close the depot.", true),
        ("They were backed by both Ukraine's government and the Biden administration.", true),
        ("Last month, the Transport Ministry paused all new rail schemes in the region.", true),
        ("Jo Lind, the union's regional secretary, resigned over the deal.", true),
        ("Her mother, Loretta Vane, sued the county in federal court in May.", true),
        ("She filed the challenge against the novel in May.", true),
        // Reported speech, a state, an adjective: no deed of the subject.
        ("Crofter Donald Beaton said he had missed the autumn livestock sale.", false),
        ("Dev Patel, 67, is a retired bus driver from Harrowby.", false),
        ("The plan may be delayed again, officials fear.", false),
    ];
    for (sentence, want) in cases {
        let got = sure_claims(&format!("Headline\n{sentence}")).len() == 1;
        assert_eq!(got, *want, "{sentence}");
    }
}

#[test]
fn table_of_talk_and_its_dates() {
    // (paragraph, the high-confidence claims in it): speech that tells the
    // speaker's story, talks to "you" or counts in words, and a day that
    // dates only the saying, are left to the reader (low confidence).
    let cases: &[(&str, &[&str])] = &[
        ("“I had 40 lambs ready to go and no way of getting them there,” he said.", &[]),
        ("\"There is no supplier you can switch to in nine months,\" she said.", &[]),
        ("“Nine months is a long time for a diner,” he said.", &[]),
        ("\"We are not going to argue with these findings,\" Pelletier said at a news conference Tuesday.", &[]),
        ("Lindqvist was blunt on Tuesday. \"It's the staffing and nothing else.\"", &[]),
        // A record inside speech stays one.
        (
            "\"We offered 6.5 percent and they walked away,\" Mara Lind said on Tuesday.",
            &["\"We offered 6.5 percent and they walked away,\" Mara Lind said on Tuesday."],
        ),
        ("The council voted on Tuesday to close the pool.", &["The council voted on Tuesday to close the pool."]),
    ];
    for (paragraph, want) in cases {
        assert_eq!(sure_claims(&format!("Headline\n{paragraph}")), *want, "{paragraph}");
    }
}

#[test]
fn every_paragraph_of_a_long_article_is_read() {
    let para = "The council voted 31 to 9 on Tuesday, “we will act now,” said Amara Okafor. ";
    let text = (0..2000).map(|i| format!("[{i}] {para}")).collect::<Vec<_>>().join("\n");
    let doc = Document::from_text(&text);
    assert_eq!(suggest(&doc).iter().filter(|s| s.kind == Kind::Quote).count(), 2000);
}

/// The speaker each quote of a small article gets, in order.
fn speakers_of(text: &str) -> Vec<Option<String>> {
    suggest(&Document::from_text(text))
        .into_iter()
        .filter(|s| s.kind == Kind::Quote)
        .map(|s| speaker_in_note(&s.note).map(str::to_string))
        .collect()
}

#[test]
fn table_of_speakers() {
    let some = |s: &str| Some(s.to_string());
    let cases: Vec<(&str, Vec<Option<String>>)> = vec![
        // The cue after the quote, the name on either side of it.
        ("H\n“We will act now,” said Amara Okafor, the leader.", vec![some("Amara Okafor")]),
        ("H\n“We will act now,” Amara Okafor said.", vec![some("Amara Okafor")]),
        // Titles and roles are cut off; an aside in brackets is no part of the name.
        ("H\n“The plan is sound,” Chief Executive Isabel Ferreira said.", vec![some("Isabel Ferreira")]),
        (
            "H\nCllr Deborah Finch (Lib Dem, Ashby North) spoke. “It is a tax on families,” she said.",
            vec![some("Deborah Finch")],
        ),
        // A description between the cue and the name.
        (
            "H\n«No es un capricho de nadie», explica el arquitecto municipal, Julián Ordóñez.",
            vec![some("Julián Ordóñez")],
        ),
        // The cue before the quote; a pronoun is the person named last.
        ("H\nJohn Smith said: “It is over for good.”", vec![some("John Smith")]),
        (
            "H\nCouncil leader Martin Oduya defended the plan.\n“We have a gap in the budget,” he said.",
            vec![some("Martin Oduya")],
        ),
        // A second quote in the paragraph, and a paragraph that goes on with the speaker.
        (
            "H\nMara Lind runs the ferry.\n“This is a tax,” she said. “We are told it is green.”\n“It is not green at all.”",
            vec![some("Mara Lind"), some("Mara Lind"), some("Mara Lind")],
        ),
        // A surname given later is the full name met before.
        (
            "H\nRosario Beltrán runs the stall.\n«Nos vamos, pero volveremos», dijo Beltrán al salir.",
            vec![some("Rosario Beltrán")],
        ),
        // A body through its spokeswoman.
        ("H\n“Our crews will work through the night,” a Northgrid spokeswoman said.", vec![some("Northgrid")]),
        // A role noun before the name at a sentence's start; a byline names no speaker.
        ("H\nOrganiser Freya Lockhart said: “We have written letters for years.”", vec![some("Freya Lockhart")]),
        ("H\nBy Tamsin Hollowell\n‘I did not recruit anybody at all,’ she said.", vec![None]),
        // A place after a preposition is no speaker; nobody named, nobody guessed.
        ("H\nShe lives in Ashby North.\n“It is all too much for us,” one resident said.", vec![None]),
        ("H\n‘Give this man a medal right now!’ Another added: ‘Britain’s bin crews are heroes.’", vec![None, None]),
        // A headline's quotation is said by whoever says the same words below.
        (
            "‘We won't go quietly’: parents vow to fight\nSadie Holroyd said: \"We won't go quietly. If this school closes, we leave.\"",
            vec![some("Sadie Holroyd"), some("Sadie Holroyd")],
        ),
        // "the company said": the body named last, after a preposition too.
        (
            "H\nCare is provided by Tri-Valley Correctional Health, a private company. In a statement, the company said: \"Our nurses work hard every night.\"",
            vec![some("Tri-Valley Correctional Health")],
        ),
        // A name, its apposition, then the verb of saying.
        (
            "H\n\"Roughly 70% of the tools come from abroad,\" Hannah Osei-Bright, a semiconductor analyst at Brayford Capital, told Reuters.",
            vec![some("Hannah Osei-Bright")],
        ),
        // Whoever is told is the listener; the pronoun means the person before it.
        (
            "H\nIslands Minister Catriona Fell is set to back a plan.\nShe told BBC Scotland: “Nobody should have to put up with this.”",
            vec![some("Catriona Fell")],
        ),
        // Reported speech, then the quotation that goes on in the next paragraph.
        (
            "H\nRuth Acheson, 54, a jail nurse, said the findings would surprise no one.\n\"You come in and there are 30 people waiting, and two of us.\"",
            vec![some("Ruth Acheson")],
        ),
        // "He said" in the next paragraph: the person the one before is about.
        (
            "H\nKeith Dunmore, 71, has fished the Leve Swimmers' stretch since he was a boy.\n“You used to be able to see the gravel,” he said.",
            vec![some("Keith Dunmore")],
        ),
        // A short attribution just before a quotation standing alone.
        (
            "H\nOona Petrakis conducts the choir.\n‘Every day,’ she says. ‘But that’s a choir’s problem, not mine.’",
            vec![some("Oona Petrakis")],
        ),
        ("H\nMara Lind spoke first.\n“I guess I’m walking now,” one man shouted.", vec![None]),
    ];
    for (text, want) in cases {
        assert_eq!(speakers_of(text), want, "{text}");
    }
}

#[test]
fn titles_in_quotation_marks_are_not_speech() {
    let cases: [(&str, usize); 7] = [
        ("H\nHer 1964 single “Down at the Harbour Light” spent 11 weeks in the charts.", 0),
        ("H\nThe report, “Counting Down: Hollinsby’s Carbon Budget 2025”, was published.", 0),
        ("H\nThey carried a banner reading “Cut It Now, Not in 2040” past the hall.", 0),
        ("H\n“Yes, we will,” she said.", 1),
        ("H\nShe was known as “the Duchess of Dockside” for years.", 0),
        ("H\nThe album “Salt & Sorrow” followed.", 0),
        ("H\n“We will sail at dawn tomorrow,” she said.", 1),
    ];
    for (text, want) in cases {
        assert_eq!(found(text, Kind::Quote).len(), want, "{text}");
    }
}

#[test]
fn table_of_claim_confidence() {
    let claims = |text: &str| -> Vec<(String, Confidence)> {
        let doc = Document::from_text(text);
        suggest(&doc)
            .into_iter()
            .filter(|s| s.kind == Kind::Claim)
            .map(|s| (doc.slice(s.span.start(), s.span.end()), s.confidence))
            .collect()
    };
    let cases: [(&str, Option<Confidence>); 13] = [
        ("The council voted 31 to 9 on Tuesday night.", Some(Confidence::High)),
        ("She died in 2004.", Some(Confidence::High)),
        ("She is survived by their son and two grandchildren.", Some(Confidence::High)),
        ("The spray could cut infections by a third, researchers believe, in 2027.", Some(Confidence::Low)),
        ("The tribunal may sit for the first time in 2026.", Some(Confidence::Low)),
        ("The market reopens on 4 May 2026 after the works.", Some(Confidence::High)),
        ("I stood in the rain for 40 minutes on Saturday morning.", Some(Confidence::Low)),
        // What a named subject did, with no number and no listed verb.
        ("The Rivers Authority then rejected the river route across the flood plain.", Some(Confidence::High)),
        ("The council objected to the route on safety grounds last spring.", Some(Confidence::High)),
        ("The station was painted green and looked tired in the rain.", None),
        // Not sentences: data lines, line-ups, timestamps.
        ("Attendance: 31,406.", None),
        ("Harlow Town: Pearce; Ibe, Kowal; Nair, Hale; Brennan 74.", None),
        ("Updated: 11:02 GMT, 12 March 2025", None),
    ];
    for (sentence, want) in cases {
        let got = claims(&format!("Headline\n{sentence}"));
        assert_eq!(got.first().map(|(_, c)| *c), want, "{sentence}: {got:?}");
    }
}

#[test]
fn a_german_ordinal_date_ends_no_sentence() {
    let text = "H\nDie Stadtwerke erhöhen zum 1. April die Preise um 14 Prozent. Die Kunden werden informiert.";
    let doc = Document::from_text(text);
    let claims: Vec<String> = suggest(&doc)
        .into_iter()
        .filter(|s| s.kind == Kind::Claim)
        .map(|s| doc.slice(s.span.start(), s.span.end()))
        .collect();
    assert_eq!(claims, ["Die Stadtwerke erhöhen zum 1. April die Preise um 14 Prozent."]);
}

#[test]
fn a_french_credit_line_is_a_caption() {
    let text = "H\nLe bassin fermé depuis mars\nPhoto : Claire Dubois\nLa mairie a voté.";
    assert_eq!(found(text, Kind::Caption), ["Le bassin fermé depuis mars", "Photo : Claire Dubois"]);
}
