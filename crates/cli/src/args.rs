//! Command-line arguments (clap, derive): one struct per command, so that a new
//! command is one more variant of [`Command`] and one more function in `main.rs`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use kubeward::{PssLevel, PssVersion, Severity};

const EXIT_CODES: &str = "\
Exit codes:
  0  no finding at or above --fail-on (scan), every object allowed (pss)
  1  findings at or above --fail-on (scan), an object denied (pss)
  2  usage or configuration error, or input that could not be read
     (a path that does not exist, a file or directory that cannot be read)

Documentation: docs/cli.md";

/// Check Kubernetes manifests against a production security-hardening checklist.
#[derive(Debug, Parser)]
#[command(name = "kubeward", version, about, after_help = EXIT_CODES, propagate_version = false)]
pub(crate) struct Cli {
    /// When to colour the output: auto (a terminal, and NO_COLOR unset), always or never.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, global = true, value_name = "WHEN")]
    pub color: ColorWhen,
    #[command(subcommand)]
    pub command: Command,
}

/// What to do. Each command's execution is a function of its own (see `main.rs`).
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Scan manifests for findings (files, directories, or - for standard input).
    #[command(after_help = EXIT_CODES)]
    Scan(ScanArgs),
    /// Apply the fixes of the findings: the safe ones, or with --unsafe all; comments and layout kept.
    #[command(
        after_help = "Exit codes: 0 done (with --diff: nothing would change), 1 something would change (--diff) or a file could not be written, 2 usage, configuration or unreadable input."
    )]
    Fix(crate::fix::FixOptions),
    /// Run the language server over standard input and output (for editors; docs/lsp.md).
    Lsp,
    /// Who can do what: the RBAC review of the Roles and bindings in the input.
    Rbac(RbacArgs),
    /// Evaluate pods and workloads against a Pod Security Standards level, as admission would.
    #[command(after_help = EXIT_CODES)]
    Pss(PssArgs),
    /// List the checks.
    Checks(ListingArgs),
    /// Explain one check: what it looks for, why, and how to fix it.
    Explain {
        /// The check id (see `kubeward checks`).
        #[arg(value_name = "CHECK-ID")]
        id: String,
    },
    /// List the checklist items and the checks behind each.
    Checklist(ListingArgs),
    /// Print a JSON Schema: of the JSON report, the configuration or a baseline file.
    Schema {
        /// Which schema.
        #[arg(value_enum)]
        which: SchemaKind,
    },
    /// Print a shell completion script (e.g. `kubeward completions bash > ~/.local/share/bash-completion/completions/kubeward`).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// `kubeward schema WHICH`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SchemaKind {
    Report,
    Config,
    Baseline,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// For people: findings grouped by file and object, most severe first, with code frames.
    Text,
    /// One finding per line, `file:line:column: severity check-id message`, then a summary.
    Concise,
    /// The full report.
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub workflow annotations.
    Github,
    /// JUnit XML, one test case per check per object.
    Junit,
}

/// `--format` of the listings (`checks`, `checklist`, `rbac`, `pss`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub(crate) enum ListingFormat {
    #[default]
    Text,
    Json,
}

/// One requested output: a format, written to standard output or a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Output {
    pub format: Format,
    pub path: Option<String>,
}

fn parse_output(value: &str) -> Result<Output, String> {
    let (format, path) = match value.split_once('=') {
        Some((_, "")) => return Err(format!("`{value}` needs a file name after `=`")),
        Some((format, path)) => (format, Some(path.to_string())),
        None => (value, None),
    };
    let format = Format::from_str(format, false).map_err(|_| {
        let names: Vec<String> = Format::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value().map(|p| p.get_name().to_string()))
            .collect();
        let hint = kubeward::closest(format, names.iter().map(String::as_str))
            .map(|name| format!("; did you mean `{name}`?"))
            .unwrap_or_default();
        format!("unknown format `{format}` (expected {}){hint}", names.join(", "))
    })?;
    Ok(Output { format, path })
}

