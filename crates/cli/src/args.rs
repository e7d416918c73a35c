//! Command-line arguments, parsed by hand to keep the build small.

use kubeward::{PssLevel, PssVersion, Severity};

pub(crate) const HELP: &str = "\
kubeward: check Kubernetes manifests against a production security-hardening checklist

USAGE:
    kubeward scan [--config FILE] [--policy PATH]... [--input-policies] [--format FORMAT[=FILE]]...
                  [--fail-on SEVERITY] [--scorecard] PATH...
    kubeward rbac [--format text|json] PATH...
    kubeward pss [--level baseline|restricted] [--version latest|v1.N] [--format text|json] PATH...
    kubeward checks [--format text|json]
    kubeward explain CHECK-ID
    kubeward checklist [--format text|json]
    kubeward schema report|config
    kubeward lsp          (language server over stdio; see docs/lsp.md)
    kubeward --version | --help

SCAN:
    PATH                  a file, a directory (searched recursively for .yaml, .yml and
                          .json files; hidden directories are skipped), or - for standard
                          input (e.g. `helm template chart | kubeward scan -`)
    --config FILE         YAML or JSON configuration (see the README); unknown keys are errors
    --policy PATH         custom policies: a file or directory of ValidatingAdmissionPolicies
                          (CEL), their bindings and parameter objects (docs/policies.md);
                          repeatable, added to the configuration's `policies`
    --input-policies      also evaluate the ValidatingAdmissionPolicies and bindings found
                          in the scanned input (what would the cluster's own policies reject?)
    --format FORMAT[=FILE]
                          text (default): one finding per line as
                          `file:line:column: severity check-id message`, then a summary;
                          json: the full report (documents, findings, errors, summary, scorecard);
                          sarif: SARIF 2.1.0 for code scanning; github: workflow annotations;
                          junit: one test case per check per object.
                          Repeat with =FILE to write several formats in one run, e.g.
                          --format text --format sarif=kubeward.sarif --format json=report.json
    --scorecard           after the findings, print the checklist scorecard (text output)
    --fail-on SEVERITY    lowest severity that fails the run: critical, high, medium, low
                          (default) or info

PSS:
    Evaluates every pod and workload against a Pod Security Standards level and
    version exactly as Pod Security Admission would (PATH as for scan).
    --level LEVEL         privileged, baseline or restricted (default restricted)
    --version VERSION     latest (default) or v1.N; minors newer than the newest
                          kubeward knows are evaluated as the newest
    --format text|json    text (default): one line per violation as
                          `file:line:column: level/version check reason`, then one
                          verdict line per object; json: the PSS report

RBAC:
    prints who can do what (checklist item 2.5) from the Role, ClusterRole, RoleBinding
    and ClusterRoleBinding objects under PATH: per subject (User, Group, ServiceAccount),
    the verbs and resources it may use, in which namespace or cluster-wide, and the
    binding and role rule (file:line) that grant them. Roles not in the input are listed
    as unknown. --format json writes the review as JSON. Exits 1 when a PATH yields no
    file or cannot be read.

EXIT CODES:
    0    scan: no finding at or above the --fail-on severity, and no input error;
         pss: every object allowed, and no input error
    1    scan: findings at or above the --fail-on severity, or input that could not be read;
         pss: an object denied, or input that could not be read
    2    usage or configuration error
";

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Text,
    Json,
    Sarif,
    Github,
    Junit,
}

/// One requested output: a format, written to standard output or a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Output {
    pub format: Format,
    pub path: Option<String>,
}

/// `kubeward scan` options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ScanArgs {
    pub config: Option<String>,
    /// `--policy` paths, in order.
    pub policies: Vec<String>,
    pub input_policies: bool,
    pub outputs: Vec<Output>,
    pub scorecard: bool,
    pub fail_on: Severity,
    pub paths: Vec<String>,
}

/// `kubeward pss` options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PssArgs {
    pub level: PssLevel,
    pub version: PssVersion,
    pub format: Format,
    pub paths: Vec<String>,
}

/// `kubeward rbac` options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RbacArgs {
    pub format: Format,
    pub paths: Vec<String>,
}

/// What to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Command {
    Help,
    Version,
    Checks { format: Format },
    Explain { id: String },
    Checklist { format: Format },
    Schema { which: String },
    Scan(ScanArgs),
    Pss(PssArgs),
    Rbac(RbacArgs),
    Lsp,
}

fn parse_format(value: &str) -> Result<Format, String> {
    match value {
        "text" => Ok(Format::Text),
        "json" => Ok(Format::Json),
        "sarif" => Ok(Format::Sarif),
        "github" => Ok(Format::Github),
        "junit" => Ok(Format::Junit),
        other => Err(format!("unknown format `{other}` (expected text, json, sarif, github or junit)")),
    }
}

