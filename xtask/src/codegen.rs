//! Writing generated files: in memory first, compared with what is on disk,
//! then swapped in atomically (a failed run leaves the previous output intact).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use codearts_codegen::{Options, generate};

use crate::{elapsed_ms, workspace_root};

/// The in-tree spec and client, relative to the workspace root.
pub const SPEC: &str = "spec/codearts-repo.yaml";
pub const CLIENT: &str = "generated-client";
/// Hand-written runtime carried into standalone crates.
const RUNTIME_DIR: &str = "generated-client/src/runtime";
/// Marks a directory written by `--out`, so it may be replaced next time.
const MARKER: &str = ".codearts-codegen";

struct Args {
    check: bool,
    spec: Option<PathBuf>,
    out: Option<PathBuf>,
    crate_name: Option<String>,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut parsed = Args {
        check: false,
        spec: None,
        out: None,
        crate_name: None,
    };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |flag: &str| {
            iter.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match arg.as_str() {
            "--check" => parsed.check = true,
            "--spec" => parsed.spec = Some(PathBuf::from(value("--spec")?)),
            "--out" => parsed.out = Some(PathBuf::from(value("--out")?)),
            "--crate-name" => parsed.crate_name = Some(value("--crate-name")?),
            other => return Err(format!("unknown argument `{other}`\n{}", crate::USAGE)),
        }
    }
    if parsed.spec.is_some() != parsed.out.is_some() {
        return Err("--spec and --out go together".into());
    }
    if parsed.crate_name.is_some() && parsed.out.is_none() {
        return Err("--crate-name goes with --spec FILE --out DIR".into());
    }
    Ok(parsed)
}

pub fn run(args: &[String]) -> Result<(), String> {
    let args = parse(args)?;
    let root = workspace_root();
    match (&args.spec, &args.out) {
        (Some(spec), Some(out)) => {
            standalone(&root, spec, out, args.crate_name.as_deref(), args.check)
        }
        _ => in_tree(&root, args.check),
    }
}

/// Generates the in-tree client's `src/generated/` tree, in memory.
pub fn in_tree_files(
    root: &Path,
) -> Result<(codearts_codegen::Generated, BTreeMap<PathBuf, String>), String> {
    let spec_path = root.join(SPEC);
    let text = fs::read_to_string(&spec_path).map_err(|e| format!("cannot read {SPEC}: {e}"))?;
    let generated = generate(SPEC, &text, &Options::default()).map_err(|d| d.to_string())?;
    let files = generated
        .files
        .iter()
        .map(|file| {
            (
                PathBuf::from(format!("src/generated/{}", file.path)),
                file.contents.clone(),
            )
        })
        .collect();
    Ok((generated, files))
}

fn in_tree(root: &Path, check: bool) -> Result<(), String> {
    let start = Instant::now();
    let (generated, files) = in_tree_files(root)?;
    let client = root.join(CLIENT);
    let summary = sync_tree(&client, "src/generated", &files, check)?;
    println!(
        "codegen: {} operations, {} types; {} files: {} written, {} unchanged, {} removed ({:.1} ms)",
        generated.api.operations.len(),
        generated.api.types.len(),
        files.len(),
        summary.written,
        summary.unchanged,
        summary.removed,
        elapsed_ms(start)
    );
    Ok(())
}

#[derive(Default)]
struct Summary {
    written: usize,
    unchanged: usize,
    removed: usize,
}

/// Every file below `dir`, relative to `base`.
fn list_files(base: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            list_files(base, &path, out)?;
        } else if let Ok(relative) = path.strip_prefix(base) {
            out.push(relative.to_path_buf());
        }
    }
    Ok(())
}

