// The editor: CodeMirror 6 with a linter that runs kubeward (WebAssembly) on
// every change, shows findings as underlines and gutter marks, and lists them.
import { EditorView, basicSetup } from "codemirror";
import { yaml } from "@codemirror/lang-yaml";
import { linter, lintGutter } from "@codemirror/lint";
import init, { Engine } from "kubeward-wasm";

const status = document.getElementById("status");
const list = document.getElementById("findings");
const count = document.getElementById("count");

const SAMPLE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: app
        image: nginx:1.27
`;

// CodeMirror knows error, warning, info and hint.
const SEVERITY = { critical: "error", high: "error", medium: "warning", low: "info", info: "hint" };

function showFindings(view, findings) {
  count.textContent = `(${findings.length})`;
  list.replaceChildren(
    ...findings.map((finding) => {
      const item = document.createElement("li");
      item.dataset.severity = finding.severity;
      item.dataset.check = finding.check;
      item.dataset.line = String(finding.range.start.line);
      const where = document.createElement("div");
      where.className = "where";
      where.textContent = `line ${finding.range.start.line}:${finding.range.start.column} · ${finding.severity} · `;
      const id = document.createElement("code");
      id.textContent = finding.check;
      where.append(id);
      const message = document.createElement("div");
      message.className = "message";
      message.textContent = finding.message;
      item.append(where, message);
      item.addEventListener("click", () => {
        view.dispatch({ selection: { anchor: finding.range.from }, scrollIntoView: true });
        view.focus();
      });
      return item;
    }),
  );
}

async function start() {
  await init({ module_or_path: new URL("kubeward_wasm_bg.wasm", import.meta.url) });
  const engine = new Engine();
  const kubewardLinter = linter(
    (view) => {
      const text = view.state.doc.toString();
      let report;
      try {
        report = engine.scan(text, "editor.yaml");
      } catch (error) {
        status.textContent = `error: ${error.message}`;
        return [];
      }
      const length = view.state.doc.length;
      // Each finding's quick fixes (the check's own first, then the exemption), by finding index.
      const fixesOf = new Map();
      try {
        // Only the package built with the `fixes` feature has them.
        const offered = typeof engine.fixes === "function" ? engine.fixes(text, "editor.yaml") : [];
        for (const entry of offered) fixesOf.set(report.findings[entry.finding], entry.fixes);
      } catch (error) {
        status.textContent = `error: ${error.message}`;
      }
      const active = report.findings.filter((finding) => !finding.suppressed);
      showFindings(view, active);
      status.dataset.state = "ready";
      status.textContent = `kubeward ${report.tool.version} · ${active.length} finding(s) · ${report.errors.length} error(s)`;
      const clamp = (n) => Math.max(0, Math.min(n, length));
      const diagnostics = [
        ...active.map((finding) => ({
          from: clamp(finding.range.from),
          to: clamp(Math.max(finding.range.to, finding.range.from + 1)),
          severity: SEVERITY[finding.severity] ?? "warning",
          source: finding.check,
          message: finding.message,
          actions: (fixesOf.get(finding) ?? []).map((fix) => ({
            name: fix.safety === "exemption" ? "Exempt…" : fix.safety === "unsafe" ? `${fix.title} (review)` : fix.title,
            apply: (target) =>
              target.dispatch({ changes: fix.edits.map((edit) => ({ from: edit.from, to: edit.to, insert: edit.text })) }),
          })),
        })),
        ...report.errors.map((error) => ({
          from: clamp(error.range.from),
          to: clamp(Math.max(error.range.to, error.range.from + 1)),
          severity: "error",
          source: "kubeward",
          message: error.message,
        })),
      ];
      // Kept for debugging in the console (and read by the browser test).
      window.kubewardDiagnostics = diagnostics;
      return diagnostics;
    },
    { delay: 300 },
  );
  const view = new EditorView({
    doc: SAMPLE,
    extensions: [basicSetup, yaml(), lintGutter(), kubewardLinter],
    parent: document.getElementById("editor"),
  });
  window.kubewardEditor = view;
}

start().catch((error) => {
  status.dataset.state = "failed";
  status.textContent = `failed to start: ${error.message}`;
});
