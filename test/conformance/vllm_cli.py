"""vLLM's command-line parser, rebuilt from its pinned source with `ast` (never imported, never retyped).

Reads (JSON on stdin) the source texts of vllm/engine/arg_utils.py, vllm/entrypoints/openai/cli_args.py
and the config modules that define the dataclasses and Literal types the flags are derived from, and
the argument vectors to check. Prints (JSON on stdout) the flags found and, per vector, what
argparse says of it.

How vLLM builds its parser, and so how this script reads it:
- `group.add_argument("--flag", **xxx_kwargs["field"])` with `xxx_kwargs = get_kwargs(SomeConfig)`:
  the flag's type comes from the annotation of `SomeConfig.field`, mapped as vLLM's
  `get_kwargs`/`_compute_kwargs` maps it (dataclass -> JSON; bool -> --flag/--no-flag;
  Literal -> choices; tuple/list -> nargs; int; float; dict; str);
- `add_argument("--flag", type=..., choices=..., action=...)` with explicit arguments;
- later edits of `xxx_kwargs["field"][...]` loosen that flag (its value is then not checked).
A name this script cannot resolve (a type defined in a file that is not pinned) leaves the flag's
value unchecked and is reported in `unresolved`, so gaps are visible, never silent.
"""

import argparse
import ast
import json
import re
import sys

BUILTIN_KINDS = {"bool": "bool", "int": "int", "float": "float", "str": "str", "dict": "dict", "Dict": "dict",
                 "list": "list", "List": "list", "tuple": "tuple", "Tuple": "tuple", "set": "list", "Any": "other",
                 "object": "other", "bytes": "str"}


class Source:
    """Classes (fields, enum values), type aliases and functions of the given modules."""

    def __init__(self, texts):
        self.aliases = {}
        self.classes = {}
        self.modules = [ast.parse(t) for t in texts]
        for mod in self.modules:
            for node in mod.body:
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                    self.aliases.setdefault(node.targets[0].id, node.value)
                elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
                    if isinstance(node.annotation, ast.Name) and node.annotation.id == "TypeAlias":
                        self.aliases.setdefault(node.target.id, node.value)
                elif isinstance(node, ast.ClassDef):
                    self.classes.setdefault(node.name, node)

    def fields(self, cls_name):
        cls = self.classes.get(cls_name)
        if cls is None:
            return None
        out = {}
        for node in cls.body:
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                ann = node.annotation
                if isinstance(ann, ast.Subscript) and _name(ann.value) == "ClassVar":
                    continue
                out[node.target.id] = ann
        return out

    def is_dataclass(self, cls_name):
        cls = self.classes.get(cls_name)
        return cls is not None and any(_name(d.func if isinstance(d, ast.Call) else d) in ("dataclass", "config") for d in cls.decorator_list)

    def enum_values(self, cls_name):
        cls = self.classes.get(cls_name)
        if cls is None:
            return None
        values = [n.value.value for n in cls.body
                  if isinstance(n, ast.Assign) and isinstance(n.value, ast.Constant)]
        return values or None


