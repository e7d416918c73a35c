/* Tests of kubeward's C API from C: ownership, error objects, input rules and
 * threads. Run under valgrind by scripts/test-ffi.sh. Exits 1 if any check fails.
 *
 *   test_api MANIFEST EXPECTED_REPORT.json EXPECTED_PSS.json RBAC_MANIFEST EXPECTED_RBAC.json
 *
 * EXPECTED_REPORT.json is the Rust core's report for MANIFEST scanned alone under
 * its base name, EXPECTED_PSS.json its Pod Security Standards result for MANIFEST
 * (restricted, latest) and EXPECTED_RBAC.json its RBAC review of RBAC_MANIFEST. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kubeward.h"

static int passed = 0, failed = 0;

#define CHECK(condition)                                                   \
  do {                                                                     \
    if (condition) {                                                       \
      passed++;                                                            \
    } else {                                                               \
      failed++;                                                            \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
    }                                                                      \
  } while (0)

static char *read_file(const char *path, size_t *out_len) {
  FILE *file = fopen(path, "rb");
  if (file == NULL || fseek(file, 0, SEEK_END) != 0) {
    perror(path);
    exit(2);
  }
  long size = ftell(file);
  rewind(file);
  char *data = malloc((size_t)size + 1);
  if (data == NULL || fread(data, 1, (size_t)size, file) != (size_t)size) {
    perror(path);
    exit(2);
  }
  data[size] = '\0';
  fclose(file);
  *out_len = (size_t)size;
  return data;
}

/* Checks that `status` is a failure with the given code and an error object whose
 * message contains `needle`; frees the error. */
static void expect_error(kubeward_status status, kubeward_error *error, kubeward_status code, const char *needle) {
  CHECK(status == code);
  CHECK(error != NULL);
  if (error != NULL) {
    CHECK(kubeward_error_status(error) == code);
    const char *message = kubeward_error_message(error);
    CHECK(message != NULL && strstr(message, needle) != NULL);
    if (message != NULL && strstr(message, needle) == NULL) {
      fprintf(stderr, "  message was: %s (wanted %s)\n", message, needle);
    }
  }
  kubeward_error_free(error);
}

/* Runs `call` (which passes `&error`) and checks its failure with expect_error. The
 * status is taken before `error` is read: C leaves argument evaluation order open. */
#define EXPECT_ERROR(call, code, needle)              \
  do {                                                \
    error = NULL;                                     \
    kubeward_status status_ = (call);                 \
    expect_error(status_, error, code, needle);       \
  } while (0)

static const char *manifest;
static size_t manifest_len;
static const char *expected;
static size_t expected_len;
static const char *name;

struct worker {
  const kubeward_engine *engine;
  int mismatches;
};

