//! No pod has unrestricted internet egress (item 3.5).

use super::{is_everything, policy_of, ports_phrase};
use crate::checks::{Check, CheckMeta, ObjectContext, Run, Severity, Sink};
use crate::inventory::Direction;

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "netpol-internet-egress",
        title: "NetworkPolicy allows egress to the whole internet",
        severity: Severity::High,
        items: &[("3.5", "a policy allows egress to the whole internet")],
        section: "network",
        rationale: "An egress peer of `0.0.0.0/0` or `::/0` opens every address of that family: command and \
            control, data exfiltration and downloads of attack tools all get through. An `except` list only \
            carves out the ranges it names, usually private ones, so the internet stays open.",
        remediation: "Allow egress to the address ranges of the external services the workload calls, or route it \
            through an egress proxy or gateway and allow only that.",
        fail_example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - ipBlock:\n        cidr: 0.0.0.0/0\n        except: [10.0.0.0/8]\n",
        pass_example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - ipBlock:\n        cidr: 203.0.113.0/24\n    ports:\n    - port: 443\n",
    },
    run: Run::Object(run),
};

fn run(ctx: &ObjectContext<'_, '_>, sink: &mut Sink) {
    let Some(policy) = policy_of(ctx.object) else {
        return;
    };
    for (index, rule) in policy.rules(Direction::Egress).iter().enumerate() {
        for peer in rule.get("to").items() {
            let cidr = peer.path(&["ipBlock", "cidr"]);
            let Some(block) = cidr.str().present().filter(|block| is_everything(block)) else {
                continue;
            };
            let family = if block.contains(':') { "IPv6" } else { "IPv4" };
            let except = if peer.path(&["ipBlock", "except"]).items().is_empty() {
                ""
            } else {
                "; its except list does not make it restricted"
            };
            sink.report(
                &cidr,
                message!(
                    "NetworkPolicy \"{}\" allows egress to every {family} address ({block}) {} (egress rule {index}){except}",
                    policy.name,
                    ports_phrase(rule)
                ),
            );
        }
    }
}
