"""Matplotlib drawing of a laid-out ``Diagram``, saved as PNG, SVG or PDF by file suffix.

matplotlib is optional, so it is imported only when a drawing is made. The
figure is built with ``matplotlib.figure.Figure`` directly, without pyplot,
so drawing never opens a window or touches pyplot's global state.
"""

import io
import logging
import math
from pathlib import Path

from .diagram import Diagram, check_direction
from .errors import MissingDependencyError, UnsupportedFormatError
from .layout import FONT_SIZE, Layout, compute_layout
from .styles import BORDER_WIDTH, CLUSTER_COLOR, EDGE_STYLES, FONT_FAMILY, HIGHLIGHT_WIDTH, NODE_STYLES

logger = logging.getLogger(__name__)

FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
# Larger layouts are scaled down, text included, so that neither side of the
# figure exceeds this many inches.
MAX_SIDE_INCHES = 120.0
DPI = 144
# PNG pixel budget: big figures get a lower resolution instead of gigabytes of memory.
MAX_PIXELS = 40_000_000
# Metrics come from DejaVu Sans, which matplotlib bundles; the generic
# fallback lets browsers without it show SVG labels in another sans-serif font.
FONT_FAMILIES = [FONT_FAMILY, "sans-serif"]
ARROW_LENGTH = 0.1
ARROW_WIDTH = 0.07
LEGEND_CHAR_WIDTH = 0.056
MIN_FIGURE_WIDTH = 2.5
# Estimated width per character of the 12 pt bold title, in inches.
TITLE_CHAR_WIDTH = 0.105
LEGEND_ROW_HEIGHT = 0.22


def import_matplotlib():
    """Import matplotlib or raise ``MissingDependencyError`` telling how to install it."""
    try:
        import matplotlib  # noqa: F401
        from matplotlib.figure import Figure  # noqa: F401
    except ImportError as error:
        raise MissingDependencyError(
            "drawing a graph needs matplotlib, which is not installed; "
            "install it with `pip install matplotlib` (or the project's `bench` extra). "
            "DOT text from to_dot() needs no extra package."
        ) from error
    return matplotlib


def draw(diagram: Diagram, path=None, *, direction: str = "TB", legend: bool = True):
    """Draw ``diagram`` and return the matplotlib ``Figure``; also save it when ``path`` is given.

    The file format follows the suffix of ``path``: ``.png``, ``.svg`` or ``.pdf``.
    """
    check_direction(direction)
    file_format = _format_of(path) if path is not None else None
    import_matplotlib()

    layout = compute_layout(diagram, direction, _font_line_width())
    figure = _build_figure(diagram, layout, legend)
    if path is not None:
        save(figure, path, file_format)
    return figure


def svg_text(diagram: Diagram, *, direction: str = "TB") -> str:
    """Return the drawing as SVG text, for Jupyter's ``_repr_svg_``."""
    buffer = io.StringIO()
    save(draw(diagram, direction=direction), buffer, "svg")
    return buffer.getvalue()


def save(figure, target, file_format: str) -> None:
    """Write ``figure`` to a path or file object; labels stay text in SVG output."""
    matplotlib = import_matplotlib()
    width, height = figure.get_size_inches()
    dpi = min(DPI, math.sqrt(MAX_PIXELS / max(width * height, 1e-9)))
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "graphdraw"}):
        figure.savefig(target, format=file_format, dpi=dpi, metadata=_metadata(file_format))
    if isinstance(target, (str, Path)):
        logger.info("wrote %s drawing to %s", file_format.upper(), target)