fn parse_severity(value: &str) -> Result<Severity, String> {
    value.parse()
}

fn parse_level(value: &str) -> Result<PssLevel, String> {
    value.parse().map_err(|e: kubeward::PssParseError| e.message)
}

fn parse_version(value: &str) -> Result<PssVersion, String> {
    value.parse().map_err(|e: kubeward::PssParseError| e.message)
}

/// How directories are walked (scan, pss, rbac).
#[derive(Debug, Clone, Default, Args)]
pub(crate) struct WalkArgs {
    /// Scan files that .gitignore, .ignore and git's exclude files would skip.
    #[arg(long)]
    pub no_ignore: bool,
    /// Follow symbolic links (not followed by default).
    #[arg(long)]
    pub follow_links: bool,
    /// Skip files and directories matching GLOB, relative to the current directory
    /// (a glob without `/` matches a name at any depth); repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// The name standard input (`-`) has in every output.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,
}

/// Which configuration a command uses (scan, fix).
#[derive(Debug, Clone, Default, Args)]
pub(crate) struct ConfigArgs {
    /// The configuration (YAML or JSON). Without it, .kubeward.yaml or kubeward.yaml is
    /// looked for in the current directory and its parents, up to the repository root.
    #[arg(short, long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<String>,
    /// Use no configuration file, even one that would be found.
    #[arg(long)]
    pub no_config: bool,
}

/// `kubeward scan`.
#[derive(Debug, Clone, Args)]
pub(crate) struct ScanArgs {
    /// Files, directories (searched for .yaml, .yml and .json files) or - for standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
    #[command(flatten)]
    pub configuration: ConfigArgs,
    /// Custom policies: a file or directory of ValidatingAdmissionPolicies; repeatable.
    #[arg(long = "policy", value_name = "PATH")]
    pub policies: Vec<String>,
    /// Also evaluate the ValidatingAdmissionPolicies and bindings found in the input.
    #[arg(long)]
    pub input_policies: bool,
    /// Output format, to standard output or, with =FILE, to a file; repeatable
    /// (e.g. --format text --format sarif=kubeward.sarif).
    #[arg(short = 'f', long = "format", value_name = "FORMAT[=FILE]", value_parser = parse_output)]
    pub outputs: Vec<Output>,
    /// After the findings, print the checklist scorecard (text and concise output).
    #[arg(long)]
    pub scorecard: bool,
    /// Lowest severity that fails the run: critical, high, medium, low or info.
    #[arg(long, value_name = "SEVERITY", default_value = "low", value_parser = parse_severity)]
    pub fail_on: Severity,
    /// Print only findings at or above SEVERITY (text output); --fail-on still decides the exit code.
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
    pub severity: Option<Severity>,
    /// Print the number of findings per check and severity (text output).
    #[arg(long)]
    pub statistics: bool,
    /// Run only these checks (comma-separated ids).
    #[arg(long, value_name = "CHECK,...", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Do not run these checks (comma-separated ids).
    #[arg(long, value_name = "CHECK,...", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Report the findings recorded in FILE as baselined: they do not fail the run.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<String>,
    /// Record this run's findings in FILE, to adopt kubeward without fixing everything first.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<String>,
    #[command(flatten)]
    pub walk: WalkArgs,
}

/// `kubeward pss`.
#[derive(Debug, Clone, Args)]
pub(crate) struct PssArgs {
    /// Files, directories or - for standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
    /// privileged, baseline or restricted.
    #[arg(short, long, default_value = "restricted", value_parser = parse_level)]
    pub level: PssLevel,
    /// The Pod Security Standards version: latest or v1.N (minors newer than kubeward
    /// knows are evaluated as the newest).
    #[arg(long, value_name = "VERSION", default_value = "latest", value_parser = parse_version)]
    pub pss_version: PssVersion,
    /// text or json.
    #[arg(short, long, value_enum, default_value_t)]
    pub format: ListingFormat,
    #[command(flatten)]
    pub walk: WalkArgs,
}

