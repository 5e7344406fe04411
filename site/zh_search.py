"""The Chinese site's search (a local Sphinx extension that conf.py loads for ``zh_CN``).

Sphinx's own Chinese search (``sphinx.search.zh``) finds Chinese words only where the jieba
package is installed, and in Sphinx 9.0 its search page stops on a JavaScript error
(``ChineseStemmer is not defined``: it names a stemmer that the English stemmer file it ships
does not define). This one needs nothing more: every run of CJK characters is indexed as its
overlapping two-character pieces (bigrams, as many CJK search engines do), and the browser
splits the query the same way, so that 残差网络 finds the pages holding 残差网络; Latin words
are stemmed as in English, as Sphinx does on Chinese pages.
"""

from __future__ import annotations

import re

from sphinx.search.zh import SearchChinese

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RUN = re.compile(f"[{CJK}]+")
LATIN = re.compile(r"[a-zA-Z0-9_]+")

#: The same split in the browser (searchtools.js calls ``splitQuery`` on the query).
SPLIT_QUERY_JS = r"""
function splitQuery(query) {
  const cjk = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/gu;
  const terms = [];
  for (const word of query.split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu)) {
    for (const run of word.match(cjk) || []) {
      if (run.length === 1) terms.push(run);
      for (let i = 0; i + 1 < run.length; i++) terms.push(run.slice(i, i + 2));
    }
    terms.push(...word.split(cjk).filter((part) => part));
  }
  return terms;
}
"""


def bigrams(run: str) -> list[str]:
    """``"残差网络"`` → ``["残差", "差网", "网络"]``; a single character stays itself."""
    return [run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)]


class SearchChineseBigrams(SearchChinese):
    """Chinese as CJK bigrams, Latin words stemmed in English (see the module's docstring)."""

    language_name = "English"   # window.Stemmer = EnglishStemmer: the stemmer Sphinx ships
    js_splitter_code = SPLIT_QUERY_JS

    def split(self, input: str) -> list[str]:
        latin = [term.strip() for term in LATIN.findall(input)]
        self.latin_terms.update(latin)
        return [b for run in CJK_RUN.findall(input) for b in bigrams(run)] + latin

    def word_filter(self, stemmed_word: str) -> bool:
        return len(stemmed_word) > 1 or bool(CJK_RUN.fullmatch(stemmed_word))

    def stem(self, word: str) -> str:
        return word if CJK_RUN.match(word) else super().stem(word)


def setup(app) -> dict:
    app.add_search_language(SearchChineseBigrams)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
