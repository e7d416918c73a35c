"""unittest suite for the ctypes wrapper of kubeward's C API.

Environment: KUBEWARD_LIB (the shared library, optional), KUBEWARD_MANIFEST (the
manifest to scan), KUBEWARD_EXPECTED (the Rust core's report for it, scanned alone
under its base name), KUBEWARD_EXPECTED_PSS (the core's Pod Security Standards result
for it at restricted/latest), KUBEWARD_RBAC_MANIFEST and KUBEWARD_EXPECTED_RBAC (an
RBAC manifest and the core's review of it), KUBEWARD_POLICY_FILES and
KUBEWARD_POLICY_MANIFESTS (policy files and manifests, separated by `:`) and
KUBEWARD_EXPECTED_POLICY_REPORT (the core's report for them). scripts/test-ffi.sh
sets them all.
"""

import os
import threading
import unittest

import kubeward

HERE = os.path.dirname(os.path.abspath(__file__))
MANIFEST = os.environ.get("KUBEWARD_MANIFEST", os.path.join(HERE, "..", "manifests", "insecure", "shop.yaml"))
EXPECTED = os.environ.get("KUBEWARD_EXPECTED")
EXPECTED_PSS = os.environ.get("KUBEWARD_EXPECTED_PSS")
RBAC_MANIFEST = os.environ.get(
    "KUBEWARD_RBAC_MANIFEST", os.path.join(HERE, "..", "rbac-network", "insecure", "rbac.yaml")
)
EXPECTED_RBAC = os.environ.get("KUBEWARD_EXPECTED_RBAC")
POLICY_FILES = os.environ.get("KUBEWARD_POLICY_FILES")
POLICY_MANIFESTS = os.environ.get("KUBEWARD_POLICY_MANIFESTS")
EXPECTED_POLICY_REPORT = os.environ.get("KUBEWARD_EXPECTED_POLICY_REPORT")


def read(path):
    with open(path, "rb") as handle:
        return handle.read()


