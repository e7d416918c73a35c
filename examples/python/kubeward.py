"""kubeward for Python through its C API, with nothing but ctypes.

    from kubeward import Engine
    engine = Engine()                      # or Engine("checks:\\n  no-privileged:\\n    enabled: false\\n")
    report = engine.scan("deploy.yaml", open("deploy.yaml", "rb").read())   # a dict
    for finding in report["findings"]:
        print(finding["check"], finding["message"])

The shared library is looked up in $KUBEWARD_LIB (a path to the library), then
in target/debug and target/release of the repository holding this file, then
among the installed libraries (`make -C crates/ffi install`: libkubeward.so.1).
"""

import ctypes
import ctypes.util
import json
import os

__all__ = ["Engine", "KubewardError", "checks", "explain", "version", "ABI_VERSION"]

# The ABI this module was written against (KUBEWARD_ABI_VERSION in kubeward.h).
ABI_VERSION = 1

STATUS_NAMES = {
    0: "OK",
    1: "NULL_PARAMETER",
    2: "INVALID_INPUT",
    3: "CONFIG",
    4: "NOT_FOUND",
    5: "PANIC",
    6: "INTERNAL",
}


class KubewardError(Exception):
    """A failed call: `status` (int), `status_name`, `message`, and `position`
    (a (line, column, offset) tuple, or None)."""

    def __init__(self, status, message, position=None):
        super().__init__(message)
        self.status = status
        self.status_name = STATUS_NAMES.get(status, "UNKNOWN")
        self.message = message
        self.position = position


class _Position(ctypes.Structure):
    _fields_ = [("line", ctypes.c_uint32), ("column", ctypes.c_uint32), ("offset", ctypes.c_uint32)]


class _Source(ctypes.Structure):
    _fields_ = [
        ("name", ctypes.c_char_p),
        ("name_len", ctypes.c_size_t),
        ("content", ctypes.c_char_p),
        ("content_len", ctypes.c_size_t),
    ]


def _find_library():
    explicit = os.environ.get("KUBEWARD_LIB")
    if explicit:
        return explicit
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(root, "target")
    for profile in ("debug", "release"):
        candidate = os.path.join(target, profile, "libkubeward_ffi.so")
        if os.path.exists(candidate):
            return candidate
    installed = ctypes.util.find_library("kubeward")
    if installed:
        return installed
    raise OSError(
        "kubeward's C library not found: install it (make -C crates/ffi install), "
        "build it (cargo build -p kubeward-ffi) or set KUBEWARD_LIB"
    )


def _load():
    lib = ctypes.CDLL(_find_library())
    status = ctypes.c_uint32
    out_string = ctypes.POINTER(ctypes.c_void_p)
    out_error = ctypes.POINTER(ctypes.c_void_p)
    size_p = ctypes.POINTER(ctypes.c_size_t)
    signatures = {
        "kubeward_engine_new": (status, [ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_void_p), out_error]),
        "kubeward_engine_free": (None, [ctypes.c_void_p]),
        "kubeward_engine_scan": (
            status,
            [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t,
             out_string, size_p, out_error],
        ),
        "kubeward_engine_scan_many": (
            status,
            [ctypes.c_void_p, ctypes.POINTER(_Source), ctypes.c_size_t, out_string, size_p, out_error],
        ),
        "kubeward_engine_pss": (
            status,
            [ctypes.c_void_p, ctypes.POINTER(_Source), ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t,
             ctypes.c_char_p, ctypes.c_size_t, out_string, size_p, out_error],
        ),
        "kubeward_engine_rbac_review": (
            status,
            [ctypes.c_void_p, ctypes.POINTER(_Source), ctypes.c_size_t, out_string, size_p, out_error],
        ),
        "kubeward_engine_new_with_policies": (
            status,
            [ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(_Source), ctypes.c_size_t, ctypes.POINTER(ctypes.c_void_p), out_error],
        ),
        "kubeward_checks_json": (status, [out_string, size_p, out_error]),
        "kubeward_explain": (status, [ctypes.c_char_p, ctypes.c_size_t, out_string, size_p, out_error]),
        "kubeward_string_free": (None, [ctypes.c_void_p]),
        "kubeward_version": (ctypes.c_char_p, []),
        "kubeward_abi_version": (ctypes.c_uint32, []),
        "kubeward_error_status": (status, [ctypes.c_void_p]),
        "kubeward_error_message": (ctypes.c_char_p, [ctypes.c_void_p]),
        "kubeward_error_position": (ctypes.c_bool, [ctypes.c_void_p, ctypes.POINTER(_Position)]),
        "kubeward_error_free": (None, [ctypes.c_void_p]),
    }
    for name, (restype, argtypes) in signatures.items():
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = argtypes
    if lib.kubeward_abi_version() != ABI_VERSION:
        raise OSError(f"libkubeward_ffi has ABI {lib.kubeward_abi_version()}, this module needs {ABI_VERSION}")
    return lib


_lib = _load()


