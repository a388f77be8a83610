"""How the app looks: a sober theme on the machine's own fonts (nothing fetched from the
internet), and the styles of the tables, findings and summary it renders."""

from __future__ import annotations

# System fonts only: gradio's themes otherwise name web fonts, and a finance bureau's network
# has no route to them (the page would wait, then fall back anyway).
SANS = [
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "SimHei",
    "system-ui",
    "sans-serif",
]
MONO = ["Consolas", "Noto Sans Mono CJK SC", "WenQuanYi Micro Hei Mono", "monospace"]


def theme():
    """gradio's plain theme in slate blue, on local fonts."""
    import gradio as gr

    return gr.themes.Default(
        primary_hue=gr.themes.colors.blue,
        secondary_hue=gr.themes.colors.slate,
        neutral_hue=gr.themes.colors.slate,
        radius_size=gr.themes.sizes.radius_sm,
        text_size=gr.themes.sizes.text_md,
        font=SANS,
        font_mono=MONO,
    ).set(
        body_background_fill="#f4f6f9",
        block_border_width="1px",
        block_shadow="none",
        button_primary_background_fill="#1f4e8c",
        button_primary_background_fill_hover="#173d6e",
        button_primary_text_color="#ffffff",
    )


CSS = """
.gradio-container{max-width:1280px !important;margin:auto}
footer{display:none !important}
#jx-header{background:#1f4e8c;color:#fff;padding:14px 20px;border-radius:4px;margin-bottom:4px}
#jx-header h1{color:#fff;font-size:1.45em;margin:0 0 4px 0;letter-spacing:.05em}
#jx-header p{color:#dfe7f3;margin:2px 0;font-size:.95em}
#jx-header ol{margin:6px 0 0 1.2em;padding:0;font-size:.93em}
#jx-header li{margin:1px 0;color:#f3f6fa !important}
#jx-header b{color:#ffe9a8 !important}
.jx-summary{display:flex;flex-wrap:wrap;gap:10px;margin:4px 0 8px 0}
.jx-card{background:#fff;border:1px solid #d5dbe3;border-radius:4px;padding:8px 14px;min-width:110px}
.jx-card b{display:block;font-size:1.5em;color:#1f2d3d}
.jx-card span{color:#5a6778;font-size:.9em}
.jx-card.error b{color:#c0392b}.jx-card.warning b{color:#b7791f}.jx-card.info b{color:#2b6cb0}
.jx-note{background:#fff;border:1px solid #d5dbe3;border-left:4px solid #1f4e8c;padding:8px 12px;
margin:6px 0;border-radius:3px}
.jx-note.bad{border-left-color:#c0392b}.jx-note.ok{border-left-color:#2f855a}
.jx-note ul{margin:4px 0 0 1.2em;padding:0}
.jx-codes{font-size:.92em;color:#333}
.jx-table{overflow-x:auto}
.jx-table table.form{border-collapse:collapse;width:100%;background:#fff;font-size:.92em}
.jx-table caption{font-weight:bold;font-size:1.15em;padding:6px;color:#1f2d3d}
.jx-table td,.jx-table th{border:1px solid #9aa5b1;padding:4px 6px;vertical-align:top;
white-space:pre-wrap;word-break:break-word}
.jx-table th{background:#e8edf3;font-weight:600}
.jx-table td.label{background:#f3f5f8;font-weight:600;white-space:nowrap}
.jx-table td.error{background:#f8cbad}.jx-table td.warning{background:#ffe699}
.jx-table td.info{background:#ddebf7}
.jx-table td.hit{outline:3px solid #1f4e8c;outline-offset:-3px}
.jx-table tr.cited td{box-shadow:inset 0 0 0 2px #1f4e8c}
.jx-table td.issues{min-width:260px;font-size:.9em;background:#fff}
.jx-table td.c-name{min-width:150px}.jx-table td.c-description{min-width:130px}
.jx-table td.c-value{min-width:90px}.jx-table td.jx-prov{min-width:170px;max-width:240px}
.jx-table .meta{color:#5a6778;font-size:.9em;margin:2px 0 6px 0}
.jx-f{margin:2px 0;padding:2px 6px;border-left:3px solid #999}
.jx-f.error{border-color:#c0392b}.jx-f.warning{border-color:#d69e2e}.jx-f.info{border-color:#3182ce}
.jx-f .sev{font-weight:bold;margin-right:4px}
.jx-f .fix{color:#276749}
.jx-prov{color:#5a6778;font-size:.88em}
.jx-ph{background:#fff3bf;border-bottom:1px dashed #b7791f}
.jx-hits{display:flex;flex-direction:column;gap:6px}
.jx-hit{background:#fff;border:1px solid #d5dbe3;border-radius:3px;padding:6px 10px}
.jx-hit .where{color:#1f4e8c;font-weight:600}
.jx-hit .kind{color:#5a6778;font-size:.85em;margin-left:6px}
.jx-hit .text{white-space:pre-wrap;color:#333;font-size:.92em;margin-top:2px}
.jx-mode{color:#5a6778;font-size:.88em}
"""