/// `kubeward rbac`.
#[derive(Debug, Clone, Args)]
pub(crate) struct RbacArgs {
    /// Files, directories or - for standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
    /// text or json.
    #[arg(short, long, value_enum, default_value_t)]
    pub format: ListingFormat,
    #[command(flatten)]
    pub walk: WalkArgs,
}

/// `kubeward checks` and `kubeward checklist`.
#[derive(Debug, Clone, Args)]
pub(crate) struct ListingArgs {
    /// text or json.
    #[arg(short, long, value_enum, default_value_t)]
    pub format: ListingFormat,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn parse(text: &str) -> Result<Command, clap::Error> {
        Cli::try_parse_from(std::iter::once("kubeward").chain(text.split_whitespace())).map(|cli| cli.command)
    }

    #[test]
    fn the_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn scan_options_in_both_spellings() {
        let Command::Scan(scan) = parse("scan --format=json --fail-on high -c k.yaml a b -").unwrap() else {
            panic!("not a scan")
        };
        assert_eq!(scan.outputs, [Output { format: Format::Json, path: None }]);
        assert_eq!(scan.fail_on, Severity::High);
        assert_eq!(scan.configuration.config.as_deref(), Some("k.yaml"));
        assert_eq!(scan.paths, ["a", "b", "-"]);
        let Command::Scan(scan) = parse("scan --select a,b --select c --exclude 'x/**' .").unwrap() else {
            panic!("not a scan")
        };
        assert_eq!(scan.select, ["a", "b", "c"]);
        assert_eq!(scan.walk.exclude, ["'x/**'"]);
    }

    #[test]
    fn several_formats_in_one_run() {
        let Command::Scan(scan) = parse("scan --format text --format sarif=out.sarif -f junit=j.xml .").unwrap() else {
            panic!("not a scan")
        };
        assert_eq!(scan.outputs.len(), 3);
        assert_eq!(scan.outputs[1], Output { format: Format::Sarif, path: Some("out.sarif".into()) });
        assert!(parse("scan --format sarif= .").is_err());
        assert!(parse("checks --format sarif").is_err());
        let error = parse("scan --format jsn .").unwrap_err().to_string();
        assert!(error.contains("did you mean `json`?"), "{error}");
    }

    #[test]
    fn pss_options() {
        let Command::Pss(pss) = parse("pss --level baseline --pss-version=v1.25 -f json a").unwrap() else {
            panic!("not pss")
        };
        assert_eq!(
            (pss.level, pss.pss_version, pss.format),
            (PssLevel::Baseline, PssVersion::v1(25), ListingFormat::Json)
        );
        assert_eq!(pss.paths, ["a"]);
        let Command::Pss(pss) = parse("pss x").unwrap() else { panic!("not pss") };
        assert_eq!((pss.level, pss.pss_version), (PssLevel::Restricted, PssVersion::LATEST));
        assert!(parse("pss --level strict x").unwrap_err().to_string().contains("strict"));
        assert!(parse("pss --pss-version 1.25 x").unwrap_err().to_string().contains("1.25"));
        assert!(parse("pss -v v1.25 x").is_err(), "-v is not the PSS version");
        assert!(parse("pss --level baseline").is_err());
    }

    #[test]
    fn usage_errors_suggest() {
        assert!(parse("scan").is_err());
        assert!(parse("scan --fail-on dire x").is_err());
        assert!(parse("scan --config").is_err());
        assert!(parse("scan --config a --no-config x").is_err());
        assert!(parse("explain").is_err());
        let error = parse("scna x").unwrap_err().to_string();
        assert!(error.contains("scan"), "{error}");
        let error = parse("scan --formt json x").unwrap_err().to_string();
        assert!(error.contains("--format"), "{error}");
    }
}
