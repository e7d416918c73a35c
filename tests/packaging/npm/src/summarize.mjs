/** A report's findings as comparable rows: check, JSON Pointer and range, in report order. */
export function summarize(report) {
  return report.findings.map((f) => [
    f.check,
    f.path,
    f.range.start.line,
    f.range.start.column,
    f.range.end.line,
    f.range.end.column,
  ]);
}
