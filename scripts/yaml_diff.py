#!/usr/bin/env python3
"""Differential test of kubeward's YAML loader against PyYAML read the way kubectl reads.

kubectl decodes a manifest with go-yaml v2 (through sigs.k8s.io/yaml: YAML to a Go
value, then to JSON). PyYAML's scanner and parser are libyaml's, as go-yaml's are, so
with a resolver and constructors set to go-yaml v2's rules (`GoYamlLoader` below) it
reads what kubectl reads. For every document kubeward's loader finds (the `yaml_json`
example prints them), the same bytes are read with `GoYamlLoader` and the two values
are compared. A disagreement fails the run unless the allowlist names it, with its
reason (docs/yaml.md explains each).

Run it through scripts/test-yaml-diff.sh, which installs a pinned PyYAML in a venv.
"""

import argparse
import json
import math
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

try:
    BaseLoader = yaml.CSafeLoader  # libyaml's own scanner: the one go-yaml was ported from
    LIBYAML = True
except AttributeError:  # PyYAML built without libyaml: its Python scanner is a port of the same code
    BaseLoader = yaml.SafeLoader
    LIBYAML = False

# --- go-yaml v2's implicit types (its resolve.go), as kubectl sees them ---------------

BOOLS = {
    **dict.fromkeys("y Y yes Yes YES true True TRUE on On ON".split(), True),
    **dict.fromkeys("n N no No NO false False FALSE off Off OFF".split(), False),
}
NULLS = {"", "~", "null", "Null", "NULL"}
SPECIAL_FLOATS = {
    **dict.fromkeys([".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"], math.inf),
    **dict.fromkeys(["-.inf", "-.Inf", "-.INF"], -math.inf),
    **dict.fromkeys([".nan", ".NaN", ".NAN"], math.nan),
}
# Go's strconv.ParseInt(s, 0, 64) syntax, and the float syntax go-yaml accepts.
GO_INT = re.compile(r"[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)")
GO_UINT = re.compile(r"(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)")
YAML_STYLE_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
DOT_FLOAT = re.compile(r"\.[0-9]+([eE][-+]?[0-9]+)?")
TIMESTAMP_START = re.compile(r"[0-9]{4}-")

INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
BOOL_TAG = "tag:yaml.org,2002:bool"
NULL_TAG = "tag:yaml.org,2002:null"
STR_TAG = "tag:yaml.org,2002:str"
MERGE_TAG = "tag:yaml.org,2002:merge"


def go_int(text):
    """The value of Go's ParseInt(text, 0, 64) (or ParseUint), or None."""
    if not (GO_INT.fullmatch(text) or GO_UINT.fullmatch(text)):
        return None
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-")
    if digits[:2] in ("0x", "0X"):
        value = int(digits[2:], 16)
    elif digits[:2] in ("0o", "0O"):
        value = int(digits[2:], 8)
    elif digits[:2] in ("0b", "0B"):
        value = int(digits[2:], 2)
    elif len(digits) > 1 and digits[0] == "0":
        value = int(digits[1:], 8)
    else:
        value = int(digits)
    value *= sign
    if -(2**63) <= value < 2**64 and not (text.startswith(("+", "-")) and value >= 2**63):
        return value
    return None


