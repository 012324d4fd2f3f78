"""Parsing XML parts (ours, or a user's template's) safely: no entity is
resolved and the network is never used.  A template is untrusted input, and
an external entity would read a file of the server's into the deck.
(python-docx and python-pptx parse their own parts the same way.)  Apart
from ooxml_ns.py, which the plans import and which must import no document
library."""

from __future__ import annotations

from typing import Any

from lxml import etree

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def parse_xml(data: bytes) -> Any:
    """The root element of an XML part, parsed as above."""
    return etree.fromstring(data, _PARSER)
