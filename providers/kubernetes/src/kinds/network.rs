//! Networking: `kubernetes_service` and `kubernetes_network_policy` (field tables and schemas).

use super::pod::LABEL_SELECTOR;
use super::{Kind, META_NAMESPACED, derived, kind};
use crate::fields::{F, Field, field};

const SERVICE_PORT: &[Field] = &[
    field("name", "name", F::Str).doc("Port name (required when there are several)."),
    field("port", "port", F::Num)
        .required()
        .doc("Port the service listens on."),
    field("target_port", "targetPort", F::IntOrStr)
        .doc("Pod port, a number or a container port's name; the server's default is `port`."),
    field("protocol", "protocol", F::Str).doc("`TCP` (the server's default), `UDP` or `SCTP`."),
    field("node_port", "nodePort", F::Num).doc("Node port, with type `NodePort` or `LoadBalancer`."),
];

const SERVICE_SPEC: &[Field] = &[
    field("selector", "selector", F::StrMap).doc("Labels of the pods that receive the traffic."),
    field("type", "type", F::Str)
        .doc("`ClusterIP` (the server's default), `NodePort`, `LoadBalancer` or `ExternalName`."),
    field("port", "ports", F::Blocks(SERVICE_PORT)).doc("A port of the service."),
    field("cluster_ip", "clusterIP", F::Str)
        .optional_computed()
        .doc("The service's virtual IP, assigned by the cluster; `\"None\"` makes a headless service."),
    field("session_affinity", "sessionAffinity", F::Str).doc("`None` (the server's default) or `ClientIP`."),
    field("external_name", "externalName", F::Str).doc("DNS name, with type `ExternalName`."),
];

const SERVICE: &[Field] = &[
    field("metadata", "metadata", F::Block(META_NAMESPACED)),
    field("spec", "spec", F::Block(SERVICE_SPEC))
        .required()
        .doc("How the service routes."),
];

const IP_BLOCK: &[Field] = &[
    field("cidr", "cidr", F::Str)
        .required()
        .doc("Allowed range (`10.0.0.0/8`)."),
    field("except", "except", F::StrList).doc("Ranges inside `cidr` that are not allowed."),
];

const PEER: &[Field] = &[
    field("pod_selector", "podSelector", F::Block(LABEL_SELECTOR))
        .doc("Pods (in the policy's namespace, or in those `namespace_selector` picks)."),
    field("namespace_selector", "namespaceSelector", F::Block(LABEL_SELECTOR))
        .doc("Namespaces, by their labels (`kubernetes.io/metadata.name` names one)."),
    field("ip_block", "ipBlock", F::Block(IP_BLOCK)).doc("An IP range."),
];

const POLICY_PORT: &[Field] = &[
    field("port", "port", F::IntOrStr).doc("Port number or name; none: every port."),
    field("protocol", "protocol", F::Str).doc("`TCP` (the server's default), `UDP` or `SCTP`."),
    field("end_port", "endPort", F::Num).doc("Last port of a range starting at `port`."),
];

const INGRESS_RULE: &[Field] = &[
    field("from", "from", F::Blocks(PEER)).doc("Who may connect; none: anyone."),
    field("ports", "ports", F::Blocks(POLICY_PORT)).doc("Ports they may connect to; none: every port."),
];

const EGRESS_RULE: &[Field] = &[
    field("to", "to", F::Blocks(PEER)).doc("Where the pods may connect; none: anywhere."),
    field("ports", "ports", F::Blocks(POLICY_PORT)).doc("Ports they may connect to; none: every port."),
];

const NETWORK_POLICY_SPEC: &[Field] = &[
    field("pod_selector", "podSelector", F::Block(LABEL_SELECTOR))
        .required()
        .doc("The pods the policy applies to; an empty block selects every pod of the namespace."),
    field("ingress", "ingress", F::Blocks(INGRESS_RULE)).doc("Allowed incoming traffic (one rule per block)."),
    field("egress", "egress", F::Blocks(EGRESS_RULE)).doc("Allowed outgoing traffic (one rule per block)."),
    field("policy_types", "policyTypes", F::StrList)
        .doc("`Ingress`, `Egress` or both; the server's default follows the rules given."),
];

const NETWORK_POLICY: &[Field] = &[
    field("metadata", "metadata", F::Block(META_NAMESPACED)),
    field("spec", "spec", F::Block(NETWORK_POLICY_SPEC))
        .required()
        .doc("Which pods, and what traffic they allow."),
];

pub fn kinds() -> Vec<Kind> {
    vec![
        kind(
            "kubernetes_service",
            ("", "v1", "Service", "services"),
            true,
            SERVICE,
            derived(
                "A Service: a stable name and virtual IP in front of the pods its selector matches. Import with \
                 `NAMESPACE/NAME`.",
                true,
                SERVICE,
            ),
        ),
        kind(
            "kubernetes_network_policy",
            ("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies"),
            true,
            NETWORK_POLICY,
            derived(
                "A NetworkPolicy: least privilege on the network. Once a policy selects a pod, only the traffic \
                 some policy allows reaches it (a serving pod reachable only from its ingress). Enforced by the \
                 cluster's network plugin. Import with `NAMESPACE/NAME`.",
                true,
                NETWORK_POLICY,
            ),
        ),
    ]
}
