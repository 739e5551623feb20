/* Narrowing lists, and the evidence map, in the reader's browser (from file:// too).
 *
 * Pages come whole: a theme's findings, every source, the map of themes against kinds. With
 * JavaScript this shows the filter forms the pages carry hidden, and:
 * - on a theme page, hides the findings a filter leaves out;
 * - on the list of sources, narrows every source (browse/sources.js, loaded by <script>) and
 *   shows the result, with the filters in the address (#theme=leadership&kind=study) so that a
 *   cell of the evidence map can open its own list;
 * - on the evidence map, lets the reader choose what the rows and the columns count.
 * Nothing is requested from anywhere but the site's own folder.
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

  function chosen(form) {
    var found = {};
    form.querySelectorAll("select[data-facet]").forEach(function (select) {
      if (select.value) found[select.dataset.facet] = select.value;
    });
    return found;
  }

  function fromAddress(form) {
    var given = new URLSearchParams(location.hash.slice(1));
    form.querySelectorAll("select[data-facet]").forEach(function (select) {
      var value = given.get(select.dataset.facet);
      if (value !== null && Array.from(select.options).some(function (o) { return o.value === value; })) {
        select.value = value;
      }
    });
  }

  function toAddress(filters) {
    var hash = new URLSearchParams(filters).toString();
    history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
  }

  function matches(facets, filters) {
    return Object.keys(filters).every(function (name) {
      return (facets[name] || []).indexOf(filters[name]) >= 0;
    });
  }

  function tableWithHead(names) {
    var table = document.createElement("table");
    var head = table.createTHead().insertRow();
    names.forEach(function (name) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = name;
      head.appendChild(th);
    });
    return table;
  }

  function say(form, shown, total, what) {
    form.querySelector(".evidence-filters__count").textContent =
      shown === total ? "All " + total + " " + what + "." : "Showing " + shown + " of " + total + " " + what + ".";
  }

  // A theme page: the findings on this page, filtered where they stand.
  function findings(form) {
    var article = form.closest("article") || document;
    var items = Array.from(article.querySelectorAll("ul.evidence-findings > li"));
    function apply() {
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
      say(form, shown, items.length, "findings on this page");
      toAddress(filters);
    }
    return apply;
  }

  // The list of sources: every source, from browse/sources.js.
  function sources(form) {
    var results = document.getElementById("evidence-browse-results");
    var limit = SHOWN;
    function row(source) {
      var tr = document.createElement("tr");
      var link = document.createElement("a");
      link.href = root + source[0];
      link.textContent = source[1];
      var cells = [source[3], link, data.kind[source[4].kind[0]], source[2], source[4].year[0]];
      cells.forEach(function (cell) {
        var td = document.createElement("td");
        if (typeof cell === "string") td.textContent = cell;
        else td.appendChild(cell);
        tr.appendChild(td);
      });
      return tr;
    }
    function apply() {
      var filters = chosen(form);
      var found = data.rows.filter(function (source) { return matches(source[4], filters); });
      results.textContent = "";
      var table = tableWithHead(["Added", "Source", "Kind", "Title", "Year"]);
      var body = table.createTBody();
      found.slice(0, limit).forEach(function (source) { body.appendChild(row(source)); });
      var wrap = document.createElement("div");
      wrap.className = "md-typeset__scrollwrap";
      wrap.appendChild(table);
      results.appendChild(wrap);
      if (found.length > limit) {
        var more = document.createElement("button");
        more.type = "button";
        more.textContent = "Show " + Math.min(SHOWN, found.length - limit) + " more";
        more.addEventListener("click", function () { limit += SHOWN; apply(); });
        results.appendChild(more);
      }
      say(form, found.length, data.rows.length, "sources");
      toAddress(filters);
    }
    document.querySelectorAll(".evidence-static, nav.evidence-pages").forEach(function (e) { e.hidden = true; });
    return function () {
      limit = SHOWN;
      withData(apply);
    };
  }

  document.querySelectorAll("form.evidence-filters").forEach(function (form) {
    var apply = form.dataset.what === "sources" ? sources(form) : findings(form);
    form.hidden = false;
    fromAddress(form);
    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    apply();
  });

  // ---- The evidence map: rows and columns the reader picks --------------------------------

  function map(picker) {
    var results = document.getElementById("evidence-map-results");
    var selects = picker.querySelectorAll("select[data-axis]");
    function fill() {
      selects.forEach(function (select) {
        Object.keys(data.names).forEach(function (name) {
          var option = document.createElement("option");
          option.value = name;
          option.textContent = data.names[name];
          select.appendChild(option);
        });
      });
      selects[0].value = "theme";
      selects[1].value = "kind";
    }
    function draw() {
      var rows = selects[0].value;
      var columns = selects[1].value;
      var rowValues = data.values[rows];
      var columnValues = data.values[columns];
      var counts = {};
      var most = 1;
      data.rows.forEach(function (source) {
        source[4][rows].forEach(function (r) {
          source[4][columns].forEach(function (c) {
            var key = r + "\u0000" + c;
            counts[key] = (counts[key] || 0) + 1;
            most = Math.max(most, counts[key]);
          });
        });
      });
      var table = tableWithHead(
        [data.names[rows] + (rows === "theme" ? ", and confidence in its key messages" : "")]
          .concat(columnValues.map(function (c) { return data.labels[columns][c]; }))
      );
      var body = table.createTBody();
      rowValues.forEach(function (r) {
        var tr = body.insertRow();
        var th = document.createElement("th");
        th.scope = "row";
        th.textContent = data.labels[rows][r];
        if (rows === "theme") {
          var said = document.createElement("span");
          said.className = "evidence-map__confidence";
          said.textContent = (data.confidence[r] || []).join(", ") || "no key message";
          th.appendChild(said);
        }
        tr.appendChild(th);
        columnValues.forEach(function (c) {
          var cell = tr.insertCell();
          var n = counts[r + "\u0000" + c] || 0;
          if (!n) {
            cell.innerHTML = '<span class="evidence-map__gap">gap</span>';
            return;
          }
          var link = document.createElement("a");
          link.className = "evidence-map__cell";
          link.style.setProperty("--share", (n / most).toFixed(2));
          var filters = {};
          filters[rows] = r;
          filters[columns] = c;
          link.href = root + data.list + "#" + new URLSearchParams(filters).toString();
          var strong = document.createElement("strong");
          strong.textContent = n;
          var said = document.createElement("span");
          said.className = "evidence-hidden";
          said.textContent = (n === 1 ? " source" : " sources") + " (" + data.labels[rows][r] + ", " + data.labels[columns][c] + ")";
          link.append(strong, said);
          cell.appendChild(link);
        });
      });
      results.textContent = "";
      var wrap = document.createElement("div");
      wrap.className = "md-typeset__scrollwrap evidence-map";
      var inner = document.createElement("div");
      inner.className = "md-typeset__table";
      inner.appendChild(table);
      wrap.appendChild(inner);
      results.appendChild(wrap);
    }
    withData(function () {
      fill();
      picker.hidden = false;
      picker.addEventListener("change", function () {
        document.querySelectorAll(".evidence-static").forEach(function (e) { e.hidden = true; });
        draw();
      });
    });
  }

  document.querySelectorAll("form.evidence-map-picker").forEach(map);
})();