/// Makes `crate_dir/subdir` hold exactly `files` (paths relative to
/// `crate_dir`). In check mode, reports every difference and writes nothing.
fn sync_tree(
    crate_dir: &Path,
    subdir: &str,
    files: &BTreeMap<PathBuf, String>,
    check: bool,
) -> Result<Summary, String> {
    let target = crate_dir.join(subdir);
    let mut existing = Vec::new();
    list_files(crate_dir, &target, &mut existing)
        .map_err(|e| format!("cannot list {}: {e}", target.display()))?;

    let mut summary = Summary::default();
    let mut problems = Vec::new();
    for (path, contents) in files {
        match fs::read_to_string(crate_dir.join(path)) {
            Ok(current) if &current == contents => summary.unchanged += 1,
            Ok(_) => problems.push(format!("{} is not up to date", show(crate_dir, path))),
            Err(_) => problems.push(format!("{} is missing", show(crate_dir, path))),
        }
    }
    for path in &existing {
        if !files.contains_key(path) {
            problems.push(format!("{} is no longer generated", show(crate_dir, path)));
        }
    }
    if problems.is_empty() {
        return Ok(summary);
    }
    if check {
        return Err(format!(
            "the generated client does not match the spec:\n  {}\nrun `cargo xtask codegen` and commit the result",
            problems.join("\n  ")
        ));
    }
    summary.written = files.len() - summary.unchanged;
    summary.removed = existing
        .iter()
        .filter(|path| !files.contains_key(*path))
        .count();
    replace_dir(&target, |staging| {
        for (path, contents) in files {
            let relative = path.strip_prefix(subdir).unwrap_or(path);
            write_file(&staging.join(relative), contents)?;
        }
        Ok(())
    })?;
    Ok(summary)
}

fn show(crate_dir: &Path, path: &Path) -> String {
    let name = crate_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{name}/{}", path.display())
}

