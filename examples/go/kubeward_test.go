package kubeward

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// manifest returns the manifest to scan (KUBEWARD_MANIFEST, or the insecure shop).
func manifest(t *testing.T) (string, []byte) {
	t.Helper()
	path := os.Getenv("KUBEWARD_MANIFEST")
	if path == "" {
		path = filepath.Join("..", "manifests", "insecure", "shop.yaml")
	}
	content, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Base(path), content
}

func newEngine(t *testing.T, config []byte) *Engine {
	t.Helper()
	engine, err := NewEngine(config)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(engine.Close)
	return engine
}

func wantError(t *testing.T, err error, status Status, fragment string) *Error {
	t.Helper()
	var kerr *Error
	if !errors.As(err, &kerr) {
		t.Fatalf("want a kubeward error with status %d, got %v", status, err)
	}
	if kerr.Status != status || !strings.Contains(kerr.Message, fragment) {
		t.Fatalf("want status %d and %q, got %d: %s", status, fragment, kerr.Status, kerr.Message)
	}
	return kerr
}

func TestReportEqualsTheRustCoreReport(t *testing.T) {
	expectedPath := os.Getenv("KUBEWARD_EXPECTED")
	if expectedPath == "" {
		t.Skip("KUBEWARD_EXPECTED not set (scripts/test-ffi.sh sets it)")
	}
	expected, err := os.ReadFile(expectedPath)
	if err != nil {
		t.Fatal(err)
	}
	name, content := manifest(t)
	got, err := newEngine(t, nil).ScanJSON(name, content)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(expected) {
		t.Fatalf("report differs from %s:\n%s", expectedPath, got)
	}
}

func TestScanDecodesTheReport(t *testing.T) {
	name, content := manifest(t)
	report, err := newEngine(t, nil).Scan(name, content)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, finding := range report["findings"].([]any) {
		if finding.(map[string]any)["check"] == "no-privileged" {
			found = true
		}
	}
	if !found {
		t.Fatal("no no-privileged finding")
	}
}

func TestScanMany(t *testing.T) {
	name, content := manifest(t)
	pod := []byte("apiVersion: v1\nkind: Pod\nmetadata:\n  name: db\nspec:\n  containers:\n  - name: db\n    image: postgres\n")
	engine := newEngine(t, nil)
	text, err := engine.ScanManyJSON([]Source{{"pod.yaml", pod}, {name, content}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, `"file": "pod.yaml"`) || !strings.Contains(text, `"file": "`+name+`"`) {
		t.Fatalf("both files should be reported:\n%s", text)
	}
	_, err = engine.ScanManyJSON([]Source{{"pod.yaml", pod}, {"", content}})
	wantError(t, err, StatusInvalidInput, "sources[1].name is empty")
	_, err = engine.ScanManyJSON(nil)
	wantError(t, err, StatusInvalidInput, "sources is empty")
}

// expectedFile reads the file named by an environment variable, or skips the test.
func expectedFile(t *testing.T, variable string) string {
	t.Helper()
	path := os.Getenv(variable)
	if path == "" {
		t.Skipf("%s not set (scripts/test-ffi.sh sets it)", variable)
	}
	content, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(content)
}

func TestPSSEqualsTheRustCoreResult(t *testing.T) {
	expected := expectedFile(t, "KUBEWARD_EXPECTED_PSS")
	name, content := manifest(t)
	engine := newEngine(t, nil)
	got, err := engine.PSSJSON([]Source{{name, content}}, "restricted", "latest")
	if err != nil {
		t.Fatal(err)
	}
	if got != expected {
		t.Fatalf("Pod Security Standards result differs from the core's:\n%s", got)
	}
	_, err = engine.PSSJSON([]Source{{name, content}}, "strict", "latest")
	wantError(t, err, StatusInvalidInput, "unknown Pod Security level `strict`")
	_, err = engine.PSSJSON([]Source{{name, content}}, "baseline", "1.25")
	wantError(t, err, StatusInvalidInput, "invalid Pod Security version `1.25`")
}

func TestRBACReviewEqualsTheRustCoreReview(t *testing.T) {
	expected := expectedFile(t, "KUBEWARD_EXPECTED_RBAC")
	path := os.Getenv("KUBEWARD_RBAC_MANIFEST")
	content, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	engine := newEngine(t, nil)
	got, err := engine.RBACReviewJSON([]Source{{filepath.Base(path), content}})
	if err != nil {
		t.Fatal(err)
	}
	if got != expected {
		t.Fatalf("RBAC review differs from the core's:\n%s", got)
	}
	_, err = engine.RBACReviewJSON(nil)
	wantError(t, err, StatusInvalidInput, "sources is empty")
}

func TestInputErrors(t *testing.T) {
	name, content := manifest(t)
	engine := newEngine(t, nil)
	_, err := engine.ScanJSON("a\x00b.yaml", content)
	wantError(t, err, StatusInvalidInput, "NUL byte at offset 1")
	_, err = engine.ScanJSON("caf\xe9.yaml", content)
	wantError(t, err, StatusInvalidInput, "not valid UTF-8")
	_, err = engine.ScanJSON(name, []byte{})
	wantError(t, err, StatusInvalidInput, "content is empty")
	_, err = engine.ScanJSON(name, nil)
	wantError(t, err, StatusNullParameter, "content is NULL")
	// Non-UTF-8 manifest bytes are a document error in the report, not a call error.
	report, err := engine.Scan("bad.yaml", []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \xff\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(report["errors"].([]any)) == 0 {
		t.Fatal("want a document error")
	}
}

func TestConfiguration(t *testing.T) {
	name, content := manifest(t)
	engine := newEngine(t, []byte("checks:\n  no-privileged:\n    enabled: false\n"))
	text, err := engine.ScanJSON(name, content)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(text, `"check": "no-privileged"`) {
		t.Fatal("no-privileged should be disabled")
	}
	_, err = NewEngine([]byte("checks: {}\nbogus: 1\n"))
	kerr := wantError(t, err, StatusConfig, "bogus")
	if kerr.Position == nil || *kerr.Position != (Position{Line: 2, Column: 1, Offset: 11}) {
		t.Fatalf("want position 2:1 (offset 11), got %+v", kerr.Position)
	}
	_, err = NewEngine([]byte{})
	wantError(t, err, StatusInvalidInput, "config is empty")
}

func TestGoroutinesShareOneEngine(t *testing.T) {
	name, content := manifest(t)
	engine := newEngine(t, nil)
	want, err := engine.ScanJSON(name, content)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	failures := make(chan string, 64)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 5; i++ {
				got, err := engine.ScanJSON(name, content)
				if err != nil || got != want {
					failures <- "a concurrent scan differed"
				}
			}
		}()
	}
	wg.Wait()
	close(failures)
	for failure := range failures {
		t.Fatal(failure)
	}
}

func TestCatalogAndVersions(t *testing.T) {
	catalog, err := ChecksJSON()
	if err != nil || !strings.Contains(catalog, `"id": "no-privileged"`) {
		t.Fatalf("catalog: %v", err)
	}
	text, err := Explain("no-privileged")
	if err != nil || !strings.Contains(text, "no-privileged") {
		t.Fatalf("explain: %v", err)
	}
	_, err = Explain("no-such-check")
	wantError(t, err, StatusNotFound, `unknown check id "no-such-check"`)
	if Version() == "" {
		t.Fatal("empty version")
	}
	if LibraryABIVersion() != ABIVersion {
		t.Fatalf("ABI %d, want %d", LibraryABIVersion(), ABIVersion)
	}
}
