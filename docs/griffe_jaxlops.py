"""Griffe extension for the jaxlops docs: operator signatures and Sphinx markup in Markdown.

mkdocstrings reads the package statically (griffe), so two things need help:

* Operators become dataclasses in ``LinearOperator.__init_subclass__``, which griffe
  cannot see: their ``__init__`` signatures are rebuilt here from the annotated fields
  (``static_field(default=...)``, ``init=False`` excluded), base classes first.
* Docstrings are written with Sphinx roles. ``:math:`` and ``.. math::`` become
  arithmatex's ``\\(...\\)`` and ``$$...$$``; ``:func:``, ``:class:``, ``:meth:``, ... become
  autorefs cross-references to the target's canonical path, so that a target that does
  not exist fails the strict build. Targets outside jaxlops, and private or undocumented
  ones, become plain code spans.
"""

from __future__ import annotations

import ast
import inspect
import re

import griffe

LINEAR_OPERATOR = "jaxlops.linearoperator.LinearOperator"
FIELD_FUNCTIONS = ("static_field", "field")

_ROLE = re.compile(r":(?:py:)?(func|class|meth|attr|mod|data|obj|exc|const):`(~?)([^`]+?)`")
_INLINE_MATH = re.compile(r":math:`([^`]+)`")
_MATH_DIRECTIVE = re.compile(r"^(\s*)\.\. math::[ \t]*(.*)$")
_ESCAPED_SPACE = re.compile(r"(?<=`)\\ ")  # ``lambda``\ s: RST's way to glue text to a literal


def indentation(line):
    return len(line) - len(line.lstrip())


def convert_math_blocks(text):
    """``.. math::`` directives (content on the directive line and/or indented below) as
    ``$$`` blocks, one per blank-line separated equation, as in Sphinx."""
    lines = text.split("\n")
    out = []
    i = 0
    while i < len(lines):
        match = _MATH_DIRECTIVE.match(lines[i])
        if not match:
            out.append(lines[i])
            i += 1
            continue
        indent, first = match.group(1), match.group(2)
        body = [first] if first.strip() else []
        i += 1
        while i < len(lines) and (not lines[i].strip() or indentation(lines[i]) > len(indent)):
            body.append(lines[i])
            i += 1
        while body and not body[-1].strip():  # trailing blank lines belong to the text after
            i -= 1
            body.pop()
        block_indent = min((indentation(b) for b in body[1 if first.strip() else 0 :] if b.strip()), default=0)
        equations, current = [], []
        for k, line in enumerate(body):
            if not line.strip():
                equations, current = equations + [current] if current else equations, []
            else:
                current.append(line.strip() if k == 0 and first.strip() else line[block_indent:])
        equations += [current] if current else []
        if out and out[-1].strip():
            out.append("")
        for equation in equations:
            out += [f"{indent}$$", *(f"{indent}{e}" for e in equation), f"{indent}$$", ""]
        if i < len(lines) and not lines[i].strip():
            out.pop()  # the text's own blank line follows
    return "\n".join(out)


def convert_inline_math(text):
    return _INLINE_MATH.sub(lambda m: rf"\({m.group(1)}\)", text)


