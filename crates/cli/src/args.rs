//! Command-line arguments, parsed by hand to keep the build small.

use kubeward::Severity;

pub(crate) const HELP: &str = "\
kubeward: check Kubernetes manifests against a production security-hardening checklist

USAGE:
    kubeward scan [--config FILE] [--format text|json] [--fail-on SEVERITY] PATH...
    kubeward rbac [--format text|json] PATH...
    kubeward checks [--format text|json]
    kubeward explain CHECK-ID
    kubeward --version | --help

SCAN:
    PATH                  a file, a directory (searched recursively for .yaml, .yml and
                          .json files; hidden directories are skipped), or - for standard
                          input (e.g. `helm template chart | kubeward scan -`)
    --config FILE         YAML or JSON configuration (see the README); unknown keys are errors
    --format text|json    text (default): one finding per line as
                          `file:line:column: severity check-id message`, then a summary;
                          json: the full report (documents, findings, errors, summary)
    --fail-on SEVERITY    lowest severity that fails the run: critical, high, medium, low
                          (default) or info

RBAC:
    prints who can do what (checklist item 2.5) from the Role, ClusterRole, RoleBinding
    and ClusterRoleBinding objects under PATH: per subject (User, Group, ServiceAccount),
    the verbs and resources it may use, in which namespace or cluster-wide, and the
    binding and role rule (file:line) that grant them. Roles not in the input are listed
    as unknown. --format json writes the review as JSON. Exits 1 when a PATH yields no
    file or cannot be read.

EXIT CODES:
    0    no finding at or above the --fail-on severity, and no input error
    1    findings at or above the --fail-on severity, or input that could not be read
    2    usage or configuration error
";

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Text,
    Json,
}

/// `kubeward scan` options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ScanArgs {
    pub config: Option<String>,
    pub format: Format,
    pub fail_on: Severity,
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
    Scan(ScanArgs),
    Rbac(RbacArgs),
}

fn parse_format(value: &str) -> Result<Format, String> {
    match value {
        "text" => Ok(Format::Text),
        "json" => Ok(Format::Json),
        other => Err(format!("unknown format `{other}` (expected text or json)")),
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
        "checks" => {
            let mut format = Format::Text;
            while let Some(arg) = options.args.next() {
                let (flag, inline) = split(arg);
                match flag {
                    "--format" => format = parse_format(options.value(flag, inline)?)?,
                    "-h" | "--help" => return Ok(Command::Help),
                    other => return Err(format!("unexpected argument `{other}` for `checks`")),
                }
            }
            Ok(Command::Checks { format })
        }
        "explain" => {
            let ids: Vec<&String> = options.args.collect();
            match ids.as_slice() {
                [id] if !id.starts_with('-') => Ok(Command::Explain { id: id.to_string() }),
                _ => Err("`explain` takes exactly one check id".into()),
            }
        }
        "scan" => {
            let mut scan = ScanArgs { config: None, format: Format::Text, fail_on: Severity::Low, paths: Vec::new() };
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
                    "--format" | "-f" => scan.format = parse_format(options.value(flag, inline)?)?,
                    "--fail-on" => scan.fail_on = options.value(flag, inline)?.parse()?,
                    "-h" | "--help" => return Ok(Command::Help),
                    other => return Err(format!("unknown option `{other}` for `scan`")),
                }
            }
            if scan.paths.is_empty() {
                return Err("`scan` needs at least one PATH (use - for standard input)".into());
            }
            Ok(Command::Scan(scan))
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
                    "--format" | "-f" => rbac.format = parse_format(options.value(flag, inline)?)?,
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
        assert_eq!(scan.format, Format::Json);
        assert_eq!(scan.fail_on, Severity::High);
        assert_eq!(scan.config.as_deref(), Some("k.yaml"));
        assert_eq!(scan.paths, ["a", "b", "-"]);
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
