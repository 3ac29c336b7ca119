// Letters are rendered when asked for, and the first one takes several seconds (the PDF engine
// loads its fonts). Without this script the link downloads the file as any link does; with it,
// the link says the letter is being prepared, cannot be clicked twice, and hands the file over
// when it arrives. Loaded as a file: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";

  function filename(response, fallback) {
    var header = response.headers.get("Content-Disposition") || "";
    var match = /filename="?([^";]+)"?/.exec(header);
    return match ? match[1] : fallback;
  }

  function save(blob, name) {
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  function say(status, key) {
    status.textContent = status.getAttribute("data-" + key) || "";
    status.hidden = false;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-letter-link]");
    var status = document.getElementById("letter-status");
    if (!link || !status || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    event.preventDefault();
    if (link.getAttribute("aria-disabled") === "true") {
      return;
    }
    link.setAttribute("aria-disabled", "true");
    link.setAttribute("aria-busy", "true");
    say(status, "busy");
    fetch(link.href, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.blob().then(function (blob) {
          save(blob, filename(response, "letter"));
        });
      })
      .then(function () { say(status, "done"); })
      .catch(function () { say(status, "failed"); })
      .finally(function () {
        link.removeAttribute("aria-disabled");
        link.removeAttribute("aria-busy");
      });
  });
})();
