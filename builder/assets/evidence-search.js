/* Search for readers, from a copied folder (file://) as from a web server.
 *
 * The index is built with the site (builder/render/search.py) and cut into small scripts under
 * search/. Nothing is loaded until the reader searches; then only the scripts of the words
 * typed (of the pairs of words in a "quoted phrase", of the vocabulary under a word found
 * nowhere), and of the pages shown, are added as <script> elements (fetch() does not work from
 * file://). Nothing is requested from anywhere but the site's own folder.
 *
 * A search forgives: a word found nowhere is read as the word of the index nearest to it in
 * spelling ("managment": management), which the results say, with the search as typed
 * offered; plurals are found by their singular (reviews, review; words of three letters too). The query is in the page's address
 * (?q=), so that results can be shared and reloaded, and each search is a step Back undoes.
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
  var QUOTE = /["\u201c\u201d\u201e]/; // phones type curly quotes
  var MOST_WORDS = 32; // of one query: a page pasted into the box is not a search
  var VOCABULARY_FILES = 8; // more files of words under one letter: look under its first two

  function fold(text) {
    return text.toLowerCase().normalize("NFKD").replace(/\p{Mn}/gu, "");
  }

  function stem(word) {
    if (/^\d+$/.test(word) || word.length < 3) return word;
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
  var store = { meta: null, terms: {}, pairs: {}, vocab: {}, docs: {} };
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

  // The files of one part of the index (names: their first keys, in order) that hold a key (or,
  // for a prefix, every key that starts with it). Each holds the keys from its name up to the
  // next file's name, in the order `<` compares them.
  function shardsFor(names, key, prefix) {
    var at = -1;
    while (at + 1 < names.length && names[at + 1] <= key) at++;
    var found = at >= 0 ? [names[at]] : [];
    for (var next = at + 1; prefix && next < names.length && names[next].startsWith(key); next++) {
      found.push(names[next]);
    }
    return found;
  }

  async function loaded(part, letter, key, prefix) {
    var names = shardsFor(store.meta[part] || [], key, prefix);
    await Promise.all(names.map(function (name) { return script("search/" + letter + "-" + fileName(name) + ".js"); }));
    return names;
  }

  // A word's pages and its score in each; for a prefix, of every word that starts so.
  async function postings(word, prefix) {
    var names = await loaded("shards", "t", word, prefix);
    var scores = new Map();
    names.forEach(function (name) {
      var shard = store.terms[name] || {};
      var found = prefix
        ? Object.keys(shard).filter(function (w) { return w.startsWith(word); }).slice(0, 200)
        : shard[word] ? [word] : [];
      found.forEach(function (w) {
        // Pages come in order, each as the gap from the one before, with the word's score in it
        // (stored), times how rare the word is (BM25's idf).
        var list = shard[w];
        var pages = list.length / 2;
        var idf = Math.log(1 + (store.meta.docs - pages + 0.5) / (pages + 0.5));
        for (var i = 0, doc = 0; i < list.length; i += 2) {
          doc += list[i];
          scores.set(doc, Math.max(scores.get(doc) || 0, list[i + 1] * idf));
        }
      });
    });
    return scores;
  }

  // The pages where two words stand next to each other (little words aside).
  async function pairPages(first, second) {
    var key = first + " " + second;
    var names = await loaded("pairs", "p", key, false);
    var list = (store.pairs[names[0]] || {})[key] || [];
    var pages = new Set();
    for (var i = 0, doc = 0; i < list.length; i++) pages.add((doc += list[i]));
    return pages;
  }

  // ---- Spelling: the word of the index nearest to one found nowhere -----------------------

  // Edits (a letter added, dropped, changed, or two swapped) from `typed` to `known`, or to the
  // nearest beginning of it (`prefix`: a word still being typed); over `limit`, limit + 1.
  function distance(typed, known, limit, prefix) {
    var n = typed.length;
    var m = prefix ? Math.min(known.length, n + limit) : known.length;
    var rows = [[]];
    for (var j = 0; j <= m; j++) rows[0].push(j);
    for (var i = 1; i <= n; i++) {
      var row = [i];
      for (j = 1; j <= m; j++) {
        var cost = Math.min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + (typed[i - 1] === known[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && typed[i - 1] === known[j - 2] && typed[i - 2] === known[j - 1]) {
          cost = Math.min(cost, rows[i - 2][j - 2] + 1);
        }
        row.push(cost);
      }
      rows.push(row);
      // A swap looks two rows back: two rows over the limit leave every later one over it.
      if (Math.min.apply(null, row) > limit && Math.min.apply(null, rows[i - 1]) > limit) return limit + 1;
    }
    var last = rows[n];
    return Math.min(limit + 1, prefix ? Math.min.apply(null, last) : last[m]);
  }

  // The word of the vocabulary nearest in spelling, the commonest of equals; its first letter
  // is taken as typed (few misspellings change it). Short words and numbers are left as typed.
  async function nearest(word, prefix) {
    var limit = word.length < 4 ? 0 : word.length < 8 ? 1 : 2;
    if (!limit || !/^\p{L}+$/u.test(word) || !store.meta.vocab) return "";
    var letters = Array.from(word);
    var start = letters[0];
    var names = shardsFor(store.meta.vocab, start, true);
    if (names.length > VOCABULARY_FILES) names = shardsFor(store.meta.vocab, (start = start + letters[1]), true);
    await Promise.all(names.map(function (name) { return script("search/v-" + fileName(name) + ".js"); }));
    var best = { word: "", cost: limit + 1, pages: 0 };
    names.forEach(function (name) {
      var shard = store.vocab[name] || {};
      Object.keys(shard).forEach(function (known) {
        if (!known.startsWith(start) || (!prefix && Math.abs(known.length - word.length) > limit)) return;
        var cost = distance(word, known, limit, prefix);
        var pages = shard[known];
        if (cost < best.cost || (cost === best.cost && (pages > best.pages || (pages === best.pages && known < best.word)))) {
          best = { word: known, cost: cost, pages: pages };
        }
      });
    });
    return best.word;
  }

  // ---- The query: words, and "phrases" ----------------------------------------------------

  // Each word with where it stands in the query, and the phrases (a quote not closed yet runs to
  // the end). The last word is a prefix while it is still being typed.
  function parse(query) {
    var terms = [];
    var phrases = [];
    var open = null;
    var pattern = /["\u201c\u201d\u201e]|[\p{L}\p{N}\p{M}]+/gu;
    var match;
    while ((match = pattern.exec(query)) && terms.length < MOST_WORDS) {
      if (QUOTE.test(match[0])) {
        if (open) phrases.push(open);
        open = open ? null : [];
        continue;
      }
      var run = { at: match.index, text: match[0], words: words(match[0]) };
      run.words.forEach(function (word) {
        if (open) open.push(terms.length);
        terms.push({ word: word, run: run, prefix: false });
      });
    }
    if (open) phrases.push(open);
    var last = terms[terms.length - 1];
    if (last && last.run.at + last.run.text.length === query.length && last.word.length >= 2) {
      last.prefix = true; // and so it leaves the phrase it ends, whose words are all typed
      phrases = phrases.map(function (phrase) { return phrase.filter(function (t) { return t !== terms.length - 1; }); });
    }
    return { terms: terms, phrases: phrases };
  }

  // A word as the index holds it, given back the ending the stemmer took from the word typed:
  // "proecsses" read as process is shown as processes.
  function inflected(typed, word) {
    var base = stem(typed);
    if (typed.startsWith(base)) return word + typed.slice(base.length);
    return typed.endsWith("ies") && word.endsWith("y") ? word.slice(0, -1) + "ies" : word;
  }

  // The query as read, each misspelt word replaced by the word it was read as.
  function asRead(query, terms) {
    var out = "";
    var at = 0;
    terms.forEach(function (term) {
      var run = term.run;
      var own = terms.filter(function (t) { return t.run === run; });
      if (run.at < at || !own.some(function (t) { return t.was; })) return;
      var shown = own.length === 1 ? inflected(fold(run.text), term.word) : own.map(function (t) { return t.word; }).join(" ");
      out += query.slice(at, run.at) + shown;
      at = run.at + run.text.length;
    });
    return out + query.slice(at);
  }

  // Each word's pages and scores; unless `asTyped`, a word found nowhere is read as the nearest
  // word of the index (the term then says what it was).
  function found(terms, asTyped) {
    return Promise.all(
      terms.map(async function (term) {
        var list = await postings(term.word, term.prefix);
        var better = list.size || asTyped ? "" : await nearest(term.word, term.prefix);
        if (!better) return list;
        term.was = term.word;
        term.word = better;
        return postings(better, false);
      })
    );
  }

  // For each pair of words next to each other in a phrase, the pages that have them so.
  function phrasePages(phrases, terms) {
    var pairs = [];
    phrases.forEach(function (phrase) {
      for (var i = 1; i < phrase.length; i++) pairs.push(pairPages(terms[phrase[i - 1]].word, terms[phrase[i]].word));
    });
    return Promise.all(pairs);
  }

  // The pages with the most of the words first, then the best scores; and those with every word
  // and every phrase.
  function ranking(lists, pairs) {
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
    var every = ranked.filter(function (doc) {
      return matched.get(doc) === lists.length && pairs.every(function (pages) { return pages.has(doc); });
    });
    return { ranked: ranked, every: every };
  }

  // The titles, addresses and snippets of these pages.
  async function rows(docs) {
    var per = store.meta.perChunk;
    var chunks = new Set(docs.map(function (doc) { return Math.floor(doc / per); }));
    await Promise.all(Array.from(chunks).map(function (chunk) { return script("search/d-" + chunk + ".js"); }));
    return docs.map(function (doc) {
      var row = store.docs[Math.floor(doc / per)][doc % per];
      return { url: row[0], title: row[1], kind: row[2], snippet: row[3] };
    });
  }

  // The pages that have every word, and every phrase as written (the last word may be the start
  // of a word still typed), best first; failing that, those with the most of the words. Unless
  // `asTyped`, a word found nowhere is read as the nearest word of the index.
  async function search(query, asTyped) {
    var parsed = parse(query);
    var terms = parsed.terms;
    if (!terms.length) return { terms: [], results: [] };
    await script("search/meta.js");
    if (!store.meta) return { terms: [], results: [] };
    var lists = await found(terms, asTyped);
    var order = ranking(lists, await phrasePages(parsed.phrases, terms));
    var fixed = terms.some(function (term) { return term.was; });
    return {
      terms: terms.map(function (term) { return term.word; }),
      results: await rows((order.every.length ? order.every : order.ranked).slice(0, SHOWN)),
      count: order.every.length || order.ranked.length,
      all: order.every.length > 0,
      phrase: parsed.phrases.some(function (phrase) { return phrase.length > 1; }),
      read: fixed ? asRead(query, terms) : "",
    };
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

  function said(answer) {
    if (!answer.results.length) return "No page has these words.";
    var partly = answer.phrase
      ? "No page has these words as written; these have most of them. "
      : "No page has all these words; these have most of them. ";
    return (
      (answer.all ? "" : partly) +
      answer.count + (answer.count === 1 ? " page" : " pages") + (answer.count > SHOWN ? ", the first " + SHOWN + " shown." : ".")
    );
  }

  function resultItem(result, terms) {
    var item = document.createElement("li");
    var link = document.createElement("a");
    link.href = root + result.url;
    link.className = "evidence-search__link";
    var title = document.createElement("span");
    title.className = "evidence-search__title";
    title.appendChild(highlighted(result.title, terms));
    var kind = document.createElement("span");
    kind.className = "evidence-search__kind";
    kind.textContent = result.kind;
    var snippet = document.createElement("span");
    snippet.className = "evidence-search__snippet";
    snippet.appendChild(highlighted(result.snippet, terms));
    link.append(title, kind, snippet);
    item.appendChild(link);
    return item;
  }

  // The query in the page's address (?q=, and &as-typed when the reader asked for the words as
  // typed), so that results can be shared and reloaded. A new search is a new step of the
  // history, which Back undoes; typing on (or back) within one search changes its step.
  function address(query, asTyped) {
    var params = new URLSearchParams(location.search);
    params.delete("q");
    params.delete("as-typed");
    if (query.trim()) params.set("q", query);
    if (query.trim() && asTyped) params.set("as-typed", "1");
    var search = params.toString();
    return location.pathname + (search ? "?" + search : "") + location.hash;
  }

  function remember(query, asTyped) {
    var url = address(query, asTyped);
    if (url === location.pathname + location.search + location.hash) return;
    var before = history.state && history.state.evidenceSearch;
    var same =
      before && before.asTyped === asTyped && (query.startsWith(before.query) || before.query.startsWith(query));
    var state = Object.assign({}, history.state, { evidenceSearch: { query: query, asTyped: asTyped } });
    if (same) history.replaceState(state, "", url);
    else history.pushState(state, "", url);
  }

  function setUp(box) {
    var input = box.querySelector("input");
    var panel = box.querySelector(".evidence-search__results");
    var status = box.querySelector(".evidence-search__status");
    var asked = 0;
    var asTyped = false;
    box.hidden = false;

    function close() {
      panel.hidden = true;
    }

    function show(answer, query) {
      panel.textContent = "";
      if (!query.trim()) return close();
      var list = document.createElement("ul");
      list.setAttribute("aria-label", "Search results");
      answer.results.forEach(function (result) { list.appendChild(resultItem(result, answer.terms)); });
      var note = document.createElement("p");
      note.className = "evidence-search__count";
      note.textContent = said(answer);
      status.textContent = (answer.read ? "Showing results for " + answer.read + ". " : "") + note.textContent;
      if (answer.read) panel.appendChild(correction(answer.read, query));
      panel.append(note, list);
      panel.hidden = false;
    }

    // "Showing results for management", and the search as typed, a click away.
    function correction(read, query) {
      var note = document.createElement("p");
      note.className = "evidence-search__read";
      var shown = document.createElement("strong");
      shown.textContent = read.trim();
      var instead = document.createElement("button");
      instead.type = "button";
      instead.className = "evidence-search__as-typed";
      instead.textContent = "Search instead for " + query.trim();
      instead.addEventListener("click", function () {
        asTyped = true;
        remember(input.value, asTyped);
        run();
        input.focus();
      });
      note.append("Showing results for ", shown, ". ", instead);
      return note;
    }

    async function run() {
      var query = input.value;
      var mine = ++asked;
      var answer = await search(query, asTyped);
      if (mine === asked) show(answer, query);
    }

    // The search the address holds (on opening the page, and on Back and Forward).
    function fromAddress() {
      var params = new URLSearchParams(location.search);
      var query = params.get("q") || "";
      if (query === input.value && params.has("as-typed") === asTyped) return; // a step of the filters
      asTyped = params.has("as-typed");
      input.value = query;
      if (query.trim()) return run();
      asked++; // an answer still coming is not shown
      close();
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
    input.addEventListener("input", function () {
      asTyped = false; // a new search is read as ever: misspellings corrected
      remember(input.value, asTyped);
      run();
    });
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
    window.addEventListener("popstate", fromAddress);
    fromAddress();
  }

  document.querySelectorAll(".evidence-search").forEach(setUp);
})();
