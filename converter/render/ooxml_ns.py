"""The Office Open XML namespaces and relationship types the .docx and .pptx
writers name themselves (ECMA-376), in one table.

python-docx's and python-pptx's ``qn()`` and ``nsdecls()`` keep their own
tables for the prefixed names they resolve; these are the URIs our code
writes directly: package parts built as text, Clark names for lxml, and the
xmlns declarations of slide XML.
"""

from __future__ import annotations

# Namespaces
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"  # w:
A = "http://schemas.openxmlformats.org/drawingml/2006/main"  # a:
P = "http://schemas.openxmlformats.org/presentationml/2006/main"  # p:
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"  # r:
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"  # _rels/*.rels
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"  # [Content_Types].xml
CORE_PROPERTIES = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"  # cp:

# Relationship types
REL_OFFICE_DOCUMENT = f"{R}/officeDocument"
REL_STYLES = f"{R}/styles"
REL_SETTINGS = f"{R}/settings"
REL_FONT = f"{R}/font"
REL_CORE_PROPERTIES = f"{PACKAGE_RELATIONSHIPS}/metadata/core-properties"

