// The follow-along page: shows what is happening at the audio's current time.
// The server renders the first state (so ?t=SECONDS is right before anything plays);
// this script keeps it current from audio.currentTime, using the same panels.
(() => {
  "use strict";
  const data = JSON.parse(document.getElementById("track-data").textContent);
  const audio = document.querySelector("audio");
  const shown = {};
  document.querySelectorAll("[data-now]").forEach((el) => { shown[el.dataset.now] = el; });
  const chapterLinks = Array.from(document.querySelectorAll("[data-seek]"));
  // Where the page was asked to be (?t= or a chapter tapped) until the audio gets there:
  // before its metadata loads, audio.currentTime is 0 and would show the wrong moment.
  let pending = data.start;

  function intervalIndex(ms) {
    const spans = data.intervals;
    for (let i = 0; i < spans.length; i += 1) {
      if (ms < spans[i][1]) return i;
    }
    return spans.length - 1;
  }

  // As library.caption_at: the latest line started by `ms` and still heard at `since`.
  function captionAt(ms, since) {
    let text = "";
    for (const [start, end, line] of data.captions) {
      if (start > ms) break;
      if (end > since) text = line;
    }
    return text;
  }

  function setText(name, text) {
    const el = shown[name];
    // Only on change: each write to an aria-live element is announced again.
    if (el && el.textContent !== text) el.textContent = text;
  }

  function render(ms) {
    ms = Math.min(Math.max(ms, 0), data.duration);
    const index = intervalIndex(ms);
    if (index < 0) return;
    const [start, end, captionsFrom] = data.intervals[index];
    const panel = data.panels[index];
    document.body.className = `play kind-${panel.kind}`;
    setText("block", panel.block);
    setText("round", panel.round);
    setText("exercise", panel.exercise);
    setText("side", panel.side);
    // Whole seconds, rounded up as a countdown shows them (as library.moment_at does).
    setText("left", String(Math.ceil(Math.max(end - ms, 0) / 1000)));
    setText("next", panel.next || "—");
    setText("caption", captionAt(ms, captionsFrom));
    const percent = data.duration ? (100 * ms) / data.duration : 0;
    shown.progress.style.width = `${percent.toFixed(1)}%`;
    shown.progress.parentElement.setAttribute("aria-valuenow", String(Math.round(percent)));
    chapterLinks.forEach((a) => {
      a.classList.toggle("current", Number(a.dataset.seek) === start);
    });
  }

  function now() {
    return pending !== null ? pending : Math.round(audio.currentTime * 1000);
  }

  function seek(ms) {
    pending = ms;
    render(ms);
    if (audio.readyState >= 1) audio.currentTime = ms / 1000;
  }

  audio.addEventListener("loadedmetadata", () => {
    if (pending !== null) audio.currentTime = pending / 1000;
  });
  audio.addEventListener("seeked", () => { pending = null; render(now()); });
  audio.addEventListener("timeupdate", () => render(now()));
  chapterLinks.forEach((a) => {
    a.addEventListener("click", (event) => {
      event.preventDefault();
      seek(Number(a.dataset.seek));
      audio.play().catch(() => {}); // a tap is a user gesture; if refused, the user presses play
      window.scrollTo({ top: 0, behavior: "smooth" });
    });
  });

  // Keep the screen on while the page is open. Browsers allow the Wake Lock only on
  // secure origins (https, or localhost), so a phone on http://<LAN address> is told.
  const awakeNote = document.querySelector("[data-awake]");
  async function keepAwake() {
    if (!("wakeLock" in navigator)) {
      awakeNote.textContent = "This browser may let the screen sleep: set a longer auto-lock.";
      awakeNote.hidden = false;
      return;
    }
    try {
      await navigator.wakeLock.request("screen");
      awakeNote.hidden = true;
    } catch (error) {
      awakeNote.textContent = "Could not keep the screen on: set a longer auto-lock.";
      awakeNote.hidden = false;
    }
  }
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") keepAwake();
  });
  audio.addEventListener("play", keepAwake);
  keepAwake();

  render(now());
  if (audio.readyState >= 1 && pending !== null) audio.currentTime = pending / 1000;
  document.documentElement.dataset.following = "yes"; // for tests: the script has taken over
})();
