//! Embeds facts about the build for `php --ri keysmith`: git commit, rustc version,
//! build profile and the PHP API version of the `php-config` the extension is built with.
//! Every fact degrades to "unknown" instead of failing the build (e.g. a source tarball
//! without .git).

use std::process::Command;

use anyhow::{Context, Result};

/// Runs a command and returns its trimmed stdout.
fn output(program: &str, args: &[&str]) -> Result<String> {
    let out = Command::new(program)
        .args(args)
        .output()
        .with_context(|| format!("running {program}"))?;
    anyhow::ensure!(out.status.success(), "{program} failed");
    Ok(String::from_utf8(out.stdout)?.trim().to_string())
}

fn git_description() -> Result<String> {
    let commit = output("git", &["rev-parse", "--short=12", "HEAD"])?;
    let dirty = output(
        "git",
        &[
            "status",
            "--porcelain",
            "--untracked-files=no",
            "--",
            "src",
            "Cargo.toml",
            "Cargo.lock",
            "build.rs",
        ],
    )
    .map(|s| !s.is_empty())
    .unwrap_or(false);
    Ok(if dirty {
        format!("{commit} (modified)")
    } else {
        commit
    })
}

fn main() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let facts = [
        ("KEYSMITH_GIT", git_description()),
        ("KEYSMITH_RUSTC", output(&rustc, &["--version"])),
        (
            "KEYSMITH_PHP_API",
            output(
                &std::env::var("PHP_CONFIG").unwrap_or_else(|_| "php-config".into()),
                &["--phpapi"],
            ),
        ),
    ];
    for (name, value) in facts {
        let value = value.unwrap_or_else(|_| "unknown".into());
        println!("cargo:rustc-env={name}={}", value.replace('\0', ""));
    }
    let profile = std::env::var("PROFILE").unwrap_or_else(|_| "unknown".into());
    let opt = std::env::var("OPT_LEVEL").unwrap_or_else(|_| "?".into());
    println!("cargo:rustc-env=KEYSMITH_PROFILE={profile} (opt-level {opt})");

    // Rebuild when the checked-out commit or the sources change; not on every file in
    // the repository (other people's work must not force an extension rebuild).
    println!("cargo:rerun-if-changed=.git/HEAD");
    println!("cargo:rerun-if-changed=.git/refs/heads");
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=PHP_CONFIG");
}