def _name(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


class Hints:
    """The flattened type hints of an annotation, as vLLM's get_type_hints() sees them."""

    def __init__(self):
        self.kinds = set()
        self.literals = []
        self.elem = None
        self.tuple_len = None
        self.unresolved = set()


def flatten(src, node, hints, seen=()):
    if node is None:
        return
    if isinstance(node, ast.Constant):
        if node.value is None:
            hints.kinds.add("none")
        elif isinstance(node.value, str):  # a forward reference
            try:
                flatten(src, ast.parse(node.value, mode="eval").body, hints, seen)
            except SyntaxError:
                hints.kinds.add("other")
        return
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        flatten(src, node.left, hints, seen)
        flatten(src, node.right, hints, seen)
        return
    if isinstance(node, (ast.Name, ast.Attribute)):
        name = _name(node)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in ("torch", "np", "os"):
            hints.kinds.add("other")
            return
        if name in BUILTIN_KINDS:
            hints.kinds.add(BUILTIN_KINDS[name])
            return
        if name == "None":
            hints.kinds.add("none")
            return
        if name in src.aliases and name not in seen:
            flatten(src, src.aliases[name], hints, seen + (name,))
            return
        if name in src.classes:
            hints.kinds.add("dataclass" if src.is_dataclass(name) else "other")
            return
        hints.kinds.add("other")
        hints.unresolved.add(name)
        return
    if isinstance(node, ast.Subscript):
        head = _name(node.value)
        args = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if head == "Literal":
            # Literal[...] may nest other Literal aliases (Literal[TaskOption, Literal["draft"]]).
            values = []
            for a in args:
                if isinstance(a, ast.Constant):
                    values.append(a.value)
                else:
                    inner = Hints()
                    flatten(src, a, inner, seen)
                    values.extend(inner.literals)
                    hints.unresolved.update(inner.unresolved)
            if values:
                hints.kinds.add("literal")
                hints.literals.extend(values)
            else:
                hints.kinds.add("other")
        elif head in ("Optional",):
            hints.kinds.add("none")
            for a in args:
                flatten(src, a, hints, seen)
        elif head in ("Union",):
            for a in args:
                flatten(src, a, hints, seen)
        elif head in ("Annotated", "SkipValidation"):
            flatten(src, args[0], hints, seen)
        elif head in ("list", "List", "set", "Set", "Sequence"):
            hints.kinds.add("list")
            inner = Hints()
            flatten(src, args[0], inner, seen)
            hints.elem = inner
        elif head in ("tuple", "Tuple"):
            hints.kinds.add("tuple")
            inner = Hints()
            flatten(src, args[0], inner, seen)
            hints.elem = inner
            hints.tuple_len = "+" if any(isinstance(a, ast.Constant) and a.value is Ellipsis for a in args) else len(args)
        elif head in ("dict", "Dict", "Mapping"):
            hints.kinds.add("dict")
        elif head in ("type", "Type", "Callable"):
            hints.kinds.add("other")
        else:
            hints.kinds.add("other")
            if head:
                hints.unresolved.add(head)
        return
    hints.kinds.add("other")


def scalar_of(hints):
    """The value type of a list/tuple element, as vLLM passes it to argparse."""
    if hints is None:
        return {"type": "str"}
    if "literal" in hints.kinds:
        return {"type": "str" if isinstance(hints.literals[0], str) else "int", "choices": sorted(hints.literals)}
    for k in ("int", "float", "str"):
        if k in hints.kinds:
            return {"type": k}
    return {"type": "str"}


def spec_from_hints(field, hints):
    """vLLM's _compute_kwargs, on flattened hints: the first matching rule wins, in vLLM's order."""
    k = hints.kinds
    if "dataclass" in k:
        spec = {"type": "json"}
    elif "bool" in k:
        return {"action": "bool-optional"}
    elif "literal" in k:
        values = hints.literals
        spec = {"type": "str" if isinstance(values[0], str) else ("float" if isinstance(values[0], float) else "int"), "choices": sorted(values)}
    elif "tuple" in k:
        spec = dict(scalar_of(hints.elem), nargs=hints.tuple_len)
    elif "list" in k:
        spec = dict(scalar_of(hints.elem), nargs="+")
    elif "int" in k:
        spec = {"type": "human_int" if field in ("max_model_len", "max_num_batched_tokens", "kv_cache_memory_bytes") else "int"}
    elif "float" in k:
        spec = {"type": "float"}
    elif "dict" in k:
        spec = {"type": "json"}
    elif "str" in k or "other" in k:
        spec = {"type": "str"}
    else:
        spec = {"type": "any"}
    if "none" in k:
        spec["optional"] = True
    if hints.unresolved and "literal" not in k:
        spec["unchecked"] = sorted(hints.unresolved)
    return spec


def explicit_spec(src, call):
    """The spec of an add_argument call's explicit keywords."""
    spec = {}
    for kw in call.keywords:
        if kw.arg == "action":
            v = kw.value
            if isinstance(v, ast.Constant):
                spec["action"] = v.value
            elif _name(v) == "BooleanOptionalAction":
                spec["action"] = "bool-optional"
            else:
                spec["action"] = "custom"
        elif kw.arg == "type":
            v = kw.value
            if isinstance(v, ast.Call) and _name(v.func) == "optional_type" and v.args:
                inner = _name(v.args[0])
                spec["type"] = inner if inner in ("int", "float", "str") else "any"
                spec["optional"] = True
            else:
                n = _name(v)
                spec["type"] = n if n in ("int", "float", "str") else ("human_int" if n == "human_readable_int" else "any")
        elif kw.arg == "choices":
            v = kw.value
            if isinstance(v, (ast.List, ast.Tuple)) and all(isinstance(e, ast.Constant) for e in v.elts):
                spec["choices"] = [e.value for e in v.elts]
            elif isinstance(v, ast.ListComp) and isinstance(v.generators[0].iter, ast.Name) and src.enum_values(v.generators[0].iter.id):
                spec["choices"] = src.enum_values(v.generators[0].iter.id)
            else:
                spec["unchecked"] = ["choices computed at run time"]
                spec["type"] = "any"
        elif kw.arg == "nargs":
            spec["nargs"] = kw.value.value if isinstance(kw.value, ast.Constant) else "*"
    return spec


def kwargs_sources(func):
    """`name = get_kwargs(Cls)` assignments and later edits of `name["field"][...]` in one function."""
    sources, edited = {}, set()
    for node in ast.walk(func):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            v = node.value
            if isinstance(v, ast.Call) and _name(v.func) == "get_kwargs" and v.args and _name(v.args[0]):
                sources[node.targets[0].id] = _name(v.args[0])
        targets = []
        if isinstance(node, (ast.Assign, ast.Delete)):
            targets = node.targets
        elif isinstance(node, ast.AugAssign):
            targets = [node.target]
        for t in targets:
            if (isinstance(t, ast.Subscript) and isinstance(t.value, ast.Subscript)
                    and isinstance(t.value.value, ast.Name) and isinstance(t.value.slice, ast.Constant)):
                edited.add((t.value.value.id, t.value.slice.value))
    return sources, edited


def field_spec(src, cls, field, edited_fields, unresolved):
    """The spec of a flag made from `get_kwargs(cls)[field]`."""
    fields = src.fields(cls)
    if fields is None or field not in fields:
        unresolved.add(f"{cls}.{field}")
        return {"type": "any", "unchecked": [f"{cls}.{field} not in the pinned sources"]}
    hints = Hints()
    flatten(src, fields[field], hints)
    spec = spec_from_hints(field, hints)
    if "unchecked" in spec:
        unresolved.update(hints.unresolved)
    if field in edited_fields:
        spec = {"action": spec["action"]} if spec.get("action") == "bool-optional" else {"type": "any", "unchecked": [f"{field}: kwargs edited after get_kwargs"]}
    return spec


def add_flag(flags, name, spec):
    flags[name] = spec
    if spec.get("action") == "bool-optional" and name.startswith("--"):
        flags["--no-" + name[2:]] = {"action": "store_true"}


def loop_flags(src, func, sources, edited, flags, unresolved):
    """`for key, value in xxx_kwargs.items(): add_argument(f"--{key.replace('_', '-')}", **value)`."""
    for loop in ast.walk(func):
        if not (isinstance(loop, ast.For) and isinstance(loop.iter, ast.Call) and _name(loop.iter.func) == "items"
                and isinstance(loop.iter.func, ast.Attribute) and isinstance(loop.iter.func.value, ast.Name)
                and loop.iter.func.value.id in sources and isinstance(loop.target, ast.Tuple)):
            continue
        var = loop.iter.func.value.id
        cls = sources[var]
        for call in ast.walk(loop):
            if isinstance(call, ast.Call) and _name(call.func) == "add_argument" and call.args and isinstance(call.args[0], ast.JoinedStr):
                for field in src.fields(cls) or {}:
                    add_flag(flags, "--" + field.replace("_", "-"), field_spec(src, cls, field, {f for v, f in edited if v == var}, unresolved))


def build_flags(src, parser_texts):
    flags, unresolved = {}, set()
    for text in parser_texts:
        for func in ast.walk(ast.parse(text)):
            if not isinstance(func, ast.FunctionDef):
                continue
            sources, edited = kwargs_sources(func)
            loop_flags(src, func, sources, edited, flags, unresolved)
            for call in ast.walk(func):
                if not (isinstance(call, ast.Call) and _name(call.func) == "add_argument"):
                    continue
                literal = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                names = [n for n in literal if n.startswith("-")]
                if literal and not names:
                    # A positional argument (`vllm serve`'s model_tag).
                    flags[literal[0]] = dict(explicit_spec(src, call), positional=True)
                    continue
                if not names:
                    continue
                spec = explicit_spec(src, call)
                for kw in call.keywords:
                    if kw.arg is None:
                        star = kw.value
                        if (isinstance(star, ast.Subscript) and isinstance(star.value, ast.Name)
                                and isinstance(star.slice, ast.Constant) and star.value.id in sources):
                            var, field = star.value.id, star.slice.value
                            spec = dict(field_spec(src, sources[var], field, {f for v, f in edited if v == var}, unresolved), **spec)
                        else:
                            spec = dict(spec, type="any", unchecked=["kwargs from an expression this script does not read"])
                for n in names:
                    add_flag(flags, n, spec)
    return flags, sorted(unresolved)


class ParseError(Exception):
    pass


class StrictParser(argparse.ArgumentParser):
    def error(self, message):
        raise ParseError(message)


def human_int(value):
    value = value.strip()
    if re.fullmatch(r"(\d+(?:\.\d+)?)([kKmMgGtT])", value):
        return value
    return int(value)


def any_value(value):
    return value


TYPES = {"int": int, "float": float, "str": str, "human_int": human_int, "json": any_value, "any": any_value}


def make_parser(flags):
    parser = StrictParser(prog="vllm", allow_abbrev=False, add_help=False)
    for name, spec in flags.items():
        if spec.get("positional"):
            parser.add_argument(name, nargs=spec.get("nargs", None), type=TYPES[spec.get("type", "any")])
            continue
        if spec.get("action") in ("store_true", "store_false", "count"):
            parser.add_argument(name, action=spec["action"])
            continue
        if spec.get("action") == "bool-optional":
            parser.add_argument(name, action="store_true")
            continue
        base = TYPES[spec.get("type", "any")]
        if spec.get("optional"):
            def typed(v, base=base):
                return None if v in ("", "None") else base(v)
        else:
            typed = base
        kwargs = {"type": typed}
        if "choices" in spec:
            kwargs["choices"] = spec["choices"] + ([None] if spec.get("optional") else [])
        if spec.get("nargs") is not None:
            kwargs["nargs"] = spec["nargs"]
        if spec.get("action") == "append":
            kwargs["action"] = "append"
        parser.add_argument(name, **kwargs)
    return parser


def main():
    request = json.load(sys.stdin)
    src = Source(request["typeSources"] + request["parserSources"])
    flags, unresolved = build_flags(src, request["parserSources"])
    parser = make_parser(flags)
    results = []
    for vector in request["argvs"]:
        used = [a.split("=", 1)[0] for a in vector["args"] if a.startswith("--")]
        try:
            parser.parse_args(vector["args"])
            results.append({"label": vector["label"], "ok": True, "unchecked": {u: flags[u]["unchecked"] for u in used if u in flags and "unchecked" in flags[u]}})
        except ParseError as e:
            results.append({"label": vector["label"], "ok": False, "error": str(e)})
    json.dump({"flags": flags, "unresolved": unresolved, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
