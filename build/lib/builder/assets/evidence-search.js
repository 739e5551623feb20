/* Search for readers, from a copied folder (file://) as from a web server.
 *
 * The index is built with the site (builder/render/search.py) and cut into small scripts under
 * search/. Nothing is loaded until the reader searches; then only the scripts of the words
 * typed, and of the pages shown, are added as <script> elements (fetch() does not work from
 * file://). Nothing is requested from anywhere but the site's own folder.
 *
 * `words` must make the same words as builder/render/search.py's (tests/test_search.py checks).
 */
(function () {
  "use strict";

  var STOP = new Set(
    ("a an and are as at be but by for from has have in is it its of on or that the their this to was were which " +
      "with").split(" ")
  );
  var SHOWN = 10;

  function fold(text) {
    return text.toLowerCase().normalize("NFKD").replace(/\p{Mn}/gu, "");
  }

  function stem(word) {
    if (/^\d+$/.test(word) || word.length < 4) return word;
    if (word.endsWith("ies") && word.length > 4) return word.slice(0, -3) + "y";
    if (/(sses|shes|ches|xes|zes)$/.test(word)) return word.slice(0, -2);
    if (word.endsWith("s") && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
    return word;
  }

  function words(text) {
    return fold(text)
      .split(/[^\p{L}\p{N}]+/u)
      .filter(function (w) { return w && !STOP.has(w); })
      .map(stem);
  }

  // The site's root: this script is its assets/evidence/evidence-search.js.
  var root = new URL("../../", document.currentScript.src).href;
  var store = { meta: null, terms: {}, docs: {} };
  var loading = {};

  window.evidenceSearch = {
    words: words,
    load: function (kind, name, data) {
      if (kind === "meta") store.meta = data;
      else store[kind][name] = data;
    },
    search: search,
  };

  function script(path) {
    if (!loading[path]) {
      loading[path] = new Promise(function (resolve) {
        var element = document.createElement("script");
        element.src = root + path;
        element.onload = function () { resolve(true); };
        element.onerror = function () { resolve(false); };
        document.head.appendChild(element);
      });
    }
    return loading[path];
  }

  function fileName(prefix) {
    if (/^[a-z0-9]+$/.test(prefix)) return prefix;
    return "u" + Array.from(prefix).map(function (c) { return c.codePointAt(0).toString(16); }).join("-");
  }

  // The shards that hold a word (or, for a prefix, every word that starts with it). Each shard
  // holds the words from its name up to the next shard's name, in the order `<` compares them.
  function shardsFor(word, prefix) {
    var names = store.meta.shards;
    var at = -1;
    while (at + 1 < names.length && names[at + 1] <= word) at++;
    var found = at >= 0 ? [names[at]] : [];
    for (var next = at + 1; prefix && next < names.length && names[next].startsWith(word); next++) {
      found.push(names[next]);
    }
    return found;
  }

  async function postings(word, prefix) {
    var names = shardsFor(word, prefix);
    await Promise.all(names.map(function (name) { return script("search/t-" + fileName(name) + ".js"); }));
    var scores = new Map();
    names.forEach(function (name) {
      var shard = store.terms[name] || {};
      var found = prefix
        ? Object.keys(shard).filter(function (w) { return w.startsWith(word); }).slice(0, 200)
        : shard[word] ? [word] : [];
      found.forEach(function (w) {
        // A word's score in a page (stored) times how rare the word is (BM25's idf).
        var list = shard[w];
        var pages = list.length / 2;
        var idf = Math.log(1 + (store.meta.docs - pages + 0.5) / (pages + 0.5));
        for (var i = 0; i < list.length; i += 2) {
          scores.set(list[i], Math.max(scores.get(list[i]) || 0, list[i + 1] * idf));
        }
      });
    });
    return scores;
  }

  // The pages that have every word (the last one may be the start of a word still typed),
  // best first; failing that, those with the most of them.
  async function search(query) {
    var terms = words(query);
    if (!terms.length) return { terms: terms, results: [] };
    await script("search/meta.js");
    if (!store.meta) return { terms: terms, results: [] };
    var typing = !/\s$/.test(query);
    var lists = await Promise.all(
      terms.map(function (term, i) { return postings(term, typing && i === terms.length - 1 && term.length >= 2); })
    );
    var total = new Map();
    var matched = new Map();
    lists.forEach(function (list) {
      list.forEach(function (score, doc) {
        total.set(doc, (total.get(doc) || 0) + score);
        matched.set(doc, (matched.get(doc) || 0) + 1);
      });
    });
    var ranked = Array.from(total.keys()).sort(function (a, b) {
      return matched.get(b) - matched.get(a) || total.get(b) - total.get(a) || a - b;
    });
    var every = ranked.filter(function (doc) { return matched.get(doc) === terms.length; });
    var chosen = (every.length ? every : ranked).slice(0, SHOWN);
    var per = store.meta.perChunk;
    await Promise.all(
      Array.from(new Set(chosen.map(function (doc) { return Math.floor(doc / per); }))).map(function (chunk) {
        return script("search/d-" + chunk + ".js");
      })
    );
    var results = chosen.map(function (doc) {
      var row = store.docs[Math.floor(doc / per)][doc % per];
      return { url: row[0], title: row[1], kind: row[2], snippet: row[3] };
    });
    return { terms: terms, results: results, count: every.length || ranked.length, all: every.length > 0 };
  }

  // ---- The search box -------------------------------------------------------------------

  function highlighted(text, terms) {
    var out = document.createDocumentFragment();
    text.split(/([\p{L}\p{N}]+)/u).forEach(function (part) {
      var word = stem(fold(part));
      var hit = part && terms.some(function (t) { return word.startsWith(t); });
      var node = hit ? document.createElement("mark") : document.createTextNode(part);
      if (hit) node.textContent = part;
      out.appendChild(node);
    });
    return out;
  }

  function setUp(box) {
    var input = box.querySelector("input");
    var panel = box.querySelector(".evidence-search__results");
    var status = box.querySelector(".evidence-search__status");
    var asked = 0;
    box.hidden = false;

    function close() {
      panel.hidden = true;
    }

    function show(answer, query) {
      panel.textContent = "";
      if (!query.trim()) return close();
      var list = document.createElement("ul");
      list.setAttribute("aria-label", "Search results");
      answer.results.forEach(function (result) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = root + result.url;
        link.className = "evidence-search__link";
        var title = document.createElement("span");
        title.className = "evidence-search__title";
        title.appendChild(highlighted(result.title, answer.terms));
        var kind = document.createElement("span");
        kind.className = "evidence-search__kind";
        kind.textContent = result.kind;
        var snippet = document.createElement("span");
        snippet.className = "evidence-search__snippet";
        snippet.appendChild(highlighted(result.snippet, answer.terms));
        link.append(title, kind, snippet);
        item.appendChild(link);
        list.appendChild(item);
      });
      var said = !answer.results.length
        ? "No page has these words."
        : (answer.all ? "" : "No page has all these words; these have most of them. ") +
          answer.count + (answer.count === 1 ? " page" : " pages") + (answer.count > SHOWN ? ", the first " + SHOWN + " shown." : ".");
      status.textContent = said;
      var note = document.createElement("p");
      note.className = "evidence-search__count";
      note.textContent = said;
      panel.append(note, list);
      panel.hidden = false;
    }

    async function run() {
      var query = input.value;
      var mine = ++asked;
      var answer = await search(query);
      if (mine === asked) show(answer, query);
    }

    // The arrow keys move between the box and the results; Escape goes back to the box.
    function move(step) {
      var links = Array.from(panel.querySelectorAll("a"));
      var at = links.indexOf(document.activeElement);
      var next = at + step;
      if (next < 0 || !links.length) input.focus();
      else links[Math.min(next, links.length - 1)].focus();
    }

    box.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        move(event.key === "ArrowDown" ? 1 : -1);
      } else if (event.key === "Escape") {
        close();
        input.focus();
      }
    });
    input.addEventListener("input", run);
    input.addEventListener("focus", function () {
      script("search/meta.js"); // the first search needs it: load it while the reader types
    });
    input.addEventListener("click", function () {
      if (panel.hidden && input.value.trim()) run();
    });
    input.addEventListener("keydown", function (event) {
      var first = panel.querySelector("a");
      if (event.key === "Enter" && first && !panel.hidden) {
        event.preventDefault();
        window.location.href = first.href;
      }
    });
    document.addEventListener("click", function (event) {
      if (!box.contains(event.target)) close();
    });
    document.addEventListener("keydown", function (event) {
      var typing = /^(input|textarea|select)$/i.test(event.target.tagName) || event.target.isContentEditable;
      if (event.key === "/" && !typing) {
        event.preventDefault();
        input.focus();
      }
    });
  }

  document.querySelectorAll(".evidence-search").forEach(setUp);
})();
