"""Every endpoint of the app, found without a list kept by hand.

Pages come from the URL conf (``get_resolver()``, every named pattern); the API
comes from the OpenAPI schema (drf-spectacular's ``SchemaGenerator``, every path and
method).  A pattern served by a view the schema documents belongs to the API part;
everything else (the API's own schema and docs pages included) is a page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from django.urls import URLPattern, URLResolver, get_resolver

METHODS = ("get", "post", "put", "patch", "delete")
_ALTERNATIVES = re.compile(r"\(\?P<(\w+)>([\w|-]+)\)")


@dataclass(frozen=True)
class Page:
    name: str                                # "app:name"
    route: str                               # the pattern, for messages
    params: tuple[str, ...]                  # its keyword arguments
    choices: dict = field(default_factory=dict, hash=False, compare=False)  # param -> allowed values
    module: str = ""


@dataclass(frozen=True)
class Operation:
    path: str                                # "/api/units/{id}/"
    method: str                              # "get", "post", …

    @property
    def params(self) -> tuple[str, ...]:
        return tuple(re.findall(r"{(\w+)}", self.path))


def _walk(resolver: URLResolver, prefix: str = "", ns: str = ""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            inner = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
            yield from _walk(p, prefix + str(p.pattern), inner)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), (f"{ns}:{p.name}" if ns and p.name else p.name), p


@cache
def api_operations() -> tuple[Operation, ...]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return tuple(Operation(path, method) for path, ops in schema["paths"].items() for method in ops
                 if method in METHODS)


@cache
def _schema_views() -> frozenset:
    """The view classes that have operations in the schema (its own views exclude themselves)."""
    from drf_spectacular.generators import SchemaGenerator

    gen = SchemaGenerator()
    gen._initialise_endpoints()
    return frozenset(type(view) for _p, _m, view in _endpoint_views(gen)
                     if view.schema is not None and not view.schema.is_excluded())


def _endpoint_views(gen):
    for path, _regex, method, view in gen._get_paths_and_endpoints():
        yield path, method, view


def _view_class(pattern: URLPattern):
    cb = pattern.callback
    return getattr(cb, "cls", None) or getattr(cb, "view_class", None)


@cache
def pages() -> tuple[Page, ...]:
    """Every named pattern not served by a view of the schema."""
    documented = _schema_views()
    found: dict[str, Page] = {}
    for route, name, pattern in _walk(get_resolver()):
        if not name or _view_class(pattern) in documented:
            continue
        regex = pattern.pattern.regex.pattern
        choices = {k: tuple(v.split("|")) for k, v in _ALTERNATIVES.findall(regex) if "|" in v}
        params = tuple(pattern.pattern.regex.groupindex)
        found.setdefault(name, Page(name, route, params, choices, getattr(pattern.callback, "__module__", "")))
    return tuple(found.values())


@cache
def unnamed_patterns() -> tuple[tuple[str, str], ...]:
    """Patterns without a name, outside Django's own apps (they would escape the matrix)."""
    out = []
    for route, name, pattern in _walk(get_resolver()):
        module = getattr(pattern.callback, "__module__", "")
        if not name and _view_class(pattern) not in _schema_views() and not module.startswith("django."):
            out.append((route, module))
    return tuple(out)
