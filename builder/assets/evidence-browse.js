/* Narrowing lists, and the evidence map, in the reader's browser (from file:// too).
 *
 * Pages come whole: a theme's findings, every source, the map of questions against kinds of
 * source. With JavaScript this shows the filter forms the pages carry hidden, and:
 * - on a theme page, hides the findings a filter leaves out;
 * - on the list of sources, narrows every source (browse/sources.js, loaded by <script>) and
 *   shows the result in the same form as the page's own list;
 * - on the evidence map, counts only the sources the filters leave, and lets the reader choose
 *   what the rows and the columns count.
 * The filters (and the map's rows and columns) are in the address (#theme=leadership&kind=study),
 * so that a cell of the map can open its own list and a filtered list can be shared; each change
 * is a step of the history, which Back undoes. The filters are said in words above the results,
 * on paper too. Nothing is requested from anywhere but the site's own folder.
 */
(function () {
  "use strict";

  var root = new URL("../../", document.currentScript.src).href;
  var data = null;
  var waiting = [];
  var SHOWN = 200;

  window.evidenceBrowse = {
    load: function (loaded) {
      // Each row's facets come as value numbers, in the order of `names`: made whole here.
      var names = Object.keys(loaded.names);
      loaded.rows.forEach(function (row) {
        var facets = {};
        names.forEach(function (name, i) {
          facets[name] = row[4][i].map(function (n) { return loaded.values[name][n]; });
        });
        row[4] = facets;
      });
      data = loaded;
      waiting.splice(0).forEach(function (then) { then(); });
    },
  };

  function withData(then) {
    if (data) return then();
    waiting.push(then);
    if (waiting.length === 1) {
      var element = document.createElement("script");
      element.src = root + "browse/sources.js";
      document.head.appendChild(element);
    }
  }

  function element(tag, className, text) {
    var made = document.createElement(tag);
    if (className) made.className = className;
    if (text !== undefined) made.textContent = text;
    return made;
  }

  // ---- The address ------------------------------------------------------------------------

  function given() {
    return new URLSearchParams(location.hash.slice(1));
  }

  // A change the reader made is a new step of the history (`push`); what the page works out for
  // itself (the address tidied on opening) is not.
  function toAddress(params, push) {
    var hash = new URLSearchParams(params).toString();
    var url = location.pathname + location.search + (hash ? "#" + hash : "");
    if (url === location.pathname + location.search + location.hash) return;
    if (push) history.pushState(history.state, "", url);
    else history.replaceState(history.state, "", url);
  }

  // ---- Filters ----------------------------------------------------------------------------

  function selects(form) {
    return form ? Array.from(form.querySelectorAll("select[data-facet]")) : [];
  }

  function chosen(form) {
    var found = {};
    selects(form).forEach(function (select) {
      if (select.value) found[select.dataset.facet] = select.value;
    });
    return found;
  }

  function fromAddress(form) {
    var params = given();
    selects(form).forEach(function (select) {
      var value = params.get(select.dataset.facet);
      var known = value !== null && Array.from(select.options).some(function (o) { return o.value === value; });
      select.value = known ? value : "";
    });
  }

  function matches(facets, filters) {
    return Object.keys(filters).every(function (name) {
      return (facets[name] || []).indexOf(filters[name]) >= 0;
    });
  }

  // The filters in words: "Kind of source is Studies, Year is 2012".
  function stated(form) {
    return selects(form)
      .filter(function (select) { return select.value; })
      .map(function (select) {
        return select.closest("label").firstChild.textContent.trim() + " is " + select.selectedOptions[0].textContent;
      })
      .join(", ");
  }

  // "Showing 2 of 5 sources: Kind of source is Studies." or "All 5 sources." ("Counting all 5
  // sources." on the map).
  function say(form, shown, total, what, verb) {
    var filters = stated(form);
    var all = verb === "Showing" ? "All " : verb + " all ";
    form.querySelector(".evidence-filters__count").textContent = filters
      ? verb + " " + shown + " of " + total + " " + what + ": " + filters + "."
      : all + total + " " + what + ".";
  }

  // A form's changes, and Back and Forward, applied; `address` is what the page puts in the
  // address besides the form's filters.
  function wire(form, apply, address) {
    function changed() {
      toAddress(Object.assign(chosen(form), address ? address() : {}), true);
      apply();
    }
    form.hidden = false;
    fromAddress(form);
    form.addEventListener("change", changed);
    form.addEventListener("reset", function () { setTimeout(changed, 0); });
    window.addEventListener("popstate", function () {
      fromAddress(form);
      apply();
    });
    apply();
  }

  // A theme page: the findings on this page, filtered where they stand.
  function findings(form) {
    var article = form.closest("article") || document;
    var items = Array.from(article.querySelectorAll("ul.evidence-findings > li"));
    return function apply() {
      var filters = chosen(form);
      var shown = 0;
      items.forEach(function (item) {
        var facets = {};
        Object.keys(item.dataset).forEach(function (name) { facets[name] = item.dataset[name].split(" "); });
        var keep = matches(facets, filters);
        item.hidden = !keep;
        shown += keep;
      });
      // A section whose findings are all hidden hides its heading too.
      article.querySelectorAll("ul.evidence-findings").forEach(function (list) {
        var heading = list.previousElementSibling;
        var empty = !list.querySelector("li:not([hidden])");
        list.hidden = empty;
        if (heading && /^H[23]$/.test(heading.tagName)) heading.hidden = empty;
      });
      say(form, shown, items.length, "findings on this page", "Showing");
      toAddress(filters, false);
    };
  }

  // The list of sources: every source, from browse/sources.js, as the page lists them (title first).
  function sourceItem(source) {
    var item = element("li");
    var title = element("span", "evidence-sources__title");
    var link = element("a", "", source[2]);
    link.href = root + source[0];
    title.appendChild(link);
    var kind = data.kinds[source[4].kind[0]];
    var findings = source[3] + (source[3] === 1 ? " finding" : " findings");
    var said = element("span", "evidence-sources__said", [source[1], kind[0].toUpperCase() + kind.slice(1), findings].join(" · "));
    item.append(title, " ", said);
    return item;
  }

  function sources(form) {
    var results = document.getElementById("evidence-browse-results");
    var limit = SHOWN;
    function apply() {
      var filters = chosen(form);
      var found = data.rows.filter(function (source) { return matches(source[4], filters); });
      results.textContent = "";
      var list = element("ul", "evidence-sources");
      found.slice(0, limit).forEach(function (source) { list.appendChild(sourceItem(source)); });
      results.appendChild(list);
      if (found.length > limit) {
        var more = element("button", "evidence-browse-more", "Show " + Math.min(SHOWN, found.length - limit) + " more");
        more.type = "button";
        more.addEventListener("click", function () { limit += SHOWN; apply(); });
        results.appendChild(more);
      }
      say(form, found.length, data.rows.length, "sources", "Showing");
      toAddress(filters, false);
    }
    document.querySelectorAll(".evidence-static, nav.evidence-pages").forEach(function (e) { e.hidden = true; });
    return function () {
      limit = SHOWN;
      withData(apply);
    };
  }

  document.querySelectorAll("form.evidence-filters").forEach(function (form) {
    if (form.dataset.what === "map") return; // the map's own (below)
    wire(form, form.dataset.what === "sources" ? sources(form) : findings(form));
  });

  // ---- The evidence map -------------------------------------------------------------------

  var AXES = { rows: "theme", columns: "kind" }; // the map as the page shows it without JavaScript
  var QUESTIONS = "Question (theme), and confidence in its key messages";

  // Which questions are evidence gaps: no source, or none that is research.
  function gapOf(kinds) {
    if (!kinds.size) return "no evidence";
    return data.empirical.some(function (kind) { return kinds.has(kind); }) ? "" : "only opinion and news";
  }

  function listLink(filters, count, hidden) {
    var link = element("a");
    link.href = root + data.list + "#" + new URLSearchParams(filters).toString();
    link.append(element("strong", "", String(count)), element("span", "evidence-hidden", hidden));
    return link;
  }

  function columnHead(table, corner, columns, values) {
    var head = table.createTHead();
    var top = head.insertRow();
    top.appendChild(corner);
    var grouped = columns === "kind";
    var lower = grouped ? head.insertRow() : top;
    if (grouped) {
      var research = values.filter(function (v) { return data.empirical.indexOf(v) >= 0; }).length;
      [["Research", research], ["Opinion and news", values.length - research]].forEach(function (group) {
        var th = element("th", "", group[0]);
        th.scope = "colgroup";
        th.colSpan = group[1];
        top.appendChild(th);
      });
    }
    values.forEach(function (value) {
      var th = element("th", "", data.labels[columns][value]);
      th.scope = "col";
      lower.appendChild(th);
    });
    var total = element("th", "", "All sources");
    top.appendChild(total);
    [corner, total].forEach(function (th) {
      th.scope = "col";
      if (grouped) th.rowSpan = 2;
    });
  }

  function rowHead(rows, value, kinds) {
    var th = element("th");
    th.scope = "row";
    if (rows !== "theme") {
      th.textContent = data.labels[rows][value];
      return th;
    }
    var link = element("a", "", data.labels.theme[value]);
    link.href = root + data.themes[value];
    th.appendChild(link);
    var gap = gapOf(kinds);
    if (gap) th.appendChild(element("span", "evidence-map__gap", "Gap: " + gap));
    th.appendChild(element("span", "evidence-map__confidence", (data.confidence[value] || []).join(", ") || "no key message"));
    return th;
  }

  function drawMap(rows, columns, filters) {
    var counted = data.rows.filter(function (source) { return matches(source[4], filters); });
    var counts = {};
    var inRow = {};
    var kindsIn = {};
    var most = 1;
    counted.forEach(function (source) {
      source[4][rows].forEach(function (r) {
        inRow[r] = (inRow[r] || 0) + 1;
        (kindsIn[r] = kindsIn[r] || new Set()).add(source[4].kind[0]);
        source[4][columns].forEach(function (c) {
          var key = r + "\u0000" + c;
          counts[key] = (counts[key] || 0) + 1;
          most = Math.max(most, counts[key]);
        });
      });
    });
    var columnValues = data.values[columns];
    var table = element("table");
    var widths = element("colgroup");
    var spread = element("col");
    spread.span = columnValues.length + 1;
    widths.append(element("col", "evidence-map__rows"), spread);
    table.appendChild(widths);
    var corner = element("th", "", rows === "theme" ? QUESTIONS : data.names[rows]);
    columnHead(table, corner, columns, columnValues);
    var body = table.createTBody();
    data.values[rows].forEach(function (r) {
      var tr = body.insertRow();
      tr.appendChild(rowHead(rows, r, kindsIn[r] || new Set()));
      var where = data.labels[rows][r];
      columnValues.forEach(function (c) {
        var cell = tr.insertCell();
        var n = counts[r + "\u0000" + c] || 0;
        var what = data.labels[columns][c] + ", " + where;
        if (!n) return cell.appendChild(element("span", "evidence-hidden", "no sources (" + what + ")"));
        var narrowed = Object.assign({}, filters);
        narrowed[rows] = r;
        narrowed[columns] = c;
        var link = listLink(narrowed, n, (n === 1 ? " source" : " sources") + " (" + what + ")");
        link.className = "evidence-map__cell";
        link.style.setProperty("--share", (n / most).toFixed(2));
        cell.appendChild(link);
      });
      var total = tr.insertCell();
      var all = Object.assign({}, filters);
      all[rows] = r;
      if (inRow[r]) total.appendChild(listLink(all, inRow[r], " in all"));
      else total.textContent = "0";
    });
    var wrap = element("div", "md-typeset__scrollwrap evidence-map");
    var inner = element("div", "md-typeset__table");
    inner.appendChild(table);
    wrap.appendChild(inner);
    return { table: wrap, counted: counted.length };
  }

  function map(picker) {
    var form = document.querySelector("form.evidence-filters[data-what=map]");
    var results = document.getElementById("evidence-map-results");
    var axes = picker.querySelectorAll("select[data-axis]");

    function fill() {
      axes.forEach(function (select) {
        Object.keys(data.names).forEach(function (name) {
          var option = element("option", "", data.names[name]);
          option.value = name;
          select.appendChild(option);
        });
      });
    }
    function picked() {
      var found = {};
      axes.forEach(function (select) {
        if (select.value !== AXES[select.dataset.axis]) found[select.dataset.axis] = select.value;
      });
      return found;
    }
    function axesFromAddress() {
      var params = given();
      axes.forEach(function (select) {
        var value = params.get(select.dataset.axis);
        select.value = value && data.names[value] ? value : AXES[select.dataset.axis];
      });
    }
    function apply() {
      var filters = chosen(form);
      var drawn = drawMap(axes[0].value, axes[1].value, filters);
      document.querySelectorAll(".evidence-static").forEach(function (e) { e.hidden = true; });
      results.textContent = "";
      results.appendChild(drawn.table);
      if (form) say(form, drawn.counted, data.rows.length, "sources", "Counting");
      toAddress(Object.assign(filters, picked()), false);
    }
    function changed() {
      toAddress(Object.assign(chosen(form), picked()), true);
      apply();
    }
    withData(function () {
      fill();
      axesFromAddress();
      picker.hidden = false;
      picker.addEventListener("change", changed);
      window.addEventListener("popstate", function () {
        axesFromAddress(); // before the filters' own listener draws the map
        if (!form) apply();
      });
      if (form) wire(form, apply, picked);
      else apply();
    });
  }

  document.querySelectorAll("form.evidence-map-picker").forEach(map);
})();
