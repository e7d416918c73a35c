// Real-browser test: headless Chromium (Debian's, driven by playwright-core)
// loads the built page from a localhost server, a manifest is typed into the
// editor, kubeward's diagnostics must appear on the right lines, and must go
// away once the field is fixed. Needs `npm run build` first.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

import { serve } from "../serve.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const targetDir = join(root, "..", "..", "target");
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";

// Line numbers (1-based) refer to this text.
const INSECURE = [
  "apiVersion: apps/v1",
  "kind: Deployment",
  "metadata:",
  "  name: shop",
  "spec:",
  "  selector:",
  "    matchLabels: {app: shop}",
  "  template:",
  "    metadata:",
  "      labels: {app: shop}",
  "    spec:",
  "      hostPID: true", // 12
  "      containers:",
  "      - name: web", // 14
  "        image: nginx:1.27",
  "        securityContext:", // 16
  "          privileged: true", // 17
  "",
].join("\n");

let server;
let browser; // a persistent context on a fresh profile
let userDataDir;

before(async () => {
  assert.ok(existsSync(join(root, "dist", "index.html")), "run `npm run build` first");
  server = await serve(join(root, "dist"));
  userDataDir = mkdtempSync(join(tmpdir(), "kubeward-chromium-"));
  // A fresh profile for every run (playwright takes it as an argument, not a flag).
  browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    viewport: { width: 1280, height: 820 },
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

/** The 1-based editor lines that carry a lint gutter marker, with its class. */
async function gutterMarkers(page) {
  return page.evaluate(() => {
    const lines = [...document.querySelectorAll(".cm-content .cm-line")].map((line) => line.getBoundingClientRect());
    return [...document.querySelectorAll(".cm-gutter-lint .cm-lint-marker")].map((marker) => {
      const box = marker.getBoundingClientRect();
      const middle = box.top + box.height / 2;
      const line = lines.findIndex((l) => l.top <= middle && middle < l.bottom) + 1;
      return { line, className: marker.className };
    });
  });
}

/** Findings listed in the panel, as [check, line] pairs. */
async function panel(page) {
  return page.$$eval("#findings li", (items) => items.map((item) => [item.dataset.check, Number(item.dataset.line)]));
}

test("typing an insecure Deployment shows kubeward's findings; fixing the field clears them", async () => {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForSelector("#status[data-state=ready]");

  // Replace the sample with the insecure manifest.
  await page.click(".cm-content");
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(INSECURE);

  await page.waitForFunction(() =>
    [...document.querySelectorAll("#findings li")].some((li) => li.dataset.check === "no-privileged"),
  );
  const listed = await panel(page);
  assert.deepEqual(listed.find(([check]) => check === "no-privileged"), ["no-privileged", 17]);
  assert.deepEqual(listed.find(([check]) => check === "no-host-namespaces"), ["no-host-namespaces", 12]);

  await page.waitForSelector(".cm-gutter-lint .cm-lint-marker");
  const markers = await gutterMarkers(page);
  const markedLines = [...new Set(markers.map((m) => m.line))].sort((a, b) => a - b);
  // A marker sits on the line where each finding starts: 10 the pod labels (no NetworkPolicy
  // selects them), 11 the pod `spec:` (service-account checks), 12 hostPID, 14 the container
  // (resource-limits), 15 its image (image-digest, image-registry), 16 its securityContext
  // (missing hardening fields) and 17 privileged. The manifest names no namespace, so the
  // namespace-level checks, which cannot judge an unnamed namespace, mark nothing.
  const MARKED = [10, 11, 12, 14, 15, 16, 17];
  assert.deepEqual(markedLines, MARKED);
  assert.match(markers.find((m) => m.line === 17).className, /cm-lint-marker-error/);

  // The diagnostic's UTF-16 range covers exactly the field on line 17, an
  // underline is drawn there, and hovering it shows the message and check id.
  const privileged = await page.evaluate(() => {
    const view = window.kubewardEditor;
    const diagnostic = window.kubewardDiagnostics.find((d) => d.source === "no-privileged");
    const coords = view.coordsAtPos(diagnostic.from + 3);
    return {
      line: view.state.doc.lineAt(diagnostic.from).number,
      text: view.state.sliceDoc(diagnostic.from, diagnostic.to),
      x: coords.left,
      y: (coords.top + coords.bottom) / 2,
    };
  });
  assert.deepEqual([privileged.line, privileged.text], [17, "privileged: true"]);
  const line17 = page.locator(".cm-line", { hasText: "privileged: true" });
  assert.ok((await line17.locator(".cm-lintRange-error").count()) > 0);
  await page.mouse.move(privileged.x, privileged.y);
  const tooltip = page.locator(".cm-tooltip-lint").filter({ hasText: "no-privileged" });
  await tooltip.waitFor();
  assert.match(await tooltip.textContent(), /container "web".*privileged|privileged.*"web"/i);
  mkdirSync(targetDir, { recursive: true });
  await page.screenshot({ path: join(targetDir, "web-editor.png") });

  // Fix the field by typing: privileged: true -> privileged: false.
  await page.locator(".cm-line", { hasText: "privileged: true" }).click();
  await page.keyboard.press("End");
  for (let i = 0; i < "true".length; i += 1) await page.keyboard.press("Backspace");
  await page.keyboard.type("false");

  await page.waitForFunction(() =>
    ![...document.querySelectorAll("#findings li")].some((li) => li.dataset.check === "no-privileged"),
  );
  assert.ok((await panel(page)).some(([check, line]) => check === "no-host-namespaces" && line === 12));
  const fixedLines = [...new Set((await gutterMarkers(page)).map((m) => m.line))].sort((a, b) => a - b);
  assert.deepEqual(fixedLines, MARKED.filter((line) => line !== 17));
  const startingOn17 = await page.evaluate(() => {
    const view = window.kubewardEditor;
    return window.kubewardDiagnostics
      .filter((d) => view.state.doc.lineAt(d.from).number === 17)
      .map((d) => d.source);
  });
  assert.deepEqual(startingOn17, []);
  await page.screenshot({ path: join(targetDir, "web-editor-fixed.png") });
  assert.deepEqual(problems, []);
  await page.close();
});

test("a quick fix from the lint tooltip edits the text exactly and its underline goes", async () => {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForSelector("#status[data-state=ready]");
  const POD = [
    "apiVersion: v1",
    "kind: Pod",
    "metadata:",
    "  name: web",
    "spec:",
    "  containers:",
    "  - name: app",
    "    image: registry.example.com/app:1.0",
    "    securityContext: {}", // 9
    "",
  ].join("\n");
  await page.click(".cm-content");
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(POD);
  // Wait for the diagnostics of this text (not the sample's): the finding sits on `securityContext: {}`.
  await page.waitForFunction(() => {
    const view = window.kubewardEditor;
    return (window.kubewardDiagnostics ?? []).some(
      (d) =>
        d.source === "no-privilege-escalation" &&
        d.to <= view.state.doc.length &&
        view.state.sliceDoc(d.from, d.to) === "securityContext: {}" &&
        d.actions.length === 2,
    );
  });
  // Hover the underlined `securityContext: {}`; the tooltip offers the fix, then the exemption.
  const at = await page.evaluate(() => {
    const view = window.kubewardEditor;
    const diagnostic = window.kubewardDiagnostics.find((d) => d.source === "no-privilege-escalation");
    const coords = view.coordsAtPos(diagnostic.from + 3);
    return { x: coords.left, y: (coords.top + coords.bottom) / 2, names: diagnostic.actions.map((a) => a.name) };
  });
  assert.deepEqual(at.names, ["Set allowPrivilegeEscalation: false", "Exempt…"]);
  await page.mouse.move(at.x, at.y);
  const button = page
    .locator(".cm-tooltip-lint .cm-diagnosticAction")
    .filter({ hasText: "Set allowPrivilegeEscalation: false" })
    .first();
  await button.waitFor();
  await button.click();
  const expected = POD.replace("securityContext: {}", "securityContext: {allowPrivilegeEscalation: false}");
  await page.waitForFunction((text) => window.kubewardEditor.state.doc.toString() === text, expected);
  await page.waitForFunction(
    () => !(window.kubewardDiagnostics ?? []).some((d) => d.source === "no-privilege-escalation"),
  );
  assert.deepEqual(problems, []);
  await page.close();
});