def _font_line_width():
    """Return a function measuring one label line in inches with matplotlib's font metrics, cached per line."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    measurer = TextToPath()
    font = FontProperties(family=FONT_FAMILIES, size=FONT_SIZE)
    widths: dict[str, float] = {}

    def line_width(line: str) -> float:
        if line not in widths:
            width_points, _, _ = measurer.get_text_width_height_descent(line, font, ismath=False)
            widths[line] = width_points / 72.0
        return widths[line]

    return line_width


def _metadata(file_format: str) -> dict:
    # Without a date the same graph gives the same bytes, so files diff cleanly.
    if file_format == "svg":
        return {"Date": None}
    if file_format == "pdf":
        return {"CreationDate": None}
    return {}


def _format_of(path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise UnsupportedFormatError(
            f"cannot save a drawing to {str(path)!r}: suffix {suffix or '(none)'!r} is not supported; "
            f"use one of {', '.join(FORMATS)}"
        )
    return FORMATS[suffix]


def _build_figure(diagram: Diagram, layout: Layout, legend: bool):
    from matplotlib.figure import Figure

    entries = _legend_entries(diagram) if legend else []
    title_width = len(diagram.title) * TITLE_CHAR_WIDTH + 0.3
    width = max(layout.width, MIN_FIGURE_WIDTH, title_width, max(map(_legend_entry_width, entries), default=0.0))
    columns, rows = _legend_grid(entries, width)
    legend_height = rows * LEGEND_ROW_HEIGHT + 0.1 * bool(rows)
    title_height = 0.4 if diagram.title else 0.0
    total = layout.height + legend_height + title_height
    scale = min(1.0, MAX_SIDE_INCHES / max(width, total))
    figure = Figure(figsize=(width * scale, total * scale))

    axes = figure.add_axes((0.0, legend_height / total, 1.0, layout.height / total))
    axes.set_xlim((layout.width - width) / 2, (layout.width + width) / 2)
    axes.set_ylim(layout.height, 0.0)
    axes.set_axis_off()

    _draw_clusters(axes, diagram, layout, scale)
    _draw_edges(axes, diagram, layout, scale)
    _draw_nodes(axes, diagram, layout, scale)
    if diagram.title:
        figure.text(0.5, 1.0 - 0.5 * title_height / total, diagram.title, ha="center", va="center",
                    fontsize=FONT_SIZE * 1.2 * scale, family=FONT_FAMILIES, weight="bold")
    if entries:
        figure.legend(handles=entries, loc="lower center", ncols=columns, frameon=False,
                      prop={"family": FONT_FAMILIES, "size": FONT_SIZE * 0.85 * scale})
    return figure


def _legend_entry_width(entry) -> float:
    """Return an estimate in inches of one legend entry: marker, gap and label."""
    return len(entry.get_label()) * LEGEND_CHAR_WIDTH + 0.5


def _legend_grid(entries, width: float) -> tuple[int, int]:
    """Return (columns, rows) so the legend fits in ``width`` inches."""
    if not entries:
        return 0, 0
    widest = max(map(_legend_entry_width, entries))
    columns = max(1, min(len(entries), int(width / widest)))
    return columns, math.ceil(len(entries) / columns)


def _draw_nodes(axes, diagram: Diagram, layout: Layout, scale: float) -> None:
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Ellipse, FancyBboxPatch

    patches = []
    for node in diagram.nodes:
        style = NODE_STYLES[node.kind]
        (x, y), (width, height) = layout.centers[node.id], layout.sizes[node.id]
        if style.shape == "ellipse":
            patch = Ellipse((x, y), width, height)
        else:
            box = "round,pad=0,rounding_size=0.07" if style.shape == "round" else "square,pad=0"
            patch = FancyBboxPatch((x - width / 2, y - height / 2), width, height, boxstyle=box)
        patch.set_facecolor(style.fill)
        patch.set_edgecolor(style.border)
        patch.set_linewidth((HIGHLIGHT_WIDTH if node.highlight else BORDER_WIDTH) * scale)
        patches.append(patch)
        axes.text(x, y, node.label, ha="center", va="center", fontsize=FONT_SIZE * scale,
                  family=FONT_FAMILIES, zorder=4, linespacing=1.15)
    axes.add_collection(PatchCollection(patches, match_original=True, zorder=3))


def _draw_edges(axes, diagram: Diagram, layout: Layout, scale: float) -> None:
    """Draw edges as smoothed polylines with triangular heads; parallel edges are drawn once with a count."""
    from matplotlib.collections import PatchCollection, PolyCollection
    from matplotlib.patches import PathPatch

    multiplicity: dict[tuple[str, str, str], int] = {}
    first_index: dict[tuple[str, str, str], int] = {}
    for index, edge in enumerate(diagram.edges):
        key = (edge.source, edge.target, edge.kind)
        multiplicity[key] = multiplicity.get(key, 0) + 1
        first_index.setdefault(key, index)

    for kind, style in EDGE_STYLES.items():
        keys = [key for key in first_index if key[2] == kind]
        if not keys:
            continue
        lines = [layout.edge_points[first_index[key]] for key in keys]
        heads = [_arrow_head(points) for points in lines]
        dashes = (0, (4, 2.5)) if style.dashed else "solid"
        paths = [PathPatch(_smooth_path(points[:-1] + [head[0]])) for points, head in zip(lines, heads)]
        axes.add_collection(PatchCollection(paths, facecolors="none", edgecolors=style.color,
                                            linewidths=1.0 * scale, linestyles=dashes, zorder=2))
        axes.add_collection(PolyCollection([head[1] for head in heads], facecolors=style.color,
                                           edgecolors="none", zorder=2))

    for key, count in multiplicity.items():
        label = diagram.edges[first_index[key]].label
        text = label if count == 1 else " ".join(filter(None, [label, f"×{count}"]))
        if text:
            x, y = _label_point(layout.edge_points[first_index[key]])
            axes.text(x, y, text, ha="left", va="center", fontsize=FONT_SIZE * 0.8 * scale,
                      family=FONT_FAMILIES, color=EDGE_STYLES[key[2]].color, zorder=5)


def _smooth_path(points):
    """Return a path through the first and last point that rounds each inner corner with a quadratic curve.

    Each inner point becomes the control point of a curve between the midpoints
    of its two segments, so the line keeps the polyline's route without kinks.
    """
    from matplotlib.path import Path

    if len(points) <= 2:
        return Path(points, [Path.MOVETO, Path.LINETO])

    vertices = [points[0], _midpoint(points[0], points[1])]
    codes = [Path.MOVETO, Path.LINETO]
    for index in range(1, len(points) - 1):
        last_corner = index == len(points) - 2
        end = points[index + 1] if last_corner else _midpoint(points[index], points[index + 1])
        vertices += [points[index], end]
        codes += [Path.CURVE3, Path.CURVE3]
    return Path(vertices, codes)


def _midpoint(first, second):
    return ((first[0] + second[0]) / 2, (first[1] + second[1]) / 2)


def _arrow_head(points):
    """Return where the line should stop and the triangle ending at the last point."""
    (x0, y0), (x1, y1) = points[-2], points[-1]
    length = math.hypot(x1 - x0, y1 - y0) or 1.0
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    base = (x1 - ux * ARROW_LENGTH, y1 - uy * ARROW_LENGTH)
    half = ARROW_WIDTH / 2
    triangle = [(x1, y1), (base[0] - uy * half, base[1] + ux * half), (base[0] + uy * half, base[1] - ux * half)]
    return base, triangle


def _label_point(points):
    middle = len(points) // 2
    (x0, y0), (x1, y1) = points[middle - 1], points[middle]
    return (x0 + x1) / 2 + 0.05, (y0 + y1) / 2


def _draw_clusters(axes, diagram: Diagram, layout: Layout, scale: float) -> None:
    from matplotlib.patches import Polygon

    for cluster in diagram.clusters:
        outline = layout.cluster_outlines[cluster.id]
        axes.add_patch(Polygon(outline, closed=True, facecolor=CLUSTER_COLOR, alpha=0.08, edgecolor="none",
                               zorder=1))
        axes.add_patch(Polygon(outline, closed=True, facecolor="none", edgecolor=CLUSTER_COLOR,
                               linestyle=(0, (4, 2)), linewidth=1.0 * scale, joinstyle="round", zorder=1))
        left, top = outline[-1]  # the top-left corner of the first band
        axes.text(left, top - 0.03, cluster.label, ha="left", va="bottom", color=CLUSTER_COLOR,
                  fontsize=FONT_SIZE * 0.8 * scale, family=FONT_FAMILIES, zorder=5)


def _legend_entries(diagram: Diagram) -> list:
    """Return legend handles for the node kinds, special edge kinds and clusters that the diagram uses."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    entries = []
    used = {node.kind for node in diagram.nodes}
    for kind in [kind for kind in NODE_STYLES if kind in used]:
        style = NODE_STYLES[kind]
        entries.append(Patch(facecolor=style.fill, edgecolor=style.border, label=diagram.legend.get(kind, style.description)))
    used = {edge.kind for edge in diagram.edges}
    for kind in [kind for kind in EDGE_STYLES if kind in used]:
        style = EDGE_STYLES[kind]
        if kind != "data":
            label = diagram.legend.get(f"edge:{kind}", style.description)
            entries.append(Line2D([], [], color=style.color, linestyle="--" if style.dashed else "-", label=label))
    if diagram.clusters:
        entries.append(Patch(facecolor="none", edgecolor=CLUSTER_COLOR, linestyle="--",
                             label=diagram.legend.get("cluster", "group")))
    return entries
