"""Writers: a printed report to the bytes of a docx, html or text file.

All three walk the same block sequence (`synth.writers.blocks`); only the serialisation differs.
"""

from __future__ import annotations

from collections.abc import Callable

from synth.printed import PrintedReport

Writer = Callable[[PrintedReport], bytes]


def writer_for(fmt: str) -> Writer:
    from synth.writers import docx_writer, html_writer, text_writer

    return {"docx": docx_writer.write, "html": html_writer.write, "txt": text_writer.write}[fmt]
