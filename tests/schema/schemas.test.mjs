// Validates real kubeward output against the checked-in JSON Schemas and the
// official SARIF 2.1.0 schema. Run through scripts/test-schemas.sh, which
// writes the outputs into target/schema-check first.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import Ajv2020 from "ajv/dist/2020.js";
import AjvDraft04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import yaml from "js-yaml";

const require = createRequire(import.meta.url);
const root = new URL("../../", import.meta.url);
const read = (path) => readFileSync(new URL(path, root), "utf8");
const json = (path) => JSON.parse(read(path));

function validator(schema, Draft = Ajv2020) {
  // unicodeRegExp: false because the official SARIF schema has a pattern that is invalid in unicode mode.
  const ajv = new Draft({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

function assertValid(validate, data, what) {
  const ok = validate(data);
  assert.ok(ok, `${what} does not match its schema:\n${JSON.stringify(validate.errors, null, 2)}`);
}

test("reports of the bundled examples match schemas/report.schema.json", () => {
  const validate = validator(json("schemas/report.schema.json"));
  for (const name of ["examples.json", "insecure.json", "hardened.json", "broken.json"]) {
    const report = json(`target/schema-check/${name}`);
    assert.ok(report.findings.length > 0 || report.documents.length > 0, `${name} is empty`);
    assertValid(validate, report, name);
  }
});

test("the example configuration matches schemas/config.schema.json", () => {
  const validate = validator(json("schemas/config.schema.json"));
  const config = yaml.load(read("examples/kubeward.yaml"), { schema: yaml.CORE_SCHEMA });
  assertValid(validate, config, "examples/kubeward.yaml");
  assert.equal(validate({ bogus: 1 }), false, "unknown keys must be rejected by the schema too");
});

test("SARIF output is valid SARIF 2.1.0", () => {
  const schemaPath = require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
  const validate = validator(JSON.parse(readFileSync(schemaPath, "utf8")), AjvDraft04);
  const sarif = json("target/schema-check/insecure.sarif");
  assertValid(validate, sarif, "insecure.sarif");
  const results = sarif.runs[0].results;
  assert.ok(results.length > 0);
  const located = results.every((r) => r.locations[0].physicalLocation.region.startLine >= 1);
  assert.ok(located, "every result has a physical location");
  assert.ok(results.some((r) => r.suppressions), "an exempted finding carries a suppression");
});

test("a written baseline matches schemas/baseline.schema.json", () => {
  const validate = validator(json("schemas/baseline.schema.json"));
  const baseline = json("target/schema-check/baseline.json");
  assert.ok(baseline.findings.length > 0, "the insecure examples have findings");
  assertValid(validate, baseline, "baseline.json");
  assert.equal(validate({ kubewardBaseline: 1, findings: [{ check: "x" }] }), false, "an entry needs its identity");
});