class References:
    """Sphinx role targets resolved on griffe's tree, with Python's own lookup rules."""

    def __init__(self, pkg):
        self.pkg = pkg
        self.collection = pkg.modules_collection
        self.public_modules = [m for m in self._modules(pkg) if not any(p.startswith("_") for p in m.path.split("."))]
        self.by_name = {}
        self.documented = set()
        for module in self.public_modules:
            if module.is_init_module or module.is_package:
                self.documented.add(module.path)
            for name in module.exports or ():
                path = self.lookup(module, [name])
                if path is not None:
                    self.by_name.setdefault(name, path)
                    self.documented.add(path)

    def _modules(self, module):
        yield module
        for member in module.members.values():
            if not member.is_alias and member.is_module and member.name != "__main__":
                yield from self._modules(member)

    def canonical(self, path, modules_first=False):
        """Canonical path of the object ``path`` names, or None.

        With ``modules_first``, ``path`` is read as an import statement reads it: its longest
        prefix naming a module (before the last name) is that module. Otherwise it is read as ``getattr`` reads it,
        where a name imported into a package shadows the submodule of the same name
        (``jaxlops.optimization.lsqr`` is the function, not the module).
        """
        if modules_first:
            return self.follow(path, [], 0)
        head, *rest = path.split(".")
        obj = self.collection.members.get(head)
        return None if obj is None else self.lookup(obj, rest)

    def lookup(self, obj, names, hops=0):
        """Canonical path of ``obj.name1.name2...``, following imports and aliases."""
        for i, name in enumerate(names):
            tail = names[i + 1 :]
            if obj.is_module and name in obj.imports and obj.imports[name] != f"{obj.path}.{name}":
                target = obj.imports[name]
            else:
                try:
                    members = obj.all_members if obj.is_class else obj.members
                except Exception:  # a base class that cannot be resolved
                    members = obj.members
                member = members.get(name)
                if member is None:
                    return None
                if not member.is_alias:
                    obj = member
                    continue
                target = member.target_path
            return None if hops > 20 else self.follow(target, tail, hops + 1)
        return obj.path

    def follow(self, target, names, hops):
        """Canonical path of ``target.name1...``, ``target`` read as ``from a.b import c`` reads
        ``a.b.c``: the module ``a.b``, then its attribute ``c``."""
        head, *rest = target.split(".")
        obj = self.collection.members.get(head)
        while obj is not None and len(rest) > 1 and _is_module(obj.members.get(rest[0])):
            obj = obj.members[rest.pop(0)]
        return None if obj is None else self.lookup(obj, [*rest, *names], hops)

    def module_path(self, path):
        """``path`` as a module (for ``:mod:``), ignoring names that shadow submodules."""
        head, *rest = path.split(".")
        obj = self.collection.members.get(head)
        for name in rest:
            obj = obj.members.get(name) if obj is not None else None
        return obj.path if _is_module(obj) else None

    def resolve(self, target, scope, role):
        """Canonical path of ``target`` seen from the object ``scope``, or None."""
        if role == "mod":
            return self.module_path(target)
        head = target.split(".")[0]
        if head == self.pkg.name:
            return self.canonical(target) or self.canonical(target, modules_first=True)
        for obj in self._scopes(scope):
            if head in obj.members or (obj.is_module and head in obj.imports):
                found = self.lookup(obj, target.split("."))
                if found is not None:
                    return found
        if head in self.by_name:
            return self.canonical(".".join([self.by_name[head], *target.split(".")[1:]]), modules_first=True)
        return None

    @staticmethod
    def _scopes(obj):
        while obj is not None:
            yield obj
            obj = obj.parent

    def is_documented(self, path):
        if path in self.documented:
            return True
        parent, _, name = path.rpartition(".")
        return not name.startswith("_") and parent in self.documented and self.module_path(parent) is None

    def convert(self, text, scope):
        def replace(match):
            role, short, target = match.groups()
            label, _, explicit = target.partition(" <")
            if explicit:
                target, label = explicit.rstrip(">").strip(), label.strip()
            else:
                label = target.split(".")[-1] if short else target
            target = target.removesuffix("()")
            head = target.split(".")[0]
            path = self.resolve(target, scope, role)
            if path is None and head != self.pkg.name and head not in self.by_name and "." in target:
                return f"`{label}`"  # outside jaxlops (scipy.fft.dct, ...)
            if path is None:
                return f"[`{label}`][{target}]"  # unknown: left to autorefs, which fails a strict build
            if not self.is_documented(path):
                return f"`{label}`"  # private helpers
            return f"[`{label}`][{path}]"

        return _ROLE.sub(replace, text)


def _is_module(obj):
    return obj is not None and not obj.is_alias and obj.is_module


def _field_arguments(value):
    """Keyword arguments of ``static_field(...)`` / ``dataclasses.field(...)``, or None."""
    if isinstance(value, griffe.ExprCall) and str(value.function).split(".")[-1] in FIELD_FUNCTIONS:
        return {arg.name: arg.value for arg in value.arguments if isinstance(arg, griffe.ExprKeyword)}
    return None