def go_resolve(text):
    """(tag, value) of a plain scalar, as go-yaml v2's resolve() gives it."""
    if text in NULLS:
        return NULL_TAG, None
    if text == "<<":
        return MERGE_TAG, text
    hint = text[0]
    if hint in "+-0123456789.yYnNtTfFoO~":
        if text in BOOLS:
            return BOOL_TAG, BOOLS[text]
        if text in SPECIAL_FLOATS:
            return FLOAT_TAG, SPECIAL_FLOATS[text]
    if hint == ".":
        if DOT_FLOAT.fullmatch(text):
            return FLOAT_TAG, float(text)
    elif hint in "+-0123456789":
        # A timestamp is decoded to interface{} as its text (go-yaml v2 keeps the string).
        if TIMESTAMP_START.match(text) and looks_like_go_timestamp(text):
            return STR_TAG, text
        plain = text.replace("_", "")
        value = go_int(plain)
        if value is not None:
            return INT_TAG, value
        if YAML_STYLE_FLOAT.fullmatch(plain):
            value = float(plain)
            if not math.isinf(value):  # Go's ParseFloat fails with a range error
                return FLOAT_TAG, value
        if plain.startswith("-0b") and re.fullmatch(r"[01]+", plain[3:]):
            return INT_TAG, -int(plain[3:], 2)
    return STR_TAG, text


def looks_like_go_timestamp(text):
    return bool(
        re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text)
        or re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}[Tt ]\d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?(Z|[-+]\d{2}:\d{2})?", text)
    )


class GoYamlLoader(BaseLoader):
    """PyYAML with go-yaml v2's implicit types, tags and merge rules."""

    def resolve(self, kind, value, implicit):
        if kind is ScalarNode and implicit[0]:
            return go_resolve(value)[0]
        return super().resolve(kind, value, implicit)

    def construct_mapping(self, node, deep=False):
        """Keys become JSON's strings as they are read (in Python `True == 1`, so a
        dictionary of the keys as read would merge `yes` and `1`)."""
        if isinstance(node, MappingNode):
            self.flatten_mapping(node)
        mapping = {}
        for key_node, value_node in node.value:
            key = json_key(self.construct_object(key_node, deep=True))
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def flatten_mapping(self, node):
        """go-yaml v2 merges in place: a `<<` entry sets the keys it brings over any
        written before it, and a later key overrides it; of a list of mappings the
        first wins (PyYAML lets every written key win)."""
        entries = []
        for key_node, value_node in node.value:
            if key_node.tag != MERGE_TAG:
                entries.append((key_node, value_node))
                continue
            sources = [value_node] if isinstance(value_node, MappingNode) else None
            if isinstance(value_node, SequenceNode):
                sources = list(reversed(value_node.value))
            if sources is None or not all(isinstance(source, MappingNode) for source in sources):
                raise yaml.constructor.ConstructorError(
                    None, None, "map merge requires map or sequence of maps as the value", value_node.start_mark
                )
            for source in sources:
                self.flatten_mapping(source)
                entries.extend(source.value)
        node.value = entries


def construct_plain_or_tagged(loader, node, kind):
    value = loader.construct_scalar(node)
    if node.tag == STR_TAG or kind == "str":
        return value
    tag, resolved = go_resolve(value)
    if node.tag == FLOAT_TAG and tag == INT_TAG:
        return float(resolved)
    if tag != node.tag:
        raise yaml.constructor.ConstructorError(None, None, f"cannot decode {value!r} as {node.tag}", node.start_mark)
    return resolved


for tag, kind in ((INT_TAG, "int"), (FLOAT_TAG, "float"), (BOOL_TAG, "bool"), (NULL_TAG, "null")):
    GoYamlLoader.add_constructor(tag, lambda loader, node, kind=kind: construct_plain_or_tagged(loader, node, kind))
# go-yaml v2 leaves a timestamp as its text when the target is an interface{}.
GoYamlLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def construct_binary(loader, node):
    import base64

    data = base64.b64decode("".join(loader.construct_scalar(node).split()), validate=True)
    # encoding/json writes invalid UTF-8 as U+FFFD.
    return data.decode("utf-8", errors="replace")


GoYamlLoader.add_constructor("tag:yaml.org,2002:binary", construct_binary)


def construct_unknown_tag(loader, suffix, node):
    """go-yaml v2 reads a node with a tag it does not know as if untagged, a scalar as a string."""
    if isinstance(node, ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)


