"""Sphinx configuration of the course website (``make site``; see scripts/build_site.py).

scripts/build_site.py copies this folder into a staging folder, adds the run's executed
lessons, the API pages, the benchmarks and README sections, and writes ``_run.json`` beside
this file: which run, machine, data and date the pages show, the site's language and its
language switch. Nothing is executed here. The Chinese site (``<site>/zh/``, built by
scripts/site_zh.py) uses this file too, with ``zh/index.md`` as its landing page.
"""

import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RUN = json.loads((HERE / "_run.json").read_text()) if (HERE / "_run.json").exists() else {}
# autodoc imports resnet_helpers from the repository the staging folder was built from.
sys.path.insert(0, RUN.get("repo_root", str(HERE.parent)))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

project = "resnet-course"
author = "resnet-course contributors"
copyright = "resnet-course contributors, MIT licence"
html_title = RUN.get("title", "Residual networks, hands-on")
language = RUN.get("language", "en")   # zh_CN: the theme's words and the search in Chinese

extensions = [
    "myst_nb",                   # executed notebooks and Markdown pages (MyST)
    "sphinx.ext.autodoc",        # the API reference, from the docstrings
    "sphinx.ext.napoleon",       # … which are Google-style
    "sphinx.ext.mathjax",
    "sphinx-mathjax-offline",    # MathJax served from the site itself: it works offline
    "sphinx.ext.githubpages",    # .nojekyll, for GitHub Pages
]
if language.startswith("zh"):
    sys.path.insert(0, str(HERE))
    extensions.append("zh_search")   # zh_search.py: Chinese search without jieba

# The run folder is the source of truth: show the outputs it holds, execute nothing.
nb_execution_mode = "off"
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "colon_fence", "attrs_inline"]
myst_heading_anchors = 3         # README's #section links resolve to the headings
exclude_patterns = ["_build", "_run.json", "**.ipynb_checkpoints", "zh"]
templates_path = ["_templates"]

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}
napoleon_google_docstring = True
napoleon_numpy_docstring = False

html_theme = "sphinx_book_theme"
html_static_path = ["_static"]
html_css_files = ["course.css"]
html_favicon = "_static/favicon.svg"
html_copy_source = False
html_show_sourcelink = False
html_context = {"default_mode": "auto"}   # light or dark as the visitor's system prefers
html_theme_options = {
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "navigation_with_keys": False,
    "announcement": RUN.get("banner", ""),
    # the language switch (lang-switch.html) before the theme's buttons, on every page
    "article_header_end": ["lang-switch.html", "article-header-buttons.html"],
}
if RUN.get("repo_url"):
    # A launch button (rocket icon) on each lesson: the lesson opened in JupyterLab on Binder.
    html_theme_options.update({
        "repository_url": RUN["repo_url"],
        "repository_branch": RUN.get("repo_branch", "main"),
        "path_to_docs": "",
        "use_repository_button": True,
    })
if RUN.get("repo_url") and language == "en":
    # (the Chinese lessons live in notebooks/zh/: their boxes carry the Binder link instead)
    html_theme_options["launch_buttons"] = {"binderhub_url": "https://mybinder.org",
                                            "notebook_interface": "jupyterlab"}


def join_wrapped_literals(app, what, name, obj, options, lines):
    """Join a line whose inline literal (double backquotes) runs on into the next line with it.

    napoleon reads the first line of a Google-style ``Returns:`` section as ``type: text`` and
    would split a wrapped literal such as ``{"history": …}`` at its colon.
    """
    i = 0
    while i < len(lines) - 1:
        if lines[i].count("``") % 2:
            lines[i] = f"{lines[i].rstrip()} {lines.pop(i + 1).strip()}"
        else:
            i += 1


def language_switch(app, pagename, templatename, context, doctree):
    """Give lang-switch.html its link: the same page in the other language's site where that
    site has it (``RUN["switch"]["pages"]``), else its landing page; relative to this page."""
    switch = RUN.get("switch")
    if switch:
        target = pagename if pagename in switch["pages"] else "index"
        href = "../" * pagename.count("/") + switch["root"] + target + ".html"
        context["lang_switch"] = {**switch, "href": href}


def setup(app):
    app.connect("autodoc-process-docstring", join_wrapped_literals, priority=400)  # before napoleon
    app.connect("html-page-context", language_switch)
