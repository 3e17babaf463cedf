"""Page variants of the mirror: the same graph, served the way some pages really arrive.

``js-similar``: the article page's "Similar articles" list arrives empty and a small
inline script fills it in the browser, with exactly the markup the plain page has. A
crawler that reads the HTML as served sees no similar articles; one that renders the page
(``-a render=1``) sees the first five, like on the plain page.

Use ``MirrorServer(graph, variant="js-similar")`` or ``python -m tests.mirror
--variant js-similar``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from tests.mirror.graph import MirrorGraph
from tests.mirror.server import Middleware, MirrorApp

__all__ = ["VARIANTS", "JsSimilarApp", "make_app"]

# The list as the plain page renders it: opening tag, its items, closing tag.
_SIMILAR_LIST = re.compile(
    r'(<ul class="articles-list" id="similar-articles-list">\n)(.*?)(</ul>)', re.S
)
_ITEM = re.compile(r"<li\b.*?</li>\n?", re.S)

_SCRIPT = """<script>
(function () {
  var items = %s;
  var list = document.getElementById("similar-articles-list");
  var tpl = document.createElement("template");
  tpl.innerHTML = items.join("");
  list.appendChild(tpl.content);
})();
</script>
"""


def _js_literal(items: list[str]) -> str:
    """A JSON array safe inside ``<script>`` (no ``</`` that could close the element)."""
    return json.dumps(items).replace("</", "<\\/")


class JsSimilarApp(MirrorApp):
    """Article pages whose Similar list is inserted by an inline script."""

    def render_article(self, pmid: str) -> str:
        page = super().render_article(pmid)

        def _empty_list(match: re.Match[str]) -> str:
            items = _ITEM.findall(match.group(2))
            return f"{match.group(1)}{match.group(3)}\n{_SCRIPT % _js_literal(items)}"

        return _SIMILAR_LIST.sub(_empty_list, page, count=1)


#: variant name -> app class (the plain mirror is ``None``)
VARIANTS: dict[str, type[MirrorApp]] = {"js-similar": JsSimilarApp}


def make_app(graph: MirrorGraph, variant: str | None,
             middlewares: Iterable[Middleware] = ()) -> MirrorApp:
    """The app serving ``graph`` as ``variant`` (None: the plain mirror)."""
    if variant is None:
        return MirrorApp(graph, middlewares)
    try:
        cls = VARIANTS[variant]
    except KeyError:
        raise ValueError(
            f"unknown mirror variant {variant!r}; known: {', '.join(VARIANTS)}"
        ) from None
    return cls(graph, middlewares)
