"""The everyday judge: nearest exemplar by rendered ink, on hand-made shapes and the fixture catalog's icons."""

import numpy as np
import pytest

from svglm.evaluate import EVERYDAY_PROMPTS
from svglm.recognize import GRID, OTHER, Exemplars, ink_grid, judge_real_icons, load_exemplars, named_for
from training.catalog import FIXTURE_CATALOG

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 480">{}</svg>'
RING = SVG.format('<circle cx="{}" cy="240" r="160" fill="none" stroke="black" stroke-width="40"/>')
BAR = SVG.format('<rect x="{}" y="200" width="360" height="80"/>')


def test_ink_grid_is_zero_for_blank_and_broken_drawings_and_dark_where_drawn() -> None:
    assert not ink_grid(SVG.format("")).any()
    assert not ink_grid("<svg><path d='M0 0L</svg>").any()
    grid = ink_grid(BAR.format(60)).reshape(GRID, GRID)
    assert grid.shape == (GRID, GRID) and grid[GRID // 2].mean() > 0.7 and grid[2].max() == 0


def test_nearest_exemplar_names_the_shape_and_blank_drawings_are_never_recognized() -> None:
    exemplars = Exemplars.from_svgs(
        [
            ("ring", RING.format(240)),
            ("bar", BAR.format(60)),
            (OTHER, SVG.format("")),
            (OTHER, SVG.format('<path d="M0 0h480v40H0z"/>')),
        ]
    )
    assert len(exemplars.labels) == 3  # the blank exemplar is left out
    assert exemplars.nearest_label(RING.format(250)) == "ring"
    assert exemplars.nearest_label(BAR.format(70)) == "bar"
    assert exemplars.nearest_label(SVG.format("")) is None
    drawings = [("ring", RING.format(230)), ("ring", BAR.format(50)), ("bar", SVG.format(""))]
    assert exemplars.recognized_share(drawings) == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="no drawings"):
        exemplars.recognized_share([])


def test_catalog_exemplars_are_named_for_their_prompt_and_judge_held_out_icons() -> None:
    assert all(svg.startswith("<svg") for svg in named_for(FIXTURE_CATALOG, "camera", "train", 50))
    exemplars = load_exemplars(FIXTURE_CATALOG, EVERYDAY_PROMPTS, per_prompt=50, others=60)
    labels = set(exemplars.labels)
    assert labels <= {*EVERYDAY_PROMPTS, OTHER} and OTHER in labels and "camera" in labels
    assert exemplars.grids.shape == (len(exemplars.labels), GRID * GRID)
    assert np.allclose(np.linalg.norm(exemplars.grids, axis=1), 1.0, atol=1e-5)
    for label in labels - {OTHER}:  # an exemplar is its own nearest
        first = named_for(FIXTURE_CATALOG, label, "train", 1)[0]
        assert exemplars.nearest_label(first) == label
    assert 0.0 <= judge_real_icons(exemplars, FIXTURE_CATALOG, EVERYDAY_PROMPTS) <= 1.0
