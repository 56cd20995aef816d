//! Which numbers make a sentence checkable. Not a person's age beside their
//! name ("Ruth Acheson, 54, a nurse", "aged 54", "a 54-year-old"), not a
//! phone number ("555-0142", "0800 555 0111"), not a police or case
//! reference ("quoting reference 47/2291/25"): a sentence whose only
//! numbers are those says who someone is or how to reach someone, which
//! nobody checks.

/// Whether `sentence` has a number that counts.
pub(super) fn counts_a_number(sentence: &[char]) -> bool {
    let s = sentence;
    let mut i = 0;
    while i < s.len() {
        if !s[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        // Digits with single separators between them: "12,400", "3.5",
        // "555-0142", "1 200", "47/2291/25".
        while end < s.len() {
            let joins = matches!(s[end], '-' | '/' | '.' | ',' | ' ' | '\u{a0}' | '\u{202f}')
                && s.get(end + 1).is_some_and(char::is_ascii_digit);
            if s[end].is_ascii_digit() || joins {
                end += 1;
            } else {
                break;
            }
        }
        if !(is_phone(&s[start..end]) || is_reference(s, start) || is_age(s, start, end)) {
            return true;
        }
        i = end;
    }
    false
}

/// A phone number: groups of 3 digits ending with one of 4, joined by
/// hyphens ("555-0142", "800-555-0142"); or a number opening with 0 in
/// spaced groups of 10 or 11 digits ("0800 555 0111").
fn is_phone(token: &[char]) -> bool {
    let digits = token.iter().filter(|c| c.is_ascii_digit()).count();
    if digits < 7 {
        return false;
    }
    if token.contains(&'-') {
        let groups: Vec<&[char]> = token.split(|c| *c == '-').collect();
        let all_digits = |g: &[char]| !g.is_empty() && g.iter().all(char::is_ascii_digit);
        let Some((last, rest)) = groups.split_last() else { return false };
        return groups.iter().all(|g| all_digits(g)) && last.len() == 4 && rest.iter().all(|g| g.len() == 3);
    }
    token.first() == Some(&'0') && token.contains(&' ') && (10..=11).contains(&digits)
}

/// Whether `s[..end]`, its trailing spaces aside, ends with `word` in any case.
fn ends_with_word(s: &[char], end: usize, word: &str) -> bool {
    let end = end - s[..end].iter().rev().take_while(|c| c.is_whitespace()).count();
    let n = word.chars().count();
    end >= n && s[end - n..end].iter().map(char::to_ascii_lowercase).eq(word.chars())
}

/// A reference to quote: the number right after "reference" or "ref".
fn is_reference(s: &[char], start: usize) -> bool {
    ends_with_word(s, start, "reference") || ends_with_word(s, start, "ref") || ends_with_word(s, start, "ref.")
}

/// A person's age: "Acheson, 54," after a capitalised name; "aged 54";
/// "54-year-old", "54 years old".
fn is_age(s: &[char], start: usize, end: usize) -> bool {
    if end - start > 3 || s[start..end].iter().any(|c| !c.is_ascii_digit()) {
        return false;
    }
    let n = s[start..end].iter().fold(0u32, |n, c| n * 10 + c.to_digit(10).unwrap_or(0));
    if n > 120 {
        return false;
    }
    let after = |w: &str| s[end..].iter().map(char::to_ascii_lowercase).take(w.len()).eq(w.chars());
    if after("-year-old") || after(" years old") || after("-years-old") {
        return true;
    }
    if start > 0 && s[start - 1] == ' ' && ends_with_word(s, start, "aged") {
        return true;
    }
    // ", 54," with a capitalised word before the first comma.
    let comma_before = start >= 2 && s[start - 1] == ' ' && s[start - 2] == ',';
    let comma_after = s.get(end) == Some(&',');
    if !(comma_before && comma_after) {
        return false;
    }
    let word_end = start - 2;
    let word_start = word_end - s[..word_end].iter().rev().take_while(|c| c.is_alphabetic() || **c == '-').count();
    s.get(word_start).is_some_and(|c| c.is_uppercase())
}

#[cfg(test)]
mod tests {
    use super::counts_a_number;

    #[test]
    fn table_of_numbers_that_count() {
        let cases: &[(&str, bool)] = &[
            ("Ruth Acheson, 54, a jail nurse, said it was grim.", false),
            ("Ruth Acheson, 54, said 30 people were waiting.", true),
            ("A 71-year-old man was rescued.", false),
            ("The man, aged 71, was rescued.", false),
            ("Residents can call the hotline at 555-0142 for updates.", false),
            ("Call 800-555-0142 or 0800 555 0111 today.", false),
            ("Anyone with information should quote reference 47/2291/25.", false),
            ("The plan cost £12,400 in 2019-2020.", true),
            ("Sales rose 3.5% to 1 200 units.", true),
            ("In 2024, 54, or about a third, of the stations closed.", true),
            ("The vote was 8-5 on Tuesday.", true),
            ("The fire grew to 1,200 acres, the 3rd this year.", true),
            ("It was 2019, not 2018.", true),
        ];
        for (sentence, want) in cases {
            let chars: Vec<char> = sentence.chars().collect();
            assert_eq!(counts_a_number(&chars), *want, "{sentence}");
        }
    }
}
