//! Section 6 of the checklist (and 3.6, 8.4, 8.7): what the cluster runs to
//! detect, constrain and encrypt. These checks judge only cluster-level input
//! (see [`crate::inventory::components`]); for an application's manifests the items are
//! "not assessed" in the report's inventory and the checks stay silent.

pub(crate) mod network_policy_cni;
pub(crate) mod policy_engine;
pub(crate) mod runtime_detection;
pub(crate) mod service_mesh_mtls;

use crate::checks::{SetContext, SetSink};
use crate::model::component::Component;

/// Reports, at the object that makes the input cluster-level, that none of `components` is deployed.
pub(crate) fn report_missing(ctx: &SetContext<'_, '_>, sink: &mut SetSink, components: &[Component], what: &str) {
    let facts = ctx.facts;
    if facts.has(components) {
        return;
    }
    let Some((index, reason)) = &facts.cluster_level else {
        return;
    };
    if let Some(object) = ctx.objects.get(*index) {
        sink.report(
            *index,
            &object.summary.root,
            message!("the cluster described by this input (found {reason}) runs no {what}"),
        );
    }
}
