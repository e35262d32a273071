//! The YAML reader takes time quadratic in the nesting of flow collections (`[[[[…`: 50 000
//! levels took 11 to 16 s before any error). This scan finds such nesting in one pass over
//! the bytes, before the reader sees the text, so that a hostile spec is refused at once.
//!
//! It counts only brackets that open a flow collection: inside one, every `[` or `{` outside
//! a quoted scalar; outside (block context), a `[` or `{` where a node starts (at a line's
//! first non-space, or after `- `, `? `, `: `). Comments, quoted scalars and the lines of
//! block scalars (`|`, `>`) are skipped, so brackets in prose never count.

/// The line (1-based) where flow collections first nest deeper than `limit`, if they do.
pub(super) fn flow_too_deep(text: &str, limit: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth: usize = 0;
    let mut line = 1;
    let mut i = 0;
    // Where a node may start in block context: at the line's first non-space, or after an
    // indicator followed by a space.
    let mut node_may_start = true;
    // A block scalar's lines are those indented more than the line that introduced it.
    let mut block_scalar_parent_indent: Option<usize> = None;
    let mut at_line_start = true;
    while i < bytes.len() {
        if at_line_start {
            at_line_start = false;
            let indent = bytes[i..].iter().take_while(|&&b| b == b' ').count();
            if let Some(parent) = block_scalar_parent_indent {
                let blank = matches!(bytes.get(i + indent), None | Some(b'\n' | b'\r'));
                if blank || indent > parent {
                    i = skip_line(bytes, i);
                    line += 1;
                    at_line_start = true;
                    continue;
                }
                block_scalar_parent_indent = None;
            }
            i += indent;
            node_may_start = depth == 0;
            continue;
        }
        match bytes[i] {
            b'\n' => {
                line += 1;
                i += 1;
                at_line_start = true;
                continue;
            }
            b'#' if i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n') => {
                i = skip_to_line_end(bytes, i);
                continue;
            }
            b'\'' | b'"' if depth > 0 || node_may_start => {
                let (end, lines) = skip_quoted(bytes, i);
                i = end;
                line += lines;
                node_may_start = false;
                continue;
            }
            b'[' | b'{' if depth > 0 || node_may_start => {
                depth += 1;
                if depth > limit {
                    return Some(line);
                }
            }
            b']' | b'}' if depth > 0 => depth -= 1,
            b'|' | b'>' if depth == 0 && node_may_start => {
                // A block scalar: its lines follow, indented more than this line.
                let line_start = bytes[..i]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |p| p + 1);
                let indent = bytes[line_start..]
                    .iter()
                    .take_while(|&&b| b == b' ')
                    .count();
                block_scalar_parent_indent = Some(indent);
                i = skip_to_line_end(bytes, i);
                continue;
            }
            b'-' | b'?' | b':' if depth == 0 && matches!(bytes.get(i + 1), Some(b' ') | None) => {
                node_may_start = true;
                i += 1;
                continue;
            }
            b' ' | b'\t' => {
                i += 1;
                continue;
            }
            _ => {
                if depth == 0 {
                    node_may_start = false;
                }
            }
        }
        i += 1;
    }
    None
}

fn skip_to_line_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| from + p)
}

fn skip_line(bytes: &[u8], from: usize) -> usize {
    (skip_to_line_end(bytes, from) + 1).min(bytes.len())
}

/// The end of the quoted scalar that starts at `from`, and the line breaks inside it.
fn skip_quoted(bytes: &[u8], from: usize) -> (usize, usize) {
    let quote = bytes[from];
    let mut i = from + 1;
    let mut lines = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 1,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 1,
            b if b == quote => return (i + 1, lines),
            b'\n' => lines += 1,
            _ => {}
        }
        i += 1;
    }
    (bytes.len(), lines)
}

#[cfg(test)]
mod tests {
    use super::flow_too_deep;

    #[test]
    fn only_brackets_that_open_flow_collections_count() {
        let deep = |d: usize| format!("a: {}{}\n", "[".repeat(d), "]".repeat(d));
        assert_eq!(flow_too_deep(&deep(64), 64), None);
        assert_eq!(flow_too_deep(&format!("x: 1\n{}", deep(65)), 64), Some(2));
        assert_eq!(flow_too_deep(&format!("- {}", deep(200)), 64), Some(1));
        assert_eq!(flow_too_deep(&"{a: ".repeat(100), 64), Some(1));
        // Brackets in prose, quotes, comments and block scalars are text.
        let prose = "[".repeat(100);
        for text in [
            format!("description: see {prose}\n"),
            format!("description: '{prose}'\n"),
            format!("description: \"{prose} \\\" {prose}\"\n"),
            format!("a: 1 # {prose}\n"),
            format!("description: |\n  {prose}\n\n  {prose}\nnext: [1, [2]]\n"),
            format!("- >-\n    {prose}\n- x\n"),
            format!("a: [\"{prose}\", '{prose}']\n"),
        ] {
            assert_eq!(flow_too_deep(&text, 64), None, "{text}");
        }
    }

    #[test]
    fn the_specs_of_this_repository_are_not_deep() {
        let spec = include_str!("../../../spec/codearts-repo.yaml");
        assert_eq!(flow_too_deep(spec, 8), None);
    }
}
