"""The plots API: every figure is a textplot_* function, exported flat, with one grammar of arguments."""
from __future__ import annotations

import importlib
import inspect

import pytest

import analysis_utils
from analysis_utils import plots

MODULES = ["outline", "terms", "slogans", "compare", "clouds"]
TEXTPLOTS = sorted({name for m in MODULES for name in dir(importlib.import_module(f"analysis_utils.plots.{m}"))
                    if name.startswith("textplot_")})


def test_there_are_the_eighteen_figures_and_two_clouds():
    assert len(TEXTPLOTS) == 20


@pytest.mark.parametrize("name", TEXTPLOTS)
def test_every_textplot_is_exported_from_plots_and_the_package(name):
    assert name in plots.__all__ and name in analysis_utils.__all__
    assert getattr(plots, name) is getattr(analysis_utils, name)


@pytest.mark.parametrize("name", TEXTPLOTS)
def test_the_analysed_object_first_everything_else_by_keyword(name):
    params = list(inspect.signature(getattr(plots, name)).parameters.values())
    positional = [p.name for p in params if p.kind is p.POSITIONAL_OR_KEYWORD]
    assert len(positional) == (2 if name == "textplot_comparison_cloud" else 1), positional
    assert not {"top", "n"} & {p.name for p in params} - ({"n"} if name == "textplot_keyness" else set())


def test_every_old_plot_name_is_an_alias_of_its_textplot():
    old = {name: getattr(importlib.import_module(f"analysis_utils.plots.{m}"), name)
           for m in MODULES for name in dir(importlib.import_module(f"analysis_utils.plots.{m}")) if name.startswith("plot_")}
    assert len(old) == 17
    for name, func in old.items():
        new = getattr(plots, "text" + name)
        assert func is new or func.__name__ == name  # positional wrappers for the two figures that changed
    assert plots.textstat_comparison is plots.comparison_terms


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'textplot_nothing'"):
        plots.textplot_nothing  # noqa: B018