def _fields(cls):
    """Dataclass fields of ``cls`` in ``__init__`` order: ``name -> Parameter`` (or None)."""
    fields = {}
    for member in cls.members.values():
        if member.is_alias or not member.is_attribute or member.annotation is None:
            continue
        if "property" in member.labels or str(member.annotation).startswith("ClassVar"):
            continue
        arguments = _field_arguments(member.value)
        if arguments is None:
            default = member.value
        elif str(arguments.get("init", "True")) == "False":
            fields[member.name] = None
            continue
        elif "default_factory" in arguments:
            default = f"{arguments['default_factory']}()"
        else:
            default = arguments.get("default")
        fields[member.name] = griffe.Parameter(
            member.name, annotation=member.annotation, kind=griffe.ParameterKind.positional_or_keyword, default=default
        )
    return fields


def add_dataclass_init(cls):
    """Give an operator class the ``__init__`` that ``dataclasses.dataclass`` makes at run time."""
    try:
        mro = cls.mro()
    except Exception:
        return
    if "__init__" in cls.members or LINEAR_OPERATOR not in {base.path for base in mro}:
        return
    fields = {}
    for klass in [*reversed(mro), cls]:
        if klass.is_alias or klass.path == LINEAR_OPERATOR:
            continue
        for name, parameter in _fields(klass).items():
            fields[name] = parameter  # a redeclared field keeps its place, with the new default
    parameters = [p for p in fields.values() if p is not None]
    init = griffe.Function(
        "__init__",
        lineno=cls.lineno,
        endlineno=cls.lineno,
        parent=cls,
        parameters=griffe.Parameters(
            griffe.Parameter("self", kind=griffe.ParameterKind.positional_or_keyword), *parameters
        ),
        returns="None",
    )
    cls.set_member("__init__", init)


def assigned_docstrings(module):
    """Docstrings a module assigns after the fact (``fista.__doc__ = rf"...{_PARAMETERS}..."``),
    evaluated from the module's string constants; ``{name: text}``."""
    source = module.source if module.filepath else ""
    if ".__doc__ =" not in source:
        return {}
    tree = ast.parse(source)
    constants = {
        node.targets[0].id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
    }
    docstrings = {}
    for node in tree.body:
        target = node.targets[0] if isinstance(node, ast.Assign) else None
        if not (isinstance(target, ast.Attribute) and target.attr == "__doc__" and isinstance(target.value, ast.Name)):
            continue
        parts = node.value.values if isinstance(node.value, ast.JoinedStr) else [node.value]
        try:
            text = "".join(part.value if isinstance(part, ast.Constant) else constants[part.value.id] for part in parts)
        except (AttributeError, KeyError):  # anything but names of string constants: left alone
            continue
        docstrings[target.value.id] = (inspect.cleandoc(text), node.lineno)
    return docstrings


def comment_docstring(attribute):
    """The Sphinx doc comment at the end of an attribute's line (``CONVERGED = 0  #: ...``)."""
    try:
        line = attribute.lines[0] if attribute.lines else ""
    except Exception:  # no source
        return None
    _, marker, text = line.partition("#:")
    return text.strip() or None if marker else None


def _objects(obj):
    for member in list(obj.members.values()):
        if member.is_alias:
            continue
        yield member
        if member.is_module or member.is_class:
            yield from _objects(member)


class JaxlopsDocs(griffe.Extension):
    """Dataclass signatures of operators; Sphinx math and roles as Markdown."""

    def on_package(self, *, pkg, **kwargs):
        if pkg.name != "jaxlops":
            return
        references = References(pkg)
        for module in [pkg, *_objects(pkg)]:
            if module.is_module:
                for name, (text, lineno) in assigned_docstrings(module).items():
                    target = module.members.get(name)
                    if target is not None and not target.is_alias:
                        target.docstring = griffe.Docstring(text, lineno=lineno, parent=target)
        for obj in [pkg, *_objects(pkg)]:
            if obj.is_attribute and obj.docstring is None and (comment := comment_docstring(obj)):
                obj.docstring = griffe.Docstring(comment, lineno=obj.lineno, parent=obj)
            if obj.is_class:
                add_dataclass_init(obj)
            if obj.docstring is not None:
                text = convert_inline_math(convert_math_blocks(_ESCAPED_SPACE.sub("", obj.docstring.value)))
                obj.docstring.value = references.convert(text, obj)