fn parse_listing_format(value: &str) -> Result<Format, String> {
    match parse_format(value)? {
        format @ (Format::Text | Format::Json) => Ok(format),
        _ => Err(format!("`{value}` is a scan format; listings are text or json")),
    }
}

fn parse_output(value: &str) -> Result<Output, String> {
    match value.split_once('=') {
        Some((format, path)) if !path.is_empty() => {
            Ok(Output { format: parse_format(format)?, path: Some(path.into()) })
        }
        Some((format, _)) => Err(format!("--format {format}= needs a file name after `=`")),
        None => Ok(Output { format: parse_format(value)?, path: None }),
    }
}

/// Splits `--flag=value` and `--flag value`.
struct Options<'a> {
    args: std::iter::Peekable<std::slice::Iter<'a, String>>,
}

impl<'a> Options<'a> {
    fn value(&mut self, flag: &str, inline: Option<&'a str>) -> Result<&'a str, String> {
        if let Some(value) = inline {
            return Ok(value);
        }
        self.args.next().map(String::as_str).ok_or_else(|| format!("{flag} needs a value"))
    }
}

pub(crate) fn parse(argv: &[String]) -> Result<Command, String> {
    let Some(first) = argv.first() else { return Ok(Command::Help) };
    let mut options = Options { args: argv[1..].iter().peekable() };
    match first.as_str() {
        "-h" | "--help" | "help" => Ok(Command::Help),
        "-V" | "--version" | "version" => Ok(Command::Version),
        "lsp" => Ok(Command::Lsp),
        "checks" | "checklist" => {
            let mut format = Format::Text;
            while let Some(arg) = options.args.next() {
                let (flag, inline) = split(arg);
                match flag {
                    "--format" => format = parse_listing_format(options.value(flag, inline)?)?,
                    "-h" | "--help" => return Ok(Command::Help),
                    other => return Err(format!("unexpected argument `{other}` for `{first}`")),
                }
            }
            Ok(if first == "checks" { Command::Checks { format } } else { Command::Checklist { format } })
        }
        "schema" => {
            let which: Vec<&String> = options.args.collect();
            match which.as_slice() {
                [which] if *which == "report" || *which == "config" => Ok(Command::Schema { which: which.to_string() }),
                _ => Err("`schema` takes `report` or `config`".into()),
            }
        }
        "explain" => {
            let ids: Vec<&String> = options.args.collect();
            match ids.as_slice() {
                [id] if !id.starts_with('-') => Ok(Command::Explain { id: id.to_string() }),
                _ => Err("`explain` takes exactly one check id".into()),
            }
        }
        "scan" => {
            let mut scan = ScanArgs {
                config: None,
                policies: Vec::new(),
                input_policies: false,
                outputs: Vec::new(),
                scorecard: false,
                fail_on: Severity::Low,
                paths: Vec::new(),
            };
            let mut only_paths = false;
            while let Some(arg) = options.args.next() {
                if only_paths || arg == "-" || !arg.starts_with('-') {
                    scan.paths.push(arg.clone());
                    continue;
                }
                let (flag, inline) = split(arg);
                match flag {
                    "--" => only_paths = true,
                    "--config" | "-c" => scan.config = Some(options.value(flag, inline)?.to_string()),
                    "--policy" => scan.policies.push(options.value(flag, inline)?.to_string()),
                    "--input-policies" => scan.input_policies = true,
                    "--format" | "-f" => scan.outputs.push(parse_output(options.value(flag, inline)?)?),
                    "--scorecard" => scan.scorecard = true,
                    "--fail-on" => scan.fail_on = options.value(flag, inline)?.parse()?,
                    "-h" | "--help" => return Ok(Command::Help),
                    other => return Err(format!("unknown option `{other}` for `scan`")),
                }
            }
            if scan.paths.is_empty() {
                return Err("`scan` needs at least one PATH (use - for standard input)".into());
            }
            if scan.outputs.iter().filter(|o| o.path.is_none()).count() > 1 {
                return Err("only one --format can go to standard output; give the others a file (FORMAT=FILE)".into());
            }
            if scan.outputs.is_empty() {
                scan.outputs.push(Output { format: Format::Text, path: None });
            }
            Ok(Command::Scan(scan))
        }
        "pss" => {
            let mut pss = PssArgs {
                level: PssLevel::Restricted,
                version: PssVersion::LATEST,
                format: Format::Text,
                paths: Vec::new(),
            };
            let mut only_paths = false;
            while let Some(arg) = options.args.next() {
                if only_paths || arg == "-" || !arg.starts_with('-') {
                    pss.paths.push(arg.clone());
                    continue;
                }
                let (flag, inline) = split(arg);
                match flag {
                    "--" => only_paths = true,
                    "--level" | "-l" => {
                        pss.level =
                            options.value(flag, inline)?.parse().map_err(|e: kubeward::PssParseError| e.message)?
                    }
                    "--version" | "-v" => {
                        pss.version =
                            options.value(flag, inline)?.parse().map_err(|e: kubeward::PssParseError| e.message)?
                    }
                    "--format" | "-f" => pss.format = parse_listing_format(options.value(flag, inline)?)?,
                    "-h" | "--help" => return Ok(Command::Help),
                    other => return Err(format!("unknown option `{other}` for `pss`")),
                }
            }
            if pss.paths.is_empty() {
                return Err("`pss` needs at least one PATH (use - for standard input)".into());
            }
            Ok(Command::Pss(pss))
        }
        "rbac" => {
            let mut rbac = RbacArgs { format: Format::Text, paths: Vec::new() };
            let mut only_paths = false;
            while let Some(arg) = options.args.next() {
                if only_paths || arg == "-" || !arg.starts_with('-') {
                    rbac.paths.push(arg.clone());
                    continue;
                }
                let (flag, inline) = split(arg);
                match flag {
                    "--" => only_paths = true,
                    "--format" | "-f" => rbac.format = parse_listing_format(options.value(flag, inline)?)?,
                    "-h" | "--help" => return Ok(Command::Help),
                    other => return Err(format!("unknown option `{other}` for `rbac`")),
                }
            }
            if rbac.paths.is_empty() {
                return Err("`rbac` needs at least one PATH (use - for standard input)".into());
            }
            Ok(Command::Rbac(rbac))
        }
        other => Err(format!("unknown command `{other}`")),
    }
}

fn split(arg: &str) -> (&str, Option<&str>) {
    match arg.split_once('=') {
        Some((flag, value)) if flag.starts_with("--") => (flag, Some(value)),
        _ => (arg, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn scan_options_in_both_spellings() {
        let Command::Scan(scan) = parse(&args("scan --format=json --fail-on high -c k.yaml a b -")).unwrap() else {
            panic!("not a scan")
        };
        assert_eq!(scan.outputs, [Output { format: Format::Json, path: None }]);
        assert_eq!(scan.fail_on, Severity::High);
        assert_eq!(scan.config.as_deref(), Some("k.yaml"));
        assert_eq!(scan.paths, ["a", "b", "-"]);
    }

    #[test]
    fn several_formats_in_one_run() {
        let Command::Scan(scan) = parse(&args("scan --format text --format sarif=out.sarif -f junit=j.xml .")).unwrap()
        else {
            panic!("not a scan")
        };
        assert_eq!(scan.outputs.len(), 3);
        assert_eq!(scan.outputs[1], Output { format: Format::Sarif, path: Some("out.sarif".into()) });
        assert!(parse(&args("scan --format json --format text .")).is_err());
        assert!(parse(&args("scan --format sarif= .")).is_err());
        assert!(parse(&args("checks --format sarif")).is_err());
    }

    #[test]
    fn pss_options() {
        let Command::Pss(pss) = parse(&args("pss --level baseline --version=v1.25 -f json a")).unwrap() else {
            panic!("not pss")
        };
        assert_eq!((pss.level, pss.version, pss.format), (PssLevel::Baseline, PssVersion::v1(25), Format::Json));
        assert_eq!(pss.paths, ["a"]);
        let Command::Pss(pss) = parse(&args("pss x")).unwrap() else { panic!("not pss") };
        assert_eq!((pss.level, pss.version), (PssLevel::Restricted, PssVersion::LATEST));
        assert!(parse(&args("pss --level strict x")).unwrap_err().contains("strict"));
        assert!(parse(&args("pss --version 1.25 x")).unwrap_err().contains("1.25"));
        assert!(parse(&args("pss --level baseline")).is_err());
    }

    #[test]
    fn rbac_options() {
        let Command::Rbac(rbac) = parse(&args("rbac --format=json a -f text b")).unwrap() else { panic!("not rbac") };
        assert_eq!(rbac.format, Format::Text);
        assert_eq!(rbac.paths, ["a", "b"]);
        assert!(parse(&args("rbac")).is_err());
        assert!(parse(&args("rbac --fail-on high x")).is_err());
    }

    #[test]
    fn usage_errors() {
        assert!(parse(&args("scan")).is_err());
        assert!(parse(&args("scan --format yaml x")).is_err());
        assert!(parse(&args("scan --fail-on dire x")).is_err());
        assert!(parse(&args("scan --config")).is_err());
        assert!(parse(&args("frobnicate")).is_err());
        assert!(parse(&args("explain")).is_err());
    }
}