static void *scan_repeatedly(void *arg) {
  struct worker *worker = arg;
  for (int round = 0; round < 10; round++) {
    char *json = NULL;
    size_t len = 0;
    kubeward_status status = kubeward_engine_scan(worker->engine, name, strlen(name),
                                                  (const uint8_t *)manifest, manifest_len, &json, &len, NULL);
    if (status != KUBEWARD_STATUS_OK || len != expected_len || memcmp(json, expected, len) != 0) {
      worker->mismatches++;
    }
    kubeward_string_free(json);
  }
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: %s MANIFEST EXPECTED_REPORT.json EXPECTED_PSS.json RBAC_MANIFEST EXPECTED_RBAC.json\n",
            argv[0]);
    return 2;
  }
  char *manifest_data = read_file(argv[1], &manifest_len);
  char *expected_data = read_file(argv[2], &expected_len);
  size_t expected_pss_len = 0, rbac_len = 0, expected_rbac_len = 0;
  char *expected_pss = read_file(argv[3], &expected_pss_len);
  char *rbac_data = read_file(argv[4], &rbac_len);
  char *expected_rbac = read_file(argv[5], &expected_rbac_len);
  const char *rbac_name = strrchr(argv[4], '/') ? strrchr(argv[4], '/') + 1 : argv[4];
  manifest = manifest_data;
  expected = expected_data;
  name = strrchr(argv[1], '/') ? strrchr(argv[1], '/') + 1 : argv[1];
  const uint8_t *bytes = (const uint8_t *)manifest;

  /* Versions. */
  CHECK(kubeward_abi_version() == KUBEWARD_ABI_VERSION);
  CHECK(kubeward_version() != NULL && strlen(kubeward_version()) > 0);

  /* Default engine; the report equals the Rust core's. */
  kubeward_engine *engine = NULL;
  kubeward_error *error = NULL;
  CHECK(kubeward_engine_new(NULL, 0, &engine, &error) == KUBEWARD_STATUS_OK);
  CHECK(engine != NULL && error == NULL);
  char *json = NULL;
  size_t json_len = 0;
  CHECK(kubeward_engine_scan(engine, name, strlen(name), bytes, manifest_len, &json, &json_len, &error) ==
        KUBEWARD_STATUS_OK);
  CHECK(json != NULL && json_len == strlen(json));
  CHECK(json != NULL && json_len == expected_len && memcmp(json, expected, expected_len) == 0);
  kubeward_string_free(json);

  /* Out-parameters are written only on success. */
  char *untouched = (char *)"sentinel";
  size_t untouched_len = 99;
  EXPECT_ERROR(kubeward_engine_scan(engine, NULL, 3, bytes, manifest_len, &untouched, &untouched_len, &error),
               KUBEWARD_STATUS_NULL_PARAMETER, "name is NULL");
  CHECK(strcmp(untouched, "sentinel") == 0 && untouched_len == 99);

  /* NULL pointers and zero lengths are errors. */
  error = NULL;
  kubeward_status status = kubeward_engine_scan(NULL, name, strlen(name), bytes, manifest_len, &json, NULL, &error);
  expect_error(status, error, KUBEWARD_STATUS_NULL_PARAMETER, "engine is NULL");
  error = NULL;
  status = kubeward_engine_scan(engine, name, strlen(name), NULL, 10, &json, NULL, &error);
  expect_error(status, error, KUBEWARD_STATUS_NULL_PARAMETER, "content is NULL");
  error = NULL;
  status = kubeward_engine_scan(engine, name, strlen(name), bytes, manifest_len, NULL, NULL, &error);
  expect_error(status, error, KUBEWARD_STATUS_NULL_PARAMETER, "out_json is NULL");
  error = NULL;
  status = kubeward_engine_scan(engine, name, 0, bytes, manifest_len, &json, NULL, &error);
  expect_error(status, error, KUBEWARD_STATUS_INVALID_INPUT, "name is empty");
  error = NULL;
  status = kubeward_engine_scan(engine, name, strlen(name), bytes, 0, &json, NULL, &error);
  expect_error(status, error, KUBEWARD_STATUS_INVALID_INPUT, "content is empty");
  /* Without out_error, the status alone. */
  CHECK(kubeward_engine_scan(engine, name, 0, bytes, manifest_len, &json, NULL, NULL) ==
        KUBEWARD_STATUS_INVALID_INPUT);

  /* Names are length-delimited UTF-8: an embedded NUL or invalid UTF-8 is an input error. */
  error = NULL;
  status = kubeward_engine_scan(engine, "a\0b.yaml", 8, bytes, manifest_len, &json, NULL, &error);
  expect_error(status, error, KUBEWARD_STATUS_INVALID_INPUT, "NUL byte at offset 1");
  error = NULL;
  status = kubeward_engine_scan(engine, "caf\xe9.yaml", 9, bytes, manifest_len, &json, NULL, &error);
  expect_error(status, error, KUBEWARD_STATUS_INVALID_INPUT, "not valid UTF-8");

  /* Manifest bytes need not be UTF-8: the report carries a document error. */
  const char bad[] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \xff\xfe\n";
  json = NULL;
  CHECK(kubeward_engine_scan(engine, "bad.yaml", 8, (const uint8_t *)bad, sizeof bad - 1, &json, NULL, NULL) ==
        KUBEWARD_STATUS_OK);
  CHECK(json != NULL && strstr(json, "\"errors\": [\n    {") != NULL);
  kubeward_string_free(json);

  /* Several named buffers together. */
  const char pod[] = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: db\nspec:\n  containers:\n  - name: db\n    image: postgres\n";
  kubeward_source sources[2] = {
      {.name = "pod.yaml", .name_len = 8, .content = (const uint8_t *)pod, .content_len = sizeof pod - 1},
      {.name = name, .name_len = strlen(name), .content = bytes, .content_len = manifest_len},
  };
  json = NULL;
  CHECK(kubeward_engine_scan_many(engine, sources, 2, &json, &json_len, NULL) == KUBEWARD_STATUS_OK);
  CHECK(json != NULL && strstr(json, "\"file\": \"pod.yaml\"") != NULL && strstr(json, name) != NULL);
  kubeward_string_free(json);
  sources[1].name_len = 0;
  EXPECT_ERROR(kubeward_engine_scan_many(engine, sources, 2, &json, NULL, &error), KUBEWARD_STATUS_INVALID_INPUT,
               "sources[1].name is empty");
  EXPECT_ERROR(kubeward_engine_scan_many(engine, NULL, 2, &json, NULL, &error), KUBEWARD_STATUS_NULL_PARAMETER, "sources is NULL");
  EXPECT_ERROR(kubeward_engine_scan_many(engine, sources, 0, &json, NULL, &error), KUBEWARD_STATUS_INVALID_INPUT, "sources is empty");

  /* Pod Security Standards: the result equals the Rust core's; an unknown level or
   * version is an input error that leaves the out-parameters alone. */
  const kubeward_source shop[1] = {{.name = name, .name_len = strlen(name), .content = bytes, .content_len = manifest_len}};
  json = NULL;
  CHECK(kubeward_engine_pss(engine, shop, 1, "restricted", 10, "latest", 6, &json, &json_len, &error) ==
        KUBEWARD_STATUS_OK);
  CHECK(json != NULL && json_len == expected_pss_len && memcmp(json, expected_pss, expected_pss_len) == 0);
  kubeward_string_free(json);
  EXPECT_ERROR(kubeward_engine_pss(engine, shop, 1, "strict", 6, "latest", 6, &untouched, &untouched_len, &error),
               KUBEWARD_STATUS_INVALID_INPUT, "unknown Pod Security level `strict`");
  CHECK(strcmp(untouched, "sentinel") == 0 && untouched_len == 99);
  EXPECT_ERROR(kubeward_engine_pss(engine, shop, 1, "baseline", 8, "1.25", 4, &json, NULL, &error),
               KUBEWARD_STATUS_INVALID_INPUT, "invalid Pod Security version `1.25`");
  EXPECT_ERROR(kubeward_engine_pss(engine, shop, 1, NULL, 8, "latest", 6, &json, NULL, &error),
               KUBEWARD_STATUS_NULL_PARAMETER, "level is NULL");

  /* RBAC review: equals the Rust core's. */
  const kubeward_source rbac[1] = {
      {.name = rbac_name, .name_len = strlen(rbac_name), .content = (const uint8_t *)rbac_data, .content_len = rbac_len}};
  json = NULL;
  CHECK(kubeward_engine_rbac_review(engine, rbac, 1, &json, &json_len, NULL) == KUBEWARD_STATUS_OK);
  CHECK(json != NULL && json_len == expected_rbac_len && memcmp(json, expected_rbac, expected_rbac_len) == 0);
  kubeward_string_free(json);
  EXPECT_ERROR(kubeward_engine_rbac_review(engine, NULL, 1, &json, NULL, &error), KUBEWARD_STATUS_NULL_PARAMETER,
               "sources is NULL");
  EXPECT_ERROR(kubeward_engine_rbac_review(engine, rbac, 1, NULL, NULL, &error), KUBEWARD_STATUS_NULL_PARAMETER,
               "out_json is NULL");

  /* One engine, many threads at once. */
  struct worker workers[4];
  pthread_t threads[4];
  for (int i = 0; i < 4; i++) {
    workers[i].engine = engine;
    workers[i].mismatches = 0;
    CHECK(pthread_create(&threads[i], NULL, scan_repeatedly, &workers[i]) == 0);
  }
  for (int i = 0; i < 4; i++) {
    CHECK(pthread_join(threads[i], NULL) == 0);
    CHECK(workers[i].mismatches == 0);
  }
  kubeward_engine_free(engine);

  /* Configuration: applied, and errors carry a position. */
  const char config[] = "checks:\n  no-privileged:\n    enabled: false\n";
  engine = NULL;
  CHECK(kubeward_engine_new(config, sizeof config - 1, &engine, NULL) == KUBEWARD_STATUS_OK);
  json = NULL;
  CHECK(kubeward_engine_scan(engine, name, strlen(name), bytes, manifest_len, &json, NULL, NULL) ==
        KUBEWARD_STATUS_OK);
  CHECK(json != NULL && strstr(json, "\"check\": \"no-privileged\"") == NULL);
  kubeward_string_free(json);
  kubeward_engine_free(engine);

  const char bad_config[] = "checks: {}\nbogus: 1\n";
  kubeward_engine *not_built = (kubeward_engine *)&passed; /* a sentinel; never dereferenced */
  error = NULL;
  status = kubeward_engine_new(bad_config, sizeof bad_config - 1, &not_built, &error);
  CHECK(status == KUBEWARD_STATUS_CONFIG);
  CHECK(not_built == (kubeward_engine *)&passed);
  kubeward_position position = {0, 0, 0};
  CHECK(kubeward_error_position(error, &position));
  CHECK(position.line == 2 && position.column == 1 && position.offset == 11);
  expect_error(status, error, KUBEWARD_STATUS_CONFIG, "bogus");
  EXPECT_ERROR(kubeward_engine_new(bad_config, 0, &engine, &error), KUBEWARD_STATUS_INVALID_INPUT, "config is empty");
  EXPECT_ERROR(kubeward_engine_new(NULL, 5, &engine, &error), KUBEWARD_STATUS_NULL_PARAMETER, "config is NULL");
  EXPECT_ERROR(kubeward_engine_new(NULL, 0, NULL, &error), KUBEWARD_STATUS_NULL_PARAMETER, "out_engine is NULL");

  /* Catalog and explain. */
  json = NULL;
  CHECK(kubeward_checks_json(&json, &json_len, NULL) == KUBEWARD_STATUS_OK);
  CHECK(json != NULL && json[0] == '[' && strstr(json, "\"id\": \"no-privileged\"") != NULL);
  kubeward_string_free(json);
  char *text = NULL;
  size_t text_len = 0;
  CHECK(kubeward_explain("no-privileged", 13, &text, &text_len, NULL) == KUBEWARD_STATUS_OK);
  CHECK(text != NULL && text_len == strlen(text) && strstr(text, "no-privileged") != NULL);
  kubeward_string_free(text);
  text = NULL;
  EXPECT_ERROR(kubeward_explain("nope", 4, &text, NULL, &error), KUBEWARD_STATUS_NOT_FOUND, "unknown check id \"nope\"");
  CHECK(text == NULL);

  /* Fixes: the safe ones by default, merged into one securityContext; a second pass changes nothing. */
  engine = NULL;
  CHECK(kubeward_engine_new(NULL, 0, &engine, NULL) == KUBEWARD_STATUS_OK);
  const char fix_pod[] = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web # the web pod\nspec:\n  containers:\n"
                     "  - name: app\n    image: registry.example.com/app:1.0\n";
  const char fixed_pod[] = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web # the web pod\nspec:\n  containers:\n"
                           "  - name: app\n    image: registry.example.com/app:1.0\n    securityContext:\n"
                           "      allowPrivilegeEscalation: false\n      seccompProfile:\n        type: RuntimeDefault\n"
                           "  automountServiceAccountToken: false\n";
  char *fixed = NULL;
  size_t fixed_len = 0;
  CHECK(kubeward_engine_fix(engine, "pod.yaml", 8, fix_pod, sizeof fix_pod - 1, NULL, 0, &fixed, &fixed_len, NULL) ==
        KUBEWARD_STATUS_OK);
  CHECK(fixed != NULL && fixed_len == sizeof fixed_pod - 1 && strcmp(fixed, fixed_pod) == 0);
  char *again = NULL;
  CHECK(kubeward_engine_fix(engine, "pod.yaml", 8, fixed, fixed_len, "safe", 4, &again, NULL, NULL) ==
        KUBEWARD_STATUS_OK);
  CHECK(again != NULL && strcmp(again, fixed) == 0);
  kubeward_string_free(again);
  kubeward_string_free(fixed);
  fixed = NULL;
  CHECK(kubeward_engine_fix(engine, "pod.yaml", 8, fix_pod, sizeof fix_pod - 1, "read-only-root-filesystem", 25, &fixed,
                            NULL, NULL) == KUBEWARD_STATUS_OK);
  CHECK(fixed != NULL && strstr(fixed, "readOnlyRootFilesystem: true") != NULL &&
        strstr(fixed, "allowPrivilegeEscalation") == NULL);
  kubeward_string_free(fixed);
  fixed = NULL;
  EXPECT_ERROR(kubeward_engine_fix(engine, "pod.yaml", 8, fix_pod, sizeof fix_pod - 1, "nope", 4, &fixed, NULL, &error),
               KUBEWARD_STATUS_NOT_FOUND, "unknown check `nope`");
  CHECK(fixed == NULL);
  kubeward_engine_free(engine);

  /* Free functions and accessors accept NULL. */
  kubeward_engine_free(NULL);
  kubeward_string_free(NULL);
  kubeward_error_free(NULL);
  CHECK(kubeward_error_message(NULL) == NULL);
  CHECK(kubeward_error_status(NULL) == KUBEWARD_STATUS_NULL_PARAMETER);
  CHECK(!kubeward_error_position(NULL, &position));

  free(manifest_data);
  free(expected_data);
  free(expected_pss);
  free(rbac_data);
  free(expected_rbac);
  printf("test_api: %d checks ok, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
