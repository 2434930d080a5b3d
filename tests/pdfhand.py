"""Small PDFs written byte by byte, for text layers a browser never prints.

Why: chromium's PDFs map every glyph to its character; the PDF reader must also cope with
what typesetting systems write: glyphs whose text is only in ``/ActualText`` (a span of
look-alike glyphs, here Helvetica's ``x``), and a Type 3 font with no Unicode map at all
(its glyphs carry codes, not characters).  Each line of a page is drawn one way or the
other; coordinates are points from the page's top-left corner, as the reader reports them.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT = 595.0, 842.0


@dataclass
class Text:
    x: float
    y: float  # top of the line, from the top of the page
    size: float
    text: str
    # "actual": x glyphs with the text in /ActualText; "bold": the same in Helvetica-Bold;
    # "nomap": glyphs of a Type 3 font with no Unicode map
    how: str = "actual"


def _utf16(text: str) -> str:
    return "FEFF" + text.encode("utf-16-be").hex().upper()


def _content(lines: list[Text]) -> bytes:
    out = []
    for t in lines:
        base = HEIGHT - t.y - t.size * 0.8  # baseline
        if t.how in ("actual", "bold"):
            glyphs = "x" * len(t.text)
            font = "/F3" if t.how == "bold" else "/F1"
            # Helvetica's x is half an em wide: spread the glyphs a full em apart (Tc)
            out.append(f"/Span <</ActualText <{_utf16(t.text)}>>> BDC BT {font} {t.size} Tf "
                       f"{t.size * 0.5:.2f} Tc 1 0 0 1 {t.x} {base:.2f} Tm ({glyphs}) Tj ET EMC")
        else:
            codes = "".join(chr(97 + (i % 2)) for i in range(len(t.text)))
            out.append(f"BT /F2 {t.size} Tf 1 0 0 1 {t.x} {base:.2f} Tm ({codes}) Tj ET")
    return "\n".join(out).encode("ascii")


def _obj_stream(data: bytes) -> bytes:
    return f"<< /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"


def build(pages: list[list[Text]]) -> bytes:
    """A PDF of ``pages``, each a list of lines."""
    n = len(pages)
    font1, font2, proc, font3 = 3 + 2 * n, 4 + 2 * n, 5 + 2 * n, 6 + 2 * n
    objs: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{' '.join(f'{3 + 2 * i} 0 R' for i in range(n))}] "
        f"/Count {n} >>".encode(),
    ]
    for i, lines in enumerate(pages):
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {WIDTH} {HEIGHT}] "
                    f"/Contents {4 + 2 * i} 0 R /Resources << /Font << /F1 {font1} 0 R "
                    f"/F2 {font2} 0 R /F3 {font3} 0 R >> >> >>".encode())
        objs.append(_obj_stream(_content(lines)))
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    objs.append(f"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] "
                f"/FontMatrix [0.001 0 0 0.001 0 0] /CharProcs << /g1 {proc} 0 R "
                f"/g2 {proc} 0 R >> /Encoding << /Type /Encoding /Differences [97 /g1 /g2] >> "
                f"/FirstChar 97 /LastChar 98 /Widths [1000 1000] >>".encode())
    objs.append(_obj_stream(b"1000 0 0 0 1000 1000 d1 100 0 800 900 re f"))
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>")
    out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for k, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{k} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n"
            f"%%EOF\n").encode()
    return out


def newspaper_page(date: str = "1998年1月2日", page: str = "第3版：要闻",
                   stories: list[tuple[str, list[str], str]] | None = None) -> list[Text]:
    """A one-column page: a header, then stories (title, body lines, how the body is drawn)
    one under the other, and a footer."""
    lines = [Text(40, 30, 9, "工人日报"), Text(250, 30, 9, date), Text(470, 30, 9, page)]
    y = 70.0
    for title, body, how in stories or []:
        lines.append(Text(40, y, 20, title))
        y += 34
        for text in body:
            lines.append(Text(40, y, 10, text, how))
            y += 15
        y += 25
    lines.append(Text(40, 800, 8, "责任编辑：李四"))
    return lines
