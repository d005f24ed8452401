"""SVGEditBench v1 on disk: the six task folders, the query text, and emoji names and ids.

The format is fixed by the published benchmark (``shared/SVGEDITBENCH.md``); :func:`format_query` writes it
byte for byte and :func:`parse_query` reads it back, so our synthetic cases, our training prompts and the
official files share one definition. Readers are :mod:`training.svgeditbench` (the harness) and
:mod:`training.editdata` (training cases and the synthetic benchmark).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

# Task names (as in training.edits) and the folders the official release keeps them in, in its order.
TASK_FOLDERS = {
    "change_color": "1_ChangeColor",
    "set_contour": "2_SetContour",
    "compression": "3_Compression",
    "upside_down": "4_UpSideDown",
    "transparency": "5_Transparency",
    "crop_to_half": "6_CropToHalf",
}
QUERY_TEMPLATE = (
    "The following code is the SVG code for the emoji '{name}'. {instruction}\n\n```svg\n{svg}\n```\n\n"
    "Please respond in the following format. Only return the SVG code. \n\n```svg\n<svg>...</svg>\n```"
)
_QUERY = re.compile(
    r"The following code is the SVG code for the emoji '(?P<name>.*?)'\. (?P<instruction>[^\n]*)\n\n"
    r"```svg\n(?P<svg>.*)\n```\n\nPlease respond in the following format\.",
    re.DOTALL,
)
# Code points below the arrows block are letters, digits and punctuation, never an emoji on its own.
_FIRST_EMOJI_CODEPOINT = 0x2190


class SVGEditBenchError(ValueError):
    """A benchmark folder or query file that does not follow SVGEditBench's v1 format."""


@dataclass(frozen=True)
class Query:
    """What a query file says: the emoji's name, the instruction sentence and the original SVG."""

    name: str
    instruction: str
    svg: str


def format_query(name: str, instruction: str, svg: str) -> str:
    """The whole prompt of one case, exactly as SVGEditBench writes it (one trailing space, no final newline).

    Example:
        >>> format_query("bomb", "Please flip this emoji upside down.", "<svg/>").splitlines()[:3]
        ["The following code is the SVG code for the emoji 'bomb'. Please flip this emoji upside down.", '', '```svg']
    """
    return QUERY_TEMPLATE.format(name=name, instruction=instruction, svg=svg)


def parse_query(text: str) -> Query:
    """Read a query back into its name, instruction and original SVG (verbatim).

    Raises:
        SVGEditBenchError: the text is not an SVGEditBench query.

    Example:
        >>> parse_query(format_query("bomb", "Please make this emoji transparent by half.", "<svg/>")).svg
        '<svg/>'
    """
    match = _QUERY.match(text.replace("\r\n", "\n"))
    if match is None:
        raise SVGEditBenchError(
            f"not an SVGEditBench query (it starts {text[:60]!r}); expected "
            "\"The following code is the SVG code for the emoji '<name>'. <instruction>\" then an ```svg block"
        )
    return Query(name=match["name"], instruction=match["instruction"], svg=match["svg"])


def emoji_name_and_id(icon_id: str, icon_name: str) -> tuple[str, str]:
    """The query's name and the case id for a catalog icon.

    An icon named after one Unicode character (``droplet``) gets that character's lowercased name and its
    lowercase hex code point, as SVGEditBench's ids are; any other icon gets its name with spaces and a stable
    8-digit hex id from its catalog id (longer than any code point, so the two never collide).

    Example:
        >>> emoji_name_and_id("emojione:droplet", "droplet"), emoji_name_and_id("noto:letter-a", "letter-a")[0]
        (('droplet', '1f4a7'), 'letter a')
    """
    words = icon_name.replace("-", " ").replace("_", " ")
    try:
        char = unicodedata.lookup(words)
    except KeyError:
        char = ""
    if len(char) == 1 and ord(char) >= _FIRST_EMOJI_CODEPOINT:
        return unicodedata.name(char).lower(), f"{ord(char):x}"
    return words, hashlib.sha256(icon_id.encode()).hexdigest()[:8]


def case_paths(root: Path, task: str, case_id: str) -> tuple[Path, Path]:
    """Where a case's query and answer live: ``<root>/<task folder>/query/<id>.txt`` and ``answer/<id>.svg``."""
    folder = Path(root) / TASK_FOLDERS[task]
    return folder / "query" / f"{case_id}.txt", folder / "answer" / f"{case_id}.svg"


def write_case(root: Path, task: str, case_id: str, query: str, answer: str) -> None:
    """Write one case in the official layout, without adding a trailing newline to either file."""
    query_path, answer_path = case_paths(root, task, case_id)
    for path, text in ((query_path, query), (answer_path, answer)):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@dataclass(frozen=True)
class Case:
    """One benchmark case: its task, id, the parsed query and the reference answer's text."""

    task: str
    case_id: str
    query: Query
    answer: str


def read_cases(root: Path, limit: int | None = None) -> list[Case]:
    """Every case under ``root``, task by task in the official order, ids sorted; ``limit`` ids per task.

    Raises:
        SVGEditBenchError: no task folder, a query without its answer, or a query that does not parse.
    """
    root = Path(root)
    cases = []
    for task, folder in TASK_FOLDERS.items():
        ids = sorted(p.stem for p in (root / folder / "query").glob("*.txt"))
        for case_id in ids[:limit]:
            query_path, answer_path = case_paths(root, task, case_id)
            if not answer_path.is_file():
                raise SVGEditBenchError(f"{query_path} has no answer at {answer_path}; the folder is incomplete")
            try:
                query = parse_query(query_path.read_text(encoding="utf-8"))
            except SVGEditBenchError as exc:
                raise SVGEditBenchError(f"{query_path}: {exc}") from exc
            cases.append(Case(task, case_id, query, answer_path.read_text(encoding="utf-8")))
    if not cases:
        raise SVGEditBenchError(
            f"no cases under {root}; expected {', '.join(TASK_FOLDERS.values())} folders with query/<id>.txt"
        )
    return cases
