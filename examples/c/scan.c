/* Scans manifest files with kubeward's C API and prints the JSON report.
 *
 *   scan [--expect REPORT.json] FILE...
 *
 * Files are scanned together and reported under their base names. With --expect,
 * the program exits 1 unless the report equals the contents of REPORT.json. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kubeward.h"

/* Reads a whole file into a malloc'd buffer; returns NULL on failure. */
static unsigned char *read_file(const char *path, size_t *out_len) {
  FILE *file = fopen(path, "rb");
  if (file == NULL) {
    perror(path);
    return NULL;
  }
  size_t capacity = 4096, len = 0;
  unsigned char *data = malloc(capacity);
  while (data != NULL) {
    len += fread(data + len, 1, capacity - len, file);
    if (len < capacity) {
      break;
    }
    capacity *= 2;
    unsigned char *bigger = realloc(data, capacity);
    if (bigger == NULL) {
      free(data);
    }
    data = bigger;
  }
  if (data != NULL && ferror(file)) {
    perror(path);
    free(data);
    data = NULL;
  }
  fclose(file);
  *out_len = len;
  return data;
}

static const char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash == NULL ? path : slash + 1;
}

/* Prints an error object's message (and position, if any), then frees it. */
static void report_error(const char *what, kubeward_status status, kubeward_error *error) {
  kubeward_position position;
  if (error != NULL && kubeward_error_position(error, &position)) {
    fprintf(stderr, "%s failed (status %u) at line %u, column %u: %s\n", what, (unsigned)status,
            position.line, position.column, kubeward_error_message(error));
  } else {
    fprintf(stderr, "%s failed (status %u): %s\n", what, (unsigned)status,
            error != NULL ? kubeward_error_message(error) : "(no error object)");
  }
  kubeward_error_free(error);
}

int main(int argc, char **argv) {
  const char *expect_path = NULL;
  int first = 1;
  if (argc > 2 && strcmp(argv[1], "--expect") == 0) {
    expect_path = argv[2];
    first = 3;
  }
  if (first >= argc) {
    fprintf(stderr, "usage: %s [--expect REPORT.json] FILE...\n", argv[0]);
    return 2;
  }
  if (kubeward_abi_version() != KUBEWARD_ABI_VERSION) {
    fprintf(stderr, "library ABI %u, header ABI %u\n", kubeward_abi_version(), KUBEWARD_ABI_VERSION);
    return 2;
  }

  int status_code = 1;
  size_t count = (size_t)(argc - first);
  kubeward_source *sources = calloc(count, sizeof *sources);
  unsigned char **buffers = calloc(count, sizeof *buffers);
  kubeward_engine *engine = NULL;
  kubeward_error *error = NULL;
  char *json = NULL;
  size_t json_len = 0;
  if (sources == NULL || buffers == NULL) {
    goto done;
  }
  for (size_t i = 0; i < count; i++) {
    const char *path = argv[first + (int)i];
    buffers[i] = read_file(path, &sources[i].content_len);
    if (buffers[i] == NULL) {
      goto done;
    }
    sources[i].content = buffers[i];
    sources[i].name = base_name(path);
    sources[i].name_len = strlen(sources[i].name);
  }

  /* NULL, 0: the default configuration. */
  kubeward_status status = kubeward_engine_new(NULL, 0, &engine, &error);
  if (status != KUBEWARD_STATUS_OK) {
    report_error("kubeward_engine_new", status, error);
    goto done;
  }
  status = kubeward_engine_scan_many(engine, sources, count, &json, &json_len, &error);
  if (status != KUBEWARD_STATUS_OK) {
    report_error("kubeward_engine_scan_many", status, error);
    goto done;
  }
  printf("%s\n", json);

  status_code = 0;
  if (expect_path != NULL) {
    size_t expected_len = 0;
    unsigned char *expected = read_file(expect_path, &expected_len);
    if (expected == NULL || expected_len != json_len || memcmp(expected, json, json_len) != 0) {
      fprintf(stderr, "the report differs from %s\n", expect_path);
      status_code = 1;
    }
    free(expected);
  }

done:
  kubeward_string_free(json);
  kubeward_engine_free(engine);
  for (size_t i = 0; buffers != NULL && i < count; i++) {
    free(buffers[i]);
  }
  free(buffers);
  free(sources);
  return status_code;
}
