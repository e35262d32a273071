//! What both command-line examples share: the argument, the client from the
//! environment, and how a failure is printed.

use std::io::Write as _;
use std::process::ExitCode;

use codearts_repo::Error;
use codearts_repo::blocking::Client;

/// Runs `call` with the one repository id argument and a client configured from
/// the environment, then prints its `Ok` as pretty JSON on stdout (exit 0), or its
/// `Err` on stderr (exit 1).
pub fn main<T: serde::Serialize>(
    usage: &str,
    call: impl FnOnce(&Client, i64) -> Result<T, Error>,
) -> ExitCode {
    let result = repository_id_argument(usage).and_then(|repository_id| {
        let client = client()?;
        call(&client, repository_id).map_err(|error| describe(&error))
    });
    match result.and_then(|answer| print_json(&answer)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            // Nothing more can be done when stderr is closed.
            let _ = writeln!(std::io::stderr().lock(), "{message}");
            ExitCode::FAILURE
        }
    }
}

/// The one argument, as an integer (its range is checked by the client).
fn repository_id_argument(usage: &str) -> Result<i64, String> {
    let mut args = std::env::args_os().skip(1);
    let (Some(argument), None) = (args.next(), args.next()) else {
        return Err(usage.to_owned());
    };
    let Some(text) = argument.to_str() else {
        return Err(format!(
            "invalid repository id {argument:?}: expected an integer\n{usage}"
        ));
    };
    text.trim().parse::<i64>().map_err(|error| {
        format!("invalid repository id {text:?}: expected an integer ({error})\n{usage}")
    })
}

/// The client of `Client::from_env`: `CODEARTS_ENDPOINT` or `CODEARTS_REGION`, and
/// `CODEARTS_TOKEN` or the access key of `HUAWEICLOUD_SDK_AK` / `HUAWEICLOUD_SDK_SK`. Its
/// errors name the variables to set.
fn client() -> Result<Client, String> {
    Client::from_env().map_err(|error| describe(&error))
}

/// The error, its causes, and the excerpt of the body the server sent. The
/// server's text is escaped: none of it reaches the terminal as control characters.
fn describe(error: &Error) -> String {
    let mut message = String::from("error: ");
    push_escaped(&mut message, &error.to_string());
    let mut source = std::error::Error::source(error);
    // Bounded: error chains are short; 16 links is far more than any real one.
    for _ in 0..16 {
        let Some(cause) = source else { break };
        message.push_str("\ncaused by: ");
        push_escaped(&mut message, &cause.to_string());
        source = cause.source();
    }
    if let Some(excerpt) = error.body_excerpt().filter(|e| !e.trim().is_empty()) {
        message.push_str("\nresponse body: ");
        push_escaped(&mut message, excerpt);
    }
    message
}

/// Whether `c` must not reach a terminal as it is: a control character (ESC, CR,
/// BEL, backspace, DEL, the C1 controls such as CSI) or a bidirectional formatting
/// character, which reorders the text shown around it.
fn is_unsafe_for_terminal(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// Appends `text` with every character unsafe for a terminal escaped (`\u{1b}`).
fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match is_unsafe_for_terminal(c) {
            true => out.extend(c.escape_unicode()),
            false => out.push(c),
        }
    }
}

/// `answer` as pretty JSON on stdout. serde_json escapes the C0 controls inside
/// strings, not DEL, the C1 controls or the bidirectional ones: those are escaped
/// here (`\u009b`, still JSON), so no string from the server reaches the terminal raw.
fn print_json<T: serde::Serialize>(answer: &T) -> Result<(), String> {
    let json = serde_json::to_string_pretty(answer)
        .map_err(|error| format!("cannot print the answer as JSON: {error}"))?;
    let mut text = String::with_capacity(json.len());
    for c in json.chars() {
        // A raw line feed is the layout's: serde_json writes one inside a string as `\n`.
        match c != '\n' && is_unsafe_for_terminal(c) {
            true => text.push_str(&format!("\\u{:04x}", u32::from(c))),
            false => text.push(c),
        }
    }
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{text}")
        .and_then(|()| stdout.flush())
        .map_err(|error| format!("cannot write to stdout: {error}"))
}
