"""Lecture converter: raw Chinese lecture text -> outline -> .docx / .pdf / .pptx."""

__version__ = "0.1.0"
