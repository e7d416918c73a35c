//! Every RBAC and network check flags its failing example and passes its passing one.

use crate::{Engine, Source};

fn findings_of(id: &str, example: &str) -> Vec<String> {
    let report = Engine::default().scan(&[Source::new("example.yaml", example.as_bytes())]);
    assert!(report.errors.is_empty(), "{id}: example does not load: {:?}", report.errors);
    report.active_findings().filter(|f| f.check == id).map(|f| f.message.clone()).collect()
}

#[test]
fn rbac_and_network_examples_behave_as_documented() {
    let mut tested = 0;
    for check in super::all().iter().filter(|c| matches!(c.meta.section, "rbac" | "network")) {
        let meta = &check.meta;
        assert!(!findings_of(meta.id, meta.fail_example).is_empty(), "{}: failing example not flagged", meta.id);
        let passed = findings_of(meta.id, meta.pass_example);
        assert!(passed.is_empty(), "{}: passing example flagged: {passed:?}", meta.id);
        tested += 1;
    }
    assert!(tested >= 19, "only {tested} rbac/network checks registered");
}
