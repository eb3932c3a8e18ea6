// MathJax reads what pymdownx.arithmatex (generic mode) writes for the pages and docstrings,
// \( \) and \[ \], and the notebooks' Markdown cells, written with $ and $$ as in Jupyter.
// Code (pre, code) is never typeset; \$ is a plain dollar sign.
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"], ["$", "$"]],
    displayMath: [["\\[", "\\]"], ["$$", "$$"]],
    processEscapes: true,
    processEnvironments: true,
  },
};

// Material's instant navigation swaps pages without reloading: typeset each new page.
document$.subscribe(() => {
  MathJax.startup.output.clearCache();
  MathJax.typesetClear();
  MathJax.texReset();
  MathJax.typesetPromise();
});