GoYamlLoader.add_multi_constructor("!", construct_unknown_tag)
GoYamlLoader.add_multi_constructor("tag:", construct_unknown_tag)


class Rejected(Exception):
    """A document kubectl's decoder rejects after go-yaml read it (its JSON step fails)."""


def json_key(key):
    """A mapping key as sigs.k8s.io/yaml writes it in JSON."""
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, int):
        return str(key)
    if isinstance(key, float):
        return go_float32_g(key)
    if key is None:
        raise Rejected("unsupported map key of type: <nil>")
    if not isinstance(key, str):
        raise Rejected(f"unsupported map key of type {type(key).__name__}")
    return key


def to_kubectl_json(value):
    """The value as encoding/json writes it: a NaN or infinite float makes it fail."""
    if isinstance(value, dict):
        return {key: to_kubectl_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_kubectl_json(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        raise Rejected("json: unsupported value: " + repr(value))
    return value


def go_float32_g(value):
    """strconv.FormatFloat(value, 'g', -1, 32), as sigs.k8s.io/yaml writes a float key."""
    import struct
    from decimal import Decimal

    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    if math.isnan(value):
        return ".nan"
    single = struct.unpack("f", struct.pack("f", value))[0]
    for digits in range(1, 10):
        text = f"{single:.{digits - 1}e}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == single:
            break
    mantissa, exponent = text.split("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    exponent = int(exponent)
    if single != 0 and (exponent < -4 or exponent >= 6):
        return f"{mantissa}e{'-' if exponent < 0 else '+'}{abs(exponent):02}"
    return format(Decimal(f"{mantissa}e{exponent}"), "f")


def reference(chunk):
    """('ok', value) or ('error', message) for one document's bytes."""
    try:
        documents = list(yaml.load_all(chunk, Loader=GoYamlLoader))
    except yaml.YAMLError as error:
        return "error", " ".join(str(error).split())[:200]
    except (ValueError, RecursionError, Rejected) as error:
        return "error", str(error)[:200]
    documents = [d for d in documents if d is not None] or [None]
    if len(documents) > 1:
        return "error", f"{len(documents)} documents in one chunk"
    try:
        return "ok", to_kubectl_json(documents[0])
    except Rejected as error:
        return "error", str(error)


def same(a, b):
    """Equal as JSON values: numbers by value (an integer and a float may agree), a
    boolean never equal to a number, NaN equal to NaN."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
            return True
        return float(a) == float(b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def first_difference(a, b, path=""):
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f"{path}/{key}: only in {'kubeward' if key in a else 'reference'}"
            if not same(a[key], b[key]):
                return first_difference(a[key], b[key], f"{path}/{key}")
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for index, (x, y) in enumerate(zip(a, b)):
            if not same(x, y):
                return first_difference(x, y, f"{path}/{index}")
    return f"{path or '/'}: kubeward {json.dumps(a)[:80]} reference {json.dumps(b)[:80]}"


# --- Inputs ---------------------------------------------------------------------------


def yaml_files(directory):
    return sorted(
        p
        for p in Path(directory).rglob("*")
        if p.is_file() and p.suffix in (".yaml", ".yml") and "node_modules" not in p.parts
    )


def generate_quirky_documents(directory, count, seed):
    """Documents written the ways hand-written YAML bends the rules: flow collections and
    quoted scalars whose later lines sit left of their key, YAML 1.1 scalars, comments."""
    rng = random.Random(seed)
    words = [
        "x", "nginx:1.25", "yes", "No", "on", "OFF", "y", "n", "~", "null", "0777", "0o17", "0x1F",
        "08", "1_000", "1e3", ".5", "-.inf", "1:20", "2001-12-14", "=", "a b", "true", "+12", "0b101",
        "--flag=value", "http://h:80/p", "it's", "a#b", "-1", "3.0", ".NaN",
    ]

    def scalar():
        word = rng.choice(words)
        style = rng.randrange(4)
        if style == 0:
            return "'" + word.replace("'", "''") + "'"
        if style == 1:
            return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if word in ("it's",) or word.startswith(("-", "=")) and style == 2:
            return "'" + word.replace("'", "''") + "'"
        return word

    def continuation(key_column):
        # A later line of a flow collection or quoted scalar: anywhere from the margin to past its key.
        return " " * rng.randrange(0, key_column + 4)

    def flow_sequence(key_column):
        items = [scalar() for _ in range(rng.randrange(1, 5))]
        out = "["
        for index, item in enumerate(items):
            if index:
                out += ","
            if rng.random() < 0.5:
                out += "\n" + continuation(key_column)
            elif index:
                out += " "
            out += item
        if rng.random() < 0.6:
            out += "\n" + continuation(key_column)
        return out + "]"

    def flow_mapping(key_column):
        out = "{"
        for index in range(rng.randrange(1, 4)):
            if index:
                out += ","
            out += "\n" + continuation(key_column) if rng.random() < 0.5 else " "
            out += f"k{index}: {scalar()}"
        if rng.random() < 0.6:
            out += "\n" + continuation(key_column)
        return out + "}"

    def quoted_over_lines(key_column):
        quote = rng.choice("'\"")
        lines = [rng.choice(["first", "--opt=1", "a b"]) for _ in range(rng.randrange(2, 4))]
        out = quote + lines[0]
        for line in lines[1:]:
            out += "\n" + continuation(key_column) + line
        if rng.random() < 0.4:
            out += "\n" + continuation(key_column)
        return out + quote

    def value(key_column):
        pick = rng.random()
        if pick < 0.3:
            return flow_sequence(key_column)
        if pick < 0.45:
            return flow_mapping(key_column)
        if pick < 0.6:
            return quoted_over_lines(key_column)
        return scalar()

    def block(indent, depth):
        lines = []
        for index in range(rng.randrange(1, 5)):
            pad = " " * indent
            key = f"key{index}"
            if depth < 3 and rng.random() < 0.3:
                lines.append(f"{pad}{key}:")
                if rng.random() < 0.5:
                    lines.append(block(indent + 2, depth + 1))
                else:
                    for _ in range(rng.randrange(1, 3)):
                        item_pad = pad + rng.choice(["", "  "])
                        lines.append(f"{item_pad}- {value(len(item_pad) + 2)}")
            else:
                comment = "  # note" if rng.random() < 0.15 else ""
                lines.append(f"{pad}{key}: {value(indent)}{comment}")
        return "\n".join(lines)

    directory.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: generated\ndata:\n" + block(2, 0) + "\n"
        (directory / f"quirky-{number:04}.yaml").write_text(text)


# --- The comparison -------------------------------------------------------------------


def run_tool(tool, files):
    process = subprocess.run(
        [tool, "--stdin-list"], input="\n".join(str(f) for f in files), capture_output=True, text=True, check=True
    )
    return [json.loads(line) for line in process.stdout.split("\n") if line]


def load_allowlist(path):
    entries = {}
    for number, line in enumerate(Path(path).read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 4:
            sys.exit(f"{path}:{number}: expected source, file, document start and reason, tab-separated")
        source, name, start, reason = fields
        entries[(source, name, int(start))] = reason
    return entries


def compare(source, root, files, tool, allowlist, used, verbose):
    records = run_tool(tool, files)
    compared = agreed = allowed = 0
    failures = []
    for record in records:
        path = Path(record["file"])
        name = str(path.relative_to(root))
        if "fileError" in record:
            continue
        data = path.read_bytes()
        start, end = record["start"], record["end"]
        chunk = data[start:end]
        if chunk.startswith(b"\xef\xbb\xbf"):
            chunk = chunk[3:]
        # kubectl's document reader ends every line it passes on with a line break,
        # the last one of a file included (a literal block scalar there keeps it).
        if not chunk.endswith(b"\n"):
            chunk += b"\n"
        outcome, expected = reference(chunk)
        if "error" in record:
            ours = ("error", record["error"])
        elif record.get("nonFinite"):
            ours = ("error", "a float JSON cannot hold (.inf, .nan)")
        else:
            ours = ("ok", record["value"])
        compared += 1
        if ours[0] == outcome == "error" or (ours[0] == outcome == "ok" and same(ours[1], expected)):
            agreed += 1
            continue
        key = (source, name, start)
        if key in allowlist:
            allowed += 1
            used.add(key)
            if verbose:
                print(f"  allowed {source} {name} @{start}: {allowlist[key]}")
            continue
        if ours[0] == "ok" and outcome == "ok":
            what = first_difference(ours[1], expected)
        elif ours[0] == "ok":
            what = f"kubeward reads it, the reference rejects it: {expected}"
        else:
            what = f"kubeward rejects it ({ours[1]}, line {record.get('line')}), the reference reads it"
        failures.append(f"{source}\t{name}\t{start}\t{what}")
    return compared, agreed, allowed, failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tool", required=True, help="the yaml_json example binary")
    parser.add_argument("--shared", required=True, help="the shared data directory")
    parser.add_argument("--quirks", required=True, help="the directory of quirk files")
    parser.add_argument("--allowlist", required=True)
    parser.add_argument("--work", required=True, help="a scratch directory (generated documents)")
    parser.add_argument("--generated", type=int, default=400, help="how many quirky documents to generate")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()

    shared = Path(args.shared)
    sources = []
    if (shared / "corpora").is_dir():
        sources.append(("corpora", shared / "corpora"))
        sources.append(("conformance", shared / "conformance" / "pod-security-admission"))
        bench = Path(args.work) / "gen-corpus"
        if not bench.is_dir():
            partial = bench.with_name("gen-corpus.partial")
            subprocess.run(["rm", "-rf", str(partial)], check=True)
            subprocess.run(
                [sys.executable, str(shared / "bench" / "gen_corpus.py"), "--objects", "2000", "--list",
                 "--out", str(partial)],
                check=True, capture_output=True,
            )
            partial.rename(bench)
        sources.append(("gen-corpus", bench))
    elif os.environ.get("CI") == "true":
        sys.exit(f"the shared data is missing at {shared} (required when CI=true)")
    else:
        print(f"note: {shared} is missing; comparing the quirk set and generated documents only")
    generated = Path(args.work) / "quirky"
    generate_quirky_documents(generated, args.generated, seed=20)
    sources.append(("generated", generated))
    sources.append(("quirks", Path(args.quirks)))

    allowlist = load_allowlist(args.allowlist)
    used = set()
    totals = [0, 0, 0]
    failures = []
    for source, root in sources:
        files = yaml_files(root)
        compared, agreed, allowed, failed = compare(source, root, files, args.tool, allowlist, used, args.verbose)
        print(f"  {source}: {len(files)} files, {compared} documents, {agreed} agreed, {allowed} allowed, "
              f"{len(failed)} unlisted differences")
        totals = [totals[0] + compared, totals[1] + agreed, totals[2] + allowed]
        failures += failed
    stale = [key for key in allowlist if key not in used and (key[0] != "corpora" or (shared / "corpora").is_dir())]
    for line in failures:
        print("DIFF\t" + line)
    for key in stale:
        print(f"STALE allowlist entry (no longer differs): {key[0]}\t{key[1]}\t{key[2]}")
    scanner = "libyaml" if LIBYAML else "pure-Python"
    print(f"yaml-diff: {totals[0]} documents compared, {totals[1]} agreed, {totals[2]} allowed differences, "
          f"{len(failures)} unlisted (PyYAML {yaml.__version__}, {scanner} scanner)")
    return 1 if failures or stale else 0


if __name__ == "__main__":
    sys.exit(main())
