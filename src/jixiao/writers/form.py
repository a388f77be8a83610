"""The seed's form, for front ends that draw a table themselves (the web UI): the same cell
texts, amounts, goals and merged runs as the Word and Excel writers."""

from jixiao.writers._layout import amount_text, cell_text, goals_text, groups, unit_text

__all__ = ["amount_text", "cell_text", "goals_text", "groups", "unit_text"]
