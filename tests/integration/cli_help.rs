//! `quiver --help` and each subcommand's help document every flag, its
//! environment variable and its default, and the README's configuration
//! table says the same as `--help`.

use std::collections::BTreeMap;
use std::process::Command;

use clap::{ArgAction, CommandFactory};

/// The real binary's output for `args`.
fn help(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_quiver")).args(args).output().expect("quiver runs");
    assert!(out.status.success(), "quiver {args:?} failed");
    String::from_utf8(out.stdout).unwrap()
}

/// What an option's default is, spelled as the README's table spells it:
/// clap's default values, `off` for a switch, `None` when there is none.
fn default_of(arg: &clap::Arg) -> Option<String> {
    if matches!(arg.get_action(), ArgAction::SetTrue) {
        return Some("off".into());
    }
    let values: Vec<String> = arg.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect();
    (!values.is_empty()).then(|| values.join(","))
}

fn documented_args(command: &clap::Command) -> impl Iterator<Item = &clap::Arg> {
    command.get_arguments().filter(|a| !matches!(a.get_id().as_str(), "help" | "version"))
}

#[test]
fn every_option_of_every_command_is_documented_with_its_environment_and_default() {
    let cli = quiver::config::Cli::command();
    let mut commands = vec![(vec![], &cli)];
    commands.extend(cli.get_subcommands().filter(|c| c.get_name() != "help").map(|c| (vec![c.get_name()], c)));
    for (path, command) in commands {
        let mut args: Vec<&str> = path.clone();
        args.push("--help");
        let text = help(&args);
        for arg in documented_args(command) {
            let name = arg.get_long().map(|l| format!("--{l}")).unwrap_or_else(|| arg.get_id().to_string().to_uppercase());
            let what = format!("quiver {} {name}", path.join(" "));
            let doc = arg.get_long_help().or(arg.get_help()).map(|h| h.to_string()).unwrap_or_default();
            assert!(!doc.trim().is_empty(), "{what} has no help text");
            assert!(text.contains(&name), "{what} is not in its --help:\n{text}");
            if let Some(env) = arg.get_env() {
                let env = env.to_string_lossy();
                assert!(text.contains(&format!("[env: {env}")), "{what}: --help does not name {env}");
            }
            // A default is either clap's (shown as `[default: …]`) or said in the text.
            let clap_default = !arg.get_default_values().is_empty();
            if clap_default {
                let shown = arg.get_default_values().iter().map(|v| v.to_string_lossy()).collect::<Vec<_>>().join(",");
                assert!(text.contains(&format!("[default: {shown}]")), "{what}: --help does not show its default {shown}");
            } else if !arg.is_required_set() && !arg.is_positional() {
                assert!(doc.contains("Default:"), "{what}: the help does not say what it is without the option: {doc:?}");
            }
        }
    }
    // The options shared by every command are in every subcommand's help too.
    let seed = help(&["seed", "--help"]);
    assert!(seed.contains("--database-url") && seed.contains("[env: DATABASE_URL"), "{seed}");
}

#[test]
fn seed_help_lists_every_demo_size_with_its_default() {
    let text = help(&["seed", "--help"]);
    // `  <app>: name=default name=default …`, one line per app.
    let listed: BTreeMap<String, Vec<String>> = text
        .lines()
        .filter_map(|l| l.trim_start().split_once(": "))
        .filter(|(app, _)| quiver::apps::find(app).is_some())
        .map(|(app, sizes)| (app.to_string(), sizes.split_whitespace().map(str::to_string).collect()))
        .collect();
    let mut expected = BTreeMap::new();
    for app in quiver::apps::APPS {
        if let Some(demo) = app.demo {
            expected.insert(app.name().to_string(), demo.defaults.iter().map(|(n, d)| format!("{n}={d}")).collect::<Vec<_>>());
        }
    }
    assert!(!expected.is_empty());
    assert_eq!(listed, expected, "quiver seed --help:\n{text}");
}

/// The rows of README.md's configuration table: flag → (environment, default).
fn readme_table() -> BTreeMap<String, (String, String)> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme.split("\n## Configuration").nth(1).expect("README has a Configuration section");
    let section = section.split("\n## ").next().unwrap();
    let mut rows = BTreeMap::new();
    let mut in_table = false;
    for line in section.lines() {
        if line.starts_with("| flag |") {
            in_table = true;
            continue;
        }
        if !line.starts_with('|') {
            in_table = false;
            continue;
        }
        if !in_table || line.starts_with("|---") {
            continue;
        }
        let cells: Vec<String> = line.trim_matches('|').split('|').map(|c| c.trim().trim_matches('`').to_string()).collect();
        assert!(cells.len() >= 4, "README configuration row has fewer than 4 cells: {line}");
        rows.insert(cells[0].clone(), (cells[1].clone(), cells[2].clone()));
    }
    rows
}

#[test]
fn readme_configuration_table_matches_help() {
    let cli = quiver::config::Cli::command();
    let table = readme_table();
    let mut options = BTreeMap::new();
    for arg in documented_args(&cli) {
        let Some(long) = arg.get_long() else { continue };
        let flag = format!("--{long}");
        let env = arg.get_env().map(|e| e.to_string_lossy().into_owned()).unwrap_or_default();
        options.insert(flag.clone(), ());
        let Some((readme_env, readme_default)) = table.get(&flag) else {
            panic!("README's configuration table has no row for {flag} (environment {env})");
        };
        assert_eq!(readme_env, &env, "{flag}: README names another environment variable");
        match default_of(arg) {
            Some(default) => assert_eq!(readme_default, &default, "{flag}: README gives another default than --help"),
            None => assert!(
                ["none", "all", "(private cluster)"].contains(&readme_default.as_str()),
                "{flag} has no default in --help; README says {readme_default:?}"
            ),
        }
    }
    for flag in table.keys() {
        assert!(options.contains_key(flag), "README's configuration table lists {flag}, which quiver does not have");
    }
}
