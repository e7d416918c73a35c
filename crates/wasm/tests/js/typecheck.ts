// Compiled with `tsc --noEmit` (never run): the package's declarations must
// describe the API and the report well enough for this editor-style code.
import init, { initSync, Engine, checks, explain, version } from "../../pkg/kubeward_wasm.js";
import type { Config, Finding, Report, Range, Severity, ScanInput, CheckInfo } from "../../pkg/kubeward_wasm.js";

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