fn write_file(path: &Path, contents: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    fs::write(path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Fills a staging directory beside `target`, then swaps it into place, so
/// that a failure at any point leaves `target` as it was.
fn replace_dir(
    target: &Path,
    fill: impl FnOnce(&Path) -> Result<(), String>,
) -> Result<(), String> {
    let parent = target
        .parent()
        .ok_or("the output directory has no parent")?;
    fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(".codegen-staging-")
        .tempdir_in(parent)
        .map_err(|e| {
            format!(
                "cannot create a staging directory in {}: {e}",
                parent.display()
            )
        })?;
    fill(staging.path())?;
    let backup = parent.join(format!(
        ".codegen-previous-{}",
        target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    ));
    let _ = fs::remove_dir_all(&backup);
    let had_previous = target.exists();
    if had_previous {
        fs::rename(target, &backup)
            .map_err(|e| format!("cannot move {} aside: {e}", target.display()))?;
    }
    let staged = staging.keep();
    if let Err(error) = fs::rename(&staged, target) {
        if had_previous {
            let _ = fs::rename(&backup, target);
        }
        let _ = fs::remove_dir_all(&staged);
        return Err(format!(
            "cannot move the new output into {}: {error}",
            target.display()
        ));
    }
    if had_previous {
        let _ = fs::remove_dir_all(&backup);
    }
    Ok(())
}

/// Writes a complete, buildable client crate for any spec into `out`.
fn standalone(
    root: &Path,
    spec: &Path,
    out: &Path,
    crate_name: Option<&str>,
    check: bool,
) -> Result<(), String> {
    let start = Instant::now();
    let text =
        fs::read_to_string(spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    let display_name = spec
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let generated =
        generate(&display_name, &text, &Options::default()).map_err(|d| d.to_string())?;
    let crate_name = match crate_name {
        Some(name) => name.to_owned(),
        None => heck::AsKebabCase(&generated.api.title).to_string(),
    };
    if crate_name.is_empty()
        || !crate_name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(format!(
            "`{crate_name}` is not a valid crate name (use --crate-name)"
        ));
    }

    let mut files: BTreeMap<PathBuf, String> = BTreeMap::new();
    files.insert(PathBuf::from(MARKER), "Written by `cargo xtask codegen --out`; the whole directory is replaced on the next run.\n".into());
    files.insert(
        PathBuf::from("Cargo.toml"),
        standalone_manifest(root, &crate_name, &generated.api.version)?,
    );
    let license = client_package_string(root, "license")?;
    files.insert(
        PathBuf::from("README.md"),
        standalone_readme(
            &crate_name,
            &generated.api.title,
            &generated.api.version,
            &display_name,
            license.as_deref(),
        ),
    );
    if license.is_some() {
        // The runtime is the client's code under the client's license, whose text
        // goes with it (Apache-2.0 requires a copy with every distribution).
        let license_file = root.join(CLIENT).join("LICENSE");
        let text = fs::read_to_string(&license_file)
            .map_err(|e| format!("cannot read {CLIENT}/LICENSE: {e}"))?;
        files.insert(PathBuf::from("LICENSE"), text);
    }
    files.insert(
        PathBuf::from("src/lib.rs"),
        codearts_codegen::client_lib_rs(&generated.api),
    );
    for file in &generated.files {
        files.insert(
            PathBuf::from(format!("src/generated/{}", file.path)),
            file.contents.clone(),
        );
    }
    for (name, contents) in runtime_files(root)? {
        files.insert(PathBuf::from(format!("src/runtime/{name}")), contents);
    }

    if out.exists()
        && !out.join(MARKER).exists()
        && fs::read_dir(out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(format!(
            "{} exists and was not written by codegen: refusing to replace it",
            out.display()
        ));
    }
    if check {
        let mut problems = Vec::new();
        for (path, contents) in &files {
            if fs::read_to_string(out.join(path)).ok().as_ref() != Some(contents) {
                problems.push(path.display().to_string());
            }
        }
        if !problems.is_empty() {
            return Err(format!(
                "stale in {}: {}",
                out.display(),
                problems.join(", ")
            ));
        }
        return Ok(());
    }
    replace_dir(out, |staging| {
        for (path, contents) in &files {
            write_file(&staging.join(path), contents)?;
        }
        Ok(())
    })?;
    println!(
        "codegen: {} operations, {} types; crate `{crate_name}` ({} files) written to {} ({:.1} ms)",
        generated.api.operations.len(),
        generated.api.types.len(),
        files.len(),
        out.display(),
        elapsed_ms(start)
    );
    Ok(())
}

/// The runtime's source files, by file name.
pub fn runtime_files(root: &Path) -> Result<BTreeMap<String, String>, String> {
    let dir = root.join(RUNTIME_DIR);
    let mut files = BTreeMap::new();
    let entries = fs::read_dir(&dir).map_err(|e| format!("cannot read {RUNTIME_DIR}: {e}"))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_some_and(|ext| ext == "rs") {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let contents = fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            files.insert(name, contents);
        }
    }
    Ok(files)
}

/// A manifest with the in-tree client's features and dependencies, so the
/// standalone crate has the same runtime, and the package metadata that
/// `cargo package` and docs.rs need.
fn standalone_manifest(root: &Path, crate_name: &str, api_version: &str) -> Result<String, String> {
    let client = client_manifest(root)?;
    let mut manifest = toml_edit::DocumentMut::new();
    let mut package = toml_edit::Table::new();
    package["name"] = toml_edit::value(crate_name);
    package["version"] = toml_edit::value("0.1.0");
    for key in ["edition", "rust-version"] {
        let value = client_package_string(root, key)?
            .ok_or_else(|| format!("{CLIENT}/Cargo.toml has no package.{key}"))?;
        package[key] = toml_edit::value(value);
    }
    package["description"] = toml_edit::value(format!(
        "Client generated from an OpenAPI spec (API version {api_version})"
    ));
    // The runtime's license; `standalone` writes its LICENSE beside.
    if let Some(license) = client_package_string(root, "license")? {
        package["license"] = toml_edit::value(license);
    }
    package["readme"] = toml_edit::value("README.md");
    if let Some(categories) = client["package"].get("categories") {
        package["categories"] = categories.clone();
    }
    // No `publish = false`: the crate is the user's, to publish if they want to
    // (`cargo publish` is a deliberate step of its own).
    if let Some(docs_rs) = client["package"]
        .get("metadata")
        .and_then(|metadata| metadata.get("docs"))
        .and_then(|docs| docs.get("rs"))
        .and_then(toml_edit::Item::as_table_like)
    {
        // The features are the client's, so its docs.rs settings fit as they are.
        let mut table = toml_edit::Table::new();
        table.extend(
            docs_rs
                .iter()
                .map(|(key, item)| (key.to_owned(), item.clone())),
        );
        let mut docs = toml_edit::Table::new();
        docs.set_implicit(true);
        docs["rs"] = toml_edit::Item::Table(table);
        let mut metadata = toml_edit::Table::new();
        metadata.set_implicit(true);
        metadata["docs"] = toml_edit::Item::Table(docs);
        package["metadata"] = toml_edit::Item::Table(metadata);
    }
    manifest["package"] = toml_edit::Item::Table(package);
    for table in ["features", "dependencies"] {
        let mut item = client[table].clone();
        if let Some(table) = item.as_table_mut() {
            // Not the comments above it in the client's manifest, which are about that one.
            table.decor_mut().set_prefix("\n");
        }
        manifest[table] = item;
    }
    // Its own workspace, so it builds wherever it is written.
    manifest["workspace"] = toml_edit::Item::Table(toml_edit::Table::new());
    Ok(format!(
        "# @generated by codearts-codegen. Do not edit: run `cargo xtask codegen --out`.\n{manifest}"
    ))
}

fn client_manifest(root: &Path) -> Result<toml_edit::DocumentMut, String> {
    let text = fs::read_to_string(root.join(CLIENT).join("Cargo.toml"))
        .map_err(|e| format!("cannot read {CLIENT}/Cargo.toml: {e}"))?;
    text.parse()
        .map_err(|e| format!("{CLIENT}/Cargo.toml: {e}"))
}

/// A string field of the client's `[package]`, read through `key.workspace = true`
/// from the workspace's `[workspace.package]`, which a standalone crate has not.
fn client_package_string(root: &Path, key: &str) -> Result<Option<String>, String> {
    let client = client_manifest(root)?;
    let Some(item) = client["package"].get(key) else {
        return Ok(None);
    };
    if let Some(value) = item.as_str() {
        return Ok(Some(value.to_owned()));
    }
    let inherited = item
        .as_table_like()
        .and_then(|table| table.get("workspace"))
        .and_then(toml_edit::Item::as_bool)
        == Some(true);
    if !inherited {
        return Err(format!(
            "{CLIENT}/Cargo.toml: package.{key} is neither a string nor inherited"
        ));
    }
    let text = fs::read_to_string(root.join("Cargo.toml"))
        .map_err(|e| format!("cannot read Cargo.toml: {e}"))?;
    let workspace: toml_edit::DocumentMut = text.parse().map_err(|e| format!("Cargo.toml: {e}"))?;
    workspace
        .get("workspace")
        .and_then(|w| w.get("package"))
        .and_then(|p| p.get(key))
        .and_then(toml_edit::Item::as_str)
        .map(|value| Some(value.to_owned()))
        .ok_or_else(|| format!("Cargo.toml has no workspace.package.{key} for {CLIENT}"))
}

/// The standalone crate's README. The spec's title, version and file name are
/// untrusted: each goes into an inline code span that it cannot leave, so no
/// spec can add Markdown, HTML or a code block (a doctest, were the README ever
/// included as docs; the one fenced block is `text`).
fn standalone_readme(
    crate_name: &str,
    title: &str,
    version: &str,
    spec_name: &str,
    license: Option<&str>,
) -> String {
    let mut readme = format!(
        "# {crate_name}\n\n\
         Typed async client for the API {} (version {}), generated by codearts-codegen \
         from the OpenAPI spec {}.\n\n\
         `src/generated/` is generated from the spec; `src/runtime/` is the hand-written \
         runtime (HTTP, auth, retries, errors) that codearts-codegen puts in every client. \
         Neither is edited by hand: in the codearts-codegen workspace, regenerate the \
         crate with\n\n\
         ```text\n\
         cargo xtask codegen --spec SPEC --out DIR --crate-name {crate_name}\n\
         ```\n",
        codearts_codegen::inline_code(title),
        codearts_codegen::inline_code(version),
        codearts_codegen::inline_code(spec_name),
    );
    if let Some(license) = license {
        readme.push_str(&format!(
            "\nLicensed under {} (see LICENSE), the license of the runtime.\n",
            codearts_codegen::inline_code(license)
        ));
    }
    readme
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cargo test` alone catches a client that is stale against the spec.
    #[test]
    fn in_tree_client_is_up_to_date() {
        if let Err(message) = in_tree(&workspace_root(), true) {
            panic!("{message}");
        }
    }

    fn files(entries: &[(&str, &str)]) -> BTreeMap<PathBuf, String> {
        entries
            .iter()
            .map(|(path, contents)| (PathBuf::from(path), (*contents).to_owned()))
            .collect()
    }

    #[test]
    fn check_mode_lists_every_difference_and_writes_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        write_file(&dir.path().join("src/generated/mod.rs"), "old").expect("write");
        write_file(&dir.path().join("src/generated/gone.rs"), "x").expect("write");
        let wanted = files(&[
            ("src/generated/mod.rs", "new"),
            ("src/generated/types.rs", "t"),
        ]);

        let error = sync_tree(dir.path(), "src/generated", &wanted, true)
            .err()
            .expect("stale");
        assert!(
            error.contains("src/generated/mod.rs is not up to date"),
            "{error}"
        );
        assert!(
            error.contains("src/generated/types.rs is missing"),
            "{error}"
        );
        assert!(
            error.contains("src/generated/gone.rs is no longer generated"),
            "{error}"
        );
        assert!(error.contains("cargo xtask codegen"), "{error}");
        assert_eq!(
            fs::read_to_string(dir.path().join("src/generated/mod.rs")).expect("kept"),
            "old"
        );

        let summary = sync_tree(dir.path(), "src/generated", &wanted, false).expect("writes");
        assert_eq!(
            (summary.written, summary.unchanged, summary.removed),
            (2, 0, 1)
        );
        assert!(!dir.path().join("src/generated/gone.rs").exists());
        assert_eq!(
            fs::read_to_string(dir.path().join("src/generated/types.rs")).expect("written"),
            "t"
        );

        let again = sync_tree(dir.path(), "src/generated", &wanted, true).expect("up to date");
        assert_eq!((again.written, again.unchanged), (0, 2));
    }

    #[test]
    fn a_failed_fill_leaves_the_previous_output() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("out");
        write_file(&target.join("keep.rs"), "previous").expect("write");
        let error = replace_dir(&target, |staging| {
            write_file(&staging.join("half.rs"), "half")?;
            Err("generation failed".into())
        });
        assert_eq!(error, Err("generation failed".to_owned()));
        assert_eq!(
            fs::read_to_string(target.join("keep.rs")).expect("kept"),
            "previous"
        );
        assert!(!target.join("half.rs").exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path()).expect("list").collect();
        assert_eq!(leftovers.len(), 1, "no staging directory is left behind");
    }

    #[test]
    fn standalone_crate_has_runtime_manifest_and_generated_code() {
        let root = workspace_root();
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("client");
        standalone(&root, &root.join(SPEC), &out, Some("my-client"), false).expect("writes");
        let manifest = fs::read_to_string(out.join("Cargo.toml")).expect("manifest");
        assert!(manifest.contains("name = \"my-client\""), "{manifest}");
        assert!(manifest.contains("[workspace]"), "{manifest}");
        assert!(manifest.contains("reqwest"), "{manifest}");
        assert_eq!(
            fs::read_to_string(out.join("LICENSE")).expect("LICENSE"),
            fs::read_to_string(root.join(CLIENT).join("LICENSE")).expect("client's LICENSE"),
        );
        let readme = fs::read_to_string(out.join("README.md")).expect("README");
        assert!(readme.starts_with("# my-client\n"), "{readme}");
        for runtime in runtime_files(&root).expect("runtime").keys() {
            assert!(
                out.join("src/runtime").join(runtime).exists(),
                "{runtime} copied"
            );
        }
        assert!(
            out.join("src/generated/operation/show_repository.rs")
                .exists()
        );
        let lib = fs::read_to_string(out.join("src/lib.rs")).expect("lib.rs");
        assert!(
            lib.contains("pub mod runtime;") && lib.contains("mod generated;"),
            "{lib}"
        );

        // Check mode agrees, and a second run replaces its own output.
        standalone(&root, &root.join(SPEC), &out, Some("my-client"), true).expect("up to date");
        standalone(&root, &root.join(SPEC), &out, Some("my-client"), false).expect("rewrites");

        // A directory it did not write is never replaced.
        let foreign = dir.path().join("foreign");
        write_file(&foreign.join("precious.txt"), "mine").expect("write");
        let error =
            standalone(&root, &root.join(SPEC), &foreign, None, false).expect_err("refused");
        assert!(error.contains("refusing"), "{error}");
        assert_eq!(
            fs::read_to_string(foreign.join("precious.txt")).expect("kept"),
            "mine"
        );
    }

    /// What `cargo package` and crates.io want of a standalone crate, with nothing
    /// inherited from a workspace it does not belong to.
    #[test]
    fn standalone_manifest_is_packageable() {
        let root = workspace_root();
        let text = standalone_manifest(&root, "my-client", "1.2.3").expect("manifest");
        let manifest: toml_edit::DocumentMut = text.parse().expect("valid TOML");
        let package = &manifest["package"];
        let workspace: toml_edit::DocumentMut = fs::read_to_string(root.join("Cargo.toml"))
            .expect("workspace manifest")
            .parse()
            .expect("valid TOML");
        let client = client_manifest(&root).expect("client manifest");

        assert_eq!(package["name"].as_str(), Some("my-client"));
        assert_eq!(
            package["license"].as_str(),
            workspace["workspace"]["package"]["license"].as_str(),
            "{text}"
        );
        assert!(package["license"].as_str().is_some(), "{text}");
        assert_eq!(package["readme"].as_str(), Some("README.md"), "{text}");
        assert_eq!(
            package["rust-version"].as_str(),
            client["package"]["rust-version"].as_str(),
            "{text}"
        );
        assert_eq!(package["edition"].as_str(), Some("2024"), "{text}");
        assert!(
            package["description"]
                .as_str()
                .is_some_and(|d| d.contains("1.2.3")),
            "{text}"
        );
        assert!(
            package.get("publish").is_none(),
            "the user may publish it: {text}"
        );
        let features = package["metadata"]["docs"]["rs"]["features"]
            .as_array()
            .expect("docs.rs features");
        assert!(
            features.iter().all(|feature| feature
                .as_str()
                .is_some_and(|name| manifest["features"].get(name).is_some())),
            "docs.rs builds with features the crate has: {text}"
        );
        assert!(manifest["workspace"].is_table(), "{text}");
        assert!(!text.contains("workspace = true"), "{text}");
        assert!(!text.contains(".workspace"), "{text}");
    }

    #[test]
    fn readme_keeps_spec_text_inside_inline_code() {
        let title = "Evil`` API\n\n```rust\nfn main() { panic!() }\n```\n<script>x</script> [a](b)";
        let readme = standalone_readme(
            "my-client",
            title,
            "1\n# heading",
            "x.yaml\r\n```",
            Some("Apache-2.0"),
        );
        let fences: Vec<&str> = readme
            .lines()
            .filter(|line| line.trim_start().starts_with("```"))
            .collect();
        assert_eq!(fences, ["```text", "```"], "{readme}");
        assert!(
            readme.contains(
                "the API ````Evil`` API  ```rust fn main() { panic!() } ``` \
                 <script>x</script> [a](b)```` (version"
            ),
            "{readme}"
        );
        let headings = readme.lines().filter(|line| line.starts_with('#')).count();
        assert_eq!(headings, 1, "{readme}");
        assert!(readme.contains("`1 # heading`"), "{readme}");
        assert!(readme.contains("`Apache-2.0` (see LICENSE)"), "{readme}");
        assert!(!standalone_readme("c", "t", "1", "s", None).contains("LICENSE"));
    }

    #[test]
    fn inline_code_spans() {
        assert_eq!(codearts_codegen::inline_code("a b"), "`a b`");
        assert_eq!(codearts_codegen::inline_code("a`b"), "``a`b``");
        assert_eq!(codearts_codegen::inline_code("a``b`"), "``` a``b` ```");
        assert_eq!(codearts_codegen::inline_code(" a"), "`  a `");
        assert_eq!(codearts_codegen::inline_code("a\nb\tc"), "`a b c`");
        assert_eq!(codearts_codegen::inline_code(""), "` `");
        assert_eq!(codearts_codegen::inline_code("  "), "`  `");
        assert_eq!(codearts_codegen::inline_code("`"), "`` ` ``");
    }

    #[test]
    fn arguments_are_checked() {
        assert!(parse(&["--spec".into(), "x.yaml".into()]).is_err());
        assert!(parse(&["--crate-name".into(), "x".into()]).is_err());
        assert!(parse(&["--bogus".into()]).is_err());
        assert!(parse(&["--check".into()]).is_ok_and(|args| args.check));
    }
}
