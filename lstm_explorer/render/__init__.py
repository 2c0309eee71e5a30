"""Renderers turn a RunResult into text; none of them computes anything the library didn't."""
