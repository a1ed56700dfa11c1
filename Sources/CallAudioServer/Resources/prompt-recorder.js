// The prompt recording page: records the microphone with MediaRecorder in a format the browser offers, lets the
// user play the recording back, and posts it to the page's own signed address as the multipart part `file`.
(() => {
  "use strict";
  const page = document.body;
  const record = document.getElementById("record");
  const stop = document.getElementById("stop");
  const save = document.getElementById("save");
  const preview = document.getElementById("preview");
  const status = document.getElementById("status");
  // Opus where the browser records it (Chrome, Firefox), then MP4/AAC (Safari).
  const types = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/mp4;codecs=mp4a.40.2", "audio/mp4", "audio/webm"];
  const extensions = { "audio/webm": "webm", "audio/ogg": "ogg", "audio/mp4": "m4a" };
  let recorder = null;
  let recording = null;
  let startedAt = 0;

  const say = (text) => { status.textContent = text; };
  const offeredType = () => types.find((type) => MediaRecorder.isTypeSupported(type)) || "";

  record.addEventListener("click", async () => {
    if (!navigator.mediaDevices || !window.MediaRecorder) {
      say("This browser cannot record audio here. Upload a recording instead.");
      return;
    }
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      say("The microphone could not be opened (" + error.name + "). Allow it and press Record again.");
      return;
    }
    const type = offeredType();
    const chunks = [];
    recorder = new MediaRecorder(stream, type ? { mimeType: type } : {});
    recorder.addEventListener("dataavailable", (event) => { if (event.data.size > 0) chunks.push(event.data); });
    recorder.addEventListener("stop", () => {
      stream.getTracks().forEach((track) => track.stop());
      recording = new Blob(chunks, { type: recorder.mimeType || type || "audio/webm" });
      if (preview.src) URL.revokeObjectURL(preview.src);
      preview.src = URL.createObjectURL(recording);
      preview.hidden = false;
      record.disabled = false;
      save.disabled = recording.size === 0;
      const seconds = Math.round((Date.now() - startedAt) / 1000);
      say("Recorded " + seconds + " s. Play it back, then Save, or Record again.");
    });
    recording = null;
    startedAt = Date.now();
    recorder.start(250);
    record.disabled = true;
    stop.disabled = false;
    save.disabled = true;
    say("Recording. Press Stop when you are done.");
  });

  stop.addEventListener("click", () => {
    if (recorder && recorder.state !== "inactive") recorder.stop();
    stop.disabled = true;
  });

  save.addEventListener("click", async () => {
    if (!recording) return;
    save.disabled = true;
    record.disabled = true;
    say("Saving…");
    const form = new FormData();
    form.append("file", recording, "recording." + (extensions[recording.type.split(";")[0]] || "webm"));
    try {
      const response = await fetch(page.dataset.uploadUrl, { method: "POST", body: form });
      const answer = await response.json().catch(() => ({}));
      if (!response.ok) throw new Error((answer.error && answer.error.message) || response.statusText);
      page.dataset.promptId = answer.id;
      say("Saved. It will be ready to use in a few seconds.");
    } catch (error) {
      say("Saving failed: " + error.message + ". Press Save to try again.");
      save.disabled = false;
      record.disabled = false;
    }
  });
})();
