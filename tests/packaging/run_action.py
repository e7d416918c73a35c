"""Runs action.yml (a composite GitHub Action) the way a runner would, on this
machine: each step's `if` is evaluated, its `env` expanded, its `run` script
run with bash as GitHub runs it (`bash --noprofile --norc -eo pipefail`), with
GITHUB_OUTPUT, GITHUB_PATH and the step outputs wired as on GitHub. A `uses`
step is not run: its expanded `with` is recorded instead.

    python run_action.py ACTION.yml WORKSPACE INPUTS.json RESULT.json

RUNNER_TEMP, when set, is the runner's temporary folder (otherwise a new one).
Exits 0 when the job succeeded, 1 when a step failed (as the job would), and
writes RESULT.json: the steps that ran or were skipped, the outputs, the
`with` of every `uses` step and the job's conclusion.

Only the expression syntax action.yml uses is understood (and anything else is
an error, so the action cannot grow an expression this runner would get wrong):
`inputs.NAME`, `steps.ID.outputs.NAME`, `github.action_path`, `runner.temp`,
`always()`, `hashFiles(...)`, string literals, `==`, `!=` and `&&`.
"""

import glob
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<op>==|!=|&&|\(|\)|,)|(?P<call>always|hashFiles)(?=\()"
    r"|(?P<ref>[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*))"
)


class Context:
    def __init__(self, inputs, action_path, workspace, temp):
        self.inputs = inputs
        self.steps = {}
        self.action_path = action_path
        self.workspace = workspace
        self.temp = temp

    def reference(self, name):
        parts = name.split(".")
        if parts[0] == "inputs" and len(parts) == 2:
            return self.inputs[parts[1]]
        if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
            return self.steps.get(parts[1], {}).get(parts[3], "")
        if name == "github.action_path":
            return self.action_path
        if name == "runner.temp":
            return self.temp
        raise ValueError(f"unsupported reference {name}")

    def hash_files(self, pattern):
        return "hash" if glob.glob(os.path.join(self.workspace, pattern)) else ""


def evaluate(expression, context):
    tokens = []
    position = 0
    expression = expression.strip()
    while position < len(expression):
        match = TOKEN.match(expression, position)
        if not match or match.end() == position:
            raise ValueError(f"cannot read {expression[position:]!r}")
        tokens.append(match)
        position = match.end()

    def value(index):
        token = tokens[index]
        if token.group("string") is not None:
            return token.group("string")[1:-1].replace("''", "'"), index + 1
        if token.group("call") == "always":
            assert tokens[index + 1].group("op") == "(" and tokens[index + 2].group("op") == ")"
            return True, index + 3
        if token.group("call") == "hashFiles":
            assert tokens[index + 1].group("op") == "("
            argument, after = value(index + 2)
            assert tokens[after].group("op") == ")"
            return context.hash_files(argument), after + 1
        if token.group("ref") is not None:
            return context.reference(token.group("ref")), index + 1
        raise ValueError(f"unexpected {token.group(0)!r} in {expression!r}")

    def comparison(index):
        left, index = value(index)
        if index < len(tokens) and tokens[index].group("op") in ("==", "!="):
            operator = tokens[index].group("op")
            right, index = value(index + 1)
            left = (str(left) == str(right)) == (operator == "==")
        return left, index

    result, index = comparison(0)
    while index < len(tokens):
        if tokens[index].group("op") != "&&":
            raise ValueError(f"unsupported operator {tokens[index].group(0)!r} in {expression!r}")
        right, index = comparison(index + 1)
        result = bool(result) and bool(right)
    return result


def expand(text, context):
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: str(evaluate(m.group(1), context)), str(text))


def truthy(value):
    return value not in (False, "", "false", 0, None)


def main():
    action_file, workspace, inputs_file, result_file = sys.argv[1:]
    action = yaml.safe_load(open(action_file, encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    inputs = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    given = json.load(open(inputs_file, encoding="utf-8"))
    unknown = set(given) - set(inputs)
    assert not unknown, f"inputs the action does not declare: {unknown}"
    inputs.update(given)

    temp = os.environ.get("RUNNER_TEMP") or tempfile.mkdtemp(prefix="runner-temp-")
    os.makedirs(temp, exist_ok=True)
    context = Context(inputs, os.path.dirname(os.path.abspath(action_file)), workspace, temp)
    path_file = os.path.join(temp, "github_path")
    open(path_file, "w").close()
    env_base = dict(os.environ, GITHUB_WORKSPACE=workspace, RUNNER_TEMP=temp, GITHUB_PATH=path_file)

    record = {"steps": [], "uses": {}, "conclusion": "success"}
    failed = False
    for number, step in enumerate(action["runs"]["steps"]):
        name = step.get("name", f"step {number}")
        condition = step.get("if")
        # A step without `always()` in its condition runs only while no step failed.
        condition_text = str(condition) if condition is not None else ""
        if failed and "always()" not in condition_text:
            record["steps"].append({"name": name, "ran": False})
            continue
        if condition is not None and not truthy(evaluate(condition_text.replace("${{", "").replace("}}", ""), context)):
            record["steps"].append({"name": name, "ran": False})
            continue
        if "uses" in step:
            record["uses"][step["uses"]] = {key: expand(v, context) for key, v in step.get("with", {}).items()}
            record["steps"].append({"name": name, "ran": True, "uses": step["uses"]})
            continue
        script = step["run"]
        assert "${{" not in script, f"step {name!r} expands an expression inside its script"
        assert step.get("shell") == "bash", f"step {name!r} must say shell: bash"
        output_file = os.path.join(temp, f"output-{number}")
        open(output_file, "w").close()
        extra_path = [line.strip() for line in open(path_file, encoding="utf-8") if line.strip()]
        env = dict(env_base, GITHUB_OUTPUT=output_file)
        env["PATH"] = os.pathsep.join(list(reversed(extra_path)) + [env_base["PATH"]])
        env.update({key: expand(v, context) for key, v in step.get("env", {}).items()})
        script_file = os.path.join(temp, f"step-{number}.sh")
        with open(script_file, "w", encoding="utf-8") as out:
            out.write(script)
        print(f"::group::{name}", flush=True)
        status = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", script_file], cwd=workspace, env=env
        ).returncode
        print("::endgroup::", flush=True)
        outputs = {}
        for line in open(output_file, encoding="utf-8"):
            if "=" in line:
                key, _, val = line.rstrip("\n").partition("=")
                outputs[key] = val
        if "id" in step:
            context.steps[step["id"]] = outputs
        record["steps"].append({"name": name, "ran": True, "status": status, "outputs": outputs})
        if status != 0:
            failed = True
            record["conclusion"] = "failure"
    record["outputs"] = {name: expand(spec["value"], context) for name, spec in action.get("outputs", {}).items()}
    json.dump(record, open(result_file, "w", encoding="utf-8"), indent=1)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
