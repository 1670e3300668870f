"""HTML trees as every court parser reads them: parsed once by lxml, text as a browser shows it.

Plain `etree` elements (not `lxml.html`'s classes: walking them is several times faster).
"""

from __future__ import annotations

import re

from lxml import etree

from scraper.pagetext import norm

Element = etree._Element
_PARSER = etree.HTMLParser()
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
MAX_DEPTH = 120  # portal pages nest about 15 deep; libxml2 gives up (dropping the rest) at 256
_TOO_DEEP = etree.XPath("boolean(/" + "/".join(["*"] * (MAX_DEPTH + 1)) + ")")


def document(html: str) -> Element | None:
    """The page as a tree, None when it holds no HTML at all."""
    try:
        return etree.fromstring(_XML_DECLARATION.sub("", html, count=1), _PARSER)  # None for no markup
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None


def without_hidden_text(doc: Element) -> Element:
    """Script, style, comments and processing instructions out, the text after each kept."""
    for node in list(doc.iter(etree.Comment, etree.ProcessingInstruction, "script", "style")):
        parent = node.getparent()
        if parent is None:
            continue
        if node.tail:
            before = node.getprevious()
            if before is not None:
                before.tail = (before.tail or "") + node.tail
            else:
                parent.text = (parent.text or "") + node.tail
        parent.remove(node)
    return doc


def text_of(el: Element) -> str:
    """An element's text as one line (call on a tree through `without_hidden_text`)."""
    if len(el) == 0:  # most cells: text only
        return norm(el.text)
    return norm(" ".join(el.itertext()))


def too_deep(doc: Element) -> bool:
    """Nested deeper than any portal page: libxml2 may have dropped what lies below its limit."""
    return bool(_TOO_DEEP(doc))
