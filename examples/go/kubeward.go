// Package kubeward scans Kubernetes manifests through kubeward's C API (cgo).
//
// It builds against the installed C library, found through pkg-config
// (`make -C crates/ffi && sudo make -C crates/ffi install`; for another prefix,
// point PKG_CONFIG_PATH at its lib/pkgconfig):
//
//	PKG_CONFIG_PATH=<prefix>/lib/pkgconfig go test ./...
//
// An Engine may be used from many goroutines at once.
package kubeward

/*
#cgo pkg-config: kubeward
#include <stdlib.h>
#include <string.h>
#include "kubeward.h"
*/
import "C"

import (
	"encoding/json"
	"fmt"
	"runtime"
	"unsafe"
)

// ABIVersion is the C ABI version this package was written against.
const ABIVersion = 1

// Status is a kubeward_status code.
type Status uint32

// The status codes of kubeward.h.
const (
	StatusOK            Status = C.KUBEWARD_STATUS_OK
	StatusNullParameter Status = C.KUBEWARD_STATUS_NULL_PARAMETER
	StatusInvalidInput  Status = C.KUBEWARD_STATUS_INVALID_INPUT
	StatusConfig        Status = C.KUBEWARD_STATUS_CONFIG
	StatusNotFound      Status = C.KUBEWARD_STATUS_NOT_FOUND
	StatusPanic         Status = C.KUBEWARD_STATUS_PANIC
	StatusInternal      Status = C.KUBEWARD_STATUS_INTERNAL
)

// Position is a place in a text: 1-based line and column, 0-based byte offset.
type Position struct {
	Line, Column, Offset uint32
}

// Error is a failed call.
type Error struct {
	Status   Status
	Message  string
	Position *Position // nil when the error concerns no position
}

func (e *Error) Error() string { return fmt.Sprintf("kubeward (status %d): %s", e.Status, e.Message) }

// takeError reads and frees an error object.
func takeError(status C.kubeward_status, cerr *C.kubeward_error) error {
	if cerr == nil {
		return &Error{Status: Status(status), Message: "kubeward call failed"}
	}
	defer C.kubeward_error_free(cerr)
	err := &Error{Status: Status(status), Message: C.GoString(C.kubeward_error_message(cerr))}
	var position C.kubeward_position
	if C.kubeward_error_position(cerr, &position) {
		err.Position = &Position{uint32(position.line), uint32(position.column), uint32(position.offset)}
	}
	return err
}

// takeString copies and frees a library-owned string.
func takeString(s *C.char, n C.size_t) string {
	defer C.kubeward_string_free(s)
	return C.GoStringN(s, C.int(n))
}

// emptyByte gives empty non-nil slices an address, so that the library sees a
// non-NULL pointer of length 0 (and reports it) rather than NULL.
var emptyByte byte

// bytesPtr points at b's first byte: NULL for a nil slice, a valid address for an
// empty one.
func bytesPtr(b []byte) unsafe.Pointer {
	if b == nil {
		return nil
	}
	if len(b) == 0 {
		return unsafe.Pointer(&emptyByte)
	}
	return unsafe.Pointer(&b[0])
}

// cCopy copies b into C memory (freed with C.free): NULL for a nil slice, and a
// valid pointer, even for an empty slice, otherwise.
func cCopy(b []byte) unsafe.Pointer {
	if b == nil {
		return nil
	}
	p := C.malloc(C.size_t(len(b) + 1))
	if p == nil {
		panic("kubeward: out of memory")
	}
	if len(b) > 0 {
		C.memcpy(p, unsafe.Pointer(&b[0]), C.size_t(len(b)))
	}
	return p
}

// Engine is a configured kubeward engine.
type Engine struct {
	handle *C.kubeward_engine
}

// NewEngine builds an engine from a YAML or JSON configuration; nil means the
// default (an empty, non-nil configuration is an input error, as in C).
func NewEngine(config []byte) (*Engine, error) {
	var handle *C.kubeward_engine
	var cerr *C.kubeward_error
	status := C.kubeward_engine_new((*C.char)(bytesPtr(config)), C.size_t(len(config)), &handle, &cerr)
	if status != C.KUBEWARD_STATUS_OK {
		return nil, takeError(status, cerr)
	}
	engine := &Engine{handle: handle}
	runtime.SetFinalizer(engine, (*Engine).Close)
	return engine, nil
}

// Close frees the engine. It must not be called while a scan is running.
func (e *Engine) Close() {
	if e.handle != nil {
		C.kubeward_engine_free(e.handle)
		e.handle = nil
	}
}

// ScanJSON scans one buffer and returns the JSON report text.
func (e *Engine) ScanJSON(name string, content []byte) (string, error) {
	nameBytes := []byte(name)
	var out *C.char
	var n C.size_t
	var cerr *C.kubeward_error
	status := C.kubeward_engine_scan(e.handle, (*C.char)(bytesPtr(nameBytes)), C.size_t(len(nameBytes)),
		(*C.uint8_t)(bytesPtr(content)), C.size_t(len(content)), &out, &n, &cerr)
	runtime.KeepAlive(e)
	if status != C.KUBEWARD_STATUS_OK {
		return "", takeError(status, cerr)
	}
	return takeString(out, n), nil
}