def _raise(status, error):
    """Reads and frees an error object, then raises it as a KubewardError."""
    try:
        if not error.value:
            raise KubewardError(status, f"kubeward call failed with status {STATUS_NAMES.get(status, status)}")
        message = _lib.kubeward_error_message(error).decode("utf-8", "replace")
        position = _Position()
        where = None
        if _lib.kubeward_error_position(error, ctypes.byref(position)):
            where = (position.line, position.column, position.offset)
        raise KubewardError(status, message, where)
    finally:
        _lib.kubeward_error_free(error)


def _call_for_string(function, *args):
    """Calls a function whose last three parameters are out_string, out_len, out_error."""
    out = ctypes.c_void_p()
    length = ctypes.c_size_t()
    error = ctypes.c_void_p()
    status = function(*args, ctypes.byref(out), ctypes.byref(length), ctypes.byref(error))
    if status != 0:
        _raise(status, error)
    try:
        return ctypes.string_at(out, length.value).decode("utf-8")
    finally:
        _lib.kubeward_string_free(out)


def _text(value):
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


class Engine:
    """A configured engine. Safe to share between threads; close() (or a `with`
    block) frees it."""

    def __init__(self, config=None, policies=None):
        """`config`: YAML or JSON text (None for the defaults). `policies`: (name,
        content) pairs of policy files (ValidatingAdmissionPolicies in CEL, their
        bindings and parameters; docs/policies.md), compiled now."""
        self._handle = None
        handle = ctypes.c_void_p()
        error = ctypes.c_void_p()
        text = None if config is None else _text(config)
        if policies:
            array, count = _sources(policies)
            status = _lib.kubeward_engine_new_with_policies(
                text, 0 if text is None else len(text), array, count, ctypes.byref(handle), ctypes.byref(error)
            )
        elif text is None:
            status = _lib.kubeward_engine_new(None, 0, ctypes.byref(handle), ctypes.byref(error))
        else:
            status = _lib.kubeward_engine_new(text, len(text), ctypes.byref(handle), ctypes.byref(error))
        if status != 0:
            _raise(status, error)
        self._handle = handle

    def close(self):
        if self._handle is not None:
            _lib.kubeward_engine_free(self._handle)
            self._handle = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()

    def _live(self):
        if self._handle is None:
            raise ValueError("engine is closed")
        return self._handle

    def scan_json(self, name, content):
        """Scans one buffer (bytes; need not be UTF-8) and returns the JSON report text."""
        name, content = _text(name), bytes(content)
        return _call_for_string(_lib.kubeward_engine_scan, self._live(), name, len(name), content, len(content))

    def scan(self, name, content):
        """Scans one buffer and returns the report as a dict."""
        return json.loads(self.scan_json(name, content))

    def scan_many_json(self, sources):
        """Scans (name, content) pairs together and returns the JSON report text."""
        array, count = _sources(sources)
        return _call_for_string(_lib.kubeward_engine_scan_many, self._live(), array, count)

    def scan_many(self, sources):
        """Scans (name, content) pairs together and returns the report as a dict."""
        return json.loads(self.scan_many_json(sources))

    def pss_json(self, sources, level, version="latest"):
        """Evaluates (name, content) pairs against a Pod Security Standards level
        ("privileged", "baseline", "restricted") and version ("latest", "v1.30", ...)
        and returns the JSON result text. An unknown level or version raises
        KubewardError (INVALID_INPUT)."""
        array, count = _sources(sources)
        level, version = _text(level), _text(version)
        return _call_for_string(
            _lib.kubeward_engine_pss, self._live(), array, count, level, len(level), version, len(version)
        )

    def pss(self, sources, level, version="latest"):
        """Like pss_json, decoded into a dict."""
        return json.loads(self.pss_json(sources, level, version))

    def rbac_review_json(self, sources):
        """Reviews the RBAC objects of (name, content) pairs (who can do what) and
        returns the JSON review text."""
        array, count = _sources(sources)
        return _call_for_string(_lib.kubeward_engine_rbac_review, self._live(), array, count)

    def rbac_review(self, sources):
        """Like rbac_review_json, decoded into a dict."""
        return json.loads(self.rbac_review_json(sources))


def _sources(sources):
    """A ctypes array of kubeward_source for (name, content) pairs, and its length.
    The array keeps the encoded buffers alive while it is."""
    kept = [(_text(name), _text(content)) for name, content in sources]
    array = (_Source * len(kept))(*[_Source(n, len(n), c, len(c)) for n, c in kept])
    array._kept = kept
    return array, len(kept)


def checks():
    """The catalog of checks, as a list of dicts."""
    return json.loads(_call_for_string(_lib.kubeward_checks_json))


def explain(check_id):
    """The documentation of one check; raises KubewardError (NOT_FOUND) for an unknown id."""
    text = _text(check_id)
    return _call_for_string(_lib.kubeward_explain, text, len(text))


def version():
    """The library version."""
    return _lib.kubeward_version().decode("utf-8")
