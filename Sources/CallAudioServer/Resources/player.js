"use strict";
(function () {
  const audio = document.getElementById("audio");
  if (audio) player();

  // While the recording or its transcript is being made, the page asks its status URL how they stand, less often
  // as time goes on, and stops once neither is pending. When the answer differs from the status the page was
  // rendered with, the page is fetched again and the parts that changed are swapped in (the audio keeps playing),
  // or, once the recording is ready, loaded again to build its player: the server alone renders the page.
  const page = document.body.dataset;
  let timer = null, delay = 1000;
  const pending = () => {
    const shown = JSON.parse(page.status);
    return ["queued", "processing"].includes(shown.status) || ["requested", "processing"].includes(shown.transcript);
  };
  function watch() {
    clearTimeout(timer);
    if (pending()) timer = setTimeout(poll, delay);
    delay = Math.min(delay * 1.5, 15000);
  }
  async function poll() {
    try {
      const response = await fetch(page.statusUrl, { cache: "no-store" });
      if (!response.ok && response.status < 500) return; // the link expired, or the recording is gone
      if (response.ok && (await response.text()) !== page.status) return await refresh();
    } catch (error) {
      // Offline for a moment: ask again later.
    }
    watch();
  }
  async function refresh() {
    const response = await fetch(location.href, { cache: "no-store" });
    if (!response.ok) throw new Error(`the page answered ${response.status}`);
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    if (!audio && fresh.getElementById("audio")) return location.reload();
    for (const id of ["recording-status", "transcript-section"]) {
      const shown = document.getElementById(id), now = fresh.getElementById(id);
      if (shown && now) shown.replaceWith(now);
    }
    page.status = fresh.body.dataset.status;
    watch();
  }

  // "Generate transcript" and, after a failure, "Try again": the service queues the job (again), and the page
  // shows that it is being made and follows it.
  document.addEventListener("click", async (event) => {
    const generate = event.target.closest("#generate-transcript");
    if (!generate) return;
    generate.disabled = true;
    const response = await fetch(generate.dataset.url, { method: "POST" }).catch(() => null);
    if (response && response.ok) {
      delay = 1000;
      return refresh().catch(() => location.reload());
    }
    document.getElementById("transcript-status").textContent = `Could not start it (${response ? response.status : "offline"}).`;
    generate.disabled = false;
  });
  watch();

  function player() {
    const seek = document.getElementById("seek");
    const canvas = seek.querySelector("canvas");
    const time = document.getElementById("time");
    const play = document.getElementById("play");
    const mute = document.getElementById("mute");
    const colours = ["#1a5fb4", "#c64600", "#26a269", "#813d9c"];
    let peaks = null;

    const clock = (s) => {
      s = Math.max(0, Math.floor(s || 0));
      const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = String(s % 60).padStart(2, "0");
      return h ? `${h}:${String(m).padStart(2, "0")}:${r}` : `${m}:${r}`;
    };
    const duration = () => (isFinite(audio.duration) ? audio.duration : Number(seek.getAttribute("aria-valuemax")) || 0);
    const seekTo = (t) => { audio.currentTime = Math.min(Math.max(0, t), duration()); update(); };

    function draw() {
      const width = canvas.clientWidth, height = canvas.clientHeight;
      canvas.width = width * devicePixelRatio; canvas.height = height * devicePixelRatio;
      const g = canvas.getContext("2d");
      g.scale(devicePixelRatio, devicePixelRatio);
      g.clearRect(0, 0, width, height);
      const played = duration() ? (audio.currentTime / duration()) * width : 0;
      if (peaks) {
        const channels = peaks.channels, band = height / channels;
        for (let c = 0; c < channels; c++) {
          const middle = band * c + band / 2;
          for (let x = 0; x < width; x++) {
            const first = Math.floor((x / width) * peaks.length), last = Math.max(first + 1, Math.floor(((x + 1) / width) * peaks.length));
            let low = 0, high = 0;
            for (let p = first; p < last && p < peaks.length; p++) {
              low = Math.min(low, peaks.data[(p * channels + c) * 2]);
              high = Math.max(high, peaks.data[(p * channels + c) * 2 + 1]);
            }
            g.fillStyle = x < played ? colours[c % colours.length] : "#9a9996";
            g.fillRect(x, middle - (high / 128) * (band / 2), 1, Math.max(1, ((high - low) / 128) * (band / 2)));
          }
        }
      }
      g.fillStyle = "#000";
      g.fillRect(played, 0, 2, height);
    }

    function update() {
      seek.setAttribute("aria-valuenow", audio.currentTime.toFixed(3));
      seek.setAttribute("aria-valuemax", duration().toFixed(3));
      seek.setAttribute("aria-valuetext", `${clock(audio.currentTime)} of ${clock(duration())}`);
      time.textContent = `${clock(audio.currentTime)} / ${clock(duration())}`;
      play.textContent = audio.paused ? "Play" : "Pause";
      play.setAttribute("aria-label", play.textContent);
      // The transcript may be swapped in while the audio plays: its lines are looked up each time.
      const lines = document.querySelectorAll("#transcript li[data-start]");
      let current = null;
      for (const line of lines) if (Number(line.dataset.start) <= audio.currentTime + 0.05) current = line;
      for (const line of lines) line.classList.toggle("current", line === current);
      draw();
    }

    play.addEventListener("click", () => (audio.paused ? audio.play() : audio.pause()));
    document.getElementById("restart").addEventListener("click", () => { seekTo(0); audio.play(); });
    // The button says what it does next and shows its state, however the audio came to be muted.
    const showMuted = () => {
      mute.textContent = audio.muted ? "Unmute" : "Mute";
      mute.setAttribute("aria-pressed", String(audio.muted));
    };
    mute.addEventListener("click", () => { audio.muted = !audio.muted; });
    audio.addEventListener("volumechange", showMuted);
    for (const button of document.querySelectorAll(".speed")) {
      button.addEventListener("click", () => {
        audio.preservesPitch = true;
        audio.playbackRate = Number(button.dataset.rate);
        for (const other of document.querySelectorAll(".speed")) other.setAttribute("aria-pressed", String(other === button));
      });
    }

    const fromPointer = (event) => {
      const box = seek.getBoundingClientRect();
      seekTo(((event.clientX - box.left) / box.width) * duration());
    };
    seek.addEventListener("pointerdown", (event) => { seek.setPointerCapture(event.pointerId); fromPointer(event); });
    seek.addEventListener("pointermove", (event) => { if (seek.hasPointerCapture(event.pointerId)) fromPointer(event); });
    seek.addEventListener("keydown", (event) => {
      const steps = { ArrowLeft: -5, ArrowDown: -5, ArrowRight: 5, ArrowUp: 5, PageDown: -30, PageUp: 30 };
      if (event.key in steps) seekTo(audio.currentTime + steps[event.key]);
      else if (event.key === "Home") seekTo(0);
      else if (event.key === "End") seekTo(duration());
      else return;
      event.preventDefault();
    });
    document.addEventListener("keydown", (event) => {
      if (event.target.closest && event.target.closest("button, a, input") && event.key === " ") return;
      const key = event.key.toLowerCase();
      if (key === " " || key === "k") { key === "k" ? audio.pause() : (audio.paused ? audio.play() : audio.pause()); }
      else if (key === "j") seekTo(audio.currentTime - 10);
      else if (key === "l") seekTo(audio.currentTime + 10);
      else if (key === "m") mute.click();
      else if (event.target !== seek && (event.key === "ArrowLeft" || event.key === "ArrowRight")) seekTo(audio.currentTime + (event.key === "ArrowLeft" ? -5 : 5));
      else return;
      event.preventDefault();
    });
    document.addEventListener("click", (event) => {
      const line = event.target.closest("#transcript li[data-start]");
      if (line) seekTo(Number(line.dataset.start));
    });

    for (const event of ["timeupdate", "durationchange", "play", "pause", "seeked", "loadedmetadata"]) audio.addEventListener(event, update);
    addEventListener("resize", draw);
    fetch(seek.dataset.waveform).then((r) => (r.ok ? r.json() : null)).then((json) => { peaks = json; draw(); }).catch(() => {});
    // A deep link (`#t=12.5`, as search results make) starts there: the fragment never reaches the server.
    const startAt = () => {
      const match = /(?:^#|&)t=(\d+(?:\.\d+)?)/.exec(location.hash);
      if (match) seekTo(Number(match[1]));
    };
    if (audio.readyState >= 1) startAt();
    else audio.addEventListener("loadedmetadata", startAt, { once: true });
    addEventListener("hashchange", startAt);
    update();
  }
})();