// Scan scans one buffer and returns the decoded report.
func (e *Engine) Scan(name string, content []byte) (map[string]any, error) {
	text, err := e.ScanJSON(name, content)
	if err != nil {
		return nil, err
	}
	var report map[string]any
	return report, json.Unmarshal([]byte(text), &report)
}

// Source is one named buffer for ScanMany.
type Source struct {
	Name    string
	Content []byte
}

// cSources copies sources into C memory as a kubeward_source array. The array
// holds pointers, so it and the buffers live in C memory (cgo forbids passing Go
// memory that holds Go pointers); call the returned function to free them all.
func cSources(sources []Source) (*C.kubeward_source, func()) {
	count := len(sources)
	array := (*C.kubeward_source)(C.calloc(C.size_t(count+1), C.size_t(unsafe.Sizeof(C.kubeward_source{}))))
	if array == nil {
		panic("kubeward: out of memory")
	}
	buffers := make([]unsafe.Pointer, 0, 2*count)
	items := unsafe.Slice(array, count+1)[:count]
	for i, source := range sources {
		name := cCopy([]byte(source.Name))
		content := cCopy(source.Content)
		buffers = append(buffers, name, content)
		items[i].name = (*C.char)(name)
		items[i].name_len = C.size_t(len(source.Name))
		items[i].content = (*C.uint8_t)(content)
		items[i].content_len = C.size_t(len(source.Content))
	}
	return array, func() {
		for _, buffer := range buffers {
			C.free(buffer)
		}
		C.free(unsafe.Pointer(array))
	}
}

// ScanManyJSON scans several buffers together and returns the JSON report text.
func (e *Engine) ScanManyJSON(sources []Source) (string, error) {
	array, free := cSources(sources)
	defer free()
	var out *C.char
	var n C.size_t
	var cerr *C.kubeward_error
	status := C.kubeward_engine_scan_many(e.handle, array, C.size_t(len(sources)), &out, &n, &cerr)
	runtime.KeepAlive(e)
	if status != C.KUBEWARD_STATUS_OK {
		return "", takeError(status, cerr)
	}
	return takeString(out, n), nil
}

// PSSJSON evaluates the objects of sources against a Pod Security Standards level
// ("privileged", "baseline", "restricted") and version ("latest", "v1.30", ...) and
// returns the JSON result text. An unknown level or version is a StatusInvalidInput error.
func (e *Engine) PSSJSON(sources []Source, level, version string) (string, error) {
	array, free := cSources(sources)
	defer free()
	levelBytes, versionBytes := []byte(level), []byte(version)
	var out *C.char
	var n C.size_t
	var cerr *C.kubeward_error
	status := C.kubeward_engine_pss(e.handle, array, C.size_t(len(sources)),
		(*C.char)(bytesPtr(levelBytes)), C.size_t(len(levelBytes)),
		(*C.char)(bytesPtr(versionBytes)), C.size_t(len(versionBytes)), &out, &n, &cerr)
	runtime.KeepAlive(e)
	if status != C.KUBEWARD_STATUS_OK {
		return "", takeError(status, cerr)
	}
	return takeString(out, n), nil
}

// RBACReviewJSON reviews the RBAC objects of sources (who can do what) and returns
// the JSON review text.
func (e *Engine) RBACReviewJSON(sources []Source) (string, error) {
	array, free := cSources(sources)
	defer free()
	var out *C.char
	var n C.size_t
	var cerr *C.kubeward_error
	status := C.kubeward_engine_rbac_review(e.handle, array, C.size_t(len(sources)), &out, &n, &cerr)
	runtime.KeepAlive(e)
	if status != C.KUBEWARD_STATUS_OK {
		return "", takeError(status, cerr)
	}
	return takeString(out, n), nil
}

// ChecksJSON returns the catalog of checks as JSON.
func ChecksJSON() (string, error) {
	var out *C.char
	var n C.size_t
	var cerr *C.kubeward_error
	if status := C.kubeward_checks_json(&out, &n, &cerr); status != C.KUBEWARD_STATUS_OK {
		return "", takeError(status, cerr)
	}
	return takeString(out, n), nil
}

// Explain returns the documentation of one check.
func Explain(id string) (string, error) {
	idBytes := []byte(id)
	var out *C.char
	var n C.size_t
	var cerr *C.kubeward_error
	status := C.kubeward_explain((*C.char)(bytesPtr(idBytes)), C.size_t(len(idBytes)), &out, &n, &cerr)
	if status != C.KUBEWARD_STATUS_OK {
		return "", takeError(status, cerr)
	}
	return takeString(out, n), nil
}

// Version returns the library version.
func Version() string { return C.GoString(C.kubeward_version()) }

// LibraryABIVersion returns the ABI version of the loaded library.
func LibraryABIVersion() uint32 { return uint32(C.kubeward_abi_version()) }