class ScanTest(unittest.TestCase):
    def setUp(self):
        self.engine = kubeward.Engine()
        self.name = os.path.basename(MANIFEST)
        self.content = read(MANIFEST)

    def tearDown(self):
        self.engine.close()

    @unittest.skipUnless(EXPECTED, "KUBEWARD_EXPECTED not set (scripts/test-ffi.sh sets it)")
    def test_report_equals_the_rust_core_report(self):
        expected = read(EXPECTED).decode("utf-8")
        self.assertEqual(self.engine.scan_json(self.name, self.content), expected)

    def test_scan_returns_a_dict_with_the_contract_fields(self):
        report = self.engine.scan(self.name, self.content)
        for key in ("tool", "schema_version", "documents", "findings", "errors", "summary"):
            self.assertIn(key, report)
        checks = {finding["check"] for finding in report["findings"]}
        self.assertIn("no-privileged", checks)
        self.assertEqual({finding["file"] for finding in report["findings"]}, {self.name})

    def test_scan_many(self):
        pod = b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: db\nspec:\n  containers:\n  - name: db\n    image: postgres\n"
        report = self.engine.scan_many([("pod.yaml", pod), (self.name, self.content)])
        self.assertEqual(sorted({d["file"] for d in report["documents"]}), sorted(["pod.yaml", self.name]))

    def test_non_utf8_content_is_a_document_error(self):
        report = self.engine.scan("bad.yaml", b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \xff\n")
        self.assertTrue(report["errors"])

    def test_input_errors(self):
        with self.assertRaises(kubeward.KubewardError) as caught:
            self.engine.scan("a\0b.yaml", self.content)
        self.assertEqual(caught.exception.status_name, "INVALID_INPUT")
        self.assertIn("NUL byte", caught.exception.message)
        with self.assertRaises(kubeward.KubewardError) as caught:
            self.engine.scan(b"caf\xe9.yaml", self.content)
        self.assertIn("not valid UTF-8", caught.exception.message)
        with self.assertRaises(kubeward.KubewardError) as caught:
            self.engine.scan("empty.yaml", b"")
        self.assertEqual(caught.exception.status_name, "INVALID_INPUT")

    def test_threads_share_one_engine(self):
        expected = self.engine.scan_json(self.name, self.content)
        results = []

        def work():
            for _ in range(5):
                results.append(self.engine.scan_json(self.name, self.content) == expected)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(results, [True] * 20)


class PssAndRbacTest(unittest.TestCase):
    def setUp(self):
        self.engine = kubeward.Engine()
        self.shop = [(os.path.basename(MANIFEST), read(MANIFEST))]
        self.rbac = [(os.path.basename(RBAC_MANIFEST), read(RBAC_MANIFEST))]

    def tearDown(self):
        self.engine.close()

    @unittest.skipUnless(EXPECTED_PSS, "KUBEWARD_EXPECTED_PSS not set (scripts/test-ffi.sh sets it)")
    def test_pss_equals_the_rust_core_result(self):
        expected = read(EXPECTED_PSS).decode("utf-8")
        self.assertEqual(self.engine.pss_json(self.shop, "restricted", "latest"), expected)

    def test_pss_result_names_level_and_violations(self):
        result = self.engine.pss(self.shop, "baseline", "v1.30")
        self.assertEqual((result["level"], result["version"]), ("baseline", "v1.30"))
        denied = [entry for entry in result["objects"] if not entry["allowed"]]
        self.assertTrue(denied)
        self.assertTrue(all(entry["violations"] for entry in denied))

    def test_pss_bad_level_or_version(self):
        with self.assertRaises(kubeward.KubewardError) as caught:
            self.engine.pss(self.shop, "strict")
        self.assertEqual(caught.exception.status_name, "INVALID_INPUT")
        self.assertIn("unknown Pod Security level `strict`", caught.exception.message)
        with self.assertRaises(kubeward.KubewardError) as caught:
            self.engine.pss(self.shop, "baseline", "v1.05")
        self.assertIn("leading zero", caught.exception.message)

    @unittest.skipUnless(EXPECTED_RBAC, "KUBEWARD_EXPECTED_RBAC not set (scripts/test-ffi.sh sets it)")
    def test_rbac_review_equals_the_rust_core_review(self):
        expected = read(EXPECTED_RBAC).decode("utf-8")
        self.assertEqual(self.engine.rbac_review_json(self.rbac), expected)

    def test_rbac_review_lists_subjects(self):
        review = self.engine.rbac_review(self.rbac)
        self.assertTrue(review["subjects"])
        self.assertTrue(all(subject["grants"] for subject in review["subjects"]))
        with self.assertRaises(kubeward.KubewardError) as caught:
            self.engine.rbac_review([])
        self.assertEqual(caught.exception.status_name, "INVALID_INPUT")


class ConfigTest(unittest.TestCase):
    def test_configuration_is_applied(self):
        with kubeward.Engine("checks:\n  no-privileged:\n    enabled: false\n") as engine:
            report = engine.scan("d.yaml", read(MANIFEST))
        self.assertTrue(report["findings"])
        self.assertNotIn("no-privileged", {finding["check"] for finding in report["findings"]})

    def test_bad_configuration_has_a_position(self):
        with self.assertRaises(kubeward.KubewardError) as caught:
            kubeward.Engine("checks: {}\nbogus: 1\n")
        self.assertEqual(caught.exception.status_name, "CONFIG")
        self.assertIn("bogus", caught.exception.message)
        self.assertEqual(caught.exception.position, (2, 1, 11))

    def test_empty_configuration_text_is_an_input_error(self):
        with self.assertRaises(kubeward.KubewardError) as caught:
            kubeward.Engine("")
        self.assertEqual(caught.exception.status_name, "INVALID_INPUT")


class CatalogTest(unittest.TestCase):
    def test_checks(self):
        catalog = kubeward.checks()
        self.assertIsInstance(catalog, list)
        self.assertIn("no-privileged", {check["id"] for check in catalog})

    def test_explain(self):
        self.assertIn("no-privileged", kubeward.explain("no-privileged"))
        with self.assertRaises(kubeward.KubewardError) as caught:
            kubeward.explain("no-such-check")
        self.assertEqual(caught.exception.status_name, "NOT_FOUND")

    def test_versions(self):
        self.assertRegex(kubeward.version(), r"^\d+\.\d+\.\d+")
        self.assertEqual(kubeward._lib.kubeward_abi_version(), kubeward.ABI_VERSION)


def named(paths):
    return [(os.path.basename(path), read(path)) for path in paths.split(":")]


class PolicyTest(unittest.TestCase):
    POLICY = (
        "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata:\n  name: replica-limit\n"
        "spec:\n  matchConstraints:\n    resourceRules:\n    - apiGroups: [apps]\n      apiVersions: [v1]\n"
        "      operations: [CREATE]\n      resources: [deployments]\n  validations:\n"
        "  - expression: object.spec.replicas <= 3\n    message: at most 3 replicas\n"
    )

    @unittest.skipUnless(EXPECTED_POLICY_REPORT, "KUBEWARD_EXPECTED_POLICY_REPORT not set (scripts/test-ffi.sh sets it)")
    def test_policy_report_equals_the_rust_core_report(self):
        with kubeward.Engine(policies=named(POLICY_FILES)) as engine:
            self.assertEqual(engine.scan_many_json(named(POLICY_MANIFESTS)), read(EXPECTED_POLICY_REPORT).decode())

    def test_a_policy_finding_is_positioned(self):
        manifest = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 5\n"
        with kubeward.Engine(policies=[("p.yaml", self.POLICY)]) as engine:
            findings = [f for f in engine.scan("d.yaml", manifest.encode())["findings"] if f["check"] == "replica-limit"]
        self.assertEqual(len(findings), 1)
        self.assertEqual((findings[0]["range"]["start"]["line"], findings[0]["range"]["start"]["column"]), (6, 3))
        self.assertEqual(findings[0]["message"], "at most 3 replicas")

    def test_a_broken_policy_is_a_configuration_error_in_its_file(self):
        broken = self.POLICY.replace("object.spec.replicas <= 3", "object.spec.replicas <= authorizer.x")
        with self.assertRaises(kubeward.KubewardError) as caught:
            kubeward.Engine(policies=[("p.yaml", broken)])
        self.assertEqual(caught.exception.status_name, "CONFIG")
        self.assertTrue(caught.exception.message.startswith("p.yaml:13:41: "), caught.exception.message)
        self.assertEqual(caught.exception.position[:2], (13, 41))


if __name__ == "__main__":
    unittest.main()
