// Compiled with `tsc --noEmit` (never run): the package's declarations must
// describe the API and the report well enough for this editor-style code.
import init, { initSync, Engine, checks, explain, version } from "../../pkg/kubeward_wasm.js";
import type {
  Config, Finding, Report, Range, Severity, ScanInput, CheckInfo, PssLevel, PssReport, PssViolation, RbacReview, Grant,
} from "../../pkg/kubeward_wasm.js";

export async function lint(text: string): Promise<Array<{ from: number; to: number; severity: Severity; message: string }>> {
  await init();
  const config: Config = {
    checks: { "no-privileged": { severity: "critical", enabled: true } },
    production: { namespaces: ["prod-*"] },
    ignores: [{ check: "run-as-non-root", kind: "Deployment", reason: "legacy image", expires: "2027-01-31" }],
    limits: { maxDepth: 64 },
  };
  const engine = new Engine(config);
  const report: Report = engine.scan(text, "editor.yaml");
  return report.findings
    .filter((finding: Finding) => !finding.suppressed)
    .map((finding) => {
      const range: Range = finding.range;
      return { from: range.from, to: range.to, severity: finding.severity, message: `${finding.check}: ${finding.message}` };
    });
}

export function summary(bytes: BufferSource): string {
  initSync({ module: bytes });
  const files: ScanInput[] = [{ name: "a.yaml", text: "" }];
  const report = new Engine("checks: {}").scanMany(files);
  const catalog: CheckInfo[] = checks();
  const explained: string | undefined = explain(catalog[0]?.id ?? "");
  const errors: number = report.summary.errors;
  const line: number = report.errors[0]?.range.start.line ?? 0;
  return `${version()} ${report.schema_version} ${errors} ${line} ${explained?.length ?? 0} ${report.documents[0]?.status}`;
}

export function podSecurity(text: string, level: PssLevel): Array<{ from: number; to: number; message: string }> {
  const engine = new Engine();
  const result: PssReport = engine.pss(text, level, "latest");
  const applied: string = result.effectiveVersion;
  return result.objects
    .filter((object) => object.applicable && !object.allowed)
    .flatMap((object) => object.violations)
    .map((violation: PssViolation) => ({
      from: violation.range.from,
      to: violation.range.to,
      message: `${violation.check} (${applied}): ${violation.reason}${violation.container ? ` [${violation.container}]` : ""}`,
    }));
}

export function whoCan(files: ScanInput[], verb: string): string[] {
  const review: RbacReview = new Engine().rbacReview(files);
  return review.subjects.flatMap((subject) =>
    subject.grants
      .filter((grant: Grant) => grant.verbs.includes(verb) || grant.verbs.includes("*"))
      .map((grant) => `${subject.kind} ${subject.namespace ?? ""}/${subject.name} via ${grant.binding.kind} ${grant.binding.name} (${grant.role.found ? grant.role.name : "unknown role"})`),
  );
}
